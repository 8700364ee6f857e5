//! Data protection: files, requests, erasure, audit, retention and consent.

mod consents;
mod residents;
mod retention;
pub use consents::*;
pub use residents::*;
pub use retention::*;

use crate::domain::calendar::{civil_from_days, uk_date, uk_day};
use crate::domain::privacy::{AuditAction, RequestKind};
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::{auth, now, repo::privacy as repo, repo::users::UserRow, state::AppState};
use crate::types::privacy::*;

pub fn day_text(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn summary(r: repo::ResidentRow) -> ResidentSummary {
    ResidentSummary {
        id: r.id,
        name: r.name,
        contact: r.contact,
        recorded_on: uk_date(r.created_at),
        last_seen_on: r.last_seen.map(uk_date),
        erased_on: r.erased_at.map(uk_date),
    }
}

pub fn request_view(r: repo::RequestRow, today: &str) -> RequestView {
    let kind = RequestKind::parse(&r.kind);
    RequestView {
        kind_label: kind.map_or(r.kind.clone(), |k| crate::language::names::HasName::name(k, crate::language::page_locale()).to_string()),
        open: r.status == "open",
        overdue: r.status == "open" && r.due_on.as_str() < today,
        id: r.id,
        resident_id: r.resident_id,
        kind: r.kind,
        received_on: r.received_on,
        due_on: r.due_on,
    }
}

/// An admin of the caller's organisation: only admins handle residents' data rights.
pub fn admin(caller: &Caller) -> Result<(&UserRow, &AppState), AppError> {
    Ok((caller.require(|r| r.can_handle_data_protection())?, &caller.state))
}

/// Writes an audit entry for `user`, from the caller's address.
pub async fn audit(state: &AppState, user: &UserRow, action: AuditAction, resident_id: Option<&str>, detail: &str) -> Result<(), AppError> {
    let mut conn = state.db.acquire().await?;
    let address = auth::client_address(state);
    repo::audit(
        &mut conn,
        crate::server::repo::privacy::AuditEntry {
            organisation_id: &user.organisation_id,
            actor: Some(&user.id),
            action,
            resident_id,
            detail,
            address: &address,
            at: now(),
        },
    )
    .await
    .map_err(AppError::from)
}

/// Everything held about a resident of `user`'s organisation, for viewing or export.
pub async fn file(state: &AppState, user: &UserRow, resident_id: &str) -> Result<ResidentFile, AppError> {
    let row = repo::resident(&state.db, &user.organisation_id, resident_id).await?.ok_or(AppError::NotFound)?;
    let members = {
        let mut conn = state.db.acquire().await?;
        crate::server::repo::people::members(&mut conn, &user.organisation_id, resident_id).await?
    };
    let same_person = members
        .into_iter()
        .map(|m| crate::types::people::PersonRecord {
            id: m.id,
            name: m.name,
            contact: m.contact,
            account: m.user_id.is_some(),
            linked_on: m.linked_at.map(uk_date),
        })
        .collect();
    let tables = repo::subject_access(&state.db, &user.organisation_id, resident_id).await?.ok_or(AppError::NotFound)?;
    let today = day_text(uk_day(now()));
    let requests =
        repo::requests(&state.db, &user.organisation_id, Some(resident_id)).await?.into_iter().map(|r| request_view(r, &today)).collect();
    Ok(ResidentFile { resident: summary(row), same_person, tables, requests, today })
}
