//! A short memory of the pages residents browse without signing in.
//!
//! A letter or a leaflet sends a whole estate to one consultation at once. Each of those visitors
//! gets the same page: no cookie, no session, the same data. The server renders it once and
//! answers the same request again from memory for up to [`FRESH_FOR`], while nothing has been
//! written in between.
//!
//! - **Only anonymous browsing.** A GET of a consultation or volunteering page with no `Cookie`
//!   (but one language switch cookie, whose language is part of the key) and no
//!   `Authorization` header.
//!   Anyone signed in, on a staff device, or part-way through a form (which sets a cookie) is
//!   rendered afresh, every time.
//! - **Only what is the same for everyone.** A 200 HTML answer that sets no cookie, up to
//!   [`MAX_BODY`]. The request's own id is not kept.
//! - **In its own language.** The key holds the page's language, decided as `server::language`
//!   decides it for someone not signed in (the switch's cookie, by its configured name, then
//!   `Accept-Language`), so what is kept under "cy" is always a Welsh page.
//! - **Never older than a write.** Every request that may write (anything but GET, HEAD and
//!   OPTIONS: forms, server functions, the tablets' sync) moves a generation on when it is done,
//!   and a page made before that is not used again. A page whose render overlapped a write
//!   carries the generation from before it, so it is never used at all. Writes no request makes
//!   (the nightly retention run, another instance on the same database) show within
//!   [`FRESH_FOR`].
//! - **Bounded.** At most [`MAX_ENTRIES`] pages, keyed by path and query, `Accept-Encoding` and
//!   `Accept-Language` as sent; a request whose key is longer than [`MAX_KEY`] is not kept.
//!
//! Pages carry a fresh nonce for their inline scripts in each render; a page answered from memory
//! repeats its nonce, for the same bytes, until the next write. Plain pages run none of those
//! scripts (they are the hydration data of the app, which plain pages do not load), and the page
//! cannot change without a write that ends its reuse.

use axum::{
    body::{to_bytes, Body, Bytes},
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::{header, HeaderMap, Method, StatusCode};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a page is answered from memory at most.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// The most pages kept at once.
pub const MAX_ENTRIES: usize = 512;
/// The largest page kept.
pub const MAX_BODY: usize = 512 * 1024;
/// The longest key kept (path and query, and the two headers).
pub const MAX_KEY: usize = 2048;

pub struct PageCache {
    generation: AtomicU64,
    pages: Mutex<HashMap<String, Page>>,
    /// The language switch's cookie, as this site names it (`Config::cookie_name`).
    language_cookie: String,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(crate::language::choice::COOKIE.to_string())
    }
}

struct Page {
    made: Instant,
    generation: u64,
    headers: HeaderMap,
    body: Bytes,
}

/// Whether a path is one the page cache may answer: the resident pages for browsing
/// consultations and volunteering.
pub fn shared_path(path: &str) -> bool {
    ["/consultations", "/volunteer", "/what-you-can-do"]
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')))
}

/// The key for a request the cache may answer, or `None` when it must be rendered for itself.
/// `language_cookie`: the switch's cookie as this site names it.
pub fn key(method: &Method, uri: &http::Uri, headers: &HeaderMap, language_cookie: &str) -> Option<String> {
    if method != Method::GET || !shared_path(uri.path()) {
        return None;
    }
    if headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    let chosen = only_a_language_cookie(headers, language_cookie)?;
    let encoding = headers.get(header::ACCEPT_ENCODING).map(|v| v.as_bytes()).unwrap_or_default();
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = crate::language::choice::decide(None, chosen.as_deref(), accept);
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if target.len() + encoding.len() > MAX_KEY {
        return None;
    }
    Some(format!(
        "{target}
{}
{}",
        String::from_utf8_lossy(encoding),
        crate::language::choice::code(language)
    ))
}

/// The request's language cookie when it is the only cookie (`Some(None)` for no cookie at
/// all); `None` when any other cookie came, or that one came twice.
fn only_a_language_cookie(headers: &HeaderMap, name: &str) -> Option<Option<String>> {
    let mut chosen = None;
    for value in headers.get_all(header::COOKIE) {
        for pair in value.to_str().ok()?.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (n, v) = pair.split_once('=')?;
            if n != name || chosen.is_some() {
                return None;
            }
            chosen = Some(v.to_string());
        }
    }
    Some(chosen)
}

/// Whether a request may write: a later page must not come from before it.
fn may_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether an answer says the request was turned away before anything ran (the Origin guard,
/// the rate limit, a body too large, a method or type not taken): nothing was written, so
/// posts refused by the hundred do not keep residents' pages from being shared.
fn turned_away(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::FORBIDDEN
            | StatusCode::METHOD_NOT_ALLOWED
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::TOO_MANY_REQUESTS
    )
}

/// Whether an answer is the same for anyone who asks.
fn shareable(status: StatusCode, headers: &HeaderMap) -> bool {
    status == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
        && headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok()).is_none_or(|n| n <= MAX_BODY)
}

impl PageCache {
    pub fn new(language_cookie: String) -> Self {
        PageCache { generation: AtomicU64::new(0), pages: Mutex::new(HashMap::new()), language_cookie }
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Something may have been written: no page made before now is used again.
    pub fn written(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn answer(&self, key: &str, now: Instant) -> Option<Response> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        let page = pages.get(key)?;
        if page.generation != self.generation() || now.duration_since(page.made) >= FRESH_FOR {
            return None;
        }
        let mut res = Response::new(Body::from(page.body.clone()));
        *res.headers_mut() = page.headers.clone();
        Some(res)
    }

    fn keep(&self, key: String, generation: u64, made: Instant, headers: &HeaderMap, body: Bytes) {
        if generation != self.generation() {
            return; // written to while it was being made
        }
        let mut headers = headers.clone();
        headers.remove("x-request-id");
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.len() >= MAX_ENTRIES && !pages.contains_key(&key) {
            let current = self.generation();
            pages.retain(|_, p| p.generation == current && made.duration_since(p.made) < FRESH_FOR);
            if pages.len() >= MAX_ENTRIES {
                return;
            }
        }
        pages.insert(key, Page { made, generation, headers, body });
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.pages.lock().unwrap().len()
    }
}

/// The middleware: answers from memory what it can, keeps what it may, and notes every request
/// that may have written.
pub async fn layer(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    let Some(key) = key(req.method(), req.uri(), req.headers(), &cache.language_cookie) else {
        let writes = may_write(req.method());
        let res = next.run(req).await;
        if writes && !turned_away(res.status()) {
            cache.written();
        }
        return res;
    };
    let now = Instant::now();
    if let Some(res) = cache.answer(&key, now) {
        return res;
    }
    let generation = cache.generation();
    let res = next.run(req).await;
    if !shareable(res.status(), res.headers()) {
        return res;
    }
    // The whole page is read here (it is the app's own, and was to be sent anyway), and kept
    // only when small enough.
    let (parts, body) = res.into_parts();
    match to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            if bytes.len() <= MAX_BODY {
                cache.keep(key, generation, now, &parts.headers, bytes.clone());
            }
            Response::from_parts(parts, Body::from(bytes))
        }
        // The page failed while it was being rendered: what the visitor would have had is a
        // page cut short.
        Err(error) => {
            tracing::error!(%error, "a page failed while it was being rendered");
            let mut res = Response::new(Body::from("Sorry, this page could not be shown. Please try again."));
            *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), v.parse().unwrap());
        }
        h
    }

    fn page() -> HeaderMap {
        headers(&[(header::CONTENT_TYPE, "text/html; charset=utf-8")])
    }

    #[test]
    fn only_anonymous_gets_of_resident_pages_have_a_key() {
        let uri = |s: &str| s.parse::<http::Uri>().unwrap();
        let none = HeaderMap::new();
        assert!(key(&Method::GET, &uri("/consultations"), &none, "mobilise_lang").is_some());
        assert!(key(&Method::GET, &uri("/consultations/abc?sort=new"), &none, "mobilise_lang").is_some());
        assert!(key(&Method::GET, &uri("/volunteer?area=x"), &none, "mobilise_lang").is_some());
        assert!(key(&Method::GET, &uri("/what-you-can-do?theme=x"), &none, "mobilise_lang").is_some());
        assert!(key(&Method::GET, &uri("/consultationsx"), &none, "mobilise_lang").is_none());
        assert!(key(&Method::GET, &uri("/outreach"), &none, "mobilise_lang").is_none());
        assert!(key(&Method::GET, &uri("/my-data"), &none, "mobilise_lang").is_none());
        assert!(key(&Method::HEAD, &uri("/consultations"), &none, "mobilise_lang").is_none());
        assert!(key(&Method::POST, &uri("/consultations"), &none, "mobilise_lang").is_none());
        assert!(key(&Method::GET, &uri("/consultations"), &headers(&[(header::COOKIE, "a=b")]), "mobilise_lang").is_none());
        // The language switch's cookie alone is part of the key; with any other, no key.
        assert!(key(&Method::GET, &uri("/consultations"), &headers(&[(header::COOKIE, "mobilise_lang=cy")]), "mobilise_lang").is_some());
        assert!(key(
            &Method::GET,
            &uri("/consultations"),
            &headers(&[(header::COOKIE, "mobilise_lang=cy; mobilise_session=x")]),
            "mobilise_lang"
        )
        .is_none());
        assert!(key(&Method::GET, &uri("/consultations"), &headers(&[(header::COOKIE, "xmobilise_lang=cy")]), "mobilise_lang").is_none());
        assert!(key(&Method::GET, &uri("/consultations"), &headers(&[(header::COOKIE, "mobilise_lang")]), "mobilise_lang").is_none());
        // A cookie the site does not read by that name, or two of it, could file a page under
        // a language it is not in: not kept.
        assert!(
            key(&Method::GET, &uri("/consultations"), &headers(&[(header::COOKIE, "__Host-mobilise_lang=cy")]), "mobilise_lang").is_none()
        );
        assert!(key(
            &Method::GET,
            &uri("/consultations"),
            &headers(&[(header::COOKIE, "mobilise_lang=cy; mobilise_lang=en")]),
            "mobilise_lang"
        )
        .is_none());
        assert!(key(&Method::GET, &uri("/consultations"), &headers(&[(header::AUTHORIZATION, "Bearer x")]), "mobilise_lang").is_none());
        let long = format!("/consultations?q={}", "x".repeat(MAX_KEY));
        assert!(key(&Method::GET, &uri(&long), &none, "mobilise_lang").is_none());
    }

    #[test]
    fn the_key_tells_apart_what_changes_the_answer() {
        let uri = "/consultations?x=1".parse::<http::Uri>().unwrap();
        let plain = key(&Method::GET, &uri, &HeaderMap::new(), "mobilise_lang").unwrap();
        let br = key(&Method::GET, &uri, &headers(&[(header::ACCEPT_ENCODING, "br")]), "mobilise_lang").unwrap();
        let welsh = key(&Method::GET, &uri, &headers(&[(header::ACCEPT_LANGUAGE, "cy")]), "mobilise_lang").unwrap();
        let other = key(&Method::GET, &"/consultations?x=2".parse().unwrap(), &HeaderMap::new(), "mobilise_lang").unwrap();
        // Kept by the language decided, as the page is: the switch's Welsh and a browser's are one page.
        let switched = key(&Method::GET, &uri, &headers(&[(header::COOKIE, "mobilise_lang=cy")]), "mobilise_lang").unwrap();
        assert_eq!(switched, welsh);
        let back_to_english = headers(&[(header::COOKIE, "mobilise_lang=en"), (header::ACCEPT_LANGUAGE, "cy")]);
        assert_eq!(key(&Method::GET, &uri, &back_to_english, "mobilise_lang").unwrap(), plain, "the cookie wins, as it does for the page");
        let secure = headers(&[(header::COOKIE, "__Host-mobilise_lang=cy")]);
        assert_eq!(key(&Method::GET, &uri, &secure, "__Host-mobilise_lang").unwrap(), welsh);
        let all = [plain, br, welsh, other];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn only_pages_the_same_for_anyone_are_shareable() {
        assert!(shareable(StatusCode::OK, &page()));
        assert!(!shareable(StatusCode::NOT_FOUND, &page()));
        assert!(!shareable(StatusCode::SEE_OTHER, &page()));
        let mut cookie = page();
        cookie.insert(header::SET_COOKIE, "a=b".parse().unwrap());
        assert!(!shareable(StatusCode::OK, &cookie));
        assert!(!shareable(StatusCode::OK, &headers(&[(header::CONTENT_TYPE, "application/json")])));
        let mut big = page();
        big.insert(header::CONTENT_LENGTH, (MAX_BODY + 1).to_string().parse().unwrap());
        assert!(!shareable(StatusCode::OK, &big));
    }

    #[test]
    fn a_page_is_used_until_a_write_or_until_it_is_stale() {
        let cache = PageCache::default();
        let t0 = Instant::now();
        let mut h = page();
        h.insert("x-request-id", "first".parse().unwrap());
        cache.keep("k".into(), cache.generation(), t0, &h, Bytes::from_static(b"<p>hi</p>"));
        let hit = cache.answer("k", t0 + Duration::from_millis(1_900)).expect("fresh");
        assert!(hit.headers().get("x-request-id").is_none(), "the first request's id is not repeated");
        assert!(cache.answer("k", t0 + FRESH_FOR).is_none(), "stale");
        cache.written();
        assert!(cache.answer("k", t0).is_none(), "made before a write");
    }

    #[test]
    fn a_page_made_while_something_was_written_is_not_kept() {
        let cache = PageCache::default();
        let before = cache.generation();
        cache.written();
        cache.keep("k".into(), before, Instant::now(), &page(), Bytes::new());
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn it_holds_at_most_max_entries_and_makes_room_from_what_is_stale() {
        let cache = PageCache::default();
        let t0 = Instant::now();
        for i in 0..MAX_ENTRIES + 10 {
            cache.keep(format!("k{i}"), cache.generation(), t0, &page(), Bytes::new());
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        cache.keep("late".into(), cache.generation(), t0 + FRESH_FOR, &page(), Bytes::new());
        assert_eq!(cache.len(), 1, "the stale ones went to make room");
        assert!(cache.answer("late", t0 + FRESH_FOR).is_some());
    }
}
