//! What staff do: create and edit consultations, add questions, move them on, post outcomes.

use crate::domain::consultation::Stage;
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::repo::consultations as repo;
use crate::server::Db;
use crate::types::consultations::*;
use crate::types::Named;

/// The details form checked against the organisation's lists, ready to store.
pub(super) async fn checked_details<'a>(
    db: &Db,
    admin: &'a crate::server::repo::users::UserRow,
    form: &'a crate::domain::consultation::Details,
) -> Result<repo::NewConsultation<'a>, AppError> {
    use crate::domain::consultation::check_details;
    let lists = crate::server::repo::outreach::reference_data(db, &admin.organisation_id, "9999-12-31").await?;
    let mut errors = check_details(form).err().unwrap_or_default();
    if form.areas.iter().any(|a| !lists.areas.iter().any(|n| &n.id == a)) {
        errors.add("areas", Msg::ChooseAreasList);
    }
    if form.themes.iter().any(|t| !lists.themes.iter().any(|n| &n.id == t)) {
        errors.add("themes", Msg::ChooseThemesList);
    }
    errors.into_result().map_err(AppError::Invalid)?;
    Ok(repo::NewConsultation {
        organisation_id: &admin.organisation_id,
        title: form.title.trim(),
        summary: form.summary.trim(),
        background: form.background.trim(),
        title_cy: form.title_cy.trim(),
        summary_cy: form.summary_cy.trim(),
        background_cy: form.background_cy.trim(),
        opens_on: Some(form.opens_on.trim()).filter(|d| !d.is_empty()),
        closes_on: Some(form.closes_on.trim()).filter(|d| !d.is_empty()),
        areas: &form.areas,
        themes: &form.themes,
        created_by: &admin.id,
    })
}

/// The admin's organisation's consultations, drafts included.
pub async fn manage_consultations(caller: &Caller) -> Result<Vec<ConsultationCard>, AppError> {
    use crate::server::repo::consultations as repo;
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let rows = repo::list_for_organisation(&state.db, &admin.organisation_id).await?;
    crate::server::consultations::cards(&state.db, rows).await
}

/// The organisation's areas and themes, to choose what a new consultation concerns.
pub async fn consultation_lists(caller: &Caller) -> Result<(Vec<Named>, Vec<Named>), AppError> {
    use crate::server::repo;
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let data = repo::outreach::reference_data(&state.db, &admin.organisation_id, "9999-12-31").await?;
    Ok((data.areas, data.themes))
}

/// Creates a draft consultation and returns its id.
pub async fn create_consultation(caller: &Caller, form: crate::domain::consultation::Details) -> Result<String, AppError> {
    use crate::server::{now, repo};
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    let new = crate::server::consultations::checked_details(db, admin, &form).await?;
    let id = repo::consultations::insert(db, &new, now()).await?;
    leptos_axum::redirect(&format!("/manage/consultations/{id}"));
    Ok(id)
}

/// Changes a consultation's title, summary, background, dates, areas and themes, at any stage
/// (a typo in an open consultation should not wait). Its questions and responses stay.
pub async fn update_consultation(
    caller: &Caller,
    consultation_id: String,
    form: crate::domain::consultation::Details,
) -> Result<(), AppError> {
    use crate::server::{now, repo};
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    // Another organisation's is not found, before its form is judged.
    crate::server::consultations::managed(db, &consultation_id, admin).await?;
    let details = crate::server::consultations::checked_details(db, admin, &form).await?;
    let mut tx = db.begin_write().await?;
    let row = locked(db, &mut tx, &consultation_id, admin).await?;
    let after = repo::consultations::ConsultationRow {
        title: details.title.to_string(),
        summary: details.summary.to_string(),
        background: details.background.to_string(),
        title_cy: details.title_cy.to_string(),
        summary_cy: details.summary_cy.to_string(),
        background_cy: details.background_cy.to_string(),
        ..row
    };
    let questions = repo::consultations::questions(&mut *tx, &consultation_id).await?;
    keeps_welsh(&mut tx, &after, &questions).await?;
    if !repo::consultations::update(&mut tx, &consultation_id, &details, now()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// A consultation the caller manages, read inside the write transaction `tx` and locked against
/// other changes until it ends: a check (the Welsh a published one keeps) and the change it
/// allows see the same consultation, however many people are changing it at once.
async fn locked(
    db: &Db,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
    admin: &crate::server::repo::users::UserRow,
) -> Result<repo::ConsultationRow, AppError> {
    match repo::find_for_change(tx, id, &db.for_update_of("c")).await? {
        Some(row) if row.organisation_id == admin.organisation_id => Ok(row),
        _ => Err(AppError::NotFound),
    }
}

/// Adds a question at the end of a consultation's questions. `options`: one per line; the
/// Welsh (`prompt_cy`, `hint_cy`, `options_cy`) optional.
pub async fn add_question(caller: &Caller, consultation_id: String, form: QuestionFields) -> Result<(), AppError> {
    use crate::domain::consultation::{check_question, QuestionForm};
    use crate::server::repo::consultations as repo;
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    let mut tx = db.begin_write().await?;
    let row = locked(db, &mut tx, &consultation_id, admin).await?;
    if row.stage != Stage::Draft && repo::response_count(&mut *tx, &consultation_id).await? > 0 {
        return Err(AppError::Conflict(Msg::PeopleAlreadyRespondedQuestionsNo));
    }
    let question = check_question(&QuestionForm {
        prompt: &form.prompt,
        hint: &form.hint,
        kind: form.kind.as_deref(),
        required: form.required.is_some(),
        options: &form.options,
        prompt_cy: form.prompt_cy.as_deref().unwrap_or_default(),
        hint_cy: form.hint_cy.as_deref().unwrap_or_default(),
        options_cy: form.options_cy.as_deref().unwrap_or_default(),
    })
    .map_err(AppError::Invalid)?;
    let mut questions = repo::questions(&mut *tx, &consultation_id).await?;
    questions.push(question.clone());
    keeps_welsh(&mut tx, &row, &questions).await?;
    repo::add_question(&mut *tx, &consultation_id, &question).await?;
    tx.commit().await?;
    Ok(())
}

/// Where the organisation requires Welsh, a published consultation keeps it: a change that
/// would leave residents reading part of it in English only is refused, naming the parts.
async fn keeps_welsh(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    after: &repo::ConsultationRow,
    questions: &[crate::domain::consultation::Question],
) -> Result<(), AppError> {
    if after.stage == Stage::Draft || !after.stage.is_public() || !repo::welsh_required(&mut **tx, &after.organisation_id).await? {
        return Ok(());
    }
    let missing = missing_welsh(after, questions);
    if missing.is_empty() {
        return Ok(());
    }
    let locale = crate::language::page_locale();
    let named: Vec<String> = missing.into_iter().map(|p| crate::language::names::part_name(locale, p)).collect();
    Err(AppError::Conflict(Msg::KeepWelshWhilePublished { missing: named.join(", ") }))
}

/// Adds or changes a question's Welsh, at any stage (the words, not what is asked: answers
/// already given stay as they are).
pub async fn set_question_welsh(caller: &Caller, consultation_id: String, question_id: String, welsh: [String; 3]) -> Result<(), AppError> {
    let admin = caller.consultation_manager()?;
    let db = &caller.state.db;
    let mut tx = db.begin_write().await?;
    let row = locked(db, &mut tx, &consultation_id, admin).await?;
    let mut questions = repo::questions(&mut *tx, &consultation_id).await?;
    let question = questions.iter_mut().find(|q| q.id == question_id).ok_or(AppError::NotFound)?;
    let [prompt_cy, hint_cy, options_cy] = welsh;
    let changed = crate::domain::consultation::with_welsh(question, &prompt_cy, &hint_cy, &options_cy).map_err(AppError::Invalid)?;
    *question = changed.clone();
    keeps_welsh(&mut tx, &row, &questions).await?;
    if !repo::set_question_welsh(&mut *tx, &consultation_id, &changed).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Moves a consultation to another stage (publishing it, closing it, marking it decided).
pub async fn set_consultation_stage(caller: &Caller, consultation_id: String, stage: String) -> Result<(), AppError> {
    use crate::server::{now, repo::consultations as repo};
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    let stage = Stage::parse(&stage).ok_or_else(|| AppError::invalid("stage", Msg::ChooseStageList))?;
    let mut tx = db.begin_write().await?;
    let current = locked(db, &mut tx, &consultation_id, admin).await?;
    if stage == Stage::Draft && current.stage != Stage::Draft && repo::response_count(&mut *tx, &consultation_id).await? > 0 {
        return Err(AppError::Conflict(Msg::PeopleRespondedSoCannotGo));
    }
    let questions = repo::questions(&mut *tx, &consultation_id).await?;
    if stage == Stage::OpenForFeedback && questions.is_empty() {
        return Err(AppError::Conflict(Msg::AddAtLeastOneQuestion));
    }
    // Published only when everything residents read is in both languages, where the
    // organisation requires it.
    if stage.is_public() && current.stage == Stage::Draft && repo::welsh_required(&mut *tx, &admin.organisation_id).await? {
        let missing = missing_welsh(&current, &questions);
        if !missing.is_empty() {
            let locale = crate::language::page_locale();
            let named: Vec<String> = missing.into_iter().map(|p| crate::language::names::part_name(locale, p)).collect();
            return Err(AppError::Conflict(Msg::PublishNeedsWelsh { missing: named.join(", ") }));
        }
    }
    repo::set_stage(&mut *tx, &admin.organisation_id, &consultation_id, stage.as_str(), now()).await?;
    tx.commit().await?;
    Ok(())
}

/// What residents would read of a consultation that is not written in Welsh yet.
fn missing_welsh(
    c: &repo::ConsultationRow,
    questions: &[crate::domain::consultation::Question],
) -> Vec<crate::domain::bilingual::PartName> {
    use crate::domain::bilingual::{Part, PartName};
    let mut parts = vec![
        Part { name: PartName::Title, english: &c.title, welsh: &c.title_cy },
        Part { name: PartName::Summary, english: &c.summary, welsh: &c.summary_cy },
        Part { name: PartName::Background, english: &c.background, welsh: &c.background_cy },
    ];
    for (i, q) in questions.iter().enumerate() {
        parts.extend(q.parts(i + 1));
    }
    crate::domain::bilingual::missing_welsh(&parts)
}

/// Whether the manager's organisation publishes consultations only when written in English and
/// Welsh.
pub async fn welsh_required(caller: &Caller) -> Result<WelshRule, AppError> {
    let manager = caller.consultation_manager()?;
    let on = repo::welsh_required(&caller.state.db, &manager.organisation_id).await?;
    Ok(WelshRule { on, may_change: manager.role() == Some(crate::domain::Role::Admin) })
}

/// Sets whether the admin's organisation publishes consultations only when written in English
/// and Welsh (`on`: the box was ticked).
pub async fn set_welsh_required(caller: &Caller, on: bool) -> Result<(), AppError> {
    let admin = caller.require(|r| r == crate::domain::Role::Admin)?;
    repo::set_welsh_required(&caller.state.db, &admin.organisation_id, on).await?;
    tracing::info!(organisation = %admin.organisation_id, on, "welsh required before publishing");
    Ok(())
}

/// Posts a "you said, we did" update.
pub async fn post_outcome(caller: &Caller, consultation_id: String, form: OutcomeFields) -> Result<(), AppError> {
    let OutcomeFields { status, reason, progress, body, answers, reason_cy, body_cy } = form;
    use crate::domain::consultation::{check_outcome, check_outcome_welsh};
    use crate::server::{now, repo::consultations as repo};
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    crate::server::consultations::managed(db, &consultation_id, admin).await?;
    let checked = match (check_outcome(status.as_deref(), &reason, &progress, &body), check_outcome_welsh(&reason_cy, &body_cy)) {
        (Ok(ok), Ok(())) => Ok(ok),
        (english, welsh) => {
            // Every problem at once, the English first.
            let mut errors = english.err().unwrap_or_default();
            for e in welsh.err().iter().flat_map(|w| w.iter()) {
                errors.add(&e.field, e.message.clone());
            }
            Err(errors)
        }
    };
    // Only this consultation's questions and the ideas residents can see.
    let questions = repo::questions(db, &consultation_id).await?;
    let proposals = repo::visible_proposals(db, &consultation_id).await?;
    let mut links: Vec<(&'static str, String)> = Vec::new();
    let mut unknown = false;
    for answer in answers {
        match answer.split_once(':') {
            Some(("question", id)) if questions.iter().any(|q| q.id == id) => links.push(("question", id.to_string())),
            Some(("proposal", id)) if proposals.iter().any(|(p, _)| p == id) => links.push(("proposal", id.to_string())),
            _ => unknown = true,
        }
    }
    let (status, progress) = match (checked, unknown) {
        (Ok(ok), false) => ok,
        (result, unknown) => {
            let mut errors = result.err().unwrap_or_default();
            if unknown {
                errors.add("answers", Msg::ChooseQuestionsIdeasList);
            }
            return Err(AppError::Invalid(errors));
        }
    };
    let today = crate::server::consultations::today();
    let outcome = repo::NewOutcome {
        organisation_id: &admin.organisation_id,
        consultation_id: &consultation_id,
        status: status.as_str(),
        reason: reason.trim(),
        progress: i64::from(progress),
        body: body.trim(),
        reason_cy: reason_cy.trim(),
        body_cy: body_cy.trim(),
        published_on: &today,
        created_by: &admin.id,
        answers: &links,
    };
    let queued = repo::insert_outcome(db, &state.link_base(), &outcome, now()).await?;
    state.mail.now();
    tracing::info!(consultation = %consultation_id, queued, "outcome update posted");
    Ok(())
}
