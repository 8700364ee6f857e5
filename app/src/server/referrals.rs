//! Referrals with a life: the owner's list (kept on their tablet), and the partner
//! organisation's page, where it accepts, answers or declines what was sent to it.

use crate::domain::referral::{after, check_note, note_field, Recipient, Step, Taker};
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::repo::referrals::{self as repo, NewStep, Which};
use crate::types::referrals::{ReferralView, ReferralsToGroup};

/// How long an answered or declined referral stays on the lists, in days.
pub const CLOSED_SHOWN_DAYS: i64 = 14;

/// The signed-in worker's referrals: every one still waiting, and those answered or declined
/// in the last two weeks (so they see the answer before it goes).
pub async fn my_referrals(caller: &Caller) -> Result<Vec<ReferralView>, AppError> {
    let user = caller.require(|r| r.can_do_outreach())?;
    let closed_since = crate::server::now() - CLOSED_SHOWN_DAYS * 86_400;
    let which = Which::Owner { organisation_id: &user.organisation_id, owner_id: &user.id, closed_since };
    Ok(repo::list(&caller.state.db, which).await?)
}

/// What was referred to the signed-in organiser's group by the organisation that hosts it.
pub async fn partner_referrals(caller: &Caller) -> Result<ReferralsToGroup, AppError> {
    let user = caller.require(|r| r.can_answer_referrals())?;
    let db = &caller.state.db;
    let organisation_name = crate::server::repo::organisations::get(db, &user.organisation_id).await?.map(|o| o.name).unwrap_or_default();
    let Some(host_id) = repo::host_of(db, &user.organisation_id).await? else {
        return Ok(ReferralsToGroup { organisation_name, referrals: Vec::new() });
    };
    let closed_since = crate::server::now() - CLOSED_SHOWN_DAYS * 86_400;
    let which = Which::Partner { host_id: &host_id, partner_id: &user.organisation_id, closed_since };
    Ok(ReferralsToGroup { organisation_name, referrals: repo::list(db, which).await? })
}

/// A partner organisation accepts, answers or declines a referral sent to it. One that was not
/// sent to the caller's group is not found, whoever's it is.
pub async fn partner_step(caller: &Caller, referral_id: String, step: String, note: String) -> Result<(), AppError> {
    let user = caller.require(|r| r.can_answer_referrals())?;
    let step =
        Step::parse(&step).filter(|s| *s != Step::Chased).ok_or_else(|| AppError::invalid("step", Msg::ChooseAcceptAnswerDecline))?;
    if !crate::domain::validation::is_uuid(&referral_id) {
        return Err(AppError::NotFound);
    }
    // The page has a note box per referral and step: the problem names the one typed in.
    let mut problems = crate::domain::FieldErrors::new();
    check_note(step, &note, &mut problems);
    if let Some(problem) = problems.iter().next() {
        return Err(AppError::invalid(&note_field(step, &referral_id), problem.message.clone()));
    }
    let db = &caller.state.db;
    let host_id = repo::host_of(db, &user.organisation_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    // An answer changes the host's counts: under its lock, like a sync (see `Backend::lock_counts`).
    db.backend.lock_counts(&mut tx, &host_id).await?;
    let facts = repo::facts(&mut tx, &referral_id).await?;
    let Some(facts) = facts.filter(|f| f.organisation_id == host_id && f.partner_id.as_deref() == Some(user.organisation_id.as_str()))
    else {
        return Err(AppError::NotFound);
    };
    let to = after(facts.status, step, Taker::Partner, Recipient::Partner).map_err(|reason| AppError::Conflict(reason.into()))?;
    let now = crate::server::now();
    let id = uuid::Uuid::new_v4().to_string();
    let new = NewStep {
        id: &id,
        referral_id: &referral_id,
        organisation_id: &facts.organisation_id,
        step,
        note: if facts.erased { "" } else { note.trim() },
        made_by: &user.id,
        occurred_at: now,
        received_at: now,
    };
    if !repo::write_step(&mut tx, &new, facts.status, to).await? {
        return Err(AppError::Conflict(Msg::SomeoneAnsweredReferralAtSame));
    }
    tx.commit().await?;
    Ok(())
}
