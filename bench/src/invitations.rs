//! Sending 1,000 consultation invitations, in two steps as the app does them:
//! - queued: the real "Send the invitations" server function over HTTP (who may be invited,
//!   each recorded once, a letter each, the outbox rows, one transaction);
//! - delivered: the outbox's sender (claim, consent checked again, lettre over SMTP, marked
//!   sent) to a real SMTP server on loopback (the one the integration tests use);
//!
//! against lettre handing the same number of two-part messages straight to the same server, with
//! no outbox, in the same run. The median of several rounds, each on a fresh SQLite file.
//!
//!   scripts/bench.sh invitations             # 1,000 invitations, 3 rounds
//!   BENCH_INVITATIONS=5000 BENCH_ROUNDS=5 scripts/bench.sh invitations

#[allow(dead_code)]
#[path = "../../app/tests/integration/smtp.rs"]
mod smtp;

use app::domain::outreach::ConsentPurpose;
use app::domain::Role;
use app::server::config::MailConfig;
use app::server::mail::Sender;
use app::server::{auth::hash_password, repo, AppState, Config, Db};
use axum::serve::ListenerExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use leptos::prelude::LeptosOptions;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

struct Round {
    queued: Duration,
    delivered: Duration,
    direct: Duration,
}

async fn round(dir: &Path, n: usize, round: usize) -> Round {
    let server = smtp::SmtpServer::start().await;
    let url = format!("sqlite://{}?mode=rwc", dir.join(format!("invitations-{round}.db")).display());
    let db = Db::connect(&url).await.unwrap();
    let org = repo::organisations::insert(&db, "Bench Council", app::domain::OrganisationKind::Council, 1).await.unwrap();
    let hash = hash_password("bench password 123".into()).await.unwrap();
    let admin = repo::users::insert(
        &db,
        repo::users::NewUser {
            organisation_id: &org,
            email: "admin@example.org",
            display_name: "Admin",
            role: Role::Admin,
            password_hash: Some(&hash),
            created_by: None,
            email_verified: true,
        },
        1,
    )
    .await
    .unwrap();
    let consultation = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO consultations (id, organisation_id, title, summary, background, stage, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'The future of Mill Park', 'Tell us what matters most.', '', 'open_for_feedback', $3, 1, 1)",
    )
    .bind(&consultation)
    .bind(&org)
    .bind(&admin)
    .execute(&db)
    .await
    .unwrap();
    // Residents met at the door who left an address and agreed to be invited.
    let purpose = ConsentPurpose::ConsultationInvitations;
    let mut tx = db.pool.begin().await.unwrap();
    for i in 0..n {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query("INSERT INTO residents (id, organisation_id, name, contact, created_by, created_at) VALUES ($1, $2, $3, $4, $5, 1)")
            .bind(&id)
            .bind(&org)
            .bind(format!("Resident {i}"))
            .bind(format!("07700 900{i:03}, resident{i}@example.net"))
            .bind(&admin)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO consents (id, organisation_id, resident_id, purpose, granted, lawful_basis, wording, method, recorded_by, source_item_id, occurred_at, received_at) \
             VALUES ($1, $2, $3, $4, 1, 'consent', $5, 'doorstep', $6, $1, 1790000000, 1790000000)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&org)
        .bind(&id)
        .bind(purpose.as_str())
        .bind(purpose.wording())
        .bind(&admin)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let mail = MailConfig { smtp_url: Some(server.url()), from: "Bench Council <no-reply@example.org>".into(), ..MailConfig::default() };
    let config = Config { database_url: url, require_admin_second_factor: false, mail: mail.clone(), ..Config::default() };
    let state = AppState::new(LeptosOptions::builder().output_name("mobilise").build(), db.clone(), Arc::new(config)).await.unwrap();
    let router = app::server::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let listener = listener.tap_io(|t| {
        let _ = t.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await });
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let post = |path: &str, body: String, cookie: Option<&str>| {
        let mut b = http::Request::post(format!("{origin}{path}"))
            .header("origin", &origin)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header("cookie", c);
        }
        b.body(Full::new(Bytes::from(body))).unwrap()
    };
    let res = client
        .clone()
        .oneshot(post("/api/auth/login", "email=admin%40example.org&password=bench+password+123".into(), None))
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign in");
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();

    let start = Instant::now();
    let res = client
        .clone()
        .oneshot(post("/api/consultations/invitations/send", format!("consultation_id={consultation}"), Some(&cookie)))
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let queued = start.elapsed();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(String::from_utf8_lossy(&body), format!("\"{n} residents\""));

    let sender = Sender::from_config(&mail).unwrap();
    let start = Instant::now();
    let pass = sender.send_all_due(&db, app::server::now).await.unwrap();
    let delivered = start.elapsed();
    assert_eq!(pass.sent as usize, n, "{pass:?}");
    assert_eq!(server.messages().len(), n);

    // The same number of messages of the same shape, straight to the same server.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&server.url()).unwrap().build();
    let from: Mailbox = "Bench Council <no-reply@example.org>".parse().unwrap();
    let start = Instant::now();
    for i in 0..n {
        let to: Mailbox = format!("Resident {i} <direct{i}@example.net>").parse().unwrap();
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject("Have your say: The future of Mill Park")
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder().header(ContentType::TEXT_PLAIN).body(format!("Hello Resident {i},\n\nHave your say.\n")),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(format!("<p>Hello Resident {i},</p><p>Have your say.</p>")),
                    ),
            )
            .unwrap();
        transport.send(message).await.unwrap();
    }
    let direct = start.elapsed();
    assert_eq!(server.messages().len(), 2 * n);
    Round { queued, delivered, direct }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_INVITATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let rounds: usize = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let dir = tempfile::tempdir().unwrap();
    let (mut queued, mut delivered, mut direct) = (vec![], vec![], vec![]);
    for r in 0..rounds {
        let t = round(dir.path(), n, r).await;
        eprintln!(
            "round {}: queued in {:.3} s, delivered by the outbox in {:.3} s, straight through lettre in {:.3} s",
            r + 1,
            t.queued.as_secs_f64(),
            t.delivered.as_secs_f64(),
            t.direct.as_secs_f64()
        );
        queued.push(t.queued.as_secs_f64());
        delivered.push(t.delivered.as_secs_f64());
        direct.push(t.direct.as_secs_f64());
    }
    let (queued, delivered, direct) = (median(queued), median(delivered), median(direct));
    println!("invitations benchmark: {n} consultation invitations, SQLite, loopback SMTP server, median of {rounds} rounds");
    println!("  queued by \"Send the invitations\" (one request over HTTP):   {queued:>7.3} s");
    println!("  delivered by the outbox's sender:                          {delivered:>7.3} s  ({:.0} messages/s)", n as f64 / delivered);
    println!("  baseline: lettre straight to the same server, no outbox:   {direct:>7.3} s  ({:.0} messages/s)", n as f64 / direct);
    println!(
        "  from the button to the last one delivered: {:.3} s; the outbox's sending is {:.0}% of lettre's own rate",
        queued + delivered,
        100.0 * direct / delivered
    );
}
