//! Who is taking part in a consultation. A signed-in person is their account; anyone else gets
//! a long-lived random cookie the first time they respond, so one person has one response they
//! can come back and change. Only a hash of the cookie is stored.

use super::auth;
use crate::error::AppError;
use sha2::{Digest, Sha256};

const COOKIE: &str = "mobilise_participant";
const SECURE_COOKIE: &str = "__Host-mobilise_participant";
/// A year: long enough to change one's mind before any consultation closes.
const MAX_AGE_SECS: i64 = 365 * 24 * 60 * 60;

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// The participant's cookie value, if the request carries a well-formed one.
fn cookie_token(secure: bool) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let name = cookie_name(secure);
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn key_for_token(token: &str) -> String {
    format!("token:{:x}", Sha256::digest(token.as_bytes()))
}

/// The participant key of whoever is asking, if they have one yet.
pub async fn current() -> Result<Option<String>, AppError> {
    if let Some(user) = auth::current_user().await? {
        return Ok(Some(format!("user:{}", user.id)));
    }
    let state = auth::state()?;
    Ok(cookie_token(state.config.secure_cookies).map(|t| key_for_token(&t)))
}

/// The participant key of whoever is asking; someone new is given their cookie now.
pub async fn current_or_new() -> Result<String, AppError> {
    if let Some(key) = current().await? {
        return Ok(key);
    }
    let state = auth::state()?;
    let token = crate::server::tokens::new_token();
    let secure = state.config.secure_cookies;
    let cookie = format!(
        "{}={token}; Path=/; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Lax{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    );
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }
    Ok(key_for_token(&token))
}

/// Expires the participant cookie.
pub fn forget() -> Result<(), AppError> {
    let state = auth::state()?;
    let secure = state.config.secure_cookies;
    let cookie = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}", cookie_name(secure), if secure { "; Secure" } else { "" });
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }
    Ok(())
}

/// Who is reporting or supporting, as one person: their account when signed in, otherwise a hash
/// of their network address (a new cookie does not make a new person).
pub async fn reporter_identity() -> Result<String, AppError> {
    if let Some(user) = auth::current_user().await? {
        return Ok(format!("user:{}", user.id));
    }
    let state = auth::state()?;
    Ok(address_key(&auth::client_address(&state)))
}

/// A network address as kept beside a contribution: hashed, never the address itself.
pub fn address_key(address: &str) -> String {
    format!("address:{:x}", Sha256::digest(format!("mobilise-address:{address}").as_bytes()))
}

/// Whether a participant key is a signed-in account (rather than a cookie).
pub fn is_account(key: &str) -> bool {
    key.starts_with("user:")
}
