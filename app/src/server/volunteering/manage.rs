//! What groups do: post and edit opportunities, open and close them, answer the interest.

use crate::domain::volunteering::{InterestStatus, OpportunityStatus};
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::Db;
use crate::types::volunteering::*;

/// `form` checked against the rules and the lists of `network`.
pub(super) async fn checked_opportunity(
    db: &Db,
    network: &str,
    form: &crate::domain::volunteering::OpportunityForm,
) -> Result<crate::domain::volunteering::CheckedOpportunity, AppError> {
    use crate::server::repo;
    let known_areas = repo::volunteering::named(db, "areas", network).await?;
    let known_interests = repo::volunteering::named(db, "interests", network).await?;
    form.check(|i| known_interests.iter().any(|n| n.id == i), |a| known_areas.iter().any(|n| n.id == a), &crate::server::uk_today())
        .map_err(AppError::Invalid)
}

/// The organiser's opportunities and the lists to describe a new one.
pub async fn manage_opportunities(caller: &Caller) -> Result<ManageList, AppError> {
    use crate::domain::volunteering::CHASE_AFTER_DAYS;
    use crate::server::{now, repo};
    let organiser = crate::server::volunteering::organiser(caller)?;
    let state = &caller.state;
    let db = &state.db;
    let network = repo::volunteering::network_of(db, &organiser.organisation_id).await?;
    let rows = repo::volunteering::opportunities_of(db, &organiser.organisation_id, now() - CHASE_AFTER_DAYS * 86_400).await?;
    Ok(ManageList {
        opportunities: rows
            .into_iter()
            .map(|r| OwnOpportunity {
                status: r.status,
                id: r.id,
                title: r.title,
                new_interest: r.interests_new,
                all_interest: r.interests_total,
                waiting: r.interests_waiting,
            })
            .collect(),
        areas: repo::volunteering::named(db, "areas", &network).await?,
        interests: repo::volunteering::named(db, "interests", &network).await?,
        is_group: organiser.role() == Some(crate::domain::Role::GroupOrganiser),
    })
}

/// Posts an opportunity: as a draft, or open straight away (`publish` = "yes").
pub async fn create_opportunity(
    caller: &Caller,
    form: crate::domain::volunteering::OpportunityForm,
    publish: Option<String>,
) -> Result<String, AppError> {
    use crate::server::{now, repo};
    let organiser = crate::server::volunteering::organiser(caller)?;
    let state = &caller.state;
    let db = &state.db;
    let network = repo::volunteering::network_of(db, &organiser.organisation_id).await?;
    let checked = checked_opportunity(db, &network, &form).await?;
    let status = if publish.as_deref() == Some("yes") { OpportunityStatus::Open } else { OpportunityStatus::Draft };
    let id =
        repo::volunteering::insert_opportunity(db, &organiser.organisation_id, &network, &checked, status, &organiser.id, now()).await?;
    leptos_axum::redirect(&format!("/manage/opportunities/{id}"));
    Ok(id)
}

/// Changes an opportunity's details; its status and inbox stay.
pub async fn update_opportunity(
    caller: &Caller,
    opportunity_id: String,
    form: crate::domain::volunteering::OpportunityForm,
) -> Result<(), AppError> {
    use crate::server::{now, repo};
    let organiser = crate::server::volunteering::organiser(caller)?;
    let state = &caller.state;
    let db = &state.db;
    let row = crate::server::volunteering::own(db, &opportunity_id, &organiser.organisation_id).await?;
    let checked = checked_opportunity(db, &row.network_id, &form).await?;
    if !repo::volunteering::update_opportunity(db, &organiser.organisation_id, &opportunity_id, &checked, now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Opens, fills, closes (or returns to draft) one of the group's opportunities.
pub async fn set_opportunity_status(caller: &Caller, opportunity_id: String, status: Option<String>) -> Result<(), AppError> {
    use crate::server::{now, repo};
    let organiser = crate::server::volunteering::organiser(caller)?;
    let state = &caller.state;
    let db = &state.db;
    let status = status.as_deref().and_then(OpportunityStatus::parse).ok_or_else(|| AppError::invalid("status", Msg::ChooseStatus))?;
    crate::server::volunteering::own(db, &opportunity_id, &organiser.organisation_id).await?;
    repo::volunteering::set_opportunity_status(db, &organiser.organisation_id, &opportunity_id, status, now()).await?;
    Ok(())
}

/// The interest in one of the group's opportunities, and residents who agreed to be suggested
/// and fit it, best first with the reason.
pub async fn opportunity_inbox(caller: &Caller, opportunity_id: String) -> Result<Inbox, AppError> {
    use crate::domain::calendar::uk_date;
    use crate::domain::matching::assess;
    use crate::domain::volunteering::waiting_days;
    use crate::server::{now, repo};
    let organiser = crate::server::volunteering::organiser(caller)?;
    let state = &caller.state;
    let db = &state.db;
    let row = crate::server::volunteering::own(db, &opportunity_id, &organiser.organisation_id).await?;
    let t = now();
    let rows = repo::volunteering::inbox(db, &organiser.organisation_id, &opportunity_id).await?;
    let already: Vec<String> = rows.iter().map(|r| r.person.clone()).collect();
    let entries = rows
        .into_iter()
        .map(|r| {
            let status = r.status;
            let shared = r.share_contact == 1;
            InboxEntry {
                id: r.id,
                status,
                name: shared.then_some(r.name),
                contact: shared.then_some(r.contact),
                message: r.message,
                received_on: uk_date(r.created_at),
                waiting_days: waiting_days(status, r.created_at, t),
                at_the_door: r.at_the_door == 1,
            }
        })
        .collect();
    let opportunity = row.for_matching();
    let mut suggestions: Vec<(u32, Suggestion)> = repo::volunteering::suggestable_profiles(db, &row.network_id)
        .await?
        .into_iter()
        .filter(|p| !already.contains(&p.person))
        .filter_map(|p| {
            let m = assess(&p.for_matching(), &opportunity).ok()?;
            Some((
                m.score,
                Suggestion {
                    name: p.name,
                    contact: p.contact,
                    reason: crate::language::matching::reason(crate::language::page_locale(), &m, crate::language::matching::Reader::Group),
                },
            ))
        })
        .collect();
    suggestions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    Ok(Inbox { entries, suggestions: suggestions.into_iter().take(MATCHES_SHOWN).map(|(_, s)| s).collect() })
}

/// Moves an expression of interest on: contacted, placed or declined (or back to new).
pub async fn set_interest_status(caller: &Caller, interest_id: String, status: Option<String>) -> Result<(), AppError> {
    use crate::server::{now, repo};
    let organiser = crate::server::volunteering::organiser(caller)?;
    let state = &caller.state;
    let status = status.as_deref().and_then(InterestStatus::parse).ok_or_else(|| AppError::invalid("status", Msg::ChooseStatus))?;
    if !repo::volunteering::set_interest_status(&state.db, &organiser.organisation_id, &interest_id, status, now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
