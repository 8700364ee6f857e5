//! "What you can do": admins keep each theme's guidance, tablets carry it with their lists, and
//! residents read it on a plain page, with every string from outside shown as text.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;
use serde_json::json;

async fn admin_of(app: &TestApp, tag: &str) -> (Client, String, Lists) {
    let org = app.organisation(tag).await;
    let email = format!("admin@{}.example", tag.to_lowercase());
    app.user(&org, &email, Role::Admin).await;
    let lists = app.lists(&org).await;
    let mut admin = app.client();
    assert_eq!(admin.sign_in(&email, PASSWORD).await.status, StatusCode::OK);
    (admin, org, lists)
}

const DAMP_STEPS: &str = "Open a window for an hour a day\n\n  Wipe condensation   every morning \n<script>alert(1)</script>";

#[tokio::test]
async fn an_admin_keeps_guidance_that_tablets_carry_and_residents_read_without_an_account() {
    for app in apps().await {
        let (mut admin, org, lists) = admin_of(&app, "Riverside").await;
        let form = [("theme_id", lists.theme.as_str()), ("steps", DAMP_STEPS), ("help", "Tenants meet on Tuesdays at Mill Library")];
        let r = admin.call_form("guidance/save", &form).await;
        assert!(r.status.is_success(), "{}: {} {}", app.backend, r.status, r.body);
        let page = admin.call("guidance/manage", &[]).await.json();
        let damp = page.as_array().unwrap().iter().find(|t| t["theme_id"] == json!(lists.theme)).unwrap().clone();
        assert_eq!(
            damp["steps"], "Open a window for an hour a day\nWipe condensation every morning\n<script>alert(1)</script>",
            "{}",
            app.backend
        );
        assert!(damp["updated"].as_str().is_some_and(|u| u.ends_with("by Admin Tester")), "{}: {damp}", app.backend);

        // A worker's tablet gets it with the lists, to read out offline.
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let lists_json = sam.call("outreach/reference", &[]).await.json();
        assert_eq!(lists_json["guidance"][0]["theme_id"], json!(lists.theme), "{}: {lists_json}", app.backend);
        assert_eq!(lists_json["guidance"][0]["steps"][1], "Wipe condensation every morning");

        // Anyone reads it; what an admin typed is text, never markup.
        let mut visitor = app.client();
        let page = visitor.get("/what-you-can-do").await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        let text = page.text();
        assert!(text.contains("Wipe condensation every morning") && text.contains("Tenants meet on Tuesdays"), "{}", app.backend);
        assert!(text.contains("Riverside") && !text.contains("<script>alert(1)"), "{}", app.backend);
        assert!(text.contains("&lt;script&gt;alert(1)"), "{}", app.backend);
        assert!(!carries_app(&page), "{}: a plain page, no app code", app.backend);
        // Narrowed to another theme, it is not there; an id that is none shows everything.
        let asb = [("theme_id", lists.other_theme.as_str()), ("steps", "Keep a log of each incident"), ("help", "")];
        assert!(admin.call_form("guidance/save", &asb).await.status.is_success());
        let other = visitor.get(&format!("/what-you-can-do?theme={}", lists.other_theme)).await.text();
        assert!(other.contains("Keep a log of each incident") && !other.contains("Wipe condensation"), "{}", app.backend);
        let bogus = visitor.get("/what-you-can-do?theme=%3Cscript%3E").await;
        assert_eq!(bogus.status, StatusCode::OK);
        assert!(bogus.text().contains("Wipe condensation"), "{}", app.backend);

        // Emptied, it goes.
        let r = admin.call_form("guidance/save", &[("theme_id", lists.theme.as_str()), ("steps", " \n "), ("help", "")]).await;
        assert!(r.status.is_success(), "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM theme_guidance").await, 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn guidance_is_bounded_kept_by_admins_only_and_only_for_their_own_themes() {
    for app in apps().await {
        let (mut admin, org, lists) = admin_of(&app, "Riverside").await;
        let (_, _, theirs) = admin_of(&app, "Hillside").await;
        let nine = (1..=9).map(|n| format!("Step {n}")).collect::<Vec<_>>().join("\n");
        let r = admin.call_form("guidance/save", &[("theme_id", lists.theme.as_str()), ("steps", &nine), ("help", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert!(r.body.contains(&format!("steps-{}", lists.theme)), "{}: the theme's own field is named: {}", app.backend, r.body);
        let long_help = "x".repeat(1_001);
        let r = admin.call_form("guidance/save", &[("theme_id", lists.theme.as_str()), ("steps", "Fine"), ("help", &long_help)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        assert!(r.body.contains(&format!("help-{}", lists.theme)), "{}", r.body);
        // Another organisation's theme, or none at all.
        for theme in [theirs.theme.as_str(), "not-a-theme"] {
            let r = admin.call_form("guidance/save", &[("theme_id", theme), ("steps", "Fine"), ("help", "")]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {theme}", app.backend);
            assert!(r.body.contains("theme_id"), "{}", r.body);
        }
        // A worker reads it on the tablet but cannot change it.
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let r = sam.call_form("guidance/save", &[("theme_id", lists.theme.as_str()), ("steps", "Fine"), ("help", "")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", app.backend);
        assert_eq!(sam.call("guidance/manage", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM theme_guidance").await, 0, "{}: nothing kept", app.backend);
        // The page for admins is not for anyone else.
        assert_eq!(app.client().get("/manage/guidance").await.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
    }
}
