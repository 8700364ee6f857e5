//! Stories about getting into an account from an email: a forgotten password.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_emailed_link_and_every_session_ends() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let (mut tablet, mut phone) = (app.client(), app.client());
        tablet.sign_in("sam@riverside.example", PASSWORD).await;
        phone.sign_in("sam@riverside.example", PASSWORD).await;
        assert!(!tablet.me().await.is_null());

        // Asking says the same whether or not the address has an account.
        let known = app.client().call("auth/forgot", &[("email", " Sam@Riverside.example ")]).await;
        let unknown = app.client().call("auth/forgot", &[("email", "nobody@riverside.example")]).await;
        assert_eq!((known.status, known.header("location")), (unknown.status, unknown.header("location")), "{}", app.backend);
        assert!(known.status.is_success() || known.status.is_redirection(), "{}: {}", app.backend, known.body);
        assert_eq!(known.body, unknown.body);
        app.wait_for_count("SELECT COUNT(*) FROM email_tokens WHERE purpose = 'reset_password'", 1).await;
        let path = app.emailed_link("sam@riverside.example", "/reset-password/").await;
        assert!(app.smtp.to("nobody@riverside.example").is_empty());
        let mail = &app.smtp.to("sam@riverside.example")[0];
        assert!(mail.text().contains("60 minutes"), "{}", mail.text());
        assert!(mail.header("List-Unsubscribe").is_none());
        let token = path.trim_start_matches("/reset-password/").to_string();
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM email_tokens WHERE token_hash = '{token}'")).await, 0, "stored hashed");

        let mut someone = app.client();
        let page = someone.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("s•••@riverside.example"), "{}", page.text());
        let r = someone
            .call("auth/reset", &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["Invalid"][0]["field"], "confirm_password");
        let r = someone
            .call("auth/reset", &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor meadow")])
            .await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.body);

        assert!(tablet.me().await.is_null(), "{}: the tablet's session ended", app.backend);
        assert!(phone.me().await.is_null(), "{}: and the phone's", app.backend);
        assert_eq!(app.client().sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.client().sign_in("sam@riverside.example", "plum tractor meadow").await.status, StatusCode::OK);

        let again = app
            .client()
            .call("auth/reset", &[("token", &token), ("password", "another long phrase"), ("confirm_password", "another long phrase")])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}: a link works once", app.backend);
        assert!(again.body.contains("already been used"));
        assert_eq!(app.client().call("auth/reset/check", &[("token", "0123")]).await.status, StatusCode::NOT_FOUND);
        let events = app.count("SELECT COUNT(*) FROM security_events WHERE detail = 'password reset by email'").await;
        assert_eq!(events, 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_reset_link_lasts_an_hour_and_asking_is_throttled_like_signing_in() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        app.client().call("auth/forgot", &[("email", "sam@riverside.example")]).await;
        app.wait_for_count("SELECT COUNT(*) FROM email_tokens", 1).await;
        let token = app.emailed_link("sam@riverside.example", "/reset-password/").await.trim_start_matches("/reset-password/").to_string();
        sqlx::query("UPDATE email_tokens SET expires_at = created_at + 3599").execute(&app.db).await.unwrap();
        let r = app.client().call("auth/reset/check", &[("token", &token)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        sqlx::query("UPDATE email_tokens SET expires_at = 1").execute(&app.db).await.unwrap();
        let r = app
            .client()
            .call("auth/reset", &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor meadow")])
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        assert!(r.body.contains("expired"), "{}", r.body);
        assert_eq!(app.client().sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK, "nothing changed");

        // One address cannot flood an inbox: at most three links an hour, then asking is refused
        // like a sixth wrong password, and the owner can still sign in.
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(app.client().call("auth/forgot", &[("email", "sam@riverside.example")]).await.status);
        }
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 2, "{}: {statuses:?}", app.backend);
        app.wait_for_count("SELECT COUNT(*) FROM email_tokens", 3).await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        app.deliver().await;
        assert_eq!(app.smtp.to("sam@riverside.example").len(), 3, "{}", app.backend);
        assert_eq!(app.client().sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK, "{}", app.backend);
        let r = app.client().call("auth/forgot", &[("email", "not an address")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn a_resident_registers_confirms_their_address_from_the_email_and_only_then_signs_in() {
    for app in apps().await {
        app.organisation("Riverside").await;
        let form = [
            ("display_name", " Alex Morgan "),
            ("email", "Alex@Example.org"),
            ("password", "plum tractor meadow"),
            ("confirm_password", "plum tractor meadow"),
        ];
        let r = app.client().call("auth/register", &form).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE email = 'alex@example.org' AND role = 'resident' AND email_verified_at IS NULL")
                .await,
            1
        );

        // Not before the address is confirmed, and saying why only to someone who knows the password.
        let early = app.client().sign_in("alex@example.org", "plum tractor meadow").await;
        assert_eq!(early.status, StatusCode::FORBIDDEN, "{}: {}", app.backend, early.body);
        assert!(early.body.contains("EmailNotVerified"), "{}", early.body);
        assert_eq!(app.client().sign_in("alex@example.org", "wrong password here").await.status, StatusCode::UNAUTHORIZED);

        let path = app.emailed_link("alex@example.org", "/verify-email/").await;
        let mail = &app.smtp.to("alex@example.org")[0];
        assert!(mail.text().starts_with("Hello,") && mail.text().contains("24 hours"), "{}", mail.text());
        assert!(!mail.data.contains("Alex Morgan"), "nothing typed on the form goes to an address before it is confirmed");
        // Opening the link (as a mail scanner would) changes nothing; the button on it does.
        let page = app.client().get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert!(page.text().contains("a•••@example.org"), "{}", page.text());
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE email_verified_at IS NULL").await,
            1,
            "{}: GET changed nothing",
            app.backend
        );
        let token = path.trim_start_matches("/verify-email/").to_string();
        let r = app.client().call("auth/verify", &[("token", &token), ("password", "not the password")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: the password proves who made the account", app.backend);
        assert_eq!(r.json()["Invalid"][0]["field"], "password");
        let r = app.client().call("auth/verify", &[("token", &token), ("password", "plum tractor meadow")]).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email_verified_at IS NULL").await, 0);
        let mut alex = app.client();
        assert_eq!(alex.sign_in("alex@example.org", "plum tractor meadow").await.status, StatusCode::OK, "{}", app.backend);
        let me = alex.me().await;
        assert_eq!((me["display_name"].as_str(), me["role"].as_str()), (Some("Alex Morgan"), Some("resident")), "{}: {me}", app.backend);
        // The link again: already done, nothing breaks.
        let again = app.client().call("auth/verify", &[("token", &token), ("password", "")]).await;
        assert!(again.status.is_success() || again.status.is_redirection(), "{}", again.body);
    }
}

#[tokio::test]
async fn registering_an_address_that_has_an_account_says_the_same_and_tells_its_holder() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let with = |email: &'static str| {
            [("display_name", "Sam"), ("email", email), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor meadow")]
        };
        let taken = app.client().call("auth/register", &with("sam@riverside.example")).await;
        let fresh = app.client().call("auth/register", &with("new@example.org")).await;
        assert_eq!(
            (taken.status, taken.header("location"), &taken.body),
            (fresh.status, fresh.header("location"), &fresh.body),
            "{}",
            app.backend
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'sam@riverside.example'").await, 1);
        assert_eq!(
            app.client().sign_in("sam@riverside.example", PASSWORD).await.status,
            StatusCode::OK,
            "{}: the password is unchanged",
            app.backend
        );
        app.deliver().await;
        let told = app.smtp.to("sam@riverside.example");
        assert_eq!(told.len(), 1, "{}", app.backend);
        assert!(told[0].text().contains("You already have an account"), "{}", told[0].text());
    }
}

#[tokio::test]
async fn registration_checks_each_field_and_verification_links_expire() {
    for app in apps().await {
        app.organisation("Riverside").await;
        let r = app
            .client()
            .call("auth/register", &[("display_name", ""), ("email", "nope"), ("password", "short"), ("confirm_password", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        let fields: Vec<String> =
            r.json()["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["display_name", "email", "password"]);

        let form = [
            ("display_name", "Kim"),
            ("email", "kim@example.org"),
            ("password", "plum tractor meadow"),
            ("confirm_password", "plum tractor meadow"),
        ];
        app.client().call("auth/register", &form).await;
        let token = app.emailed_link("kim@example.org", "/verify-email/").await.trim_start_matches("/verify-email/").to_string();
        sqlx::query("UPDATE email_tokens SET expires_at = 1").execute(&app.db).await.unwrap();
        let r = app.client().call("auth/verify", &[("token", &token), ("password", "plum tractor meadow")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        assert!(r.body.contains("expired"));
        assert_eq!(app.client().call("auth/verify", &[("token", "0000"), ("password", "x")]).await.status, StatusCode::NOT_FOUND);

        // Send the link again: a fresh one works.
        let r = app.client().call("auth/verify/resend", &[("email", "kim@example.org")]).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.body);
        let fresh = app.emailed_link("kim@example.org", "/verify-email/").await.trim_start_matches("/verify-email/").to_string();
        assert_ne!(fresh, token);
        let r = app.client().call("auth/verify", &[("token", &fresh), ("password", "plum tractor meadow")]).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.body);
        assert_eq!(app.client().sign_in("kim@example.org", "plum tractor meadow").await.status, StatusCode::OK);

        // An account never confirmed goes after a week, with its links.
        app.client()
            .call(
                "auth/register",
                &[
                    ("display_name", "Lee"),
                    ("email", "lee@example.org"),
                    ("password", "plum tractor meadow"),
                    ("confirm_password", "plum tractor meadow"),
                ],
            )
            .await;
        let later = app::server::now() + 8 * 86400;
        let removed = app::server::repo::users::delete_unconfirmed(&app.db, later - 7 * 86400).await.unwrap();
        assert_eq!(removed, 1, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'lee@example.org'").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'kim@example.org'").await, 1, "a confirmed account stays");
    }
}

#[tokio::test]
async fn an_address_registered_by_someone_else_stays_its_owners() {
    for app in apps().await {
        app.organisation("Riverside").await;
        // Someone makes an account with another person's address and a password of their own.
        let form = |password: &'static str| {
            [("display_name", "Someone"), ("email", "robin@example.org"), ("password", password), ("confirm_password", password)]
        };
        app.client().call("auth/register", &form("impostor chose this")).await;
        let token = app.emailed_link("robin@example.org", "/verify-email/").await.trim_start_matches("/verify-email/").to_string();
        // Robin gets the email and cannot confirm an account they did not make (and need not).
        let r = app.client().call("auth/verify", &[("token", &token), ("password", "robins own words")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        // Robin makes an account: told it exists, with a way to choose the password, which also
        // confirms the address. The impostor's password stops working.
        app.client().call("auth/register", &form("robins own words")).await;
        let reset = app.emailed_link("robin@example.org", "/forgot-password").await;
        assert_eq!(reset, "/forgot-password");
        app.client().call("auth/forgot", &[("email", "robin@example.org")]).await;
        app.wait_for_count("SELECT COUNT(*) FROM email_tokens WHERE purpose = 'reset_password'", 1).await;
        let path = app.emailed_link("robin@example.org", "/reset-password/").await;
        let token = path.trim_start_matches("/reset-password/");
        let r = app
            .client()
            .call("auth/reset", &[("token", token), ("password", "robins own words"), ("confirm_password", "robins own words")])
            .await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.body);
        assert_eq!(app.client().sign_in("robin@example.org", "impostor chose this").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.client().sign_in("robin@example.org", "robins own words").await.status, StatusCode::OK, "{}", app.backend);
    }
}
