//! Every channel (the counter, the phone, a home visit, an online message) beside doorsteps and
//! events: one caseload, repeats that count across channels, and consent recorded by the way it
//! was given.

use crate::common::*;
use crate::sync::worker;
use serde_json::json;

#[tokio::test]
async fn a_call_after_a_knock_is_a_repeat_in_the_same_caseload_and_its_consent_says_by_phone() {
    for app in apps().await {
        let (mut sam, _, lists, sam_id) = worker(&app).await;
        let resident = new_id();
        let about = |kind: &str, day: i64| {
            let mut p = doorstep(&lists.area);
            p["kind"] = json!(kind);
            p["occurred_at"] = json!(1_790_000_000 + day * 86_400);
            p["issues"] = json!([lists.theme]);
            p["resident"] = json!({ "id": resident, "name": "Mo Khan", "contact": "mo@example.com" });
            p["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
            p
        };
        let knock = new_id();
        assert_eq!(sam.push_outcomes(vec![item(&knock, "interaction", about("doorstep", 0))]).await, ["stored"], "{}", app.backend);
        // Three days later Mo phones about the same thing; Sam takes it on.
        let mut call = about("phone", 3);
        call["address"] = json!("");
        call["action"] = json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-10-01" });
        let call_id = new_id();
        assert_eq!(sam.push_outcomes(vec![item(&call_id, "interaction", call)]).await, ["stored"], "{}", app.backend);

        let kinds: Vec<(String, String)> =
            sqlx::query_as("SELECT id, kind FROM interactions ORDER BY occurred_at").fetch_all(&app.db).await.unwrap();
        assert_eq!(kinds, [(knock.clone(), "doorstep".to_string()), (call_id.clone(), "phone".to_string())], "{}", app.backend);
        let repeat: Vec<(String, i64)> =
            sqlx::query_as("SELECT interaction_id, repeat_30 FROM interaction_issues ORDER BY repeat_30").fetch_all(&app.db).await.unwrap();
        assert_eq!(repeat, [(knock.clone(), 0), (call_id.clone(), 1)], "{}: the call repeats the knock", app.backend);
        let methods: Vec<(String, String)> =
            sqlx::query_as("SELECT source_item_id, method FROM consents ORDER BY occurred_at").fetch_all(&app.db).await.unwrap();
        assert_eq!(methods, [(knock, "doorstep".to_string()), (call_id.clone(), "phone".to_string())], "{}", app.backend);
        // The call's follow-up is in Sam's one list, with the rest.
        let follow_ups = sam.call("outreach/follow-ups", &[]).await.json();
        assert_eq!(follow_ups[0]["id"], json!(call_id), "{}: {follow_ups}", app.backend);
    }
}

#[tokio::test]
async fn only_a_knock_can_find_no_one_home_and_only_an_event_contact_names_an_event() {
    for app in apps().await {
        let (mut sam, _, lists, _) = worker(&app).await;
        let mut unanswered = doorstep(&lists.area);
        unanswered["kind"] = json!("counter");
        unanswered["outcome"] = json!("no_one_home");
        unanswered["felt_heard"] = json!(null);
        unanswered["notes"] = json!("");
        let mut visit = unanswered.clone();
        visit["kind"] = json!("home_visit");
        let mut online = doorstep(&lists.area);
        online["kind"] = json!("online");
        online["event_id"] = json!(new_id());
        let mut unknown = doorstep(&lists.area);
        unknown["kind"] = json!("carrier_pigeon");
        let items = [unanswered, visit, online, unknown].map(|p| item(&new_id(), "interaction", p)).to_vec();
        let r = sam.push(items).await;
        let results = r.json()["results"].clone();
        let outcome = |n: usize| (results[n]["outcome"].as_str().unwrap_or_default().to_string(), results[n]["field"].clone());
        assert_eq!(outcome(0), ("rejected".into(), json!("outcome")), "{}: {results}", app.backend);
        assert_eq!(outcome(1).0, "stored", "{}: a home visit is a knock", app.backend);
        assert_eq!(outcome(2), ("rejected".into(), json!("event_id")), "{}", app.backend);
        assert_eq!(outcome(3).0, "rejected", "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 1, "{}", app.backend);
    }
}
