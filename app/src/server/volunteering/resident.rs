//! What residents do: browse and match opportunities, say they are interested, keep a profile.

use super::*;
use crate::domain::matching::AgeBand;
use crate::domain::volunteering::OpportunityStatus;
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::volunteering::*;

/// Open opportunities to browse, filtered by area and interest. A resident with a profile gets
/// their matches, best first with the reason, unless they ask for `all`.
pub async fn list_opportunities(
    caller: &Caller,
    area: Option<String>,
    interest: Option<String>,
    all: Option<String>,
) -> Result<OpportunityList, AppError> {
    use crate::domain::matching::assess;
    use crate::server::repo;
    let state = &caller.state;
    let db = &state.db;
    let user = caller.signed_in().cloned();
    let network = match &user {
        Some(u) => Some(repo::volunteering::network_of(db, &u.organisation_id).await?),
        None => None,
    };
    let profile = match &user {
        Some(u) if u.role() == Some(crate::domain::Role::Resident) => repo::volunteering::profile_of_user(db, &u.id).await?,
        _ => None,
    };
    let rows = repo::volunteering::open_opportunities(db, network.as_deref(), &crate::server::uk_today()).await?;
    let (names, areas, interests) =
        crate::server::volunteering::Names::of(db, rows.iter().map(|r| r.network_id.clone()).chain(network.clone())).await?;
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
                .filter_map(|m| {
                    by_id
                        .get(m.id.as_str())
                        .map(|r| crate::server::volunteering::card(r, &names, Some(crate::server::volunteering::reason(&m))))
                })
                .collect()
        }
        (Some(p), false) => {
            let profile = p.for_matching();
            rows.iter()
                .map(|r| {
                    crate::server::volunteering::card(
                        r,
                        &names,
                        assess(&profile, &r.for_matching()).ok().map(|m| crate::server::volunteering::reason(&m)),
                    )
                })
                .collect()
        }
        _ => rows.iter().map(|r| crate::server::volunteering::card(r, &names, None)).collect(),
    };
    Ok(OpportunityList { items, areas, interests, has_profile: profile.is_some(), ranked })
}

/// One opportunity. A draft only for its own group.
pub async fn get_opportunity(caller: &Caller, opportunity_id: String) -> Result<OpportunityView, AppError> {
    use crate::domain::matching::{assess, Week};
    use crate::domain::Role;
    use crate::server::repo;
    use crate::server::repo::volunteering::from_json;
    let state = &caller.state;
    let db = &state.db;
    let user = caller.privileged().cloned();
    let row = repo::volunteering::find_opportunity(db, &opportunity_id).await?.ok_or(AppError::NotFound)?;
    let can_manage =
        user.as_ref().is_some_and(|u| u.organisation_id == row.organisation_id && u.role().is_some_and(Role::can_manage_opportunities));
    if !row.status.is_public() && !can_manage {
        return Err(AppError::NotFound);
    }
    let resident = user.as_ref().is_some_and(|u| u.role() == Some(Role::Resident));
    let open = row.takes_volunteers(&crate::server::uk_today());
    let (mine, reason) = match (&user, resident) {
        (Some(u), true) => {
            let mine = repo::volunteering::interests_of_user(db, &u.id)
                .await?
                .into_iter()
                .find(|i| i.opportunity_id == row.id)
                .map(crate::server::volunteering::mine);
            let profile = repo::volunteering::profile_of_user(db, &u.id).await?;
            (
                mine,
                profile.and_then(|p| assess(&p.for_matching(), &row.for_matching()).ok()).map(|m| crate::server::volunteering::reason(&m)),
            )
        }
        _ => (None, None),
    };
    let (names, _, _) = crate::server::volunteering::Names::of(db, [row.network_id.clone()]).await?;
    let week = Week(row.times as u32);
    let skills = from_json(&row.skills);
    Ok(OpportunityView {
        card: crate::server::volunteering::card(&row, &names, reason),
        description: row.description.clone(),
        description_cy: row.description_cy.clone(),
        skills_text: skills.join(", "),
        skills,
        regular: row.regular == 1,
        on_date: row.on_date.clone(),
        times: crate::language::matching::every_slot(crate::language::page_locale(), week),
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
pub async fn express_interest(
    caller: &Caller,
    opportunity_id: String,
    share_contact: Option<String>,
    message: String,
) -> Result<bool, AppError> {
    use crate::domain::volunteering::MAX_MESSAGE_LEN;
    use crate::domain::Role;
    use crate::server::{now, repo};
    let user = caller.require(|r| r == Role::Resident)?;
    let state = &caller.state;
    let db = &state.db;
    let row = repo::volunteering::find_opportunity(db, &opportunity_id).await?.ok_or(AppError::NotFound)?;
    match row.status {
        OpportunityStatus::Draft => return Err(AppError::NotFound),
        _ if row.takes_volunteers(&crate::server::uk_today()) => {}
        _ => return Err(AppError::Conflict(Msg::OpportunityNotTakingVolunteersNow)),
    }
    if message.trim().chars().count() > MAX_MESSAGE_LEN {
        return Err(AppError::invalid("message", Msg::TooLong { what: crate::domain::Label::YourMessage, max: MAX_MESSAGE_LEN as i64 }));
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
pub async fn my_interests(caller: &Caller) -> Result<Vec<MyInterest>, AppError> {
    use crate::domain::Role;
    use crate::server::repo;
    let user = caller.require(|r| r == Role::Resident)?;
    let state = &caller.state;
    Ok(repo::volunteering::interests_of_user(&state.db, &user.id).await?.into_iter().map(crate::server::volunteering::mine).collect())
}

/// The signed-in resident's profile (empty when they have none yet) and the choices.
pub async fn get_profile(caller: &Caller) -> Result<ProfileView, AppError> {
    use crate::domain::Role;
    use crate::server::repo;
    use crate::server::repo::volunteering::from_json;
    let user = caller.require(|r| r == Role::Resident)?;
    let state = &caller.state;
    let db = &state.db;
    let network = repo::volunteering::network_of(db, &user.organisation_id).await?;
    let area_choices = repo::volunteering::named(db, "areas", &network).await?;
    let interest_choices = repo::volunteering::named(db, "interests", &network).await?;
    let mut view = ProfileView { area_choices, interest_choices, ..Default::default() };
    let session = &caller.session;
    let draft: Option<crate::domain::volunteering::ProfileForm> =
        session.remove(PROFILE_DRAFT).await.map_err(|e| AppError::internal("session read", e))?;
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
    let (found, prefilled) = match repo::volunteering::profile_of_user(db, &user.id).await? {
        Some(p) => (Some(p), false),
        None => (repo::volunteering::door_profile_for(db, &network, &user.email).await?, true),
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
pub async fn save_profile(caller: &Caller, form: crate::domain::volunteering::ProfileForm) -> Result<(), AppError> {
    use crate::domain::volunteering::ProfileForm;
    use crate::domain::Role;
    use crate::server::{now, repo};
    let user = caller.require(|r| r == Role::Resident)?;
    let state = &caller.state;
    let db = &state.db;
    let network = repo::volunteering::network_of(db, &user.organisation_id).await?;
    let known_areas = repo::volunteering::named(db, "areas", &network).await?;
    let known_interests = repo::volunteering::named(db, "interests", &network).await?;
    let checked = match form.check(|i| known_interests.iter().any(|n| n.id == i), |a| known_areas.iter().any(|n| n.id == a)) {
        Ok(c) => c,
        Err(errors) => {
            caller.session.insert(PROFILE_DRAFT, &form).await.map_err(|e| AppError::internal("session write", e))?;
            return Err(AppError::Invalid(errors));
        }
    };
    repo::volunteering::save_profile(db, &network, ("user_id", &user.id), &checked, now()).await?;
    let _: Option<ProfileForm> = caller.session.remove(PROFILE_DRAFT).await.map_err(|e| AppError::internal("session write", e))?;
    leptos_axum::redirect("/volunteer?saved=1");
    Ok(())
}
