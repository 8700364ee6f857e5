//! Each request's language, decided before anything renders (`crate::language::choice`): the
//! signed-in person's saved choice (kept in their session from sign-in), the switch's cookie,
//! `Accept-Language`, English. Left in the request for the page (`crate::language::page_locale`)
//! and for whatever the server writes (errors, mail, CSV).
//!
//! `POST /language` is the switch: a plain form (no JavaScript needed) naming a shipped
//! language and the page to return to. It sets the cookie for a year and, for someone signed
//! in, keeps the choice on their account, so their other devices and their emails follow it.

use super::{auth, repo, state::AppState};
use crate::language::{choice, Chosen};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
    Form,
};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use tower_sessions::Session;

/// Where a signed-in person's saved language is kept in their session.
pub const SESSION_KEY: &str = "language";

/// A year, in seconds: how long the switch's cookie lasts.
const COOKIE_MAX_AGE: i64 = 365 * 24 * 60 * 60;

pub async fn decide(State(state): State<AppState>, session: Session, mut req: Request, next: Next) -> Response {
    // The app's own files are the same in every language: no session read (a database read for
    // a signed-in person) for each of the dozens a page loads.
    if same_in_every_language(req.uri().path()) {
        return next.run(req).await;
    }
    // A session that cannot be read has no saved choice; the cookie and the browser still count.
    let saved = session.get::<String>(SESSION_KEY).await.ok().flatten();
    let cookie = cookie_value(req.headers(), &state.config.cookie_name(choice::COOKIE));
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let locale = choice::decide(saved.as_deref(), cookie.as_deref(), accept);
    req.extensions_mut().insert(Chosen(locale));
    // No `Vary`: every page is `no-store` (`security::no_store`), and the files that may be
    // cached are the same in every language; the service worker's page cache would miss its
    // own pages offline if they varied by headers it cannot see (`Cookie`).
    next.run(req).await
}

/// The app's files, icons and probes: nothing in them is in words.
fn same_in_every_language(path: &str) -> bool {
    ["/pkg/", "/icons/"].iter().any(|p| path.starts_with(p))
        || matches!(path, "/favicon.svg" | "/manifest.webmanifest" | "/sw.js" | "/robots.txt" | "/healthz" | "/readyz")
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn switch(State(state): State<AppState>, session: Session, Form(form): Form<SwitchForm>) -> Response {
    let Some(locale) = choice::from_tag(&form.lang).filter(|l| choice::code(*l) == form.lang) else {
        return (StatusCode::BAD_REQUEST, "That language is not offered here. / Nid yw'r iaith honno ar gael yma.").into_response();
    };
    if let Ok(Some(user)) = auth::user_from(&state, &session).await {
        if let Err(e) = repo::users::set_language(&state.db, &user.id, choice::code(locale)).await {
            tracing::error!(error = %e, "keeping a language choice");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        if session.insert(SESSION_KEY, choice::code(locale)).await.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax{secure}",
        state.config.cookie_name(choice::COOKIE),
        choice::code(locale)
    );
    let back = choice::safe_return(&form.back);
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, back.to_string())]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_files_skip_the_language() {
        assert!(same_in_every_language("/pkg/mobilise.abc.wasm") && same_in_every_language("/sw.js") && same_in_every_language("/healthz"));
        assert!(!same_in_every_language("/") && !same_in_every_language("/api/sync/v1/push"));
        assert!(!same_in_every_language("/manage/consultations/1/responses.csv") && !same_in_every_language("/intelligence/export/areas"));
    }
}
