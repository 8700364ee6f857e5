//! Each page's language (`server::language`): the person's saved choice, then the switch's
//! cookie, then `Accept-Language`, then English; and the switch itself, a plain form post.

use crate::common::*;
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, StatusCode};

const WELSH_SKIP: &str = "Neidio i'r prif gynnwys";
const ENGLISH_SKIP: &str = "Skip to main content";

async fn page(client: &mut Client, path: &str, accept: Option<&str>) -> Reply {
    client.page_in(path, accept).await
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
        assert!(html.contains("<html lang=\"cy\" dir=\"ltr\">"), "{}: {html}", app.backend);
        assert!(!subject.contains("Have your say") && subject.contains("Damp in Mill Ward"), "{}: {subject}", app.backend);
        assert!(body.contains("Damp in Mill Ward") && !body.contains("is asking residents"), "{}: {body}", app.backend);
        // The unsubscribe line is in Welsh too.
        assert!(body.contains("agorwch") && !body.contains("To stop emails"), "{}: {body}", app.backend);
        let (subject, _, html) = letter("mo@example.net").await;
        assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{}", app.backend);
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

#[tokio::test]
async fn the_dashboard_counts_conversations_held_in_welsh_by_area_and_its_csv_reads_welsh() {
    for app in apps().await {
        let org = app.organisation("welshcount").await;
        let lists = app.lists(&org).await;
        app.user(&org, "admin@welshcount.example", Role::Admin).await;
        app.user(&org, "sam@welshcount.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@welshcount.example", PASSWORD).await;
        // Mill Ward: 6 in Welsh, 4 in English, 2 not recorded; River Ward: 5, all in Welsh; and
        // one knock where nobody came to the door, "in Welsh", which counts for nothing.
        let mut items = Vec::new();
        for (area, language, n) in
            [(&lists.area, Some("cy"), 6), (&lists.area, Some("en"), 4), (&lists.area, None, 2), (&lists.other_area, Some("cy"), 5)]
        {
            for _ in 0..n {
                let mut c = doorstep(area);
                if let Some(l) = language {
                    c["language"] = serde_json::json!(l);
                }
                items.push(item(&new_id(), "interaction", c));
            }
        }
        let away = serde_json::json!({
            "kind": "doorstep", "area_id": &lists.area, "address": "14 Mill Lane", "occurred_at": 1_790_000_000,
            "outcome": "no_one_home", "action": { "action": "no_action" }, "language": "cy"
        });
        items.push(item(&new_id(), "interaction", away));
        let n = items.len();
        assert_eq!(sam.push_outcomes(items).await, vec!["stored"; n], "{}", app.backend);
        // A language the form never offers is refused, and nothing of it is stored.
        let mut odd = doorstep(&lists.area);
        odd["language"] = serde_json::json!("<script>");
        let outcome = sam.push_outcomes(vec![item(&new_id(), "interaction", odd)]).await;
        assert_ne!(outcome, ["stored"], "{}", app.backend);

        let mut admin = app.client();
        admin.sign_in("admin@welshcount.example", PASSWORD).await;
        let r = admin.call("intelligence/dashboard", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let d = r.json();
        let rows: Vec<Vec<String>> = serde_json::from_value(d["welsh_by_area"]["rows"].clone()).unwrap();
        assert_eq!(
            rows,
            [["Mill Ward", "12", "6", "50"], ["River Ward", "5", "5", "100"]].map(|r| r.map(String::from).to_vec()),
            "{}",
            app.backend
        );
        // The same table as CSV, from a page read in Welsh: its headings in Welsh.
        let back = switch(&mut admin, "cy", "/intelligence").await;
        assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", app.backend);
        let csv = admin.get("/intelligence/export/welsh-by-area").await;
        assert_eq!(csv.status, StatusCode::OK, "{}", app.backend);
        let mut lines = csv.body.lines();
        assert_eq!(lines.next(), Some("Ardal,Sgyrsiau,Yn Gymraeg,Yn Gymraeg (%)"), "{}", app.backend);
        assert_eq!(lines.next(), Some("Mill Ward,12,6,50"), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_consultation_response_keeps_its_language_and_the_update_comes_back_in_it() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = crate::consultations::riverside(&app).await;
        crate::consultations::open(&mut admin, &id).await;
        // Kim reads the consultation in Welsh and answers it; Lee in English.
        let mut kim = app.client();
        assert_eq!(switch(&mut kim, "cy", "/consultations").await.status, StatusCode::SEE_OTHER);
        for (client, email) in [(&mut kim, "kim@example.org"), (&mut app.client(), "lee@example.org")] {
            let mut form = crate::consultations::answers(&id, &q, "o1", "");
            form.push(("notify".into(), "yes"));
            form.push(("email".into(), email));
            let r = crate::consultations::respond(client, &form).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
            let link = app.emailed_link(email, "/email/confirm/").await;
            let token = link.trim_start_matches("/email/confirm/").to_string();
            let r = app.client().call("email/confirm", &[("token", &token)]).await;
            assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.status);
        }
        let kept: Vec<(String, String)> = sqlx::query_as("SELECT email, language FROM responses WHERE consultation_id = $1 ORDER BY email")
            .bind(&id)
            .fetch_all(&app.db)
            .await
            .unwrap();
        assert_eq!(kept, [("kim@example.org".into(), "cy".into()), ("lee@example.org".into(), "en".into())], "{}", app.backend);
        sqlx::query("DELETE FROM outgoing_messages").execute(&app.db).await.unwrap();
        app.smtp.clear();
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[
                    ("consultation_id", &id),
                    ("status", "accepted"),
                    ("reason", ""),
                    ("progress", "40"),
                    ("body", "The play area comes first."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(app.deliver().await.sent, 2, "{}", app.backend);
        let welsh = &app.smtp.to("kim@example.org")[0];
        assert!(welsh.text().contains("Wedi'i dderbyn (40% wedi'i wneud)"), "{}: {}", app.backend, welsh.text());
        assert!(welsh.text().contains("Fe wnaethoch chi gymryd rhan yn “The future of Mill Park”"), "{}", welsh.text());
        assert!(welsh.html().contains("lang=\"cy\""), "{}", welsh.data);
        let english = &app.smtp.to("lee@example.org")[0];
        assert!(english.text().contains("Accepted (40% done)"), "{}: {}", app.backend, english.text());
        assert!(english.text().contains("You took part in “The future of Mill Park”"), "{}", english.text());
    }
}

#[tokio::test]
async fn a_welsh_workers_refused_record_is_refused_in_welsh_on_either_database() {
    for app in apps().await {
        let org = app.organisation("welshsync").await;
        let lists = app.lists(&org).await;
        app.user(&org, "sam@welshsync.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@welshsync.example", PASSWORD).await;
        // The tablet runs in Welsh (on SQLite the batch is committed by the writer task, outside
        // the request: the words must still be Welsh).
        assert_eq!(switch(&mut sam, "cy", "/outreach").await.status, StatusCode::SEE_OTHER);
        let items = vec![item(&new_id(), "interaction", doorstep(&lists.area)), item(&new_id(), "teleport", serde_json::json!({}))];
        let r = sam.push(items).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let results = r.json()["results"].clone();
        assert_eq!(results[0]["outcome"], "stored", "{}", app.backend);
        assert_eq!(results[1]["outcome"], "rejected", "{}", app.backend);
        assert_eq!(results[1]["reason"], "Math anhysbys o gofnod: teleport", "{}: {results}", app.backend);
    }
}
