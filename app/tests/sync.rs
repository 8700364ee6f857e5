//! The sync door: idempotent, partial, isolated, conflict-aware, bounded.

mod common;

use app::domain::Role;
use common::*;
use http::StatusCode;
use serde_json::json;

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
async fn a_replayed_batch_is_acknowledged_and_stored_once() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let items: Vec<_> = (0..3).map(|_| item(&new_id(), "interaction", doorstep(&lists.area))).collect();
        assert_eq!(sam.push_outcomes(items.clone()).await, ["stored"; 3], "{}", app.backend);
        assert_eq!(sam.push_outcomes(items.clone()).await, ["already_stored"; 3], "{}", app.backend);
        let mut doubled = items.clone();
        doubled.push(items[0].clone());
        assert_eq!(sam.push_outcomes(doubled).await, ["already_stored"; 4]);
        // A copy of a rejected record in the same batch is rejected too, never "already stored".
        let mut bad = doorstep(&lists.area);
        bad["felt_heard"] = json!(0);
        let bad = item(&new_id(), "interaction", bad);
        assert_eq!(sam.push_outcomes(vec![bad.clone(), bad]).await, ["rejected", "rejected"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 3, "{}", app.backend);
        let held = sam.call("outreach/interactions", &[]).await.json();
        assert_eq!(held["total"], 3);
        assert_eq!(held["recent"][0]["area_name"], "Mill Ward");
    }
}

#[tokio::test]
async fn one_bad_record_is_rejected_alone_with_its_reason() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let mut bad = doorstep(&lists.area);
        bad["felt_heard"] = json!(9);
        let mut unreadable = doorstep(&lists.area);
        unreadable.as_object_mut().unwrap().remove("area_id");
        let r = sam
            .push(vec![
                item(&new_id(), "interaction", doorstep(&lists.area)),
                item(&new_id(), "interaction", bad),
                item(&new_id(), "interaction", unreadable),
                item("not-a-uuid", "interaction", doorstep(&lists.area)),
                item(&new_id(), "teleport", json!({})),
                item(&new_id(), "interaction", doorstep(&lists.other_area)),
            ])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let results = r.json()["results"].clone();
        let outcomes: Vec<&str> = results.as_array().unwrap().iter().map(|x| x["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["stored", "rejected", "rejected", "rejected", "rejected", "stored"], "{}", app.backend);
        assert_eq!(results[1]["field"], "felt_heard");
        assert_eq!(results[1]["reason"], "Choose a score from 1 to 5");
        assert!(results[2]["reason"].as_str().unwrap().contains("area_id"), "{}", results[2]);
        assert_eq!(results[3]["field"], "id");
        assert_eq!(results[4]["field"], "kind");
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 2);
    }
}

#[tokio::test]
async fn a_full_conversation_stores_the_resident_their_consents_issues_and_follow_up() {
    for app in apps().await {
        let (mut sam, org, lists, sam_id) = worker(&app).await;
        let resident = new_id();
        let id = new_id();
        let payload = json!({
            "kind": "doorstep", "area_id": lists.area, "address": "3 Weir Road", "occurred_at": 1_800_000_000,
            "outcome": "talked", "issues": [lists.theme, lists.other_theme],
            "action": { "action": "follow_up", "owner_id": sam_id, "due_on": "2026-12-04" },
            "felt_heard": 2, "notes": "Mould in the bedroom; landlord not answering",
            "resident": { "id": resident, "name": "Mo Ahmed", "contact": "07700 900123", "preferred_language": "Welsh" },
            "consents": [
                { "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" },
                { "purpose": "volunteering_opportunities", "granted": false, "lawful_basis": "consent" }
            ],
            "involvement": { "interests": [lists.interest], "skills": "Carpentry", "availability": "Saturday mornings", "channel": "text" }
        });
        assert_eq!(sam.push_outcomes(vec![item(&id, "interaction", payload)]).await, ["stored"], "{}", app.backend);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM residents WHERE id = '{resident}' AND organisation_id = '{org}'")).await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM consents WHERE granted = 1").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM consents WHERE granted = 0").await, 1);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM interaction_issues WHERE interaction_id = '{id}'")).await, 2);
        let follow_ups = sam.call("outreach/follow-ups", &[]).await.json();
        assert_eq!(follow_ups[0]["id"], id.as_str(), "{}", app.backend);
        assert_eq!(follow_ups[0]["resident_name"], "Mo Ahmed");
        assert_eq!(follow_ups[0]["issues"], json!(["Antisocial behaviour", "Damp and mould"]));
        assert_eq!(follow_ups[0]["version"], 1);
        assert_eq!(follow_ups[0]["resident_id"], resident.as_str());

        let history = sam.call("outreach/resident-history", &[("resident_id", &resident)]).await.json();
        assert_eq!(history.as_array().unwrap().len(), 1, "{}", app.backend);
        assert_eq!(history[0]["notes"], "Mould in the bedroom; landlord not answering");
        assert_eq!(history[0]["worker_name"], "Sam Tester");
        let hillside = app.organisation("Hillside").await;
        app.user(&hillside, "pat@hillside.example", Role::OutreachWorker).await;
        let mut pat = app.client();
        pat.sign_in("pat@hillside.example", PASSWORD).await;
        let theirs = pat.call("outreach/resident-history", &[("resident_id", &resident)]).await.json();
        assert_eq!(theirs, json!([]), "{}: another organisation sees nothing", app.backend);
    }
}

#[tokio::test]
async fn a_stale_follow_up_edit_is_a_conflict_not_a_silent_overwrite() {
    for app in apps().await {
        let (mut sam, _, lists, sam_id) = worker(&app).await;
        let fu = new_id();
        let mut payload = doorstep(&lists.area);
        payload["issues"] = json!([lists.theme]);
        payload["action"] = json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-12-04" });
        assert_eq!(sam.push_outcomes(vec![item(&fu, "interaction", payload)]).await, ["stored"]);

        let resolve = |id: &str, base: i64, note: &str| {
            let mut it = item(id, "follow_up_update", json!({ "follow_up_id": fu, "note": note }));
            it["base_version"] = json!(base);
            it
        };
        let first = new_id();
        assert_eq!(sam.push_outcomes(vec![resolve(&first, 1, "Repairs booked for Tuesday")]).await, ["stored"], "{}", app.backend);
        assert_eq!(sam.push_outcomes(vec![resolve(&first, 1, "Repairs booked for Tuesday")]).await, ["already_stored"], "a replay is not a conflict");
        let r = sam.push(vec![resolve(&new_id(), 1, "Another tablet's stale edit")]).await;
        let result = &r.json()["results"][0];
        assert_eq!(result["outcome"], "conflict", "{}: {}", app.backend, r.body);
        assert_eq!(result["current"]["version"], 2);
        let note = sqlx::query_scalar::<_, String>("SELECT resolution_note FROM follow_ups").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(note, "Repairs booked for Tuesday");
        assert_eq!(sam.call("outreach/follow-ups", &[]).await.json(), json!([]), "resolved follow-ups leave the list");
    }
}

#[tokio::test]
async fn a_device_syncs_only_into_its_users_organisation() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let hillside = app.organisation("Hillside").await;
        app.user(&hillside, "pat@hillside.example", Role::OutreachWorker).await;
        let hill_lists = app.lists(&hillside).await;
        let mut pat = app.client();
        pat.sign_in("pat@hillside.example", PASSWORD).await;

        let sams = new_id();
        let resident = new_id();
        let mut with_resident = doorstep(&lists.area);
        with_resident["resident"] = json!({ "id": resident, "name": "Mo" });
        with_resident["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
        assert_eq!(sam.push_outcomes(vec![item(&sams, "interaction", with_resident.clone())]).await, ["stored"]);

        let mut steal_resident = doorstep(&hill_lists.area);
        steal_resident["resident"] = json!({ "id": resident, "name": "Mo" });
        steal_resident["consents"] = with_resident["consents"].clone();
        let r = pat
            .push(vec![
                item(&sams, "interaction", doorstep(&hill_lists.area)),
                item(&new_id(), "interaction", doorstep(&lists.area)),
                item(&new_id(), "interaction", steal_resident),
            ])
            .await;
        let results = r.json()["results"].clone();
        assert_eq!(results[0]["outcome"], "rejected", "{}: another organisation's id is not 'already stored'", app.backend);
        assert_eq!(results[0]["field"], "id");
        assert_eq!(results[1]["field"], "area_id", "another organisation's area is not on Hillside's list");
        assert_eq!(results[2]["field"], "resident_name");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM interactions WHERE organisation_id = '{hillside}'")).await, 0);
        assert_eq!(pat.call("outreach/interactions", &[]).await.json()["total"], 0);
    }
}

#[tokio::test]
async fn events_and_their_contacts_sync_together_in_order() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let event = new_id();
        let contact = |event_id: &str| {
            let mut p = doorstep(&lists.area);
            p["kind"] = json!("event");
            p["event_id"] = json!(event_id);
            p
        };
        let outcomes = sam
            .push_outcomes(vec![
                item(&event, "event", json!({ "name": "Winter fair", "place": "Mill Hall", "held_on": "2026-12-05" })),
                item(&new_id(), "interaction", contact(&event)),
                item(&new_id(), "interaction", contact(&event)),
                item(&new_id(), "interaction", contact(&new_id())),
            ])
            .await;
        assert_eq!(outcomes, ["stored", "stored", "stored", "rejected"], "{}", app.backend);
        // A later batch can still refer to the event.
        assert_eq!(sam.push_outcomes(vec![item(&new_id(), "interaction", contact(&event))]).await, ["stored"]);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM interactions WHERE event_id = '{event}'")).await, 3);
    }
}

#[tokio::test]
async fn unknown_schema_versions_are_set_aside_not_misread() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let mut future = item(&new_id(), "interaction", doorstep(&lists.area));
        future["schema"] = json!(99);
        let r = sam.push(vec![future]).await;
        assert_eq!(r.json()["results"][0]["field"], "schema", "{}", app.backend);
    }
}

#[tokio::test]
async fn oversize_batches_get_a_clear_error_and_store_nothing() {
    for app in apps_with(|c| c.max_body_bytes = 256 * 1024).await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let many: Vec<_> = (0..101).map(|_| item(&new_id(), "interaction", doorstep(&lists.area))).collect();
        let r = sam.push(many).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        assert!(r.body.contains("Send at most 100 records at a time"), "{}", r.body);
        let mut huge = doorstep(&lists.area);
        huge["notes"] = json!("x".repeat(300 * 1024));
        let r = sam.push(vec![item(&new_id(), "interaction", huge)]).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", app.backend);
        let mut long = doorstep(&lists.area);
        long["notes"] = json!("x".repeat(5001));
        let r = sam.push(vec![item(&new_id(), "interaction", long)]).await;
        assert_eq!(r.json()["results"][0]["field"], "notes");
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 0);
    }
}

#[tokio::test]
async fn only_outreach_staff_can_sync() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        let lists = app.lists(&org).await;
        app.user(&org, "dee@riverside.example", Role::GroupOrganiser).await;
        app.user(&org, "alex@riverside.example", Role::Resident).await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        for (email, status) in [
            ("dee@riverside.example", StatusCode::FORBIDDEN),
            ("alex@riverside.example", StatusCode::FORBIDDEN),
            ("admin@riverside.example", StatusCode::OK),
        ] {
            let mut c = app.client();
            c.sign_in(email, PASSWORD).await;
            assert_eq!(c.push(vec![item(&new_id(), "interaction", doorstep(&lists.area))]).await.status, status, "{}: {email}", app.backend);
        }
        assert_eq!(app.client().push(vec![]).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 1);
    }
}

#[tokio::test]
async fn a_follow_up_made_and_resolved_offline_arrives_in_one_batch() {
    for app in apps().await {
        let (mut sam, _, lists, sam_id) = worker(&app).await;
        let fu = new_id();
        let mut payload = doorstep(&lists.area);
        payload["issues"] = json!([lists.theme]);
        payload["action"] = json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-12-04" });
        let mut resolve = item(&new_id(), "follow_up_update", json!({ "follow_up_id": fu, "note": "Sorted the same afternoon" }));
        resolve["base_version"] = json!(1);
        // The edit comes first in the batch here: it must still see the follow-up made beside it.
        let outcomes = sam.push_outcomes(vec![resolve.clone(), item(&fu, "interaction", payload)]).await;
        assert_eq!(outcomes, ["stored", "stored"], "{}", app.backend);
        assert_eq!(app.count("SELECT version FROM follow_ups").await, 2);
        assert_eq!(sam.push_outcomes(vec![resolve]).await, ["already_stored"]);
    }
}
