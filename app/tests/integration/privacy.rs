//! Data protection: an admin finds a resident, exports everything held about them, logs their
//! request, erases them; the erasure reaches tablets; the audit log records it all and cannot
//! be changed; organisations stay apart.

use crate::common::*;
use app::domain::outreach::ConsentPurpose;
use app::domain::Role;
use app::server::repo::intelligence as q;
use http::{header, Method, StatusCode};
use serde_json::{json, Value};
use std::io::Read;

/// What is personal about Ayesha, the resident who asks; each must be gone after erasure.
pub(crate) const AYESHA: &[&str] = &[
    "Ayesha Quinton",
    "ayesha.q@example.net",
    "7 Quinton Row",
    "Ayesha's kitchen ceiling",
    "Quintessential baking",
    "Called Ayesha back",
    "Ayesha would love this",
    "Urdu",
    "Ayesha asks her landlord",
];
/// Brian's, which must never appear in Ayesha's export and must survive her erasure.
pub(crate) const BRIAN: &[&str] = &["Brian Other", "brian@example.net", "9 Other Street", "Brian's broken gate"];

pub(crate) struct World {
    pub org: String,
    pub lists: Lists,
    pub admin: Client,
    pub sam: Client,
    pub ayesha: String,
    pub brian: String,
}

/// A council whose worker met Ayesha (a follow-up, since resolved; consent; preferences; put
/// forward for a garden group's opportunity) and Brian.
pub(crate) async fn world(app: &TestApp) -> World {
    let org = app.organisation("Riverside Council").await;
    let lists = app.lists(&org).await;
    let group = app.organisation("Garden Group").await;
    app::server::repo::volunteering::set_host(&app.db, &group, &org).await.unwrap();
    app.user(&org, "priya@riverside.example", Role::Admin).await;
    let sam_id = app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
    app.user(&group, "dee@garden.example", Role::GroupOrganiser).await;
    let (mut admin, mut sam, mut dee) = (app.client(), app.client(), app.client());
    admin.sign_in("priya@riverside.example", PASSWORD).await;
    sam.sign_in("sam@riverside.example", PASSWORD).await;
    dee.sign_in("dee@garden.example", PASSWORD).await;
    let created = dee
        .call_form(
            "volunteer/manage/create",
            &[
                ("title", "Garden"),
                ("description", "Weeding"),
                ("interests[]", &lists.interest),
                ("areas[]", &lists.area),
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
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let garden = created.json().as_str().unwrap().to_string();

    let (ayesha, brian, talk) = (new_id(), new_id(), new_id());
    let wording = ConsentPurpose::VolunteeringOpportunities.wording();
    let mut a = doorstep(&lists.area);
    // September 2026: before today, so no decision is held back to the time it reached the server.
    a["occurred_at"] = json!(1_790_000_000);
    a["address"] = json!("7 Quinton Row");
    a["notes"] = json!("Ayesha's kitchen ceiling");
    a["issues"] = json!([lists.theme]);
    a["action"] = json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-12-04" });
    a["resident"] = json!({ "id": ayesha, "name": "Ayesha Quinton", "contact": "ayesha.q@example.net", "preferred_language": "Urdu" });
    a["consents"] = json!([
        { "purpose": "volunteering_opportunities", "granted": true, "lawful_basis": "consent", "wording": wording },
        { "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" },
    ]);
    a["involvement"] = json!({ "interests": [lists.interest], "skills": "Quintessential baking", "availability": "Saturdays" });
    a["commitments"] = json!([{ "side": "you", "text": "Ayesha asks her landlord about the leak" }]);
    let mut b = doorstep(&lists.area);
    b["occurred_at"] = json!(1_790_000_000);
    b["address"] = json!("9 Other Street");
    b["notes"] = json!("Brian's broken gate");
    b["resident"] = json!({ "id": brian, "name": "Brian Other", "contact": "brian@example.net" });
    b["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
    let mut resolve = item(&new_id(), "follow_up_update", json!({ "follow_up_id": talk, "note": "Called Ayesha back" }));
    resolve["base_version"] = json!(1);
    let interest = item(
        &new_id(),
        "volunteer_interest",
        json!({ "opportunity_id": garden, "resident_id": ayesha, "message": "Ayesha would love this" }),
    );
    let outcomes = sam.push_outcomes(vec![item(&talk, "interaction", a), item(&new_id(), "interaction", b), resolve, interest]).await;
    assert_eq!(outcomes, ["stored"; 4], "{}", app.backend);
    World { org, lists, admin, sam, ayesha, brian }
}

pub(crate) async fn export(c: &mut Client, resident: &str) -> Reply {
    export_in(c, resident, "en").await
}

/// The subject access archive, asked for from a page in `language`.
async fn export_in(c: &mut Client, resident: &str, language: &str) -> Reply {
    let req = c
        .request(Method::POST, &format!("/privacy/residents/{resident}/export"))
        .header(header::ORIGIN, ORIGIN)
        .header(header::ACCEPT_LANGUAGE, language)
        .header(header::CONTENT_LENGTH, 0)
        .body(axum::body::Body::empty())
        .unwrap();
    c.send(req).await
}

/// Every file in a zip archive, by name.
pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().to_string(), text)
        })
        .collect()
}

/// Every value in every table of the database, as text, one line per row.
pub(crate) async fn everything_stored(app: &TestApp) -> String {
    let pool = &app.db;
    let tables: Vec<String> = if app.backend == "sqlite" {
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'")
            .fetch_all(pool)
            .await
            .unwrap()
    } else {
        sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    };
    assert!(tables.len() > 30, "{}: found only {tables:?}", app.backend);
    let mut out = String::new();
    for table in tables {
        let columns: Vec<String> = if app.backend == "sqlite" {
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(&table).fetch_all(pool).await.unwrap()
        } else {
            sqlx::query_scalar("SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap()
        };
        let row = columns.iter().map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')")).collect::<Vec<_>>().join(" || '|' || ");
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\"")).fetch_all(pool).await.unwrap();
        for r in rows {
            out.push_str(&format!("{table}: {r}\n"));
        }
    }
    out
}

#[tokio::test]
async fn a_subject_access_export_holds_every_kind_of_record_for_the_resident_and_none_of_anothers() {
    for app in apps().await {
        let mut w = world(&app).await;
        // Found by part of her name, in any case.
        let found = w.admin.call("privacy/home", &[("query", "quinton")]).await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        assert_eq!(found.json()["found"][0]["id"], w.ayesha.as_str(), "{}", app.backend);
        assert_eq!(found.json()["found"].as_array().unwrap().len(), 1);
        let logged =
            w.admin.call("privacy/request", &[("resident_id", &w.ayesha), ("kind", "access"), ("received_on", "2026-01-31")]).await;
        assert_eq!(logged.status, StatusCode::OK, "{}", logged.body);
        assert_eq!(logged.json()["due_on"], "2026-02-28", "one calendar month; February has no 31st");
        let viewed = w.admin.call("privacy/resident", &[("resident_id", &w.ayesha)]).await;
        assert_eq!(viewed.status, StatusCode::OK, "{}", viewed.body);

        // How long it takes at scale is measured by `scripts/bench.sh intelligence`.
        let r = export(&mut w.admin, &w.ayesha).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(r.header("content-type"), Some("application/zip"));
        let files = unzip(&r.bytes);
        let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
        for b in BRIAN {
            assert!(!all.contains(b), "{}: another resident's {b} is in the export", app.backend);
        }
        for a in AYESHA {
            assert!(all.contains(a), "{}: {a} is missing from the export", app.backend);
        }
        let json: Value = serde_json::from_str(&files.iter().find(|(n, _)| n == "subject-access.json").expect("the JSON").1).unwrap();
        assert_eq!(json["resident_id"], w.ayesha.as_str());
        let kinds = [
            "resident",
            "consents",
            "current_consents",
            "conversations",
            "issues",
            "follow_ups",
            "commitments",
            "follow_up_updates",
            "volunteer_profile",
            "volunteer_interests",
            "requests",
            "audit",
        ];
        for kind in kinds {
            let record =
                json["records"].as_array().unwrap().iter().find(|r| r["kind"] == kind).unwrap_or_else(|| panic!("no {kind} in the export"));
            assert!(!record["rows"].as_array().unwrap().is_empty(), "{}: {kind} is empty", app.backend);
            assert!(files.iter().any(|(n, t)| n == &format!("{kind}.csv") && t.lines().count() >= 2), "{}: no {kind}.csv", app.backend);
        }
        let consents = json["records"].as_array().unwrap().iter().find(|r| r["kind"] == "consents").unwrap();
        assert_eq!(consents["lawful_basis"], "public_task", "a council holds outreach records for its public task");
        assert!(consents["rows"][0]["wording_shown"].as_str().unwrap().starts_with("We can"), "the words she was shown are kept");

        // The view and the export were audited; the audit log can be searched by action.
        for action in ["viewed", "exported", "request_logged"] {
            let n = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE resident_id = '{}' AND action = '{action}'", w.ayesha)).await;
            assert_eq!(n, 1, "{}: {action}", app.backend);
        }
        let audit = w.admin.call("privacy/audit", &[("action", "exported")]).await;
        assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
        let entries = audit.json()["entries"].as_array().unwrap().clone();
        assert_eq!(entries.len(), 1, "{}: {entries:?}", app.backend);
        assert_eq!(entries[0]["who"], "Priya Tester");
        assert_eq!(entries[0]["resident_id"], w.ayesha.as_str());
        // A Welsh-speaking officer reads every section's title and how long it is kept in Welsh.
        let welsh = w.admin.call_in("privacy/resident", &[("resident_id", &w.ayesha)], Some("cy")).await.json();
        let section = |key: &str| welsh["tables"].as_array().unwrap().iter().find(|t| t["key"] == key).unwrap().clone();
        assert_eq!(section("consents")["title"], "Penderfyniadau caniatâd", "{}", app.backend);
        assert!(section("conversations")["retention"].as_str().unwrap().contains(" mis. "), "{}: {welsh}", app.backend);
        assert_eq!(section("requests")["retention"], "Yn cael ei gadw fel cofnod o sut yr ymdriniwyd â'u data", "{}", app.backend);
        // And so is the archive asked for from a Welsh page.
        let files = unzip(&export_in(&mut w.admin, &w.ayesha, "cy").await.bytes);
        let json = &files.iter().find(|(n, _)| n == "subject-access.json").expect("the JSON").1;
        assert!(json.contains("Penderfyniadau caniatâd"), "{}: {json}", app.backend);
        // Brian's records were not touched by any of this.
        let n = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE resident_id = '{}'", w.brian)).await;
        assert_eq!(n, 0);
        let _ = (&w.org, &w.lists, &w.sam);
    }
}

#[tokio::test]
async fn erasure_leaves_no_personal_field_anywhere_keeps_the_figures_and_reaches_tablets() {
    for app in apps().await {
        let mut w = world(&app).await;
        q::refresh_dirty(&app.db, None).await.unwrap();
        let figures = || async {
            sqlx::query_scalar::<_, String>(
                "SELECT CAST(day AS TEXT) || area_id || kind || theme_id || service_id || worker_id || '=' || CAST(conversations AS TEXT) || ',' \
                 || CAST(preferences AS TEXT) || ',' || CAST(consented AS TEXT) || ',' || CAST(interested AS TEXT) FROM intelligence_counts ORDER BY 1",
            )
            .fetch_all(&app.db)
            .await
            .unwrap()
        };
        let before = figures().await;
        let stored = everything_stored(&app).await;
        for a in AYESHA {
            assert!(stored.contains(a), "{}: the test must start with {a} stored", app.backend);
        }

        // Not without the confirmation box ticked.
        let r = w.admin.call("privacy/erase", &[("resident_id", &w.ayesha)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("confirm"));
        w.admin.call("privacy/request", &[("resident_id", &w.ayesha), ("kind", "erasure"), ("received_on", "2026-11-01")]).await;
        let r = w.admin.call("privacy/erase", &[("resident_id", &w.ayesha), ("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);

        let stored = everything_stored(&app).await;
        for a in AYESHA {
            let line = stored.lines().find(|l| l.contains(a));
            assert!(line.is_none(), "{}: {a} is still stored: {line:?}", app.backend);
        }
        for b in BRIAN {
            assert!(stored.contains(b), "{}: Brian's {b} went too", app.backend);
        }
        // What the law needs stays: the request (now answered) and the audit trail.
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM privacy_requests WHERE resident_id = '{}' AND status = 'done'", w.ayesha)).await,
            1
        );
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE resident_id = '{}' AND action = 'erased'", w.ayesha)).await, 1);
        // The figures stay true, even rebuilt from scratch.
        q::refresh_dirty(&app.db, None).await.unwrap();
        assert_eq!(figures().await, before, "{}: kept counts", app.backend);
        q::rebuild_organisation(&app.db, &w.org).await.unwrap();
        assert_eq!(figures().await, before, "{}: rebuilt counts", app.backend);
        // No longer found by name; groups no longer see her.
        let found = w.admin.call("privacy/home", &[("query", "quinton")]).await;
        assert!(found.json()["found"].as_array().unwrap().is_empty());

        // A tablet still holding her asks which of its residents were erased.
        let body = json!({ "ids": [w.ayesha, w.brian, new_id()] }).to_string();
        let req = w
            .sam
            .request(Method::POST, "/api/sync/v1/erased")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .body(axum::body::Body::from(body))
            .unwrap();
        let r = w.sam.send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json(), json!([w.ayesha]), "{}", app.backend);
        // A conversation it took down before the erasure arrives afterwards: kept for the
        // figures, without her details; putting her forward for volunteering is refused.
        let mut late = doorstep(&w.lists.area);
        late["address"] = json!("7 Quinton Row");
        late["occurred_at"] = json!(1_795_000_000);
        late["resident"] = json!({ "id": w.ayesha, "name": "Ayesha Quinton", "contact": "ayesha.q@example.net" });
        late["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
        let late_id = new_id();
        let sam_id: String =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'sam@riverside.example'").fetch_one(&app.db).await.unwrap();
        late["action"] = json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-12-04" });
        late["issues"] = json!([w.lists.theme]);
        late["commitments"] = json!([{ "side": "you", "text": "Ayesha asks her landlord once more" }]);
        let mut resolved = item(&new_id(), "follow_up_update", json!({ "follow_up_id": late_id, "note": "Rang Ayesha Quinton back" }));
        resolved["base_version"] = json!(1);
        let outcomes = w.sam.push_outcomes(vec![item(&late_id, "interaction", late), resolved]).await;
        assert_eq!(outcomes, ["stored", "stored"], "{}", app.backend);
        let stored = everything_stored(&app).await;
        for a in AYESHA.iter().chain(&["Rang Ayesha"]) {
            assert!(!stored.contains(a), "{}: a late sync brought back {a}", app.backend);
        }
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM interactions WHERE resident_id = '{}'", w.ayesha)).await, 2);
    }
}

#[tokio::test]
async fn the_audit_log_cannot_be_changed_or_deleted() {
    for app in apps().await {
        let mut w = world(&app).await;
        w.admin.call("privacy/resident", &[("resident_id", &w.ayesha)]).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 1);
        for sql in ["UPDATE audit_log SET detail = 'nothing to see'", "DELETE FROM audit_log"] {
            let refused = sqlx::query(sql).execute(&app.db).await;
            assert!(refused.is_err(), "{}: {sql} was allowed", app.backend);
            assert!(refused.unwrap_err().to_string().contains("append-only"), "{}", app.backend);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE detail = 'all records'").await, 1);
    }
}

#[tokio::test]
async fn only_the_residents_own_organisations_admins_can_see_export_or_erase_them() {
    for app in apps().await {
        let mut w = world(&app).await;
        let other = app.organisation("Elsewhere Council").await;
        app.user(&other, "admin@elsewhere.example", Role::Admin).await;
        app.user(&other, "worker@elsewhere.example", Role::OutreachWorker).await;
        let (mut stranger, mut their_worker) = (app.client(), app.client());
        stranger.sign_in("admin@elsewhere.example", PASSWORD).await;
        their_worker.sign_in("worker@elsewhere.example", PASSWORD).await;

        let found = stranger.call("privacy/home", &[("query", "quinton")]).await;
        assert!(found.json()["found"].as_array().unwrap().is_empty(), "{}", app.backend);
        assert_eq!(stranger.call("privacy/resident", &[("resident_id", &w.ayesha)]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(export(&mut stranger, &w.ayesha).await.status, StatusCode::NOT_FOUND);
        assert_eq!(stranger.call("privacy/erase", &[("resident_id", &w.ayesha), ("confirm", "yes")]).await.status, StatusCode::NOT_FOUND);
        let logged =
            stranger.call("privacy/request", &[("resident_id", &w.ayesha), ("kind", "access"), ("received_on", "2026-11-01")]).await;
        assert_eq!(logged.status, StatusCode::NOT_FOUND);
        // Outreach workers, even in her own organisation, do not handle data rights.
        for endpoint in ["privacy/home", "privacy/audit"] {
            assert_eq!(w.sam.call(endpoint, &[]).await.status, StatusCode::FORBIDDEN, "{endpoint}");
        }
        assert_eq!(export(&mut w.sam, &w.ayesha).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.sam.call("privacy/erase", &[("resident_id", &w.ayesha), ("confirm", "yes")]).await.status, StatusCode::FORBIDDEN);
        // Nothing was erased, viewed or exported.
        assert_eq!(app.count("SELECT COUNT(*) FROM residents WHERE erased_at IS NOT NULL").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0);
        // Erasing her here does not tell another organisation's tablets about her.
        w.admin.call("privacy/erase", &[("resident_id", &w.ayesha), ("confirm", "yes")]).await;
        let body = json!({ "ids": [w.ayesha] }).to_string();
        let req = their_worker
            .request(Method::POST, "/api/sync/v1/erased")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .body(axum::body::Body::from(body))
            .unwrap();
        assert_eq!(their_worker.send(req).await.json(), json!([]), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_request_needs_a_kind_and_a_real_date_not_in_the_future() {
    for app in apps().await {
        let mut w = world(&app).await;
        let r = w.admin.call("privacy/request", &[("resident_id", &w.ayesha), ("received_on", "31/01/2026")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = r.json().to_string();
        assert!(errors.contains("Select what the resident asked for") && errors.contains("Enter the date the request arrived"), "{errors}");
        let r = w.admin.call("privacy/request", &[("resident_id", &w.ayesha), ("kind", "erasure"), ("received_on", "2099-01-01")]).await;
        assert!(r.body.contains("cannot be in the future"), "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM privacy_requests").await, 0);
        // Logged and answered: it leaves the open list.
        let r = w.admin.call("privacy/request", &[("resident_id", &w.ayesha), ("kind", "access"), ("received_on", "2026-11-02")]).await;
        let id = r.json()["id"].as_str().unwrap().to_string();
        assert_eq!(w.admin.call("privacy/home", &[]).await.json()["requests"].as_array().unwrap().len(), 1);
        assert_eq!(w.admin.call("privacy/request/close", &[("request_id", &id)]).await.status, StatusCode::OK);
        assert!(w.admin.call("privacy/home", &[]).await.json()["requests"].as_array().unwrap().is_empty());
        assert_eq!(w.admin.call("privacy/request/close", &[("request_id", &id)]).await.status, StatusCode::NOT_FOUND, "already answered");
    }
}

/// A change of mind as a tablet sends it, with the words it showed.
pub(crate) fn consent_change(resident: &str, purpose: &str, granted: bool, at: i64) -> Value {
    let wording = ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == purpose).map(|p| p.wording());
    json!({ "resident_id": resident, "purpose": purpose, "granted": granted, "occurred_at": at, "wording": wording })
}

#[tokio::test]
async fn a_withdrawal_taken_at_the_door_wins_over_any_earlier_yes_whenever_it_arrives() {
    for app in apps().await {
        let mut w = world(&app).await;
        let open = format!("SELECT open_to_suggestions FROM volunteer_profiles WHERE resident_id = '{}'", w.ayesha);
        let shared = format!("SELECT share_contact FROM volunteer_interests WHERE resident_id = '{}'", w.ayesha);
        assert_eq!((app.count(&open).await, app.count(&shared).await), (1, 1), "{}: groups may see her to begin with", app.backend);

        // She says no at the door (the conversation was at 1_790_000_000).
        let no = item(&new_id(), "consent_change", consent_change(&w.ayesha, "volunteering_opportunities", false, 1_795_000_000));
        assert_eq!(w.sam.push_outcomes(vec![no.clone()]).await, ["stored"], "{}", app.backend);
        assert_eq!(
            (app.count(&open).await, app.count(&shared).await),
            (0, 0),
            "{}: groups no longer see her or how to reach her",
            app.backend
        );
        assert_eq!(w.sam.push_outcomes(vec![no]).await, ["already_stored"], "a replay is recognised");
        let audited = format!(
            "SELECT COUNT(*) FROM audit_log WHERE resident_id = '{}' AND action = 'changed' AND address = 'tablet tablet-1'",
            w.ayesha
        );
        assert_eq!(app.count(&audited).await, 1, "{}: the change is audited once, with the tablet it came from", app.backend);

        // A "yes" she gave earlier, on a tablet that was offline, reaches the server afterwards.
        let late_yes = item(&new_id(), "consent_change", consent_change(&w.ayesha, "volunteering_opportunities", true, 1_794_000_000));
        assert_eq!(w.sam.push_outcomes(vec![late_yes]).await, ["stored"]);
        assert_eq!(app.count(&open).await, 0, "{}: the later no still wins", app.backend);
        let file = w.admin.call("privacy/resident", &[("resident_id", &w.ayesha)]).await.json();
        let now = file["tables"].as_array().unwrap().iter().find(|t| t["key"] == "current_consents").unwrap()["rows"].clone();
        assert!(now.as_array().unwrap().iter().any(|r| r[0] == "volunteering_opportunities" && r[1] == "no"), "{now}");
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM consents WHERE resident_id = '{}'", w.ayesha)).await,
            4,
            "the ledger keeps every decision"
        );

        // A tablet whose clock runs decades fast cannot make a "yes" outrank every later "no":
        // a decision is never dated after it reached the server.
        let fast = item(&new_id(), "consent_change", consent_change(&w.ayesha, "volunteering_opportunities", true, 4_000_000_000));
        assert_eq!(w.sam.push_outcomes(vec![fast]).await, ["stored"]);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM consents WHERE resident_id = '{}' AND occurred_at > received_at", w.ayesha)).await,
            0
        );
        assert_eq!(app.count(&open).await, 1, "{}: that yes is the newest for now", app.backend);
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let no_again = item(&new_id(), "consent_change", consent_change(&w.ayesha, "volunteering_opportunities", false, now + 60));
        assert_eq!(w.sam.push_outcomes(vec![no_again]).await, ["stored"]);
        assert_eq!(app.count(&open).await, 0, "{}: and the next no still wins", app.backend);

        // Only her own organisation's residents, only words this version knows, never the erased.
        let other = app.organisation("Elsewhere Council").await;
        let stranger = new_id();
        sqlx::query("INSERT INTO residents (id, organisation_id, name, created_by, created_at) VALUES ($1, $2, 'Someone', (SELECT id FROM users LIMIT 1), 1)")
            .bind(&stranger)
            .bind(&other)
            .execute(&app.db)
            .await
            .unwrap();
        let mut odd_words = consent_change(&w.brian, "contact_about_issue", false, 1_800_000_100);
        odd_words["wording"] = json!("We will never contact you");
        let outcomes = w
            .sam
            .push(vec![
                item(&new_id(), "consent_change", consent_change(&stranger, "contact_about_issue", false, 1_800_000_100)),
                item(&new_id(), "consent_change", consent_change(&new_id(), "contact_about_issue", false, 1_800_000_100)),
                item(&new_id(), "consent_change", odd_words),
            ])
            .await
            .json();
        let fields: Vec<&str> = outcomes["results"].as_array().unwrap().iter().map(|r| r["field"].as_str().unwrap_or("?")).collect();
        assert_eq!(fields, ["resident_id", "resident_id", "purpose"], "{}: {outcomes}", app.backend);
        w.admin.call("privacy/erase", &[("resident_id", &w.ayesha), ("confirm", "yes")]).await;
        let after = w
            .sam
            .push(vec![item(&new_id(), "consent_change", consent_change(&w.ayesha, "contact_about_issue", false, 1_800_000_200))])
            .await
            .json();
        assert_eq!(after["results"][0]["field"], "resident_id", "{after}");
    }
}

#[tokio::test]
async fn the_retention_job_reports_in_a_dry_run_then_anonymises_only_what_is_past_its_period() {
    use app::domain::calendar::parse_date;
    use app::server::repo::privacy::run_retention;
    for app in apps().await {
        let mut w = world(&app).await;
        // Brian was met again recently; Ayesha's records all date from September 2026.
        sqlx::query("UPDATE interactions SET occurred_at = $1 WHERE resident_id = $2")
            .bind(1_875_000_000_i64) // June 2029
            .bind(&w.brian)
            .execute(&app.db)
            .await
            .unwrap();
        // Moved behind the app's back: counted again from scratch.
        q::rebuild_organisation(&app.db, &w.org).await.unwrap();
        let figures = || async {
            sqlx::query_scalar::<_, String>("SELECT CAST(day AS TEXT) || worker_id || area_id || '=' || CAST(conversations AS TEXT) || ',' || CAST(preferences AS TEXT) || ',' || CAST(consented AS TEXT) FROM intelligence_counts ORDER BY 1")
                .fetch_all(&app.db)
                .await
                .unwrap()
        };
        let before = figures().await;
        let today = parse_date("2030-01-01").unwrap(); // 24 months back: anything before 2028-01-01
        let counted = |counts: &[app::server::repo::privacy::RetentionCount]| {
            counts.iter().map(|c| (c.class.as_str(), c.records)).collect::<Vec<_>>()
        };
        let expected =
            [("resident_details", 1), ("conversation_notes", 1), ("volunteering", 2), ("consultation_contact", 0), ("partner_requests", 0)];

        let dry = run_retention(&app.db, &w.org, today, true, None, "").await.unwrap();
        assert_eq!(counted(&dry), expected, "{}", app.backend);
        assert_eq!(dry[0].kept_from, "2028-01-01");
        let stored = everything_stored(&app).await;
        for a in AYESHA {
            assert!(stored.contains(a), "{}: a dry run changed {a}", app.backend);
        }

        let real = run_retention(&app.db, &w.org, today, false, None, "").await.unwrap();
        assert_eq!(counted(&real), expected, "{}: the run did what the dry run said", app.backend);
        let stored = everything_stored(&app).await;
        for a in AYESHA {
            assert!(!stored.lines().any(|l| l.contains(a)), "{}: {a} outlived its period", app.backend);
        }
        for b in BRIAN {
            assert!(stored.contains(b), "{}: Brian's recent {b} went too", app.backend);
        }
        q::refresh_dirty(&app.db, None).await.unwrap();
        assert_eq!(figures().await, before, "{}: the figures stay true", app.backend);
        q::rebuild_organisation(&app.db, &w.org).await.unwrap();
        assert_eq!(figures().await, before, "{}: even rebuilt", app.backend);

        // Nothing left to do; every run is logged and audited, each erasure by resident.
        let again = run_retention(&app.db, &w.org, today, false, None, "").await.unwrap();
        assert!(again.iter().all(|c| c.records == 0), "{}: {again:?}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM retention_runs").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM retention_runs WHERE dry_run = 1").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'retention_run'").await, 3);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'erased' AND resident_id = '{}'", w.ayesha)).await, 1);

        // An admin sets a longer period for notes; a worker cannot; nonsense is refused.
        let r = w
            .admin
            .call("privacy/retention/save", &[("class", "conversation_notes"), ("months", "ten"), ("lawful_basis", "public_task")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("months-conversation_notes"), "{}", r.body);
        assert_eq!(
            w.sam
                .call("privacy/retention/save", &[("class", "conversation_notes"), ("months", "60"), ("lawful_basis", "public_task")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let r = w
            .admin
            .call("privacy/retention/save", &[("class", "conversation_notes"), ("months", "60"), ("lawful_basis", "legitimate_interests")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let settings = w.admin.call("privacy/retention", &[]).await.json();
        let notes = settings["policies"].as_array().unwrap().iter().find(|p| p["class"] == "conversation_notes").unwrap().clone();
        assert_eq!((notes["months"].as_i64(), notes["lawful_basis"].as_str()), (Some(60), Some("legitimate_interests")), "{}", app.backend);
        assert_eq!(settings["runs"].as_array().unwrap().len(), 3);
        // Run from the page: a dry run today finds nothing due.
        let r = w.admin.call("privacy/retention/run", &[("dry_run", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.json()["counts"].as_array().unwrap().iter().all(|c| c["records"] == 0), "{}", r.body);
        assert_eq!(r.json()["by"], "Priya Tester");
    }
}

#[tokio::test]
async fn a_signed_in_resident_sees_and_changes_what_they_agree_to() {
    for app in apps().await {
        let mut w = world(&app).await;
        app.user(&w.org, "kim@resident.example", Role::Resident).await;
        let mut kim = app.client();
        kim.sign_in("kim@resident.example", PASSWORD).await;
        let mine = kim.call("me/consents", &[]).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert!(mine.json()["choices"].as_array().unwrap().iter().all(|c| c["state"] == ""), "never asked: {}", mine.body);

        let r = kim.call("me/consents/save", &[("volunteering_opportunities", "no"), ("contact_about_issue", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json(), 2);
        assert_eq!(
            kim.call("me/consents/save", &[("volunteering_opportunities", "no"), ("contact_about_issue", "yes")]).await.json(),
            0,
            "nothing changed"
        );
        assert_eq!(kim.call("me/consents/save", &[("contact_about_issue", "no")]).await.json(), 1);
        let mine = kim.call("me/consents", &[]).await.json();
        let state = |p: &str| mine["choices"].as_array().unwrap().iter().find(|c| c["purpose"] == p).unwrap()["state"].clone();
        assert_eq!(
            (state("contact_about_issue"), state("volunteering_opportunities"), state("consultation_invitations")),
            (json!("no"), json!("no"), json!(""))
        );
        assert_eq!(mine["history"].as_array().unwrap().len(), 3, "{}: every decision is kept", app.backend);
        assert_eq!(mine["history"][0]["how"], "You, online");
        let welsh = kim.call_in("me/consents", &[], Some("cy")).await.json();
        let welsh_decision = if mine["history"][0]["decision"] == "Yes" { "Ie" } else { "Na" };
        assert_eq!(
            (welsh["history"][0]["how"].as_str(), welsh["history"][0]["decision"].as_str()),
            (Some("Chi, ar-lein"), Some(welsh_decision)),
            "{}",
            app.backend
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM consents WHERE method = 'online'").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'changed'").await, 2, "each change is audited");

        let r = kim.call("me/consents/save", &[("contact_about_issue", "maybe")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Choose yes or no"), "{}", r.body);
        // Staff have no consent ledger of their own; the admin finds Kim's for a subject access request.
        assert_eq!(w.sam.call("me/consents", &[]).await.status, StatusCode::FORBIDDEN);
        let found = w.admin.call("privacy/home", &[("query", "kim@resident")]).await.json();
        let kim_record = found["found"][0]["id"].as_str().unwrap().to_string();
        let file = w.admin.call("privacy/resident", &[("resident_id", &kim_record)]).await.json();
        let consents =
            file["tables"].as_array().unwrap().iter().find(|t| t["key"] == "consents").unwrap()["rows"].as_array().unwrap().len();
        assert_eq!(consents, 3, "{}", app.backend);
    }
}

/// What is personal about Kim, a resident with an online account; each must be gone after erasure.
const KIM: &[&str] = &[
    "Kim Tester",
    "kim@resident.example",
    "kim.private@example.net",
    "Benches by the pond, says Kim",
    "Kim's repair café",
    "Kim fixes kettles",
    "Kim agrees strongly",
];

#[tokio::test]
async fn an_online_residents_responses_ideas_and_comments_are_in_their_export_and_go_when_they_are_erased() {
    for app in apps().await {
        let mut w = world(&app).await;
        app.user(&w.org, "kim@resident.example", Role::Resident).await;
        let mut kim = app.client();
        kim.sign_in("kim@resident.example", PASSWORD).await;
        // A consultation with a choice and a free-text question: Kim answers and leaves her email.
        let form = [("title", "Mill Park"), ("summary", "What first?"), ("background", ""), ("opens_on", ""), ("closes_on", "")];
        w.admin.call_form("consultations/manage/create", &form).await;
        let id: String = sqlx::query_scalar("SELECT id FROM consultations WHERE title = 'Mill Park'").fetch_one(&app.db).await.unwrap();
        for (prompt, kind, options) in [("Which first?", "single_choice", "Play area\nPaths"), ("Anything else?", "free_text", "")] {
            let r = w
                .admin
                .call(
                    "consultations/manage/add-question",
                    &[("consultation_id", &id), ("prompt", prompt), ("hint", ""), ("kind", kind), ("options", options)],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let q: Vec<String> = sqlx::query_scalar("SELECT id FROM questions WHERE consultation_id = $1 ORDER BY position")
            .bind(&id)
            .fetch_all(&app.db)
            .await
            .unwrap();
        let stage = |s: &'static str| [("consultation_id", id.clone()), ("stage", s.to_string())];
        let open = stage("open_for_feedback");
        w.admin.call("consultations/manage/stage", &open.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
        let (a0, a1) = (format!("answers[q-{}][]", q[0]), format!("answers[q-{}][]", q[1]));
        let r = kim
            .call(
                "consultations/respond",
                &[
                    ("consultation_id", &id),
                    (&a0, "o1"),
                    (&a1, "Benches by the pond, says Kim"),
                    ("email", "kim.private@example.net"),
                    ("notify", "yes"),
                ],
            )
            .await;
        assert!(r.status.is_success(), "{}: {}", app.backend, r.body);
        let ideas = stage("open_for_ideas");
        w.admin.call("consultations/manage/stage", &ideas.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
        let r = kim
            .call(
                "consultations/propose",
                &[("consultation_id", &id), ("title", "Kim's repair café"), ("body", "Kim fixes kettles"), ("author_name", "Kim Tester")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let idea = r.json().as_str().unwrap().to_string();
        let r = kim.call("consultations/comment", &[("proposal_id", &idea), ("comment", "Kim agrees strongly"), ("author_name", "")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // The admin finds her account like anyone met at the door.
        let found = w.admin.call("privacy/home", &[("query", "kim@resident")]).await.json();
        let record = found["found"][0]["id"].as_str().unwrap_or_else(|| panic!("{}: {found}", app.backend)).to_string();
        let r = export(&mut w.admin, &record).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let files = unzip(&r.bytes);
        let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
        for k in KIM {
            assert!(all.contains(k), "{}: {k} is missing from her export", app.backend);
        }
        for a in AYESHA {
            assert!(!all.contains(a), "{}: Ayesha's {a} is in Kim's export", app.backend);
        }
        for kind in ["account", "consultation_responses", "answers", "ideas", "comments"] {
            assert!(files.iter().any(|(n, t)| n == &format!("{kind}.csv") && t.lines().count() >= 2), "{}: no {kind}", app.backend);
        }

        let r = w.admin.call("privacy/erase", &[("resident_id", &record), ("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let stored = everything_stored(&app).await;
        for k in KIM {
            let line = stored.lines().find(|l| l.contains(k));
            assert!(line.is_none(), "{}: {k} is still stored: {line:?}", app.backend);
        }
        // Her choice still counts; she can no longer sign in.
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM answers WHERE question_id = '{}'", q[0])).await, 1);
        let mut again = app.client();
        assert_eq!(again.sign_in("kim@resident.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(kim.call("me/consents", &[]).await.status, StatusCode::UNAUTHORIZED, "{}: her session ended", app.backend);
    }
}
