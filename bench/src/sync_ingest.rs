//! Sync ingest benchmark: interactions per second through the real sync server function over
//! HTTP (session, CSRF check, JSON, validation, de-duplication, one transaction per batch),
//! against a raw batched, prepared SQLite insert of the same rows, in the same run.
//!
//!   scripts/bench.sh            # 20,000 interactions in batches of 100
//!   BENCH_ROWS=50000 scripts/bench.sh

use app::domain::Role;
use app::server::{auth::hash_password, repo, AppState, Config, Db};
use axum::serve::ListenerExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

const BATCH: usize = 100;

fn payload(area: &str, i: usize) -> serde_json::Value {
    serde_json::json!({
        "kind": "doorstep", "area_id": area, "address": format!("{} Mill Lane", i % 300), "occurred_at": 1_800_000_000 + i as i64,
        "outcome": "talked", "issues": [], "action": { "action": "resolved_on_the_spot" }, "felt_heard": (i % 5 + 1),
        "notes": "Spoke about the state of the play area and the bins on collection day."
    })
}

#[tokio::main]
async fn main() {
    if let Ok(filter) = std::env::var("BENCH_LOG") {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).init();
    }
    let rows: usize = std::env::var("BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap();

    // --- the app, on a real socket, over a fresh SQLite file ---
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("app.db").display());
    let db = Db::connect(&url).await.unwrap();
    let org = repo::organisations::insert(&db.pool, "Bench Council", app::domain::OrganisationKind::Council, 1).await.unwrap();
    let hash = hash_password("bench password 123".into()).await.unwrap();
    repo::users::insert(
        &db.pool,
        repo::users::NewUser { organisation_id: &org, email: "bench@example.org", display_name: "Bench", role: Role::OutreachWorker, password_hash: Some(&hash), created_by: None },
        1,
    )
    .await
    .unwrap();
    let area = repo::outreach::insert_named(&db.pool, "areas", &org, "Mill Ward").await.unwrap();
    let config = Config { database_url: url, ..Config::default() };
    let state = AppState { leptos_options: LeptosOptions::builder().output_name("mobilise").build(), db: db.clone(), config: Arc::new(config) };
    let router = app::server::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let listener = listener.tap_io(|t| {
        let _ = t.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await });

    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let origin = format!("http://{addr}");
    let post = |path: &str, ctype: &str, body: String, cookie: Option<&str>| {
        let mut b = http::Request::post(format!("{origin}{path}")).header("origin", &origin).header("content-type", ctype);
        if let Some(c) = cookie {
            b = b.header("cookie", c);
        }
        b.body(Full::new(Bytes::from(body))).unwrap()
    };
    let res = client
        .request(post("/api/auth/login", "application/x-www-form-urlencoded", "email=bench%40example.org&password=bench+password+123".into(), None))
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign in");
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();

    let ids: Vec<String> = (0..rows).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let bodies: Vec<String> = ids
        .chunks(BATCH)
        .enumerate()
        .map(|(b, chunk)| {
            let items: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(j, id)| serde_json::json!({ "id": id, "kind": "interaction", "schema": 1, "payload": payload(&area, b * BATCH + j), "created_on_device_at": 1_800_000_000 }))
                .collect();
            serde_json::json!({ "batch": { "device_id": "bench-tablet", "items": items } }).to_string()
        })
        .collect();

    let send_all = |expect: &'static str| {
        let (client, bodies, cookie) = (client.clone(), bodies.clone(), cookie.clone());
        let post = post.clone();
        async move {
            let start = Instant::now();
            for body in bodies {
                let res = client.request(post("/api/sync/v1/push", "application/json", body, Some(&cookie))).await.unwrap();
                assert_eq!(res.status(), 200);
                let bytes = res.into_body().collect().await.unwrap().to_bytes();
                let text = std::str::from_utf8(&bytes).unwrap();
                assert!(!text.contains("rejected") && text.contains(expect), "{text}");
            }
            start.elapsed()
        }
    };
    let http_time = send_all("\"stored\"").await;
    let replay_time = send_all("already_stored").await;
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM interactions").fetch_one(&db.pool).await.unwrap();
    assert_eq!(held as usize, rows, "every interaction stored exactly once");

    // --- raw: the same rows through one prepared statement, 100 per transaction, straight into
    // SQLite's C API (rusqlite; no async layer, no HTTP), same schema, journal mode, durability
    // and foreign-key checks ---
    let raw_path = dir.path().join("raw.db");
    {
        let setup = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&raw_path).create_if_missing(true))
            .await
            .unwrap();
        sqlx::migrate!("../migrations/sqlite").run(&setup).await.unwrap();
        setup.close().await;
    }
    let raw_ids = ids.clone();
    let (raw_org, raw_area) = (org.clone(), area.clone());
    let raw_time = tokio::task::spawn_blocking(move || {
        let mut conn = rusqlite::Connection::open(&raw_path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        // The same constraints the app's database enforces (sqlx turns foreign keys on).
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        conn.execute("INSERT INTO organisations (id, name, kind, created_at) VALUES (?1, 'Raw', 'council', 1)", [&raw_org]).unwrap();
        conn.execute("INSERT INTO users (id, organisation_id, email, display_name, role, active, created_at) VALUES ('u', ?1, 'r@x', 'R', 'outreach_worker', 1, 1)", [&raw_org]).unwrap();
        conn.execute("INSERT INTO areas (id, organisation_id, name) VALUES (?1, ?2, 'Mill Ward')", [&raw_area, &raw_org]).unwrap();
        let start = Instant::now();
        for (b, chunk) in raw_ids.chunks(BATCH).enumerate() {
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
                        raw_org,
                        raw_area,
                        format!("{} Mill Lane", i % 300),
                        1_800_000_000 + i as i64,
                        (i % 5 + 1) as i64,
                        "Spoke about the state of the play area and the bins on collection day."
                    ])
                    .unwrap();
                }
            }
            tx.commit().unwrap();
        }
        start.elapsed()
    })
    .await
    .unwrap();

    // --- second baseline: the same rows through the app's own driver (sqlx, Any pool), 50-row
    // prepared statements, 100 per transaction, no HTTP: the ceiling for any code on this stack ---
    let diag_url = format!("sqlite://{}?mode=rwc", dir.path().join("diag.db").display());
    let diag = Db::connect(&diag_url).await.unwrap();
    sqlx::query("INSERT INTO organisations (id, name, kind, created_at) VALUES ($1, 'D', 'council', 1)").bind(&org).execute(&diag.pool).await.unwrap();
    sqlx::query("INSERT INTO users (id, organisation_id, email, display_name, role, active, created_at) VALUES ('u', $1, 'r@x', 'R', 'outreach_worker', 1, 1)").bind(&org).execute(&diag.pool).await.unwrap();
    sqlx::query("INSERT INTO areas (id, organisation_id, name) VALUES ($1, $2, 'Mill Ward')").bind(&area).bind(&org).execute(&diag.pool).await.unwrap();
    let start = Instant::now();
    for (b, chunk) in ids.chunks(BATCH).enumerate() {
        let mut tx = diag.pool.begin().await.unwrap();
        for (c, sub) in chunk.chunks(50).enumerate() {
            let mut sql = String::from("INSERT INTO interactions (id, organisation_id, worker_id, kind, area_id, address, occurred_at, outcome, action, felt_heard, notes, schema_version, device_id, created_on_device_at, received_at) VALUES ");
            let mut n = 0;
            for r in 0..sub.len() {
                if r > 0 { sql.push_str(", "); }
                sql.push('(');
                for k in 0..15 { n += 1; if k > 0 { sql.push_str(", "); } sql.push_str(&format!("${n}")); }
                sql.push(')');
            }
            let mut q = sqlx::query(&sql);
            for (j, id) in sub.iter().enumerate() {
                let i = b * BATCH + c * 50 + j;
                q = q.bind(id.clone()).bind(org.clone()).bind("u").bind("doorstep").bind(area.clone()).bind(format!("{} Mill Lane", i % 300))
                    .bind(1_800_000_000 + i as i64).bind("talked").bind("resolved_on_the_spot").bind((i % 5 + 1) as i64)
                    .bind("Spoke about the state of the play area and the bins on collection day.").bind(1_i64).bind("d").bind(1_800_000_000_i64).bind(1_800_000_000_i64);
            }
            q.execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    let any_time = start.elapsed();

    let rate = |t: std::time::Duration| rows as f64 / t.as_secs_f64();
    println!("sync ingest benchmark: {rows} interactions, batches of {BATCH}, SQLite (WAL), 1 client connection");
    println!("  through the sync server function over HTTP: {:>9.0} interactions/s ({:.2} s)", rate(http_time), http_time.as_secs_f64());
    println!("  replayed (all already stored, de-duplicated): {:>9.0} interactions/s ({:.2} s)", rate(replay_time), replay_time.as_secs_f64());
    println!("  raw batched prepared insert, SQLite C API:   {:>9.0} interactions/s ({:.2} s)", rate(raw_time), raw_time.as_secs_f64());
    println!("  raw batched insert through sqlx (the stack's driver):  {:>9.0} interactions/s ({:.2} s)", rate(any_time), any_time.as_secs_f64());
    println!("  ratio HTTP / raw C API: {:.0}%  (target: at least 50%)", 100.0 * rate(http_time) / rate(raw_time));
    println!("  ratio HTTP / raw through sqlx: {:.0}%", 100.0 * rate(http_time) / rate(any_time));
}
