//! Request guards and response headers that apply to every route.

use super::{config::Config, state::AppState};
use crate::domain::Msg;
use crate::error::AppError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use std::sync::Arc;

/// Leptos server functions have no CSRF protection of their own and SameSite=Lax does not
/// cover every case, so every state-changing request must show it came from this site: an
/// `Origin` that matches, or else the browser's `Sec-Fetch-Site: same-origin`. A request
/// that shows neither is refused; modern browsers always send one of them.
pub async fn csrf_guard(State(config): State<Arc<Config>>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // A mail client's one-click unsubscribe (RFC 8058) comes from the mail provider, not a page
    // of ours; the link's secret is its authority (see `unsubscribe`).
    if req.uri().path().starts_with(super::unsubscribe::PREFIX) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let verdict = same_site_verdict(
        header_str(headers, header::ORIGIN),
        header_str(headers, "sec-fetch-site"),
        header_str(headers, header::HOST),
        config.public_origin.as_deref(),
    );
    match verdict {
        Ok(()) => next.run(req).await,
        Err(reason) => {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), reason, "cross-site request refused");
            (
                StatusCode::FORBIDDEN,
                "This request did not come from a Mobilise page, so it was refused. Go back, reload the page and try again.",
            )
                .into_response()
        }
    }
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Request bodies are read here, before any handler, up to `limit` bytes: a larger one is
/// refused with 413 whether or not it declared its length (a chunked body is counted as it
/// arrives). The sync endpoints are left to [`sync_gate`], which authenticates first.
pub async fn body_limit(State(config): State<Arc<Config>>, req: Request, next: Next) -> Response {
    // A null character: no text a person writes holds one, and PostgreSQL cannot keep one.
    if holds_encoded_null(&req.uri().to_string()) {
        return bad_request(Msg::ForbiddenCharacter);
    }
    if !has_body(req.method()) || req.uri().path().starts_with(SYNC_PREFIX) {
        return next.run(req).await;
    }
    match buffered(req, config.max_body_bytes, true).await {
        Ok(req) => next.run(req).await,
        Err(refusal) => refusal,
    }
}

/// Whether an address holds a null character once percent-decoded, up to three times over
/// (`%00`, `%2500`, `%25%30%30`, `%%300`): a page's router decodes its parameters once more
/// than the server does. Each decoding is one pass, so a long address costs little.
fn holds_encoded_null(uri: &str) -> bool {
    let mut bytes = uri.as_bytes().to_vec();
    for _ in 0..3 {
        // One pass; anything that is not `%` and two hex digits stays as it is.
        let decoded: Vec<u8> = percent_encoding::percent_decode(&bytes).collect();
        if decoded.contains(&0) {
            return true;
        }
        if decoded == bytes {
            return false;
        }
        bytes = decoded;
    }
    false
}

/// Whether a buffered body holds a null character, raw or encoded as its form or JSON says it.
/// (The sync endpoints check each record for itself: one bad record must not hold up the rest.)
fn holds_null(parts: &http::request::Parts, bytes: &[u8]) -> bool {
    let json = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.contains("json"));
    let encoded: &[u8] = if json { b"\\u0000" } else { b"%00" };
    bytes.contains(&0) || bytes.windows(encoded.len()).any(|w| w == encoded)
}

const SYNC_PREFIX: &str = "/api/sync/";

fn has_body(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The request with its body read into memory, or the response refusing it (and, with
/// `refuse_null`, refusing a body that holds a null character).
async fn buffered(req: Request, limit: usize, refuse_null: bool) -> Result<Request, Response> {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) if refuse_null && holds_null(&parts, &bytes) => {
            Err(app_error_response(StatusCode::UNPROCESSABLE_ENTITY, &AppError::invalid("form", Msg::ForbiddenCharacter)))
        }
        Ok(bytes) => Ok(Request::from_parts(parts, axum::body::Body::from(bytes))),
        Err(e) => Err(if is_length_limit(e) { too_large(limit) } else { bad_request(Msg::BodyCouldNotBeRead) }),
    }
}

fn is_length_limit(e: axum::Error) -> bool {
    let inner = e.into_inner();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(inner.as_ref());
    while let Some(c) = cause {
        if c.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// Said in English for now: a middleware has no page for `Msg`'s `Display` to take the
/// language from, and `body_limit` runs before `server::language` has decided it.
fn too_large(limit: usize) -> Response {
    app_error_response(StatusCode::PAYLOAD_TOO_LARGE, &AppError::invalid("form", Msg::TooLargeAtMostKb { n: (limit / 1024) as i64 }))
}

fn bad_request(message: Msg) -> Response {
    app_error_response(StatusCode::BAD_REQUEST, &AppError::invalid("form", message))
}

/// An error answered as a server function answers one (its JSON, with the error header), so
/// the app shows it the same way.
fn app_error_response(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut res = (status, body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res.headers_mut().insert("serverfnerror", HeaderValue::from_static("mobilise"));
    res
}

/// The sync endpoints, used by tablets: the caller must be signed in before anything of the body
/// is read, and then a batch may be at most [`MAX_BATCH_BYTES`](crate::domain::sync::MAX_BATCH_BYTES).
pub async fn sync_gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with(SYNC_PREFIX) || !has_body(req.method()) {
        return next.run(req).await;
    }
    let Some(session) = req.extensions().get::<tower_sessions::Session>().cloned() else {
        return app_error_response(StatusCode::UNAUTHORIZED, &AppError::Unauthenticated);
    };
    match super::auth::user_from(&state, &session).await {
        Ok(Some(_)) => {}
        Ok(None) => return app_error_response(StatusCode::UNAUTHORIZED, &AppError::Unauthenticated),
        Err(e) => return app_error_response(e.status(), &e),
    }
    match buffered(req, crate::domain::sync::MAX_BATCH_BYTES.min(state.config.max_body_bytes), false).await {
        Ok(req) => next.run(req).await,
        Err(refusal) => refusal,
    }
}

/// Gives a server function's error the status its error means, whether or not the function
/// ran: arguments that cannot be read (a missing field, malformed JSON, invalid UTF-8) fail
/// before it does, and would otherwise be answered 500. Refusals (401, 403) are security events.
pub async fn error_status(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (path, method) = (req.uri().path().to_string(), req.method().clone());
    let (parts, body) = req.into_parts();
    let address = super::auth::address_of(&parts, state.config.trust_proxy);
    let res = next.run(Request::from_parts(parts, body)).await;
    if matches!(res.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        let detail = format!("{} {method} {path}", res.status().as_u16());
        // A wrong password or code is recorded as such where it is checked, not twice.
        let checked_there = matches!(path.as_str(), "/api/auth/login" | "/api/auth/code");
        if has_body(&method) && !checked_there {
            let event = super::security_log::Event { address: &address, detail: &detail, ..Default::default() };
            super::security_log::record(&state.db, super::security_log::Kind::Refused, event, super::now()).await;
        } else {
            // A GET changes nothing, not even a stored log: another site's link could cause it.
            tracing::warn!(target: "security", kind = "refused", address = %address, detail = %detail, "security event");
        }
    }
    finish(res).await
}

async fn finish(res: Response) -> Response {
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 256 * 1024).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Responses made for a person (pages, server functions, downloads) are never stored by the
/// browser or anything between: a shared council computer keeps nothing after sign-out. Only
/// the app's own files, the same for everyone, may be cached: for good when named after their
/// contents, otherwise checked with the server each time (`server::assets`).
pub async fn no_store(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let shared = path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(path, "/favicon.svg" | "/manifest.webmanifest" | "/sw.js" | "/robots.txt");
    let policy = if shared { crate::server::assets::cache_control(path) } else { "no-store" };
    let mut res = next.run(req).await;
    // A file that is not there (yet) is not remembered as missing.
    let policy = if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED { policy } else { "no-store" };
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// The decision behind [`csrf_guard`], kept pure for testing. With a public origin configured
/// (required in production), the request's `Origin` must be that origin exactly: the same
/// scheme, host and port. Without one (development), it must name this request's own `Host`.
pub fn same_site_verdict(
    origin: Option<&str>,
    sec_fetch_site: Option<&str>,
    host: Option<&str>,
    public_origin: Option<&str>,
) -> Result<(), &'static str> {
    if let Some(origin) = origin {
        if origin == "null" {
            return Err("opaque origin");
        }
        let Some(seen) = OriginParts::parse(origin) else { return Err("malformed origin") };
        if let Some(expected) = public_origin {
            return if OriginParts::parse(expected).is_some_and(|e| e == seen) {
                Ok(())
            } else {
                Err("origin differs from the public origin")
            };
        }
        let Some(host) = host else { return Err("no host header") };
        let own = OriginParts::parse(&format!("{}://{host}", seen.scheme));
        return if own.is_some_and(|o| o == seen) { Ok(()) } else { Err("origin differs from host") };
    }
    match sec_fetch_site {
        Some("same-origin") | Some("none") => Ok(()),
        Some(_) => Err("cross-site fetch"),
        None => Err("neither Origin nor Sec-Fetch-Site"),
    }
}

/// An origin as compared: scheme and host in lower case, and the port (the scheme's default
/// when none is written). Anything with a path, user or query is not an origin.
#[derive(Debug, PartialEq, Eq)]
struct OriginParts {
    scheme: String,
    host: String,
    port: u16,
}

impl OriginParts {
    fn parse(origin: &str) -> Option<OriginParts> {
        let (scheme, rest) = origin.trim_end_matches('/').split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        if rest.is_empty() || rest.contains(['/', '@', '?', '#', ' ']) {
            return None;
        }
        // An IPv6 literal keeps its brackets; the port follows the last colon after them.
        let (host, port) = match rest.rfind(':') {
            Some(i) if !rest[i..].contains(']') => (&rest[..i], rest[i + 1..].parse::<u16>().ok()?),
            _ => (rest, default_port),
        };
        if host.is_empty() {
            return None;
        }
        Some(OriginParts { scheme, host: host.to_ascii_lowercase(), port })
    }
}

/// Headers for every response. HTML pages set their own Content-Security-Policy with the
/// per-response nonce (see `app::shell`); anything else gets a policy that allows nothing.
pub async fn security_headers(State(config): State<Arc<Config>>, req: Request, next: Next) -> Response {
    // The service worker's own policy comes from its script's response: it must be able to fetch.
    let is_service_worker = req.uri().path() == "/sw.js";
    let mut res = next.run(req).await;
    let status = res.status();
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Same-origin referrers are kept: forms without JavaScript are sent back to their page by it.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"));
    if is_service_worker {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    } else if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let is_page = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
        if is_page {
            // Every page carries its policy in its own <meta> as well (see `app::shell`), with
            // the nonce of its scripts: a policy allowing nothing here would stop it working.
            tracing::warn!(%status, "an HTML page left without its Content-Security-Policy header");
        } else {
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
        }
    }
    if config.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// The policy for HTML pages: scripts only from this site or carrying this response's nonce.
pub fn page_csp(nonce: &str) -> String {
    format!("{}; frame-ancestors 'none'", page_csp_meta(nonce))
}

/// The same policy as the page's own `<meta http-equiv>` carries it, first thing in its head (a
/// `<meta>` cannot say where the page may be framed: `X-Frame-Options` and the header do).
pub fn page_csp_meta(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; manifest-src 'self'; worker-src 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::same_site_verdict as v;

    #[test]
    fn a_null_character_is_found_in_an_address_however_it_was_encoded() {
        use super::holds_encoded_null as null;
        assert!(null("/privacy/residents/%00") && null("/x?a=%2500") && null("/x/%252500"));
        assert!(null("/x?a=%25%30%30") && null("/x?a=%%300") && null("/x/%00"));
        assert!(!null("/consultations/abc?q=%25%30") && !null("/x?a=100%25") && !null("/x/2500") && !null("/x?a=%"));
        // At most three decodings, each one pass: `%25` 32,000 times over is simply not a null.
        assert!(!null(&format!("/?a=%{}", "25".repeat(32_000))));
    }

    #[test]
    fn a_matching_origin_is_allowed() {
        assert!(v(Some("http://127.0.0.1:3000"), None, Some("127.0.0.1:3000"), None).is_ok());
        assert!(v(Some("https://mobilise.example.gov.uk"), None, Some("internal:8080"), Some("https://mobilise.example.gov.uk")).is_ok());
    }

    #[test]
    fn another_sites_origin_is_refused_whatever_else_it_says() {
        assert!(v(Some("https://evil.example"), Some("same-origin"), Some("127.0.0.1:3000"), None).is_err());
        assert!(v(Some("http://127.0.0.1:3000"), None, Some("127.0.0.1:3000"), Some("https://mobilise.example.gov.uk")).is_err());
        assert!(v(Some("null"), None, Some("127.0.0.1:3000"), None).is_err());
        assert!(v(Some("http://127.0.0.1:3000.evil.example"), None, Some("127.0.0.1:3000"), None).is_err());
    }

    #[test]
    fn scheme_host_and_port_must_all_match() {
        let public = Some("https://mobilise.example.gov.uk");
        assert!(v(Some("https://mobilise.example.gov.uk:443"), None, None, public).is_ok(), "the default port written out");
        assert!(v(Some("HTTPS://Mobilise.Example.gov.uk"), None, None, public).is_ok());
        assert!(v(Some("http://mobilise.example.gov.uk"), None, None, public).is_err(), "another scheme");
        assert!(v(Some("https://mobilise.example.gov.uk:8443"), None, None, public).is_err(), "another port");
        assert!(v(Some("https://mobilise.example.gov.uk.evil.example"), None, None, public).is_err());
        assert!(v(Some("https://evil@mobilise.example.gov.uk"), None, None, public).is_err());
        // Development, no public origin: the request's own host, port included.
        assert!(v(Some("http://127.0.0.1:3000"), None, Some("127.0.0.1:3001"), None).is_err());
        assert!(v(Some("http://localhost"), None, Some("localhost:80"), None).is_ok());
        assert!(v(Some("not an origin"), None, Some("h"), None).is_err());
    }

    #[test]
    fn without_an_origin_the_fetch_metadata_decides() {
        assert!(v(None, Some("same-origin"), Some("h"), None).is_ok());
        assert!(v(None, Some("none"), Some("h"), None).is_ok());
        assert!(v(None, Some("cross-site"), Some("h"), None).is_err());
        assert!(v(None, Some("same-site"), Some("h"), None).is_err());
        assert!(v(None, None, Some("h"), None).is_err(), "a request that proves nothing is refused");
    }
}
