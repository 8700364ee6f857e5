//! Clusters: one issue raised by many residents in one area within a period, found by the rule
//! the organisation's admins set, compared with the period before, and seen by admins only.

use crate::common::*;
use crate::sync::worker;
use app::domain::Role;
use http::StatusCode;
use serde_json::{json, Value};

/// A conversation `days_ago` about `theme` in `area`, with a named resident (or nobody named).
fn raised(area: &str, theme: &str, days_ago: i64, resident: Option<&str>) -> Value {
    let mut p = doorstep(area);
    p["occurred_at"] = json!(app::server::now() - days_ago * 86_400 - 3_600);
    p["issues"] = json!([theme]);
    if let Some(id) = resident {
        p["resident"] = json!({ "id": id, "name": "A resident" });
        p["consents"] = json!([{ "purpose": "contact_about_issue", "granted": true, "lawful_basis": "consent" }]);
    }
    item(&new_id(), "interaction", p)
}

async fn page(c: &mut Client) -> Value {
    let r = c.call("community/page", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn residents_raising_one_issue_in_one_area_become_a_cluster_at_the_threshold_the_admin_sets() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        app.user(&org, "priya@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("priya@riverside.example", PASSWORD).await;

        let people: Vec<String> = (0..6).map(|_| new_id()).collect();
        let mut items: Vec<Value> =
            people.iter().enumerate().map(|(n, p)| raised(&lists.area, &lists.theme, n as i64 + 1, Some(p))).collect();
        // The first comes back about it: still one resident. Two more spoke without giving a name.
        items.push(raised(&lists.area, &lists.theme, 2, Some(&people[0])));
        items.push(raised(&lists.area, &lists.theme, 3, None));
        items.push(raised(&lists.area, &lists.theme, 4, None));
        // Elsewhere, another issue, and longer ago: none of them count towards it.
        items.extend((0..3).map(|n| raised(&lists.other_area, &lists.theme, n + 1, Some(&new_id()))));
        items.extend((0..2).map(|n| raised(&lists.area, &lists.other_theme, n + 1, None)));
        items.extend((0..4).map(|n| raised(&lists.area, &lists.theme, 35 + n, Some(&new_id()))));
        items.push(raised(&lists.area, &lists.theme, 70, Some(&new_id())));
        let n = items.len();
        assert_eq!(sam.push_outcomes(items).await, vec!["stored"; n], "{}", app.backend);

        // By the default rule (10 residents in 30 days) there is none yet.
        let p = page(&mut admin).await;
        assert_eq!((p["threshold"].as_i64(), p["window_days"].as_i64()), (Some(10), Some(30)), "{}", app.backend);
        assert_eq!(p["clusters"], json!([]), "{}: {p}", app.backend);

        // Eight residents make one now.
        let r = admin.call("community/rule", &[("threshold", "8"), ("window_days", "30")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p = page(&mut admin).await;
        let clusters = p["clusters"].as_array().unwrap();
        assert_eq!(clusters.len(), 1, "{}: {p}", app.backend);
        assert_eq!(clusters[0]["summary"], "Damp and mould, Mill Ward: 8 residents in 30 days", "{}", app.backend);
        assert_eq!(clusters[0]["compared"], "up from fewer than 5");
        assert_eq!(clusters[0]["trend"], "Growing");
        // A Welsh reader reads the same in Welsh (the organisation's own names stay as written).
        let welsh = admin.call_in("community/page", &[], Some("cy")).await.json();
        assert_eq!(welsh["clusters"][0]["summary"], "Damp and mould, Mill Ward: 8 o drigolion mewn 30 diwrnod", "{}", app.backend);
        assert_eq!(welsh["clusters"][0]["compared"], "i fyny o lai na 5", "{}", app.backend);
        let r = admin.call("community/rule", &[("threshold", "9"), ("window_days", "30")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(page(&mut admin).await["clusters"], json!([]), "{}", app.backend);
        // Over 45 days the four from five weeks ago join it; the one from ten weeks ago is before.
        admin.call("community/rule", &[("threshold", "9"), ("window_days", "45")]).await;
        let p = page(&mut admin).await;
        assert_eq!(p["clusters"][0]["summary"], "Damp and mould, Mill Ward: 12 residents in 45 days", "{}: {p}", app.backend);
        assert_eq!(
            (p["clusters"][0]["trend"].as_str(), p["clusters"][0]["compared"].as_str()),
            (Some("Growing"), Some("up from fewer than 5"))
        );
        // Two of them turn out to be one person: an admin links both door records to her
        // account, and the cluster counts her once from then on.
        app.user(&org, "nia@resident.example", Role::Resident).await;
        for door in &people[1..3] {
            let r = admin.call("privacy/link", &[("resident_id", door), ("other", "nia@resident.example")]).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        }
        let p = page(&mut admin).await;
        assert_eq!(p["clusters"][0]["summary"], "Damp and mould, Mill Ward: 11 residents in 45 days", "{}: {p}", app.backend);

        // The rule is whole numbers within bounds, and a cluster is never under five residents.
        for (threshold, window, field) in
            [("4", "30", "threshold"), ("ten", "30", "threshold"), ("10", "6", "window_days"), ("10", "", "window_days")]
        {
            let r = admin.call("community/rule", &[("threshold", threshold), ("window_days", window)]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {threshold}/{window}", app.backend);
            assert!(r.body.contains(field), "{}: {} names {field}", app.backend, r.body);
        }
        // Admins only, and each organisation its own.
        assert_eq!(sam.call("community/page", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.call("community/rule", &[("threshold", "5"), ("window_days", "30")]).await.status, StatusCode::FORBIDDEN);
        let elsewhere = app.organisation("Hillside").await;
        app.user(&elsewhere, "ola@hillside.example", Role::Admin).await;
        let mut ola = app.client();
        ola.sign_in("ola@hillside.example", PASSWORD).await;
        assert_eq!(ola.call("community/rule", &[("threshold", "5"), ("window_days", "90")]).await.status, StatusCode::OK);
        let r = ola.call("community/rule", &[("threshold", "5"), ("window_days", "365")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: a year is longer than a cluster", app.backend);
        assert_eq!(page(&mut ola).await["clusters"], json!([]), "{}", app.backend);
    }
}

/// A conversation `days_ago` about `theme` in `area` with a named resident who left `contact`
/// and said `agreed` to being contacted about their issue.
fn raised_by(area: &str, theme: &str, days_ago: i64, name: &str, contact: &str, agreed: bool) -> Value {
    let mut it = raised(area, theme, days_ago, Some(&new_id()));
    it["payload"]["resident"]["name"] = json!(name);
    it["payload"]["resident"]["contact"] = json!(contact);
    it["payload"]["consents"][0]["granted"] = json!(agreed);
    it
}

#[tokio::test]
async fn a_response_opened_on_a_cluster_invites_the_residents_behind_it_who_agreed_and_one_signs_up_from_the_email() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        app.user(&org, "priya@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("priya@riverside.example", PASSWORD).await;
        admin.call("community/rule", &[("threshold", "5"), ("window_days", "30")]).await;
        // Five raised damp in Mill Ward: three left an email and agreed to hear about it, one
        // said no, one left no email.
        let items = vec![
            raised_by(&lists.area, &lists.theme, 1, "<b>Ann</b>", "ann@door.example", true),
            raised_by(&lists.area, &lists.theme, 2, "Bo", "bo@door.example", true),
            {
                // She said at the door she would rather be written to in Welsh.
                let mut cy = raised_by(&lists.area, &lists.theme, 3, "Cy", "cy@door.example", true);
                cy["payload"]["resident"]["preferred_language"] = json!("Cymraeg");
                cy
            },
            raised_by(&lists.area, &lists.theme, 4, "Di", "di@door.example", false),
            raised_by(&lists.area, &lists.theme, 5, "Ed", "07700 900123", true),
        ];
        assert_eq!(sam.push_outcomes(items).await, ["stored"; 5], "{}", app.backend);

        let on = app::domain::calendar::uk_date(app::server::now() + 7 * 86_400);
        let form = |theme: &str, we_will: &str, on: &str| {
            vec![
                ("area_id", lists.area.clone()),
                ("theme_id", theme.to_string()),
                ("title", "Damp in <Mill> Ward".to_string()),
                ("we_will", we_will.to_string()),
                ("you_can", "Open a window for an hour a day".to_string()),
                ("event_name", "Street meeting".to_string()),
                ("event_place", "Mill Library".to_string()),
                ("event_on", on.to_string()),
            ]
        };
        // Not on an issue that is no cluster; and a response says what we will do, on a real day.
        let r = open(&mut admin, &form(&lists.other_theme, "Survey the homes", &on)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert!(r.body.contains("not a cluster"), "{}", r.body);
        let r = open(&mut admin, &form(&lists.theme, " ", "2020-01-01")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("we_will") && r.body.contains("event_on"), "{}: {}", app.backend, r.body);
        assert_eq!(
            sam.call("community/opening", &[("area_id", &lists.area), ("theme_id", &lists.theme)]).await.status,
            StatusCode::FORBIDDEN
        );

        let r = open(&mut admin, &form(&lists.theme, "Survey every home on the estate by March", &on)).await;
        assert!(r.status.is_success(), "{}: {} {}", app.backend, r.status, r.body);
        let id = r.json().as_str().unwrap().to_string();
        let again = open(&mut admin, &form(&lists.theme, "Again", &on)).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}: one open response per cluster", app.backend);

        // Those who agreed and left an email are invited, each with a link of their own.
        assert_eq!(app.count("SELECT COUNT(*) FROM community_invitations").await, 3, "{}", app.backend);
        let link = app.emailed_link("ann@door.example", "/together/").await;
        let mail = app.smtp.to("ann@door.example");
        let text = mail.last().unwrap().text();
        let subject = mail.last().unwrap().header("subject").unwrap_or_default();
        assert!(subject.contains("working together on damp and mould in Mill Ward"), "{}: {subject}", app.backend);
        assert!(text.contains("You told Riverside about damp and mould in Mill Ward"), "{}: {text}", app.backend);
        assert!(text.contains("Survey every home on the estate by March"));
        assert!(app.smtp.to("di@door.example").is_empty(), "{}: she said no", app.backend);
        let welsh = app.smtp.to("cy@door.example");
        let subject = welsh.last().unwrap().header("subject").unwrap_or_default();
        assert!(subject.contains("cydweithio ar damp and mould yn Mill Ward"), "{}: in her language: {subject}", app.backend);

        // Ann follows it: a plain page, what was typed shown as text, and a button to sign up.
        let mut ann = app.client();
        let read = ann.get(&link).await;
        assert_eq!(read.status, StatusCode::OK, "{}", app.backend);
        assert!(!carries_app(&read), "{}: a plain page", app.backend);
        let body = read.text();
        assert!(body.contains("Damp in &lt;Mill&gt; Ward") && !body.contains("<Mill>"), "{}", app.backend);
        assert!(body.contains("Sign up for the meeting"), "{}", app.backend);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM community_invitations WHERE signed_up_at IS NOT NULL").await,
            0,
            "reading changes nothing"
        );
        let token = link.split("invite=").nth(1).unwrap().to_string();
        let r = ann.call("community/sign-up", &[("id", &id), ("invite", &token)]).await;
        assert!(r.status.is_success(), "{}: {} {}", app.backend, r.status, r.body);
        assert!(ann.call("community/sign-up", &[("id", &id), ("invite", &token)]).await.status.is_success(), "twice is once");
        assert_eq!(app.count("SELECT COUNT(*) FROM community_invitations WHERE signed_up_at IS NOT NULL").await, 1, "{}", app.backend);
        assert!(ann.get(&link).await.text().contains("You have signed up"), "{}", app.backend);
        // A link that is not an invitation to it signs nobody up, and nothing typed reaches a header.
        for bad in ["0".repeat(64), "x\r\nSet-Cookie: a=b".to_string(), String::new()] {
            let r = ann.call("community/sign-up", &[("id", &id), ("invite", &bad)]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {bad:?}", app.backend);
            assert!(r.header("location").is_none());
        }

        // The admin sees who came forward, and the cluster points at its response.
        let p = page(&mut admin).await;
        assert_eq!(p["responses"][0]["invitations"], "3 residents invited, 1 signed up for the meeting", "{}: {p}", app.backend);
        assert_eq!(p["clusters"][0]["response_id"], json!(id));
        assert!(p["responses"][0]["progress"].as_str().unwrap().starts_with("5 residents in 30 days when it was opened; 5 now"));
    }
}

async fn open(c: &mut Client, fields: &[(&str, String)]) -> Reply {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.call_form("community/open", &refs).await
}

/// An opportunity an admin of `lists`' organisation posts, as the form sends it.
async fn post_opportunity(admin: &mut Client, lists: &Lists, title: &str) -> String {
    let form = [
        ("title", title),
        ("description", "Gloves and bags provided."),
        ("interests[]", lists.interest.as_str()),
        ("areas[]", lists.area.as_str()),
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
    ];
    let r = admin.call_form("volunteer/manage/create", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_str().map(str::to_string).unwrap_or_else(|| panic!("no id in {}", r.body))
}

#[tokio::test]
async fn progress_updates_reach_the_invited_residents_who_still_agree_and_the_last_closes_the_response() {
    for app in apps().await {
        let (mut sam, org, lists, _) = worker(&app).await;
        app.user(&org, "priya@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("priya@riverside.example", PASSWORD).await;
        admin.call("community/rule", &[("threshold", "5"), ("window_days", "30")]).await;
        let bo = raised_by(&lists.area, &lists.theme, 2, "Bo", "bo@door.example", true);
        let bo_id = bo["payload"]["resident"]["id"].as_str().unwrap().to_string();
        let items = vec![
            raised_by(&lists.area, &lists.theme, 1, "Ann", "ann@door.example", true),
            bo,
            raised_by(&lists.area, &lists.theme, 3, "Cy", "cy@door.example", true),
            raised_by(&lists.area, &lists.theme, 4, "Di", "di@door.example", false),
            raised_by(&lists.area, &lists.theme, 5, "Ed", "07700 900123", true),
        ];
        assert_eq!(sam.push_outcomes(items).await, ["stored"; 5], "{}", app.backend);
        let fields = [
            ("area_id", lists.area.clone()),
            ("theme_id", lists.theme.clone()),
            ("title", "Damp in Mill Ward".to_string()),
            ("we_will", "Survey every home by March".to_string()),
        ];
        let r = open(&mut admin, &fields).await;
        assert!(r.status.is_success(), "{}: {}", app.backend, r.body);
        let id = r.json().as_str().unwrap().to_string();
        assert_eq!(app.count("SELECT COUNT(*) FROM community_invitations").await, 3, "{}", app.backend);
        app.deliver().await;

        // Bo says at the door that he no longer wants to hear about it.
        let no =
            item(&new_id(), "consent_change", crate::privacy::consent_change(&bo_id, "contact_about_issue", false, app::server::now()));
        assert_eq!(sam.push_outcomes(vec![no]).await, ["stored"], "{}", app.backend);

        // An update says what was done; each problem is named, and only the admins post one.
        for (update, close, field) in [(" ", None, "update"), ("Surveyed", Some("maybe"), "close")] {
            let mut form = vec![("id", id.as_str()), ("update", update)];
            form.extend(close.map(|c| ("close", c)));
            let r = admin.call("community/update", &form).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
            assert!(r.body.contains(field), "{}: {} names {field}", app.backend, r.body);
        }
        let said = "Surveyed 40 homes: <b>12</b> need new extractor fans, fitted by 1 April.";
        let r = sam.call("community/update", &[("id", &id), ("update", said)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", app.backend);
        let r = admin.call("community/update", &[("id", &id), ("update", said)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);

        // It reaches Ann and Cy, not Bo (he said no since) nor Di; the email links to the page.
        let link = app.emailed_link("ann@door.example", "/together/").await;
        assert!(!link.contains("invite="), "{}: {link}", app.backend);
        let mail = app.smtp.to("ann@door.example");
        let subject = mail.last().unwrap().header("subject").unwrap_or_default();
        assert!(subject.contains("an update on damp and mould in Mill Ward"), "{}: {subject}", app.backend);
        assert!(mail.last().unwrap().text().contains("need new extractor fans"), "{}", app.backend);
        assert_eq!(app.smtp.to("cy@door.example").len(), 2, "{}: the invitation and the update", app.backend);
        assert_eq!(app.smtp.to("bo@door.example").len(), 1, "{}: only the invitation, before he said no", app.backend);
        assert!(app.smtp.to("di@door.example").is_empty(), "{}", app.backend);

        // Anyone following it reads what was done, as text.
        let mut ann = app.client();
        let page_text = ann.get(&link).await.text();
        assert!(page_text.contains("You said, we did") && page_text.contains("&lt;b&gt;12&lt;/b&gt;"), "{}", app.backend);
        assert!(!page_text.contains("Sent to"), "{}: how many it reached is for the organisation", app.backend);
        let theirs = admin.call("community/response", &[("id", &id)]).await.json();
        assert_eq!(theirs["updates"][0]["sent"], "Sent to 2 residents", "{}: {theirs}", app.backend);

        // A volunteering opportunity that helps is linked; one of another organisation cannot be.
        let fans = post_opportunity(&mut admin, &lists, "Help neighbours with damp checks").await;
        let theirs = admin.call("community/response", &[("id", &id)]).await.json();
        assert_eq!(theirs["linkable"][0]["id"], json!(fans), "{}: {theirs}", app.backend);
        let elsewhere = app.organisation("Hillside").await;
        let hill_lists = app.lists(&elsewhere).await;
        app.user(&elsewhere, "ola@hillside.example", Role::Admin).await;
        let mut ola = app.client();
        ola.sign_in("ola@hillside.example", PASSWORD).await;
        let theirs_not_ours = post_opportunity(&mut ola, &hill_lists, "Hillside litter pick").await;
        for bad in [theirs_not_ours.as_str(), "", "not-an-id"] {
            let r = admin.call("community/link-opportunity", &[("id", &id), ("opportunity_id", bad)]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {bad}", app.backend);
            assert!(r.body.contains("opportunity_id"), "{}", r.body);
        }
        let r = ola.call("community/link-opportunity", &[("id", &id), ("opportunity_id", &theirs_not_ours)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: not Hillside's response", app.backend);
        let r = admin.call("community/link-opportunity", &[("id", &id), ("opportunity_id", &fans)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let seen = ann.call("community/response", &[("id", &id)]).await.json();
        assert_eq!(seen["opportunities"][0]["title"], "Help neighbours with damp checks", "{}: {seen}", app.backend);
        assert_eq!((seen["manage"].as_bool(), seen["linkable"].as_array().map(Vec::len)), (Some(false), Some(0)));
        // Taken off when it no longer helps (twice is no error), by its own admins only; then
        // linked again.
        let r = ola.call("community/unlink-opportunity", &[("id", &id), ("opportunity_id", &fans)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}: not Hillside's response", app.backend);
        assert_eq!(
            ann.call("community/unlink-opportunity", &[("id", &id), ("opportunity_id", &fans)]).await.status,
            StatusCode::UNAUTHORIZED
        );
        for _ in 0..2 {
            let r = admin.call("community/unlink-opportunity", &[("id", &id), ("opportunity_id", &fans)]).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        }
        let seen = ann.call("community/response", &[("id", &id)]).await.json();
        assert_eq!(seen["opportunities"], json!([]), "{}: {seen}", app.backend);
        assert_eq!(admin.call("community/response", &[("id", &id)]).await.json()["linkable"][0]["id"], json!(fans));
        let r = admin.call("community/link-opportunity", &[("id", &id), ("opportunity_id", &fans)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);

        // The last update closes it: no more updates, and the cluster can be answered afresh.
        let r = admin.call("community/update", &[("id", &id), ("update", "Fans fitted in all 12 homes."), ("close", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        app.deliver().await;
        assert!(app.smtp.to("cy@door.example").last().unwrap().text().contains("we have closed this community response"));
        let r = admin.call("community/update", &[("id", &id), ("update", "One more thing")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        let r = admin.call("community/link-opportunity", &[("id", &id), ("opportunity_id", &fans)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        let r = admin.call("community/unlink-opportunity", &[("id", &id), ("opportunity_id", &fans)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}: closed, it stays as it was", app.backend);
        let closed = ann.call("community/response", &[("id", &id)]).await.json();
        assert_eq!((closed["open"].as_bool(), closed["updates"].as_array().map(Vec::len)), (Some(false), Some(2)), "{closed}");
        assert!(closed["closed_on"].is_string(), "{}: {closed}", app.backend);
        let p = page(&mut admin).await;
        assert_eq!(p["clusters"][0]["response_id"], Value::Null, "{}: {p}", app.backend);
        assert!(open(&mut admin, &fields).await.status.is_success(), "{}: a new response on the same cluster", app.backend);
    }
}
