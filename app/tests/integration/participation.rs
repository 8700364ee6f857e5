//! Residents' ideas, support, comments and reports, and moderation in bulk.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;

/// Riverside's admin signed in, and a consultation open for ideas. Returns (admin, org, id).
async fn open_for_ideas(app: &TestApp) -> (Client, String, String) {
    let org = app.organisation("Riverside").await;
    app.user(&org, "admin@riverside.example", Role::Admin).await;
    let mut admin = app.client();
    admin.sign_in("admin@riverside.example", PASSWORD).await;
    let form = [("title", "Empty shops"), ("summary", "What should go in them?"), ("background", ""), ("opens_on", ""), ("closes_on", "")];
    admin.call_form("consultations/manage/create", &form).await;
    let id: String = sqlx::query_scalar("SELECT id FROM consultations").fetch_one(&app.db).await.unwrap();
    let r = admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "open_for_ideas")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
    (admin, org, id)
}

async fn propose(c: &mut Client, id: &str, title: &str, body: &str) -> Reply {
    c.call("consultations/propose", &[("consultation_id", id), ("title", title), ("body", body), ("author_name", "")]).await
}

async fn ideas(c: &mut Client, id: &str) -> Vec<serde_json::Value> {
    c.call("consultations/ideas", &[("consultation_id", id)]).await.json().as_array().unwrap().clone()
}

#[tokio::test]
async fn residents_share_ideas_support_each_once_and_comment() {
    for app in apps().await {
        let (_, _, id) = open_for_ideas(&app).await;
        let mut kim = app.client();
        let r = propose(&mut kim, &id, "", "").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", app.backend);
        let r = propose(&mut kim, &id, "A repair café", "Somewhere to fix things together").await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let pid = r.json().as_str().unwrap().to_string();
        let mut lee = app.client();
        assert_eq!(lee.call("consultations/support", &[("proposal_id", &pid)]).await.json(), true);
        assert_eq!(lee.call("consultations/support", &[("proposal_id", &pid)]).await.json(), false, "{}: support once", app.backend);
        let listed = ideas(&mut lee, &id).await;
        assert_eq!((listed[0]["supporters"].as_i64(), listed[0]["supported"].as_bool()), (Some(1), Some(true)));
        assert_eq!(listed[0]["author"], "A resident");
        let r = lee.call("consultations/comment", &[("proposal_id", &pid), ("comment", "I would volunteer"), ("author_name", "Lee")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let page = kim.call("consultations/idea", &[("proposal_id", &pid)]).await.json();
        assert_eq!(page["comments"][0]["author"], "Lee");
        assert_eq!(page["proposal"]["comments"], 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM supports").await, 1);
    }
}

#[tokio::test]
async fn ideas_only_while_open_for_ideas_and_not_too_many() {
    for app in apps().await {
        let (mut admin, _, id) = open_for_ideas(&app).await;
        let mut kim = app.client();
        for n in 0..5 {
            assert_eq!(propose(&mut kim, &id, &format!("Idea {n}"), &format!("Details of idea number {n}")).await.status, StatusCode::OK);
        }
        let r = propose(&mut kim, &id, "Idea 6", "One more").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend);
        admin
            .call(
                "consultations/manage/add-question",
                &[("consultation_id", &id), ("prompt", "Which?"), ("hint", ""), ("kind", "free_text"), ("options", "")],
            )
            .await;
        admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "open_for_feedback")]).await;
        let r = propose(&mut app.client(), &id, "Late idea", "Too late").await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        assert!(r.body.contains("not for new ideas"), "{}", r.body);
        admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "closed")]).await;
        let pid: String = sqlx::query_scalar("SELECT id FROM proposals LIMIT 1").fetch_one(&app.db).await.unwrap();
        assert_eq!(app.client().call("consultations/support", &[("proposal_id", &pid)]).await.status, StatusCode::CONFLICT);
    }
}

#[tokio::test]
async fn links_and_reports_hold_contributions_until_a_moderator_decides_in_bulk() {
    for app in apps().await {
        let (mut admin, _, id) = open_for_ideas(&app).await;
        let mut spammer = app.client();
        let spam =
            propose(&mut spammer, &id, "Cheap loans", "Visit https://loans.example today").await.json().as_str().unwrap().to_string();
        let mut kim = app.client();
        let fine = propose(&mut kim, &id, "A repair café", "Somewhere to fix things").await.json().as_str().unwrap().to_string();
        // The link waits: its author sees it held, nobody else sees it.
        let own = ideas(&mut spammer, &id).await;
        assert!(own.iter().any(|i| i["id"] == spam.as_str() && i["held"] == true), "{}", app.backend);
        assert_eq!(ideas(&mut kim, &id).await.len(), 1);
        assert_eq!(app.client().call("consultations/idea", &[("proposal_id", &spam)]).await.status, StatusCode::NOT_FOUND);

        // Three different residents with accounts report the fine one; the same person twice
        // counts once. (Reports from people who are not signed in queue an item but never hide
        // it: see hardening.rs.)
        let org: String = sqlx::query_scalar("SELECT id FROM organisations LIMIT 1").fetch_one(&app.db).await.unwrap();
        for n in 0..3 {
            let email = format!("reporter{n}@resident.example");
            app.user(&org, &email, Role::Resident).await;
            let mut reporter = app.client();
            reporter.sign_in(&email, PASSWORD).await;
            let reason = format!("reason {n}");
            assert_eq!(
                reporter.call("consultations/report", &[("kind", "proposal"), ("target_id", &fine), ("reason", &reason)]).await.json(),
                true
            );
            if n == 0 {
                let again = reporter.call("consultations/report", &[("kind", "proposal"), ("target_id", &fine), ("reason", "")]).await;
                assert_eq!(again.json(), false, "{}", app.backend);
                assert_eq!(ideas(&mut app.client(), &id).await.len(), 1, "one report does not hide it");
            }
        }
        assert_eq!(ideas(&mut app.client(), &id).await.len(), 0, "{}: reported three times, it is held", app.backend);

        let queue = admin.call("moderation/queue", &[]).await.json();
        let queued: Vec<&str> = queue.as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
        assert_eq!(queued.len(), 2, "{}: {queue}", app.backend);
        // Another organisation's admin sees none of it and changes nothing.
        let other = app.organisation("Elsewhere").await;
        app.user(&other, "admin@elsewhere.example", Role::Admin).await;
        let mut stranger = app.client();
        stranger.sign_in("admin@elsewhere.example", PASSWORD).await;
        assert_eq!(stranger.call("moderation/queue", &[]).await.json().as_array().unwrap().len(), 0);
        let both = [("items[]", format!("proposal:{fine}")), ("items[]", format!("proposal:{spam}")), ("action", "restore".into())];
        let pairs: Vec<(&str, &str)> = both.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(stranger.call("moderation/decide", &pairs).await.json(), 0);
        assert_eq!(admin.call("moderation/decide", &[("action", "hide")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The admin restores the reported one and hides the spam, in two bulk decisions.
        let restore = [("items[]", format!("proposal:{fine}")), ("action", "dismiss".into())];
        let pairs: Vec<(&str, &str)> = restore.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(admin.call("moderation/decide", &pairs).await.json(), 1);
        let hide = [("items[]", format!("proposal:{spam}")), ("action", "hide".into())];
        let pairs: Vec<(&str, &str)> = hide.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(admin.call("moderation/decide", &pairs).await.json(), 1);
        let public: Vec<String> = ideas(&mut app.client(), &id).await.iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
        assert_eq!(public, std::slice::from_ref(&fine), "{}", app.backend);
        assert_eq!(admin.call("moderation/queue", &[]).await.json().as_array().unwrap().len(), 0);
        // A new report queues it again.
        app.client().call("consultations/report", &[("kind", "proposal"), ("target_id", &fine), ("reason", "")]).await;
        assert_eq!(admin.call("moderation/queue", &[]).await.json().as_array().unwrap().len(), 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_comment_repeating_its_authors_earlier_text_waits_for_a_moderator() {
    for app in apps().await {
        let (mut admin, _, id) = open_for_ideas(&app).await;
        let mut kim = app.client();
        let pid = propose(&mut kim, &id, "A repair café", "Somewhere to fix things").await.json().as_str().unwrap().to_string();
        let mut lee = app.client();
        let say = |text: &'static str| [("proposal_id", pid.clone()), ("comment", text.to_string()), ("author_name", String::new())];
        for text in ["Great idea!", "great   IDEA"] {
            let form = say(text);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(lee.call("consultations/comment", &pairs).await.status, StatusCode::OK);
        }
        let seen = kim.call("consultations/idea", &[("proposal_id", &pid)]).await.json();
        assert_eq!(seen["comments"].as_array().unwrap().len(), 1, "{}", app.backend);
        let queue = admin.call("moderation/queue", &[]).await.json();
        assert_eq!(queue[0]["kind"], "comment");
        assert_eq!(queue[0]["flag"], "Repeats an earlier post by the same person");
    }
}
