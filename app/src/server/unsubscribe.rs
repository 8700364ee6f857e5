//! One-click unsubscribe (RFC 8058). Every marketing-like message carries a link whose secret
//! only its recipient has: `GET` shows a page with a button (opening a link changes nothing);
//! `POST` — the page's button, or a mail client's own "Unsubscribe" with the body
//! `List-Unsubscribe=One-Click` — records the "no". The secret is the authority, so this POST
//! is let through the cross-site guard: the worst it can do is what its recipient asked for.

use super::{now, AppState};
use crate::domain::mail::MessageKind;
use crate::server::Db;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub const PREFIX: &str = "/email/unsubscribe/";

/// What one unsubscribe link is about.
#[derive(Clone, Debug)]
pub struct Subscription {
    pub kind: MessageKind,
    pub to_address: String,
    pub consultation_id: Option<String>,
    /// The consultation's title, for the page.
    pub about: String,
    /// The resident it was sent to in the consent ledger, and the purpose it was sent under
    /// (invitations; an issue resolved).
    pub resident_id: Option<String>,
    pub consent_purpose: Option<crate::domain::outreach::ConsentPurpose>,
    pub organisation_id: String,
    pub message_id: String,
}

pub async fn find(db: &Db, token: &str) -> sqlx::Result<Option<Subscription>> {
    let hash = crate::server::tokens::token_hash(token.trim());
    type Row = (String, String, Option<String>, Option<String>, Option<String>, Option<String>, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT m.kind, m.to_address, m.consultation_id, c.title, m.resident_id, m.consent_purpose, m.organisation_id, m.id FROM outgoing_messages m \
         LEFT JOIN consultations c ON c.id = m.consultation_id WHERE m.unsubscribe_hash = $1",
    )
    .bind(hash)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(kind, to_address, consultation_id, about, resident_id, purpose, organisation_id, message_id)| {
        Some(Subscription {
            kind: MessageKind::parse(&kind)?,
            to_address,
            consultation_id,
            about: about.unwrap_or_default(),
            resident_id,
            consent_purpose: purpose.and_then(|p| crate::domain::outreach::ConsentPurpose::ALL.into_iter().find(|c| c.as_str() == p)),
            organisation_id,
            message_id,
        })
    }))
}

/// Says "no more of these": an outcome update's "Email me" is unticked for that consultation;
/// a message sent under a resident's consent withdraws it; and whatever of the kind is still
/// waiting for that address is not sent. Returns false for a
/// link that is not (or no longer) known.
pub async fn unsubscribe(db: &super::db::Db, token: &str, at: i64) -> sqlx::Result<bool> {
    let Some(s) = find(db, token).await? else { return Ok(false) };
    let mut tx = db.begin_write().await?;
    // What stops: updates on that consultation, or every invitation (the consent is general).
    let mut only_consultation = s.consultation_id.as_deref();
    if s.kind == MessageKind::OutcomeUpdate {
        sqlx::query("UPDATE responses SET notify_consent = 0 WHERE consultation_id = $1 AND LOWER(email) = LOWER($2)")
            .bind(&s.consultation_id)
            .bind(&s.to_address)
            .execute(&mut *tx)
            .await?;
    }
    // Sent under a resident's consent (invitations, an issue resolved): that consent ends, for
    // every consultation.
    if let (Some(resident), Some(purpose)) = (&s.resident_id, s.consent_purpose) {
        only_consultation = None;
        withdraw(&mut tx, &s, resident, purpose, at).await?;
    }
    sqlx::query(
        "UPDATE outgoing_messages SET status = 'cancelled', finished_at = $1, body = '', html_body = '', list_unsubscribe = NULL \
         WHERE status = 'waiting' AND kind = $2 AND LOWER(to_address) = LOWER($3) AND (consultation_id = $4 OR $4 IS NULL) AND claimed_by IS NULL",
    )
    .bind(at)
    .bind(s.kind.as_str())
    .bind(&s.to_address)
    .bind(only_consultation)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The unsubscribe link of a message sent under a resident's consent ("no more invitations")
/// is a "no" in their consent ledger, as if they had said it at the door, recorded in the name of
/// whoever invited them (or first recorded them). Whatever is still waiting to go to them under
/// that consent is then not sent (the sender checks the ledger too).
async fn withdraw(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    s: &Subscription,
    resident: &str,
    purpose: crate::domain::outreach::ConsentPurpose,
    at: i64,
) -> sqlx::Result<()> {
    use crate::domain::privacy::{consent_state, ConsentMethod};
    let ledger = super::repo::privacy::consent_ledger(&mut **tx, resident).await?;
    if consent_state(&ledger, purpose).granted() {
        let by = match s.consultation_id.as_deref() {
            Some(c) => super::repo::consultation_invitations::invited_by(tx, c, resident).await?,
            None => None,
        };
        let by = match by {
            Some(by) => by,
            None => sqlx::query_scalar("SELECT created_by FROM residents WHERE id = $1").bind(resident).fetch_one(&mut **tx).await?,
        };
        sqlx::query(
            "INSERT INTO consents (id, organisation_id, resident_id, purpose, granted, lawful_basis, wording, method, recorded_by, source_item_id, occurred_at, received_at) \
             VALUES ($1, $2, $3, $4, 0, 'consent', $5, $6, $7, $8, $9, $9)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&s.organisation_id)
        .bind(resident)
        .bind(purpose.as_str())
        .bind(purpose.wording_in(crate::language::choice::code(crate::language::page_locale())))
        .bind(ConsentMethod::EmailLink.as_str())
        .bind(by)
        .bind(&s.message_id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "UPDATE outgoing_messages SET status = 'cancelled', finished_at = $1, body = '', html_body = '', list_unsubscribe = NULL \
         WHERE status = 'waiting' AND consent_purpose = $2 AND resident_id = $3 AND claimed_by IS NULL",
    )
    .bind(at)
    .bind(purpose.as_str())
    .bind(resident)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `POST /email/unsubscribe/{token}`.
pub async fn post(State(state): State<AppState>, Path(token): Path<String>, body: String) -> Response {
    match unsubscribe(&state.db, &token, now()).await {
        Ok(true) if body.trim() == "List-Unsubscribe=One-Click" => {
            (StatusCode::OK, "You will not get these emails any more.").into_response()
        }
        Ok(true) => Redirect::to(&format!("{PREFIX}{}?done=1", token.trim())).into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "This unsubscribe link is not known. It may be mistyped.").into_response(),
        Err(e) => {
            tracing::error!(%e, "could not record an unsubscribe");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, something went wrong on our side. Try again in a few minutes.").into_response()
        }
    }
}
