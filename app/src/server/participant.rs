//! Who is taking part in a consultation. A signed-in person is their account; anyone else gets
//! a long-lived random cookie the first time they respond, so one person has one response they
//! can come back and change. Only a hash of the cookie is stored.

use super::auth;
use crate::server::auth::Caller;
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
pub fn current(caller: &Caller) -> Option<String> {
    if let Some(user) = caller.signed_in() {
        return Some(format!("user:{}", user.id));
    }
    cookie_token(caller.state.config.secure_cookies).map(|t| key_for_token(&t))
}

/// The participant key of whoever is asking; someone new is given their cookie now.
pub fn current_or_new(caller: &Caller) -> String {
    if let Some(key) = current(caller) {
        return key;
    }
    let token = crate::server::tokens::new_token();
    let secure = caller.state.config.secure_cookies;
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
    key_for_token(&token)
}

/// Expires the participant cookie.
pub fn forget(caller: &Caller) {
    let secure = caller.state.config.secure_cookies;
    let cookie = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}", cookie_name(secure), if secure { "; Secure" } else { "" });
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            res.append_header(http::header::SET_COOKIE, value);
        }
    }
}

/// Who is reporting or supporting, as one person: their account when signed in, otherwise a hash
/// of their network address (a new cookie does not make a new person).
pub fn reporter_identity(caller: &Caller) -> String {
    if let Some(user) = caller.signed_in() {
        return format!("user:{}", user.id);
    }
    address_key(&auth::client_address(&caller.state))
}

/// A network address as kept beside a contribution: hashed, never the address itself.
pub fn address_key(address: &str) -> String {
    format!("address:{:x}", Sha256::digest(format!("mobilise-address:{address}").as_bytes()))
}

/// Whether a participant key is a signed-in account (rather than a cookie).
pub fn is_account(key: &str) -> bool {
    key.starts_with("user:")
}
