//! One-click unsubscribe (RFC 8058). Every marketing-like message carries a link whose secret
//! only its recipient has: `GET` shows a page with a button (opening a link changes nothing);
//! `POST` — the page's button, or a mail client's own "Unsubscribe" with the body
//! `List-Unsubscribe=One-Click` — records the "no". The secret is the authority, so this POST
//! is let through the cross-site guard: the worst it can do is what its recipient asked for.

use super::{now, AppState};
use crate::domain::mail::MessageKind;
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
}

pub async fn find(pool: &sqlx::AnyPool, token: &str) -> sqlx::Result<Option<Subscription>> {
    let hash = crate::api::staff::ssr::token_hash(token.trim());
    let row: Option<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT m.kind, m.to_address, m.consultation_id, c.title FROM outgoing_messages m \
         LEFT JOIN consultations c ON c.id = m.consultation_id WHERE m.unsubscribe_hash = $1",
    )
    .bind(hash)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(kind, to_address, consultation_id, about)| {
        Some(Subscription { kind: MessageKind::parse(&kind)?, to_address, consultation_id, about: about.unwrap_or_default() })
    }))
}

/// Says "no more of these": an outcome update's "Email me" is unticked for that consultation,
/// and whatever of the kind is still waiting for that address is not sent. Returns false for a
/// link that is not (or no longer) known.
pub async fn unsubscribe(pool: &sqlx::AnyPool, token: &str, at: i64) -> sqlx::Result<bool> {
    let Some(s) = find(pool, token).await? else { return Ok(false) };
    let mut tx = pool.begin().await?;
    if s.kind == MessageKind::OutcomeUpdate {
        sqlx::query("UPDATE responses SET notify_consent = 0 WHERE consultation_id = $1 AND LOWER(email) = LOWER($2)")
            .bind(&s.consultation_id)
            .bind(&s.to_address)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE outgoing_messages SET status = 'cancelled', finished_at = $1, body = '', html_body = '', list_unsubscribe = NULL \
         WHERE status = 'waiting' AND kind = $2 AND LOWER(to_address) = LOWER($3) AND (consultation_id = $4 OR $4 IS NULL) AND claimed_by IS NULL",
    )
    .bind(at)
    .bind(s.kind.as_str())
    .bind(&s.to_address)
    .bind(&s.consultation_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// `POST /email/unsubscribe/{token}`.
pub async fn post(State(state): State<AppState>, Path(token): Path<String>, body: String) -> Response {
    match unsubscribe(&state.db.pool, &token, now()).await {
        Ok(true) if body.trim() == "List-Unsubscribe=One-Click" => (StatusCode::OK, "You will not get these emails any more.").into_response(),
        Ok(true) => Redirect::to(&format!("{PREFIX}{}?done=1", token.trim())).into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "This unsubscribe link is not known. It may be mistyped.").into_response(),
        Err(e) => {
            tracing::error!(%e, "could not record an unsubscribe");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, something went wrong on our side. Try again in a few minutes.").into_response()
        }
    }
}
