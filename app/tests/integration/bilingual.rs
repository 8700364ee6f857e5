//! Content in English and Welsh (`domain::bilingual`): a Welsh reader sees the Welsh where it is
//! written and the English, marked and explained, where it is not; an organisation can require
//! both before a consultation is published; updates come in both.

use crate::common::*;
use crate::consultations::{open, riverside};
use axum::body::Body;
use http::{header, Method, StatusCode};

/// What a page shows (the document, not the data it hands the app to hydrate with).
pub fn shown(r: &Reply) -> String {
    r.text().split("</html>").next().unwrap_or_default().to_string()
}

/// The form that writes one question's Welsh.
fn question_welsh(id: &str, question: &str, prompt: &str, choices: &str) -> Vec<(String, String)> {
    [("consultation_id", id), ("question_id", question), ("prompt_cy", prompt), ("hint_cy", ""), ("options_cy", choices)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `riverside`'s consultation's details in English and Welsh, with the Welsh title `title_cy`.
async fn update_details(admin: &mut Client, id: &str, lists: &Lists, title_cy: &str) -> Reply {
    let form = [
        ("consultation_id", id),
        ("title", "The future of Mill Park"),
        ("summary", "Tell us what matters most."),
        ("background", "## Why\n\nThe **play area** is old."),
        ("title_cy", title_cy),
        ("summary_cy", "Dywedwch wrthym beth sydd bwysicaf."),
        ("background_cy", "## Pam\n\nMae'r **ardal chwarae** yn hen.<script>alert(1)</script>"),
        ("opens_on", ""),
        ("closes_on", ""),
        ("areas[]", &lists.area),
        ("themes[]", &lists.theme),
    ];
    admin.call_form("consultations/manage/update", &form).await
}

/// Writes everything residents read of `riverside`'s consultation in Welsh too.
async fn all_in_welsh(admin: &mut Client, id: &str, q: &[String], lists: &Lists) {
    let r = update_details(admin, id, lists, "Dyfodol Parc y Felin").await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    for form in
        [question_welsh(id, &q[0], "Beth yn gyntaf?", "Ardal chwarae\nLlwybrau"), question_welsh(id, &q[1], "Unrhyw beth arall?", "")]
    {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = admin.call("consultations/manage/question-welsh", &pairs).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
}

/// A page as a browser that reads Welsh asks for it.
pub async fn welsh_page(client: &mut Client, path: &str) -> Reply {
    client.page_in(path, Some("cy")).await
}

#[tokio::test]
async fn welsh_is_required_before_publishing_where_the_organisation_says_and_welsh_readers_read_it() {
    for app in apps().await {
        let (mut admin, org, id, q, lists) = riverside(&app).await;
        // Only an administrator sets the rule (an outreach worker cannot), and only by a post.
        app.user(&org, "sam@riverside.example", app::domain::Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(sam.call("consultations/manage/welsh-required", &[("required", "yes")]).await.status, StatusCode::FORBIDDEN);
        assert!(!admin.get("/api/consultations/manage/welsh-required?required=yes").await.status.is_success(), "{}", app.backend);
        let r = admin.call("consultations/manage/welsh-required", &[("required", "yes")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(admin.call("consultations/manage/welsh-required/get", &[]).await.json()["on"], true);

        // Nothing in Welsh yet: publishing is refused, naming what is missing, and nothing changes.
        let r = admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "open_for_feedback")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}: {}", app.backend, r.body);
        for named in ["the title", "the summary", "the background", "question 1", "the choices of question 1", "question 2"] {
            assert!(r.body.contains(named), "{}: names {named}: {}", app.backend, r.body);
        }
        let stage: String = sqlx::query_scalar("SELECT stage FROM consultations WHERE id = $1").bind(&id).fetch_one(&app.db).await.unwrap();
        assert_eq!(stage, "draft", "{}", app.backend);

        // The Welsh, added: each question's own (a choice short is refused first), and the details.
        let short = question_welsh(&id, &q[0], "Beth yn gyntaf?", "Ardal chwarae");
        let pairs: Vec<(&str, &str)> = short.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = admin.call("consultations/manage/question-welsh", &pairs).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert!(r.body.contains(&format!("options_cy-{}", q[0])), "{}: the field of that question's form: {}", app.backend, r.body);
        all_in_welsh(&mut admin, &id, &q, &lists).await;
        open(&mut admin, &id).await;

        // Published, it keeps its Welsh: taking the Welsh title away, adding a question in
        // English only, or emptying a question's Welsh is each refused, and nothing changes.
        let r = update_details(&mut admin, &id, &lists, "").await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}: {}", app.backend, r.body);
        assert!(r.body.contains("the title"), "{}: {}", app.backend, r.body);
        let r = admin
            .call(
                "consultations/manage/add-question",
                &[("consultation_id", &id), ("prompt", "How often?"), ("hint", ""), ("kind", "free_text"), ("options", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}: {}", app.backend, r.body);
        let emptied = question_welsh(&id, &q[1], "", "");
        let pairs: Vec<(&str, &str)> = emptied.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(admin.call("consultations/manage/question-welsh", &pairs).await.status, StatusCode::CONFLICT, "{}", app.backend);
        let kept: (String, i64) = sqlx::query_as(
            "SELECT c.title_cy, (SELECT COUNT(*) FROM questions WHERE consultation_id = c.id) FROM consultations c WHERE c.id = $1",
        )
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(kept, ("Dyfodol Parc y Felin".to_string(), 2), "{}", app.backend);

        // A Welsh reader reads it in Welsh, marked up safely; an English one in English.
        let mut resident = app.client();
        let page = welsh_page(&mut resident, &format!("/consultations/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        let words = shown(&page);
        assert!(words.contains("Dyfodol Parc y Felin") && words.contains("Beth yn gyntaf?"), "{}: {words}", app.backend);
        assert!(words.contains("Llwybrau") && !words.contains("Which first?"), "{}", app.backend);
        assert!(words.contains("<strong>ardal chwarae</strong>") && !page.body.contains("<script>alert"), "{}", app.backend);
        assert!(
            !words.contains("language-note") && !words.contains("lang=\"en-GB\" class=\"heading-l\""),
            "{}: nothing to explain",
            app.backend
        );
        let english = shown(&resident.get(&format!("/consultations/{id}")).await);
        assert!(english.contains("Which first?") && !english.contains("Beth yn gyntaf?"), "{}", app.backend);
        // The list, too.
        let list = welsh_page(&mut app.client(), "/consultations").await;
        assert!(shown(&list).contains("Dyfodol Parc y Felin"), "{}", app.backend);

        // A Welsh reader's missed answer is named in the words they read.
        let mut reader = app.client();
        let req = reader
            .request(Method::POST, "/api/consultations/respond")
            .header(header::ORIGIN, ORIGIN)
            .header(header::ACCEPT_LANGUAGE, "cy")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(encode(&[("consultation_id", id.as_str())])))
            .unwrap();
        let r = reader.send(req).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert!(r.body.contains("Beth yn gyntaf"), "{}: {}", app.backend, r.body);

        // An update written in both: each reader gets theirs.
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[
                    ("consultation_id", &id),
                    ("status", "accepted"),
                    ("reason", ""),
                    ("progress", "0"),
                    ("body", "The play area comes first."),
                    ("body_cy", "Daw'r ardal chwarae yn gyntaf."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let words = shown(&welsh_page(&mut resident, &format!("/consultations/{id}")).await);
        assert!(
            words.contains("Daw&#39;r ardal chwarae yn gyntaf.") || words.contains("Daw'r ardal chwarae yn gyntaf."),
            "{}",
            app.backend
        );
        assert!(!words.contains("The play area comes first."), "{}", app.backend);
        assert!(shown(&resident.get(&format!("/consultations/{id}")).await).contains("The play area comes first."), "{}", app.backend);
    }
}

#[tokio::test]
async fn publishing_waits_for_a_change_under_way_and_judges_the_consultation_it_leaves() {
    for app in apps().await {
        let (mut admin, _, id, q, lists) = riverside(&app).await;
        assert_eq!(admin.call("consultations/manage/welsh-required", &[("required", "yes")]).await.status, StatusCode::OK);
        all_in_welsh(&mut admin, &id, &q, &lists).await;
        // Someone is emptying a question's Welsh as the app does it (the consultation locked
        // first) and has not finished when the publish arrives: it waits, and then refuses.
        let mut change = app.db.begin_write().await.unwrap();
        let lock = format!("SELECT c.id FROM consultations c WHERE c.id = $1{}", app.db.for_update_of("c"));
        sqlx::query(&lock).bind(&id).fetch_one(&mut *change).await.unwrap();
        sqlx::query("UPDATE questions SET prompt_cy = '' WHERE id = $1").bind(&q[1]).execute(&mut *change).await.unwrap();
        let form = [("consultation_id", id.as_str()), ("stage", "open_for_feedback")];
        let publish = admin.call("consultations/manage/stage", &form);
        let finish = async {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            change.commit().await.unwrap();
        };
        let (r, ()) = tokio::join!(publish, finish);
        assert_eq!(r.status, StatusCode::CONFLICT, "{}: judged on what the change left: {}", app.backend, r.body);
        assert!(r.body.contains("question 2"), "{}: {}", app.backend, r.body);
        let stage: String = sqlx::query_scalar("SELECT stage FROM consultations WHERE id = $1").bind(&id).fetch_one(&app.db).await.unwrap();
        assert_eq!(stage, "draft", "{}", app.backend);
    }
}

#[tokio::test]
async fn a_welsh_reader_of_a_consultation_not_written_in_welsh_is_told_and_its_words_are_marked_english() {
    for app in apps().await {
        let (mut admin, _, id, _, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        let page = welsh_page(&mut app.client(), &format!("/consultations/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert!(page.body.contains("<html lang=\"cy\""), "{}", app.backend);
        assert!(page.text().contains("Nid yw'r ymgynghoriad hwn wedi'i ysgrifennu yn Gymraeg eto"), "{}: {}", app.backend, page.text());
        assert!(page.body.contains("<h1 lang=\"en-GB\" class=\"heading-l\">The future of Mill Park"), "{}: {}", app.backend, page.body);
        assert!(page.body.contains("<p lang=\"en-GB\" class=\"lead\">Tell us what matters most."), "{}", app.backend);
        // Without the rule, a draft with no Welsh publishes as before (this one did, above).
        let stage: String = sqlx::query_scalar("SELECT stage FROM consultations WHERE id = $1").bind(&id).fetch_one(&app.db).await.unwrap();
        assert_eq!(stage, "open_for_feedback", "{}", app.backend);
    }
}
