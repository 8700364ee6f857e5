//! Load: 50 tablets × 200 conversations each, syncing at once over HTTP, while 50 residents
//! browse consultations and answer one; on SQLite (one instance), PostgreSQL (one instance) and
//! PostgreSQL (two instances, each request sent to either at random, as a load balancer would).
//! The release server runs as its own processes, started together on an empty database with the
//! demo data. Reported: the tablets' throughput and the p50/p99 of a sync call, and the
//! residents' p50/p99 page time while the tablets sync. Checked afterwards: no errors, exactly
//! 10,000 conversations stored, and the dashboard's counts equal to a rebuild from scratch.
//!
//!   scripts/bench.sh load      # PostgreSQL from MOBILISE_TEST_POSTGRES_URL (bench.sh starts one)
//!   BENCH_TABLETS=10 BENCH_PER_TABLET=50 scripts/bench.sh load   # smaller

use app::server::Db;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use tower_http::decompression::{Decompression, DecompressionLayer};

const BATCH: usize = 20;
const RESIDENTS: usize = 50;
const PASSWORD: &str = "mobilise-demo-2026";

type HttpClient = Decompression<Client<HttpConnector, Full<Bytes>>>;

struct Instance {
    child: Child,
    port: u16,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(bin: &str, url: &str, dir: &std::path::Path, n: usize) -> Vec<Instance> {
    (0..n)
        .map(|i| {
            let port = free_port();
            let log = std::fs::File::create(dir.join(format!("instance-{i}.log"))).unwrap();
            let child = Command::new(bin)
                .env("DATABASE_URL", url)
                .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                .env("LEPTOS_SITE_ROOT", "target/site")
                .env("LEPTOS_OUTPUT_NAME", "mobilise")
                .env("MOBILISE_DEMO", "1")
                // Residents come from many addresses, through the load balancer.
                .env("MOBILISE_TRUST_PROXY", "1")
                .env("MOBILISE_MAIL_DIR", dir.join("mail"))
                .env("MOBILISE_LOG", "warn")
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("start {bin}: {e} (build it with scripts/bench.sh load)"));
            Instance { child, port }
        })
        .collect()
}

struct Answer {
    status: u16,
    cookies: Vec<String>,
    body: String,
}

async fn send(
    client: &HttpClient,
    method: http::Method,
    port: u16,
    path: &str,
    body: Option<(&str, String)>,
    cookie: &str,
    forwarded: &str,
) -> Result<Answer, String> {
    let origin = format!("http://127.0.0.1:{port}");
    let mut b = http::Request::builder()
        .method(method)
        .uri(format!("{origin}{path}"))
        .header("origin", &origin)
        .header("accept-encoding", "br, gzip")
        .header("x-forwarded-for", forwarded);
    if !cookie.is_empty() {
        b = b.header("cookie", cookie);
    }
    let req = match body {
        Some((ctype, data)) => b.header("content-type", ctype).body(Full::new(Bytes::from(data))),
        None => b.header("accept", "text/html").body(Full::new(Bytes::new())),
    }
    .unwrap();
    let res = client.clone().oneshot(req).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let cookies = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .collect();
    let bytes = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok(Answer { status, cookies, body: String::from_utf8_lossy(&bytes).into_owned() })
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

struct Report {
    name: String,
    seconds: f64,
    stored: i64,
    sync_ms: Vec<f64>,
    page_ms: Vec<f64>,
    answers: usize,
    errors: usize,
    counts_equal: bool,
}

async fn scenario(name: &str, url: &str, instances: usize, bin: &str, tablets: usize, per_tablet: usize) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let servers = start(bin, url, dir.path(), instances);
    let client: HttpClient =
        tower::ServiceBuilder::new().layer(DecompressionLayer::new()).service(Client::builder(TokioExecutor::new()).build_http());
    for s in &servers {
        let started = Instant::now();
        loop {
            if let Ok(a) = send(&client, http::Method::GET, s.port, "/readyz", None, "", "127.0.0.1").await {
                if a.status == 200 {
                    break;
                }
            }
            assert!(started.elapsed() < Duration::from_secs(120), "{name}: an instance did not become ready (logs in {:?})", dir.path());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let ports: Arc<Vec<u16>> = Arc::new(servers.iter().map(|s| s.port).collect());
    let db = Db::connect(url).await.unwrap();
    let org: String =
        sqlx::query_scalar("SELECT organisation_id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&db).await.unwrap();
    let area: String = sqlx::query_scalar("SELECT id FROM areas WHERE organisation_id = $1 ORDER BY name LIMIT 1")
        .bind(&org)
        .fetch_one(&db)
        .await
        .unwrap();
    let (consultation, form) = consultation_form(&db).await;

    // Each tablet signs in first (one at a time: sign-ins of one account at once are throttled).
    let mut sessions = Vec::new();
    for t in 0..tablets {
        let port = ports[t % ports.len()];
        let body = format!("email=sam%40riverside.example&password={PASSWORD}");
        let a =
            send(&client, http::Method::POST, port, "/api/auth/login", Some(("application/x-www-form-urlencoded", body)), "", "127.0.0.1")
                .await
                .unwrap();
        assert_eq!(a.status, 200, "{name}: sign in: {}", a.body);
        sessions.push(a.cookies.join("; "));
    }

    let errors = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    // Residents: the list, the consultation, their answers, then reading on until the tablets
    // are done.
    let residents: Vec<_> = (0..RESIDENTS)
        .map(|r| {
            let (client, ports, errors, done, form) = (client.clone(), ports.clone(), errors.clone(), done.clone(), form.clone());
            let page = format!("/consultations/{consultation}");
            tokio::spawn(async move {
                let forwarded = format!("198.51.100.{}", r + 1);
                let mut cookie = String::new();
                let (mut times, mut answered) = (Vec::new(), 0);
                let mut turn = r;
                while !done.load(Ordering::Relaxed) || answered == 0 {
                    turn += 1;
                    let port = ports[turn % ports.len()];
                    for path in ["/consultations", page.as_str()] {
                        let t = Instant::now();
                        match send(&client, http::Method::GET, port, path, None, &cookie, &forwarded).await {
                            Ok(a) if a.status == 200 => times.push(t.elapsed().as_secs_f64() * 1000.0),
                            Ok(a) => {
                                eprintln!("resident {r}: {path}: {}", a.status);
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e) => {
                                eprintln!("resident {r}: {path}: {e}");
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    if answered == 0 {
                        let a = send(
                            &client,
                            http::Method::POST,
                            port,
                            "/api/consultations/respond",
                            Some(("application/x-www-form-urlencoded", form.clone())),
                            &cookie,
                            &forwarded,
                        )
                        .await;
                        match a {
                            Ok(a) if a.status == 200 => {
                                answered += 1;
                                cookie = a.cookies.into_iter().filter(|c| !c.ends_with('=')).collect::<Vec<_>>().join("; ");
                            }
                            Ok(a) => {
                                eprintln!("resident {r}: answer: {} {}", a.status, a.body);
                                errors.fetch_add(1, Ordering::Relaxed);
                                answered += 1;
                            }
                            Err(e) => {
                                eprintln!("resident {r}: answer: {e}");
                                errors.fetch_add(1, Ordering::Relaxed);
                                answered += 1;
                            }
                        }
                    }
                }
                (times, answered)
            })
        })
        .collect();

    let started = Instant::now();
    let devices: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(t, cookie)| {
            let (client, ports, errors, area) = (client.clone(), ports.clone(), errors.clone(), area.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                let mut dice = (t as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                for b in 0..per_tablet.div_ceil(BATCH) {
                    let items: Vec<_> = (b * BATCH..((b + 1) * BATCH).min(per_tablet))
                        .map(|i| {
                            serde_json::json!({ "id": uuid::Uuid::new_v4().to_string(), "kind": "interaction", "schema": 1,
                                "created_on_device_at": now - 60, "payload": {
                                "kind": "doorstep", "area_id": area, "address": format!("{} Mill Lane", i % 300), "occurred_at": now - 3600 - i as i64,
                                "outcome": "talked", "issues": [], "action": { "action": "resolved_on_the_spot" }, "felt_heard": (i % 5 + 1),
                                "notes": "Spoke about the bins on collection day." } })
                        })
                        .collect();
                    let n = items.len();
                    let body = serde_json::json!({ "batch": { "device_id": format!("load-{t}"), "items": items } }).to_string();
                    // A batch that fails in transit is sent again, as the outbox does.
                    for attempt in 0..5 {
                        dice ^= dice << 13;
                        dice ^= dice >> 7;
                        dice ^= dice << 17;
                        let port = ports[(dice % ports.len() as u64) as usize];
                        let t0 = Instant::now();
                        let a = send(&client, http::Method::POST, port, "/api/sync/v1/push", Some(("application/json", body.clone())), &cookie, "127.0.0.1")
                            .await;
                        match a {
                            Ok(a) if a.status == 200 => {
                                times.push(t0.elapsed().as_secs_f64() * 1000.0);
                                let ok = a.body.matches("\"outcome\":\"stored\"").count() + a.body.matches("\"outcome\":\"already_stored\"").count();
                                if ok != n {
                                    eprintln!("tablet {t}: {}", a.body);
                                    errors.fetch_add(1, Ordering::Relaxed);
                                }
                                break;
                            }
                            Ok(a) => {
                                eprintln!("tablet {t} (attempt {attempt}): {} {}", a.status, a.body);
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e) => {
                                eprintln!("tablet {t} (attempt {attempt}): {e}");
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                }
                times
            })
        })
        .collect();
    let mut sync_ms = Vec::new();
    for d in devices {
        sync_ms.extend(d.await.unwrap());
    }
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let (mut page_ms, mut answers) = (Vec::new(), 0);
    for r in residents {
        let (times, answered) = r.await.unwrap();
        page_ms.extend(times);
        answers += answered;
    }
    sync_ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    page_ms.sort_by(|a, b| a.partial_cmp(b).unwrap());

    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM interactions WHERE device_id LIKE 'load-%'").fetch_one(&db).await.unwrap();
    // The instances bring the counts up to date within seconds; then they stop, and the counts
    // they kept are compared with a rebuild from scratch.
    let deadline = Instant::now() + Duration::from_secs(120);
    while sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM intelligence_dirty").fetch_one(&db).await.unwrap() > 0 {
        assert!(Instant::now() < deadline, "{name}: the counts were not brought up to date");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    drop(servers);
    let kept = app::server::repo::intelligence::every_count(&db, &org).await.unwrap();
    app::server::repo::intelligence::rebuild_organisation(&db, &org).await.unwrap();
    let counts_equal = app::server::repo::intelligence::every_count(&db, &org).await.unwrap() == kept;
    db.pool.close().await;
    Report { name: name.into(), seconds, stored, sync_ms, page_ms, answers, errors: errors.load(Ordering::Relaxed), counts_equal }
}

/// The demo's open consultation, and a resident's answers to it as its form sends them.
async fn consultation_form(db: &Db) -> (String, String) {
    let id: String = sqlx::query_scalar(
        "SELECT c.id FROM consultations c WHERE c.stage = 'open_for_feedback' AND EXISTS (SELECT 1 FROM questions q WHERE q.consultation_id = c.id) \
         ORDER BY c.id LIMIT 1",
    )
    .fetch_one(db)
    .await
    .expect("an open consultation in the demo data");
    let questions: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, kind, options FROM questions WHERE consultation_id = $1 ORDER BY position")
            .bind(&id)
            .fetch_all(db)
            .await
            .unwrap();
    let mut form = format!("consultation_id={id}");
    for (q, kind, options) in questions {
        let options: Vec<serde_json::Value> = serde_json::from_str(&options).unwrap_or_default();
        let value = match kind.as_str() {
            "single_choice" | "multiple_choice" => options.first().and_then(|o| o["id"].as_str()).unwrap_or("").to_string(),
            "scale" => "4".into(),
            _ => "More+benches+by+the+river".into(),
        };
        form.push_str(&format!("&answers%5Bq-{q}%5D%5B%5D={value}"));
    }
    (id, form)
}

#[tokio::main]
async fn main() {
    let tablets: usize = std::env::var("BENCH_TABLETS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let per_tablet: usize = std::env::var("BENCH_PER_TABLET").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let bin = std::env::var("MOBILISE_SERVER_BIN").unwrap_or_else(|_| "target/server-release/server".into());
    let dir = tempfile::tempdir().unwrap();
    let mut scenarios = vec![("SQLite, 1 instance".to_string(), format!("sqlite://{}?mode=rwc", dir.path().join("load.db").display()), 1)];
    match std::env::var("MOBILISE_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            sqlx::any::install_default_drivers();
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres")).await.unwrap();
            for n in [1, 2] {
                let name = format!("mobilise_load_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
                scenarios.push((format!("PostgreSQL, {n} instance{}", if n > 1 { "s" } else { "" }), format!("{base}/{name}"), n));
            }
        }
        _ => eprintln!("MOBILISE_TEST_POSTGRES_URL is not set: SQLite only"),
    }
    println!(
        "load benchmark: {tablets} tablets × {per_tablet} conversations (batches of {BATCH}) syncing at once over HTTP, \
         {RESIDENTS} residents browsing and answering meanwhile; release server processes on this machine"
    );
    let mut failed = false;
    for (name, url, instances) in scenarios {
        let r = scenario(&name, &url, instances, &bin, tablets, per_tablet).await;
        let ok = r.errors == 0 && r.stored as usize == tablets * per_tablet && r.counts_equal && r.answers == RESIDENTS;
        failed |= !ok;
        println!(
            "  {:<26} {:>6.0} conversations/s ({:.1} s); sync call p50 {:>5.0} ms, p99 {:>5.0} ms ({} calls); \
             residents' pages p50 {:>4.0} ms, p99 {:>5.0} ms ({} pages, {} answers); stored {}, errors {}, counts equal a rebuild: {}",
            r.name,
            r.stored as f64 / r.seconds,
            r.seconds,
            percentile(&r.sync_ms, 0.5),
            percentile(&r.sync_ms, 0.99),
            r.sync_ms.len(),
            percentile(&r.page_ms, 0.5),
            percentile(&r.page_ms, 0.99),
            r.page_ms.len(),
            r.answers,
            r.stored,
            r.errors,
            if r.counts_equal { "yes" } else { "NO" }
        );
    }
    if failed {
        eprintln!("load benchmark: a check failed (errors, rows stored, answers or counts): see above");
        std::process::exit(1);
    }
}
