//! Asking residents to have their say: whoever runs a consultation invites the residents who
//! agreed to be invited, in the consultation's areas and themes. They see how many first (small
//! numbers suppressed); each resident is invited at most once per consultation; a resident who
//! withdraws before their message goes is not sent it.

use crate::error::AppError;
pub use crate::types::invitations::*;
use leptos::prelude::*;

/// The door to [`crate::server::invitations::invitation_summary`].
#[server(prefix = "/api", endpoint = "consultations/invitations/summary")]
pub async fn invitation_summary(consultation_id: String) -> Result<InvitationCounts, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::invitations::invitation_summary(&caller, consultation_id).await)
}

/// The door to [`crate::server::invitations::send_invitations`].
#[server(prefix = "/api", endpoint = "consultations/invitations/send")]
pub async fn send_invitations(consultation_id: String) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::invitations::send_invitations(&caller, consultation_id).await)
}
