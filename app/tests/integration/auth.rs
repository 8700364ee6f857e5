//! Signing in and out, sessions and throttling, against the real router and real databases.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;

#[tokio::test]
async fn an_outreach_worker_signs_in_and_the_app_knows_who_they_are() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        assert_eq!(browser.me().await, serde_json::Value::Null, "{}: nobody is signed in yet", app.backend);

        let r = browser.sign_in("  Sam@Riverside.example ", PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let cookie = browser.cookie.clone().expect("a session cookie");
        assert!(cookie.starts_with("mobilise_session="), "{cookie}");
        let set_cookie = r.header("set-cookie").unwrap();
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");

        let me = browser.me().await;
        assert_eq!(me["email"], "sam@riverside.example");
        assert_eq!(me["role"], "outreach_worker");
        assert_eq!(me["organisation_name"], "Riverside");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1, "{}: the session is stored server-side", app.backend);
    }
}

#[tokio::test]
async fn signing_in_again_gives_a_new_session_id_and_the_old_one_stops_working() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        let first = browser.cookie.clone().unwrap();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        let second = browser.cookie.clone().unwrap();
        assert_ne!(first, second, "{}: the session id must rotate on sign-in", app.backend);

        let mut stale = app.client();
        stale.cookie = Some(first);
        assert_eq!(stale.me().await, serde_json::Value::Null, "{}: the pre-sign-in id is dead", app.backend);
        assert_eq!(browser.me().await["email"], "sam@riverside.example");
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_plain_answer() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let wrong = app.client().sign_in("sam@riverside.example", "not the password").await;
        let unknown = app.client().sign_in("nobody@riverside.example", "not the password").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
        assert_eq!(wrong.status, unknown.status);
        assert_eq!(wrong.body, unknown.body);
        assert!(wrong.body.contains("BadCredentials"), "{}", wrong.body);
        assert!(wrong.header("set-cookie").is_none(), "{}: no session for a failed sign-in", app.backend);
    }
}

#[tokio::test]
async fn missing_fields_are_named_in_the_error() {
    for app in apps().await {
        let r = app.client().sign_in("", "").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        let json = r.json();
        let errors = &json["Invalid"];
        assert_eq!(errors[0]["field"], "email");
        assert_eq!(errors[0]["message"], "Enter your email address");
        assert_eq!(errors[1]["field"], "password");
    }
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in_and_its_open_session_ends() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        let id = app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        app::server::repo::users::set_active(&app.db, &org, &id, false).await.unwrap();
        assert_eq!(browser.me().await, serde_json::Value::Null, "{}: signed out at the next request", app.backend);
        let r = app.client().sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
    }
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_even_against_the_right_one() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        app.user(&org, "jo@riverside.example", Role::OutreachWorker).await;
        for _ in 0..5 {
            let r = app.client().sign_in("sam@riverside.example", "guess").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
        }
        let r = app.client().sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}: {}", app.backend, r.body);
        assert!(r.body.contains("RateLimited"), "{}", r.body);
        // Another account is not affected by someone guessing at Sam's.
        assert_eq!(app.client().sign_in("jo@riverside.example", PASSWORD).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn many_failures_from_one_address_refuse_every_account_from_it_but_not_elsewhere() {
    for app in apps_with(|c| {
        c.trust_proxy = true;
        c.throttle.max_per_address = 3;
    })
    .await
    {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut attacker = app.client();
        attacker.forwarded_for = Some("203.0.113.9".into());
        for who in ["a@x.example", "b@x.example", "c@x.example"] {
            assert_eq!(attacker.sign_in(who, "guess").await.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(attacker.sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend);
        let mut office = app.client();
        office.forwarded_for = Some("198.51.100.4".into());
        assert_eq!(office.sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK, "{}", app.backend);
    }
}

#[tokio::test]
async fn signing_out_deletes_the_session_on_the_server() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        let cookie = browser.cookie.clone();
        let r = browser.call("auth/logout", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0, "{}", app.backend);
        let mut replay = app.client();
        replay.cookie = cookie;
        assert_eq!(replay.me().await, serde_json::Value::Null, "{}: a copied cookie is useless after sign-out", app.backend);
    }
}

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_another() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        let mut elsewhere = browser.on(app.another_instance().await);
        assert_eq!(elsewhere.me().await["email"], "sam@riverside.example", "{}", app.backend);
    }
}

#[tokio::test]
async fn sessions_end_after_their_idle_and_absolute_lifetimes() {
    // No test waits on the wall clock (a busy machine made a 1-second lifetime flaky): the
    // absolute limit is tested by moving the stored sign-in time back, the idle limit by moving
    // the stored expiry.
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(browser.me().await["email"], "sam@riverside.example");
        let absolute = app.config.session.absolute_secs;
        let data: String = sqlx::query_scalar("SELECT data FROM sessions").fetch_one(&app.db).await.unwrap();
        let mut data: serde_json::Value = serde_json::from_str(&data).unwrap();
        // A minute inside the lifetime: still signed in.
        data["signed_in_at"] = serde_json::json!(app::server::now() - absolute + 60);
        sqlx::query("UPDATE sessions SET data = $1").bind(data.to_string()).execute(&app.db).await.unwrap();
        assert_eq!(browser.me().await["email"], "sam@riverside.example", "{}: within the absolute lifetime", app.backend);
        data["signed_in_at"] = serde_json::json!(app::server::now() - absolute - 1);
        sqlx::query("UPDATE sessions SET data = $1").bind(data.to_string()).execute(&app.db).await.unwrap();
        assert_eq!(browser.me().await, serde_json::Value::Null, "{}: past the absolute lifetime", app.backend);
    }
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        let expires: i64 = app.count("SELECT expires_at FROM sessions").await;
        let expected = app::server::now() + app.config.session.idle_secs;
        assert!((expires - expected).abs() <= 5, "{}: idle expiry {expires} vs {expected}", app.backend);
        sqlx::query("UPDATE sessions SET expires_at = $1").bind(app::server::now() - 1).execute(&app.db).await.unwrap();
        assert_eq!(browser.me().await, serde_json::Value::Null, "{}: an idle-expired session is gone", app.backend);
    }
}

#[tokio::test]
async fn postgres_runs_when_it_is_required() {
    if std::env::var("MOBILISE_TEST_POSTGRES").as_deref() == Ok("1") {
        let backends: Vec<&str> = apps().await.iter().map(|a| a.backend).collect();
        assert_eq!(backends, ["sqlite", "postgres"]);
    }
}

#[tokio::test]
async fn activity_keeps_a_session_alive_without_a_write_on_every_request() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut browser = app.client();
        browser.sign_in("sam@riverside.example", PASSWORD).await;
        let now = app::server::now();
        // Just signed in: requests do not rewrite the session.
        sqlx::query("UPDATE sessions SET expires_at = $1").bind(now + 100).execute(&app.db).await.unwrap();
        browser.me().await;
        assert_eq!(app.count("SELECT expires_at FROM sessions").await, now + 100, "{}: no write for a fresh session", app.backend);
        // Ten minutes of work later, the next request moves the idle expiry on.
        let data: String = sqlx::query_scalar("SELECT data FROM sessions").fetch_one(&app.db).await.unwrap();
        let mut data: serde_json::Value = serde_json::from_str(&data).unwrap();
        data["signed_in_at"] = serde_json::json!(now - 600);
        sqlx::query("UPDATE sessions SET data = $1").bind(data.to_string()).execute(&app.db).await.unwrap();
        assert_eq!(browser.me().await["email"], "sam@riverside.example");
        let expires = app.count("SELECT expires_at FROM sessions").await;
        assert!((expires - (now + app.config.session.idle_secs)).abs() <= 5, "{}: extended to {expires}", app.backend);
    }
}
