//! Volunteering: what residents browse and say, and what groups post and answer.

use crate::domain::matching::AgeBand;
use crate::domain::volunteering::{InterestStatus, OpportunityStatus};
use crate::error::AppError;
use crate::types::volunteering::*;
use crate::types::*;

use crate::domain::calendar::uk_date;
use crate::domain::matching::Week;
use crate::server::repo::users::UserRow;
use crate::server::repo::volunteering::{from_json, OpportunityRow};
use std::collections::HashMap;

/// An admin or group organiser, whose organisation's opportunities they manage.
pub async fn organiser() -> Result<UserRow, AppError> {
    crate::server::auth::require(|r| r.can_manage_opportunities()).await
}

/// Names for ids, from the lists of every network the rows come from.
pub struct Names(HashMap<String, String>);

impl Names {
    pub async fn of(pool: &sqlx::AnyPool, networks: impl IntoIterator<Item = String>) -> Result<(Names, Vec<Named>, Vec<Named>), AppError> {
        use crate::server::repo::volunteering::named;
        let mut seen: Vec<String> = networks.into_iter().collect();
        seen.sort();
        seen.dedup();
        let (mut areas, mut interests) = (Vec::new(), Vec::new());
        for n in &seen {
            areas.extend(named(pool, "areas", n).await?);
            interests.extend(named(pool, "interests", n).await?);
        }
        let map = areas.iter().chain(interests.iter()).map(|n| (n.id.clone(), n.name.clone())).collect();
        Ok((Names(map), areas, interests))
    }

    pub fn of_ids(&self, ids: &[String]) -> Vec<String> {
        ids.iter().filter_map(|id| self.0.get(id).cloned()).collect()
    }
}

pub fn every_time(w: Week) -> Vec<String> {
    use crate::domain::matching::{DAYS, PARTS};
    w.slots().map(|(d, p)| format!("{} {}", DAYS[d], PARTS[p])).collect()
}

pub fn when(row: &OpportunityRow) -> String {
    let w = Week(row.times as u32);
    match (&row.on_date, row.regular == 1) {
        (Some(d), false) => format!("One-off: {}", crate::domain::calendar::long_date(d)),
        _ if w.is_empty() => "Any time that suits you".to_string(),
        _ => w.describe(),
    }
}

pub fn card(row: &OpportunityRow, names: &Names, reason: Option<String>) -> OpportunityCard {
    let mut summary: String = row.description.chars().take(200).collect();
    if row.description.chars().count() > 200 {
        summary.push('…');
    }
    OpportunityCard {
        id: row.id.clone(),
        title: row.title.clone(),
        organisation_name: row.organisation_name.clone(),
        summary,
        place: row.place.clone(),
        areas: names.of_ids(&from_json(&row.areas)),
        interests: names.of_ids(&from_json(&row.interests)),
        when: when(row),
        status: row.status(),
        reason,
    }
}

pub fn mine(r: crate::server::repo::volunteering::MyInterestRow) -> MyInterest {
    MyInterest {
        opportunity_id: r.opportunity_id,
        title: r.title,
        organisation_name: r.organisation_name,
        status: InterestStatus::parse(&r.status).unwrap_or(InterestStatus::New),
        share_contact: r.share_contact == 1,
        sent_on: uk_date(r.created_at),
    }
}

/// The opportunity as `organisation_id` may manage it.
pub async fn own(pool: &sqlx::AnyPool, id: &str, organisation_id: &str) -> Result<OpportunityRow, AppError> {
    let row = crate::server::repo::volunteering::find_opportunity(pool, id).await?.ok_or(AppError::NotFound)?;
    if row.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// Session key: a refused profile form as it was sent, shown again once so nothing typed is
/// lost when the page reloads without JavaScript.
const PROFILE_DRAFT: &str = "volunteer_profile_draft";
#[allow(clippy::too_many_arguments)]
async fn checked_opportunity(
    pool: &sqlx::AnyPool,
    network: &str,
    title: String,
    description: String,
    interests: Option<Vec<String>>,
    skills: String,
    areas: Option<Vec<String>>,
    place: String,
    frequency: Option<String>,
    on_date: String,
    times: Option<Vec<String>>,
    hours_per_week: String,
    minimum_age: String,
    dbs_required: Option<String>,
    capacity: String,
    accessibility: String,
    contact: String,
) -> Result<crate::domain::volunteering::CheckedOpportunity, AppError> {
    use crate::domain::volunteering::OpportunityForm;
    use crate::server::repo;
    let known_areas = repo::volunteering::named(pool, "areas", network).await?;
    let known_interests = repo::volunteering::named(pool, "interests", network).await?;
    let form = OpportunityForm {
        title,
        description,
        interests: interests.unwrap_or_default(),
        skills,
        areas: areas.unwrap_or_default(),
        place,
        frequency: frequency.unwrap_or_default(),
        on_date,
        times: times.unwrap_or_default(),
        hours_per_week,
        minimum_age,
        dbs_required: dbs_required.as_deref() == Some("yes"),
        capacity,
        accessibility,
        contact,
    };
    form.check(|i| known_interests.iter().any(|n| n.id == i), |a| known_areas.iter().any(|n| n.id == a), &crate::server::uk_today())
        .map_err(AppError::Invalid)
}

/// Open opportunities to browse, filtered by area and interest. A resident with a profile gets
/// their matches, best first with the reason, unless they ask for `all`.
pub async fn list_opportunities(area: Option<String>, interest: Option<String>, all: Option<String>) -> Result<OpportunityList, AppError> {
    use crate::domain::matching::assess;
    use crate::server::{auth, repo};
    let state = auth::state()?;
    let pool = &state.db.pool;
    let user = auth::current_user().await?;
    let network = match &user {
        Some(u) => Some(repo::volunteering::network_of(pool, &u.organisation_id).await?),
        None => None,
    };
    let profile = match &user {
        Some(u) if u.role() == Some(crate::domain::Role::Resident) => repo::volunteering::profile_of_user(pool, &u.id).await?,
        _ => None,
    };
    let rows = repo::volunteering::open_opportunities(pool, network.as_deref(), &crate::server::uk_today()).await?;
    let (names, areas, interests) =
        crate::server::volunteering::Names::of(pool, rows.iter().map(|r| r.network_id.clone()).chain(network.clone())).await?;
    let wanted = |r: &repo::volunteering::OpportunityRow| {
        let has = |json: &str, id: &Option<String>| id.as_ref().is_none_or(|id| repo::volunteering::from_json(json).contains(id));
        // One that can be done from anywhere suits every area.
        let anywhere = repo::volunteering::from_json(&r.areas).is_empty();
        (anywhere || has(&r.areas, &area)) && has(&r.interests, &interest)
    };
    let rows: Vec<_> = rows.into_iter().filter(wanted).collect();
    let ranked = profile.is_some() && all.is_none();
    let items = match (&profile, ranked) {
        (Some(p), true) => {
            let profile = p.for_matching();
            let candidates: Vec<_> = rows.iter().map(|r| r.for_matching()).collect();
            let by_id: std::collections::HashMap<&str, &repo::volunteering::OpportunityRow> =
                rows.iter().map(|r| (r.id.as_str(), r)).collect();
            crate::domain::matching::rank(&profile, &candidates, MATCHES_SHOWN)
                .into_iter()
                .filter_map(|m| by_id.get(m.id.as_str()).map(|r| crate::server::volunteering::card(r, &names, Some(m.reason()))))
                .collect()
        }
        (Some(p), false) => {
            let profile = p.for_matching();
            rows.iter()
                .map(|r| crate::server::volunteering::card(r, &names, assess(&profile, &r.for_matching()).ok().map(|m| m.reason())))
                .collect()
        }
        _ => rows.iter().map(|r| crate::server::volunteering::card(r, &names, None)).collect(),
    };
    Ok(OpportunityList { items, areas, interests, has_profile: profile.is_some(), ranked })
}

/// One opportunity. A draft only for its own group.
pub async fn get_opportunity(opportunity_id: String) -> Result<OpportunityView, AppError> {
    use crate::domain::matching::{assess, Week};
    use crate::domain::Role;
    use crate::server::repo::volunteering::from_json;
    use crate::server::{auth, repo};
    let state = auth::state()?;
    let pool = &state.db.pool;
    let user = auth::privileged_user().await?;
    let row = repo::volunteering::find_opportunity(pool, &opportunity_id).await?.ok_or(AppError::NotFound)?;
    let can_manage =
        user.as_ref().is_some_and(|u| u.organisation_id == row.organisation_id && u.role().is_some_and(Role::can_manage_opportunities));
    if !row.status().is_public() && !can_manage {
        return Err(AppError::NotFound);
    }
    let resident = user.as_ref().is_some_and(|u| u.role() == Some(Role::Resident));
    let open = row.takes_volunteers(&crate::server::uk_today());
    let (mine, reason) = match (&user, resident) {
        (Some(u), true) => {
            let mine = repo::volunteering::interests_of_user(pool, &u.id)
                .await?
                .into_iter()
                .find(|i| i.opportunity_id == row.id)
                .map(crate::server::volunteering::mine);
            let profile = repo::volunteering::profile_of_user(pool, &u.id).await?;
            (mine, profile.and_then(|p| assess(&p.for_matching(), &row.for_matching()).ok()).map(|m| m.reason()))
        }
        _ => (None, None),
    };
    let (names, _, _) = crate::server::volunteering::Names::of(pool, [row.network_id.clone()]).await?;
    let week = Week(row.times as u32);
    let skills = from_json(&row.skills);
    Ok(OpportunityView {
        card: crate::server::volunteering::card(&row, &names, reason),
        description: row.description.clone(),
        skills_text: skills.join(", "),
        skills,
        regular: row.regular == 1,
        on_date: row.on_date.clone(),
        times: crate::server::volunteering::every_time(week),
        hours_per_week: row.hours_per_week,
        minimum_age: row.minimum_age,
        dbs_required: row.dbs_required == 1,
        capacity: row.capacity,
        accessibility: row.accessibility.clone(),
        contact: row.contact.clone(),
        resident,
        signed_in: user.is_some(),
        takes_volunteers: open,
        mine,
        can_manage,
        interest_ids: from_json(&row.interests),
        area_ids: from_json(&row.areas),
        slots: week.slots().map(|(d, p)| format!("{d}-{p}")).collect(),
    })
}

/// A signed-in resident says they are interested. `share_contact` ("yes") lets the group see
/// their name and e-mail address. Saying it twice changes nothing.
pub async fn express_interest(opportunity_id: String, share_contact: Option<String>, message: String) -> Result<bool, AppError> {
    use crate::domain::volunteering::MAX_MESSAGE_LEN;
    use crate::domain::Role;
    use crate::server::{auth, now, repo};
    let user = auth::require(|r| r == Role::Resident).await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let row = repo::volunteering::find_opportunity(pool, &opportunity_id).await?.ok_or(AppError::NotFound)?;
    match row.status() {
        OpportunityStatus::Draft => return Err(AppError::NotFound),
        _ if row.takes_volunteers(&crate::server::uk_today()) => {}
        _ => return Err(AppError::Conflict("This opportunity is not taking volunteers now.".into())),
    }
    if message.trim().chars().count() > MAX_MESSAGE_LEN {
        return Err(AppError::invalid("message", format!("Your message must be {MAX_MESSAGE_LEN} characters or fewer")));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let new = repo::volunteering::NewInterest {
        id: &id,
        opportunity_id: &row.id,
        organisation_id: &row.organisation_id,
        user_id: Some(&user.id),
        resident_id: None,
        share_contact: share_contact.as_deref() == Some("yes"),
        message: message.trim(),
        recorded_by: Some(&user.id),
    };
    // Door records linked to this account count the interest in the funnel: their days'
    // figures are rebuilt (the counts lock comes before the write).
    let mut tx = state.db.begin_write().await?;
    crate::server::repo::intelligence::after_account_changed(&mut tx, state.db.backend, &user.id).await?;
    let stored = repo::volunteering::insert_interest(&mut *tx, &new, now()).await?;
    tx.commit().await?;
    Ok(stored)
}

/// The signed-in resident's expressions of interest and where each has got to.
pub async fn my_interests() -> Result<Vec<MyInterest>, AppError> {
    use crate::domain::Role;
    use crate::server::{auth, repo};
    let user = auth::require(|r| r == Role::Resident).await?;
    let state = auth::state()?;
    Ok(repo::volunteering::interests_of_user(&state.db.pool, &user.id).await?.into_iter().map(crate::server::volunteering::mine).collect())
}

/// The signed-in resident's profile (empty when they have none yet) and the choices.
pub async fn get_profile() -> Result<ProfileView, AppError> {
    use crate::domain::Role;
    use crate::server::repo::volunteering::from_json;
    use crate::server::{auth, repo};
    let user = auth::require(|r| r == Role::Resident).await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let network = repo::volunteering::network_of(pool, &user.organisation_id).await?;
    let area_choices = repo::volunteering::named(pool, "areas", &network).await?;
    let interest_choices = repo::volunteering::named(pool, "interests", &network).await?;
    let mut view = ProfileView { area_choices, interest_choices, ..Default::default() };
    let session = auth::session().await?;
    let draft: Option<crate::domain::volunteering::ProfileForm> =
        session.remove(PROFILE_DRAFT).await.map_err(|e| auth::internal("session read", e))?;
    if let Some(d) = draft {
        view.exists = true;
        view.interests = d.interests;
        view.skills = d.skills;
        view.areas = d.areas;
        view.slots = d.times;
        view.age_band = AgeBand::parse(&d.age_band);
        view.has_dbs = d.has_dbs;
        view.open_to_suggestions = d.open_to_suggestions;
        return Ok(view);
    }
    let (found, prefilled) = match repo::volunteering::profile_of_user(pool, &user.id).await? {
        Some(p) => (Some(p), false),
        None => (repo::volunteering::door_profile_for(pool, &network, &user.email).await?, true),
    };
    if let Some(p) = found {
        let week = crate::domain::matching::Week(p.availability as u32);
        view.exists = !prefilled;
        view.prefilled = prefilled;
        view.interests = from_json(&p.interests);
        view.skills = from_json(&p.skills).join(", ");
        view.areas = from_json(&p.areas);
        view.slots = week.slots().map(|(d, p)| format!("{d}-{p}")).collect();
        view.age_band = AgeBand::parse(&p.age_band);
        view.has_dbs = p.has_dbs == 1;
        // Being suggested to groups is the resident's own choice to make here.
        view.open_to_suggestions = !prefilled && p.open_to_suggestions == 1;
    }
    Ok(view)
}

/// Saves the signed-in resident's profile and takes them to their matches.
pub async fn save_profile(
    interests: Option<Vec<String>>,
    skills: String,
    areas: Option<Vec<String>>,
    times: Option<Vec<String>>,
    age_band: Option<String>,
    has_dbs: Option<String>,
    open_to_suggestions: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::volunteering::ProfileForm;
    use crate::domain::Role;
    use crate::server::{auth, now, repo};
    let user = auth::require(|r| r == Role::Resident).await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let network = repo::volunteering::network_of(pool, &user.organisation_id).await?;
    let known_areas = repo::volunteering::named(pool, "areas", &network).await?;
    let known_interests = repo::volunteering::named(pool, "interests", &network).await?;
    let form = ProfileForm {
        interests: interests.unwrap_or_default(),
        skills,
        areas: areas.unwrap_or_default(),
        times: times.unwrap_or_default(),
        age_band: age_band.unwrap_or_default(),
        has_dbs: has_dbs.as_deref() == Some("yes"),
        open_to_suggestions: open_to_suggestions.as_deref() == Some("yes"),
    };
    let checked = match form.check(|i| known_interests.iter().any(|n| n.id == i), |a| known_areas.iter().any(|n| n.id == a)) {
        Ok(c) => c,
        Err(errors) => {
            auth::session().await?.insert(PROFILE_DRAFT, &form).await.map_err(|e| auth::internal("session write", e))?;
            return Err(AppError::Invalid(errors));
        }
    };
    repo::volunteering::save_profile(pool, &network, ("user_id", &user.id), &checked, now()).await?;
    let _: Option<ProfileForm> = auth::session().await?.remove(PROFILE_DRAFT).await.map_err(|e| auth::internal("session write", e))?;
    leptos_axum::redirect("/volunteer?saved=1");
    Ok(())
}

/// The organiser's opportunities and the lists to describe a new one.
pub async fn manage_opportunities() -> Result<ManageList, AppError> {
    use crate::domain::volunteering::CHASE_AFTER_DAYS;
    use crate::server::{auth, now, repo};
    let organiser = crate::server::volunteering::organiser().await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let network = repo::volunteering::network_of(pool, &organiser.organisation_id).await?;
    let rows = repo::volunteering::opportunities_of(pool, &organiser.organisation_id, now() - CHASE_AFTER_DAYS * 86_400).await?;
    Ok(ManageList {
        opportunities: rows
            .into_iter()
            .map(|r| OwnOpportunity {
                status: OpportunityStatus::parse(&r.status).unwrap_or(OpportunityStatus::Closed),
                id: r.id,
                title: r.title,
                new_interest: r.interests_new,
                all_interest: r.interests_total,
                waiting: r.interests_waiting,
            })
            .collect(),
        areas: repo::volunteering::named(pool, "areas", &network).await?,
        interests: repo::volunteering::named(pool, "interests", &network).await?,
        is_group: organiser.role() == Some(crate::domain::Role::GroupOrganiser),
    })
}

/// Posts an opportunity: as a draft, or open straight away (`publish` = "yes").
#[allow(clippy::too_many_arguments)]
pub async fn create_opportunity(
    title: String,
    description: String,
    interests: Option<Vec<String>>,
    skills: String,
    areas: Option<Vec<String>>,
    place: String,
    frequency: Option<String>,
    on_date: String,
    times: Option<Vec<String>>,
    hours_per_week: String,
    minimum_age: String,
    dbs_required: Option<String>,
    capacity: String,
    accessibility: String,
    contact: String,
    publish: Option<String>,
) -> Result<String, AppError> {
    use crate::server::{auth, now, repo};
    let organiser = crate::server::volunteering::organiser().await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let network = repo::volunteering::network_of(pool, &organiser.organisation_id).await?;
    let checked = checked_opportunity(
        pool,
        &network,
        title,
        description,
        interests,
        skills,
        areas,
        place,
        frequency,
        on_date,
        times,
        hours_per_week,
        minimum_age,
        dbs_required,
        capacity,
        accessibility,
        contact,
    )
    .await?;
    let status = if publish.as_deref() == Some("yes") { OpportunityStatus::Open } else { OpportunityStatus::Draft };
    let id =
        repo::volunteering::insert_opportunity(pool, &organiser.organisation_id, &network, &checked, status, &organiser.id, now()).await?;
    leptos_axum::redirect(&format!("/manage/opportunities/{id}"));
    Ok(id)
}

/// Changes an opportunity's details; its status and inbox stay.
#[allow(clippy::too_many_arguments)]
pub async fn update_opportunity(
    opportunity_id: String,
    title: String,
    description: String,
    interests: Option<Vec<String>>,
    skills: String,
    areas: Option<Vec<String>>,
    place: String,
    frequency: Option<String>,
    on_date: String,
    times: Option<Vec<String>>,
    hours_per_week: String,
    minimum_age: String,
    dbs_required: Option<String>,
    capacity: String,
    accessibility: String,
    contact: String,
) -> Result<(), AppError> {
    use crate::server::{auth, now, repo};
    let organiser = crate::server::volunteering::organiser().await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let row = crate::server::volunteering::own(pool, &opportunity_id, &organiser.organisation_id).await?;
    let checked = checked_opportunity(
        pool,
        &row.network_id,
        title,
        description,
        interests,
        skills,
        areas,
        place,
        frequency,
        on_date,
        times,
        hours_per_week,
        minimum_age,
        dbs_required,
        capacity,
        accessibility,
        contact,
    )
    .await?;
    if !repo::volunteering::update_opportunity(pool, &organiser.organisation_id, &opportunity_id, &checked, now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Opens, fills, closes (or returns to draft) one of the group's opportunities.
pub async fn set_opportunity_status(opportunity_id: String, status: Option<String>) -> Result<(), AppError> {
    use crate::server::{auth, now, repo};
    let organiser = crate::server::volunteering::organiser().await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let status = status.as_deref().and_then(OpportunityStatus::parse).ok_or_else(|| AppError::invalid("status", "Choose a status"))?;
    crate::server::volunteering::own(pool, &opportunity_id, &organiser.organisation_id).await?;
    repo::volunteering::set_opportunity_status(pool, &organiser.organisation_id, &opportunity_id, status, now()).await?;
    Ok(())
}

/// The interest in one of the group's opportunities, and residents who agreed to be suggested
/// and fit it, best first with the reason.
pub async fn opportunity_inbox(opportunity_id: String) -> Result<Inbox, AppError> {
    use crate::domain::calendar::uk_date;
    use crate::domain::matching::assess;
    use crate::domain::volunteering::waiting_days;
    use crate::server::{auth, now, repo};
    let organiser = crate::server::volunteering::organiser().await?;
    let state = auth::state()?;
    let pool = &state.db.pool;
    let row = crate::server::volunteering::own(pool, &opportunity_id, &organiser.organisation_id).await?;
    let t = now();
    let rows = repo::volunteering::inbox(pool, &organiser.organisation_id, &opportunity_id).await?;
    let already: Vec<String> = rows.iter().map(|r| r.person.clone()).collect();
    let entries = rows
        .into_iter()
        .map(|r| {
            let status = InterestStatus::parse(&r.status).unwrap_or(InterestStatus::New);
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
    let mut suggestions: Vec<(u32, Suggestion)> = repo::volunteering::suggestable_profiles(pool, &row.network_id)
        .await?
        .into_iter()
        .filter(|p| !already.contains(&p.person))
        .filter_map(|p| {
            let m = assess(&p.for_matching(), &opportunity).ok()?;
            Some((m.score, Suggestion { name: p.name, contact: p.contact, reason: m.reason_about_them() }))
        })
        .collect();
    suggestions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    Ok(Inbox { entries, suggestions: suggestions.into_iter().take(MATCHES_SHOWN).map(|(_, s)| s).collect() })
}

/// Moves an expression of interest on: contacted, placed or declined (or back to new).
pub async fn set_interest_status(interest_id: String, status: Option<String>) -> Result<(), AppError> {
    use crate::server::{auth, now, repo};
    let organiser = crate::server::volunteering::organiser().await?;
    let state = auth::state()?;
    let status = status.as_deref().and_then(InterestStatus::parse).ok_or_else(|| AppError::invalid("status", "Choose a status"))?;
    if !repo::volunteering::set_interest_status(&state.db, &organiser.organisation_id, &interest_id, status, now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
