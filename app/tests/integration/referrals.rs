//! Referrals with a life: made at the door (to one of the organisation's services or to a
//! partner group), seen and answered by that partner alone, chased by the worker who made it
//! from the tablet's outbox (stored once, whatever is replayed), shown in the resident's
//! timeline, and counted per service on the dashboard.

use crate::common::*;
use crate::sync::worker;
use app::domain::Role;
use http::StatusCode;
use serde_json::{json, Value};

/// A community group in `host`'s network, and its organiser signed in.
async fn partner(app: &TestApp, host: &str, name: &str, email: &str) -> (String, Client) {
    let group = app.organisation(name).await;
    app::server::repo::volunteering::set_host(&app.db, &group, host).await.unwrap();
    app.user(&group, email, Role::GroupOrganiser).await;
    let mut c = app.client();
    assert_eq!(c.sign_in(email, PASSWORD).await.status, StatusCode::OK);
    (group, c)
}

/// A conversation with Mo about `theme`, referred on by `action`.
fn referred(area: &str, theme: &str, action: Value, share: bool) -> Value {
    let mut p = doorstep(area);
    p["issues"] = json!([theme]);
    p["action"] = action;
    p["asked"] = json!("Could someone <b>help</b> clear the yard?");
    p["resident"] = json!({ "id": new_id(), "name": "Mo Khan", "contact": "mo@example.com" });
    let mut consents = vec![json!({ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" })];
    consents.push(json!({ "purpose": "share_with_referred_service", "granted": share, "lawful_basis": "consent" }));
    p["consents"] = json!(consents);
    p
}

fn step(referral: &str, step: &str, note: &str, on_device: i64) -> Value {
    let mut it = item(&new_id(), "referral_step", json!({ "referral_id": referral, "step": step, "note": note }));
    it["created_on_device_at"] = json!(on_device);
    it
}

async fn partner_list(c: &mut Client) -> Value {
    let r = c.call("referrals/partner", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_referral_to_a_partner_is_stored_once_and_seen_and_answered_by_that_partner_alone() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        let (garden, mut dee) = partner(&app, &org, "Northside Garden Club", "dee@northside.example").await;
        let (_, mut lee) = partner(&app, &org, "Mill Gardeners", "lee@mill.example").await;
        let elsewhere = app.organisation("Hillside").await;
        let (_, mut kit) = partner(&app, &elsewhere, "Hillside Growers", "kit@hillside.example").await;

        // The tablet learns its partners with its lists, then refers Mo to the garden club.
        let lists_json = sam.call("outreach/reference", &[]).await.json();
        let partners: Vec<&str> = lists_json["partners"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(partners, ["Mill Gardeners", "Northside Garden Club"], "{}", app.backend);
        let id = new_id();
        let talk = item(
            &id,
            "interaction",
            referred(&lists.area, &lists.theme, json!({ "action": "referred_to_partner", "partner_id": garden }), false),
        );
        assert_eq!(sam.push_outcomes(vec![talk.clone()]).await, ["stored"], "{}", app.backend);
        assert_eq!(sam.push_outcomes(vec![talk]).await, ["already_stored"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM referrals").await, 1, "{}", app.backend);
        // A partner that is not the organisation's is refused, and names the field.
        let stranger = item(
            &new_id(),
            "interaction",
            referred(&lists.area, &lists.theme, json!({ "action": "referred_to_partner", "partner_id": elsewhere }), false),
        );
        let r = sam.push(vec![stranger]).await.json();
        assert_eq!(r["results"][0]["outcome"], "rejected");
        assert_eq!(r["results"][0]["field"], "partner_id", "{}: {r}", app.backend);

        // The garden club sees it, without Mo's details: he did not agree to them being shared.
        let page = partner_list(&mut dee).await;
        assert_eq!(page["organisation_name"], "Northside Garden Club");
        let listed = &page["referrals"][0];
        assert_eq!(listed["id"], json!(id), "{}: {page}", app.backend);
        assert_eq!(listed["status"], "sent");
        assert_eq!(listed["issues"], json!(["Damp and mould"]));
        assert_eq!(listed["asked"], "Could someone <b>help</b> clear the yard?");
        assert_eq!(listed["owner_name"], "Sam Tester");
        assert_eq!(
            (&listed["resident_name"], &listed["resident_contact"], &listed["resident_id"]),
            (&json!(null), &json!(null), &json!(null))
        );
        assert!(!page.to_string().contains("Mo Khan"), "{}", app.backend);
        // Nobody else does, nor can answer it: another partner, another host's partner, staff.
        for other in [&mut lee, &mut kit] {
            assert_eq!(partner_list(other).await["referrals"], json!([]), "{}", app.backend);
            let r = other.call("referrals/step", &[("referral_id", &id), ("step", "accepted"), ("note", "")]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: {}", app.backend, r.body);
        }
        assert_eq!(sam.call("referrals/partner", &[]).await.status, StatusCode::FORBIDDEN);

        // Mo agrees to share at his next visit: the club sees who and how to reach him.
        let shared = new_id();
        let again = item(
            &shared,
            "interaction",
            referred(&lists.area, &lists.theme, json!({ "action": "referred_to_partner", "partner_id": garden }), true),
        );
        assert_eq!(sam.push_outcomes(vec![again]).await, ["stored"]);
        let page = partner_list(&mut dee).await;
        let second = page["referrals"].as_array().unwrap().iter().find(|r| r["id"] == json!(shared)).unwrap().clone();
        assert_eq!((second["resident_name"].as_str(), second["resident_contact"].as_str()), (Some("Mo Khan"), Some("mo@example.com")));

        // The club accepts, then answers; an answer says something, and comes once.
        let accept = [("referral_id", id.as_str()), ("step", "accepted"), ("note", "")];
        assert_eq!(dee.call("referrals/step", &accept).await.status, StatusCode::OK, "{}", app.backend);
        let r = dee.call("referrals/step", &accept).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}: accepted twice: {}", app.backend, r.body);
        let r = dee.call("referrals/step", &[("referral_id", &id), ("step", "answered"), ("note", "  ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(&format!("answered-{id}")), "{}: the card's own box is named: {}", app.backend, r.body);
        let r = dee.call("referrals/step", &[("referral_id", &id), ("step", "chased"), ("note", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: a partner does not chase", app.backend);
        let answer = [("referral_id", id.as_str()), ("step", "answered"), ("note", "Yard cleared on Saturday by four volunteers")];
        assert_eq!(dee.call("referrals/step", &answer).await.status, StatusCode::OK);
        assert_eq!(dee.call("referrals/step", &answer).await.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM referral_steps").await, 2, "{}", app.backend);

        // Sam's tablet sees each step, by whom, and the answer.
        let mine = sam.call("outreach/referrals", &[]).await.json();
        let first = mine.as_array().unwrap().iter().find(|r| r["id"] == json!(id)).unwrap().clone();
        assert_eq!(first["status"], "answered", "{}: {mine}", app.backend);
        assert_eq!(first["to_name"], "Northside Garden Club");
        assert_eq!(first["to_partner"], true);
        assert_eq!(first["answer"], "Yard cleared on Saturday by four volunteers");
        assert_eq!(first["resident_name"], "Mo Khan");
        let steps: Vec<(&str, &str)> =
            first["steps"].as_array().unwrap().iter().map(|s| (s["step"].as_str().unwrap(), s["by"].as_str().unwrap())).collect();
        assert_eq!(steps, [("accepted", "Dee Tester"), ("answered", "Dee Tester")], "{}", app.backend);
        // The owner cannot answer for a partner; the partner's page is where it answers.
        let outcome = sam.push(vec![step(&shared, "answered", "Done", 1_790_100_000)]).await.json();
        assert_eq!(outcome["results"][0]["outcome"], "rejected", "{}: {outcome}", app.backend);
        assert_eq!(outcome["results"][0]["field"], "step");
    }
}

#[tokio::test]
async fn the_owner_chases_from_the_tablet_and_records_a_services_answer_once_in_the_residents_timeline() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        app.user(&org, "jo@riverside.example", Role::OutreachWorker).await;
        let mut jo = app.client();
        jo.sign_in("jo@riverside.example", PASSWORD).await;
        let id = new_id();
        let mut talk = referred(&lists.area, &lists.theme, json!({ "action": "referred_to_service", "service_id": lists.service }), true);
        let mo = talk["resident"]["id"].as_str().unwrap().to_string();
        talk["occurred_at"] = json!(1_790_000_000);
        assert_eq!(sam.push_outcomes(vec![item(&id, "interaction", talk)]).await, ["stored"]);

        // Two days later, offline, Sam chases it; the answer is lost and the tablet sends it again.
        let chase = step(&id, "chased", "Phoned Housing repairs, left a message", 1_790_000_000 + 2 * 86_400);
        assert_eq!(sam.push_outcomes(vec![chase.clone()]).await, ["stored"], "{}", app.backend);
        assert_eq!(sam.push_outcomes(vec![chase.clone(), chase]).await, ["already_stored", "already_stored"], "{}", app.backend);
        // Only the owner (or an admin) records its steps; only real referrals; a bounded note.
        assert_eq!(jo.push(vec![step(&id, "chased", "", 1_790_000_000)]).await.json()["results"][0]["field"], "referral_id");
        assert_eq!(sam.push(vec![step(&new_id(), "chased", "", 1_790_000_000)]).await.json()["results"][0]["field"], "referral_id");
        let long = "x".repeat(1_001);
        assert_eq!(sam.push(vec![step(&id, "chased", &long, 1_790_000_000)]).await.json()["results"][0]["field"], "note");
        assert_eq!(sam.push(vec![step(&id, "answered", "", 1_790_000_000)]).await.json()["results"][0]["field"], "note");

        // Housing repairs answers by phone on day 3; Sam records it. A second answer is refused.
        let answered = step(&id, "answered", "Repair booked for 10 December", 1_790_000_000 + 3 * 86_400);
        assert_eq!(sam.push_outcomes(vec![answered]).await, ["stored"]);
        let late = sam.push(vec![step(&id, "declined", "No", 1_790_000_000 + 4 * 86_400)]).await.json();
        assert_eq!((late["results"][0]["outcome"].as_str(), late["results"][0]["field"].as_str()), (Some("rejected"), Some("step")));
        // A chase after the answer still happened, and is kept.
        assert_eq!(sam.push_outcomes(vec![step(&id, "chased", "Told Mo", 1_790_000_000 + 4 * 86_400)]).await, ["stored"]);
        let (status, answer, days): (String, String, i64) =
            sqlx::query_as("SELECT status, answer, CAST((closed_at - sent_at) / 86400 AS BIGINT) FROM referrals")
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!((status.as_str(), answer.as_str(), days), ("answered", "Repair booked for 10 December", 3), "{}", app.backend);

        // The resident's timeline, read by their point of contact, shows it all in order.
        let history = sam.call("outreach/resident-history", &[("resident_id", &mo)]).await;
        assert_eq!(history.status, StatusCode::OK, "{}", history.body);
        let referral = &history.json()[0]["referral"];
        assert_eq!(referral["to_name"], "Housing repairs", "{}: {}", app.backend, history.body);
        let steps: Vec<&str> = referral["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
        assert_eq!(steps, ["chased", "answered", "chased"], "{}", app.backend);
        assert_eq!(referral["steps"][0]["note"], "Phoned Housing repairs, left a message");
    }
}

#[tokio::test]
async fn the_dashboard_shows_per_service_how_many_were_answered_and_how_long_it_took() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        let (garden, _dee) = partner(&app, &org, "Northside Garden Club", "dee@northside.example").await;
        let mut items = Vec::new();
        let mut ids = Vec::new();
        for n in 0..7 {
            let id = new_id();
            let action = if n < 6 {
                json!({ "action": "referred_to_service", "service_id": lists.service })
            } else {
                json!({ "action": "referred_to_partner", "partner_id": garden })
            };
            items.push(item(&id, "interaction", referred(&lists.area, &lists.theme, action, false)));
            ids.push(id);
        }
        assert_eq!(sam.push_outcomes(items).await, ["stored"; 7]);
        // Counted as they are sent: every one waiting.
        let d = sam.call("intelligence/dashboard", &[]).await.json();
        assert_eq!(d["referrals"]["rows"][0], json!(["Housing repairs", "6", "0", "0", "6", "–", "0", "0", "100%"]), "{}", app.backend);
        // Five answered: after 1, 2, 2, 3 and 4 days; the sixth still waits. Each answer
        // changes its conversation's counts.
        let answers: Vec<Value> =
            [1, 2, 2, 3, 4].iter().zip(&ids).map(|(days, id)| step(id, "answered", "Done", 1_790_000_000 + days * 86_400)).collect();
        assert_eq!(sam.push_outcomes(answers).await, ["stored"; 5]);
        let d = sam.call("intelligence/dashboard", &[]).await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.body);
        let table = &d.json()["referrals"];
        assert_eq!(table["columns"][0], "Service or partner");
        let rows: Vec<Vec<String>> = serde_json::from_value(table["rows"].clone()).unwrap();
        let expected: Vec<Vec<String>> = [
            // Six made, five answered, one waiting: the total would give the "<5" away.
            ["Housing repairs", "–", "5", "0", "<5", "2.4", "0", "0", "100%"],
            ["Northside Garden Club", "<5", "0", "0", "<5", "–", "0", "0", "–"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        assert_eq!(rows, expected, "{}: {table}", app.backend);
    }
}

#[tokio::test]
async fn a_referrals_words_are_in_the_residents_export_and_go_when_they_are_erased() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        app.user(&org, "priya@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("priya@riverside.example", PASSWORD).await;
        let (garden, mut dee) = partner(&app, &org, "Northside Garden Club", "dee@northside.example").await;
        let id = new_id();
        let mut talk = referred(&lists.area, &lists.theme, json!({ "action": "referred_to_partner", "partner_id": garden }), true);
        talk["asked"] = json!("Clear Quentin's yard");
        let mo = talk["resident"]["id"].as_str().unwrap().to_string();
        assert_eq!(sam.push_outcomes(vec![item(&id, "interaction", talk)]).await, ["stored"]);
        assert_eq!(sam.push_outcomes(vec![step(&id, "chased", "Chased about Quentin", 1_790_100_000)]).await, ["stored"]);
        let answer = [("referral_id", id.as_str()), ("step", "answered"), ("note", "Quentin's yard is clear")];
        assert_eq!(dee.call("referrals/step", &answer).await.status, StatusCode::OK);
        let words = ["Clear Quentin's yard", "Chased about Quentin", "Quentin's yard is clear"];

        let r = crate::privacy::export(&mut admin, &mo).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let files = crate::privacy::unzip(&r.bytes);
        for (file, word) in [("referrals.csv", words[0]), ("referrals.csv", words[2]), ("referral_steps.csv", words[1])] {
            let text = &files.iter().find(|(n, _)| n == file).unwrap_or_else(|| panic!("{}: no {file}", app.backend)).1;
            assert!(text.contains(word), "{}: {word} is not in {file}: {text}", app.backend);
        }

        assert_eq!(admin.call("privacy/erase", &[("resident_id", &mo), ("confirm", "yes")]).await.status, StatusCode::OK);
        let stored = crate::privacy::everything_stored(&app).await;
        for word in words {
            assert!(!stored.contains(word), "{}: {word} is still stored", app.backend);
        }
        // Where it went and how it ended still count; the club no longer sees anything about them.
        let (status, partner): (String, String) =
            sqlx::query_as("SELECT status, partner_id FROM referrals").fetch_one(&app.db).await.unwrap();
        assert_eq!((status.as_str(), partner.as_str()), ("answered", garden.as_str()), "{}", app.backend);
        let page = partner_list(&mut dee).await;
        assert_eq!(page["referrals"][0]["resident_name"], json!(null), "{}: {page}", app.backend);
    }
}

/// A referral made later from follow-up `follow_up`, as the card's form sends it.
fn referred_later(follow_up: &str, to: Value, asked: &str) -> Value {
    let mut payload = json!({ "follow_up_id": follow_up, "asked": asked });
    for (k, v) in to.as_object().unwrap() {
        payload[k] = v.clone();
    }
    let mut it = item(&new_id(), "referral_made", payload);
    it["created_on_device_at"] = json!(app::server::now());
    it
}

#[tokio::test]
async fn a_referral_made_later_from_a_follow_up_lives_like_any_other_and_counts_under_whom_it_went_to() {
    for app in apps().await {
        let (mut sam, org, lists, sam_id) = worker(&app).await;
        let (garden, mut dee) = partner(&app, &org, "Northside Garden Club", "dee@northside.example").await;
        let (_, mut lee) = partner(&app, &org, "Mill Gardeners", "lee@mill.example").await;
        // Mo's conversation needed a follow-up; a neighbour was referred to Housing repairs the
        // same day (so both kinds of referral share the dashboard's row).
        let fu = new_id();
        let mut talk =
            referred(&lists.area, &lists.theme, json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-10-01" }), false);
        talk["asked"] = json!("");
        let mo = talk["resident"]["id"].as_str().unwrap().to_string();
        let neighbour = referred(&lists.area, &lists.theme, json!({ "action": "referred_to_service", "service_id": lists.service }), false);
        assert_eq!(sam.push_outcomes(vec![item(&fu, "interaction", talk), item(&new_id(), "interaction", neighbour)]).await, ["stored"; 2]);

        // A week on, still advocating, Sam refers it on twice: the garden club and Housing
        // repairs. The answer is lost and the tablet sends them again.
        let to_club = referred_later(&fu, json!({ "partner_id": garden }), "Could the club help clear the yard?");
        let to_repairs = referred_later(&fu, json!({ "service_id": lists.service }), "");
        assert_eq!(sam.push_outcomes(vec![to_club.clone(), to_repairs.clone()]).await, ["stored", "stored"], "{}", app.backend);
        assert_eq!(sam.push_outcomes(vec![to_club.clone(), to_repairs.clone()]).await, ["already_stored"; 2], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM referrals").await, 3, "{}", app.backend);
        let club_id = to_club["id"].as_str().unwrap().to_string();

        // Each problem named by its field; only the owner, only to an open follow-up.
        let hillside = app.organisation("Hillside").await;
        let theirs = app.lists(&hillside).await.service;
        for (it, field) in [
            (referred_later(&fu, json!({}), ""), "to"),
            (referred_later(&fu, json!({ "service_id": lists.service, "partner_id": garden }), ""), "to"),
            (referred_later(&fu, json!({ "service_id": theirs }), ""), "service_id"),
            (referred_later(&fu, json!({ "partner_id": lists.service }), ""), "partner_id"),
            (referred_later(&fu, json!({ "service_id": lists.service }), &"x".repeat(501)), "asked"),
            (referred_later(&new_id(), json!({ "service_id": lists.service }), ""), "follow_up_id"),
            (referred_later(&fu, json!({ "service_id": 7 }), ""), "payload"),
        ] {
            let r = sam.push(vec![it.clone()]).await;
            assert_eq!(r.json()["results"][0]["field"], field, "{}: {it}: {}", app.backend, r.body);
        }
        app.user(&org, "jo@riverside.example", Role::OutreachWorker).await;
        let mut jo = app.client();
        jo.sign_in("jo@riverside.example", PASSWORD).await;
        let r = jo.push(vec![referred_later(&fu, json!({ "service_id": lists.service }), "")]).await;
        assert_eq!(r.json()["results"][0]["field"], "follow_up_id", "{}: not Jo's", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM referrals").await, 3, "{}", app.backend);

        // The club sees it, with the issue raised and what it is asked, and answers it; the
        // other partner sees nothing.
        let page = partner_list(&mut dee).await;
        let listed = &page["referrals"][0];
        assert_eq!(
            (listed["id"].as_str(), listed["asked"].as_str()),
            (Some(club_id.as_str()), Some("Could the club help clear the yard?"))
        );
        assert_eq!(listed["issues"], json!(["Damp and mould"]), "{}", app.backend);
        assert_eq!(listed["owner_name"], "Sam Tester");
        assert_eq!(partner_list(&mut lee).await["referrals"], json!([]), "{}", app.backend);
        let answer = [("referral_id", club_id.as_str()), ("step", "answered"), ("note", "Two volunteers on Saturday")];
        assert_eq!(dee.call("referrals/step", &answer).await.status, StatusCode::OK, "{}", app.backend);
        // Sam chases Housing repairs from the tablet, as any referral.
        let repairs_id = to_repairs["id"].as_str().unwrap();
        assert_eq!(sam.push_outcomes(vec![step(repairs_id, "chased", "Rang them", app::server::now())]).await, ["stored"]);

        // Sam's list of referrals and Mo's timeline show both, under the conversation.
        let mine = sam.call("outreach/referrals", &[]).await.json();
        assert_eq!(mine.as_array().map(Vec::len), Some(3), "{}: {mine}", app.backend);
        let history = sam.call("outreach/resident-history", &[("resident_id", &mo)]).await.json();
        let since = history[0]["referred_since"].as_array().unwrap();
        let to: Vec<(&str, &str)> = since.iter().map(|r| (r["to_name"].as_str().unwrap(), r["status"].as_str().unwrap())).collect();
        assert_eq!(to.len(), 2, "{}: {history}", app.backend);
        assert!(to.contains(&("Northside Garden Club", "answered")) && to.contains(&("Housing repairs", "sent")), "{to:?}");
        assert_eq!(history[0]["referral"], json!(null), "{}: the conversation itself referred nobody", app.backend);

        // The dashboard counts each under whom it went to: Housing repairs has the neighbour's
        // referral and Mo's, the club Mo's, answered.
        let d = sam.call("intelligence/dashboard", &[]).await.json();
        let rows: Vec<Vec<String>> = serde_json::from_value(d["referrals"]["rows"].clone()).unwrap();
        assert_eq!(rows.len(), 2, "{}: {rows:?}", app.backend);
        assert_eq!(rows[0][..5], ["Housing repairs", "<5", "0", "0", "<5"], "{}", app.backend);
        assert_eq!(rows[1][..5], ["Northside Garden Club", "<5", "<5", "0", "0"], "{}", app.backend);
        use app::server::repo::intelligence as q;
        let counts = q::counts(&app.db, &org, &Default::default(), &q::Who::Everyone).await.unwrap();
        let of = |to: &str| {
            let mut m = q::Measures::default();
            counts.iter().filter(|r| r.theme.is_empty() && r.service == to).for_each(|r| m.add(&r.m));
            m
        };
        let repairs = of(&lists.service);
        assert_eq!(
            (repairs.referrals[..3].to_vec(), repairs.referred),
            (vec![0, 0, 2], 1),
            "{}: one referred in its conversation",
            app.backend
        );
        assert_eq!(of(&garden).referrals[..3], [1, 0, 0], "{}", app.backend);
        let kept = app::server::repo::intelligence::every_count(&app.db, &org).await.unwrap();
        q::rebuild_organisation(&app.db, &org).await.unwrap();
        assert_eq!(app::server::repo::intelligence::every_count(&app.db, &org).await.unwrap(), kept, "{}", app.backend);

        // Once the follow-up is resolved, nothing more is referred from it.
        let mut done = item(&new_id(), "follow_up_update", json!({ "follow_up_id": fu, "note": "Sorted" }));
        done["base_version"] = json!(1);
        assert_eq!(sam.push_outcomes(vec![done]).await, ["stored"], "{}", app.backend);
        let r = sam.push(vec![referred_later(&fu, json!({ "service_id": lists.service }), "")]).await;
        assert_eq!(r.json()["results"][0]["field"], "follow_up_id", "{}: resolved", app.backend);
    }
}
