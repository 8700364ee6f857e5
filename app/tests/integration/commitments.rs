//! Commitments ("we will…", "you can…") travel inside the conversation from the tablet's outbox:
//! stored once whatever is replayed, checked like the rest of the record, and shown on the
//! follow-up they go with.

use crate::common::*;
use crate::sync::worker;
use http::StatusCode;
use serde_json::json;

/// A conversation with a follow-up owned by `owner` and two commitments, as a schema 2 tablet
/// sends it.
fn with_commitments(area: &str, theme: &str, owner: &str) -> serde_json::Value {
    let mut p = doorstep(area);
    p["issues"] = json!([theme]);
    p["action"] = json!({ "action": "follow_up", "owner_id": owner, "due_on": "2026-10-01" });
    p["commitments"] = json!([
        { "side": "we", "text": "Chase the damp repair with Housing", "owner_id": owner, "due_on": "2026-09-28" },
        { "side": "you", "text": "Keep the bedroom window open an hour a day" },
    ]);
    p
}

/// id, position, side, owner_id, due_on, status.
type StoredRow = (String, i64, String, Option<String>, Option<String>, String);

fn schema_2(id: &str, payload: serde_json::Value) -> serde_json::Value {
    let mut it = item(id, "interaction", payload);
    it["schema"] = json!(2);
    it
}

#[tokio::test]
async fn commitments_are_stored_once_and_shown_on_their_follow_up() {
    for app in apps().await {
        let (mut sam, _, lists, sam_id) = worker(&app).await;
        let id = new_id();
        let talk = schema_2(&id, with_commitments(&lists.area, &lists.theme, &sam_id));
        assert_eq!(sam.push_outcomes(vec![talk.clone()]).await, ["stored"], "{}", app.backend);
        // The answer was lost: the tablet sends it again, alone and beside a new record.
        let other = schema_2(&new_id(), doorstep(&lists.area));
        assert_eq!(sam.push_outcomes(vec![talk.clone(), other]).await, ["already_stored", "stored"], "{}", app.backend);
        assert_eq!(sam.push_outcomes(vec![talk]).await, ["already_stored"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM commitments").await, 2, "{}", app.backend);
        let rows: Vec<StoredRow> = sqlx::query_as("SELECT id, position, side, owner_id, due_on, status FROM commitments ORDER BY position")
            .fetch_all(&app.db)
            .await
            .unwrap();
        assert_eq!(rows[0], (format!("{id}:1"), 1, "we".into(), Some(sam_id.clone()), Some("2026-09-28".into()), "open".into()));
        assert_eq!(rows[1], (format!("{id}:2"), 2, "you".into(), None, None, "open".into()));

        let follow_ups = sam.call("outreach/follow-ups", &[]).await.json();
        let listed = &follow_ups[0]["commitments"];
        assert_eq!(listed.as_array().map(Vec::len), Some(2), "{}: {follow_ups}", app.backend);
        assert_eq!(listed[0]["side"], "we");
        assert_eq!(listed[0]["text"], "Chase the damp repair with Housing");
        assert_eq!(listed[0]["owner_name"], "Sam Tester");
        assert_eq!(listed[0]["due_on"], "2026-09-28");
        assert_eq!(listed[1]["side"], "you");
        assert_eq!(listed[1]["owner_name"], json!(null));
        assert_eq!(listed[1]["status"], "open");
    }
}

#[tokio::test]
async fn a_bad_commitment_sets_its_record_aside_with_the_field_named_and_stores_nothing_of_it() {
    for app in apps().await {
        let (mut sam, org, lists, sam_id) = worker(&app).await;
        let resident_user = app.user(&org, "alex@resident.example", app::domain::Role::Resident).await;
        let cases = [
            // A resident cannot own what the organisation will do.
            (json!({ "side": "we", "text": "Fix it", "owner_id": resident_user, "due_on": "2026-09-28" }), "commitment-1-owner_id"),
            (json!({ "side": "we", "text": "Fix it", "owner_id": sam_id }), "commitment-1-due_on"),
            (json!({ "side": "you", "text": "Try it", "due_on": "2026-09-20" }), "commitment-1-due_on"),
            (json!({ "side": "you", "text": "Try it", "due_on": "2099-01-01" }), "commitment-1-due_on"),
            (json!({ "side": "you", "text": "  " }), "commitment-1-text"),
            (json!({ "side": "you", "text": "x".repeat(501) }), "commitment-1-text"),
            (json!({ "side": "they", "text": "Try it" }), "payload"),
        ];
        for (commitment, field) in cases {
            let mut p = with_commitments(&lists.area, &lists.theme, &sam_id);
            p["commitments"] = json!([commitment]);
            let r = sam.push(vec![schema_2(&new_id(), p)]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert_eq!(r.json()["results"][0]["outcome"], "rejected", "{}: {commitment}", app.backend);
            assert_eq!(r.json()["results"][0]["field"], field, "{}: {commitment}: {}", app.backend, r.body);
        }
        // Without a follow-up to keep track of them.
        let mut p = with_commitments(&lists.area, &lists.theme, &sam_id);
        p["action"] = json!({ "action": "resolved_on_the_spot" });
        let r = sam.push(vec![schema_2(&new_id(), p)]).await;
        assert_eq!(r.json()["results"][0]["field"], "commitments", "{}", app.backend);
        // Eleven are too many.
        let mut p = with_commitments(&lists.area, &lists.theme, &sam_id);
        p["commitments"] = json!((0..11).map(|i| json!({ "side": "you", "text": format!("Thing {i}") })).collect::<Vec<_>>());
        let r = sam.push(vec![schema_2(&new_id(), p)]).await;
        assert_eq!(r.json()["results"][0]["field"], "commitments", "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 0, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM commitments").await, 0, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_tablet_offline_through_the_upgrade_still_syncs_its_older_records() {
    for app in apps().await {
        let (mut sam, _, lists, sam_id) = worker(&app).await;
        // Schema 1: written before commitments existed, queued through the upgrade.
        let mut old = doorstep(&lists.area);
        old["issues"] = json!([lists.theme]);
        old["action"] = json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-10-01" });
        assert_eq!(sam.push_outcomes(vec![item(&new_id(), "interaction", old)]).await, ["stored"], "{}", app.backend);
        let follow_ups = sam.call("outreach/follow-ups", &[]).await.json();
        assert_eq!(follow_ups[0]["commitments"], json!([]), "{}", app.backend);
        // A schema this server does not know yet is set aside, not misread.
        let mut future = schema_2(&new_id(), with_commitments(&lists.area, &lists.theme, &sam_id));
        future["schema"] = json!(3);
        let r = sam.push(vec![future]).await;
        assert_eq!(r.json()["results"][0]["field"], "schema", "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM commitments").await, 0, "{}", app.backend);
    }
}

/// A resolution of `follow_up` as a tablet of `schema` sends it, saying how its commitments ended.
fn resolution(follow_up: &str, schema: u32, settled: serde_json::Value) -> serde_json::Value {
    let mut it = item(&new_id(), "follow_up_update", json!({ "follow_up_id": follow_up, "note": "Sorted", "commitments": settled }));
    it["base_version"] = json!(1);
    it["schema"] = json!(schema);
    it
}

#[tokio::test]
async fn resolving_the_follow_up_settles_each_commitment_and_an_older_tablet_leaves_them_open() {
    for app in apps().await {
        let (mut sam, _, lists, sam_id) = worker(&app).await;
        let (a, b) = (new_id(), new_id());
        let talks = vec![
            schema_2(&a, with_commitments(&lists.area, &lists.theme, &sam_id)),
            schema_2(&b, with_commitments(&lists.area, &lists.theme, &sam_id)),
        ];
        assert_eq!(sam.push_outcomes(talks).await, ["stored", "stored"], "{}", app.backend);

        // Each must be settled, a "not kept" with its reason, and nothing else named.
        for (settled, field) in [
            (json!([{ "position": 1, "status": "kept" }]), "settle-2-status"),
            (json!([{ "position": 1, "status": "kept" }, { "position": 2, "status": "open" }]), "settle-2-status"),
            (json!([{ "position": 1, "status": "not_kept" }, { "position": 2, "status": "kept" }]), "settle-1-reason"),
            (
                json!([{ "position": 1, "status": "kept" }, { "position": 2, "status": "kept" }, { "position": 3, "status": "kept" }]),
                "commitments",
            ),
            (json!([{ "position": 1, "status": "done" }, { "position": 2, "status": "kept" }]), "payload"),
        ] {
            let r = sam.push(vec![resolution(&a, 2, settled.clone())]).await;
            assert_eq!(r.json()["results"][0]["field"], field, "{}: {settled}: {}", app.backend, r.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE status = 'resolved'").await, 0, "{}", app.backend);
        // Counted before anything is settled: two made on each side, every one open.
        let d = sam.call("intelligence/dashboard", &[]).await.json();
        assert_eq!(
            d["commitments"]["rows"][0].as_array().unwrap()[1..],
            json!(["We will", "<5", "0", "0", "0", "<5", "–"]).as_array().unwrap()[..],
            "{}: {}",
            app.backend,
            d["commitments"]
        );

        let done = resolution(
            &a,
            2,
            json!([{ "position": 1, "status": "not_kept", "reason": "Housing would not book it before March" }, { "position": 2, "status": "kept" }]),
        );
        assert_eq!(sam.push_outcomes(vec![done.clone()]).await, ["stored"], "{}", app.backend);
        assert_eq!(sam.push_outcomes(vec![done]).await, ["already_stored"], "{}: a replay changes nothing", app.backend);
        let settled: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT position, status, outcome_reason, settled_by FROM commitments WHERE follow_up_id = $1 AND settled_at IS NOT NULL ORDER BY position",
        )
        .bind(&a)
        .fetch_all(&app.db)
        .await
        .unwrap();
        assert_eq!(
            settled,
            [
                (1, "not_kept".to_string(), "Housing would not book it before March".to_string(), Some(sam_id.clone())),
                (2, "kept".to_string(), String::new(), Some(sam_id.clone())),
            ],
            "{}",
            app.backend
        );

        // A tablet from before commitments resolves the other: it is resolved, its commitments
        // stay open.
        let mut old = item(&new_id(), "follow_up_update", json!({ "follow_up_id": b, "note": "Sorted" }));
        old["base_version"] = json!(1);
        assert_eq!(sam.push_outcomes(vec![old]).await, ["stored"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM follow_ups WHERE status = 'resolved'").await, 2, "{}", app.backend);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM commitments WHERE follow_up_id = '{b}' AND status = 'open'")).await,
            2,
            "{}",
            app.backend
        );

        // The dashboard counts both sides, small numbers held back.
        let d = sam.call("intelligence/dashboard", &[]).await.json();
        let rows = &d["commitments"]["rows"];
        assert_eq!(rows.as_array().map(Vec::len), Some(2), "{}: {}", app.backend, d["commitments"]);
        assert_eq!(rows[0].as_array().unwrap()[1..], json!(["We will", "<5", "0", "<5", "0", "<5", "–"]).as_array().unwrap()[..]);
        assert_eq!(rows[1].as_array().unwrap()[1..], json!(["You can", "<5", "<5", "0", "0", "<5", "–"]).as_array().unwrap()[..]);
        // By what the conversations were about: every one here raised damp.
        let by_theme = &d["commitments_by_theme"];
        assert_eq!(by_theme["columns"][0], "Theme", "{}", app.backend);
        assert_eq!(by_theme["rows"][0][0], "Damp and mould", "{}: {by_theme}", app.backend);
        assert_eq!(by_theme["rows"][0].as_array().unwrap()[1..], rows[0].as_array().unwrap()[1..]);
        assert_eq!(by_theme["rows"].as_array().map(Vec::len), Some(2));
        let csv = sam.get("/intelligence/export/commitments-by-theme").await;
        assert_eq!(csv.status, StatusCode::OK, "{}", app.backend);
        assert!(csv.body.starts_with("Theme,Side,Made,"), "{}: {}", app.backend, csv.body);
    }
}

#[tokio::test]
async fn the_resident_gets_what_was_agreed_in_writing_once_and_only_with_their_consent() {
    for app in apps().await {
        let (mut sam, _, lists, sam_id) = worker(&app).await;
        let talk = |name: &str, email: &str, granted: bool| {
            let mut p = with_commitments(&lists.area, &lists.theme, &sam_id);
            p["resident"] = json!({ "id": new_id(), "name": name, "contact": email });
            p["consents"] = json!([{ "purpose": "contact_about_issue", "granted": granted, "lawful_basis": "consent" }]);
            p
        };
        let agreed = schema_2(&new_id(), talk("Hana Patel", "hana@example.net", true));
        let quiet = schema_2(&new_id(), talk("Ola Quiet", "ola@example.net", false));
        assert_eq!(sam.push_outcomes(vec![agreed.clone(), quiet]).await, ["stored", "stored"], "{}", app.backend);
        // The tablet never heard the answer and sends it again: no second letter.
        assert_eq!(sam.push_outcomes(vec![agreed]).await, ["already_stored"], "{}", app.backend);
        app.deliver().await;
        let got = app.smtp.to("hana@example.net");
        assert_eq!(got.len(), 1, "{}", app.backend);
        assert_eq!(got[0].header("Subject").as_deref(), Some("Riverside: what we agreed"), "{}", app.backend);
        let text = got[0].text();
        for expected in [
            "Hello Hana Patel",
            "On 21 September 2026 you spoke to Sam Tester from Riverside.",
            "We will: Chase the damp repair with Housing (Sam Tester) by 28 September 2026.",
            "You can: Keep the bedroom window open an hour a day.",
        ] {
            assert!(text.contains(expected), "{}: {expected} not in {text}", app.backend);
        }
        assert!(!text.contains("Spoke about the park"), "{}: the worker's notes are for colleagues", app.backend);
        assert!(got[0].header("List-Unsubscribe").is_some(), "{}", app.backend);
        assert!(app.smtp.to("ola@example.net").is_empty(), "{}: no consent, no letter", app.backend);
    }
}

/// A commitment added to follow-up `follow_up` after the visit, as the card's form sends it.
fn added(follow_up: &str, commitment: serde_json::Value) -> serde_json::Value {
    let mut it = item(&new_id(), "commitment_added", json!({ "follow_up_id": follow_up, "commitment": commitment }));
    it["schema"] = json!(2);
    it["created_on_device_at"] = json!(app::server::now());
    it
}

#[tokio::test]
async fn a_commitment_agreed_after_the_visit_joins_its_follow_up_once_and_is_settled_with_the_others() {
    for app in apps().await {
        let (mut sam, org, lists, sam_id) = worker(&app).await;
        let fu = new_id();
        assert_eq!(sam.push_outcomes(vec![schema_2(&fu, with_commitments(&lists.area, &lists.theme, &sam_id))]).await, ["stored"]);
        let next_week = app::domain::calendar::uk_date(app::server::now() + 7 * 86_400);
        let later = added(&fu, json!({ "side": "we", "text": "Book the damp survey", "owner_id": sam_id, "due_on": next_week }));
        assert_eq!(sam.push_outcomes(vec![later.clone()]).await, ["stored"], "{}", app.backend);
        // The answer was lost: sent again, it is the same commitment.
        assert_eq!(sam.push_outcomes(vec![later.clone()]).await, ["already_stored"], "{}", app.backend);
        let listed = sam.call("outreach/follow-ups", &[]).await.json()[0]["commitments"].clone();
        assert_eq!(listed.as_array().map(Vec::len), Some(3), "{}: {listed}", app.backend);
        assert_eq!((listed[2]["position"].as_u64(), listed[2]["text"].as_str()), (Some(3), Some("Book the damp survey")));

        // Each problem named, as in a conversation; only the owner (or an admin) adds, and only
        // to an open follow-up of their own organisation.
        let cases = [
            (added(&fu, json!({ "side": "we", "text": "Chase it", "owner_id": sam_id, "due_on": "2020-01-01" })), "commitment-1-due_on"),
            (added(&fu, json!({ "side": "we", "text": "Chase it", "owner_id": "stranger", "due_on": next_week })), "commitment-1-owner_id"),
            (added(&fu, json!({ "side": "you", "text": " " })), "commitment-1-text"),
            (added(&new_id(), json!({ "side": "you", "text": "Try it" })), "follow_up_id"),
            (added(&fu, json!({ "side": "they", "text": "Try it" })), "payload"),
        ];
        for (it, field) in cases {
            let r = sam.push(vec![it.clone()]).await;
            assert_eq!(r.json()["results"][0]["field"], field, "{}: {it}: {}", app.backend, r.body);
        }
        app.user(&org, "jo@riverside.example", app::domain::Role::OutreachWorker).await;
        let mut jo = app.client();
        jo.sign_in("jo@riverside.example", PASSWORD).await;
        let r = jo.push(vec![added(&fu, json!({ "side": "you", "text": "Try it" }))]).await;
        assert_eq!(r.json()["results"][0]["field"], "follow_up_id", "{}: {}", app.backend, r.body);
        let hillside = app.organisation("Hillside").await;
        app.user(&hillside, "ola@hillside.example", app::domain::Role::OutreachWorker).await;
        let mut ola = app.client();
        ola.sign_in("ola@hillside.example", PASSWORD).await;
        let r = ola.push(vec![added(&fu, json!({ "side": "you", "text": "Try it" }))]).await;
        assert_eq!(r.json()["results"][0]["field"], "follow_up_id", "{}: another organisation's", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM commitments").await, 3, "{}", app.backend);

        // Ten at most, however they were added.
        let more: Vec<_> = (0..8).map(|n| added(&fu, json!({ "side": "you", "text": format!("Thing {n}") }))).collect();
        let outcomes = sam.push_outcomes(more).await;
        assert_eq!(outcomes[..7], ["stored"; 7], "{}", app.backend);
        assert_eq!(outcomes[7], "rejected", "{}: the eleventh", app.backend);

        // A resolution made without knowing of them (on the follow-up as it was) is a conflict:
        // the tablet reloads it. Resolving then settles every one, the added ones by their place;
        // after that nothing is added.
        let settled: Vec<_> = (1..=10).map(|p| json!({ "position": p, "status": "kept" })).collect();
        let resolve = |version: i64| {
            let mut done = item(&new_id(), "follow_up_update", json!({ "follow_up_id": fu, "note": "Sorted", "commitments": settled }));
            done["base_version"] = json!(version);
            done["schema"] = json!(2);
            done
        };
        assert_eq!(sam.push_outcomes(vec![resolve(1)]).await, ["conflict"], "{}", app.backend);
        let version = sam.call("outreach/follow-ups", &[]).await.json()[0]["version"].as_i64().unwrap();
        assert_eq!(version, 9, "{}: one more for each of the eight added", app.backend);
        assert_eq!(sam.push_outcomes(vec![resolve(version)]).await, ["stored"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM commitments WHERE status = 'kept'").await, 10, "{}", app.backend);
        let d = sam.call("intelligence/dashboard", &[]).await.json();
        assert_eq!(d["commitments"]["rows"][0][2], "<5", "{}: {}", app.backend, d["commitments"]);
        assert_eq!(d["commitments"]["rows"][1][2], "8", "{}: the resident's side counted with the rest", app.backend);
        let r = sam.push(vec![added(&fu, json!({ "side": "you", "text": "Too late" }))]).await;
        assert_eq!(r.json()["results"][0]["field"], "follow_up_id", "{}: resolved", app.backend);
    }
}

#[tokio::test]
async fn a_commitment_naming_a_service_is_counted_under_it_beside_the_referrals_to_it() {
    use app::server::repo::intelligence as q;
    for app in apps().await {
        let (mut sam, org, lists, sam_id) = worker(&app).await;
        // A: both sides name Housing repairs, told to the resident; B: a referral to Housing
        // repairs the same day, in the same area and about the same theme; C: none named.
        let (a, b, c) = (new_id(), new_id(), new_id());
        let mut named = with_commitments(&lists.area, &lists.theme, &sam_id);
        named["commitments"][0]["service_id"] = json!(lists.service);
        named["commitments"][1]["service_id"] = json!(lists.service);
        named["resident"] = json!({ "id": new_id(), "name": "Hana Patel", "contact": "hana@example.net" });
        named["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
        let mut referral = doorstep(&lists.area);
        referral["issues"] = json!([lists.theme]);
        referral["action"] = json!({ "action": "referred_to_service", "service_id": lists.service });
        let talks =
            vec![schema_2(&a, named.clone()), schema_2(&b, referral), schema_2(&c, with_commitments(&lists.area, &lists.theme, &sam_id))];
        assert_eq!(sam.push_outcomes(talks).await, ["stored", "stored", "stored"], "{}", app.backend);
        let later = added(&c, json!({ "side": "you", "text": "Report the next leak online", "service_id": lists.service }));
        assert_eq!(sam.push_outcomes(vec![later]).await, ["stored"], "{}", app.backend);
        let stored: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT id, service_id FROM commitments ORDER BY follow_up_id = $1 DESC, position")
                .bind(&a)
                .fetch_all(&app.db)
                .await
                .unwrap();
        let service = Some(lists.service.clone());
        assert_eq!(
            stored.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>(),
            [service.clone(), service.clone(), None, None, service.clone()],
            "{}",
            app.backend
        );

        // Only one of the organisation's own services can be named.
        let hillside = app.organisation("Hillside").await;
        let theirs = app.lists(&hillside).await.service;
        let mut wrong = with_commitments(&lists.area, &lists.theme, &sam_id);
        wrong["commitments"][1]["service_id"] = json!(theirs);
        let r = sam.push(vec![schema_2(&new_id(), wrong)]).await;
        assert_eq!(r.json()["results"][0]["field"], "commitment-2-service_id", "{}: {}", app.backend, r.body);
        let r = sam.push(vec![added(&c, json!({ "side": "you", "text": "Try it", "service_id": theirs }))]).await;
        assert_eq!(r.json()["results"][0]["field"], "commitment-1-service_id", "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM commitments").await, 5, "{}", app.backend);

        // The follow-up card and the letter to the resident say which service.
        let follow_ups = sam.call("outreach/follow-ups", &[]).await.json();
        let card = follow_ups.as_array().unwrap().iter().find(|f| f["id"] == json!(a)).unwrap();
        assert_eq!(card["commitments"][0]["service_name"], "Housing repairs", "{}: {card}", app.backend);
        app.deliver().await;
        let letter = app.smtp.to("hana@example.net");
        assert_eq!(letter.len(), 1, "{}", app.backend);
        let text = letter[0].text();
        assert!(text.contains("We will: Chase the damp repair with Housing (Sam Tester, Housing repairs) by 28 September 2026."), "{text}");
        assert!(text.contains("You can: Keep the bedroom window open an hour a day (Housing repairs)."), "{text}");

        // Settled, they count under the service, in the same row as the referral to it.
        let done = resolution(&a, 2, json!([{ "position": 1, "status": "kept" }, { "position": 2, "status": "not_needed" }]));
        assert_eq!(sam.push_outcomes(vec![done]).await, ["stored"], "{}", app.backend);
        q::refresh_dirty(&app.db, None).await.unwrap();
        let rows = q::counts(&app.db, &org, &Default::default(), &q::Who::Everyone).await.unwrap();
        let of = |service: &str, theme: &str| {
            let mut m = q::Measures::default();
            rows.iter().filter(|r| r.service == service && r.theme == theme).for_each(|r| m.add(&r.m));
            m
        };
        for theme in ["", lists.theme.as_str()] {
            let housing = of(&lists.service, theme);
            assert_eq!(housing.commitments, [[0, 1, 0, 0], [1, 0, 0, 1]], "{}: theme {theme:?}", app.backend);
            assert_eq!((housing.conversations, housing.referred), (1, 1), "{}: the referral's row kept", app.backend);
            let none = of("", theme);
            assert_eq!(none.commitments, [[1, 0, 0, 0], [1, 0, 0, 0]], "{}: theme {theme:?}", app.backend);
            assert_eq!(none.conversations, 2, "{}", app.backend);
        }
        let d = sam.call("intelligence/dashboard", &[]).await.json();
        let by_service = &d["commitments_by_service"];
        assert_eq!(by_service["columns"][0], "Service", "{}", app.backend);
        let names: Vec<(String, String)> = by_service["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_str().unwrap().to_string()))
            .collect();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            names,
            [
                pair("Housing repairs", "We will"),
                pair("Housing repairs", "You can"),
                pair("No service named", "We will"),
                pair("No service named", "You can")
            ],
            "{}: {by_service}",
            app.backend
        );
        assert_eq!(d["referrals"]["rows"][0][0], "Housing repairs", "{}: {}", app.backend, d["referrals"]);
        let csv = sam.get("/intelligence/export/commitments-by-service").await;
        assert!(csv.body.starts_with("Service,Side,Made,"), "{}: {}", app.backend, csv.body);

        // Kept as they arrived, the counts are what a rebuild from scratch gives.
        let kept = app::server::repo::intelligence::every_count(&app.db, &org).await.unwrap();
        q::rebuild_organisation(&app.db, &org).await.unwrap();
        assert_eq!(app::server::repo::intelligence::every_count(&app.db, &org).await.unwrap(), kept, "{}", app.backend);
    }
}
