//! Outreach: the worker's reference data, sync, follow-ups and held records.

use crate::domain::sync::{SyncBatch, SyncResponse};
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::outreach::*;
use crate::types::{FollowUpView, InteractionSummary, ReferenceData};

fn today() -> String {
    // Yesterday in UTC, so an evening event in Europe/London is still listed the next morning.
    (time::OffsetDateTime::now_utc() - time::Duration::days(1)).date().to_string()
}

/// Receives a batch from a device's outbox. The endpoint name is fixed: tablets that cached an
/// older version of the app keep sending here after an upgrade.
pub async fn sync_push(caller: &Caller, batch: SyncBatch) -> Result<SyncResponse, AppError> {
    use crate::domain::sync::MAX_BATCH_ITEMS;
    use crate::server::{db::is_unique_violation, now, repo, sync};
    let user = caller.require(|r| r.can_do_outreach())?;
    if batch.device_id.trim().is_empty() || batch.device_id.len() > 100 || batch.device_id.chars().any(char::is_control) {
        return Err(AppError::invalid("device_id", Msg::DeviceSentNoValidDevice));
    }
    if batch.items.len() > MAX_BATCH_ITEMS {
        return Err(AppError::invalid("items", Msg::SendAtMostRecords { count: MAX_BATCH_ITEMS as u64 }));
    }
    let state = &caller.state;
    let db = &state.db;
    let reference = repo::outreach::reference_data(db, &user.organisation_id, &today()).await?;
    let (user_id, device) = (user.id.clone(), batch.device_id.trim().to_string());
    let cx = sync::Context {
        is_admin: user.role() == Some(crate::domain::Role::Admin),
        device_id: batch.device_id.trim().to_string(),
        user: user.clone(),
        reference,
        backend: state.db.backend,
        link_base: state.link_base(),
        locale: crate::language::page_locale(),
    };
    let results = match &state.sync_writer {
        // SQLite: batches from devices syncing at once share a commit.
        Some(writer) => writer.apply(cx, batch.items).await?,
        // PostgreSQL takes many writers at once: each batch has its own transaction. The
        // same item arriving twice at once (a retry racing its original) can make the
        // later one fail on the primary key; applied again, it finds the item stored.
        None => {
            let mut attempt = 0;
            loop {
                attempt += 1;
                let answer = sync::commit_group(&state.db, &[(&cx, &batch.items)]).await.and_then(|mut a| a.remove(0));
                match answer {
                    Ok(results) => break results,
                    Err(e) if attempt < 4 && is_unique_violation(&e) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    };
    // Whatever the batch queued (an issue resolved, say) goes now, not at the next poll.
    state.mail.now();
    tracing::info!(
        user_id = %user_id,
        device = %device,
        items = results.len(),
        stored = results.iter().filter(|r| r.outcome == crate::domain::sync::ItemOutcome::Stored).count(),
        "sync batch applied"
    );
    Ok(SyncResponse { results, received_at: now() })
}

/// The organisation's lists, for the tablet to cache.
pub async fn load_reference_data(caller: &Caller) -> Result<ReferenceData, AppError> {
    use crate::server::repo;
    let user = caller.require(|r| r.can_do_outreach())?;
    let state = &caller.state;
    let mut data = repo::outreach::reference_data(&state.db, &user.organisation_id, &today()).await?;
    let today = crate::server::uk_today();
    data.consultations = repo::consultations::open_for_organisation(&state.db, &user.organisation_id, &today).await?;
    data.guidance = repo::guidance::for_organisation(&state.db, &user.organisation_id).await?;
    let network = repo::volunteering::network_of(&state.db, &user.organisation_id).await?;
    data.opportunities = repo::volunteering::open_opportunities(&state.db, Some(&network), &today)
        .await?
        .iter()
        .map(|row| {
            let m = row.for_matching();
            crate::types::CachedOpportunity {
                id: m.id,
                title: row.title.clone(),
                title_cy: row.title_cy.clone(),
                organisation_name: row.organisation_name.clone(),
                interests: m.interests,
                skills: m.skills,
                areas: m.areas,
                times: m.times.0,
                when: crate::server::volunteering::when(row),
                on_date: crate::server::volunteering::one_off_on(row).map(str::to_string),
                minimum_age: m.minimum_age,
                dbs_required: m.dbs_required,
            }
        })
        .collect();
    Ok(data)
}

/// The signed-in worker's open follow-ups, soonest due first.
pub async fn my_follow_ups(caller: &Caller) -> Result<Vec<FollowUpView>, AppError> {
    use crate::server::repo;
    let user = caller.require(|r| r.can_do_outreach())?;
    let state = &caller.state;
    repo::outreach::open_follow_ups(&state.db, &user.organisation_id, &user.id).await.map_err(AppError::from)
}

/// What the server holds of the signed-in worker's interactions.
pub async fn my_interactions(caller: &Caller) -> Result<HeldInteractions, AppError> {
    use crate::server::repo;
    let user = caller.require(|r| r.can_do_outreach())?;
    let state = &caller.state;
    let db = &state.db;
    Ok(HeldInteractions {
        total: repo::outreach::count_interactions_by_worker(db, &user.organisation_id, &user.id).await?,
        recent: repo::outreach::interactions_by_worker(db, &user.organisation_id, &user.id, 50).await?,
    })
}

/// A resident's earlier conversations with the organisation (online only), for the member of
/// staff who is their point of contact.
pub async fn resident_history(caller: &Caller, resident_id: String) -> Result<Vec<InteractionSummary>, AppError> {
    use crate::server::{auth, repo};
    let user = caller.require(|r| r.can_do_outreach())?;
    let state = &caller.state;
    let db = &state.db;
    // Only their point of contact, whoever spoke with them, and admins; each read is audited.
    let is_admin = user.role() == Some(crate::domain::Role::Admin);
    if is_admin {
        // Only a resident of the organisation is read, and audited (an id made up, of any
        // length, reached the audit log's index: found by the hostile-input test).
        if !repo::outreach::resident_exists(db, &user.organisation_id, &resident_id).await? {
            return Err(AppError::NotFound);
        }
    } else if !repo::outreach::knows_resident(db, &user.organisation_id, &resident_id, &user.id).await? {
        return Err(AppError::Forbidden);
    }
    if !auth::opened_by_post() {
        return Err(AppError::Conflict(Msg::OpenResidentsConversationsFollowUps));
    }
    let mut history = repo::outreach::interactions_with_resident(db, &user.organisation_id, &resident_id).await?;
    // Each referral made in them, with every step since: the resident's timeline.
    let which = repo::referrals::Which::Resident { organisation_id: &user.organisation_id, resident_id: &resident_id };
    // The one made in a conversation has the conversation's id; any made later from its
    // follow-up, their own.
    let mut referrals = repo::referrals::list(db, which).await?;
    referrals.sort_by_key(|r| r.sent_at);
    let mut by_conversation: std::collections::HashMap<String, Vec<crate::types::referrals::ReferralView>> = Default::default();
    for r in referrals {
        by_conversation.entry(r.interaction_id.clone()).or_default().push(r);
    }
    for conversation in &mut history {
        for r in by_conversation.remove(&conversation.id).unwrap_or_default() {
            if r.id == conversation.id {
                conversation.referral = Some(r);
            } else {
                conversation.referred_since.push(r);
            }
        }
    }
    let action = crate::domain::privacy::AuditAction::Viewed;
    crate::server::privacy::audit(state, user, action, Some(&resident_id), "conversation history").await?;
    Ok(history)
}
