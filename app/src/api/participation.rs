//! Residents' ideas, support and comments on a consultation, reports of them, and the
//! moderation queue where an organisation's admins decide in bulk.

use crate::error::AppError;
pub use crate::types::participation::*;
use leptos::prelude::*;

/// The door to [`crate::server::participation::list_proposals`].
#[server(prefix = "/api", endpoint = "consultations/ideas")]
pub async fn list_proposals(consultation_id: String) -> Result<Vec<ProposalCard>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::list_proposals(&caller, consultation_id).await)
}

/// The door to [`crate::server::participation::propose`].
#[server(prefix = "/api", endpoint = "consultations/propose")]
pub async fn propose(consultation_id: String, title: String, body: String, author_name: String) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::propose(&caller, consultation_id, title, body, author_name).await)
}

/// The door to [`crate::server::participation::support_proposal`].
#[server(prefix = "/api", endpoint = "consultations/support")]
pub async fn support_proposal(proposal_id: String) -> Result<bool, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::support_proposal(&caller, proposal_id).await)
}

/// The door to [`crate::server::participation::get_proposal`].
#[server(prefix = "/api", endpoint = "consultations/idea")]
pub async fn get_proposal(proposal_id: String) -> Result<ProposalPage, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::get_proposal(&caller, proposal_id).await)
}

/// The door to [`crate::server::participation::comment_on`].
#[server(prefix = "/api", endpoint = "consultations/comment")]
pub async fn comment_on(proposal_id: String, comment: String, author_name: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::comment_on(&caller, proposal_id, comment, author_name).await)
}

/// The door to [`crate::server::participation::report_contribution`].
#[server(prefix = "/api", endpoint = "consultations/report")]
pub async fn report_contribution(kind: String, target_id: String, reason: String) -> Result<bool, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::report_contribution(&caller, kind, target_id, reason).await)
}

/// The door to [`crate::server::participation::moderation_queue`].
#[server(prefix = "/api", endpoint = "moderation/queue")]
pub async fn moderation_queue() -> Result<Vec<QueuedItem>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::moderation_queue(&caller).await)
}

/// The door to [`crate::server::participation::moderate`].
#[server(prefix = "/api", endpoint = "moderation/decide")]
pub async fn moderate(items: Option<Vec<String>>, action: Option<String>) -> Result<u64, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::participation::moderate(&caller, items, action).await)
}
