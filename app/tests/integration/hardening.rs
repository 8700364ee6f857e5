//! What an outside security review found, each as the attack it was, now refused: injected
//! titles, gamed support and reports, raced sign-ins, unbounded drafts, dates from the future,
//! hostile ids, malformed bodies, cached personal pages, audit entries written by a link.

use crate::common::*;
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, StatusCode};
use serde_json::json;

/// Riverside's admin signed in, and a consultation open for ideas titled `title`. (admin, org, id)
async fn open_for_ideas(app: &TestApp, title: &str) -> (Client, String, String) {
    let org = app.organisation("Riverside").await;
    app.user(&org, "admin@riverside.example", Role::Admin).await;
    let mut admin = app.client();
    admin.sign_in("admin@riverside.example", PASSWORD).await;
    let form = [("title", title), ("summary", "What should go in them?"), ("background", ""), ("opens_on", ""), ("closes_on", "")];
    let r = admin.call_form("consultations/manage/create", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
    let id: String = sqlx::query_scalar("SELECT id FROM consultations").fetch_one(&app.db).await.unwrap();
    let r = admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "open_for_ideas")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
    (admin, org, id)
}

async fn propose(c: &mut Client, id: &str, title: &str) -> String {
    let r = c
        .call(
            "consultations/propose",
            &[("consultation_id", id), ("title", title), ("body", "Somewhere to fix things"), ("author_name", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_str().unwrap().to_string()
}

/// A visitor with no cookie, coming from `address` (the proxy's header is trusted in these apps).
fn visitor(app: &TestApp, address: &str) -> Client {
    let mut c = app.client();
    c.forwarded_for = Some(address.to_string());
    c
}

fn behind_proxy(c: &mut app::server::Config) {
    c.trust_proxy = true;
}

const INJECTED: &str = "x</title><h1>INJECTED</h1><meta http-equiv=\"refresh\" content=\"0;url=/sign-in\">";

#[tokio::test]
async fn someone_elses_words_in_a_page_title_stay_text() {
    for app in apps().await {
        let (_, _, id) = open_for_ideas(&app, INJECTED).await;
        let pid = propose(&mut app.client(), &id, INJECTED).await;
        for path in [format!("/consultations/{id}/ideas/{pid}"), format!("/consultations/{id}")] {
            let page = app.client().get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{}: {path}", app.backend);
            let head = &page.body[..page.body.find("</head>").expect("a head")];
            let title = &head[head.find("<title>").expect("a title")..];
            assert!(title.starts_with("<title>x&lt;/title&gt;&lt;h1&gt;INJECTED"), "{}: {path}: {title}", app.backend);
            assert!(
                !head.contains("<h1>") && !head.contains("<meta http-equiv=\"refresh\""),
                "{}: {path}: nothing injected into the head: {head}",
                app.backend
            );
        }
    }
}

#[tokio::test]
async fn support_from_people_without_an_account_cannot_push_an_idea_up() {
    for app in apps_with(behind_proxy).await {
        let (_, org, id) = open_for_ideas(&app, "Empty shops").await;
        let pid = propose(&mut app.client(), &id, "A repair café").await;
        // Eight requests from one address, each without a cookie (a new participant each time).
        let mut counted = 0;
        for _ in 0..8 {
            let r = visitor(&app, "203.0.113.9").call("consultations/support", &[("proposal_id", &pid)]).await;
            assert!(r.status == StatusCode::OK || r.status == StatusCode::TOO_MANY_REQUESTS, "{}: {}", app.backend, r.status);
            if r.status == StatusCode::OK {
                counted += 1;
            }
        }
        assert_eq!(counted, 3, "{}: a household's worth from one address", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM supports").await, 3);
        // Another address, and a signed-in resident on the same address, still count.
        assert_eq!(visitor(&app, "198.51.100.7").call("consultations/support", &[("proposal_id", &pid)]).await.json(), true);
        app.user(&org, "kim@resident.example", Role::Resident).await;
        let mut kim = visitor(&app, "203.0.113.9");
        kim.sign_in("kim@resident.example", PASSWORD).await;
        assert_eq!(kim.call("consultations/support", &[("proposal_id", &pid)]).await.json(), true, "{}", app.backend);
        assert_eq!(kim.call("consultations/support", &[("proposal_id", &pid)]).await.json(), false, "{}: once", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM supports").await, 5);
    }
}

async fn report(c: &mut Client, pid: &str) -> Reply {
    c.call("consultations/report", &[("kind", "proposal"), ("target_id", pid), ("reason", "Rude")]).await
}

async fn visible(app: &TestApp, id: &str, pid: &str) -> bool {
    let ideas = app.client().call("consultations/ideas", &[("consultation_id", id)]).await.json();
    ideas.as_array().unwrap().iter().any(|i| i["id"] == pid)
}

#[tokio::test]
async fn anonymous_reports_queue_an_idea_but_only_accounts_can_hide_it_and_a_dismissal_holds() {
    for app in apps_with(behind_proxy).await {
        let (mut admin, org, id) = open_for_ideas(&app, "Empty shops").await;
        let pid = propose(&mut app.client(), &id, "A repair café").await;
        // One address throwing its cookie away each time counts as one person.
        for _ in 0..8 {
            assert_eq!(report(&mut visitor(&app, "203.0.113.9"), &pid).await.status, StatusCode::OK, "{}", app.backend);
        }
        assert_eq!(app.count("SELECT MAX(report_count) FROM proposals").await, 1, "{}", app.backend);
        // Three different addresses: queued for a moderator, still shown.
        for address in ["198.51.100.1", "198.51.100.2"] {
            report(&mut visitor(&app, address), &pid).await;
        }
        assert!(visible(&app, &id, &pid).await, "{}: anonymous reports never hide", app.backend);
        let queue = admin.call("moderation/queue", &[]).await.json();
        assert_eq!((queue[0]["id"].as_str(), queue[0]["reports"].as_i64()), (Some(pid.as_str()), Some(3)), "{}: {queue}", app.backend);

        // The moderator keeps it up: the reports so far are settled.
        let keep = [("items[]", format!("proposal:{pid}")), ("action", "dismiss".to_string())];
        let pairs: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(admin.call("moderation/decide", &pairs).await.json(), 1);
        // The same people again (new cookies) change nothing; one new person queues it, from one.
        report(&mut visitor(&app, "198.51.100.1"), &pid).await;
        assert_eq!(admin.call("moderation/queue", &[]).await.json().as_array().unwrap().len(), 0, "{}", app.backend);
        report(&mut visitor(&app, "192.0.2.50"), &pid).await;
        let queue = admin.call("moderation/queue", &[]).await.json();
        assert_eq!(queue[0]["reports"], 1, "{}: counted afresh after the decision", app.backend);
        assert!(visible(&app, &id, &pid).await);

        // Three residents with accounts: held until a moderator decides.
        for n in 0..3 {
            let email = format!("r{n}@resident.example");
            app.user(&org, &email, Role::Resident).await;
            let mut resident = visitor(&app, "203.0.113.9");
            resident.sign_in(&email, PASSWORD).await;
            report(&mut resident, &pid).await;
            assert_eq!(visible(&app, &id, &pid).await, n < 2, "{}: after {} account reports", app.backend, n + 1);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_guesses_at_once_get_no_more_password_checks_than_the_limit() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let limit = app.config.throttle.max_per_account as usize;
        let mut guesses = tokio::task::JoinSet::new();
        for n in 0..20 {
            let mut c = app.client();
            guesses.spawn(async move { c.sign_in("sam@riverside.example", &format!("wrong guess {n}")).await.status });
        }
        let mut statuses = Vec::new();
        while let Some(status) = guesses.join_next().await {
            statuses.push(status.unwrap());
        }
        let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert!(checked <= limit, "{}: {checked} passwords checked, limit {limit}: {statuses:?}", app.backend);
        assert_eq!(checked + refused, 20, "{}: {statuses:?}", app.backend);
        let failures = app.count("SELECT COUNT(*) FROM login_attempts WHERE succeeded = 0").await;
        assert_eq!(failures as usize, checked, "{}: a refused guess leaves no attempt behind", app.backend);
        // One guess at a time from now on: exactly the limit's worth are ever checked in all.
        let mut in_all = checked;
        let mut throttled = refused;
        loop {
            match app.client().sign_in("sam@riverside.example", "one more guess").await.status {
                StatusCode::UNAUTHORIZED => in_all += 1,
                StatusCode::TOO_MANY_REQUESTS => break throttled += 1,
                other => panic!("{}: {other}", app.backend),
            }
        }
        assert_eq!(in_all, limit, "{}", app.backend);
        // The right password now is refused too: the account is locked for the window.
        assert_eq!(app.client().sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
        throttled += 1;
        let (refused, checked) = (throttled - 1, in_all);
        // Each failure and each lock-out is a security event.
        assert_eq!(app.count("SELECT COUNT(*) FROM security_events WHERE kind = 'sign_in_failed'").await as usize, checked);
        // Lock-outs cost nothing to cause: the same one is kept once a minute (each is logged).
        let kept = app.count("SELECT COUNT(*) FROM security_events WHERE kind = 'sign_in_throttled'").await as usize;
        assert!(kept >= 1 && kept <= refused + 1, "{}: {kept} kept of {refused} refused", app.backend);
        for _ in 0..5 {
            app.client().sign_in("sam@riverside.example", "later guess").await;
        }
        let later = app.count("SELECT COUNT(*) FROM security_events WHERE kind = 'sign_in_throttled'").await as usize;
        assert_eq!(later, kept, "{}: one after another, the same lock-out is kept once a minute", app.backend);
        let subject: String = sqlx::query_scalar("SELECT subject FROM security_events LIMIT 1").fetch_one(&app.db).await.unwrap();
        assert!(!subject.contains("sam@"), "{}: the address is masked: {subject}", app.backend);
    }
}

#[tokio::test]
async fn privilege_changes_are_security_events() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        let sam = app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;
        admin.call("staff/set_consultation_rights", &[("user_id", &sam), ("granted", "true")]).await;
        admin.call("staff/set_active", &[("user_id", &sam), ("active", "false")]).await;
        admin.call("staff/create", &[("email", "new@riverside.example"), ("display_name", "New Person"), ("role", "admin")]).await;
        let details: Vec<String> =
            sqlx::query_scalar("SELECT detail FROM security_events WHERE kind = 'privilege_changed' ORDER BY at, detail")
                .fetch_all(&app.db)
                .await
                .unwrap();
        assert_eq!(details.len(), 3, "{}: {details:?}", app.backend);
        assert!(details.iter().any(|d| d.contains("consultation rights granted")));
        assert!(details.iter().any(|d| d.contains("deactivated")));
        assert!(details.iter().any(|d| d.contains("role admin")));
        // A refused POST is one too.
        let mut sam_client = app.client();
        app.user(&org, "kit@riverside.example", Role::OutreachWorker).await;
        sam_client.sign_in("kit@riverside.example", PASSWORD).await;
        assert_eq!(sam_client.call("staff/list", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM security_events WHERE kind = 'refused'").await, 1, "{}", app.backend);
    }
}

/// Riverside with an admin signed in and a consultation open for feedback, with a required
/// choice and an optional free-text question. (admin, org, consultation, [question ids], lists)
async fn open_for_feedback(app: &TestApp) -> (Client, String, String, Vec<String>, Lists) {
    let org = app.organisation("Riverside").await;
    app.user(&org, "admin@riverside.example", Role::Admin).await;
    let lists = app.lists(&org).await;
    let mut admin = app.client();
    admin.sign_in("admin@riverside.example", PASSWORD).await;
    let form = [
        ("title", "Mill Park"),
        ("summary", "Have your say"),
        ("background", ""),
        ("opens_on", ""),
        ("closes_on", ""),
        ("areas[]", lists.area.as_str()),
    ];
    admin.call_form("consultations/manage/create", &form).await;
    let cid: String = sqlx::query_scalar("SELECT id FROM consultations").fetch_one(&app.db).await.unwrap();
    for q in [
        [
            ("consultation_id", cid.as_str()),
            ("prompt", "Which first?"),
            ("hint", ""),
            ("kind", "single_choice"),
            ("required", "yes"),
            ("options", "Play area\nPaths"),
        ],
        [
            ("consultation_id", cid.as_str()),
            ("prompt", "Anything else?"),
            ("hint", ""),
            ("kind", "free_text"),
            ("required", ""),
            ("options", ""),
        ],
    ] {
        let q: Vec<(&str, &str)> = q.into_iter().filter(|(k, v)| *k != "required" || !v.is_empty()).collect();
        assert_eq!(admin.call("consultations/manage/add-question", &q).await.status, StatusCode::OK);
    }
    admin.call("consultations/manage/stage", &[("consultation_id", &cid), ("stage", "open_for_feedback")]).await;
    let qs: Vec<String> = sqlx::query_scalar("SELECT id FROM questions WHERE consultation_id = $1 ORDER BY position")
        .bind(&cid)
        .fetch_all(&app.db)
        .await
        .unwrap();
    (admin, org, cid, qs, lists)
}

#[tokio::test]
async fn a_refused_response_keeps_only_what_its_form_holds_and_is_throttled_first() {
    for app in apps_with(behind_proxy).await {
        let (_, _, cid, qs, _) = open_for_feedback(&app).await;
        let huge = "x".repeat(300_000);
        let free = format!("answers[q-{}][]", qs[1]);
        let form = [
            ("consultation_id", cid.as_str()),
            (free.as_str(), huge.as_str()),
            ("answers[q-not-a-question][]", "junk"),
            ("answers[q-another][]", huge.as_str()),
            ("notify", "yes"),
            ("email", "typed@example.org"),
        ];
        let mut resident = visitor(&app, "203.0.113.9");
        let r = resident.call("consultations/respond", &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.status);
        let stored: String = sqlx::query_scalar("SELECT answers FROM response_drafts").fetch_one(&app.db).await.unwrap();
        assert!(stored.len() < 3_000, "{}: {} bytes kept", app.backend, stored.len());
        assert!(
            !stored.contains("typed@example.org") && !stored.contains("junk") && !stored.contains("another"),
            "{}: {stored}",
            app.backend
        );
        // Refusals from one address are throttled before anything is stored.
        let small = [("consultation_id", cid.as_str()), (free.as_str(), "hello")];
        let mut last = StatusCode::OK;
        for _ in 0..70 {
            last = visitor(&app, "203.0.113.9").call("consultations/respond", &small).await.status;
            if last == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM response_drafts").await, 60, "{}: one per allowed refusal", app.backend);
    }
}

/// Sam, an outreach worker signed in on a tablet: (client, organisation id, lists, Sam's id).
async fn worker(app: &TestApp) -> (Client, String, Lists, String) {
    let org = app.organisation("Riverside").await;
    let sam_id = app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
    let lists = app.lists(&org).await;
    let mut c = app.client();
    assert_eq!(c.sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK);
    (c, org, lists, sam_id)
}

#[tokio::test]
async fn a_tablet_cannot_date_records_into_the_future_or_name_residents_with_hostile_ids() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let now = app::server::now();
        let at = |t: i64| {
            let mut d = doorstep(&lists.area);
            d["occurred_at"] = json!(t);
            item(&new_id(), "interaction", d)
        };
        let with_resident = |id: &str| {
            let mut d = doorstep(&lists.area);
            d["resident"] = json!({ "id": id, "name": "Mo" });
            d["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
            item(&new_id(), "interaction", d)
        };
        let long = "a".repeat(5_000);
        let batch = vec![
            at(4_102_444_800),             // 2100-01-01
            at(9_000_000_000_000_000_000), // 9e18
            at(now + 10 * 60),             // a tablet ten minutes fast
            item(&new_id(), "event", json!({ "name": "Fair", "place": "Hall", "held_on": "2100-12-31" })),
            with_resident("probe\"res;x=1"),
            with_resident(&long),
            item(
                &new_id(),
                "consent_change",
                json!({ "resident_id": "probe\"res;x=1", "purpose": "contact_about_issue", "granted": false, "occurred_at": now }),
            ),
        ];
        let r = sam.push(batch).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let results = r.json()["results"].clone();
        let outcome =
            |i: usize| (results[i]["outcome"].as_str().unwrap().to_string(), results[i]["field"].as_str().unwrap_or("").to_string());
        for i in [0, 1] {
            assert_eq!(outcome(i), ("rejected".into(), "occurred_at".into()), "{}: {}", app.backend, results[i]);
        }
        assert_eq!(outcome(2).0, "stored");
        assert_eq!(outcome(3), ("rejected".into(), "held_on".into()), "{}", results[3]);
        assert_eq!(outcome(4), ("rejected".into(), "resident_name".into()));
        assert_eq!(outcome(5), ("rejected".into(), "resident_name".into()));
        assert_eq!(outcome(6), ("rejected".into(), "resident_id".into()));
        let latest = app.count("SELECT MAX(occurred_at) FROM interactions").await;
        let received = app.count("SELECT MAX(received_at) FROM interactions").await;
        assert!(latest <= received, "{}: nothing dated after it arrived ({latest} > {received})", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM residents").await, 0);
        let device_time = app.count("SELECT MAX(created_on_device_at) FROM interactions").await;
        assert!(device_time <= received, "{}: the device's own clock reading is bounded too", app.backend);
    }
}

#[tokio::test]
async fn a_subject_access_download_has_a_safe_file_name() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;
        // A hostile id can no longer reach the database; one stored before this rule is still named safely.
        sqlx::query("INSERT INTO residents (id, organisation_id, name, contact, preferred_language, created_by, created_at) VALUES ($1, $2, 'Mo', '', '', (SELECT id FROM users LIMIT 1), 1)")
            .bind("probe\"res;x=1")
            .bind(&org)
            .execute(&app.db)
            .await
            .unwrap();
        let req = admin
            .request(Method::POST, "/privacy/residents/probe%22res%3Bx%3D1/export")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(""))
            .unwrap();
        let r = admin.send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let disposition = r.header("content-disposition").unwrap().to_string();
        assert_eq!(disposition, "attachment; filename=\"subject-access-probe-res-x-1.zip\"", "{}", app.backend);
    }
}

async fn post_raw(c: &mut Client, path: &str, content_type: &str, body: Vec<u8>, length: bool) -> Reply {
    let mut req = c.request(Method::POST, path).header(header::ORIGIN, ORIGIN).header(header::CONTENT_TYPE, content_type);
    if length {
        req = req.header(header::CONTENT_LENGTH, body.len());
    }
    c.send(req.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn malformed_requests_get_a_clear_4xx_never_a_500() {
    for app in apps().await {
        let (mut sam, _, _, _) = worker(&app).await;
        let nested = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let item_without_payload = json!({ "batch": { "device_id": "t", "items": [{ "id": new_id(), "kind": "interaction", "schema": 1, "created_on_device_at": 1 }] } });
        let sync_bodies: Vec<(&str, Vec<u8>)> = vec![
            ("truncated JSON", br#"{"batch": {"device_id": "t", "items": ["#.to_vec()),
            ("NaN", br#"{"batch": {"device_id": "t", "items": [{"id": "x", "kind": "interaction", "schema": NaN}]}}"#.to_vec()),
            ("1e400", br#"{"batch": {"device_id": "t", "items": [{"id": "x", "kind": "interaction", "schema": 1, "payload": {}, "created_on_device_at": 1e400}]}}"#.to_vec()),
            ("invalid UTF-8", b"{\"batch\": {\"device_id\": \"\xff\xfe\", \"items\": []}}".to_vec()),
            ("nested 200 deep", format!("{{\"batch\": {nested}}}").into_bytes()),
            ("schema -1", br#"{"batch": {"device_id": "t", "items": [{"id": "x", "kind": "interaction", "schema": -1, "payload": {}, "created_on_device_at": 1}]}}"#.to_vec()),
            ("an item without payload", item_without_payload.to_string().into_bytes()),
        ];
        for (what, body) in sync_bodies {
            let r = post_raw(&mut sam, "/api/sync/v1/push", "application/json", body, true).await;
            assert!(r.status.is_client_error(), "{}: {what}: {} {}", app.backend, r.status, r.body);
            assert!(!r.body.contains("line 1") && !r.body.contains("column"), "{}: {what}: no parser text: {}", app.backend, r.body);
        }
        let r = post_raw(&mut sam, "/api/sync/v1/push", "application/x-www-form-urlencoded", b"batch=1".to_vec(), true).await;
        assert!(r.status.is_client_error(), "{}: a form body on the sync endpoint: {}", app.backend, r.status);

        // Form endpoints: a missing field, invalid UTF-8.
        let r = app.client().call("auth/login", &[("email", "sam@riverside.example")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: sign-in with only an email: {}", app.backend, r.body);
        assert_eq!(r.json()["Invalid"][0]["field"], "form");
        let r = post_raw(
            &mut app.client(),
            "/api/auth/login",
            "application/x-www-form-urlencoded",
            b"email=%FF%FE&password=\xff".to_vec(),
            true,
        )
        .await;
        assert!(r.status.is_client_error(), "{}: invalid UTF-8: {}", app.backend, r.status);

        // Too large, with or without a declared length.
        let big = vec![b'a'; 2 * 1024 * 1024];
        let r = post_raw(&mut app.client(), "/api/auth/login", "application/x-www-form-urlencoded", big.clone(), false).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}: a 2 MB body with no Content-Length", app.backend);
        let r = post_raw(&mut app.client(), "/api/auth/login", "application/x-www-form-urlencoded", big, true).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", app.backend);
    }
}

#[tokio::test]
async fn the_sync_door_asks_who_is_calling_before_it_reads_a_batch_and_bounds_its_size() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let batch = |padding: usize| {
            let mut d = doorstep(&lists.area);
            d["notes"] = json!("n".repeat(padding));
            json!({ "batch": { "device_id": "t", "items": [item(&new_id(), "interaction", d)] } }).to_string().into_bytes()
        };
        let over = batch(600 * 1024);
        let r = post_raw(&mut app.client(), "/api/sync/v1/push", "application/json", over.clone(), true).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}: not signed in, so not read at all", app.backend);
        let r = post_raw(&mut sam, "/api/sync/v1/push", "application/json", over.clone(), true).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}: over the 512 KiB batch limit", app.backend);
        let r = post_raw(&mut sam, "/api/sync/v1/push", "application/json", over, false).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}: without a declared length too", app.backend);
        let r = post_raw(&mut sam, "/api/sync/v1/push", "application/json", batch(10), true).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
    }
}

#[tokio::test]
async fn personal_pages_and_answers_are_never_stored_by_the_browser() {
    for app in apps().await {
        let (mut sam, _, _, _) = worker(&app).await;
        for path in ["/outreach/follow-ups", "/"] {
            let r = sam.get(path).await;
            assert_eq!(r.header("cache-control"), Some("no-store"), "{}: {path}", app.backend);
        }
        let r = sam.call("outreach/follow-ups", &[]).await;
        assert_eq!(r.header("cache-control"), Some("no-store"), "{}: server function JSON", app.backend);
        let r = app.client().get("/consultations").await;
        assert_eq!(r.header("cache-control"), Some("no-store"), "{}: a resident's own answers can be on public pages", app.backend);
    }
}

#[tokio::test]
async fn outreach_pages_are_for_outreach_staff_only() {
    for app in apps().await {
        let (mut sam, org, _, _) = worker(&app).await;
        app.user(&org, "kim@resident.example", Role::Resident).await;
        let mut kim = app.client();
        kim.sign_in("kim@resident.example", PASSWORD).await;
        for path in [
            "/outreach",
            "/outreach/doorstep",
            "/outreach/conversation",
            "/outreach/events",
            "/outreach/follow-ups",
            "/outreach/consultations",
        ] {
            let anonymous = app.client().get(path).await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}: {path}", app.backend);
            assert!(anonymous.text().contains("Sign in to continue") && !anonymous.text().contains("Sync now"), "{}: {path}", app.backend);
            let resident = kim.get(path).await;
            assert_eq!(resident.status, StatusCode::FORBIDDEN, "{}: {path}", app.backend);
            assert!(resident.text().contains("You cannot see this page"));
            assert_eq!(sam.get(path).await.status, StatusCode::OK, "{}: {path}", app.backend);
        }
    }
}

#[tokio::test]
async fn someone_who_left_only_an_email_is_found_exported_and_erased() {
    for app in apps().await {
        let (mut admin, _, cid, qs, _) = open_for_feedback(&app).await;
        let (choice, words) = (format!("answers[q-{}][]", qs[0]), format!("answers[q-{}][]", qs[1]));
        let form = [
            ("consultation_id", cid.as_str()),
            (choice.as_str(), "o1"),
            (words.as_str(), "My own words about the park"),
            ("notify", "yes"),
            ("email", "Anon.Person@example.org"),
        ];
        assert_eq!(app.client().call("consultations/respond", &form).await.status, StatusCode::OK);
        // An outcome with a hostile title in its subject: no line break reaches the header.
        sqlx::query("UPDATE consultations SET title = $1").bind("Mill Park\r\nBcc: all@example.org").execute(&app.db).await.unwrap();
        admin
            .call(
                "consultations/manage/outcome",
                &[("consultation_id", &cid), ("status", "in_progress"), ("reason", ""), ("progress", "10"), ("body", "Work starts soon.")],
            )
            .await;
        let subject: String = sqlx::query_scalar("SELECT subject FROM outgoing_messages").fetch_one(&app.db).await.unwrap();
        assert!(!subject.contains('\r') && !subject.contains('\n'), "{}: {subject:?}", app.backend);

        let home = admin.call("privacy/home", &[("query", "anon.person@example.org")]).await.json();
        let found = home["found"].as_array().unwrap();
        assert_eq!(found.len(), 1, "{}: {home}", app.backend);
        let rid = found[0]["id"].as_str().unwrap().to_string();
        let file = admin.call("privacy/resident", &[("resident_id", &rid)]).await.json();
        let section =
            |key: &str| file["tables"].as_array().unwrap().iter().find(|t| t["key"] == key).unwrap()["rows"].as_array().unwrap().len();
        assert_eq!(section("consultation_responses"), 1, "{}: {file}", app.backend);
        assert_eq!(section("messages"), 1, "{}", app.backend);
        assert!(file.to_string().contains("My own words about the park"));
        let r = admin.call("privacy/erase", &[("resident_id", &rid), ("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE email IS NOT NULL").await, 0, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM outgoing_messages").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM answers WHERE value LIKE '%own words%'").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1, "{}: the response still counts", app.backend);
    }
}

#[tokio::test]
async fn a_worker_can_take_only_so_many_responses_for_residents_in_a_day_and_results_show_who_took_them() {
    for app in apps().await {
        let (mut admin, org, cid, qs, lists) = open_for_feedback(&app).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let limit = app::domain::consultation::MAX_ASSISTED_PER_WORKER_PER_DAY as usize;
        let answer = || {
            item(
                &new_id(),
                "consultation_response",
                json!({ "consultation_id": cid, "answers": { qs[0].clone(): ["o1"] }, "area_id": lists.area }),
            )
        };
        let mut outcomes = Vec::new();
        for _ in 0..(limit + 1).div_ceil(100) {
            let n = 100.min(limit + 1 - outcomes.len());
            outcomes.extend(sam.push_outcomes((0..n).map(|_| answer()).collect()).await);
        }
        assert_eq!(outcomes.iter().filter(|o| *o == "stored").count(), limit, "{}", app.backend);
        assert_eq!(outcomes.last().map(String::as_str), Some("rejected"), "{}", app.backend);
        let results = admin.call("consultations/manage/results", &[("id", &cid)]).await.json();
        assert_eq!(results["assisted_by"], json!([["Sam Tester", limit]]), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_response_taken_at_the_door_keeps_the_language_it_was_asked_in() {
    for app in apps().await {
        let (_, org, cid, qs, lists) = open_for_feedback(&app).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let asked = |language: Option<&str>| {
            let mut payload = json!({ "consultation_id": cid, "answers": { qs[0].clone(): ["o1"] }, "area_id": lists.area });
            if let Some(language) = language {
                payload["language"] = json!(language);
            }
            item(&new_id(), "consultation_response", payload)
        };
        let outcomes =
            sam.push_outcomes(vec![asked(Some("cy")), asked(Some("en")), asked(None), asked(Some("klingon")), asked(Some("other"))]).await;
        assert_eq!(outcomes, ["stored", "stored", "stored", "rejected", "rejected"], "{}: a tablet from before sends none", app.backend);
        let kept: Vec<String> =
            sqlx::query_scalar("SELECT language FROM responses WHERE assisted = 1 ORDER BY language").fetch_all(&app.db).await.unwrap();
        assert_eq!(kept, ["", "cy", "en"], "{}", app.backend);
    }
}

#[tokio::test]
async fn viewing_a_residents_records_is_audited_only_for_the_sites_own_requests() {
    for app in apps().await {
        let (_, org, lists, _) = worker(&app).await;
        let resident = new_id();
        let mut d = doorstep(&lists.area);
        d["resident"] = json!({ "id": resident, "name": "Mo Ahmed" });
        d["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(sam.push_outcomes(vec![item(&new_id(), "interaction", d)]).await, ["stored"]);
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;
        let page = format!("/privacy/residents/{resident}");
        let audit_sql = format!("SELECT COUNT(*) FROM audit_log WHERE resident_id = '{resident}' AND action = 'viewed'");
        let audited = || app.count(&audit_sql);
        // A GET, from anywhere (another site's link, a typed address, the site's own link, a
        // reload): shown nothing, recorded nothing, and a button that opens it.
        for fetch_site in [Some("cross-site"), Some("none"), Some("same-origin"), None] {
            let mut req = admin.request(Method::GET, &page).header(header::ACCEPT, "text/html");
            if let Some(site) = fetch_site {
                req = req.header("sec-fetch-site", site);
            }
            let r = admin.send(req.body(Body::empty()).unwrap()).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {fetch_site:?}", app.backend);
            assert!(!r.text().contains("Mo Ahmed"), "{}: {fetch_site:?}", app.backend);
            assert!(
                r.text().contains("Show their records") && r.text().contains(&format!("action=\"{page}\"")),
                "{}: {}",
                app.backend,
                r.text()
            );
            assert_eq!(audited().await, 0, "{}: {fetch_site:?}", app.backend);
        }
        // The button posts to the page: shown and audited. Another site's post is refused.
        let open = |c: &Client, origin: &str| {
            c.request(Method::POST, &page)
                .header(header::ACCEPT, "text/html")
                .header(header::ORIGIN, origin)
                .header(header::CONTENT_LENGTH, 0)
                .body(Body::empty())
                .unwrap()
        };
        let req = open(&admin, "https://evil.example");
        let r = admin.send(req).await;
        assert!(r.status.is_client_error() && !r.text().contains("Mo Ahmed"), "{}: {}", app.backend, r.status);
        assert_eq!(audited().await, 0, "{}", app.backend);
        let req = open(&admin, ORIGIN);
        let r = admin.send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert!(r.text().contains("Records held about Mo Ahmed"), "{}", app.backend);
        assert_eq!(audited().await, 1, "{}", app.backend);
        // Someone else's posted page is only for admins.
        let mut sam2 = app.client();
        sam2.sign_in("sam@riverside.example", PASSWORD).await;
        let req = sam2.request(Method::POST, &page).header(header::ORIGIN, ORIGIN).header(header::CONTENT_LENGTH, 0);
        let r = sam2.send(req.body(Body::empty()).unwrap()).await;
        assert!(!r.text().contains("Mo Ahmed"), "{}: a worker", app.backend);
        assert_eq!(audited().await, 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn an_administrator_is_signed_out_after_half_an_hour_idle_and_a_worker_is_not() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        for (email, stays) in [("admin@riverside.example", false), ("sam@riverside.example", true)] {
            let mut c = app.client();
            c.sign_in(email, PASSWORD).await;
            // Their last request was 31 minutes ago (the stored time is moved; no test waits).
            let data: String = sqlx::query_scalar("SELECT data FROM sessions").fetch_one(&app.db).await.unwrap();
            let mut data: serde_json::Value = serde_json::from_str(&data).unwrap();
            let idle = app::server::now() - 31 * 60;
            data["signed_in_at"] = json!(idle);
            data["seen_at"] = json!(idle);
            sqlx::query("UPDATE sessions SET data = $1").bind(data.to_string()).execute(&app.db).await.unwrap();
            let me = c.me().await;
            assert_eq!(me != serde_json::Value::Null, stays, "{}: {email}", app.backend);
            sqlx::query("DELETE FROM sessions").execute(&app.db).await.unwrap();
        }
    }
}

fn second_factor_required(c: &mut app::server::Config) {
    c.require_admin_second_factor = true;
}

/// Sets Priya's session's last confirmation (sign-in or password) `secs` ago.
async fn confirmed_ago(app: &TestApp, secs: i64) {
    let data: String = sqlx::query_scalar("SELECT data FROM sessions WHERE data LIKE '%user_id%'").fetch_one(&app.db).await.unwrap();
    let mut data: serde_json::Value = serde_json::from_str(&data).unwrap();
    data["confirmed_at"] = json!(app::server::now() - secs);
    sqlx::query("UPDATE sessions SET data = $1 WHERE data LIKE '%user_id%'").bind(data.to_string()).execute(&app.db).await.unwrap();
}

#[tokio::test]
async fn an_administrator_sets_up_two_step_verification_and_then_signs_in_with_a_code_each_used_once() {
    use app::server::second_factor::code_at;
    for app in apps_with(second_factor_required).await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "priya@riverside.example", Role::Admin).await;
        let mut priya = app.client();
        priya.sign_in("priya@riverside.example", PASSWORD).await;
        // Signed in, but the administrator's pages stay closed until it is set up.
        assert_eq!(priya.me().await["second_factor_needed"], true, "{}", app.backend);
        let r = priya.call("staff/list", &[]).await;
        assert_eq!((r.status, r.json()), (StatusCode::FORBIDDEN, json!("SecondFactorRequired")), "{}", app.backend);
        assert_eq!(priya.get("/staff").await.status, StatusCode::FORBIDDEN);
        assert_eq!(priya.call("intelligence/dashboard", &[]).await.status, StatusCode::FORBIDDEN, "{}: the dashboard too", app.backend);
        // Another browser signed in with the password alone ends when it is turned on.
        let mut laptop = app.client();
        laptop.sign_in("priya@riverside.example", PASSWORD).await;

        assert_eq!(priya.call("account/2fa/begin", &[]).await.status, StatusCode::OK);
        let view = priya.call("account/view", &[]).await.json();
        let secret = view["setup"]["secret"].as_str().unwrap().replace(' ', "");
        assert!(view["setup"]["qr_svg"].as_str().unwrap().starts_with("<svg"), "{}", app.backend);
        let r = priya.call("account/2fa/confirm", &[("code", "000000")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: a wrong code", app.backend);
        let now = app::server::now();
        let r = priya.call("account/2fa/confirm", &[("code", &code_at(&secret, now).unwrap())]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let view = priya.call("account/view", &[]).await.json();
        let codes: Vec<String> = view["new_recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
        assert_eq!((view["second_factor"].as_bool(), codes.len()), (Some(true), 10), "{}", app.backend);
        assert_eq!(priya.call("staff/list", &[]).await.status, StatusCode::OK, "{}: open now", app.backend);
        assert_eq!(laptop.me().await, serde_json::Value::Null, "{}: the password-only session ended", app.backend);
        let r = priya.call("account/2fa/confirm", &[("code", &code_at(&secret, now + 30).unwrap())]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}: a stale setup cannot replace the key", app.backend);
        priya.call("account/2fa/codes-kept", &[]).await;
        assert_eq!(priya.call("account/view", &[]).await.json()["new_recovery_codes"], json!([]), "shown once");
        assert_eq!(priya.call("account/2fa/off", &[("off_password", PASSWORD)]).await.status, StatusCode::CONFLICT, "admins keep it on");

        // Next time: the password alone signs nobody in.
        let mut next = app.client();
        next.sign_in("priya@riverside.example", PASSWORD).await;
        assert_eq!(next.me().await, serde_json::Value::Null, "{}: waiting for the code", app.backend);
        let r = next.call("auth/code", &[("code", "123456")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        // The code that turned it on was used already; the next step's code works once.
        assert_eq!(
            next.call("auth/code", &[("code", &code_at(&secret, now).unwrap())]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: reused",
            app.backend
        );
        let later = code_at(&secret, now + 30).unwrap();
        assert_eq!(next.call("auth/code", &[("code", &later)]).await.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(next.me().await["email"], "priya@riverside.example");
        assert_eq!(next.call("staff/list", &[]).await.status, StatusCode::OK);
        let mut thief = app.client();
        thief.sign_in("priya@riverside.example", PASSWORD).await;
        assert_eq!(
            thief.call("auth/code", &[("code", &later)]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: a code works once",
            app.backend
        );
        // A recovery code works once, typed loosely.
        assert_eq!(thief.call("auth/code", &[("code", &codes[0].to_uppercase())]).await.status, StatusCode::OK, "{}", app.backend);
        let mut again = app.client();
        again.sign_in("priya@riverside.example", PASSWORD).await;
        assert_eq!(again.call("auth/code", &[("code", &codes[0])]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM security_events WHERE detail = 'wrong or reused second-factor code'").await,
            4,
            "{}",
            app.backend
        );
    }
}

#[tokio::test]
async fn codes_are_throttled_with_the_password() {
    for app in apps_with(second_factor_required).await {
        let org = app.organisation("Riverside").await;
        let priya = app.user(&org, "priya@riverside.example", Role::Admin).await;
        let secret = app::server::second_factor::new_secret();
        let mut conn = app.db.acquire().await.unwrap();
        app::server::repo::users::enable_totp(&mut conn, &priya, &secret, 0, &[], 1).await.unwrap();
        drop(conn);
        let mut c = app.client();
        c.sign_in("priya@riverside.example", PASSWORD).await;
        let mut statuses = Vec::new();
        for _ in 0..7 {
            statuses.push(c.call("auth/code", &[("code", "000000")]).await.status);
        }
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count(), 5, "{}: {statuses:?}", app.backend);
        assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
        let right = app::server::second_factor::code_at(&secret, app::server::now()).unwrap();
        assert_eq!(
            c.call("auth/code", &[("code", &right)]).await.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: even the right code, for now",
            app.backend
        );
    }
}

#[tokio::test]
async fn erasure_a_real_retention_run_and_a_download_ask_for_the_password_again_after_a_while() {
    for app in apps().await {
        let (_, org, lists, _) = worker(&app).await;
        let resident = new_id();
        let mut d = doorstep(&lists.area);
        d["resident"] = json!({ "id": resident, "name": "Mo Ahmed" });
        d["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        sam.push_outcomes(vec![item(&new_id(), "interaction", d)]).await;
        sqlx::query("DELETE FROM sessions").execute(&app.db).await.unwrap();
        app.user(&org, "priya@riverside.example", Role::Admin).await;
        let mut priya = app.client();
        priya.sign_in("priya@riverside.example", PASSWORD).await;
        confirmed_ago(&app, 16 * 60).await;

        let export = |c: &Client, password: &str| {
            c.request(Method::POST, &format!("/privacy/residents/{resident}/export"))
                .header(header::ORIGIN, ORIGIN)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(encode(&[("export_password", password)])))
                .unwrap()
        };
        let r = priya.send(export(&priya, "")).await;
        assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT, "{}: back to the page, still a POST", app.backend);
        assert!(r.header("location").unwrap().contains("export_password=needed"), "{:?}", r.header("location"));
        let r = priya.send(export(&priya, "not my password")).await;
        assert!(
            r.header("location").unwrap_or("").contains("export_password=wrong"),
            "{}: {} {:?} {}",
            app.backend,
            r.status,
            r.header("location"),
            r.body
        );
        // The browser follows the 307 with the same POST: the page, with the records, says why.
        let back = r.header("location").unwrap().split('#').next().unwrap().to_string();
        let req = priya
            .request(Method::POST, &back)
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_LENGTH, 0);
        let page = priya.send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert!(
            page.text().contains("That password is not right") && page.text().contains("Download everything"),
            "{}: the page says why",
            app.backend
        );
        let r = priya.send(export(&priya, PASSWORD)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);

        confirmed_ago(&app, 16 * 60).await;
        let r = priya.call("privacy/retention/run", &[("dry_run", "no"), ("confirm", "yes")]).await;
        assert_eq!(r.json()["Invalid"][0]["field"], "password", "{}: {}", app.backend, r.body);
        assert_eq!(
            priya.call("privacy/retention/run", &[("dry_run", "yes")]).await.status,
            StatusCode::OK,
            "a dry run changes nothing: no password"
        );
        let r = priya.call("privacy/erase", &[("resident_id", &resident), ("confirm", "yes")]).await;
        assert_eq!(r.json()["Invalid"][0]["field"], "password", "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM residents WHERE erased_at IS NOT NULL").await, 0);
        let r = priya.call("privacy/erase", &[("resident_id", &resident), ("confirm", "yes"), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        // Confirmed a moment ago: the next dangerous action does not ask again.
        assert_eq!(priya.call("privacy/retention/run", &[("dry_run", "no"), ("confirm", "yes")]).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn anyone_can_change_their_password_and_their_other_sessions_end() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "kim@resident.example", Role::Resident).await;
        let mut phone = app.client();
        phone.sign_in("kim@resident.example", PASSWORD).await;
        let mut laptop = app.client();
        laptop.sign_in("kim@resident.example", PASSWORD).await;
        let change = |current: &'static str, new: &'static str, again: &'static str| {
            [("current_password", current), ("new_password", new), ("confirm_password", again)]
        };
        let r = phone.call("account/password", &change("wrong", "plum tractor meadow", "plum tractor meadow")).await;
        assert_eq!(r.json()["Invalid"][0]["field"], "current_password", "{}", app.backend);
        let r = phone.call("account/password", &change(PASSWORD, "short", "short")).await;
        assert_eq!(r.json()["Invalid"][0]["field"], "new_password");
        let r = phone.call("account/password", &change(PASSWORD, "plum tractor meadow", "plum tractor meadoww")).await;
        assert_eq!(r.json()["Invalid"][0]["field"], "confirm_password");
        let r = phone.call("account/password", &change(PASSWORD, "plum tractor meadow", "plum tractor meadow")).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(phone.me().await["email"], "kim@resident.example", "{}: this session carries on", app.backend);
        assert_eq!(laptop.me().await, serde_json::Value::Null, "{}: the other one ends", app.backend);
        assert_eq!(app.client().sign_in("kim@resident.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.client().sign_in("kim@resident.example", "plum tractor meadow").await.status, StatusCode::OK);
    }
}

/// R3: the words a resident gives when reporting an idea are theirs: a subject access request
/// shows them, and erasure removes them while the report still counts.
#[tokio::test]
async fn a_reports_own_words_reach_subject_access_and_go_with_erasure() {
    for app in apps().await {
        let (mut admin, org, id) = open_for_ideas(&app, "Empty shops").await;
        app.user(&org, "alex@resident.example", Role::Resident).await;
        let pid = propose(&mut admin, &id, "A youth club").await;
        let mut alex = app.client();
        assert_eq!(alex.sign_in("alex@resident.example", PASSWORD).await.status, StatusCode::OK);
        let words = "It names my neighbour at number 4";
        let r = alex.call("consultations/report", &[("kind", "proposal"), ("target_id", &pid), ("reason", words)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        // Alex's record with the organisation, made when they first decide about their data.
        assert_eq!(alex.call("me/consents/save", &[("contact_about_issue", "yes")]).await.status, StatusCode::OK);
        let rid: String = sqlx::query_scalar("SELECT id FROM residents WHERE user_id IS NOT NULL").fetch_one(&app.db).await.unwrap();

        let file = admin.call("privacy/resident", &[("resident_id", &rid)]).await.json();
        let reports = file["tables"].as_array().unwrap().iter().find(|t| t["key"] == "reports").unwrap()["rows"].to_string();
        assert!(reports.contains(words), "{}: {file}", app.backend);
        let r = admin.call("privacy/erase", &[("resident_id", &rid), ("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM reports WHERE reason LIKE '%neighbour%'").await, 0, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM reports").await, 1, "{}: the report still counts", app.backend);
    }
}
