//! Consultations: residents read, respond (with or without an account) and follow outcomes;
//! admins create, publish, close and post "you said, we did" updates.

use super::Named;
use crate::error::AppError;
pub use crate::types::consultations::*;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The door to [`crate::server::consultations::list_consultations`].
#[server(prefix = "/api", endpoint = "consultations/list")]
pub async fn list_consultations(area: Option<String>, theme: Option<String>, stage: Option<String>) -> Result<ConsultationList, AppError> {
    crate::server::auth::with_status(crate::server::consultations::list_consultations(area, theme, stage).await)
}

/// The door to [`crate::server::consultations::get_consultation`].
#[server(prefix = "/api", endpoint = "consultations/get")]
pub async fn get_consultation(id: String) -> Result<ConsultationView, AppError> {
    crate::server::auth::with_status(crate::server::consultations::get_consultation(id).await)
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
    crate::server::auth::with_status(crate::server::consultations::respond(consultation_id, answers, area_id, email, notify).await)
}

/// The door to [`crate::server::consultations::manage_consultations`].
#[server(prefix = "/api", endpoint = "consultations/manage/list")]
pub async fn manage_consultations() -> Result<Vec<ConsultationCard>, AppError> {
    crate::server::auth::with_status(crate::server::consultations::manage_consultations().await)
}

/// The door to [`crate::server::consultations::consultation_lists`].
#[server(prefix = "/api", endpoint = "consultations/manage/lists")]
pub async fn consultation_lists() -> Result<(Vec<Named>, Vec<Named>), AppError> {
    crate::server::auth::with_status(crate::server::consultations::consultation_lists().await)
}

/// The door to [`crate::server::consultations::create_consultation`].
#[server(prefix = "/api", endpoint = "consultations/manage/create")]
pub async fn create_consultation(form: crate::domain::consultation::Details) -> Result<String, AppError> {
    crate::server::auth::with_status(crate::server::consultations::create_consultation(form).await)
}

/// The door to [`crate::server::consultations::update_consultation`].
#[server(prefix = "/api", endpoint = "consultations/manage/update")]
pub async fn update_consultation(consultation_id: String, form: crate::domain::consultation::Details) -> Result<(), AppError> {
    crate::server::auth::with_status(crate::server::consultations::update_consultation(consultation_id, form).await)
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
) -> Result<(), AppError> {
    crate::server::auth::with_status(
        crate::server::consultations::add_question(consultation_id, prompt, hint, kind, required, options).await,
    )
}

/// The door to [`crate::server::consultations::set_consultation_stage`].
#[server(prefix = "/api", endpoint = "consultations/manage/stage")]
pub async fn set_consultation_stage(consultation_id: String, stage: String) -> Result<(), AppError> {
    crate::server::auth::with_status(crate::server::consultations::set_consultation_stage(consultation_id, stage).await)
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
) -> Result<(), AppError> {
    crate::server::auth::with_status(
        crate::server::consultations::post_outcome(consultation_id, status, reason, progress, body, answers).await,
    )
}

/// The door to [`crate::server::consultations::forget_me`].
#[server(prefix = "/api", endpoint = "consultations/forget-me")]
pub async fn forget_me() -> Result<(), AppError> {
    crate::server::auth::with_status(crate::server::consultations::forget_me().await)
}

/// The door to [`crate::server::consultations::load_results`].
#[server(prefix = "/api", endpoint = "consultations/manage/results")]
pub async fn load_results(id: String) -> Result<ConsultationResults, AppError> {
    crate::server::auth::with_status(crate::server::consultations::load_results(id).await)
}
