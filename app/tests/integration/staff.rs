//! Staff accounts: who may manage them, invitations, and organisation isolation.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;

async fn signed_in(app: &TestApp, email: &str) -> Client {
    let mut c = app.client();
    let r = c.sign_in(email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}: sign in {email}: {}", app.backend, r.body);
    c
}

#[tokio::test]
async fn an_admin_invites_a_worker_who_chooses_a_password_and_signs_in() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        let mut admin = signed_in(&app, "admin@riverside.example").await;

        let r = admin
            .call("staff/create", &[("email", "New.Worker@Riverside.example"), ("display_name", " Kim Lee "), ("role", "outreach_worker")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let invitation = r.json();
        assert_eq!(invitation["email"], "new.worker@riverside.example");
        assert_eq!(invitation["display_name"], "Kim Lee");
        assert!(invitation.get("path").is_none(), "the link goes by email, not through the admin");
        let path = app.emailed_link("new.worker@riverside.example", "/invite/").await;
        let mail = &app.smtp.to("new.worker@riverside.example")[0];
        assert!(mail.text().contains("Hello Kim Lee,") && mail.text().contains("Riverside"), "{}", mail.text());
        assert!(mail.text().contains("http://127.0.0.1:3000/invite/"), "links in emails are absolute: {}", mail.text());
        let token = path.strip_prefix("/invite/").unwrap().to_string();
        assert_eq!(token.len(), 64);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM invitations WHERE token_hash = '{token}'")).await,
            0,
            "{}: the token itself is never stored",
            app.backend
        );

        let list = admin.call("staff/list", &[]).await.json();
        let kim = list.as_array().unwrap().iter().find(|m| m["email"] == "new.worker@riverside.example").unwrap();
        assert_eq!(kim["invited"], true);
        assert_eq!(kim["role"], "outreach_worker");

        // Before choosing a password the account cannot sign in.
        assert_eq!(app.client().sign_in("new.worker@riverside.example", "").await.status, StatusCode::UNPROCESSABLE_ENTITY);

        let mut kim = app.client();
        let info = kim.call("invitations/check", &[("token", &token)]).await;
        assert_eq!(info.json()["organisation_name"], "Riverside", "{}", app.backend);
        let mismatch = kim
            .call("invitations/accept", &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor")])
            .await;
        assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(mismatch.json()["Invalid"][0]["field"], "confirm_password");
        let ok = kim
            .call(
                "invitations/accept",
                &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor meadow")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", app.backend, ok.body);
        assert_eq!(kim.me().await["display_name"], "Kim Lee", "{}: signed in straight away", app.backend);

        let reuse = app
            .client()
            .call(
                "invitations/accept",
                &[("token", &token), ("password", "another long phrase"), ("confirm_password", "another long phrase")],
            )
            .await;
        assert_eq!(reuse.status, StatusCode::CONFLICT, "{}: a link works once", app.backend);
        let mut again = app.client();
        assert_eq!(again.sign_in("new.worker@riverside.example", "plum tractor meadow").await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_expired_or_unknown_invitation_is_refused_clearly() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        let mut admin = signed_in(&app, "admin@riverside.example").await;
        admin.call("staff/create", &[("email", "kim@riverside.example"), ("display_name", "Kim"), ("role", "admin")]).await;
        let token = app.emailed_link("kim@riverside.example", "/invite/").await.trim_start_matches("/invite/").to_string();
        sqlx::query("UPDATE invitations SET expires_at = 1").execute(&app.db).await.unwrap();
        let r = app.client().call("invitations/check", &[("token", &token)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        assert!(r.body.contains("expired"), "{}", r.body);
        let r = app.client().call("invitations/check", &[("token", "0000")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", app.backend);
    }
}

#[tokio::test]
async fn bad_staff_details_get_an_error_for_each_field_and_duplicates_are_refused() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        let mut admin = signed_in(&app, "admin@riverside.example").await;
        let r = admin.call("staff/create", &[("email", "not-an-email"), ("display_name", ""), ("role", "resident")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        let fields: Vec<String> =
            r.json()["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["email", "display_name", "role"], "{}", app.backend);

        let r = admin.call("staff/create", &[("email", "ADMIN@riverside.example"), ("display_name", "Twin"), ("role", "admin")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        assert!(r.body.contains("already exists"), "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1, "{}: nothing half-created", app.backend);

        // An address with an account in another organisation: the admin is told what they would
        // be told for a new one (no probing who has an account where); the holder hears of it.
        let elsewhere = app.organisation("Hillside").await;
        app.user(&elsewhere, "pat@hillside.example", Role::Resident).await;
        let r =
            admin.call("staff/create", &[("email", "Pat@hillside.example"), ("display_name", "Pat"), ("role", "outreach_worker")]).await;
        let fresh =
            admin.call("staff/create", &[("email", "new@riverside.example"), ("display_name", "Pat"), ("role", "outreach_worker")]).await;
        assert_eq!((r.status, fresh.status), (StatusCode::OK, StatusCode::OK), "{}: {}", app.backend, r.body);
        assert_eq!(
            r.body.replace("Pat@hillside.example", "").replace("pat@hillside.example", ""),
            fresh.body.replace("new@riverside.example", ""),
            "{}",
            app.backend
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE organisation_id <> (SELECT id FROM organisations WHERE name = 'Hillside') AND email LIKE 'pat@%'").await, 0);
        app.deliver().await;
        let told = app.smtp.to("pat@hillside.example");
        assert_eq!(told.len(), 1, "{}", app.backend);
        assert!(told[0].text().contains("You already have an account"), "{}", told[0].text());
        assert!(told[0].text().contains("/forgot-password"), "{}", told[0].text());
    }
}

#[tokio::test]
async fn only_admins_manage_staff_every_other_role_is_refused() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        let worker_id = app.user(&org, "worker@riverside.example", Role::OutreachWorker).await;
        app.user(&org, "organiser@riverside.example", Role::GroupOrganiser).await;
        app.user(&org, "resident@riverside.example", Role::Resident).await;
        for email in ["worker@riverside.example", "organiser@riverside.example", "resident@riverside.example"] {
            let mut c = signed_in(&app, email).await;
            assert_eq!(c.call("staff/list", &[]).await.status, StatusCode::FORBIDDEN, "{}: {email}", app.backend);
            let r = c.call("staff/create", &[("email", "x@riverside.example"), ("display_name", "X"), ("role", "admin")]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}: {email}", app.backend);
            let r = c.call("staff/set_active", &[("user_id", &worker_id), ("active", "false")]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}: {email}", app.backend);
        }
        let mut anonymous = app.client();
        assert_eq!(anonymous.call("staff/list", &[]).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 3, "{}: nothing was created", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE active = 1").await, 3, "{}: nobody was deactivated", app.backend);
    }
}

#[tokio::test]
async fn an_admin_never_sees_or_changes_another_organisations_staff() {
    for app in apps().await {
        let riverside = app.organisation("Riverside").await;
        let hillside = app.organisation("Hillside").await;
        app.user(&riverside, "admin@riverside.example", Role::Admin).await;
        app.user(&riverside, "sam@riverside.example", Role::OutreachWorker).await;
        app.user(&hillside, "admin@hillside.example", Role::Admin).await;
        let hill_worker = app.user(&hillside, "pat@hillside.example", Role::OutreachWorker).await;

        let mut admin = signed_in(&app, "admin@riverside.example").await;
        let list = admin.call("staff/list", &[]).await.json();
        let emails: Vec<&str> = list.as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
        assert_eq!(emails, ["admin@riverside.example", "sam@riverside.example"], "{}", app.backend);

        let r = admin.call("staff/set_active", &[("user_id", &hill_worker), ("active", "false")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: another organisation's account does not exist here", app.backend);
        assert_eq!(app.count(&format!("SELECT active FROM users WHERE id = '{hill_worker}'")).await, 1);

        // Invitations are always for the admin's own organisation.
        admin.call("staff/create", &[("email", "new@riverside.example"), ("display_name", "New"), ("role", "outreach_worker")]).await;
        let org_of_new = sqlx::query_scalar::<_, String>("SELECT organisation_id FROM users WHERE email = 'new@riverside.example'")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(org_of_new, riverside);
    }
}

#[tokio::test]
async fn an_admin_deactivates_and_reactivates_a_worker_but_not_themself() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        let admin_id = app.user(&org, "admin@riverside.example", Role::Admin).await;
        let sam = app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut admin = signed_in(&app, "admin@riverside.example").await;
        let mut sam_browser = signed_in(&app, "sam@riverside.example").await;

        assert_eq!(admin.call("staff/set_active", &[("user_id", &sam), ("active", "false")]).await.status, StatusCode::OK);
        assert_eq!(sam_browser.me().await, serde_json::Value::Null, "{}: Sam is signed out everywhere", app.backend);
        assert_eq!(app.client().sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(admin.call("staff/set_active", &[("user_id", &sam), ("active", "true")]).await.status, StatusCode::OK);
        assert_eq!(app.client().sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK);

        let r = admin.call("staff/set_active", &[("user_id", &admin_id), ("active", "false")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
    }
}
