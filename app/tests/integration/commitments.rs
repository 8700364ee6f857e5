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
