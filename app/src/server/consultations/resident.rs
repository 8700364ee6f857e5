//! What residents do: read consultations, answer them, and see the results.

use crate::domain::consultation::{OutcomeStatus, Stage};
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::consultations::*;
use crate::types::Named;
use std::collections::BTreeMap;

/// Published consultations, filtered by area, theme and stage (each optional).
pub async fn list_consultations(
    caller: &Caller,
    area: Option<String>,
    theme: Option<String>,
    stage: Option<String>,
) -> Result<ConsultationList, AppError> {
    use crate::server::repo::consultations as repo;
    let state = &caller.state;
    let db = &state.db;
    let stage = stage.filter(|s| Stage::parse(s).is_some_and(Stage::is_public)).unwrap_or_default();
    let rows = repo::list_public(db, area.as_deref().unwrap_or(""), theme.as_deref().unwrap_or(""), &stage).await?;
    Ok(ConsultationList {
        items: crate::server::consultations::cards(db, rows).await?,
        areas: repo::filter_choices(db, "areas").await?,
        themes: repo::filter_choices(db, "themes").await?,
    })
}

/// One consultation, with this participant's earlier answers.
pub async fn get_consultation(caller: &Caller, id: String) -> Result<ConsultationView, AppError> {
    use crate::domain::consultation::accepts_input;
    use crate::server::{markdown, participant, repo::consultations as repo};
    let state = &caller.state;
    let db = &state.db;
    let user = caller.privileged().cloned();
    let (row, can_manage) = crate::server::consultations::visible(db, &id, user.as_ref()).await?;
    let view_org = row.organisation_id.clone();
    let closed_reason = accepts_input(row.stage, row.opens_on.as_deref(), row.closes_on.as_deref(), &crate::server::consultations::today())
        .err()
        .map(|m| m.to_string());
    let background_html = markdown::to_safe_html(&row.background);
    let background_cy_html = markdown::to_safe_html(&row.background_cy);
    let row_background = (row.background.clone(), row.background_cy.clone());
    let questions = repo::questions(db, &id).await?;
    let outcome_rows = repo::outcomes(db, &id).await?;
    // Most consultations have no outcome yet: then there is nothing to link either.
    let mut links: BTreeMap<String, Vec<OutcomeAnswer>> = BTreeMap::new();
    if !outcome_rows.is_empty() {
        for (outcome, kind, target, title) in repo::outcome_links(db, &id).await? {
            links.entry(outcome).or_default().push(OutcomeAnswer { kind, id: target, title });
        }
    }
    let outcomes = outcome_rows
        .into_iter()
        .filter_map(|o| {
            Some(OutcomeView {
                answers: links.remove(&o.id).unwrap_or_default(),
                status: OutcomeStatus::parse(&o.status)?,
                reason: o.reason,
                progress: o.progress.clamp(0, 100) as u8,
                body: o.body,
                reason_cy: o.reason_cy,
                body_cy: o.body_cy,
                published_on: o.published_on,
            })
        })
        .collect();
    let mut view = ConsultationView {
        card: crate::server::consultations::cards(db, vec![row]).await?.into_iter().next().ok_or(AppError::NotFound)?,
        background_html,
        background_cy_html,
        questions,
        outcomes,
        closed_reason,
        responded: false,
        answers: BTreeMap::new(),
        area_id: None,
        email: String::new(),
        saved_email: None,
        email_unconfirmed: false,
        notify: false,
        draft: false,
        response_count: repo::response_count(db, &id).await?,
        can_manage,
        background: String::new(),
        background_cy: String::new(),
        proposals: Vec::new(),
        welsh_required: false,
    };
    if can_manage {
        (view.background, view.background_cy) = row_background;
        view.welsh_required = crate::server::repo::consultations::welsh_required(db, &view_org).await?;
        view.proposals = repo::visible_proposals(db, &id).await?.into_iter().map(|(id, name)| Named { id, name }).collect();
    }
    if let Some(key) = participant::current(caller) {
        if let Some(saved) = repo::response_of(db, &id, &key).await? {
            view.responded = true;
            view.answers = saved.answers;
            view.area_id = saved.area_id;
            view.saved_email = saved.email.as_deref().map(crate::domain::validation::mask_email);
            view.notify = saved.notify;
            view.email_unconfirmed = saved.notify && saved.email.is_some() && !saved.email_confirmed;
        }
        if let Some(mut draft) = repo::draft_of(db, &id, &key).await? {
            let one =
                |d: &mut BTreeMap<String, Vec<String>>, k: &str| d.remove(k).and_then(|v| v.into_iter().next()).filter(|v| !v.is_empty());
            view.area_id = one(&mut draft, "area_id");
            view.notify = one(&mut draft, "notify").is_some();
            view.email = one(&mut draft, "email").unwrap_or_default();
            view.answers = draft;
            view.draft = true;
        }
    }
    Ok(view)
}

/// Saves (or replaces) the participant's response. `answers` maps `q-<question id>` → values; a
/// refused submission is kept as a draft so the form comes back as it was filled in.
pub async fn respond(
    caller: &Caller,
    consultation_id: String,
    answers: Option<BTreeMap<String, Vec<String>>>,
    area_id: Option<String>,
    email: Option<String>,
    notify: Option<String>,
) -> Result<ResponseSaved, AppError> {
    use crate::domain::consultation::{accepts_input, check_answers};
    use crate::domain::validation;
    use crate::server::{now, participant, repo::consultations as repo};
    let state = &caller.state;
    let db = &state.db;
    let user = caller.privileged().cloned();
    let (row, _) = crate::server::consultations::visible(db, &consultation_id, user.as_ref()).await?;
    let stage = row.stage;
    accepts_input(stage, row.opens_on.as_deref(), row.closes_on.as_deref(), &crate::server::consultations::today())
        .map_err(AppError::Conflict)?;
    let participant = participant::current_or_new(caller);
    // The form names each answer `answers[q-<question id>][]` (a key starting with a digit
    // would be read as a list index); from here on they are keyed by question id.
    let form: BTreeMap<String, Vec<String>> =
        answers.unwrap_or_default().into_iter().filter_map(|(k, v)| k.strip_prefix("q-").map(|id| (id.to_string(), v))).collect();
    // In the words the reader was shown, so a message names the question as they read it.
    let shown = crate::domain::bilingual::shown_in(crate::language::choice::code(crate::language::page_locale()), &row.title_cy);
    let questions: Vec<_> = repo::questions(db, &consultation_id).await?.iter().map(|q| q.in_language(shown)).collect();
    let mut errors = match check_answers(&questions, &form) {
        Ok(_) => crate::domain::FieldErrors::new(),
        Err(e) => e,
    };
    let area_id = area_id.filter(|a| !a.is_empty());
    if let Some(area) = &area_id {
        let areas = repo::tags(db, "areas", std::slice::from_ref(&consultation_id)).await?;
        if !areas.get(&consultation_id).is_some_and(|list| list.iter().any(|n| &n.id == area)) {
            errors.add("area_id", Msg::ChooseOneAreasListed);
        }
    }
    let notify = notify.is_some();
    let email = email.map(|e| validation::normalise_email(&e)).filter(|e| !e.is_empty());
    let earlier = repo::response_of(db, &consultation_id, &participant).await?;
    // Ticked with the address left empty: keep the address already saved (it is never
    // sent back to the page, so it cannot be shown in the field).
    let email = email.or_else(|| earlier.as_ref().and_then(|e| e.email.clone()).filter(|_| notify));
    if notify {
        match &email {
            None => errors.add("email", Msg::EnterEmailAddressUntickEmail),
            Some(e) => validation::check_email(&mut errors, "email", e),
        }
    }
    if !errors.is_empty() {
        // Throttled before anything is stored; then only what the form can hold is kept:
        // the consultation's own questions within their limits, a listed area, the tick.
        // The typed address is never kept in a draft (it is typed again).
        crate::server::auth::address_allowance("refused").await?;
        let mut draft = crate::domain::consultation::draft_answers(&questions, &form);
        let listed_area = area_id.iter().filter(|_| errors.get("area_id").is_none()).cloned().collect();
        draft.insert("area_id".into(), listed_area);
        draft.insert("notify".into(), if notify { vec!["yes".into()] } else { vec![] });
        repo::save_draft(db, &consultation_id, &participant, &draft, now()).await?;
        return Err(AppError::Invalid(errors));
    }
    let checked = check_answers(&questions, &form).map_err(AppError::Invalid)?;
    // A first response counts against the address (changing one's answers does not).
    if earlier.is_none() {
        crate::server::auth::address_allowance("response").await?;
    }
    // The address is kept only to send the outcome, and only with that consent.
    let email = if notify { email } else { None };
    // A signed-in resident's own account address was proven when the account was made.
    let email_proven = user.as_ref().is_some_and(|u| u.email_verified_at.is_some() && Some(&u.email) == email.as_ref());
    let t = now();
    let token = crate::server::tokens::new_token();
    let token_hash = crate::server::tokens::token_hash(&token);
    let base = state.link_base();
    let response = repo::NewResponse {
        organisation_id: &row.organisation_id,
        consultation_id: &consultation_id,
        participant: &participant,
        assisted: false,
        recorded_by: None,
        area_id: area_id.as_deref(),
        email: email.as_deref(),
        notify,
        answers: &checked,
        email_proven,
        language: crate::language::choice::code(crate::language::page_locale()),
        confirmation: Some(repo::ConfirmationLink {
            token_hash: &token_hash,
            expires_at: t + CONFIRM_ADDRESS_DAYS * 24 * 3600,
            base: &base,
            letter: crate::server::letters::confirm_address(
                crate::language::page_locale(),
                &row.organisation_name,
                crate::domain::bilingual::pick(crate::language::choice::code(crate::language::page_locale()), &row.title, &row.title_cy).0,
                &format!("{base}/email/confirm/{token}"),
                CONFIRM_ADDRESS_DAYS,
            ),
            per_day: CONFIRM_ADDRESS_LINKS_PER_DAY,
        }),
    };
    let stored = match repo::save_response(&state.db, &response, t).await {
        Ok(r) => r,
        // Two submissions of a first response at the same moment: the second replaces.
        Err(e) if crate::server::db::is_unique_violation(&e) => repo::save_response(&state.db, &response, t).await?,
        Err(e) => return Err(e.into()),
    };
    let waiting = matches!(stored.address, repo::AddressState::LinkSent | repo::AddressState::Waiting);
    Ok(ResponseSaved {
        replaced: stored.replaced,
        confirm_address: email.as_deref().filter(|_| waiting).map(validation::mask_email),
        link_sent: stored.address == repo::AddressState::LinkSent,
    })
}

/// "Not you?": forgets this browser's participant cookie, so the next person on a shared
/// computer starts afresh. Their saved response stays saved.
pub async fn forget_me(caller: &Caller) -> Result<(), AppError> {
    use crate::server::participant;
    participant::forget(caller);
    Ok(())
}

/// Results for the organisation's admins: counts and percentages per question, free-text
/// answers, participation by area; assisted responses counted separately.
pub async fn load_results(caller: &Caller, id: String) -> Result<ConsultationResults, AppError> {
    use crate::domain::consultation::{tally, QuestionKind};
    use crate::server::repo::consultations as repo;
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    let row = crate::server::consultations::managed(db, &id, admin).await?;
    let questions = repo::questions(db, &id).await?;
    let counts = repo::answer_counts(db, &id).await?;
    let answered = repo::answered_counts(db, &id).await?;
    let texts = repo::free_texts(db, &id).await?;
    let by_area = repo::by_area(db, &id).await?;
    let assisted_by = repo::assisted_by_worker(db, &id).await?;
    let free_text = questions
        .iter()
        .filter(|q| q.kind == QuestionKind::FreeText)
        .map(|q| FreeTextResult {
            prompt: q.prompt.clone(),
            answers: texts.iter().filter(|(qid, ..)| qid == &q.id).map(|(_, v, a)| (v.clone(), *a)).collect(),
        })
        .collect();
    Ok(ConsultationResults {
        responses: by_area.iter().map(|a| a.1).sum(),
        assisted: by_area.iter().map(|a| a.2).sum(),
        questions: tally(&questions, &counts, &answered),
        free_text,
        by_area,
        assisted_by,
        id,
        title: row.title,
    })
}
