//! Consultations: admins prepare and open them; residents respond with or without an account,
//! once each, changing their minds while it is open; closed ones refuse; drafts stay private.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;

/// Riverside with an admin signed in, and a draft consultation about Mill Ward with a required
/// single-choice question and an optional free-text one. Returns (admin, org, consultation,
/// [question ids], lists).
pub(crate) async fn riverside(app: &TestApp) -> (Client, String, String, Vec<String>, Lists) {
    let org = app.organisation("Riverside").await;
    app.user(&org, "admin@riverside.example", Role::Admin).await;
    let lists = app.lists(&org).await;
    let mut admin = app.client();
    assert_eq!(admin.sign_in("admin@riverside.example", PASSWORD).await.status, StatusCode::OK);
    let r = admin
        .call_form(
            "consultations/manage/create",
            &[
                ("title", "The future of Mill Park"),
                ("summary", "Tell us what matters most."),
                ("background", "## Why\n\nThe **play area** is old.<script>alert(1)</script>"),
                ("opens_on", ""),
                ("closes_on", ""),
                ("areas[]", &lists.area),
                ("themes[]", &lists.theme),
            ],
        )
        .await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{}: {} {}", app.backend, r.status, r.body);
    let id: String =
        sqlx::query_scalar("SELECT id FROM consultations WHERE title = 'The future of Mill Park'").fetch_one(&app.db).await.unwrap();
    let q = |prompt: &str, kind: &str, required: bool, options: &str| {
        let mut form = vec![
            ("consultation_id", id.clone()),
            ("prompt", prompt.into()),
            ("hint", String::new()),
            ("kind", kind.into()),
            ("options", options.into()),
        ];
        if required {
            form.push(("required", "yes".into()));
        }
        form
    };
    for form in [q("Which first?", "single_choice", true, "Play area\nPaths"), q("Anything else?", "free_text", false, "")] {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = admin.call("consultations/manage/add-question", &pairs).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
    }
    let questions: Vec<String> = sqlx::query_scalar("SELECT id FROM questions WHERE consultation_id = $1 ORDER BY position")
        .bind(&id)
        .fetch_all(&app.db)
        .await
        .unwrap();
    (admin, org, id, questions, lists)
}

pub(crate) fn answers<'a>(id: &'a str, q: &'a [String], choice: &'a str, text: &'a str) -> Vec<(String, &'a str)> {
    vec![("consultation_id".to_string(), id), (format!("answers[q-{}][]", q[0]), choice), (format!("answers[q-{}][]", q[1]), text)]
}

pub(crate) async fn respond(c: &mut Client, form: &[(String, &str)]) -> Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    c.call("consultations/respond", &pairs).await
}

pub(crate) async fn open(admin: &mut Client, id: &str) {
    let r = admin.call("consultations/manage/stage", &[("consultation_id", id), ("stage", "open_for_feedback")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_draft_is_private_until_opened_and_then_anyone_can_respond_once() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = riverside(&app).await;
        let mut resident = app.client();
        assert_eq!(resident.call("consultations/get", &[("id", &id)]).await.status, StatusCode::NOT_FOUND, "{}", app.backend);
        assert_eq!(respond(&mut resident, &answers(&id, &q, "o1", "")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(admin.call("consultations/get", &[("id", &id)]).await.json()["can_manage"], true, "admins preview their drafts");
        open(&mut admin, &id).await;

        // Someone without an account responds; they get a participant cookie.
        let r = respond(&mut resident, &answers(&id, &q, "o1", "More benches please")).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(r.json()["replaced"], false);
        assert!(r.header("set-cookie").unwrap().contains("HttpOnly"));
        let page = resident.call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(page["responded"], true);
        assert_eq!(page["answers"][&q[0]][0], "o1");
        assert_eq!(page["answers"][&q[1]][0], "More benches please");
        // They change their mind: the same response is replaced, never a second one.
        let r = respond(&mut resident, &answers(&id, &q, "o2", "")).await;
        assert_eq!(r.json()["replaced"], true, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 1, "the emptied free text is gone");
        let value: String = sqlx::query_scalar("SELECT value FROM answers").fetch_one(&app.db).await.unwrap();
        assert_eq!(value, "o2");

        // Another person, and a signed-in resident, are each one more.
        let mut neighbour = app.client();
        assert_eq!(respond(&mut neighbour, &answers(&id, &q, "o1", "")).await.status, StatusCode::OK);
        let other_org = app.organisation("Elsewhere").await;
        app.user(&other_org, "alex@resident.example", Role::Resident).await;
        let mut alex = app.client();
        alex.sign_in("alex@resident.example", PASSWORD).await;
        assert_eq!(respond(&mut alex, &answers(&id, &q, "o1", "")).await.status, StatusCode::OK);
        assert_eq!(respond(&mut alex, &answers(&id, &q, "o2", "")).await.json()["replaced"], true);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 3, "{}", app.backend);
        let keys: Vec<String> =
            sqlx::query_scalar("SELECT participant FROM responses ORDER BY participant").fetch_all(&app.db).await.unwrap();
        assert!(keys.iter().all(|k| k.starts_with("token:") || k.starts_with("user:")), "{keys:?}");
        assert!(
            keys.iter().filter(|k| k.starts_with("token:")).all(|k| k.len() == "token:".len() + 64),
            "only a hash of the cookie is kept"
        );
    }
}

#[tokio::test]
async fn a_refused_response_names_each_problem_and_keeps_what_was_typed() {
    for app in apps().await {
        let (mut admin, _, id, q, lists) = riverside(&app).await;
        open(&mut admin, &id).await;
        let mut resident = app.client();
        let mut form = answers(&id, &q, "", "The paths flood every winter");
        form.push(("notify".into(), "yes"));
        form.push(("email".into(), "not-an-email"));
        form.push(("area_id".into(), &lists.other_area)); // not an area this consultation is about
        let r = respond(&mut resident, &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        let body = r.json();
        let errors = body["Invalid"].as_array().unwrap();
        let fields: Vec<&str> = errors.iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, [format!("q-{}", q[0]).as_str(), "area_id", "email"], "{}", app.backend);
        assert_eq!(errors[0]["message"], "Choose an answer to “Which first”", "the message names the question");
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
        // The page comes back with the text they wrote.
        let page = resident.call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(page["answers"][&q[1]][0], "The paths flood every winter", "{}", app.backend);
        assert_eq!((page["responded"].as_bool(), page["draft"].as_bool()), (Some(false), Some(true)));
        // The tick comes back; an area not listed and the typed address are not kept in a draft.
        assert_eq!((page["area_id"].as_str(), page["notify"].as_bool(), page["email"].as_str()), (None, Some(true), Some("")));
        let stored: String = sqlx::query_scalar("SELECT answers FROM response_drafts").fetch_one(&app.db).await.unwrap();
        assert!(!stored.contains("not-an-email"), "{}: {stored}", app.backend);
        // Fixed, it is saved, the draft goes, and the address is kept with the consent.
        let mut form = answers(&id, &q, "o2", "The paths flood every winter");
        form.push(("notify".into(), "yes"));
        form.push(("email".into(), " Resident@Example.org "));
        form.push(("area_id".into(), &lists.area));
        assert_eq!(respond(&mut resident, &form).await.status, StatusCode::OK);
        assert_eq!(app.count("SELECT COUNT(*) FROM response_drafts").await, 0);
        let (email, notify): (Option<String>, i64) =
            sqlx::query_as("SELECT email, notify_consent FROM responses").fetch_one(&app.db).await.unwrap();
        assert_eq!((email.as_deref(), notify), (Some("resident@example.org"), 1));
        // The saved address is never sent back whole; ticked with the box left empty, it is kept.
        let page = resident.call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(
            (page["email"].as_str(), page["saved_email"].as_str(), page["draft"].as_bool()),
            (Some(""), Some("r•••@example.org"), Some(false))
        );
        let mut form = answers(&id, &q, "o1", "");
        form.push(("notify".into(), "yes"));
        assert_eq!(respond(&mut resident, &form).await.status, StatusCode::OK, "{}", app.backend);
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM responses").fetch_one(&app.db).await.unwrap();
        assert_eq!(email.as_deref(), Some("resident@example.org"));
        // Without the consent box ticked, no address is kept.
        let mut form = answers(&id, &q, "o2", "");
        form.push(("email".into(), "resident@example.org"));
        respond(&mut resident, &form).await;
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM responses").fetch_one(&app.db).await.unwrap();
        assert_eq!(email, None, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_closed_consultation_refuses_input_with_a_clear_message() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "closed")]).await;
        let mut resident = app.client();
        let r = respond(&mut resident, &answers(&id, &q, "o1", "")).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
        assert!(r.body.contains("This consultation is closed"), "{}", r.body);
        assert_eq!(
            resident.call("consultations/get", &[("id", &id)]).await.json()["closed_reason"],
            "This consultation is closed. It is no longer taking responses."
        );
        // Past its closing date, an open-stage consultation refuses too.
        admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "open_for_ideas")]).await;
        sqlx::query("UPDATE consultations SET closes_on = '2020-01-01'").execute(&app.db).await.unwrap();
        assert_eq!(respond(&mut resident, &answers(&id, &q, "o1", "")).await.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    }
}

#[tokio::test]
async fn only_the_organisations_admins_manage_it_and_outcomes_reach_the_public_page() {
    for app in apps().await {
        let (mut admin, org, id, _, _) = riverside(&app).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(
            sam.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "closed")]).await.status,
            StatusCode::FORBIDDEN
        );
        let other = app.organisation("Elsewhere").await;
        app.user(&other, "admin@elsewhere.example", Role::Admin).await;
        let mut stranger = app.client();
        stranger.sign_in("admin@elsewhere.example", PASSWORD).await;
        for (endpoint, form) in [
            ("consultations/manage/stage", vec![("consultation_id", id.as_str()), ("stage", "closed")]),
            (
                "consultations/manage/outcome",
                vec![("consultation_id", id.as_str()), ("status", "done"), ("reason", ""), ("progress", "100"), ("body", "x")],
            ),
            ("consultations/get", vec![("id", id.as_str())]),
        ] {
            assert_eq!(stranger.call(endpoint, &form).await.status, StatusCode::NOT_FOUND, "{}: {endpoint}", app.backend);
        }
        // Opening needs a question; outcomes need a status, a text, a reason when not taken forward.
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[("consultation_id", &id), ("status", "not_taken_forward"), ("reason", ""), ("progress", "x"), ("body", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[
                    ("consultation_id", &id),
                    ("status", "in_progress"),
                    ("reason", ""),
                    ("progress", "40"),
                    ("body", "Work starts in March."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        open(&mut admin, &id).await;
        let page = app.client().call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(page["outcomes"][0]["status"], "in_progress");
        assert_eq!(page["outcomes"][0]["progress"], 40);
        assert_eq!(page["outcomes"][0]["body"], "Work starts in March.");
        let html = page["background_html"].as_str().unwrap();
        assert!(html.contains("<strong>play area</strong>") && !html.contains("script"), "{html}");
    }
}

#[tokio::test]
async fn the_public_list_filters_by_area_theme_and_status_and_hides_drafts() {
    for app in apps().await {
        let (mut admin, _, id, _, lists) = riverside(&app).await;
        let list = |c: &mut Client, form: Vec<(&'static str, String)>| {
            let mut c = c.clone();
            async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                c.call("consultations/list", &pairs).await.json()["items"].as_array().unwrap().len()
            }
        };
        let mut anyone = app.client();
        assert_eq!(list(&mut anyone, vec![]).await, 0, "{}: drafts are not listed", app.backend);
        open(&mut admin, &id).await;
        assert_eq!(list(&mut anyone, vec![]).await, 1);
        assert_eq!(list(&mut anyone, vec![("area", lists.area.clone())]).await, 1);
        assert_eq!(list(&mut anyone, vec![("area", lists.other_area.clone())]).await, 0);
        assert_eq!(list(&mut anyone, vec![("theme", lists.theme.clone()), ("stage", "open_for_feedback".into())]).await, 1);
        assert_eq!(list(&mut anyone, vec![("theme", lists.other_theme.clone())]).await, 0);
        assert_eq!(list(&mut anyone, vec![("stage", "closed".into())]).await, 0);
        assert_eq!(list(&mut anyone, vec![("stage", "draft".into())]).await, 1, "asking for drafts shows no drafts");
        let page = anyone.call("consultations/list", &[]).await.json();
        assert_eq!(page["areas"][0]["name"], "Mill Ward");
    }
}

#[tokio::test]
async fn without_javascript_the_pages_render_and_a_refused_form_comes_back_with_its_errors() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        let mut phone = app.client();
        let list = phone.get("/consultations").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text().contains("The future of Mill Park"), "{}", app.backend);
        let page = phone.get(&format!("/consultations/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("Which first?") && text.contains(&format!("name=\"answers[q-{}][]\"", q[0])), "{}", app.backend);
        // A plain HTML form post: the browser is sent back to the page, with the error.
        let form = encode(&[("consultation_id", &id), (&format!("answers[q-{}][]", q[1]), "Benches")]);
        let req = phone
            .request(http::Method::POST, "/api/consultations/respond")
            .header(http::header::ORIGIN, ORIGIN)
            .header(http::header::ACCEPT, "text/html")
            .header(http::header::REFERER, format!("{ORIGIN}/consultations/{id}"))
            .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(form))
            .unwrap();
        let r = phone.send(req).await;
        assert!(r.status.is_redirection(), "{}: {}", app.backend, r.status);
        let back = r.header("location").unwrap().to_string();
        assert!(back.contains(&format!("/consultations/{id}")) && back.contains("__err"), "{back}");
        let again = phone.get(back.trim_start_matches(ORIGIN)).await.text();
        assert!(again.contains("There is a problem") && again.contains("Choose an answer to “Which first”"), "{}", app.backend);
        assert!(again.contains("Benches"), "what was typed is still there");
    }
}

#[tokio::test]
async fn on_a_shared_computer_the_next_person_can_start_afresh_and_answered_consultations_stay_published() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        let mut library_pc = app.client();
        assert_eq!(respond(&mut library_pc, &answers(&id, &q, "o1", "My private thoughts")).await.status, StatusCode::OK);
        let r = library_pc.call("consultations/forget-me", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
        let page = library_pc.call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!((page["responded"].as_bool(), page["answers"].as_object().map(|a| a.len())), (Some(false), Some(0)), "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1, "the first person's response stays saved");
        // Once people have answered, it cannot be pulled back into a draft.
        let r = admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "draft")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", app.backend);
    }
}

#[tokio::test]
async fn results_count_the_answers_and_the_export_holds_no_personal_data() {
    for app in apps().await {
        let (mut admin, org, id, q, lists) = riverside(&app).await;
        open(&mut admin, &id).await;
        let mut one = app.client();
        let mut form = answers(&id, &q, "o1", "=cmd|' /C calc'!A0");
        form.push(("notify".into(), "yes"));
        form.push(("email".into(), "private@example.org"));
        form.push(("area_id".into(), &lists.area));
        assert_eq!(respond(&mut one, &form).await.status, StatusCode::OK);
        for choice in ["o1", "o2"] {
            assert_eq!(respond(&mut app.client(), &answers(&id, &q, choice, "")).await.status, StatusCode::OK);
        }
        let r = admin.call("consultations/manage/results", &[("id", &id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let results = r.json();
        assert_eq!(results["responses"], 3);
        let first = &results["questions"][0];
        assert_eq!(
            (first["answered"].as_i64(), first["choices"][0]["count"].as_i64(), first["choices"][0]["percent"].as_i64()),
            (Some(3), Some(2), Some(67))
        );
        assert_eq!(results["free_text"][0]["answers"][0][0], "=cmd|' /C calc'!A0");
        let areas: Vec<(String, i64)> =
            results["by_area"].as_array().unwrap().iter().map(|a| (a[0].as_str().unwrap().to_string(), a[1].as_i64().unwrap())).collect();
        assert_eq!(areas, [("".to_string(), 2), ("Mill Ward".to_string(), 1)], "{}", app.backend);

        let csv = admin.get(&format!("/manage/consultations/{id}/responses.csv")).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", app.backend);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert!(csv.header("content-disposition").unwrap().contains("attachment"));
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(lines.len(), 4, "{}", csv.body);
        assert_eq!(lines[0], "response,date,area,taken at the door,Which first?,Anything else?");
        assert!(csv.body.contains("Mill Ward,no,Play area,'=cmd"), "a formula is defused: {}", csv.body);
        assert!(!csv.body.contains("private@example.org") && !csv.body.contains("token:"), "no personal data");

        // Nobody else gets the results or the file.
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(sam.get(&format!("/manage/consultations/{id}/responses.csv")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.call("consultations/manage/results", &[("id", &id)]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.client().get(&format!("/manage/consultations/{id}/responses.csv")).await.status, StatusCode::UNAUTHORIZED);
        let other = app.organisation("Elsewhere").await;
        app.user(&other, "admin@elsewhere.example", Role::Admin).await;
        let mut stranger = app.client();
        stranger.sign_in("admin@elsewhere.example", PASSWORD).await;
        assert_eq!(
            stranger.get(&format!("/manage/consultations/{id}/responses.csv")).await.status,
            StatusCode::NOT_FOUND,
            "{}",
            app.backend
        );
    }
}

#[tokio::test]
async fn an_outcome_update_is_queued_for_everyone_who_asked_to_hear_and_confirmed_and_only_them() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        let mut kim = app.client();
        for (client, email, tick) in
            [(&mut kim, "kim@example.org", true), (&mut app.client(), "lee@example.org", false), (&mut app.client(), "", false)]
        {
            let mut form = answers(&id, &q, "o1", "");
            if tick {
                form.push(("notify".into(), "yes"));
            }
            form.push(("email".into(), email));
            let r = respond(client, &form).await;
            assert_eq!(r.status, StatusCode::OK);
            if tick {
                assert_eq!(r.json()["confirm_address"], "k•••@example.org", "{}: {}", app.backend, r.body);
                assert_eq!(r.json()["link_sent"], true);
            }
        }
        // Double opt-in: Kim's address first gets only the link that confirms it.
        let page = kim.call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(page["email_unconfirmed"], true, "{}", app.backend);
        let link = app.emailed_link("kim@example.org", "/email/confirm/").await;
        assert_eq!(app.smtp.to("kim@example.org").len(), 1);
        assert!(app.smtp.to("kim@example.org")[0].header("List-Unsubscribe").is_none(), "a confirmation is not marketing");
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[("consultation_id", &id), ("status", "accepted"), ("reason", ""), ("progress", "0"), ("body", "Not yet for Kim.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outgoing_messages WHERE kind = 'outcome_update'").await,
            0,
            "{}: not before confirming",
            app.backend
        );
        // Opening the link shows what it is for and changes nothing; the button confirms.
        let token = link.trim_start_matches("/email/confirm/").to_string();
        let opened = app.client().get(&link).await;
        assert_eq!(opened.status, StatusCode::OK, "{}", app.backend);
        assert!(opened.text().contains("The future of Mill Park") && opened.text().contains("k•••@example.org"), "{}", opened.text());
        let check = app.client().call("email/confirm/check", &[("token", &token)]).await.json();
        assert_eq!(check["confirmed"], false, "{}", app.backend);
        let r = app.client().call("email/confirm", &[("token", &token)]).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {} {}", app.backend, r.status, r.body);
        assert_eq!(app.client().call("email/confirm/check", &[("token", &token)]).await.json()["confirmed"], true);
        assert_eq!(app.client().call("email/confirm/check", &[("token", "00")]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(kim.call("consultations/get", &[("id", &id)]).await.json()["email_unconfirmed"], false);
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[
                    ("consultation_id", &id),
                    ("status", "accepted"),
                    ("reason", ""),
                    ("progress", "0"),
                    ("body", "The play area comes first."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        sqlx::query("DELETE FROM outgoing_messages WHERE kind = 'address_confirmation'").execute(&app.db).await.unwrap();
        app.smtp.clear();
        let queued: Vec<(String, String, String)> =
            sqlx::query_as("SELECT to_address, subject, body FROM outgoing_messages").fetch_all(&app.db).await.unwrap();
        assert_eq!(queued.len(), 1, "{}: only the one who ticked the box", app.backend);
        assert_eq!(queued[0].0, "kim@example.org");
        assert_eq!(queued[0].1, "Update on “The future of Mill Park”: Accepted");
        assert!(queued[0].2.contains("The play area comes first."));
        // The sender hands it to the (loopback) SMTP server once, as plain text and HTML, with a
        // one-click unsubscribe (RFC 8058), and then forgets its words.
        assert_eq!(app.deliver().await.sent, 1, "{}", app.backend);
        assert_eq!(app.deliver().await.claimed(), 0, "{}: sent once", app.backend);
        let got = app.smtp.to("kim@example.org");
        assert_eq!(got.len(), 1, "{}", app.backend);
        assert_eq!(app.smtp.messages().len(), 1);
        let mail = &got[0];
        assert_eq!(mail.from, "no-reply@mobilise.test");
        assert!(
            mail.header("Subject").unwrap().contains("=?utf-8?") || mail.header("Subject").unwrap().contains("Update on"),
            "{:?}",
            mail.header("Subject")
        );
        assert!(mail.text().contains("The play area comes first."), "{}", mail.data);
        assert!(mail.html().contains("<p>The play area comes first.</p>"), "{}", mail.data);
        assert!(mail.text().contains(&format!("/consultations/{id}")), "an absolute link back: {}", mail.text());
        let unsubscribe = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
        assert!(unsubscribe.starts_with("<http://") && unsubscribe.contains("/email/unsubscribe/"), "{unsubscribe}");
        assert_eq!(mail.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
        assert!(mail.header("Message-ID").unwrap().ends_with("@mobilise.test>"));
        let (status, body): (String, String) =
            sqlx::query_as("SELECT status, body FROM outgoing_messages").fetch_one(&app.db).await.unwrap();
        assert_eq!((status.as_str(), body.as_str()), ("sent", ""), "{}: the words of a sent message are not kept", app.backend);

        // Kim unsubscribes with the mail client's one-click button (RFC 8058): a POST from the
        // mail provider, not from a page of ours, to the link itself.
        let link = unsubscribe.trim_start_matches('<').trim_end_matches('>');
        let path = &link[link.find("/email/unsubscribe/").unwrap()..];
        let page = app.client().get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert!(page.text().contains("updates about “The future of Mill Park”"), "{}", page.text());
        assert_eq!(
            app.count("SELECT COUNT(*) FROM responses WHERE notify_consent = 1").await,
            1,
            "{}: opening the page changed nothing",
            app.backend
        );
        let body = "List-Unsubscribe=One-Click";
        let req = app
            .client()
            .request(http::Method::POST, path)
            .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(http::header::ORIGIN, "https://mail.provider.example")
            .body(axum::body::Body::from(body))
            .unwrap();
        let r = app.client().send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE notify_consent = 1").await, 0, "{}", app.backend);
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[("consultation_id", &id), ("status", "in_progress"), ("reason", ""), ("progress", "50"), ("body", "Half built.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM outgoing_messages WHERE status = 'waiting'").await,
            0,
            "{}: nothing more for Kim",
            app.backend
        );
        let unknown = app
            .client()
            .send(app.client().request(http::Method::POST, "/email/unsubscribe/0000").body(axum::body::Body::from(body)).unwrap())
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn one_network_address_cannot_flood_a_consultation_by_dropping_its_cookie() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        let limit = app::domain::participation::per_address_limit("response");
        for _ in 0..limit {
            // A fresh client each time: no cookie, a "new participant" each time.
            assert_eq!(respond(&mut app.client(), &answers(&id, &q, "o1", "")).await.status, StatusCode::OK);
        }
        let r = respond(&mut app.client(), &answers(&id, &q, "o1", "")).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, limit, "{}", app.backend);
    }
}

#[tokio::test]
async fn admins_edit_the_details_at_any_stage_and_nobody_else_can() {
    for app in apps().await {
        let (mut admin, org, id, _, lists) = riverside(&app).await;
        open(&mut admin, &id).await;
        let form = |title: &'static str, area: String| {
            vec![
                ("consultation_id", id.clone()),
                ("title", title.to_string()),
                ("summary", "Tell us what matters most to you.".to_string()),
                ("background", "The café closes in **May**.".to_string()),
                ("opens_on", String::new()),
                ("closes_on", "2099-01-31".to_string()),
                ("areas[]", area),
            ]
        };
        let call = |c: &mut Client, form: Vec<(&'static str, String)>| {
            let mut c = c.clone();
            async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                c.call_form("consultations/manage/update", &pairs).await
            }
        };
        // Refused: each problem named, nothing changed.
        let r = call(&mut admin, form("", "not-an-area".into())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert!(r.body.contains("title") && r.body.contains("areas"), "{}: {}", app.backend, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM consultations WHERE title = 'The future of Mill Park'").await, 1);
        // Others: a worker is forbidden, another organisation's admin finds nothing.
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!(call(&mut sam, form("Taken over", lists.area.clone())).await.status, StatusCode::FORBIDDEN);
        let other = app.organisation("Elsewhere").await;
        app.user(&other, "admin@elsewhere.example", Role::Admin).await;
        let mut stranger = app.client();
        stranger.sign_in("admin@elsewhere.example", PASSWORD).await;
        assert_eq!(call(&mut stranger, form("Taken over", lists.area.clone())).await.status, StatusCode::NOT_FOUND, "{}", app.backend);
        // While open, the admin corrects it; the page shows the new details and areas at once.
        let r = call(&mut admin, form("The future of Mill Park and its café", lists.other_area.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let public = app.client().call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(public["card"]["title"], "The future of Mill Park and its café");
        assert_eq!(public["card"]["closes_on"], "2099-01-31");
        assert_eq!(public["card"]["areas"].as_array().unwrap().len(), 1);
        assert_eq!(public["card"]["areas"][0]["id"], lists.other_area.as_str());
        assert_eq!(public["card"]["themes"].as_array().unwrap().len(), 0, "{}: no theme ticked, none kept", app.backend);
        assert!(public["background_html"].as_str().unwrap().contains("<strong>May</strong>"));
        assert_eq!(public["background"], "", "{}: only managers get the Markdown source", app.backend);
        let managed = admin.call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(managed["background"], "The café closes in **May**.");
        assert_eq!(managed["card"]["stage"], "open_for_feedback", "{}: editing leaves the stage alone", app.backend);
    }
}

#[tokio::test]
async fn an_outcome_names_the_questions_and_ideas_it_answers() {
    for app in apps().await {
        let (mut admin, _, id, q, _) = riverside(&app).await;
        let r = admin.call("consultations/manage/stage", &[("consultation_id", &id), ("stage", "open_for_ideas")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let mut kim = app.client();
        let r = kim
            .call(
                "consultations/propose",
                &[("consultation_id", &id), ("title", "A splash pad"), ("body", "For hot days"), ("author_name", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let idea = r.json().as_str().unwrap().to_string();
        let managed = admin.call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(managed["proposals"][0]["name"], "A splash pad", "{}: the ideas an update can answer", app.backend);
        let post = |answers: Vec<String>| {
            let mut admin = admin.clone();
            let id = id.clone();
            async move {
                let mut form = vec![
                    ("consultation_id", id),
                    ("status", "accepted".to_string()),
                    ("reason", String::new()),
                    ("progress", "10".to_string()),
                    ("body", "We will build it by the play area.".to_string()),
                ];
                form.extend(answers.into_iter().map(|a| ("answers[]", a)));
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                admin.call("consultations/manage/outcome", &pairs).await
            }
        };
        // An id that is not one of its questions or visible ideas is refused, and nothing is posted.
        let r = post(vec![format!("question:{}", q[0]), "proposal:made-up".into()]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert!(r.body.contains("answers"), "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM outcome_updates").await, 0);
        let r = post(vec![format!("question:{}", q[0]), format!("proposal:{idea}")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let public = app.client().call("consultations/get", &[("id", &id)]).await.json();
        let answers = public["outcomes"][0]["answers"].as_array().unwrap().clone();
        assert_eq!(answers.len(), 2, "{}: {answers:?}", app.backend);
        assert_eq!((answers[0]["kind"].as_str(), answers[0]["title"].as_str()), (Some("question"), Some("Which first?")));
        assert_eq!((answers[1]["kind"].as_str(), answers[1]["id"].as_str()), (Some("proposal"), Some(idea.as_str())));
        // The page says so, the idea linked to its own page.
        let page = app.client().get(&format!("/consultations/{id}")).await.text();
        assert!(page.contains("In answer to:") && page.contains(&format!("/consultations/{id}/ideas/{idea}")), "{}", app.backend);
        // An idea hidden by moderation later is no longer named.
        sqlx::query("UPDATE proposals SET status = 'hidden' WHERE id = $1").bind(&idea).execute(&app.db).await.unwrap();
        let public = app.client().call("consultations/get", &[("id", &id)]).await.json();
        assert_eq!(public["outcomes"][0]["answers"].as_array().unwrap().len(), 1, "{}", app.backend);
    }
}

#[tokio::test]
async fn an_admin_lets_an_outreach_worker_run_consultations_and_can_take_it_back() {
    for app in apps().await {
        let (mut admin, org, id, _, _) = riverside(&app).await;
        let sam_id = app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let admin_id: String =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'admin@riverside.example'").fetch_one(&app.db).await.unwrap();
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let create =
            [("title", "Bus shelters"), ("summary", "Where do they need to go?"), ("background", ""), ("opens_on", ""), ("closes_on", "")];
        let outcome =
            [("consultation_id", id.as_str()), ("status", "in_progress"), ("reason", ""), ("progress", "5"), ("body", "Surveying now.")];
        // Without the right: refused, and the draft stays out of sight.
        assert_eq!(sam.call_form("consultations/manage/create", &create).await.status, StatusCode::FORBIDDEN, "{}", app.backend);
        assert_eq!(sam.call("consultations/manage/outcome", &outcome).await.status, StatusCode::FORBIDDEN);
        assert_eq!(sam.call("consultations/get", &[("id", &id)]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(sam.me().await["consultation_rights"], false);
        // Only an admin of the same organisation can grant it, and only to an outreach worker.
        let grant = |user: &str, granted: &str| [("user_id", user.to_string()), ("granted", granted.to_string())];
        let send = |c: &mut Client, form: [(&'static str, String); 2]| {
            let mut c = c.clone();
            async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                c.call("staff/set_consultation_rights", &pairs).await
            }
        };
        assert_eq!(send(&mut sam, grant(&sam_id, "true")).await.status, StatusCode::FORBIDDEN, "{}: not by themselves", app.backend);
        let other = app.organisation("Elsewhere").await;
        app.user(&other, "admin@elsewhere.example", Role::Admin).await;
        let mut stranger = app.client();
        stranger.sign_in("admin@elsewhere.example", PASSWORD).await;
        assert_eq!(send(&mut stranger, grant(&sam_id, "true")).await.status, StatusCode::NOT_FOUND, "{}", app.backend);
        assert_eq!(
            send(&mut admin, grant(&admin_id, "false")).await.status,
            StatusCode::CONFLICT,
            "{}: admins always have it",
            app.backend
        );
        let r = send(&mut admin, grant(&sam_id, "true")).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        // With it, on the session already open: Sam runs consultations like an admin.
        assert_eq!(sam.me().await["consultation_rights"], true);
        let r = sam.call_form("consultations/manage/create", &create).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {} {}", app.backend, r.status, r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM consultations WHERE title = 'Bus shelters'").await, 1);
        assert_eq!(sam.call("consultations/get", &[("id", &id)]).await.json()["can_manage"], true);
        assert_eq!(sam.call("consultations/manage/outcome", &outcome).await.status, StatusCode::OK, "{}", app.backend);
        let staff = admin.call("staff/list", &[]).await.json();
        let listed = staff.as_array().unwrap().iter().find(|m| m["id"] == sam_id.as_str()).unwrap().clone();
        assert_eq!(listed["consultation_rights"], true);
        // Taken back: refused again at once.
        assert_eq!(send(&mut admin, grant(&sam_id, "false")).await.status, StatusCode::OK);
        assert_eq!(sam.call("consultations/manage/outcome", &outcome).await.status, StatusCode::FORBIDDEN, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM outcome_updates").await, 1);
    }
}

#[tokio::test]
async fn nobody_can_sign_someone_elses_address_up_for_updates() {
    for app in apps().await {
        let (mut admin, org, id, q, _) = riverside(&app).await;
        open(&mut admin, &id).await;
        let with_address = |email: &'static str| {
            let mut form = answers(&id, &q, "o1", "");
            form.push(("notify".into(), "yes"));
            form.push(("email".into(), email));
            form
        };
        // Five strangers leave the same person's address: the address gets three links in a day,
        // each for one response, and nothing else.
        let mut sent = Vec::new();
        for _ in 0..5 {
            let r = respond(&mut app.client(), &with_address("victim@example.org")).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
            assert_eq!(r.json()["confirm_address"], "v•••@example.org");
            sent.push(r.json()["link_sent"].as_bool().unwrap());
        }
        assert_eq!(sent, [true, true, true, false, false], "{}", app.backend);
        app.deliver().await;
        let mails = app.smtp.to("victim@example.org");
        assert_eq!(mails.len(), 3, "{}", app.backend);
        assert!(mails.iter().all(|m| m.header("Subject").is_some_and(|s| s.contains("Confirm"))));
        // The first link confirms its own response only.
        let text = mails[0].text();
        let link = text[text.find("/email/confirm/").unwrap()..].split_whitespace().next().unwrap().to_string();
        let token = link.trim_start_matches("/email/confirm/").to_string();
        app.client().call("email/confirm", &[("token", &token)]).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE email_confirmed_at IS NOT NULL").await, 1, "{}", app.backend);
        // Used again it changes nothing and says it is confirmed.
        let again = app.client().call("email/confirm", &[("token", &token)]).await;
        assert!(again.status.is_success() || again.status.is_redirection(), "{}: {}", app.backend, again.status);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE email_confirmed_at IS NOT NULL").await, 1);

        // A confirmed response that changes its answers but not its address stays confirmed and
        // sends no new link; a new address starts again, and the old link is for nothing now.
        let mut resident = app.client();
        let r = respond(&mut resident, &with_address("pat@example.org")).await;
        assert_eq!(r.json()["link_sent"], true);
        let pat_link = app.emailed_link("pat@example.org", "/email/confirm/").await;
        let pat_token = pat_link.trim_start_matches("/email/confirm/").to_string();
        let r = respond(&mut resident, &with_address("pat@example.org")).await;
        assert_eq!(r.json()["link_sent"], false, "{}: one link that still works is enough", app.backend);
        resident.call("email/confirm", &[("token", &pat_token)]).await;
        let r = respond(&mut resident, &with_address("pat@example.org")).await;
        assert_eq!(
            (r.json()["confirm_address"].is_null(), r.json()["link_sent"].as_bool()),
            (true, Some(false)),
            "{}: {}",
            app.backend,
            r.body
        );
        let r = respond(&mut resident, &with_address("pat.new@example.org")).await;
        assert_eq!(r.json()["link_sent"], true, "{}", app.backend);
        let new_link = app.emailed_link("pat.new@example.org", "/email/confirm/").await;
        assert_eq!(
            app.client().call("email/confirm/check", &[("token", &pat_token)]).await.status,
            StatusCode::CONFLICT,
            "{}",
            app.backend
        );
        // An expired link is refused and confirms nothing.
        let new_token = new_link.trim_start_matches("/email/confirm/").to_string();
        sqlx::query("UPDATE email_tokens SET expires_at = 1 WHERE purpose = 'confirm_address' AND email = 'pat.new@example.org'")
            .execute(&app.db)
            .await
            .unwrap();
        assert_eq!(app.client().call("email/confirm/check", &[("token", &new_token)]).await.status, StatusCode::CONFLICT);
        assert_eq!(app.client().call("email/confirm", &[("token", &new_token)]).await.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE email = 'pat.new@example.org' AND email_confirmed_at IS NULL").await, 1);

        // A signed-in resident leaving their own confirmed account address needs no link.
        app.user(&org, "robin@example.org", Role::Resident).await;
        let mut robin = app.client();
        robin.sign_in("robin@example.org", PASSWORD).await;
        let r = respond(&mut robin, &with_address("robin@example.org")).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert_eq!((r.json()["confirm_address"].is_null(), r.json()["link_sent"].as_bool()), (true, Some(false)), "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM email_tokens WHERE email = 'robin@example.org'").await, 0);

        // The outcome goes to the three confirmed addresses only.
        let r = admin
            .call(
                "consultations/manage/outcome",
                &[("consultation_id", &id), ("status", "accepted"), ("reason", ""), ("progress", "0"), ("body", "Done.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let to: Vec<String> =
            sqlx::query_scalar("SELECT to_address FROM outgoing_messages WHERE kind = 'outcome_update' ORDER BY to_address")
                .fetch_all(&app.db)
                .await
                .unwrap();
        assert_eq!(to, ["robin@example.org", "victim@example.org"], "{}", app.backend);
    }
}
