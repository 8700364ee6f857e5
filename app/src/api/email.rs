//! What an unsubscribe link is about, for its page (the change itself is a POST to the link:
//! see `server::unsubscribe`).

use crate::error::AppError;
use leptos::prelude::*;

/// What the link stops, in a few words ("updates about “The future of Mill Park”").
#[server(prefix = "/api", endpoint = "email/unsubscribe/check")]
pub async fn check_unsubscribe(token: String) -> Result<String, AppError> {
    use crate::domain::mail::MessageKind;
    use crate::server::{auth, unsubscribe};
    auth::with_status(
        async {
            let state = auth::state()?;
            let found = unsubscribe::find(&state.db.pool, &token).await.map_err(|e| auth::internal("database", e))?.ok_or(AppError::NotFound)?;
            Ok(match found.kind {
                MessageKind::OutcomeUpdate if !found.about.is_empty() => format!("updates about “{}”", found.about),
                MessageKind::ConsultationInvitation => "invitations to take part in consultations".to_string(),
                MessageKind::FollowUpResolved => "emails about the issues you raise with us".to_string(),
                _ => format!("emails like this one ({})", found.kind.label().to_lowercase()),
            })
        }
        .await,
    )
}
