//! Each page's language (`server::language`): the person's saved choice, then the switch's
//! cookie, then `Accept-Language`, then English; and the switch itself, a plain form post.

use crate::common::*;
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, StatusCode};

const WELSH_SKIP: &str = "Neidio i'r prif gynnwys";
const ENGLISH_SKIP: &str = "Skip to main content";

/// A page, asking for `accept` (if any) as a browser would.
async fn page(client: &mut Client, path: &str, accept: Option<&str>) -> Reply {
    let mut req = client.request(Method::GET, path).header(header::ACCEPT, "text/html");
    if let Some(accept) = accept {
        req = req.header(header::ACCEPT_LANGUAGE, accept);
    }
    client.send(req.body(Body::empty()).unwrap()).await
}

fn is_welsh(r: &Reply) -> bool {
    let welsh = r.body.contains("<html lang=\"cy\" dir=\"ltr\"") && r.text().contains(WELSH_SKIP);
    let english = r.body.contains("<html lang=\"en-GB\" dir=\"ltr\"") && r.text().contains(ENGLISH_SKIP);
    assert!(
        welsh != english,
        "a page is in one language: {}",
        r.text().split("<body").nth(1).unwrap_or(&r.body).chars().take(900).collect::<String>()
    );
    welsh
}

/// The language switch, as its form posts it (with this site's Origin).
async fn switch(client: &mut Client, lang: &str, back: &str) -> Reply {
    let body = encode(&[("lang", lang), ("back", back)]);
    let req = client
        .request(Method::POST, "/language")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    client.send(req).await
}

#[tokio::test]
async fn accept_language_welsh_gets_welsh_pages_and_anything_else_english() {
    for app in apps().await {
        let mut visitor = app.client();
        for path in ["/", "/sign-in", "/consultations"] {
            let r = page(&mut visitor, path, Some("cy-GB,cy;q=0.9,en;q=0.5")).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {path}", app.backend);
            assert!(is_welsh(&r), "{}: {path} in Welsh", app.backend);
            assert!(r.text().contains("Ymgynghoriadau"), "{}: {path}: the menu in Welsh", app.backend);
            assert_eq!(r.header("cache-control"), Some("no-store"), "{}: {path}: never kept by a shared cache", app.backend);
        }
        for accept in [None, Some("en-GB"), Some("fr-FR, de;q=0.9"), Some("cy;q=0, en;q=0.1"), Some("cy;q=0.2, en;q=0.9")] {
            let r = page(&mut visitor, "/", accept).await;
            assert!(!is_welsh(&r), "{}: {accept:?} is English", app.backend);
        }
    }
}

#[tokio::test]
async fn the_switch_sets_a_cookie_that_wins_over_the_browser_and_comes_back_to_the_page() {
    for app in apps().await {
        let mut visitor = app.client();
        let r = switch(&mut visitor, "cy", "/consultations?area=x").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", app.backend, r.body);
        assert_eq!(r.header("location"), Some("/consultations?area=x"), "{}", app.backend);
        let cookie = r.header("set-cookie").expect("the switch sets its cookie");
        assert!(
            cookie.starts_with("mobilise_lang=cy;") && cookie.contains("Max-Age=31536000") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(visitor.cookie.is_none(), "{}: no session for a visitor's choice", app.backend);

        // The cookie wins over the browser's own preference, both ways.
        assert!(is_welsh(&page(&mut visitor, "/", Some("en-GB")).await), "{}", app.backend);
        switch(&mut visitor, "en", "/").await;
        assert!(!is_welsh(&page(&mut visitor, "/", Some("cy")).await), "{}", app.backend);

        // The page to return to is only ever one of this site's.
        for back in ["//evil.example/x", "https://evil.example", "/\\evil.example", "", "/a\r\nSet-Cookie: x=y"] {
            let r = switch(&mut visitor, "cy", back).await;
            assert_eq!((r.status, r.header("location")), (StatusCode::SEE_OTHER, Some("/")), "{}: {back:?}", app.backend);
        }
        // Only a shipped language, named exactly: a clear 400 and nothing set.
        let mut other = app.client();
        for lang in ["fr", "", "CY", "cy-GB", "cy; Path=/"] {
            let r = switch(&mut other, lang, "/").await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}: {lang:?}", app.backend);
            assert!(r.body.contains("not offered"), "{}: {}", app.backend, r.body);
            assert!(r.header("set-cookie").is_none() && other.language.is_none(), "{}: {lang:?}", app.backend);
        }
        // Another site's page cannot switch it (the Origin guard).
        let forged = other
            .request(Method::POST, "/language")
            .header(header::ORIGIN, "https://elsewhere.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("lang=cy&back=%2F"))
            .unwrap();
        assert_eq!(other.send(forged).await.status, StatusCode::FORBIDDEN, "{}", app.backend);
        // A GET changes nothing.
        let r = other.get("/language?lang=cy&back=/").await;
        assert!(r.header("set-cookie").is_none() && other.language.is_none(), "{}: {}", app.backend, r.status);
    }
}

#[tokio::test]
async fn a_signed_in_persons_saved_choice_wins_over_cookie_and_browser_on_any_device() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.test", Role::OutreachWorker).await;

        // Sam switches to Welsh while signed in on the tablet: it is kept on the account.
        let mut tablet = app.client();
        assert_eq!(tablet.sign_in("sam@riverside.test", PASSWORD).await.status, StatusCode::OK, "{}", app.backend);
        assert!(!is_welsh(&page(&mut tablet, "/", Some("en-GB")).await), "{}", app.backend);
        let r = switch(&mut tablet, "cy", "/outreach").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", app.backend);
        assert!(tablet.cookie.is_some(), "{}: still signed in", app.backend);
        let saved = app.count("SELECT COUNT(*) FROM users WHERE email = 'sam@riverside.test' AND language = 'cy'").await;
        assert_eq!(saved, 1, "{}: the choice is on the account", app.backend);

        // Another device that has said English (cookie) and asks for English (browser): once
        // Sam signs in there, their saved Welsh wins over both.
        let mut desk = app.client();
        switch(&mut desk, "en", "/").await;
        assert!(!is_welsh(&page(&mut desk, "/", Some("en-GB")).await), "{}", app.backend);
        assert_eq!(desk.sign_in("sam@riverside.test", PASSWORD).await.status, StatusCode::OK, "{}", app.backend);
        assert!(is_welsh(&page(&mut desk, "/", Some("en-GB")).await), "{}: the saved choice wins", app.backend);

        // Signed out, the device's own cookie counts again.
        let logout = desk.call("auth/logout", &[]).await;
        assert!(logout.status.is_success() || logout.status.is_redirection(), "{}: {}", app.backend, logout.status);
        assert!(!is_welsh(&page(&mut desk, "/", Some("cy")).await), "{}: the device's English", app.backend);
    }
}

#[tokio::test]
async fn an_email_goes_in_the_language_the_resident_asked_for() {
    use app::domain::outreach::ConsentPurpose;
    use serde_json::json;
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.test", Role::Admin).await;
        app.user(&org, "sam@riverside.test", Role::OutreachWorker).await;
        let lists = app.lists(&org).await;
        let (mut admin, mut sam) = (app.client(), app.client());
        assert_eq!(admin.sign_in("admin@riverside.test", PASSWORD).await.status, StatusCode::OK);
        assert_eq!(sam.sign_in("sam@riverside.test", PASSWORD).await.status, StatusCode::OK);
        let id = crate::invitations::consultation(&app, &mut admin, "Damp in Mill Ward", &lists.area, &lists.theme).await;
        crate::invitations::open(&mut admin, &id).await;

        // Two residents Sam met: one asked for Welsh at the door, one said nothing.
        let yes = json!([{ "purpose": "consultation_invitations", "granted": true, "lawful_basis": "consent", "wording": ConsentPurpose::ConsultationInvitations.wording() }]);
        let met = |name: &str, email: &str, language: &str| {
            let mut talk = doorstep(&lists.area);
            talk["issues"] = json!([lists.theme]);
            talk["resident"] = json!({ "id": new_id(), "name": name, "contact": email, "preferred_language": language });
            talk["consents"] = yes.clone();
            item(&new_id(), "interaction", talk)
        };
        let items = vec![met("Eleri Jones", "eleri@example.net", "Cymraeg"), met("Mo Ahmed", "mo@example.net", "")];
        assert_eq!(sam.push_outcomes(items).await, vec!["stored"; 2], "{}", app.backend);
        let r = admin.call("consultations/invitations/send", &[("consultation_id", &id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);

        let letter = |to: &'static str| {
            let db = app.db.clone();
            async move {
                sqlx::query_as::<_, (String, String, String)>(
                    "SELECT subject, body, html_body FROM outgoing_messages WHERE to_address = $1",
                )
                .bind(to)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let (subject, body, html) = letter("eleri@example.net").await;
        assert!(html.contains("<html lang=\"cy\">"), "{}: {html}", app.backend);
        assert!(!subject.contains("Have your say") && subject.contains("Damp in Mill Ward"), "{}: {subject}", app.backend);
        assert!(body.contains("Damp in Mill Ward") && !body.contains("is asking residents"), "{}: {body}", app.backend);
        // The unsubscribe line is in Welsh too.
        assert!(body.contains("agorwch") && !body.contains("To stop emails"), "{}: {body}", app.backend);
        let (subject, _, html) = letter("mo@example.net").await;
        assert!(html.contains("<html lang=\"en\">"), "{}", app.backend);
        assert_eq!(subject, "Have your say: Damp in Mill Ward", "{}", app.backend);

        // Both reach the mail server.
        app.deliver().await;
        let got: Vec<String> = app.smtp.messages().into_iter().flat_map(|m| m.to).collect();
        assert!(
            got.iter().any(|t| t.contains("eleri@example.net")) && got.iter().any(|t| t.contains("mo@example.net")),
            "{}: {got:?}",
            app.backend
        );
    }
}
