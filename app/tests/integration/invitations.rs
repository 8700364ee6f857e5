//! Asking residents to have their say: the residents who agreed, in the consultation's areas and
//! themes, are counted, then invited once each; a withdrawal before the email goes stops it; the
//! unsubscribe link is a "no" in the consent ledger. Against a real SMTP server on loopback.

use crate::common::*;
use app::domain::outreach::ConsentPurpose;
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, StatusCode};
use serde_json::json;

struct World {
    org: String,
    admin: Client,
    sam: Client,
    consultation: String,
    /// Six residents who may be invited, by email address.
    invitable: Vec<(String, String)>,
    lists: Lists,
}

/// A consultation about damp in Mill Ward (a draft), and the residents Sam met.
async fn world(app: &TestApp) -> World {
    let org = app.organisation("Riverside").await;
    app.user(&org, "admin@riverside.example", Role::Admin).await;
    app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
    let lists = app.lists(&org).await;
    let (mut admin, mut sam) = (app.client(), app.client());
    assert_eq!(admin.sign_in("admin@riverside.example", PASSWORD).await.status, StatusCode::OK);
    assert_eq!(sam.sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK);
    let consultation = consultation(app, &mut admin, "Damp in Mill Ward", &lists.area, &lists.theme).await;

    let yes = json!([{ "purpose": "consultation_invitations", "granted": true, "lawful_basis": "consent", "wording": ConsentPurpose::ConsultationInvitations.wording() }]);
    let only_contact = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
    let met = |area: &str, name: &str, contact: &str, consents: &serde_json::Value| {
        let mut talk = doorstep(area);
        talk["issues"] = json!([lists.theme]);
        talk["resident"] = json!({ "id": new_id(), "name": name, "contact": contact });
        talk["consents"] = consents.clone();
        talk
    };
    let mut items = Vec::new();
    let mut invitable = Vec::new();
    for i in 1..=6 {
        let email = format!("resident{i}@example.net");
        let talk = met(&lists.area, &format!("Resident {i}"), &format!("07700 90012{i}, {email}"), &yes);
        invitable.push((talk["resident"]["id"].as_str().unwrap().to_string(), email));
        items.push(item(&new_id(), "interaction", talk));
    }
    // Not asked: met elsewhere; said no to invitations; no email address.
    items.push(item(&new_id(), "interaction", met(&lists.other_area, "Elsewhere Person", "else@example.net", &yes)));
    items.push(item(&new_id(), "interaction", met(&lists.area, "Not Asked", "notasked@example.net", &only_contact)));
    items.push(item(&new_id(), "interaction", met(&lists.area, "Phone Only", "07700 900999", &yes)));
    let n = items.len();
    assert_eq!(sam.push_outcomes(items).await, vec!["stored"; n], "{}", app.backend);
    World { org, admin, sam, consultation, invitable, lists }
}

pub(crate) async fn consultation(app: &TestApp, admin: &mut Client, title: &str, area: &str, theme: &str) -> String {
    let r = admin
        .call_form(
            "consultations/manage/create",
            &[
                ("title", title),
                ("summary", "Tell us what matters most."),
                ("background", ""),
                ("opens_on", ""),
                ("closes_on", ""),
                ("areas[]", area),
                ("themes[]", theme),
            ],
        )
        .await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{}: {} {}", app.backend, r.status, r.body);
    sqlx::query_scalar("SELECT id FROM consultations WHERE title = $1").bind(title).fetch_one(&app.db).await.unwrap()
}

pub(crate) async fn open(admin: &mut Client, id: &str) {
    let r = admin.call("consultations/manage/stage", &[("consultation_id", id), ("stage", "open_for_ideas")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn summary(admin: &mut Client, id: &str) -> serde_json::Value {
    let r = admin.call("consultations/invitations/summary", &[("consultation_id", id)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn residents_who_agreed_are_counted_then_invited_once_each_and_a_withdrawal_stops_what_has_not_gone() {
    for app in apps().await {
        let mut w = world(&app).await;
        let id = w.consultation.clone();
        // A draft cannot be answered: no invitations yet.
        assert!(
            summary(&mut w.admin, &id).await["not_open"].as_str().is_some_and(|s| s.contains("Open the consultation first")),
            "{}",
            app.backend
        );
        assert_eq!(w.admin.call("consultations/invitations/send", &[("consultation_id", &id)]).await.status, StatusCode::CONFLICT);
        // Only those who run consultations.
        assert_eq!(w.sam.call("consultations/invitations/summary", &[("consultation_id", &id)]).await.status, StatusCode::FORBIDDEN);

        open(&mut w.admin, &id).await;
        let s = summary(&mut w.admin, &id).await;
        assert_eq!(
            (s["ready"].as_str(), s["invited"].as_str(), s["not_open"].as_str()),
            (Some("6 residents"), Some("No residents"), None),
            "{}: {s}",
            app.backend
        );

        // Two sends at once (two admins, or a double tap): each resident is invited once.
        let mut again = w.admin.clone();
        let form = [("consultation_id", id.as_str())];
        let (one, two) =
            tokio::join!(w.admin.call("consultations/invitations/send", &form), again.call("consultations/invitations/send", &form));
        assert_eq!((one.status, two.status), (StatusCode::OK, StatusCode::OK), "{}: {} {}", app.backend, one.body, two.body);
        let mut said = [one.json().as_str().unwrap().to_string(), two.json().as_str().unwrap().to_string()];
        said.sort();
        assert_eq!(said, ["6 residents", "No residents"], "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM consultation_invitations").await, 6, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM outgoing_messages WHERE kind = 'consultation_invitation'").await, 6, "{}", app.backend);
        let r = w.admin.call("consultations/invitations/send", &[("consultation_id", &id)]).await;
        assert_eq!(r.json(), "No residents", "{}: nobody is invited twice", app.backend);
        let s = summary(&mut w.admin, &id).await;
        assert_eq!((s["ready"].as_str(), s["invited"].as_str()), (Some("No residents"), Some("6 residents")), "{}", app.backend);

        // Resident 1 tells Sam at the door they do not want invitations, before the email goes.
        let (withdrawn, withdrawn_email) = w.invitable[0].clone();
        let no = json!({ "resident_id": withdrawn, "purpose": "consultation_invitations", "granted": false,
                         "occurred_at": app::server::now() - 60, "wording": ConsentPurpose::ConsultationInvitations.wording() });
        assert_eq!(w.sam.push_outcomes(vec![item(&new_id(), "consent_change", no)]).await, ["stored"], "{}", app.backend);
        let pass = app.deliver().await;
        assert_eq!((pass.sent, pass.cancelled), (5, 1), "{}: {pass:?}", app.backend);
        assert!(app.smtp.to(&withdrawn_email).is_empty(), "{}", app.backend);
        for (_, email) in &w.invitable[1..] {
            let got = app.smtp.to(email);
            assert_eq!(got.len(), 1, "{}: {email}", app.backend);
            assert_eq!(got[0].header("Subject").as_deref(), Some("Have your say: Damp in Mill Ward"), "{}", app.backend);
            assert!(got[0].text().contains(&format!("/consultations/{id}")), "{}", got[0].text());
            assert!(got[0].header("List-Unsubscribe-Post").is_some_and(|v| v.contains("One-Click")), "{}", app.backend);
        }
        for other in ["else@example.net", "notasked@example.net"] {
            assert!(app.smtp.to(other).is_empty(), "{}: {other} was not to be asked", app.backend);
        }

        // Resident 2 uses the one-click unsubscribe in their mail program: a "no" in their ledger.
        let (unsubscribed, email) = w.invitable[1].clone();
        let header_value = app.smtp.to(&email)[0].header("List-Unsubscribe").unwrap();
        let link = header_value.trim_matches(|c| c == '<' || c == '>');
        let path = &link[link.find("/email/unsubscribe/").unwrap()..];
        let body = "List-Unsubscribe=One-Click";
        let req = app
            .client()
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .unwrap();
        let r = app.client().send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let (granted, method): (i64, String) = sqlx::query_as(
            "SELECT granted, method FROM consents WHERE resident_id = $1 AND purpose = 'consultation_invitations' ORDER BY received_at DESC, occurred_at DESC LIMIT 1",
        )
        .bind(&unsubscribed)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!((granted, method.as_str()), (0, "email_link"), "{}", app.backend);

        // The next consultation in Mill Ward asks only those still willing: four, shown as fewer than five.
        let next = consultation(&app, &mut w.admin, "Mill Ward parking", &w.lists.area, &w.lists.theme).await;
        open(&mut w.admin, &next).await;
        assert_eq!(summary(&mut w.admin, &next).await["ready"], "Fewer than 5 residents", "{}", app.backend);
        let r = w.admin.call("consultations/invitations/send", &[("consultation_id", &next)]).await;
        assert_eq!(r.json(), "Fewer than 5 residents", "{}", app.backend);
        app.deliver().await;
        assert_eq!(app.smtp.to(&email).len(), 1, "{}: nothing more after unsubscribing", app.backend);
        assert_eq!(app.smtp.to(&w.invitable[2].1).len(), 2, "{}", app.backend);

        // What was sent to a resident is in what the organisation holds about them.
        let file = w.admin.call("privacy/resident", &[("resident_id", &w.invitable[2].0)]).await;
        assert_eq!(file.status, StatusCode::OK, "{}", file.body);
        let invited = file.json()["tables"].as_array().unwrap().iter().find(|t| t["key"] == "invitations").cloned().unwrap();
        assert_eq!(invited["rows"].as_array().unwrap().len(), 2, "{}: {invited}", app.backend);
        let _ = &w.org;
    }
}

#[tokio::test]
async fn a_resident_who_agreed_to_be_contacted_hears_when_their_issue_is_resolved_and_nobody_else_does() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        let sam_id = app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let lists = app.lists(&org).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let contact = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
        let talk = |name: &str, email: &str, consents: serde_json::Value| {
            let mut t = doorstep(&lists.area);
            t["issues"] = json!([lists.theme]);
            t["notes"] = json!("Mould behind the wardrobe; landlord slow");
            t["action"] = json!({ "action": "follow_up", "owner_id": sam_id, "due_on": "2026-12-04" });
            t["resident"] = json!({ "id": new_id(), "name": name, "contact": email });
            t["consents"] = consents;
            t
        };
        let (agreed, other) = (new_id(), new_id());
        let items = vec![
            item(&agreed, "interaction", talk("Hana Patel", "hana@example.net", contact)),
            item(
                &other,
                "interaction",
                talk(
                    "Ola Quiet",
                    "ola@example.net",
                    json!([{ "purpose": "contact_about_issue", "granted": false, "lawful_basis": "consent" }]),
                ),
            ),
        ];
        let r = sam.push(items).await;
        assert_eq!(
            r.json()["results"].as_array().unwrap().iter().filter(|x| x["outcome"] == "stored").count(),
            2,
            "{}: {}",
            app.backend,
            r.body
        );
        let resolve = |id: &str| {
            let mut r =
                item(&new_id(), "follow_up_update", json!({ "follow_up_id": id, "note": "Landlord fixed the leak; internal note" }));
            r["base_version"] = json!(1);
            r
        };
        let done = resolve(&agreed);
        let r = sam.push(vec![done.clone(), resolve(&other)]).await;
        assert_eq!(
            r.json()["results"].as_array().unwrap().iter().filter(|x| x["outcome"] == "stored").count(),
            2,
            "{}: {}",
            app.backend,
            r.body
        );
        // The tablet sends the same resolution again (it never heard the answer): no second email.
        assert_eq!(sam.push_outcomes(vec![done]).await, ["already_stored"], "{}", app.backend);
        app.deliver().await;
        let got = app.smtp.to("hana@example.net");
        assert_eq!(got.len(), 1, "{}", app.backend);
        assert_eq!(got[0].header("Subject").as_deref(), Some("Riverside: your issue has been resolved"), "{}", app.backend);
        let text = got[0].text();
        assert!(text.contains("Hello Hana Patel") && text.contains("damp and mould") && text.contains("Sam Tester"), "{text}");
        assert!(
            !text.contains("internal note") && !text.contains("wardrobe"),
            "{}: a worker's notes are for colleagues: {text}",
            app.backend
        );
        assert!(got[0].header("List-Unsubscribe").is_some(), "{}", app.backend);
        assert!(app.smtp.to("ola@example.net").is_empty(), "{}: no consent, no email", app.backend);
    }
}
