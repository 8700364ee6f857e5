//! Consultations: residents answer and see what was done; staff run them.

mod manage;
mod resident;
pub use manage::*;
pub use resident::*;

use crate::domain::consultation::Stage;
use crate::error::AppError;
use crate::server::repo::consultations as repo;
use crate::server::Db;
use crate::types::consultations::*;

pub fn today() -> String {
    crate::server::uk_today()
}

pub async fn cards(db: &Db, rows: Vec<repo::ConsultationRow>) -> Result<Vec<ConsultationCard>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut areas = repo::tags(db, "areas", &ids).await?;
    let mut themes = repo::tags(db, "themes", &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| ConsultationCard {
            stage: r.stage,
            areas: areas.remove(&r.id).unwrap_or_default(),
            themes: themes.remove(&r.id).unwrap_or_default(),
            id: r.id,
            title: r.title,
            summary: r.summary,
            title_cy: r.title_cy,
            summary_cy: r.summary_cy,
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            organisation_name: r.organisation_name,
        })
        .collect())
}

/// The consultation, if `user` may see it: published ones are public, drafts only for the
/// admins of its organisation.
pub async fn visible(
    db: &Db,
    id: &str,
    user: Option<&crate::server::repo::users::UserRow>,
) -> Result<(repo::ConsultationRow, bool), AppError> {
    let row = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    let can_manage = user.is_some_and(|u| u.organisation_id == row.organisation_id && u.can_manage_consultations());
    if row.stage == Stage::Draft && !can_manage {
        return Err(AppError::NotFound);
    }
    Ok((row, can_manage))
}

/// An admin's own organisation's consultation, or not found.
pub async fn managed(db: &Db, id: &str, user: &crate::server::repo::users::UserRow) -> Result<repo::ConsultationRow, AppError> {
    match repo::find(db, id).await? {
        Some(row) if row.organisation_id == user.organisation_id => Ok(row),
        _ => Err(AppError::NotFound),
    }
}
