//! The sync door: idempotent, partial, isolated, conflict-aware, bounded.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;
use serde_json::json;

/// Sam, an outreach worker signed in on a tablet: (client, organisation id, lists, Sam's id).
pub(crate) async fn worker(app: &TestApp) -> (Client, String, Lists, String) {
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
            "kind": "doorstep", "area_id": lists.area, "address": "3 Weir Road", "occurred_at": 1_790_000_000,
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
        let theirs = pat.call("outreach/resident-history", &[("resident_id", &resident)]).await;
        assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}: another organisation sees nothing", app.backend);
        // Within the organisation: only whoever met them or follows up, and admins; each read audited.
        app.user(&org, "kit@riverside.example", Role::OutreachWorker).await;
        let mut kit = app.client();
        kit.sign_in("kit@riverside.example", PASSWORD).await;
        let r = kit.call("outreach/resident-history", &[("resident_id", &resident)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}: a colleague who never met them", app.backend);
        app.user(&org, "ana@riverside.example", Role::Admin).await;
        let mut ana = app.client();
        ana.sign_in("ana@riverside.example", PASSWORD).await;
        assert_eq!(ana.call("outreach/resident-history", &[("resident_id", &resident)]).await.json().as_array().unwrap().len(), 1);
        let audited = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE resident_id = '{resident}' AND action = 'viewed'")).await;
        assert_eq!(audited, 2, "{}: Sam's read and the admin's", app.backend);
        // An admin asking for a resident the organisation does not have (another's, or an id
        // made up, however long) is told so, and nothing is audited.
        let before = app.count("SELECT COUNT(*) FROM audit_log").await;
        let made_up = "😀".repeat(75_000);
        for id in [new_id(), made_up] {
            let r = ana.call("outreach/resident-history", &[("resident_id", &id)]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: {}", app.backend, &r.body[..r.body.len().min(200)]);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, before, "{}", app.backend);
        // A link from elsewhere (a GET of a page) records nothing.
        let before = app.count("SELECT COUNT(*) FROM audit_log").await;
        ana.get(&format!("/privacy/residents/{resident}")).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, before, "{}: no audit entry on a cross-site GET", app.backend);
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
        assert_eq!(
            sam.push_outcomes(vec![resolve(&first, 1, "Repairs booked for Tuesday")]).await,
            ["already_stored"],
            "a replay is not a conflict"
        );
        let r = sam.push(vec![resolve(&new_id(), 1, "Another tablet's stale edit")]).await;
        let result = &r.json()["results"][0];
        assert_eq!(result["outcome"], "conflict", "{}: {}", app.backend, r.body);
        assert_eq!(result["current"]["version"], 2);
        let note = sqlx::query_scalar::<_, String>("SELECT resolution_note FROM follow_ups").fetch_one(&app.db).await.unwrap();
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
            assert_eq!(
                c.push(vec![item(&new_id(), "interaction", doorstep(&lists.area))]).await.status,
                status,
                "{}: {email}",
                app.backend
            );
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

#[tokio::test]
async fn a_batch_mixing_replays_and_new_records_tells_them_apart() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let mut with_issue = doorstep(&lists.area);
        with_issue["issues"] = json!([lists.theme]);
        let first: Vec<_> = (0..2).map(|_| item(&new_id(), "interaction", with_issue.clone())).collect();
        assert_eq!(sam.push_outcomes(first.clone()).await, ["stored"; 2], "{}", app.backend);
        // The answer was lost: the tablet sends them again with two new ones.
        let mut again = vec![first[0].clone(), item(&new_id(), "interaction", with_issue.clone()), first[1].clone()];
        again.push(item(&new_id(), "interaction", with_issue.clone()));
        assert_eq!(sam.push_outcomes(again).await, ["already_stored", "stored", "already_stored", "stored"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 4, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM interaction_issues").await, 4, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_replay_is_acknowledged_even_if_todays_checks_would_refuse_it() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let stored = item(&new_id(), "interaction", doorstep(&lists.area));
        assert_eq!(sam.push_outcomes(vec![stored.clone()]).await, ["stored"], "{}", app.backend);
        // The ward is retired before the lost answer is retried: the record is still safe.
        sqlx::query("UPDATE areas SET active = 0 WHERE id = $1").bind(&lists.area).execute(&app.db).await.unwrap();
        let refused_new = item(&new_id(), "interaction", doorstep(&lists.area));
        assert_eq!(sam.push_outcomes(vec![stored, refused_new]).await, ["already_stored", "rejected"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn tablets_syncing_at_once_each_get_their_own_answers_and_nothing_is_lost() {
    for app in apps().await {
        let (_, _, lists, _) = worker(&app).await;
        let mut tablets = Vec::new();
        for _ in 0..6 {
            let mut c = app.client();
            assert_eq!(c.sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK);
            tablets.push(c);
        }
        let mut created = 0;
        let mut tasks = Vec::new();
        for (t, mut tablet) in tablets.into_iter().enumerate() {
            let batches: Vec<Vec<serde_json::Value>> =
                (0..4).map(|_| (0..20).map(|_| item(&new_id(), "interaction", doorstep(&lists.area))).collect()).collect();
            created += 80;
            let bad_area = lists.other_area.clone();
            tasks.push(tokio::spawn(async move {
                for (b, batch) in batches.iter().enumerate() {
                    let mut send = batch.clone();
                    if b > 0 {
                        // Every batch also repeats one record of the batch before (a lost answer).
                        send.push(batches[b - 1][0].clone());
                    }
                    if t == 0 && b == 0 {
                        // And one tablet has a record the server refuses, which must not touch the rest.
                        let mut bad = doorstep(&bad_area);
                        bad["felt_heard"] = json!(7);
                        send.push(item(&new_id(), "interaction", bad));
                    }
                    let outcomes = tablet.push_outcomes(send).await;
                    assert_eq!(outcomes[..20], ["stored"; 20]);
                    if b > 0 {
                        assert_eq!(outcomes[20], "already_stored");
                    }
                    if t == 0 && b == 0 {
                        assert_eq!(outcomes[20], "rejected");
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, created, "{}", app.backend);
        // The dashboard's counts, kept by every one of those transactions, missed none of them
        // (on PostgreSQL they ran side by side).
        app::server::repo::intelligence::refresh_dirty(&app.db, None).await.unwrap();
        for grain in [0, 1] {
            let counted = app
                .count(&format!("SELECT CAST(COALESCE(SUM(conversations), 0) AS BIGINT) FROM intelligence_counts WHERE worker_id = '' AND theme_id = '' AND grain = {grain}"))
                .await;
            assert_eq!(counted, created, "{} grain {grain}", app.backend);
        }
    }
}

#[tokio::test]
async fn a_batch_that_fails_in_a_shared_commit_fails_alone() {
    use app::server::{repo, sync};
    for app in apps().await {
        let (_, org, lists, _) = worker(&app).await;
        let user = repo::users::find_by_email(&app.db, "sam@riverside.example").await.unwrap().unwrap();
        let reference = repo::outreach::reference_data(&app.db, &org, "2000-01-01").await.unwrap();
        let cx = sync::Context {
            user: user.clone(),
            device_id: "tablet-1".into(),
            reference: reference.clone(),
            is_admin: false,
            backend: app.db.backend,
            link_base: ORIGIN.into(),
            locale: Default::default(),
        };
        // A device whose idea of the lists is wrong in a way only the database notices: an
        // area that passes the checks but does not exist, so its insert fails on the foreign key.
        let mut wrong = reference.clone();
        wrong.areas.push(app::api::Named { id: "no-such-area".into(), name: "Nowhere".into() });
        let cx_broken = sync::Context {
            user,
            device_id: "tablet-2".into(),
            reference: wrong,
            is_admin: false,
            backend: app.db.backend,
            link_base: ORIGIN.into(),
            locale: Default::default(),
        };
        let parse = |v: Vec<serde_json::Value>| -> Vec<app::domain::sync::SyncItem> { serde_json::from_value(json!(v)).unwrap() };
        let good_1 = parse((0..3).map(|_| item(&new_id(), "interaction", doorstep(&lists.area))).collect());
        let broken =
            parse(vec![item(&new_id(), "interaction", doorstep(&lists.area)), item(&new_id(), "interaction", doorstep("no-such-area"))]);
        let good_2 = parse((0..2).map(|_| item(&new_id(), "interaction", doorstep(&lists.area))).collect());
        let answers = sync::commit_group(&app.db, &[(&cx, &good_1), (&cx_broken, &broken), (&cx, &good_2)]).await.unwrap();
        assert_eq!(answers[0].as_ref().unwrap().len(), 3, "{}", app.backend);
        assert!(answers[1].is_err(), "{}: the broken batch reports its failure", app.backend);
        assert_eq!(answers[2].as_ref().unwrap().len(), 2, "{}", app.backend);
        // The broken batch's good record went with it (it is retried as a whole); the others stay.
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 5, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_response_taken_at_the_door_syncs_once_and_counts_as_assisted() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
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
        let q = [
            ("consultation_id", cid.as_str()),
            ("prompt", "Which first?"),
            ("hint", ""),
            ("kind", "single_choice"),
            ("required", "yes"),
            ("options", "Play area\nPaths"),
        ];
        admin.call("consultations/manage/add-question", &q).await;
        admin.call("consultations/manage/stage", &[("consultation_id", &cid), ("stage", "open_for_feedback")]).await;
        let qid: String = sqlx::query_scalar("SELECT id FROM questions").fetch_one(&app.db).await.unwrap();

        // The tablet caches it with the other lists.
        let reference = sam.call("outreach/reference", &[]).await.json();
        assert_eq!(reference["consultations"][0]["questions"][0]["prompt"], "Which first?", "{}", app.backend);

        let answer = |choice: &str| json!({ "consultation_id": cid, "answers": { qid.clone(): [choice] }, "area_id": lists.area });
        let at_door = item(&new_id(), "consultation_response", answer("o2"));
        let missing = item(&new_id(), "consultation_response", json!({ "consultation_id": cid, "answers": {} }));
        let wrong = item(&new_id(), "consultation_response", json!({ "consultation_id": "nope", "answers": {} }));
        assert_eq!(sam.push_outcomes(vec![at_door.clone(), missing, wrong]).await, ["stored", "rejected", "rejected"], "{}", app.backend);
        assert_eq!(sam.push_outcomes(vec![at_door.clone()]).await, ["already_stored"], "{}", app.backend);
        let (assisted, participant): (i64, String) =
            sqlx::query_as("SELECT assisted, participant FROM responses").fetch_one(&app.db).await.unwrap();
        assert_eq!(assisted, 1);
        assert!(participant.starts_with("assisted:"));
        let results = admin.call("consultations/manage/results", &[("id", &cid)]).await.json();
        assert_eq!((results["responses"].as_i64(), results["assisted"].as_i64()), (Some(1), Some(1)), "{}", app.backend);
        assert_eq!(results["questions"][0]["choices"][1]["assisted"], 1);

        // Closed while the tablet was offline: the worker is told, nothing is stored.
        admin.call("consultations/manage/stage", &[("consultation_id", &cid), ("stage", "closed")]).await;
        let late = sam.push(vec![item(&new_id(), "consultation_response", answer("o1"))]).await.json();
        assert_eq!(late["results"][0]["outcome"], "rejected");
        assert!(late["results"][0]["reason"].as_str().unwrap().contains("closed"), "{late}");
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1, "{}", app.backend);
    }
}
