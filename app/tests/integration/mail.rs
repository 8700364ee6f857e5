//! Stories about outgoing mail: the outbox and its sender, against a real SMTP server on loopback.

use crate::common::*;
use app::domain::mail::{Letter, MessageKind, CLAIM_SECS, FIRST_RETRY_SECS};
use app::domain::outreach::ConsentPurpose;
use app::domain::Role;
use app::server::config::MailConfig;
use app::server::mail::{queue, Outgoing, Sender};
use axum::body::Body;
use http::{header, Method, StatusCode};
use std::collections::HashSet;

const T: i64 = 1_900_000_000;

/// Queues `n` account invitations (nothing marketing-like, no consent needed) at time `T`.
async fn queue_messages(app: &TestApp, n: usize) -> String {
    let org = app.organisation("Riverside").await;
    let mut tx = app.db.pool.begin().await.unwrap();
    for i in 0..n {
        let letter = Letter {
            subject: format!("Message {i}"),
            paragraphs: vec![format!("Number {i}.")],
            action: Some(("Choose a password".into(), format!("{ORIGIN}/invite/{i}"))),
            ..Default::default()
        };
        let to = format!("person{i}@example.org");
        let message = Outgoing {
            organisation_id: &org,
            kind: MessageKind::AccountInvitation,
            to_address: &to,
            to_name: "Person",
            letter,
            lang: "en",
            consultation_id: None,
            consent: None,
        };
        queue(&mut tx, ORIGIN, message, T).await.unwrap();
    }
    tx.commit().await.unwrap();
    org
}

#[tokio::test]
async fn the_sender_retries_while_the_mail_server_is_down_and_delivers_each_message_once_it_is_back() {
    for app in apps().await {
        queue_messages(&app, 3).await;
        let sender = app.sender();
        app.smtp.stop();
        let pass = sender.send_due(&app.db, T, 100).await.unwrap();
        assert_eq!((pass.sent, pass.retried), (0, 3), "{}", app.backend);
        let (attempts, next, error): (i64, i64, Option<String>) =
            sqlx::query_as("SELECT attempts, next_attempt_at, last_error FROM outgoing_messages LIMIT 1").fetch_one(&app.db).await.unwrap();
        assert_eq!((attempts, next), (1, T + FIRST_RETRY_SECS), "{}", app.backend);
        assert!(error.is_some_and(|e| !e.is_empty()), "{}: the reason is kept", app.backend);
        // Not due again until the back-off has passed, whatever the server does meanwhile.
        app.smtp.restart().await;
        assert_eq!(sender.send_due(&app.db, T + FIRST_RETRY_SECS - 1, 100).await.unwrap().claimed(), 0, "{}", app.backend);
        let pass = sender.send_due(&app.db, T + FIRST_RETRY_SECS, 100).await.unwrap();
        assert_eq!(pass.sent, 3, "{}: {pass:?}", app.backend);
        assert_eq!(sender.send_due(&app.db, T + 10_000, 100).await.unwrap().claimed(), 0);
        let got = app.smtp.messages();
        assert_eq!(got.len(), 3, "{}: nothing lost, nothing twice", app.backend);
        let to: HashSet<String> = got.iter().flat_map(|m| m.to.clone()).collect();
        assert_eq!(to.len(), 3);
        assert!(got[0].text().contains(&format!("{ORIGIN}/invite/")), "{}", got[0].data);
        assert!(got[0].header("List-Unsubscribe").is_none(), "an account's own business has no unsubscribe");
        assert_eq!(app.count("SELECT COUNT(*) FROM outgoing_messages WHERE status = 'sent' AND body = '' AND html_body = ''").await, 3);
    }
}

#[tokio::test]
async fn a_message_that_keeps_failing_is_given_up_and_shown_as_failed_with_its_reason() {
    for app in apps_with(|c| c.mail.max_attempts = 2).await {
        queue_messages(&app, 1).await;
        app.smtp.stop();
        let sender = app.sender();
        assert_eq!(sender.send_due(&app.db, T, 10).await.unwrap().retried, 1, "{}", app.backend);
        assert_eq!(sender.send_due(&app.db, T + FIRST_RETRY_SECS, 10).await.unwrap().failed, 1, "{}", app.backend);
        let (status, attempts, error, body): (String, i64, Option<String>, String) =
            sqlx::query_as("SELECT status, attempts, last_error, body FROM outgoing_messages").fetch_one(&app.db).await.unwrap();
        assert_eq!((status.as_str(), attempts, body.as_str()), ("failed", 2, ""), "{}", app.backend);
        assert!(error.unwrap().len() > 3);
        app.smtp.restart().await;
        assert_eq!(sender.send_due(&app.db, T + 100_000, 10).await.unwrap().claimed(), 0, "{}: a failed message stays failed", app.backend);
        assert!(app.smtp.messages().is_empty());
    }
}

#[tokio::test]
async fn two_senders_on_one_database_deliver_each_message_exactly_once() {
    for app in apps().await {
        queue_messages(&app, 120).await;
        // Two app instances, each with its own sender, working the same outbox at once.
        let (a, b) = (app.sender(), app.sender());
        let (one, two) = tokio::join!(a.send_all_due(&app.db, || T), b.send_all_due(&app.db, || T));
        let (one, two) = (one.unwrap(), two.unwrap());
        assert_eq!(one.sent + two.sent, 120, "{}: {one:?} {two:?}", app.backend);
        let got = app.smtp.messages();
        assert_eq!(got.len(), 120, "{}", app.backend);
        let ids: HashSet<String> = got.iter().map(|m| m.header("Message-ID").unwrap()).collect();
        assert_eq!(ids.len(), 120, "{}: each message once", app.backend);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outgoing_messages WHERE status = 'sent' AND attempts = 1").await,
            120,
            "{}",
            app.backend
        );
    }
}

#[tokio::test]
async fn with_no_mail_server_configured_messages_are_written_as_files() {
    for app in apps().await {
        queue_messages(&app, 2).await;
        let dir = tempfile::tempdir().unwrap();
        let config = MailConfig { smtp_url: None, dir: dir.path().display().to_string(), ..MailConfig::default() };
        let sender = Sender::from_config(&config).unwrap();
        assert!(sender.describe().contains("files in"), "{}", sender.describe());
        assert_eq!(sender.send_all_due(&app.db, || T).await.unwrap().sent, 2, "{}", app.backend);
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(files.len(), 2, "{}", app.backend);
        assert!(files.iter().all(|f| f.extension().is_some_and(|e| e == "eml")));
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(eml.contains("To: Person <person") && eml.contains("Content-Type: multipart/alternative"), "{eml}");
        assert!(app.smtp.messages().is_empty());
    }
}

#[tokio::test]
async fn an_address_that_cannot_be_a_mail_header_fails_at_once_and_the_rest_go() {
    for app in apps().await {
        let org = queue_messages(&app, 1).await;
        let mut tx = app.db.pool.begin().await.unwrap();
        let message = Outgoing {
            organisation_id: &org,
            kind: MessageKind::AccountInvitation,
            to_address: "victim@example.org\r\nBcc: everyone@example.org",
            to_name: "Evil\r\nBcc: x@example.org",
            letter: Letter { subject: "Hi".into(), ..Default::default() },
            lang: "en",
            consultation_id: None,
            consent: None,
        };
        queue(&mut tx, ORIGIN, message, T).await.unwrap();
        tx.commit().await.unwrap();
        let pass = app.sender().send_all_due(&app.db, || T).await.unwrap();
        assert_eq!((pass.sent, pass.failed), (1, 1), "{}: {pass:?}", app.backend);
        let got = app.smtp.messages();
        assert_eq!(got.len(), 1);
        assert!(got.iter().all(|m| !m.data.contains("everyone@example.org") && !m.data.contains("Bcc")), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_message_claimed_by_a_sender_that_stopped_is_sent_by_another_once_its_lease_runs_out() {
    for app in apps_with(|c| c.mail.max_attempts = 3).await {
        queue_messages(&app, 2).await;
        // A sender claimed both, then its process died mid-send.
        sqlx::query("UPDATE outgoing_messages SET claimed_by = 'gone', claimed_until = $1, attempts = 1")
            .bind(T + CLAIM_SECS)
            .execute(&app.db)
            .await
            .unwrap();
        let sender = app.sender();
        assert_eq!(sender.send_due(&app.db, T + 10, 10).await.unwrap().claimed(), 0, "{}: not while the lease holds", app.backend);
        assert_eq!(sender.send_due(&app.db, T + CLAIM_SECS + 1, 10).await.unwrap().sent, 2, "{}", app.backend);
        assert_eq!(app.smtp.messages().len(), 2);
        // One claimed as often as it may be tried, never answered: given up, not tried forever.
        queue_messages(&app, 1).await;
        sqlx::query("UPDATE outgoing_messages SET claimed_by = 'gone', claimed_until = $1, attempts = 3 WHERE status = 'waiting'")
            .bind(T)
            .execute(&app.db)
            .await
            .unwrap();
        assert_eq!(sender.send_due(&app.db, T + 1, 10).await.unwrap().failed, 1, "{}", app.backend);
        assert_eq!(app.smtp.messages().len(), 2);
    }
}

#[tokio::test]
async fn a_persons_own_links_go_before_a_bulk_send() {
    for app in apps().await {
        let org = queue_messages(&app, 0).await;
        let mut tx = app.db.pool.begin().await.unwrap();
        for (i, kind) in [MessageKind::OutcomeUpdate, MessageKind::OutcomeUpdate, MessageKind::PasswordReset].into_iter().enumerate() {
            let to = format!("p{i}@example.org");
            let message = Outgoing {
                organisation_id: &org,
                kind,
                to_address: &to,
                to_name: "",
                letter: Letter { subject: format!("{i}"), ..Default::default() },
                lang: "en",
                consultation_id: None,
                consent: None,
            };
            queue(&mut tx, ORIGIN, message, T).await.unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(app.sender().send_due(&app.db, T, 1).await.unwrap().sent, 1);
        assert_eq!(app.smtp.messages()[0].to, ["p2@example.org"], "{}", app.backend);
    }
}

/// Queues one message to `to` at time `T` (an account invitation unless it is about a resident).
async fn queue_one(app: &TestApp, org: &str, to: &str, consent: Option<(&str, ConsentPurpose)>) {
    let mut tx = app.db.pool.begin().await.unwrap();
    let kind = if consent.is_some() { MessageKind::ConsultationInvitation } else { MessageKind::AccountInvitation };
    let letter = Letter { subject: format!("For {to}"), ..Default::default() };
    let message = Outgoing { organisation_id: org, kind, to_address: to, to_name: "", letter, lang: "en", consultation_id: None, consent };
    queue(&mut tx, ORIGIN, message, T).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn an_admin_sees_what_was_sent_is_waiting_and_failed_and_why_with_addresses_masked_and_each_view_audited() {
    for app in apps().await {
        let org = queue_messages(&app, 2).await;
        // A mailbox the mail server refuses for good, naming it in its answer.
        queue_one(&app, &org, "unknown.mailbox@example.org", None).await;
        let pass = app.sender().send_due(&app.db, T, 100).await.unwrap();
        assert_eq!((pass.sent, pass.failed), (2, 1), "{}: {pass:?}", app.backend);
        // Still waiting: an invitation for a resident, queued after that pass.
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let resident = new_id();
        sqlx::query("INSERT INTO residents (id, organisation_id, name, created_by, created_at) VALUES ($1, $2, 'Rhian', (SELECT id FROM users LIMIT 1), 1)")
            .bind(&resident)
            .bind(&org)
            .execute(&app.db)
            .await
            .unwrap();
        queue_one(&app, &org, "rhian.jones@example.org", Some((&resident, ConsentPurpose::ConsultationInvitations))).await;
        // Another organisation's mail is never shown.
        let other = app.organisation("Elsewhere").await;
        queue_one(&app, &other, "elsewhere@example.org", None).await;

        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;
        let r = admin.call("mail/list", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let page = r.json();
        let entries = page["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 4, "{}: {}", app.backend, r.body);
        let count =
            |status: &str| page["counts"].as_array().unwrap().iter().find(|c| c["status"] == status).unwrap()["count"].as_i64().unwrap();
        assert_eq!((count("sent"), count("waiting"), count("failed"), count("cancelled")), (2, 1, 1, 0), "{}", app.backend);
        for hidden in ["person0@", "person1@", "unknown.mailbox", "rhian.jones", "elsewhere"] {
            assert!(!r.body.contains(hidden), "{}: {hidden} is shown in {}", app.backend, r.body);
        }
        assert!(entries.iter().any(|e| e["to"] == "r•••@example.org" && e["status"] == "waiting"), "{}", r.body);
        let failed = entries.iter().find(|e| e["status"] == "failed").unwrap();
        let why = failed["problem"].as_str().unwrap();
        assert!(why.contains("User unknown") && why.contains("u•••@example.org"), "{}: the server's reason, masked: {why}", app.backend);
        assert_eq!(failed["attempts"], 1, "{}: refused for good is not tried again", app.backend);

        // One audit entry for the list and one for the resident it showed.
        let list_audits = "SELECT COUNT(*) FROM audit_log WHERE action = 'viewed' AND resident_id IS NULL AND detail LIKE 'outgoing mail%'";
        assert_eq!(app.count(list_audits).await, 1, "{}", app.backend);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'viewed' AND resident_id = '{resident}'")).await,
            1,
            "{}",
            app.backend
        );

        // One state at a time; a state that does not exist is the caller's mistake.
        let r = admin.call("mail/list", &[("status", "failed")]).await;
        assert_eq!(r.json()["entries"].as_array().unwrap().len(), 1, "{}", app.backend);
        assert_eq!(admin.call("mail/list", &[("status", "lost")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The page by GET, from anywhere (the site's own link included): nothing shown, nothing
        // recorded, and a button that opens it with a POST, the state kept.
        let before = app.count(list_audits).await;
        for fetch_site in ["cross-site", "same-origin"] {
            let req = admin
                .request(Method::GET, "/privacy/mail?status=failed")
                .header(header::ACCEPT, "text/html")
                .header("sec-fetch-site", fetch_site);
            let r = admin.send(req.body(Body::empty()).unwrap()).await;
            assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
            assert!(!r.text().contains("User unknown"), "{}", app.backend);
            assert!(
                r.text().contains("Show the messages") && r.text().contains("action=\"/privacy/mail?status=failed\""),
                "{}: {}",
                app.backend,
                r.text()
            );
        }
        assert_eq!(app.count(list_audits).await, before, "{}: a GET writes nothing", app.backend);
        let req = admin
            .request(Method::POST, "/privacy/mail?status=failed")
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_LENGTH, 0);
        let r = admin.send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert!(r.text().contains("User unknown") && r.text().contains("u•••@example.org"), "{}", app.backend);
        assert_eq!(app.count(list_audits).await, before + 1, "{}", app.backend);

        // Only administrators.
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(sam.call("mail/list", &[]).await.status, StatusCode::FORBIDDEN, "{}", app.backend);
        assert_eq!(app.client().call("mail/list", &[]).await.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
    }
}
