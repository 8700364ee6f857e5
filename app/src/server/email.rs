//! Links sent by email: unsubscribing and confirming an address.

use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::email::*;

mod confirm {
    use super::*;
    use crate::server::repo::email_tokens::{self, Purpose, TokenRow};
    use crate::server::AppState;

    /// The link's row and what its response holds now: (consultation id, title, address now,
    /// confirmed). A link is refused as unknown when its response no longer holds its address.
    pub async fn open(state: &AppState, token: &str) -> Result<(TokenRow, String, String, bool), AppError> {
        if token.len() > 128 {
            return Err(AppError::NotFound);
        }
        let hash = crate::server::tokens::token_hash(token.trim());
        let row = email_tokens::find(&state.db, Purpose::ConfirmAddress, &hash).await?.ok_or(AppError::NotFound)?;
        // (consultation id, title, address now, whether updates were asked for, when confirmed)
        type Found = (String, String, Option<String>, i64, Option<i64>);
        let found: Option<Found> = sqlx::query_as(
            "SELECT c.id, c.title, r.email, r.notify_consent, r.email_confirmed_at FROM responses r JOIN consultations c ON c.id = r.consultation_id WHERE r.id = $1",
        )
        .bind(row.response_id.as_deref().unwrap_or(""))
        .fetch_optional(&state.db)
        .await?;
        let (consultation_id, title, email, notify, confirmed_at) = found.ok_or(AppError::NotFound)?;
        if email.as_deref() != Some(row.email.as_str()) || notify != 1 {
            return Err(AppError::Conflict(Msg::LinkAddressNoLongerResponse));
        }
        Ok((row, consultation_id, title, confirmed_at.is_some()))
    }

    pub fn expired() -> AppError {
        AppError::Conflict(Msg::ConfirmLinkExpired { days: crate::types::consultations::CONFIRM_ADDRESS_DAYS })
    }
}

/// What the link stops, in a few words ("updates about “The future of Mill Park”").
pub async fn check_unsubscribe(caller: &Caller, token: String) -> Result<String, AppError> {
    use crate::domain::mail::MessageKind;
    use crate::server::unsubscribe;
    let state = &caller.state;
    let found = unsubscribe::find(&state.db, &token).await.map_err(|e| AppError::internal("database", e))?.ok_or(AppError::NotFound)?;
    use crate::i18n::td_string;
    use crate::language::names::HasName;
    let locale = crate::language::page_locale();
    Ok(match found.kind {
        MessageKind::OutcomeUpdate if !found.about.is_empty() => td_string!(locale, unsubscribe.updates_about, title = found.about),
        MessageKind::ConsultationInvitation => td_string!(locale, unsubscribe.invitations).to_string(),
        MessageKind::FollowUpResolved => td_string!(locale, unsubscribe.issue_emails).to_string(),
        _ => td_string!(locale, unsubscribe.like_this_message, kind = found.kind.name(locale).to_lowercase()),
    })
}

pub async fn check_address_confirmation(caller: &Caller, token: String) -> Result<AddressToConfirm, AppError> {
    use crate::server::now;
    let state = &caller.state;
    let (row, consultation_id, title, confirmed) = confirm::open(state, &token).await?;
    if !confirmed && (row.expires_at <= now() || row.used_at.is_some()) {
        return Err(confirm::expired());
    }
    Ok(AddressToConfirm { consultation_id, title, address: crate::domain::validation::mask_email(&row.email), confirmed })
}

/// Confirms the address (a POST from the link's page: opening a link changes nothing, as mail
/// scanners open links too). Afterwards outcome updates of that consultation are sent to it.
pub async fn confirm_address(caller: &Caller, token: String) -> Result<(), AppError> {
    use crate::server::now;
    use crate::server::repo::{consultations, email_tokens};
    let state = &caller.state;
    let (row, _, _, confirmed) = confirm::open(state, &token).await?;
    let done = format!("/email/confirm/{}?done=1", token.trim());
    if confirmed {
        leptos_axum::redirect(&done);
        return Ok(());
    }
    let t = now();
    let mut tx = state.db.begin_write().await?;
    if !email_tokens::use_up(&mut tx, &row.token_hash, t).await? {
        return Err(confirm::expired());
    }
    let response_id = row.response_id.as_deref().unwrap_or("");
    if !consultations::confirm_response_address(&mut tx, response_id, &row.email, t).await? {
        return Err(AppError::Conflict(Msg::ResponseNoLongerAsksUpdates));
    }
    tx.commit().await?;
    tracing::info!(response_id, "address on a response confirmed");
    leptos_axum::redirect(&done);
    Ok(())
}
