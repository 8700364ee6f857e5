//! Sync ingest benchmark: interactions per second through the real sync server function over
//! HTTP (session, CSRF check, JSON, validation, de-duplication, one transaction per batch,
//! compressed response as a browser asks for it), against a raw batched, prepared SQLite insert
//! of the same rows through SQLite's C API, in the same run. Each figure is the median of
//! several rounds, each on a fresh database file.
//!
//!   scripts/bench.sh                       # 20,000 interactions in batches of 100, 5 rounds
//!   BENCH_ROWS=50000 BENCH_ROUNDS=3 scripts/bench.sh

use app::domain::Role;
use app::server::{auth::hash_password, repo, AppState, Config, Db};
use axum::serve::ListenerExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use tower_http::decompression::{Decompression, DecompressionLayer};

const BATCH: usize = 100;
/// Tablets syncing at the same moment in the concurrent phases: a team coming back into
/// signal together, and the end of a shift across a larger organisation, by when the server is
/// saturated (more tablets no longer raise the rate on this machine).
const TABLETS: [usize; 2] = [4, 16];
const NOTES: &str = "Spoke about the state of the play area and the bins on collection day.";

type HttpClient = Decompression<Client<HttpConnector, Full<Bytes>>>;

/// A running server over its own fresh SQLite file, with one worker signed in `sessions` times.
struct App {
    origin: String,
    client: HttpClient,
    cookies: Vec<String>,
    db: Db,
    area: String,
}

impl App {
    async fn start(dir: &Path, name: &str, sessions: usize) -> App {
        let url = format!("sqlite://{}?mode=rwc", dir.join(format!("{name}.db")).display());
        let db = Db::connect(&url).await.unwrap();
        let org = repo::organisations::insert(&db, "Bench Council", app::domain::OrganisationKind::Council, 1).await.unwrap();
        let hash = hash_password("bench password 123".into()).await.unwrap();
        let new_user = repo::users::NewUser {
            organisation_id: &org,
            email: "bench@example.org",
            display_name: "Bench",
            role: Role::OutreachWorker,
            password_hash: Some(&hash),
            created_by: None,
            email_verified: true,
        };
        repo::users::insert(&db, new_user, 1).await.unwrap();
        let area = repo::outreach::insert_named(&db, "areas", &org, "Mill Ward").await.unwrap();
        let config = Config { database_url: url, ..Config::default() };
        let state = AppState::new(LeptosOptions::builder().output_name("mobilise").build(), db.clone(), Arc::new(config)).await.unwrap();
        let router = app::server::router(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let listener = listener.tap_io(|t| {
            let _ = t.set_nodelay(true);
        });
        tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await });
        let client =
            tower::ServiceBuilder::new().layer(DecompressionLayer::new()).service(Client::builder(TokioExecutor::new()).build_http());
        let mut app = App { origin: format!("http://{addr}"), client, cookies: Vec::new(), db, area };
        for _ in 0..sessions {
            let body = "email=bench%40example.org&password=bench+password+123".to_string();
            let res =
                app.client.clone().oneshot(app.post("/api/auth/login", "application/x-www-form-urlencoded", body, None)).await.unwrap();
            assert_eq!(res.status(), 200, "sign in");
            let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
            app.cookies.push(cookie);
        }
        app
    }

    /// A request as a browser sends it: same-origin, and asking for a compressed answer.
    fn post(&self, path: &str, ctype: &str, body: String, cookie: Option<&str>) -> http::Request<Full<Bytes>> {
        let mut b = http::Request::post(format!("{}{path}", self.origin))
            .header("origin", &self.origin)
            .header("content-type", ctype)
            .header("accept-encoding", "gzip, deflate, br, zstd");
        if let Some(c) = cookie {
            b = b.header("cookie", c);
        }
        b.body(Full::new(Bytes::from(body))).unwrap()
    }

    /// Sends `bodies` one after another on session `session`; every item must get `expect`.
    async fn send(&self, session: usize, bodies: &[String], expect: &str) {
        for body in bodies {
            let req = self.post("/api/sync/v1/push", "application/json", body.clone(), Some(&self.cookies[session]));
            let res = self.client.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), 200);
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            let text = std::str::from_utf8(&bytes).unwrap();
            assert!(!text.contains("rejected") && text.contains(expect), "{text}");
        }
    }

    async fn held(&self) -> usize {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM interactions").fetch_one(&self.db).await.unwrap();
        n as usize
    }
}

fn payload(area: &str, i: usize) -> serde_json::Value {
    serde_json::json!({
        "kind": "doorstep", "area_id": area, "address": format!("{} Mill Lane", i % 300), "occurred_at": 1_790_000_000 + i as i64,
        "outcome": "talked", "issues": [], "action": { "action": "resolved_on_the_spot" }, "felt_heard": (i % 5 + 1), "notes": NOTES
    })
}

/// The sync request bodies for `ids`, in batches of `BATCH`, as device `device` sends them.
fn bodies(ids: &[String], area: &str, device: &str) -> Vec<String> {
    ids.chunks(BATCH)
        .enumerate()
        .map(|(b, chunk)| {
            let items: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(j, id)| {
                    serde_json::json!({ "id": id, "kind": "interaction", "schema": 1, "payload": payload(area, b * BATCH + j), "created_on_device_at": 1_800_000_000 })
                })
                .collect();
            serde_json::json!({ "batch": { "device_id": device, "items": items } }).to_string()
        })
        .collect()
}

fn new_ids(rows: usize) -> Vec<String> {
    (0..rows).map(|_| uuid::Uuid::new_v4().to_string()).collect()
}

/// One tablet: every batch in turn, then the same batches again (all replays).
async fn one_tablet(dir: &Path, round: usize, rows: usize) -> (Duration, Duration) {
    let app = App::start(dir, &format!("one-{round}"), 1).await;
    let ids = new_ids(rows);
    let bodies = bodies(&ids, &app.area, "tablet-1");
    let start = Instant::now();
    app.send(0, &bodies, "\"stored\"").await;
    let new = start.elapsed();
    let start = Instant::now();
    app.send(0, &bodies, "already_stored").await;
    let replay = start.elapsed();
    assert_eq!(app.held().await, rows, "every interaction stored exactly once");
    (new, replay)
}

/// `tablets` tablets, each with its own session and its share of the rows, syncing at once.
async fn many_tablets(dir: &Path, round: usize, rows: usize, tablets: usize) -> Duration {
    let app = Arc::new(App::start(dir, &format!("many-{tablets}-{round}"), tablets).await);
    let ids = new_ids(rows);
    let shares: Vec<Vec<String>> =
        ids.chunks(rows.div_ceil(tablets)).enumerate().map(|(t, share)| bodies(share, &app.area, &format!("tablet-{t}"))).collect();
    let start = Instant::now();
    let tasks: Vec<_> = shares
        .into_iter()
        .enumerate()
        .map(|(t, share)| {
            let app = app.clone();
            tokio::spawn(async move { app.send(t, &share, "\"stored\"").await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = start.elapsed();
    assert_eq!(app.held().await, rows, "every interaction stored exactly once");
    elapsed
}

/// The raw baseline: the same rows through one prepared statement, 100 per transaction,
/// straight into SQLite's C API (rusqlite; no async layer, no HTTP), with the same schema,
/// journal mode, durability and foreign-key checks as the app's database.
fn raw_c_api(dir: &Path, round: usize, ids: &[String], org: &str, area: &str) -> Duration {
    let path = dir.join(format!("raw-{round}.db"));
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    for migration in ["20261127000001_foundation.sql", "20261127000002_outreach.sql"] {
        let sql = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/sqlite").join(migration)).unwrap();
        conn.execute_batch(&sql).unwrap();
    }
    conn.execute("INSERT INTO organisations (id, name, kind, created_at) VALUES (?1, 'Raw', 'council', 1)", [org]).unwrap();
    conn.execute(
        "INSERT INTO users (id, organisation_id, email, display_name, role, active, created_at) VALUES ('u', ?1, 'r@x', 'R', 'outreach_worker', 1, 1)",
        [org],
    )
    .unwrap();
    conn.execute("INSERT INTO areas (id, organisation_id, name) VALUES (?1, ?2, 'Mill Ward')", [area, org]).unwrap();
    let start = Instant::now();
    for (b, chunk) in ids.chunks(BATCH).enumerate() {
        let tx = conn.transaction().unwrap();
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO interactions (id, organisation_id, worker_id, kind, event_id, area_id, address, occurred_at, outcome, action, \
                     service_id, felt_heard, notes, resident_id, involvement, schema_version, device_id, created_on_device_at, received_at) \
                     VALUES (?1, ?2, 'u', 'doorstep', NULL, ?3, ?4, ?5, 'talked', 'resolved_on_the_spot', NULL, ?6, ?7, NULL, NULL, 1, 'raw', 1800000000, 1800000000)",
                )
                .unwrap();
            for (j, id) in chunk.iter().enumerate() {
                let i = b * BATCH + j;
                stmt.execute(rusqlite::params![
                    id,
                    org,
                    area,
                    format!("{} Mill Lane", i % 300),
                    1_800_000_000 + i as i64,
                    (i % 5 + 1) as i64,
                    NOTES
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    start.elapsed()
}

/// The stack's own ceiling: the same rows through sqlx (the app's driver and pool), one
/// multi-row statement per batch, one transaction per batch, no HTTP.
async fn raw_sqlx(dir: &Path, round: usize, ids: &[String], org: &str, area: &str) -> Duration {
    let url = format!("sqlite://{}?mode=rwc", dir.join(format!("sqlx-{round}.db")).display());
    let db = Db::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO organisations (id, name, kind, created_at) VALUES (?, 'D', 'council', 1)")
        .bind(org)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO users (id, organisation_id, email, display_name, role, active, created_at) VALUES ('u', ?, 'r@x', 'R', 'outreach_worker', 1, 1)")
        .bind(org)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO areas (id, organisation_id, name) VALUES (?, ?, 'Mill Ward')")
        .bind(area)
        .bind(org)
        .execute(&db)
        .await
        .unwrap();
    let start = Instant::now();
    for (b, chunk) in ids.chunks(BATCH).enumerate() {
        let mut tx = db.pool.begin().await.unwrap();
        let row = "(?, ?, 'u', 'doorstep', ?, ?, ?, 'talked', 'resolved_on_the_spot', ?, ?, 1, 'd', 1800000000, 1800000000)";
        let sql = format!(
            "INSERT INTO interactions (id, organisation_id, worker_id, kind, area_id, address, occurred_at, outcome, action, felt_heard, notes, \
             schema_version, device_id, created_on_device_at, received_at) VALUES {}",
            vec![row; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (j, id) in chunk.iter().enumerate() {
            let i = b * BATCH + j;
            q = q
                .bind(id.clone())
                .bind(org.to_string())
                .bind(area.to_string())
                .bind(format!("{} Mill Lane", i % 300))
                .bind(1_800_000_000 + i as i64);
            q = q.bind((i % 5 + 1) as i64).bind(NOTES);
        }
        q.execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    start.elapsed()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    if let Ok(filter) = std::env::var("BENCH_LOG") {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).init();
    }
    let rows: usize = std::env::var("BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5).max(1);
    let dir = tempfile::tempdir().unwrap();
    let rate = |t: Duration| rows as f64 / t.as_secs_f64();

    let (mut http_one, mut replay, mut raw, mut via_sqlx) = (vec![], vec![], vec![], vec![]);
    let mut http_many: Vec<Vec<f64>> = vec![vec![]; TABLETS.len()];
    for round in 0..rounds {
        // The paths take turns within a round, so a slow spell on the machine hits them alike.
        let (new, again) = one_tablet(dir.path(), round, rows).await;
        http_one.push(rate(new));
        replay.push(rate(again));
        for (k, &tablets) in TABLETS.iter().enumerate() {
            http_many[k].push(rate(many_tablets(dir.path(), round, rows, tablets).await));
        }
        let (ids, org, area) = (new_ids(rows), uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        let raw_dir = dir.path().to_path_buf();
        let (raw_ids, raw_org, raw_area) = (ids.clone(), org.clone(), area.clone());
        let t = tokio::task::spawn_blocking(move || raw_c_api(&raw_dir, round, &raw_ids, &raw_org, &raw_area)).await.unwrap();
        raw.push(rate(t));
        via_sqlx.push(rate(raw_sqlx(dir.path(), round, &ids, &org, &area).await));
        let many: Vec<String> = TABLETS.iter().zip(&http_many).map(|(t, v)| format!("{t} tablets {:.0}/s", v[round])).collect();
        eprintln!(
            "round {}: HTTP 1 tablet {:.0}/s, {}, replay {:.0}/s, raw C API {:.0}/s, raw sqlx {:.0}/s",
            round + 1,
            http_one[round],
            many.join(", "),
            replay[round],
            raw[round],
            via_sqlx[round]
        );
    }
    let (http_one, replay, raw, via_sqlx) = (median(http_one), median(replay), median(raw), median(via_sqlx));
    let http_many: Vec<f64> = http_many.into_iter().map(median).collect();
    println!("sync ingest benchmark: {rows} interactions, batches of {BATCH}, SQLite (WAL, synchronous=FULL), median of {rounds} rounds");
    println!(
        "  through the sync server function over HTTP, 1 tablet:           {http_one:>7.0} interactions/s  ({:.0}% of raw)",
        100.0 * http_one / raw
    );
    for (tablets, rate) in TABLETS.iter().zip(&http_many) {
        println!(
            "  through the sync server function over HTTP, {tablets:>2} tablets at once: {rate:>7.0} interactions/s  ({:.0}% of raw)",
            100.0 * rate / raw
        );
    }
    println!("  replayed by 1 tablet (all already stored, de-duplicated):        {replay:>7.0} interactions/s");
    println!("  raw batched prepared insert, SQLite C API (rusqlite):            {raw:>7.0} interactions/s");
    println!("  raw batched multi-row insert through sqlx (the stack's driver):  {via_sqlx:>7.0} interactions/s");
    let best = http_many.iter().cloned().fold(http_one, f64::max);
    println!(
        "  server ingest capacity (best of the above) / raw C API: {:.0}%  (target: at least 50%); one tablet alone waits for its own commit each batch: {:.0}%",
        100.0 * best / raw,
        100.0 * http_one / raw
    );
}
