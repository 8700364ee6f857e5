//! Consultations: residents read, respond (with or without an account) and follow outcomes;
//! admins create, publish, close and post "you said, we did" updates.
// A door's arguments are the fields of the form it answers, named as posted: some forms have many.
#![allow(clippy::too_many_arguments)]

use super::Named;
use crate::error::AppError;
pub use crate::types::consultations::*;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The door to [`crate::server::consultations::list_consultations`].
#[server(prefix = "/api", endpoint = "consultations/list")]
pub async fn list_consultations(area: Option<String>, theme: Option<String>, stage: Option<String>) -> Result<ConsultationList, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::list_consultations(&caller, area, theme, stage).await)
}

/// The door to [`crate::server::consultations::get_consultation`].
#[server(prefix = "/api", endpoint = "consultations/get")]
pub async fn get_consultation(id: String) -> Result<ConsultationView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::get_consultation(&caller, id).await)
}

/// The door to [`crate::server::consultations::respond`].
#[server(prefix = "/api", endpoint = "consultations/respond")]
pub async fn respond(
    consultation_id: String,
    answers: Option<BTreeMap<String, Vec<String>>>,
    area_id: Option<String>,
    email: Option<String>,
    notify: Option<String>,
) -> Result<ResponseSaved, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::respond(&caller, consultation_id, answers, area_id, email, notify).await)
}

/// The door to [`crate::server::consultations::manage_consultations`].
#[server(prefix = "/api", endpoint = "consultations/manage/list")]
pub async fn manage_consultations() -> Result<Vec<ConsultationCard>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::manage_consultations(&caller).await)
}

/// The door to [`crate::server::consultations::consultation_lists`].
#[server(prefix = "/api", endpoint = "consultations/manage/lists")]
pub async fn consultation_lists() -> Result<(Vec<Named>, Vec<Named>), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::consultation_lists(&caller).await)
}

/// The door to [`crate::server::consultations::create_consultation`].
#[server(prefix = "/api", endpoint = "consultations/manage/create")]
pub async fn create_consultation(form: crate::domain::consultation::Details) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::create_consultation(&caller, form).await)
}

/// The door to [`crate::server::consultations::update_consultation`].
#[server(prefix = "/api", endpoint = "consultations/manage/update")]
pub async fn update_consultation(consultation_id: String, form: crate::domain::consultation::Details) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::update_consultation(&caller, consultation_id, form).await)
}

/// The door to [`crate::server::consultations::add_question`].
#[server(prefix = "/api", endpoint = "consultations/manage/add-question")]
pub async fn add_question(
    consultation_id: String,
    prompt: String,
    hint: String,
    kind: Option<String>,
    required: Option<String>,
    options: String,
    prompt_cy: Option<String>,
    hint_cy: Option<String>,
    options_cy: Option<String>,
) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    let form = QuestionFields { prompt, hint, kind, required, options, prompt_cy, hint_cy, options_cy };
    crate::server::auth::with_status(crate::server::consultations::add_question(&caller, consultation_id, form).await)
}

/// The door to [`crate::server::consultations::set_question_welsh`].
#[server(prefix = "/api", endpoint = "consultations/manage/question-welsh")]
pub async fn set_question_welsh(
    consultation_id: String,
    question_id: String,
    prompt_cy: String,
    hint_cy: Option<String>,
    options_cy: Option<String>,
) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    let welsh = [prompt_cy, hint_cy.unwrap_or_default(), options_cy.unwrap_or_default()];
    crate::server::auth::with_status(crate::server::consultations::set_question_welsh(&caller, consultation_id, question_id, welsh).await)
}

/// The door to [`crate::server::consultations::welsh_required`].
#[server(prefix = "/api", endpoint = "consultations/manage/welsh-required/get")]
pub async fn welsh_required() -> Result<WelshRule, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::welsh_required(&caller).await)
}

/// The door to [`crate::server::consultations::set_welsh_required`]: `required` is there when
/// the box is ticked.
#[server(prefix = "/api", endpoint = "consultations/manage/welsh-required")]
pub async fn set_welsh_required(required: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::set_welsh_required(&caller, required.is_some()).await)
}

/// The door to [`crate::server::consultations::set_consultation_stage`].
#[server(prefix = "/api", endpoint = "consultations/manage/stage")]
pub async fn set_consultation_stage(consultation_id: String, stage: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::set_consultation_stage(&caller, consultation_id, stage).await)
}

/// The door to [`crate::server::consultations::post_outcome`].
#[server(prefix = "/api", endpoint = "consultations/manage/outcome")]
pub async fn post_outcome(
    consultation_id: String,
    status: Option<String>,
    reason: String,
    progress: String,
    body: String,
    /// What it answers: `question:<id>` or `proposal:<id>` each.
    answers: Option<Vec<String>>,
    /// The reason and the update in Welsh (optional).
    reason_cy: Option<String>,
    body_cy: Option<String>,
) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    let form = OutcomeFields {
        status,
        reason,
        progress,
        body,
        answers: answers.unwrap_or_default(),
        reason_cy: reason_cy.unwrap_or_default(),
        body_cy: body_cy.unwrap_or_default(),
    };
    crate::server::auth::with_status(crate::server::consultations::post_outcome(&caller, consultation_id, form).await)
}

/// The door to [`crate::server::consultations::forget_me`].
#[server(prefix = "/api", endpoint = "consultations/forget-me")]
pub async fn forget_me() -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::forget_me(&caller).await)
}

/// The door to [`crate::server::consultations::load_results`].
#[server(prefix = "/api", endpoint = "consultations/manage/results")]
pub async fn load_results(id: String) -> Result<ConsultationResults, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::consultations::load_results(&caller, id).await)
}
