//! Request guards and response headers that apply to every route.

use super::config::Config;
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
            (StatusCode::FORBIDDEN, "This request did not come from a Mobilise page, so it was refused. Go back, reload the page and try again.")
                .into_response()
        }
    }
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The decision behind [`csrf_guard`], kept pure for testing.
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
        let origin = origin.trim_end_matches('/');
        if let Some(expected) = public_origin {
            return if origin.eq_ignore_ascii_case(expected) { Ok(()) } else { Err("origin differs from the public origin") };
        }
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
        return match host {
            Some(host) if origin_host.eq_ignore_ascii_case(host) => Ok(()),
            Some(_) => Err("origin differs from host"),
            None => Err("no host header"),
        };
    }
    match sec_fetch_site {
        Some("same-origin") | Some("none") => Ok(()),
        Some(_) => Err("cross-site fetch"),
        None => Err("neither Origin nor Sec-Fetch-Site"),
    }
}

/// Headers for every response. HTML pages set their own Content-Security-Policy with the
/// per-response nonce (see `app::shell`); anything else gets a policy that allows nothing.
pub async fn security_headers(State(config): State<Arc<Config>>, req: Request, next: Next) -> Response {
    // The service worker's own policy comes from its script's response: it must be able to fetch.
    let is_service_worker = req.uri().path() == "/sw.js";
    let mut res = next.run(req).await;
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
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    }
    if config.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// The policy for HTML pages: scripts only from this site or carrying this response's nonce.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::same_site_verdict as v;

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
    fn without_an_origin_the_fetch_metadata_decides() {
        assert!(v(None, Some("same-origin"), Some("h"), None).is_ok());
        assert!(v(None, Some("none"), Some("h"), None).is_ok());
        assert!(v(None, Some("cross-site"), Some("h"), None).is_err());
        assert!(v(None, Some("same-site"), Some("h"), None).is_err());
        assert!(v(None, None, Some("h"), None).is_err(), "a request that proves nothing is refused");
    }
}
