//! Two instances of the release server on one private PostgreSQL, as a large organisation runs
//! them behind a load balancer. Started together on an empty database (the migrations and the
//! demo data made once), with tablets syncing to both at random:
//! - a session made on one instance works on the other;
//! - a batch sent to one and replayed to the other is `already_stored` there;
//! - the day's retention run, which both instances look for every second, changes each record once;
//! - each queued message reaches the loopback SMTP server once;
//! - the dashboard's counts, kept by both, equal a rebuild from scratch at the end.
//!
//! Run by `scripts/test.sh` after the release build (it needs PostgreSQL and the binary):
//! `MOBILISE_SERVER_BIN=$PWD/target/server-release/server cargo test -p server --test instances -- --ignored`
//! (an absolute path: the test runs in `server/`).

#[allow(dead_code)]
#[path = "../../app/tests/integration/smtp.rs"]
mod smtp;

use app::server::Db;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const TABLETS: usize = 6;
const BATCHES: usize = 5;
const PER_BATCH: usize = 20;
/// Of each tablet's conversations, those from 90 days ago (past a one-month retention period).
const OLD_PER_TABLET: usize = 10;
const RESIDENTS: usize = 12;
const PASSWORD: &str = "mobilise-demo-2026";

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    /// Every cookie it sets, as a `Cookie` header sends them back.
    fn cookie(&self) -> Option<String> {
        let all: Vec<&str> = self
            .head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, value)| value.trim().split(';').next().unwrap_or(""))
            .collect();
        all.iter().any(|c| c.contains("session")).then(|| all.join("; "))
    }
}

/// One HTTP/1.1 request on its own connection, as a browser on the same origin sends it.
fn http(port: u16, method: &str, path: &str, body: Option<(&str, &str)>, cookie: Option<&str>) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    let (ctype, data) = body.unwrap_or(("", ""));
    if body.is_some() {
        req.push_str(&format!("Content-Type: {ctype}\r\nContent-Length: {}\r\n", data.len()));
    }
    req.push_str("\r\n");
    req.push_str(data);
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let chunked = head.lines().any(|l| l.to_ascii_lowercase().starts_with("transfer-encoding:") && l.contains("chunked"));
    let body = if chunked { dechunk(rest) } else { rest.to_string() };
    Ok(Reply { status, head: head.to_string(), body })
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Instance {
    port: u16,
    child: Child,
    log: std::path::PathBuf,
}

impl Instance {
    fn start(bin: &str, database_url: &str, smtp: &str, dir: &std::path::Path, name: &str) -> Instance {
        let port = free_port();
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(bin)
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", dir)
            .env("LEPTOS_OUTPUT_NAME", "mobilise")
            .env("MOBILISE_DEMO", "1")
            .env("MOBILISE_SMTP_URL", smtp)
            .env("MOBILISE_MAIL_FROM", "Riverside Borough Council <no-reply@riverside.example>")
            .env("MOBILISE_JOBS_CHECK_SECONDS", "1")
            .env("MOBILISE_DRAIN_SECONDS", "1")
            .env("MOBILISE_DB_POOL_SIZE", "8")
            .env("MOBILISE_LOG", "info,sqlx=warn")
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("start {bin}: {e}"));
        Instance { port, child, log }
    }

    fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Ok(r) = http(self.port, "GET", "/readyz", None, None) {
                if r.status == 200 {
                    assert!(r.body.contains(r#""status":"ready""#), "{}", r.body);
                    return;
                }
                assert!(r.status == 503 && r.body.contains("starting"), "{} {}", r.status, r.body);
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("instance on {} exited ({status}): {}", self.port, std::fs::read_to_string(&self.log).unwrap_or_default());
            }
            assert!(started.elapsed() < Duration::from_secs(120), "instance on {} never became ready", self.port);
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// SIGTERM: `/readyz` says draining while it still serves, then it stops by itself.
    fn stop(mut self) -> String {
        assert!(Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status().unwrap().success());
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut saw_draining = false;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if let Ok(r) = http(self.port, "GET", "/readyz", None, None) {
                saw_draining |= r.status == 503 && r.body.contains("draining");
            }
            assert!(Instant::now() < deadline, "instance on {} did not stop on SIGTERM", self.port);
            std::thread::sleep(Duration::from_millis(50));
        };
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        assert!(status.success(), "exit {status}: {log}");
        assert!(saw_draining, "/readyz never said draining: {log}");
        log
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A small generator, seeded from the clock (and printed) so that a failure can be replayed
/// with MOBILISE_SEED.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn conversation(area: &str, occurred_at: i64, n: usize) -> serde_json::Value {
    serde_json::json!({
        "kind": "doorstep", "area_id": area, "address": format!("{} Mill Lane", n % 300), "occurred_at": occurred_at,
        "outcome": "talked", "issues": [], "action": { "action": "resolved_on_the_spot" }, "felt_heard": (n % 5 + 1),
        "notes": "Spoke about the bins on collection day."
    })
}

fn push(port: u16, cookie: &str, body: &str) -> String {
    let r = http(port, "POST", "/api/sync/v1/push", Some(("application/json", body)), Some(cookie)).unwrap();
    assert_eq!(r.status, 200, "sync to {port}: {}", r.body);
    r.body
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Waits until `check` holds, for at most `secs` seconds.
async fn eventually(secs: u64, what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL and the release server: scripts/test.sh runs it after the release build"]
async fn two_instances_on_one_postgresql_share_sessions_store_once_send_once_and_keep_true_counts() {
    let base = std::env::var("MOBILISE_TEST_POSTGRES_URL").expect("MOBILISE_TEST_POSTGRES_URL (scripts/postgres.sh start)");
    let bin = std::env::var("MOBILISE_SERVER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_server").to_string());
    let seed: u64 = std::env::var("MOBILISE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1);
    println!("two instances: seed {seed} (MOBILISE_SEED={seed} to replay)");

    // A fresh database, empty: both instances migrate and seed it as they start together.
    let name = format!("mobilise_two_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    sqlx::any::install_default_drivers();
    let mut maintenance = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres")).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut maintenance).await.unwrap();
    let url = format!("{base}/{name}");

    let mail = smtp::SmtpServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut a = Instance::start(&bin, &url, &mail.url(), dir.path(), "a");
    let mut b = Instance::start(&bin, &url, &mail.url(), dir.path(), "b");
    tokio::task::block_in_place(|| {
        a.wait_ready();
        b.wait_ready();
    });
    let db = Db::connect_with(&url, Some(4)).await.unwrap();
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM organisations").await, 2, "the demo organisations, made once");
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM users WHERE email = 'sam@riverside.example'").await, 1);
    let org: String =
        sqlx::query_scalar("SELECT organisation_id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&db).await.unwrap();
    let area: String = sqlx::query_scalar("SELECT id FROM areas WHERE organisation_id = $1 ORDER BY name LIMIT 1")
        .bind(&org)
        .fetch_one(&db)
        .await
        .unwrap();
    // Conversation notes are kept one month here, so that the old conversations below are due.
    sqlx::query(
        "INSERT INTO retention_policies (organisation_id, class, lawful_basis, months, updated_at, updated_by) \
         VALUES ($1, 'conversation_notes', 'public_task', 1, 0, NULL) ON CONFLICT (organisation_id, class) DO UPDATE SET months = 1",
    )
    .bind(&org)
    .execute(&db)
    .await
    .unwrap();

    let demo = scalar(&db, &format!("SELECT COUNT(*) FROM interactions WHERE organisation_id = '{org}'")).await;
    // Sam signs in on each instance; each session opens the worker's pages on the other.
    let ports = [a.port, b.port];
    let sessions: Vec<String> = ports
        .iter()
        .map(|&home| {
            let body = form(&[("email", "sam@riverside.example"), ("password", PASSWORD)]);
            let login = http(home, "POST", "/api/auth/login", Some(("application/x-www-form-urlencoded", &body)), None).unwrap();
            assert_eq!(login.status, 200, "sign in on {home}: {}", login.body);
            let cookie = login.cookie().unwrap_or_else(|| panic!("a session cookie: {}", login.head));
            let away = if home == ports[0] { ports[1] } else { ports[0] };
            let page = http(away, "GET", "/outreach", None, Some(&cookie)).unwrap();
            assert_eq!(page.status, 200, "the session from {home} on {away}: {}\n(login: {})", page.head, login.head);
            assert!(page.body.contains("Sam Patel") || page.body.contains("Sam"), "signed in on {away} with the session from {home}");
            cookie
        })
        .collect();

    // Tablets, on either session, sync each batch to an instance at random, then replay it to
    // the other.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let tablets: Vec<_> = (0..TABLETS)
        .map(|t| {
            let (area, mut dice, cookie) = (area.clone(), Dice(seed.wrapping_add(t as u64 * 7919) | 1), sessions[t % 2].clone());
            std::thread::spawn(move || {
                let (mut stored, mut replayed) = (0, 0);
                for batch in 0..BATCHES {
                    let items: Vec<_> = (0..PER_BATCH)
                        .map(|i| {
                            let n = batch * PER_BATCH + i;
                            let when = if n < OLD_PER_TABLET { now - 90 * 86400 + n as i64 } else { now - 3600 - n as i64 };
                            serde_json::json!({
                                "id": uuid::Uuid::new_v4().to_string(), "kind": "interaction", "schema": 1,
                                "payload": conversation(&area, when, n), "created_on_device_at": now - 60
                            })
                        })
                        .collect();
                    let body = serde_json::json!({ "batch": { "device_id": format!("tablet-{t}"), "items": items } }).to_string();
                    let first = ports[(dice.next() % 2) as usize];
                    let other = if first == ports[0] { ports[1] } else { ports[0] };
                    let answer = push(first, &cookie, &body);
                    assert_eq!(answer.matches(r#""outcome":"stored""#).count(), PER_BATCH, "{answer}");
                    stored += PER_BATCH;
                    let again = push(other, &cookie, &body);
                    assert_eq!(again.matches(r#""outcome":"already_stored""#).count(), PER_BATCH, "replayed to {other}: {again}");
                    replayed += PER_BATCH;
                }
                (stored, replayed)
            })
        })
        .collect();
    // Meanwhile residents sign up on either instance: each is sent one verification link.
    let signups = std::thread::spawn(move || {
        for r in 0..RESIDENTS {
            let email = format!("resident{r}@resident.example");
            let body = form(&[
                ("display_name", &format!("Resident {r}")),
                ("email", &email),
                ("password", "a long enough password 2026"),
                ("confirm_password", "a long enough password 2026"),
            ]);
            let reply = http(ports[r % 2], "POST", "/api/auth/register", Some(("application/x-www-form-urlencoded", &body)), None).unwrap();
            assert_eq!(reply.status, 200, "register {email}: {}", reply.body);
        }
    });
    let mut synced = 0;
    for t in tablets {
        let (stored, replayed) = tokio::task::block_in_place(|| t.join().unwrap());
        assert_eq!(stored, replayed);
        synced += stored;
    }
    tokio::task::block_in_place(|| signups.join().unwrap());
    assert_eq!(synced, TABLETS * BATCHES * PER_BATCH);
    let held = scalar(&db, &format!("SELECT COUNT(*) FROM interactions WHERE organisation_id = '{org}'")).await;
    assert_eq!((held - demo) as usize, synced, "every conversation stored once");

    // Each message once: every verification link reaches the SMTP server, and none twice.
    eventually(60, "every message sent", async || scalar(&db, "SELECT COUNT(*) FROM outgoing_messages WHERE status <> 'sent'").await == 0)
        .await;
    tokio::time::sleep(Duration::from_secs(6)).await; // a sender's next rounds, on both instances
    let sent = scalar(&db, "SELECT COUNT(*) FROM outgoing_messages WHERE kind = 'email_verification'").await as usize;
    assert_eq!(sent, RESIDENTS);
    for r in 0..RESIDENTS {
        let got = mail.to(&format!("resident{r}@resident.example"));
        assert_eq!(got.len(), 1, "resident{r}: {} messages", got.len());
    }

    // The day's retention run, due again now: both instances look every second; one runs it.
    let runs_before = scalar(&db, &format!("SELECT COUNT(*) FROM retention_runs WHERE organisation_id = '{org}' AND dry_run = 0")).await;
    let today = app::domain::calendar::uk_day(now);
    let cutoff = app::domain::calendar::uk_day_start(app::domain::privacy::months_before(today, 1));
    let due = scalar(
        &db,
        &format!("SELECT COUNT(*) FROM interactions WHERE organisation_id = '{org}' AND occurred_at < {cutoff} AND (address <> '' OR notes <> '')"),
    )
    .await;
    assert!(due as usize >= TABLETS * OLD_PER_TABLET, "{due}");
    sqlx::query("UPDATE scheduled_jobs SET last_started_at = NULL WHERE name = 'retention'").execute(&db).await.unwrap();
    eventually(30, "a retention run", async || {
        scalar(&db, &format!("SELECT COUNT(*) FROM retention_runs WHERE organisation_id = '{org}'")).await > runs_before
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await; // both instances have looked again
    let runs: Vec<String> =
        sqlx::query_scalar("SELECT summary FROM retention_runs WHERE organisation_id = $1 AND dry_run = 0 ORDER BY started_at")
            .bind(&org)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(runs.len() as i64, runs_before + 1, "one run for the day, not one per instance: {runs:?}");
    let changed: i64 = runs[runs_before as usize..]
        .iter()
        .flat_map(|s| serde_json::from_str::<Vec<serde_json::Value>>(s).unwrap())
        .filter(|c| c["class"] == "conversation_notes")
        .map(|c| c["records"].as_i64().unwrap())
        .sum();
    assert_eq!(changed, due, "each old conversation changed once: {runs:?}");
    let cleared = scalar(
        &db,
        &format!("SELECT COUNT(*) FROM interactions WHERE organisation_id = '{org}' AND notes = '' AND address = '' AND device_id LIKE 'tablet-%'"),
    )
    .await;
    assert_eq!(cleared as usize, TABLETS * OLD_PER_TABLET);
    let who: Vec<String> = sqlx::query_scalar("SELECT run_by FROM scheduled_jobs WHERE name = 'retention'").fetch_all(&db).await.unwrap();
    println!("retention run by {who:?}");

    // The counts both instances kept equal a rebuild from scratch.
    eventually(60, "counts brought up to date", async || scalar(&db, "SELECT COUNT(*) FROM intelligence_dirty").await == 0).await;
    let kept = app::server::repo::intelligence::every_count(&db, &org).await.unwrap();
    assert!(!kept.is_empty());
    app::server::repo::intelligence::rebuild_organisation(&db, &org).await.unwrap();
    assert_eq!(
        app::server::repo::intelligence::every_count(&db, &org).await.unwrap(),
        kept,
        "counts kept by two instances equal a rebuild"
    );

    let (log_a, log_b) = tokio::task::block_in_place(|| (a.stop(), b.stop()));
    let demo_made = [&log_a, &log_b].iter().filter(|l| l.contains("demo organisations and accounts created")).count();
    assert_eq!(demo_made, 1, "one instance seeds, the other finds it done");
    for log in [&log_a, &log_b] {
        assert!(!log.contains("panicked") && !log.contains("ERROR"), "{log}");
    }
    db.pool.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut maintenance).await.unwrap();
}
