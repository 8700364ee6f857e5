//! Who gets the app's wasm with a page. Residents get none: whether signed in or not, they get
//! plain server-rendered pages whose forms post without JavaScript, so a cheap phone downloads a
//! few kilobytes instead of the staff app. Staff (and group organisers) get the full app, which
//! the outreach pages need to work offline.
//!
//! Nobody signed in: plain pages, except on a staff device. A staff member signing in marks the
//! device with a cookie ([`mark_staff_device`]), so a tablet keeps the app on the pages where
//! nobody is signed in yet: the sign-in page says what the tablet still holds unsent, and the
//! outreach pages open offline. Where residents go (consultations, volunteering, joining) every
//! visitor gets plain pages.
//!
//! Decided once per page request, before rendering, and left in the request for the shell.

use super::{auth, state::AppState};
use crate::domain::Role;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::Method;
use tower_sessions::Session;

/// Marks a page request to be answered without the app's scripts.
#[derive(Clone, Copy, Debug)]
pub struct PlainPage;

/// Paths where a visitor who is not signed in gets a plain page.
const PUBLIC: [&str; 11] = [
    "/consultations",
    "/together",
    "/volunteer",
    "/what-you-can-do",
    "/forgot-password",
    "/reset-password",
    "/register",
    "/verify-email",
    "/email/unsubscribe",
    "/email/confirm",
    "/partners/join",
];

pub fn public_page(path: &str) -> bool {
    PUBLIC.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')))
}

/// What is never a page: server functions, the app's files and other files (a name with a
/// dot: `/sw.js`, `/favicon.svg`, a CSV download), probes.
fn not_a_page(path: &str) -> bool {
    ["/api/", "/pkg/", "/healthz", "/readyz"].iter().any(|p| path.starts_with(p))
        || path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

pub async fn decide(State(state): State<AppState>, session: Session, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if matches!(*req.method(), Method::GET | Method::HEAD) && !not_a_page(path) {
        let public = public_page(path);
        // A session that cannot be read counts as nobody signed in; the page itself then says so.
        let role = auth::user_from(&state, &session).await.ok().flatten().and_then(|u| u.role());
        let plain = match role {
            None => public || !staff_device(&req, &state),
            Some(role) => role == Role::Resident,
        };
        if plain {
            req.extensions_mut().insert(PlainPage);
        }
    }
    next.run(req).await
}

/// The device mark's cookie: a name and nothing personal, kept 400 days (browsers' longest).
fn device_cookie(state: &AppState) -> String {
    state.config.cookie_name("mobilise_device")
}

fn staff_device(req: &Request, state: &AppState) -> bool {
    let name = format!("{}=staff", device_cookie(state));
    req.headers().get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|v| v.split(';').any(|pair| pair.trim() == name))
}

/// Marks this device as a staff member's (called when staff sign in): see the module's notes.
pub fn mark_staff_device(state: &AppState) {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{}=staff; Path=/; Max-Age=34560000; HttpOnly; SameSite=Lax{secure}", device_cookie(state));
    if let (Some(res), Ok(value)) = (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&cookie)) {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// Whether the request running now is a plain form post (no JavaScript): the browser asked for
/// a page back, where the app's own calls ask for data.
pub fn plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.headers.get_all(http::header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).any(|v| v.contains("text/html"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_pages_are_public_by_prefix_and_files_are_not_pages() {
        assert!(public_page("/consultations") && public_page("/consultations/abc/ideas/def") && public_page("/volunteer/profile"));
        assert!(!public_page("/consultationsx") && !public_page("/") && !public_page("/sign-in") && !public_page("/manage/consultations"));
        assert!(not_a_page("/api/auth/login") && not_a_page("/pkg/mobilise.wasm") && not_a_page("/sw.js"));
        assert!(not_a_page("/manage/consultations/1/responses.csv"));
        assert!(!not_a_page("/") && !not_a_page("/consultations/0b5c-4e") && !not_a_page("/my-data"));
    }
}
