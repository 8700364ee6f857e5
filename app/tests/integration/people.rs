//! One resident, not two: a resident with an online account confirms that the record made when
//! they were met at the door is theirs, or an admin links (and unlinks) the two. After that,
//! subject access, erasure, consents and the involvement funnel see one person.

use crate::common::*;
use crate::privacy::{consent_change, everything_stored, export, unzip, world, AYESHA, BRIAN};
use app::domain::Role;
use app::server::repo::intelligence as q;
use http::StatusCode;
use serde_json::{json, Value};

const AYESHA_EMAIL: &str = "ayesha.q@example.net";

/// A signed-in resident's state for one purpose on "Your data" ("yes", "no" or "" for never asked).
async fn state(c: &mut Client, purpose: &str) -> Value {
    let mine = c.call("me/consents", &[]).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    mine.json()["choices"].as_array().unwrap().iter().find(|c| c["purpose"] == purpose).unwrap()["state"].clone()
}

/// The ids of the door records offered to a signed-in resident.
async fn offered(c: &mut Client) -> Vec<String> {
    let r = c.call("me/records", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["offers"].as_array().unwrap().iter().map(|o| o["resident_id"].as_str().unwrap().to_string()).collect()
}

async fn account_record(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT r.id FROM residents r JOIN users u ON u.id = r.user_id WHERE u.email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The ids in the "same person" list of an admin's view of record `id`.
async fn same_person(admin: &mut Client, id: &str) -> Vec<String> {
    let file = admin.call("privacy/resident", &[("resident_id", id)]).await;
    assert_eq!(file.status, StatusCode::OK, "{}", file.body);
    file.json()["same_person"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

/// An admin's "link as the same person" on record `resident`.
async fn link(c: &mut Client, resident: &str, other: &str) -> (StatusCode, String) {
    let r = c.call("privacy/link", &[("resident_id", resident), ("other", other)]).await;
    (r.status, r.body)
}

#[tokio::test]
async fn a_resident_confirms_the_record_made_at_their_door_and_is_then_one_person() {
    for app in apps().await {
        let mut w = world(&app).await;
        app.user(&w.org, AYESHA_EMAIL, Role::Resident).await;
        let mut ayesha = app.client();
        ayesha.sign_in(AYESHA_EMAIL, PASSWORD).await;

        // Asked, and asking changes nothing.
        let audited = app.count("SELECT COUNT(*) FROM audit_log").await;
        let r = ayesha.call("me/records", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let records = r.json();
        assert_eq!(records["email"], AYESHA_EMAIL);
        assert_eq!(offered(&mut ayesha).await, [w.ayesha.clone()], "{}: only the record holding her address", app.backend);
        assert_eq!(records["offers"][0]["met"][1], "at your door", "{records}");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audited, "{}: reading the offer audits nothing", app.backend);
        assert_eq!(
            state(&mut ayesha, "volunteering_opportunities").await,
            "",
            "{}: apart, her account knows nothing of the door",
            app.backend
        );

        let r = ayesha.call("me/records/answer", &[("resident_id", &w.ayesha), ("answer", "yes")]).await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, json!(true)), "{}: {}", app.backend, r.body);
        // What she agreed to at the door is now hers online, and she is not asked again.
        assert_eq!(state(&mut ayesha, "volunteering_opportunities").await, "yes", "{}", app.backend);
        assert_eq!(state(&mut ayesha, "contact_about_issue").await, "yes", "{}", app.backend);
        assert!(offered(&mut ayesha).await.is_empty(), "{}", app.backend);
        let r = ayesha.call("me/records/answer", &[("resident_id", &w.ayesha), ("answer", "yes")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: answered once", app.backend);

        // The admin sees one person from either record, and each record's audit trail says so.
        let account = account_record(&app, AYESHA_EMAIL).await;
        assert_eq!(
            same_person(&mut w.admin, &account).await,
            [account.clone(), w.ayesha.clone()],
            "{}: the account's record first",
            app.backend
        );
        assert_eq!(same_person(&mut w.admin, &w.ayesha).await, [account.clone(), w.ayesha.clone()], "{}", app.backend);
        for record in [&account, &w.ayesha] {
            let sql = format!("SELECT COUNT(*) FROM audit_log WHERE action = 'linked' AND resident_id = '{record}' AND detail LIKE '%confirmed by the resident%'");
            assert_eq!(app.count(&sql).await, 1, "{}: the link is audited on {record}", app.backend);
        }
        // Subject access from the account's record holds what was recorded at the door.
        let r = export(&mut w.admin, &account).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let all: String = unzip(&r.bytes).into_iter().map(|(_, t)| t).collect();
        for a in AYESHA.iter().chain([&AYESHA_EMAIL]) {
            assert!(all.contains(a), "{}: {a} is missing from the export of her account's record", app.backend);
        }
        for b in BRIAN {
            assert!(!all.contains(b), "{}: Brian's {b} is in her export", app.backend);
        }

        // Erasing her account's record erases the person: the door record goes too.
        let r = w.admin.call("privacy/erase", &[("resident_id", &account), ("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let stored = everything_stored(&app).await;
        for a in AYESHA.iter().chain([&AYESHA_EMAIL]) {
            let line = stored.lines().find(|l| l.contains(a));
            assert!(line.is_none(), "{}: {a} is still stored: {line:?}", app.backend);
        }
        for b in BRIAN {
            assert!(stored.contains(b), "{}: Brian's {b} went too", app.backend);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'erased'").await, 2, "{}: one entry per record", app.backend);
        assert_eq!(app.client().sign_in(AYESHA_EMAIL, PASSWORD).await.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
    }
}

#[tokio::test]
async fn only_records_holding_the_residents_own_address_and_a_way_to_reach_them_are_offered_and_no_is_kept() {
    for app in apps().await {
        let mut w = world(&app).await;
        // Someone whose address no door record holds is offered nothing, and cannot take Ayesha's.
        app.user(&w.org, "kim@resident.example", Role::Resident).await;
        let mut kim = app.client();
        kim.sign_in("kim@resident.example", PASSWORD).await;
        assert!(offered(&mut kim).await.is_empty(), "{}", app.backend);
        let r = kim.call("me/records/answer", &[("resident_id", &w.ayesha), ("answer", "yes")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM residents WHERE linked_to IS NOT NULL").await, 0);
        // Staff have no records of their own to claim.
        assert_eq!(w.sam.call("me/records", &[]).await.status, StatusCode::FORBIDDEN);

        // Ayesha says it was not her: kept apart, and not asked again.
        app.user(&w.org, AYESHA_EMAIL, Role::Resident).await;
        let mut ayesha = app.client();
        ayesha.sign_in(AYESHA_EMAIL, PASSWORD).await;
        let r = ayesha.call("me/records/answer", &[("resident_id", &w.ayesha), ("answer", "maybe")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Choose whether this was you"), "{}", r.body);
        let r = ayesha.call("me/records/answer", &[("resident_id", &w.brian), ("answer", "yes")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: Brian's record does not hold her address", app.backend);
        let r = ayesha.call("me/records/answer", &[("resident_id", &w.ayesha), ("answer", "no")]).await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, json!(false)), "{}: {}", app.backend, r.body);
        assert!(offered(&mut ayesha).await.is_empty(), "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM residents WHERE linked_to IS NOT NULL").await, 0);
        assert_eq!(state(&mut ayesha, "volunteering_opportunities").await, "", "{}: her door decisions stay apart", app.backend);

        // Brian gave his address to be contacted about his issue; once he takes that back, the
        // address was not given to reach him and his record is not offered.
        app.user(&w.org, "brian@example.net", Role::Resident).await;
        let mut brian = app.client();
        brian.sign_in("brian@example.net", PASSWORD).await;
        assert_eq!(offered(&mut brian).await, [w.brian.clone()], "{}", app.backend);
        let no = item(&new_id(), "consent_change", consent_change(&w.brian, "contact_about_issue", false, 1_795_000_000));
        assert_eq!(w.sam.push_outcomes(vec![no]).await, ["stored"], "{}", app.backend);
        assert!(offered(&mut brian).await.is_empty(), "{}", app.backend);
    }
}

#[tokio::test]
async fn an_admin_links_and_unlinks_records_each_audited_and_the_funnel_follows_the_person() {
    for app in apps().await {
        let mut w = world(&app).await;
        app.user(&w.org, "kim@resident.example", Role::Resident).await;
        let mut kim = app.client();
        kim.sign_in("kim@resident.example", PASSWORD).await;
        let interested = || async {
            q::refresh_dirty(&app.db, None).await.unwrap();
            app.count("SELECT CAST(COALESCE(SUM(interested), 0) AS BIGINT) FROM intelligence_counts WHERE grain = 0 AND theme_id = '' AND worker_id = ''").await
        };
        assert_eq!(interested().await, 1, "{}: Ayesha said at the door she was interested", app.backend);
        // Kim says online she is interested, and groups may see how to reach her; Brian, at the
        // door, said no to volunteering. Apart, neither touches the other.
        let garden: String = sqlx::query_scalar("SELECT id FROM opportunities WHERE title = 'Garden'").fetch_one(&app.db).await.unwrap();
        let r = kim.call("volunteer/express", &[("opportunity_id", &garden), ("share_contact", "yes"), ("message", "")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let no = item(&new_id(), "consent_change", consent_change(&w.brian, "volunteering_opportunities", false, 1_795_000_000));
        assert_eq!(w.sam.push_outcomes(vec![no]).await, ["stored"], "{}", app.backend);
        let shared = "SELECT COUNT(*) FROM volunteer_interests v JOIN users u ON u.id = v.user_id WHERE u.email = 'kim@resident.example' AND v.share_contact = 1";
        assert_eq!(app.count(shared).await, 1, "{}", app.backend);
        assert_eq!(interested().await, 1, "{}", app.backend);

        assert_eq!(link(&mut w.sam, &w.brian, "kim@resident.example").await.0, StatusCode::FORBIDDEN, "{}: only admins", app.backend);
        for (other, says) in [
            ("", "Enter the other record"),
            ("nobody@example.net", "No record of your organisation"),
            ("sam@riverside.example", "No record of your organisation"),
            (w.brian.as_str(), "That is this record"),
            (w.ayesha.as_str(), "must be an online account"),
        ] {
            let (status, body) = link(&mut w.admin, &w.brian, other).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {other}: {body}", app.backend);
            assert!(body.contains(says) && body.contains("other"), "{}: {other}: {body}", app.backend);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'linked'").await, 0, "{}: nothing was linked", app.backend);

        // Linked by the account's email address (its record made there and then).
        let (status, body) = link(&mut w.admin, &w.brian, "KIM@resident.example").await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", app.backend);
        let kim_record = account_record(&app, "kim@resident.example").await;
        assert_eq!(same_person(&mut w.admin, &w.brian).await, [kim_record.clone(), w.brian.clone()], "{}", app.backend);
        let admin_id: String =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'priya@riverside.example'").fetch_one(&app.db).await.unwrap();
        let by_admin = format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'linked' AND actor_id = '{admin_id}' AND resident_id IN ('{}', '{kim_record}')",
            w.brian
        );
        assert_eq!(app.count(&by_admin).await, 2, "{}: audited on both records, naming the admin", app.backend);
        let (status, body) = link(&mut w.admin, &w.brian, &kim_record).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {body}", app.backend);
        assert!(body.contains("already linked"), "{body}");
        // What Brian decided at the door is Kim's online: they are one person. His later "no"
        // to volunteering now hides how to reach her from groups, and her interest online counts
        // for his conversation at the door in the funnel.
        assert_eq!(state(&mut kim, "contact_about_issue").await, "yes", "{}", app.backend);
        assert_eq!(state(&mut kim, "volunteering_opportunities").await, "no", "{}", app.backend);
        assert_eq!(app.count(shared).await, 0, "{}: the person's newest answer is no", app.backend);
        assert_eq!(interested().await, 2, "{}: the funnel sees one person", app.backend);

        // Another organisation's admin cannot see or change the link.
        let other_org = app.organisation("Elsewhere Council").await;
        app.user(&other_org, "olu@elsewhere.example", Role::Admin).await;
        let mut olu = app.client();
        olu.sign_in("olu@elsewhere.example", PASSWORD).await;
        assert_eq!(olu.call("privacy/unlink", &[("resident_id", &w.brian)]).await.status, StatusCode::NOT_FOUND, "{}", app.backend);
        assert_eq!(link(&mut olu, &w.brian, &kim_record).await.0, StatusCode::NOT_FOUND, "{}", app.backend);

        // Unlinked: apart again, audited on both, and the figures follow.
        let r = w.admin.call("privacy/unlink", &[("resident_id", &w.brian)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(same_person(&mut w.admin, &w.brian).await, [w.brian.clone()], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'unlinked'").await, 2, "{}", app.backend);
        assert_eq!(w.admin.call("privacy/unlink", &[("resident_id", &w.brian)]).await.status, StatusCode::CONFLICT, "{}", app.backend);
        assert_eq!(state(&mut kim, "contact_about_issue").await, "", "{}", app.backend);
        assert_eq!(interested().await, 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn retention_keeps_a_door_record_linked_to_an_open_account() {
    use app::domain::calendar::parse_date;
    use app::server::repo::privacy::run_retention;
    for app in apps().await {
        let w = world(&app).await;
        app.user(&w.org, AYESHA_EMAIL, Role::Resident).await;
        let mut ayesha = app.client();
        ayesha.sign_in(AYESHA_EMAIL, PASSWORD).await;
        let r = ayesha.call("me/records/answer", &[("resident_id", &w.ayesha), ("answer", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Long after everyone was last met: Brian goes, Ayesha (whose account is open) stays whole.
        let today = parse_date("2031-01-01").unwrap();
        let dry = run_retention(&app.db, &w.org, today, true, None, "").await.unwrap();
        let residents = dry.iter().find(|c| c.class.as_str() == "resident_details").unwrap().records;
        assert_eq!(residents, 1, "{}: Brian only", app.backend);
        let real = run_retention(&app.db, &w.org, today, false, None, "").await.unwrap();
        assert_eq!(real.iter().find(|c| c.class.as_str() == "resident_details").unwrap().records, 1, "{}", app.backend);
        let stored = everything_stored(&app).await;
        assert!(stored.contains("Ayesha Quinton"), "{}: her door record went with her account open", app.backend);
        assert!(!stored.contains("Brian Other"), "{}", app.backend);
        assert_eq!(state(&mut ayesha, "volunteering_opportunities").await, "yes", "{}", app.backend);
    }
}
