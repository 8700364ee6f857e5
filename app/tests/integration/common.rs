//! Test harness: the real router over a real database: a fresh SQLite file for every test and,
//! when `MOBILISE_TEST_POSTGRES_URL` is set, a fresh PostgreSQL database as well.
#![allow(dead_code)]

use crate::smtp::SmtpServer;
use app::domain::{OrganisationKind, Role};
use app::server::mail::{Pass, Sender};
use app::server::{auth::hash_password, repo, AppState, Config, Db};
use axum::body::Body;
use axum::Router;
use http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";
pub const ORIGIN: &str = "http://mobilise.test";
pub const HOST: &str = "mobilise.test";

pub struct TestApp {
    pub backend: &'static str,
    pub router: Router,
    pub db: Db,
    pub config: Config,
    /// The loopback SMTP server this app's mail goes to.
    pub smtp: Arc<SmtpServer>,
    /// Asks this instance to stop, as SIGTERM does.
    pub draining: app::server::jobs::Draining,
    _dir: Option<tempfile::TempDir>,
}

/// One app per backend under test, each with its own empty, migrated database.
pub async fn apps() -> Vec<TestApp> {
    apps_with(|_| {}).await
}

pub async fn apps_with(configure: impl Fn(&mut Config)) -> Vec<TestApp> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    out.push(TestApp::new("sqlite", &url, Some(dir), &configure).await);
    if let Some(url) = postgres_database().await {
        out.push(TestApp::new("postgres", &url, None, &configure).await);
    }
    out
}

/// An app over a SQLite file in `dir` (a small disk, for the soak's disk-full fault), with
/// the other backends' apps as [`apps`] makes them.
pub async fn apps_on_sqlite_in(dir: &std::path::Path) -> Vec<TestApp> {
    let url = format!("sqlite://{}?mode=rwc", dir.join("soak.db").display());
    let mut out = vec![TestApp::new("sqlite", &url, None, &|_: &mut Config| {}).await];
    if let Some(url) = postgres_database().await {
        out.push(TestApp::new("postgres", &url, None, &|_: &mut Config| {}).await);
    }
    out
}

/// Creates a new database on the test PostgreSQL server and returns its URL.
pub async fn postgres_database() -> Option<String> {
    let server = match std::env::var("MOBILISE_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var("MOBILISE_TEST_POSTGRES").as_deref() != Ok("1"),
                "MOBILISE_TEST_POSTGRES=1 but MOBILISE_TEST_POSTGRES_URL is not set"
            );
            return None;
        }
    };
    sqlx::any::install_default_drivers();
    let name = format!("mobilise_t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::AnyPool::connect(&format!("{server}/postgres")).await.expect("connect to test PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create test database");
    admin.close().await;
    Some(format!("{server}/{name}"))
}

impl TestApp {
    async fn new(backend: &'static str, url: &str, dir: Option<tempfile::TempDir>, configure: &impl Fn(&mut Config)) -> TestApp {
        // Administrators here sign in with a password alone, so the many stories that need one
        // stay about what they test; the second factor's own tests turn the requirement back on
        // (see hardening.rs), as it is in every real deployment.
        let mut config = Config { database_url: url.to_string(), require_admin_second_factor: false, ..Config::default() };
        let smtp = Arc::new(SmtpServer::start().await);
        config.mail.smtp_url = Some(smtp.url());
        config.mail.from = "Riverside Council <no-reply@mobilise.test>".into();
        configure(&mut config);
        let db = Db::connect(url).await.unwrap_or_else(|e| panic!("{backend}: {e}"));
        let state = Self::state_for(&db, &config).await;
        let draining = state.draining.clone();
        let router = app::server::router(state);
        TestApp { backend, router, db, config, smtp, draining, _dir: dir }
    }

    async fn state_for(db: &Db, config: &Config) -> AppState {
        let leptos_options = LeptosOptions::builder().output_name("mobilise").build();
        AppState::new(leptos_options, db.clone(), Arc::new(config.clone())).await.expect("application state")
    }

    pub async fn router_for(db: &Db, config: &Config) -> Router {
        app::server::router(Self::state_for(db, config).await)
    }

    /// A second app instance over the same database (as behind a load balancer).
    pub async fn another_instance(&self) -> Router {
        Self::router_for(&self.db, &self.config).await
    }

    pub async fn organisation(&self, name: &str) -> String {
        repo::organisations::insert(&self.db, name, OrganisationKind::Council, 1_700_000_000).await.unwrap()
    }

    /// A user who can sign in with [`PASSWORD`].
    pub async fn user(&self, organisation_id: &str, email: &str, role: Role) -> String {
        let hash = hash_password(PASSWORD.to_string()).await.unwrap();
        repo::users::insert(
            &self.db,
            repo::users::NewUser {
                organisation_id,
                email,
                display_name: &display_name(email),
                role,
                password_hash: Some(&hash),
                created_by: None,
                email_verified: true,
            },
            1_700_000_000,
        )
        .await
        .unwrap()
    }

    /// A mail sender for this app's database, as an app instance runs one.
    pub fn sender(&self) -> Sender {
        Sender::from_config(&self.config.mail).expect("mail sender")
    }

    /// Sends everything that is due now, as the background sender would.
    pub async fn deliver(&self) -> Pass {
        self.sender().send_all_due(&self.db, app::server::now).await.expect("send mail")
    }

    /// Waits (up to 5 s) until `sql`'s count reaches `expected`: for work a request hands to a
    /// task of its own so that its answer takes the same time whatever it finds.
    pub async fn wait_for_count(&self, sql: &str, expected: i64) {
        for _ in 0..500 {
            if self.count(sql).await >= expected {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("{}: {sql} never reached {expected}", self.backend);
    }

    /// Sends what is due and returns the path of the link (starting `path_prefix`, like
    /// `/invite/`) in the newest message to `to`, as the person would follow it.
    pub async fn emailed_link(&self, to: &str, path_prefix: &str) -> String {
        self.deliver().await;
        let mail = self.smtp.to(to);
        let newest = mail.last().unwrap_or_else(|| panic!("{}: no mail to {to}", self.backend));
        let text = newest.text();
        let start = text.find(path_prefix).unwrap_or_else(|| panic!("{}: no {path_prefix} link in {text}", self.backend));
        text[start..].split_whitespace().next().unwrap().to_string()
    }

    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.db).await.unwrap()
    }
}

fn display_name(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let mut c = local.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + " Tester",
        None => "Tester".into(),
    }
}

/// A browser-like client: keeps its session cookie (and the mark of a staff device, which
/// outlives sessions) and sends this site's Origin on posts.
#[derive(Clone)]
pub struct Client {
    router: Router,
    pub cookie: Option<String>,
    pub device: Option<String>,
    /// The language switch's cookie, which outlives sessions too.
    pub language: Option<String>,
    pub forwarded_for: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (for downloads that are not text).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The body with the hydration markers (`<!>`) taken out, as a person would read it.
    pub fn text(&self) -> String {
        self.body.replace("<!>", "")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Client {
    pub fn new(router: Router) -> Self {
        Client { router, cookie: None, device: None, language: None, forwarded_for: None }
    }

    pub fn on(&self, router: Router) -> Self {
        Client { router, ..self.clone() }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Reply {
        // A request that never answers fails the test with its address, rather than hanging it.
        let what = format!("{} {}", req.method(), req.uri());
        let res = tokio::time::timeout(std::time::Duration::from_secs(30), self.router.clone().oneshot(req))
            .await
            .unwrap_or_else(|_| panic!("no answer in 30 s to {what}"))
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap().to_string();
            let expired = value.contains("Max-Age=0") || pair.ends_with('=');
            if pair.contains("mobilise_device=") {
                self.device = Some(pair);
            } else if pair.contains("mobilise_lang=") {
                self.language = Some(pair);
            } else {
                self.cookie = if expired { None } else { Some(pair) };
            }
        }
        let bytes = tokio::time::timeout(std::time::Duration::from_secs(30), res.into_body().collect())
            .await
            .unwrap_or_else(|_| panic!("the body of {what} did not finish in 30 s"))
            .unwrap()
            .to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub fn request(&self, method: Method, path: &str) -> http::request::Builder {
        let mut b = Request::builder().method(method).uri(path).header(header::HOST, HOST);
        let cookies: Vec<&str> = [&self.cookie, &self.device, &self.language].into_iter().flatten().map(String::as_str).collect();
        if !cookies.is_empty() {
            b = b.header(header::COOKIE, cookies.join("; "));
        }
        if let Some(ip) = &self.forwarded_for {
            b = b.header("x-forwarded-for", ip);
        }
        b
    }

    /// Calls a server function the way the hydrated app does (form-encoded, JSON back).
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.call_in(endpoint, form, None).await
    }

    /// `call`, from a browser that asks for `accept_language` (if any).
    pub async fn call_in(&mut self, endpoint: &str, form: &[(&str, &str)], accept_language: Option<&str>) -> Reply {
        let body = encode(form);
        let mut req = self
            .request(Method::POST, &format!("/api/{endpoint}"))
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(accept) = accept_language {
            req = req.header(header::ACCEPT_LANGUAGE, accept);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Posts `fields` to a server function that takes its form as one struct argument, `form`
    /// (as the pages' forms do): each field goes as `form[name]` (`form[name][]` for a list),
    /// except the ids and buttons that are arguments of their own.
    pub async fn call_form(&mut self, endpoint: &str, fields: &[(&str, &str)]) -> Reply {
        const OUTSIDE: [&str; 3] = ["publish", "opportunity_id", "consultation_id"];
        let named: Vec<(String, &str)> = fields
            .iter()
            .map(|(k, v)| match k.strip_suffix("[]") {
                _ if OUTSIDE.contains(k) => (k.to_string(), *v),
                Some(list) => (format!("form[{list}][]"), *v),
                None => (format!("form[{k}]"), *v),
            })
            .collect();
        let pairs: Vec<(&str, &str)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        self.call(endpoint, &pairs).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.page_in(path, None).await
    }

    /// A page, asking for `accept_language` (if any) as a browser would.
    pub async fn page_in(&mut self, path: &str, accept_language: Option<&str>) -> Reply {
        let mut req = self.request(Method::GET, path).header(header::ACCEPT, "text/html");
        if let Some(accept) = accept_language {
            req = req.header(header::ACCEPT_LANGUAGE, accept);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Reply {
        self.call("auth/login", &[("email", email), ("password", password)]).await
    }

    /// The signed-in user's JSON, or `null`.
    pub async fn me(&mut self) -> serde_json::Value {
        let r = self.call("auth/me", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
}

pub fn encode(form: &[(&str, &str)]) -> String {
    form.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An organisation's lists for outreach tests.
pub struct Lists {
    pub area: String,
    pub other_area: String,
    pub theme: String,
    pub other_theme: String,
    pub service: String,
    pub interest: String,
}

impl TestApp {
    pub async fn lists(&self, org: &str) -> Lists {
        use app::server::repo::outreach::insert_named;
        let p = &self.db;
        Lists {
            area: insert_named(p, "areas", org, "Mill Ward").await.unwrap(),
            other_area: insert_named(p, "areas", org, "River Ward").await.unwrap(),
            theme: insert_named(p, "themes", org, "Damp and mould").await.unwrap(),
            other_theme: insert_named(p, "themes", org, "Antisocial behaviour").await.unwrap(),
            service: insert_named(p, "services", org, "Housing repairs").await.unwrap(),
            interest: insert_named(p, "interests", org, "Gardening").await.unwrap(),
        }
    }
}

/// Whether a page carries the app's scripts: its JavaScript and wasm under /pkg/ (the stylesheet
/// there is for all).
pub fn carries_app(r: &Reply) -> bool {
    r.body.split("/pkg/").skip(1).any(|rest| rest.split('"').next().is_some_and(|f| f.ends_with(".js") || f.ends_with(".wasm")))
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A sync item as a device makes it.
pub fn item(id: &str, kind: &str, payload: serde_json::Value) -> serde_json::Value {
    serde_json::json!({ "id": id, "kind": kind, "schema": 1, "payload": payload, "created_on_device_at": 1_800_000_000 })
}

/// A doorstep conversation in `area` with nothing else recorded.
pub fn doorstep(area: &str) -> serde_json::Value {
    serde_json::json!({
        "kind": "doorstep", "area_id": area, "address": "12 Mill Lane", "occurred_at": 1_790_000_000,
        "outcome": "talked", "issues": [], "action": { "action": "no_action" }, "felt_heard": 4, "notes": "Spoke about the park"
    })
}

impl Client {
    /// Pushes a batch through the sync endpoint, as the outbox does.
    pub async fn push(&mut self, items: Vec<serde_json::Value>) -> Reply {
        self.push_body(serde_json::json!({ "batch": { "device_id": "tablet-1", "items": items } })).await
    }

    /// Pushes any JSON body through the sync endpoint.
    pub async fn push_body(&mut self, body: serde_json::Value) -> Reply {
        let body = body.to_string();
        let req = self
            .request(Method::POST, "/api/sync/v1/push")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// The outcome of each item, in order ("stored", "already_stored", ...).
    pub async fn push_outcomes(&mut self, items: Vec<serde_json::Value>) -> Vec<String> {
        let r = self.push(items).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()["results"].as_array().unwrap().iter().map(|x| x["outcome"].as_str().unwrap().to_string()).collect()
    }
}
