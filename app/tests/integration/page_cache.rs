//! Pages residents browse without signing in are answered from memory for a moment
//! (`server::page_cache`), never after a write, and never for anyone carrying a cookie.

use crate::common::*;
use crate::consultations::{open, riverside};
use app::domain::Role;
use app::server::page_cache::FRESH_FOR;
use http::StatusCode;

/// The nonce of the page's scripts: a fresh one means a fresh render.
fn nonce(r: &Reply) -> String {
    let csp = r.header("content-security-policy").expect("a page's policy");
    csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce").to_string()
}

#[tokio::test]
async fn visitors_share_a_page_until_something_is_written() {
    for app in apps().await {
        let (mut admin, _, id, _, lists) = riverside(&app).await;
        open(&mut admin, &id).await;
        let path = format!("/consultations/{id}");
        let (mut visitor, mut neighbour) = (app.client(), app.client());

        let first = visitor.get(&path).await;
        assert_eq!(first.status, StatusCode::OK, "{}: {}", app.backend, first.body);
        assert!(first.text().contains("The future of Mill Park"), "{}", app.backend);
        let second = neighbour.get(&path).await;
        assert_eq!(second.body, first.body, "{}: the same page", app.backend);
        assert_eq!(nonce(&second), nonce(&first), "{}: from memory, not rendered again", app.backend);
        assert!(visitor.cookie.is_none() && neighbour.cookie.is_none(), "browsing sets no cookie");
        let ids = (first.header("x-request-id").unwrap(), second.header("x-request-id").unwrap());
        assert_ne!(ids.0, ids.1, "each answer names its own request");
        assert_eq!(second.header("x-frame-options"), Some("DENY"), "with the same headers");

        // Posts turned away before anything runs (another site's page posting here) write
        // nothing, so they do not end it: a flood of them costs no renders.
        for _ in 0..3 {
            let forged = admin
                .request(http::Method::POST, "/api/consultations/manage/update")
                .header(http::header::ORIGIN, "https://elsewhere.example")
                .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(axum::body::Body::from("title=Gone"))
                .unwrap();
            assert_eq!(admin.send(forged).await.status, StatusCode::FORBIDDEN, "{}", app.backend);
        }
        let still = neighbour.get(&path).await;
        assert_eq!(nonce(&still), nonce(&first), "{}: still shared after refused posts", app.backend);

        // Any write ends it: the admin renames the consultation, and the next visitor sees it.
        let form = [
            ("consultation_id", id.as_str()),
            ("title", "Mill Park: what next"),
            ("summary", "Tell us what matters most."),
            ("background", ""),
            ("opens_on", ""),
            ("closes_on", ""),
            ("areas[]", lists.area.as_str()),
        ];
        let r = admin.call_form("consultations/manage/update", &form).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {} {}", app.backend, r.status, r.body);
        let third = visitor.get(&path).await;
        assert!(third.text().contains("Mill Park: what next"), "{}: the write shows at once", app.backend);
        assert_ne!(nonce(&third), nonce(&first));

        // A change no request made (another instance, the nightly run) shows within FRESH_FOR.
        sqlx::query("UPDATE consultations SET title = 'Mill Park, later' WHERE id = $1").bind(&id).execute(&app.db).await.unwrap();
        let fourth = neighbour.get(&path).await;
        assert_eq!(nonce(&fourth), nonce(&third), "{}: still the page from memory", app.backend);
        tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(100)).await;
        let fifth = neighbour.get(&path).await;
        assert!(fifth.text().contains("Mill Park, later"), "{}: no older than FRESH_FOR", app.backend);
    }
}

#[tokio::test]
async fn anyone_with_a_cookie_gets_their_own_page() {
    for app in apps().await {
        let (mut admin, org, id, _, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        app.user(&org, "alex@resident.example", Role::Resident).await;
        let path = format!("/consultations/{id}");
        let mut alex = app.client();
        assert_eq!(alex.sign_in("alex@resident.example", PASSWORD).await.status, StatusCode::OK);
        let mut anonymous = app.client();
        let shared = anonymous.get(&path).await;
        let (a, b) = (alex.get(&path).await, alex.get(&path).await);
        assert_eq!(a.status, StatusCode::OK, "{}: {}", app.backend, a.body);
        assert!(nonce(&a) != nonce(&b) && nonce(&a) != nonce(&shared), "{}: rendered for alex each time", app.backend);
        // A staff device's mark is a cookie too: such a device gets the app, never the plain page.
        let mut tablet = app.client();
        tablet.device = Some("mobilise_device=staff".into());
        let t = tablet.get(&path).await;
        assert_ne!(nonce(&t), nonce(&shared), "{}", app.backend);
        // The admin's preview of the same address is theirs.
        let preview = admin.get(&path).await;
        assert_ne!(nonce(&preview), nonce(&shared), "{}", app.backend);
    }
}
