//! Volunteering: what residents browse and say, and what groups post and answer.

mod manage;
mod resident;
pub use manage::*;
pub use resident::*;

use crate::domain::calendar::uk_date;
use crate::domain::matching::Week;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::repo::users::UserRow;
use crate::server::repo::volunteering::{from_json, OpportunityRow};
use crate::server::Db;
use crate::types::volunteering::*;
use crate::types::*;
use std::collections::HashMap;

/// An admin or group organiser, whose organisation's opportunities they manage.
pub fn organiser(caller: &Caller) -> Result<&UserRow, AppError> {
    caller.require(|r| r.can_manage_opportunities())
}

/// Names for ids, from the lists of every network the rows come from.
pub struct Names(HashMap<String, String>);

impl Names {
    pub async fn of(db: &Db, networks: impl IntoIterator<Item = String>) -> Result<(Names, Vec<Named>, Vec<Named>), AppError> {
        use crate::server::repo::volunteering::named;
        let mut seen: Vec<String> = networks.into_iter().collect();
        seen.sort();
        seen.dedup();
        let (mut areas, mut interests) = (Vec::new(), Vec::new());
        for n in &seen {
            areas.extend(named(db, "areas", n).await?);
            interests.extend(named(db, "interests", n).await?);
        }
        let map = areas.iter().chain(interests.iter()).map(|n| (n.id.clone(), n.name.clone())).collect();
        Ok((Names(map), areas, interests))
    }

    pub fn of_ids(&self, ids: &[String]) -> Vec<String> {
        ids.iter().filter_map(|id| self.0.get(id).cloned()).collect()
    }
}

/// A one-off's day; `None` for a regular opportunity.
pub fn one_off_on(row: &OpportunityRow) -> Option<&str> {
    row.on_date.as_deref().filter(|_| row.regular == 0)
}

/// When it happens, in the page's language.
pub fn when(row: &OpportunityRow) -> String {
    crate::language::matching::when(crate::language::page_locale(), one_off_on(row), Week(row.times as u32))
}

/// Why it fits, told to the resident in the page's language.
pub fn reason(m: &crate::domain::matching::Match) -> String {
    crate::language::matching::reason(crate::language::page_locale(), m, crate::language::matching::Reader::Resident)
}

/// The first 200 characters, for a list.
fn summary(text: &str) -> String {
    let mut summary: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        summary.push('…');
    }
    summary
}

pub fn card(row: &OpportunityRow, names: &Names, reason: Option<String>) -> OpportunityCard {
    OpportunityCard {
        id: row.id.clone(),
        title: row.title.clone(),
        title_cy: row.title_cy.clone(),
        organisation_name: row.organisation_name.clone(),
        summary: summary(&row.description),
        summary_cy: summary(&row.description_cy),
        place: row.place.clone(),
        areas: names.of_ids(&from_json(&row.areas)),
        interests: names.of_ids(&from_json(&row.interests)),
        when: when(row),
        status: row.status,
        reason,
    }
}

pub fn mine(r: crate::server::repo::volunteering::MyInterestRow) -> MyInterest {
    MyInterest {
        opportunity_id: r.opportunity_id,
        title: r.title,
        title_cy: r.title_cy,
        organisation_name: r.organisation_name,
        status: r.status,
        share_contact: r.share_contact == 1,
        sent_on: uk_date(r.created_at),
    }
}

/// The opportunity as `organisation_id` may manage it.
pub async fn own(db: &Db, id: &str, organisation_id: &str) -> Result<OpportunityRow, AppError> {
    let row = crate::server::repo::volunteering::find_opportunity(db, id).await?.ok_or(AppError::NotFound)?;
    if row.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Session key: a refused profile form as it was sent, shown again once so nothing typed is
/// lost when the page reloads without JavaScript.
const PROFILE_DRAFT: &str = "volunteer_profile_draft";
