//! Volunteering: a group posts, residents find ranked and explained matches and say they are
//! interested, the group works through its inbox; consent gates contact details; organisations
//! stay apart.

use crate::common::*;
use app::domain::Role;
use app::server::repo::volunteering::set_host;
use http::StatusCode;
use serde_json::Value;

/// A council with its lists, a garden group it hosts with an organiser, and a resident.
struct Network {
    council: String,
    group: String,
    lists: Lists,
    befriending: String,
    organiser: Client,
}

async fn network(app: &TestApp, tag: &str) -> Network {
    let council = app.organisation(&format!("{tag} Council")).await;
    let group = app.organisation(&format!("{tag} Garden Group")).await;
    set_host(&app.db, &group, &council).await.unwrap();
    let lists = app.lists(&council).await;
    let befriending = app::server::repo::outreach::insert_named(&app.db, "interests", &council, "Befriending").await.unwrap();
    let email = format!("organiser@{tag}.example");
    app.user(&group, &email, Role::GroupOrganiser).await;
    let mut organiser = app.client();
    organiser.sign_in(&email, PASSWORD).await;
    Network { council, group, lists, befriending, organiser }
}

async fn resident(app: &TestApp, org: &str, email: &str) -> Client {
    app.user(org, email, Role::Resident).await;
    let mut c = app.client();
    c.sign_in(email, PASSWORD).await;
    c
}

/// Posts an opportunity open straight away; returns its id.
async fn post(c: &mut Client, fields: &[(&str, &str)]) -> String {
    let mut form: Vec<(&str, &str)> = vec![
        ("skills", ""),
        ("place", ""),
        ("frequency", "regular"),
        ("on_date", ""),
        ("hours_per_week", ""),
        ("minimum_age", ""),
        ("capacity", ""),
        ("accessibility", ""),
        ("contact", ""),
        ("publish", "yes"),
    ];
    form.retain(|(k, _)| !fields.iter().any(|(f, _)| f == k));
    form.extend_from_slice(fields);
    let r = c.call_form("volunteer/manage/create", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_str().unwrap().to_string()
}

async fn save_profile(c: &mut Client, fields: &[(&str, &str)]) -> Reply {
    let mut form: Vec<(&str, &str)> = vec![("skills", "")];
    form.retain(|(k, _)| !fields.iter().any(|(f, _)| f == k));
    form.extend_from_slice(fields);
    c.call_form("volunteer/profile/save", &form).await
}

async fn list(c: &mut Client, extra: &[(&str, &str)]) -> Value {
    let r = c.call("volunteer/opportunities", extra).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn titles(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_string()).collect()
}

async fn inbox(c: &mut Client, opportunity: &str) -> Value {
    let r = c.call("volunteer/manage/inbox", &[("opportunity_id", opportunity)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_group_posts_a_resident_sees_it_ranked_with_the_reason_says_they_are_interested_and_the_group_answers() {
    for app in apps().await {
        let mut n = network(&app, "riverside").await;
        let (interest, area) = (n.lists.interest.clone(), n.lists.area.clone());

        // Bad input is refused field by field, and nothing is stored.
        let r = n
            .organiser
            .call_form(
                "volunteer/manage/create",
                &[
                    ("title", ""),
                    ("description", ""),
                    ("skills", ""),
                    ("place", ""),
                    ("frequency", "one_off"),
                    ("on_date", "2020-01-01"),
                    ("hours_per_week", "99"),
                    ("minimum_age", ""),
                    ("capacity", ""),
                    ("accessibility", ""),
                    ("contact", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        let body = r.json();
        let fields: Vec<&str> = body["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["title", "description", "on_date", "hours_per_week"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM opportunities").await, 0);

        let garden = post(
            &mut n.organiser,
            &[
                ("title", "Saturday garden crew"),
                ("description", "Weeding and tea"),
                ("interests[]", &interest),
                ("areas[]", &area),
                ("times[]", "5-0"),
                ("skills", "Digging"),
            ],
        )
        .await;
        let befriend = post(
            &mut n.organiser,
            &[
                ("title", "Tea and chat"),
                ("description", "Visit a neighbour"),
                ("interests[]", &n.befriending),
                ("times[]", "2-1"),
                ("dbs_required", "yes"),
            ],
        )
        .await;
        let evenings = post(&mut n.organiser, &[("title", "Evening café"), ("description", "Serve tea"), ("times[]", "0-2")]).await;

        // Anyone can browse, without an account, and filter.
        let mut stranger = app.client();
        let all = list(&mut stranger, &[]).await;
        assert_eq!(titles(&all).len(), 3, "{}", app.backend);
        assert_eq!(all["ranked"], false);
        let filtered = list(&mut stranger, &[("interest", &interest)]).await;
        assert_eq!(titles(&filtered), ["Saturday garden crew"], "{}", app.backend);
        let r = stranger.call("volunteer/express", &[("opportunity_id", &garden), ("message", "")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "saying you are interested needs an account");

        // A resident with a profile gets matches: hard rules take out what cannot fit.
        let mut alex = resident(&app, &n.council, "alex@resident.example").await;
        let r = save_profile(&mut alex, &[("interests[]", &interest)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a profile needs times and an age group");
        let r = save_profile(
            &mut alex,
            &[
                ("interests[]", &interest),
                ("interests[]", &n.befriending),
                ("areas[]", &area),
                ("times[]", "5-0"),
                ("times[]", "2-1"),
                ("age_band", "25_64"),
                ("skills", "digging, cooking"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let matches = list(&mut alex, &[]).await;
        assert_eq!(matches["ranked"], true);
        assert_eq!(titles(&matches), ["Saturday garden crew"], "{}: no DBS check, and no evenings", app.backend);
        assert_eq!(matches["items"][0]["reason"], "1 of your interests · uses 1 of your skills · in your area · Saturday mornings");
        assert_eq!(titles(&list(&mut alex, &[("all", "1")]).await).len(), 3, "all of them on request");
        let r = save_profile(
            &mut alex,
            &[
                ("interests[]", &interest),
                ("interests[]", &n.befriending),
                ("areas[]", &area),
                ("times[]", "5-0"),
                ("times[]", "2-1"),
                ("age_band", "25_64"),
                ("has_dbs", "yes"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let matches = list(&mut alex, &[]).await;
        assert_eq!(titles(&matches), ["Saturday garden crew", "Tea and chat"], "{}: with a DBS check, best first", app.backend);
        assert!(!titles(&matches).contains(&"Evening café".to_string()));
        let _ = evenings;

        // One tap, once.
        let r = alex
            .call("volunteer/express", &[("opportunity_id", &garden), ("share_contact", "yes"), ("message", "I have my own gloves")])
            .await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, Value::Bool(true)), "{}", app.backend);
        let r = alex.call("volunteer/express", &[("opportunity_id", &garden), ("share_contact", "yes"), ("message", "")]).await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, Value::Bool(false)), "a second tap changes nothing");
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_interests").await, 1);
        let mine = alex.call("volunteer/mine", &[]).await.json();
        assert_eq!((mine[0]["title"].as_str(), mine[0]["status"].as_str()), (Some("Saturday garden crew"), Some("new")));

        // The group's inbox: who, how to reach them, what they said.
        let inbox_now = inbox(&mut n.organiser, &garden).await;
        let entry = &inbox_now["entries"][0];
        assert_eq!(entry["name"], "Alex Tester", "{}", app.backend);
        assert_eq!(entry["contact"], "alex@resident.example");
        assert_eq!(entry["message"], "I have my own gloves");
        assert_eq!(entry["status"], "new");
        assert_eq!(entry["waiting_days"], Value::Null);
        let id = entry["id"].as_str().unwrap().to_string();
        let r = n.organiser.call("volunteer/manage/interest", &[("interest_id", &id), ("status", "ignored")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = n.organiser.call("volunteer/manage/interest", &[("interest_id", &id), ("status", "contacted")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let mine = alex.call("volunteer/mine", &[]).await.json();
        assert_eq!(mine[0]["status"], "contacted", "the resident sees where it has got to");
        let page = alex.call("volunteer/opportunity", &[("opportunity_id", &garden)]).await.json();
        assert_eq!(page["mine"]["status"], "contacted");

        // A filled opportunity leaves the list and takes no more interest.
        let r = n.organiser.call("volunteer/manage/status", &[("opportunity_id", &befriend), ("status", "filled")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(titles(&list(&mut alex, &[]).await), ["Saturday garden crew"]);
        let r = alex.call("volunteer/express", &[("opportunity_id", &befriend), ("message", "")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        let _ = n.group;
    }
}

#[tokio::test]
async fn contact_details_reach_the_group_only_when_the_resident_agrees() {
    for app in apps().await {
        let mut n = network(&app, "riverside").await;
        let garden = post(&mut n.organiser, &[("title", "Garden"), ("description", "Weeding")]).await;
        let mut kim = resident(&app, &n.council, "kim@resident.example").await;
        let r = kim.call("volunteer/express", &[("opportunity_id", &garden), ("message", "Weekends only")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let entry = inbox(&mut n.organiser, &garden).await["entries"][0].clone();
        assert_eq!((entry["name"].clone(), entry["contact"].clone()), (Value::Null, Value::Null), "{}", app.backend);
        assert_eq!(entry["message"], "Weekends only", "what they chose to say still arrives");
        let body = n.organiser.call("volunteer/manage/inbox", &[("opportunity_id", &garden)]).await.body;
        assert!(!body.contains("kim@resident.example") && !body.contains("Kim"), "{}: not even hidden in the reply", app.backend);
    }
}

#[tokio::test]
async fn interest_left_new_for_seven_days_is_flagged_until_the_group_acts() {
    for app in apps().await {
        let mut n = network(&app, "riverside").await;
        let garden = post(&mut n.organiser, &[("title", "Garden"), ("description", "Weeding")]).await;
        let mut kim = resident(&app, &n.council, "kim@resident.example").await;
        kim.call("volunteer/express", &[("opportunity_id", &garden), ("message", "")]).await;
        let mut lee = resident(&app, &n.council, "lee@resident.example").await;
        lee.call("volunteer/express", &[("opportunity_id", &garden), ("message", "")]).await;
        let eight_days_ago = app::server::now() - 8 * 86_400 - 60;
        sqlx::query(
            "UPDATE volunteer_interests SET created_at = $1 WHERE user_id = (SELECT id FROM users WHERE email = 'kim@resident.example')",
        )
        .bind(eight_days_ago)
        .execute(&app.db)
        .await
        .unwrap();
        let entries = inbox(&mut n.organiser, &garden).await["entries"].as_array().unwrap().clone();
        let waiting: Vec<Value> = entries.iter().map(|e| e["waiting_days"].clone()).collect();
        assert_eq!(waiting, [Value::from(8), Value::Null], "{}: oldest first, only the old one flagged", app.backend);
        let listed = n.organiser.call("volunteer/manage/list", &[]).await.json();
        assert_eq!(
            (listed["opportunities"][0]["waiting"].as_i64(), listed["opportunities"][0]["new_interest"].as_i64()),
            (Some(1), Some(2))
        );
        let id = entries[0]["id"].as_str().unwrap().to_string();
        n.organiser.call("volunteer/manage/interest", &[("interest_id", &id), ("status", "declined")]).await;
        let entries = inbox(&mut n.organiser, &garden).await["entries"].clone();
        assert_eq!(entries[0]["waiting_days"], Value::Null, "{}: acted on, no longer flagged", app.backend);
        assert_eq!(n.organiser.call("volunteer/manage/list", &[]).await.json()["opportunities"][0]["waiting"], 0);
    }
}

#[tokio::test]
async fn groups_see_suggested_volunteers_only_among_residents_who_agreed() {
    for app in apps().await {
        let mut n = network(&app, "riverside").await;
        let (interest, area) = (n.lists.interest.clone(), n.lists.area.clone());
        let garden = post(
            &mut n.organiser,
            &[("title", "Garden"), ("description", "Weeding"), ("interests[]", &interest), ("areas[]", &area), ("times[]", "5-0")],
        )
        .await;
        let profile = |suggest: bool| {
            let mut f = vec![
                ("interests[]", interest.clone()),
                ("areas[]", area.clone()),
                ("times[]", "5-0".to_string()),
                ("age_band", "18_24".to_string()),
            ];
            if suggest {
                f.push(("open_to_suggestions", "yes".to_string()));
            }
            f
        };
        for (email, suggest) in [("kim@resident.example", true), ("lee@resident.example", false), ("max@resident.example", true)] {
            let mut c = resident(&app, &n.council, email).await;
            let f = profile(suggest);
            let form: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(save_profile(&mut c, &form).await.status, StatusCode::OK);
            if email.starts_with("max") {
                c.call("volunteer/express", &[("opportunity_id", &garden), ("message", "")]).await;
            }
        }
        let suggestions = inbox(&mut n.organiser, &garden).await["suggestions"].clone();
        assert_eq!(suggestions.as_array().unwrap().len(), 1, "{}: {suggestions}", app.backend);
        assert_eq!(suggestions[0]["name"], "Kim Tester", "agreed, and not already interested");
        assert_eq!(suggestions[0]["contact"], "kim@resident.example");
        assert_eq!(suggestions[0]["reason"], "1 of their interests · in their area · Saturday mornings");
    }
}

#[tokio::test]
async fn organisations_are_kept_apart() {
    for app in apps().await {
        let mut ours = network(&app, "riverside").await;
        let mut theirs = network(&app, "hillside").await;
        let garden = post(&mut ours.organiser, &[("title", "Riverside garden"), ("description", "Weeding")]).await;
        let draft = {
            let r = ours
                .organiser
                .call_form(
                    "volunteer/manage/create",
                    &[
                        ("title", "Secret plan"),
                        ("description", "Not yet"),
                        ("skills", ""),
                        ("place", ""),
                        ("frequency", "regular"),
                        ("on_date", ""),
                        ("hours_per_week", ""),
                        ("minimum_age", ""),
                        ("capacity", ""),
                        ("accessibility", ""),
                        ("contact", ""),
                    ],
                )
                .await;
            r.json().as_str().unwrap().to_string()
        };
        let mut kim = resident(&app, &ours.council, "kim@resident.example").await;
        kim.call("volunteer/express", &[("opportunity_id", &garden), ("share_contact", "yes"), ("message", "")]).await;
        let interest_id: String = sqlx::query_scalar("SELECT id FROM volunteer_interests").fetch_one(&app.db).await.unwrap();

        // The other network's organiser can neither read nor change ours.
        for (endpoint, form) in [
            ("volunteer/manage/inbox", vec![("opportunity_id", garden.as_str())]),
            ("volunteer/manage/status", vec![("opportunity_id", garden.as_str()), ("status", "closed")]),
            ("volunteer/manage/interest", vec![("interest_id", interest_id.as_str()), ("status", "placed")]),
            ("volunteer/opportunity", vec![("opportunity_id", draft.as_str())]),
        ] {
            let r = theirs.organiser.call(endpoint, &form).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: {endpoint}", app.backend);
        }
        assert_eq!(theirs.organiser.call("volunteer/manage/list", &[]).await.json()["opportunities"], Value::Array(vec![]));
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_interests WHERE status = 'new'").await, 1, "nothing changed");
        assert_eq!(app.count("SELECT COUNT(*) FROM opportunities WHERE status = 'open'").await, 1);

        // Their residents see their own network's opportunities; drafts are nobody's to browse.
        let mut hill = resident(&app, &theirs.council, "hill@resident.example").await;
        assert!(titles(&list(&mut hill, &[]).await).is_empty(), "{}", app.backend);
        let mut stranger = app.client();
        assert_eq!(titles(&list(&mut stranger, &[]).await), ["Riverside garden"]);
        assert_eq!(stranger.call("volunteer/opportunity", &[("opportunity_id", &draft)]).await.status, StatusCode::NOT_FOUND);
        // A resident cannot use the organiser's doors.
        assert_eq!(kim.call("volunteer/manage/inbox", &[("opportunity_id", &garden)]).await.status, StatusCode::FORBIDDEN);
        let _ = (&theirs.group, &mut theirs.lists);
    }
}

/// A conversation at the door with a resident who agreed (or not) to hear about volunteering.
fn conversation(area: &str, interest: &str, resident_id: &str, volunteering: bool) -> Value {
    let wording = app::domain::outreach::ConsentPurpose::VolunteeringOpportunities.wording();
    let mut c = doorstep(area);
    c["resident"] = serde_json::json!({ "id": resident_id, "name": "Pat Door", "contact": "pat@door.example" });
    c["consents"] = serde_json::json!([{ "purpose": "volunteering_opportunities", "granted": volunteering, "lawful_basis": "consent", "wording": wording }]);
    c["involvement"] = serde_json::json!({ "interests": [interest], "skills": "Cooking, digging", "availability": "Saturday mornings" });
    c
}

#[tokio::test]
async fn interest_registered_at_the_door_reaches_the_group_once_after_sync() {
    for app in apps().await {
        let mut n = network(&app, "riverside").await;
        let (interest, area) = (n.lists.interest.clone(), n.lists.area.clone());
        let garden = post(
            &mut n.organiser,
            &[("title", "Garden"), ("description", "Weeding"), ("interests[]", &interest), ("areas[]", &area), ("times[]", "5-0")],
        )
        .await;
        app.user(&n.council, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;

        // The tablet caches open opportunities for matching at the door.
        let reference = sam.call("outreach/reference", &[]).await;
        assert_eq!(reference.status, StatusCode::OK, "{}", reference.body);
        let cached = reference.json()["opportunities"].clone();
        assert_eq!(cached[0]["title"], "Garden", "{}: {cached}", app.backend);
        assert_eq!(cached[0]["times"], 1 << 15);

        let (pat, talk, register) = (new_id(), new_id(), new_id());
        let interest_item = item(&register, "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": pat }));
        // The interest travels with (after) the conversation that recorded the resident.
        let outcomes =
            sam.push_outcomes(vec![item(&talk, "interaction", conversation(&area, &interest, &pat, true)), interest_item.clone()]).await;
        assert_eq!(outcomes, ["stored", "stored"], "{}", app.backend);
        // A replay (the response was lost): told "already stored", nothing doubled.
        assert_eq!(sam.push_outcomes(vec![interest_item.clone()]).await, ["already_stored"]);
        let again = item(&new_id(), "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": pat }));
        assert_eq!(sam.push_outcomes(vec![again]).await, ["already_stored"], "{}: registered twice by two taps", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_interests").await, 1);

        let entry = inbox(&mut n.organiser, &garden).await["entries"][0].clone();
        assert_eq!((entry["name"].as_str(), entry["contact"].as_str()), (Some("Pat Door"), Some("pat@door.example")), "{}", app.backend);
        assert_eq!(entry["at_the_door"], true);

        // With the volunteering consent, the door made a profile the group can be suggested.
        let other = post(
            &mut n.organiser,
            &[("title", "Allotment"), ("description", "Digging"), ("skills", "Digging"), ("interests[]", &interest), ("times[]", "5-0")],
        )
        .await;
        let suggestions = inbox(&mut n.organiser, &other).await["suggestions"].clone();
        assert_eq!(suggestions[0]["name"], "Pat Door", "{}: {suggestions}", app.backend);
        assert_eq!(suggestions[0]["reason"], "1 of their interests · uses 1 of their skills · from anywhere · Saturday mornings");
        // Pat's own account starts from what they said at the door.
        let mut pat_account = resident(&app, &n.council, "pat@door.example").await;
        let profile = pat_account.call("volunteer/profile", &[]).await.json();
        assert_eq!(profile["prefilled"], true, "{}: {profile}", app.backend);
        assert_eq!(profile["interests"], serde_json::json!([interest]));
        assert_eq!(profile["slots"], serde_json::json!(["5-0"]));
        assert_eq!(profile["open_to_suggestions"], false, "being suggested is theirs to choose");

        // The council's involvement funnel follows Pat from the door to a placement.
        let funnel = |app: &TestApp| {
            let (db, council) = (app.db.clone(), n.council.clone());
            async move {
                app::server::repo::intelligence::refresh_dirty(&db, None).await.unwrap();
                let rows = app::server::repo::intelligence::counts(
                    &db,
                    &council,
                    &Default::default(),
                    &app::server::repo::intelligence::Who::Everyone,
                )
                .await
                .unwrap();
                let mut m = app::server::repo::intelligence::Measures::default();
                rows.iter().filter(|r| r.theme.is_empty()).for_each(|r| m.add(&r.m));
                (m.talked, m.preferences, m.consented, m.interested, m.placed)
            }
        };
        assert_eq!(funnel(&app).await, (1, 1, 1, 1, 0), "{}", app.backend);
        let interest_id: String = sqlx::query_scalar("SELECT id FROM volunteer_interests").fetch_one(&app.db).await.unwrap();
        let r = n.organiser.call("volunteer/manage/interest", &[("interest_id", &interest_id), ("status", "placed")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(funnel(&app).await, (1, 1, 1, 1, 1), "{}: placed by the group", app.backend);
    }
}

#[tokio::test]
async fn the_door_cannot_register_interest_without_consent_or_for_what_is_not_open() {
    for app in apps().await {
        let mut n = network(&app, "riverside").await;
        let (interest, area) = (n.lists.interest.clone(), n.lists.area.clone());
        let garden = post(&mut n.organiser, &[("title", "Garden"), ("description", "Weeding")]).await;
        app.user(&n.council, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let (pat, lee) = (new_id(), new_id());
        let r = sam
            .push(vec![
                item(&new_id(), "interaction", conversation(&area, &interest, &pat, false)),
                item(&new_id(), "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": pat })),
                item(&new_id(), "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": new_id() })),
            ])
            .await;
        let results = r.json()["results"].clone();
        assert_eq!(results[0]["outcome"], "stored", "{}: {results}", app.backend);
        assert_eq!((results[1]["outcome"].as_str(), results[1]["field"].as_str()), (Some("rejected"), Some("consent")), "{}", app.backend);
        assert_eq!((results[2]["outcome"].as_str(), results[2]["field"].as_str()), (Some("rejected"), Some("resident_id")));
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_profiles").await, 0, "no consent, no profile");

        n.organiser.call("volunteer/manage/status", &[("opportunity_id", &garden), ("status", "filled")]).await;
        let results = sam
            .push(vec![
                item(&new_id(), "interaction", conversation(&area, &interest, &lee, true)),
                item(&new_id(), "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": lee })),
            ])
            .await
            .json()["results"]
            .clone();
        assert_eq!(
            (results[1]["outcome"].as_str(), results[1]["field"].as_str()),
            (Some("rejected"), Some("opportunity_id")),
            "{}",
            app.backend
        );
        assert!(results[1]["reason"].as_str().unwrap().contains("stopped taking volunteers"));
        // Another network's worker cannot register anyone for our group.
        let mut other = network(&app, "hillside").await;
        app.user(&other.council, "hill@hillside.example", Role::OutreachWorker).await;
        let mut hill = app.client();
        hill.sign_in("hill@hillside.example", PASSWORD).await;
        let far = new_id();
        let (oa, oi) = (other.lists.area.clone(), other.lists.interest.clone());
        let results = hill
            .push(vec![
                item(&new_id(), "interaction", conversation(&oa, &oi, &far, true)),
                item(&new_id(), "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": far })),
            ])
            .await
            .json()["results"]
            .clone();
        assert_eq!(
            (results[1]["outcome"].as_str(), results[1]["field"].as_str()),
            (Some("rejected"), Some("opportunity_id")),
            "{}",
            app.backend
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_interests").await, 0);
        let _ = &mut other.organiser;
    }
}

#[tokio::test]
async fn groups_follow_the_residents_newest_answer_and_only_words_that_said_groups_would_see_them() {
    for app in apps().await {
        let mut n = network(&app, "riverside").await;
        let (interest, area) = (n.lists.interest.clone(), n.lists.area.clone());
        let garden = post(&mut n.organiser, &[("title", "Garden"), ("description", "Weeding"), ("interests[]", &interest)]).await;
        let other = post(&mut n.organiser, &[("title", "Allotment"), ("description", "Digging"), ("interests[]", &interest)]).await;
        app.user(&n.council, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;

        // A "yes" on Monday, with Pat put forward; a "no" on Wednesday from one tablet; then
        // another tablet, offline all week, delivers a second Monday "yes". (Days in the past: a
        // decision is never dated after it reached the server.)
        let pat = new_id();
        let mut monday = conversation(&area, &interest, &pat, true);
        monday["occurred_at"] = Value::from(1_790_000_000);
        let mut wednesday = conversation(&area, &interest, &pat, false);
        wednesday["occurred_at"] = Value::from(1_790_000_000 + 2 * 86_400);
        let put_forward = item(&new_id(), "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": pat }));
        assert_eq!(
            sam.push_outcomes(vec![item(&new_id(), "interaction", monday.clone()), put_forward]).await,
            ["stored", "stored"],
            "{}",
            app.backend
        );
        assert_eq!(inbox(&mut n.organiser, &garden).await["entries"][0]["name"], "Pat Door");
        assert_eq!(sam.push_outcomes(vec![item(&new_id(), "interaction", wednesday)]).await, ["stored"]);
        assert_eq!(sam.push_outcomes(vec![item(&new_id(), "interaction", monday)]).await, ["stored"]);
        let entry = inbox(&mut n.organiser, &garden).await["entries"][0].clone();
        assert_eq!(
            (entry["name"].clone(), entry["contact"].clone()),
            (Value::Null, Value::Null),
            "{}: the newest answer is no",
            app.backend
        );
        assert_eq!(inbox(&mut n.organiser, &other).await["suggestions"], Value::Array(vec![]), "{}: and no longer suggested", app.backend);

        // A tablet running an app from before the words named groups: its "yes" is stored with
        // the words it showed, and does not let groups have the resident's details.
        let lee = new_id();
        let mut old_app = conversation(&area, &interest, &lee, true);
        old_app["consents"][0].as_object_mut().unwrap().remove("wording");
        let results = sam
            .push(vec![
                item(&new_id(), "interaction", old_app),
                item(&new_id(), "volunteer_interest", serde_json::json!({ "opportunity_id": garden, "resident_id": lee })),
            ])
            .await
            .json()["results"]
            .clone();
        assert_eq!(results[0]["outcome"], "stored", "{}: {results}", app.backend);
        assert_eq!((results[1]["outcome"].as_str(), results[1]["field"].as_str()), (Some("rejected"), Some("consent")), "{}", app.backend);
        let stored: String =
            sqlx::query_scalar("SELECT wording FROM consents WHERE resident_id = $1").bind(&lee).fetch_one(&app.db).await.unwrap();
        assert_eq!(stored, "We can tell you about volunteering opportunities that match your interests.");
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_profiles WHERE open_to_suggestions = 1").await, 0);
        // Words nobody ever showed are refused, not stored.
        let mut odd = conversation(&area, &interest, &new_id(), true);
        odd["consents"][0]["wording"] = Value::from("We can do anything we like.");
        let results = sam.push(vec![item(&new_id(), "interaction", odd)]).await.json()["results"].clone();
        assert_eq!((results[0]["outcome"].as_str(), results[0]["field"].as_str()), (Some("rejected"), Some("consents")), "{}", app.backend);
    }
}

#[tokio::test]
async fn an_opportunity_written_in_welsh_is_read_in_welsh_and_one_in_english_only_is_marked_and_explained() {
    use crate::bilingual::{shown, welsh_page};
    for app in apps().await {
        let mut n = network(&app, "cymraeg").await;
        let (interest, area) = (n.lists.interest.clone(), n.lists.area.clone());
        let garden: [(&str, &str); 5] = [
            ("title", "Saturday garden crew"),
            ("description", "Weeding and tea."),
            ("interests[]", &interest),
            ("areas[]", &area),
            ("times[]", "5-0"),
        ];

        // A Welsh description with no Welsh title would never be read: refused, naming the field.
        let mut refused = garden.to_vec();
        refused.extend([("description_cy", "Chwynnu a phaned."), ("publish", "yes")]);
        let r = n.organiser.call_form("volunteer/manage/create", &refused).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert_eq!(r.json()["Invalid"][0]["field"], "title_cy", "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM opportunities").await, 0, "{}", app.backend);

        let mut both = garden.to_vec();
        both.extend([("title_cy", "Criw garddio dydd Sadwrn"), ("description_cy", "Chwynnu a phaned.")]);
        let welsh = post(&mut n.organiser, &both).await;
        let english = post(&mut n.organiser, &[("title", "River clean-up"), ("description", "Litter along the river.")]).await;

        // The list: the Welsh where it is written, the English marked as English where it is not.
        let page = welsh_page(&mut app.client(), "/volunteer").await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert!(shown(&page).contains("class=\"link\">Criw garddio dydd Sadwrn"), "{}: {}", app.backend, page.body);
        assert!(shown(&page).contains("lang=\"en-GB\" class=\"link\">River clean-up"), "{}: {}", app.backend, page.body);
        assert!(!shown(&page).contains("Saturday garden crew"), "{}", app.backend);
        let english_page = app.client().get("/volunteer").await;
        assert!(shown(&english_page).contains("Saturday garden crew") && !shown(&english_page).contains("Criw garddio"), "{}", app.backend);

        // One opportunity: its Welsh description, or the English with a note in Welsh.
        let page = welsh_page(&mut app.client(), &format!("/volunteer/{welsh}")).await;
        assert!(shown(&page).contains("Chwynnu a phaned.") && !shown(&page).contains("language-note"), "{}: {}", app.backend, page.body);
        let page = welsh_page(&mut app.client(), &format!("/volunteer/{english}")).await;
        assert!(shown(&page).contains("Nid yw'r cyfle hwn wedi'i ysgrifennu yn Gymraeg eto"), "{}: {}", app.backend, page.body);
        assert!(shown(&page).contains("lang=\"en-GB\" class=\"lead\">Litter along the river."), "{}: {}", app.backend, page.body);

        // The organiser sees both to edit.
        let r = n.organiser.call("volunteer/opportunity", &[("opportunity_id", welsh.as_str())]).await;
        assert_eq!(
            (r.json()["card"]["title_cy"].as_str(), r.json()["description_cy"].as_str()),
            (Some("Criw garddio dydd Sadwrn"), Some("Chwynnu a phaned."))
        );

        // A Welsh resident's matches say why in Welsh.
        let mut alex = resident(&app, &n.council, "alex@cymraeg.example").await;
        let r = save_profile(&mut alex, &[("interests[]", &interest), ("areas[]", &area), ("times[]", "5-0"), ("age_band", "25_64")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let page = welsh_page(&mut alex, "/volunteer").await;
        assert!(shown(&page).contains("1 o'ch diddordebau · yn eich ardal · Dydd Sadwrn, yn y bore"), "{}: {}", app.backend, page.body);
    }
}
