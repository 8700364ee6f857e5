//! A step in a referral's life sent by its owner's tablet: a chase, or the answer of one of the
//! organisation's own services (a partner answers on its own page: `server::referrals`).

use super::*;
use crate::domain::referral::{after, Recipient, StepRecord, Taker};
use crate::server::repo::referrals::{self as repo, NewStep};

pub(super) async fn apply_referral_step(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    let record = match checked(item, StepRecord::validate) {
        Ok(r) => r,
        Err(o) => return Ok(o),
    };
    let Some(facts) = repo::facts(tx, &record.referral_id).await?.filter(|f| f.organisation_id == org) else {
        return Ok(rejected("referral_id", Msg::ReferralDoesNotExist));
    };
    if facts.owner_id != cx.user.id && !cx.is_admin {
        return Ok(rejected("referral_id", Msg::OnlyReferrerRecordsSteps));
    }
    let recipient = if facts.partner_id.is_some() { Recipient::Partner } else { Recipient::Service };
    let to = match after(facts.status, record.step, Taker::Owner, recipient) {
        Ok(to) => to,
        // Taken meanwhile (an answer reached the server first): the worker sees why, and the
        // referral as it stands once their list is refreshed.
        Err(reason) => return Ok(rejected("step", reason)),
    };
    // When it happened, as the tablet saw it: never before the referral, nor after arrival.
    let occurred_at =
        crate::domain::outreach::bounded_device_time(item.created_on_device_at, received_at).max(facts.sent_at.min(received_at));
    let note = if facts.erased { "" } else { record.note.trim() };
    let step = NewStep {
        id: &item.id,
        referral_id: &record.referral_id,
        organisation_id: org,
        step: record.step,
        note,
        made_by: &cx.user.id,
        occurred_at,
        received_at,
    };
    if !repo::write_step(tx, &step, facts.status, to).await? {
        return Ok(rejected("step", Msg::StepRecordedSameMoment));
    }
    Ok(ItemOutcome::Stored)
}

/// A referral made after the visit from an open follow-up: stored once (by the id the tablet
/// gave it), owned by the follow-up's owner, and counted with the conversation it came from.
pub(super) async fn apply_referral_made(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    use crate::domain::referral::{ReferralMade, MAX_LATER_REFERRALS};
    let org = cx.user.organisation_id.as_str();
    let made: ReferralMade = match checked(item, |r: &ReferralMade| r.validate(&cx.reference)) {
        Ok(r) => r,
        Err(o) => return Ok(o),
    };
    // Its id is its own: never a conversation's (whose referral has the conversation's id).
    if repo::names_a_conversation(tx, &item.id).await? {
        return Ok(rejected("id", Msg::IdBelongsToAnotherRecord));
    }
    let Some(f) = repo::follow_up_facts(tx, &made.follow_up_id, org).await? else {
        return Ok(rejected("follow_up_id", Msg::FollowUpDoesNotExist));
    };
    if f.owner_id != cx.user.id && !cx.is_admin {
        return Ok(rejected("follow_up_id", Msg::OnlyOwnerRefersOn));
    }
    if !f.open {
        return Ok(rejected("follow_up_id", Msg::FollowUpResolvedBeforeReferral));
    }
    if f.referrals >= MAX_LATER_REFERRALS as i64 {
        return Ok(rejected("to", Msg::TooManyLaterReferrals { count: MAX_LATER_REFERRALS as u64 }));
    }
    // Sent when the tablet says, never before the conversation nor after it reached the server.
    let sent_at = crate::domain::outreach::bounded_device_time(item.created_on_device_at, received_at).max(f.occurred_at.min(received_at));
    let referral = repo::LaterReferral {
        id: &item.id,
        organisation_id: org,
        follow_up_id: &made.follow_up_id,
        owner_id: &f.owner_id,
        service_id: made.service_id.as_deref(),
        partner_id: made.partner_id.as_deref(),
        // About a resident erased since: kept and counted, without the words.
        asked: if f.erased { "" } else { made.asked.trim() },
        sent_at,
        received_at,
    };
    repo::insert_later(tx, &referral).await?;
    crate::server::repo::intelligence::after_conversation_changed(tx, org, &made.follow_up_id).await?;
    Ok(ItemOutcome::Stored)
}
