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
    crate::server::consultations::managed(db, &consultation_id, admin).await?;
    let details = crate::server::consultations::checked_details(db, admin, &form).await?;
    if !repo::consultations::update(db, &consultation_id, &details, now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Adds a question at the end of a consultation's questions. `options`: one per line.
pub async fn add_question(
    caller: &Caller,
    consultation_id: String,
    prompt: String,
    hint: String,
    kind: Option<String>,
    required: Option<String>,
    options: String,
) -> Result<(), AppError> {
    use crate::domain::consultation::check_question;
    use crate::server::repo::consultations as repo;
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    let row = crate::server::consultations::managed(db, &consultation_id, admin).await?;
    if row.stage != Stage::Draft && repo::response_count(db, &consultation_id).await? > 0 {
        return Err(AppError::Conflict(Msg::PeopleAlreadyRespondedQuestionsNo));
    }
    let question = check_question(&prompt, &hint, kind.as_deref(), required.is_some(), &options).map_err(AppError::Invalid)?;
    repo::add_question(db, &consultation_id, &question).await.map_err(AppError::from)
}

/// Moves a consultation to another stage (publishing it, closing it, marking it decided).
pub async fn set_consultation_stage(caller: &Caller, consultation_id: String, stage: String) -> Result<(), AppError> {
    use crate::server::{now, repo::consultations as repo};
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    let current = crate::server::consultations::managed(db, &consultation_id, admin).await?;
    let stage = Stage::parse(&stage).ok_or_else(|| AppError::invalid("stage", Msg::ChooseStageList))?;
    if stage == Stage::Draft && current.stage != Stage::Draft && repo::response_count(db, &consultation_id).await? > 0 {
        return Err(AppError::Conflict(Msg::PeopleRespondedSoCannotGo));
    }
    if stage == Stage::OpenForFeedback && repo::questions(db, &consultation_id).await?.is_empty() {
        return Err(AppError::Conflict(Msg::AddAtLeastOneQuestion));
    }
    repo::set_stage(db, &admin.organisation_id, &consultation_id, stage.as_str(), now()).await?;
    Ok(())
}

/// Posts a "you said, we did" update.
pub async fn post_outcome(
    caller: &Caller,
    consultation_id: String,
    status: Option<String>,
    reason: String,
    progress: String,
    body: String,
    // What it answers: `question:<id>` or `proposal:<id>` each.
    answers: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::domain::consultation::check_outcome;
    use crate::server::{now, repo::consultations as repo};
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let db = &state.db;
    crate::server::consultations::managed(db, &consultation_id, admin).await?;
    let checked = check_outcome(status.as_deref(), &reason, &progress, &body);
    // Only this consultation's questions and the ideas residents can see.
    let questions = repo::questions(db, &consultation_id).await?;
    let proposals = repo::visible_proposals(db, &consultation_id).await?;
    let mut links: Vec<(&'static str, String)> = Vec::new();
    let mut unknown = false;
    for answer in answers.unwrap_or_default() {
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
        published_on: &today,
        created_by: &admin.id,
        answers: &links,
    };
    let queued = repo::insert_outcome(db, &state.link_base(), &outcome, now()).await?;
    state.mail.now();
    tracing::info!(consultation = %consultation_id, queued, "outcome update posted");
    Ok(())
}
