//! One resident, not two: linking a door record and an account's record.

use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::people::*;

use crate::domain::outreach::ConsentPurpose;
use crate::domain::privacy::{consent_state, AuditAction, ConsentState};
use crate::domain::Msg;
use crate::server::db::Db;
use crate::server::repo::{intelligence, people, privacy};
use sqlx::AnyConnection;

/// Who links or unlinks, for the audit log: an admin (from their address) or the resident.
pub struct Actor<'a> {
    pub organisation_id: &'a str,
    pub user_id: &'a str,
    pub address: &'a str,
    /// How it was decided, in the audit entry ("confirmed by the resident", …).
    pub how: &'a str,
}

impl Actor<'_> {
    /// One audit entry on each of the two records, each with its own note.
    async fn audit_both(
        &self,
        conn: &mut AnyConnection,
        action: AuditAction,
        one: (&str, &str),
        other: (&str, &str),
        at: i64,
    ) -> sqlx::Result<()> {
        for (resident_id, detail) in [one, other] {
            let entry = crate::server::repo::privacy::AuditEntry {
                organisation_id: self.organisation_id,
                actor: Some(self.user_id),
                action,
                resident_id: Some(resident_id),
                detail,
                address: self.address,
                at,
            };
            privacy::audit(conn, entry).await?;
        }
        Ok(())
    }
}

/// Links door record `door` to account record `account` (already checked by
/// `domain::privacy::plan_link`), audits it on both, and has the funnel's figures for every day
/// either was talked to rebuilt. False if the door record was linked a moment before.
pub async fn link(conn: &mut AnyConnection, db: &Db, actor: &Actor<'_>, door: &str, account: &str, at: i64) -> sqlx::Result<bool> {
    db.backend.lock_counts(conn, actor.organisation_id).await?;
    if !people::link(conn, door, account, at).await? {
        return Ok(false);
    }
    intelligence::after_resident_changed(conn, db.backend, door).await?;
    // A "no" to volunteering on either record, made last, now speaks for the person: groups
    // stop seeing them and how to reach them on both.
    let ledger = privacy::consent_ledger(&mut *conn, door).await?;
    if matches!(consent_state(&ledger, ConsentPurpose::VolunteeringOpportunities), ConsentState::Withdrawn { .. }) {
        privacy::withdraw_volunteering(conn, door).await?;
    }
    let how = actor.how;
    let door_note = format!("linked to the online account's record {account}, {how}");
    let account_note = format!("record made at the door {door} linked, {how}");
    actor.audit_both(conn, AuditAction::Linked, (door, &door_note), (account, &account_note), at).await?;
    Ok(true)
}

/// Unlinks door record `door`; audited on both. False if it was not linked.
pub async fn unlink(conn: &mut AnyConnection, db: &Db, actor: &Actor<'_>, door: &str, at: i64) -> sqlx::Result<bool> {
    db.backend.lock_counts(conn, actor.organisation_id).await?;
    // The days of every record of the person change, so they are noted while still linked.
    intelligence::after_resident_changed(conn, db.backend, door).await?;
    let Some(account) = people::unlink(conn, actor.organisation_id, door).await? else { return Ok(false) };
    let how = actor.how;
    let door_note = format!("unlinked from the online account's record {account}, {how}");
    let account_note = format!("record made at the door {door} unlinked, {how}");
    actor.audit_both(conn, AuditAction::Unlinked, (door, &door_note), (&account, &account_note), at).await?;
    Ok(true)
}

pub fn kind_text(kind: &str) -> String {
    crate::domain::outreach::InteractionKind::parse(kind).map_or("at your door", |k| k.as_told_to_the_resident()).to_string()
}

/// Door records that may be the signed-in resident's (see [`offers`]). Reading them
/// changes nothing.
pub async fn load_link_offers(caller: &Caller) -> Result<MyDoorRecords, AppError> {
    use crate::domain::calendar::uk_date;

    let user = caller.require(|r| r.has_own_consents())?;
    let state = &caller.state;
    let mut conn = state.db.acquire().await?;
    let offers = offers(&mut conn, user).await?;
    let offers = offers
        .into_iter()
        .map(|o| LinkOffer {
            resident_id: o.resident_id,
            met: o.first_met.map(|(at, kind)| (uk_date(at), crate::server::people::kind_text(&kind))),
        })
        .collect();
    Ok(MyDoorRecords { email: user.email.clone(), offers })
}

/// The signed-in resident answers "is this you?" about door record `resident_id`: `answer`
/// "yes" links it to their account, "no" means they are not asked about it again. Only a record
/// offered to them now (holding their verified address) can be answered: anything else is 404.
pub async fn answer_link_offer(caller: &Caller, resident_id: String, answer: Option<String>) -> Result<bool, AppError> {
    use crate::server::{now, repo::people, repo::privacy};
    let user = caller.require(|r| r.has_own_consents())?;
    let yes = match answer.as_deref() {
        Some("yes") => true,
        Some("no") => false,
        _ => return Err(AppError::invalid("answer", Msg::ChooseWhetherThisWasYou)),
    };
    let state = &caller.state;
    let t = now();
    let mut tx = state.db.begin_write().await?;
    let offered = offers(&mut tx, user).await?;
    if !offered.iter().any(|o| o.resident_id == resident_id) {
        return Err(AppError::NotFound);
    }
    if yes {
        let account = privacy::account_resident(&mut tx, user, t).await?;
        // The resident's own network address is not kept: the audit log can never be erased.
        let actor = crate::server::people::Actor {
            organisation_id: &user.organisation_id,
            user_id: &user.id,
            address: "",
            how: "confirmed by the resident",
        };
        if !crate::server::people::link(&mut tx, &state.db, &actor, &resident_id, &account, t).await? {
            return Err(AppError::NotFound);
        }
    } else {
        people::decline(&mut tx, &resident_id, &user.id, t).await?;
    }
    tx.commit().await?;
    // A plain form post (a resident's pages come without the app) comes back to say so.
    if crate::server::plain_pages::plain_form_post() {
        leptos_axum::redirect(if yes { "/my-data?same=yes" } else { "/my-data?same=no" });
    }
    Ok(yes)
}

/// An admin links record `resident_id` and record `other` (its id, or the email address of an
/// online account) as one person: one must be an online account's, the other a record made at
/// the door that is not linked yet.
pub async fn link_records(caller: &Caller, resident_id: String, other: String) -> Result<(), AppError> {
    use crate::domain::privacy::plan_link;
    use crate::server::{auth, now, repo::people};
    let (user, state) = crate::server::privacy::admin(caller)?;
    let other = other.trim();
    if other.is_empty() {
        return Err(AppError::invalid("other", Msg::EnterOtherRecordsIdEmail));
    }
    let t = now();
    let address = auth::client_address(state);
    let mut tx = state.db.begin_write().await?;
    let this = people::facts(&mut tx, &user.organisation_id, &resident_id).await?.ok_or(AppError::NotFound)?;
    let other_id = if other.contains('@') {
        account_record_by_email(&mut tx, &user.organisation_id, other, t).await?
    } else {
        Some(other.to_string())
    };
    let not_found = || AppError::invalid("other", Msg::NoRecordOrganisationIdNo);
    let other_id = other_id.ok_or_else(not_found)?;
    let that = people::facts(&mut tx, &user.organisation_id, &other_id).await?.ok_or_else(not_found)?;
    let (door, account) = plan_link(&this, &that).map_err(|refusal| AppError::invalid("other", refusal.message()))?;
    let actor = crate::server::people::Actor {
        organisation_id: &user.organisation_id,
        user_id: &user.id,
        address: &address,
        how: "by an administrator",
    };
    if !crate::server::people::link(&mut tx, &state.db, &actor, &door.id, &account.id, t).await? {
        return Err(AppError::Conflict(Msg::RecordLinkedMomentAgoReload));
    }
    tx.commit().await?;
    Ok(())
}

/// An admin unlinks door record `resident_id` from the account it was linked to.
pub async fn unlink_record(caller: &Caller, resident_id: String) -> Result<(), AppError> {
    use crate::server::{auth, now, repo::people};
    let (user, state) = crate::server::privacy::admin(caller)?;
    let address = auth::client_address(state);
    let mut tx = state.db.begin_write().await?;
    let record = people::facts(&mut tx, &user.organisation_id, &resident_id).await?.ok_or(AppError::NotFound)?;
    if record.linked_to.is_none() {
        return Err(AppError::Conflict(Msg::RecordNotLinkedOnlineAccount));
    }
    let actor = crate::server::people::Actor {
        organisation_id: &user.organisation_id,
        user_id: &user.id,
        address: &address,
        how: "by an administrator",
    };
    if !crate::server::people::unlink(&mut tx, &state.db, &actor, &resident_id, now()).await? {
        return Err(AppError::Conflict(Msg::RecordNotLinkedOnlineAccount));
    }
    tx.commit().await?;
    Ok(())
}

/// Records made at the door that the resident with account `user` may confirm are theirs: the
/// candidates (their verified address, not linked, not erased, not declined) for which they agree
/// now to be contacted for at least one purpose (about their issue, invitations to have their
/// say, or volunteering), so they gave the address to be reached at.
async fn offers(
    conn: &mut sqlx::AnyConnection,
    user: &crate::server::repo::users::UserRow,
) -> sqlx::Result<Vec<crate::server::repo::people::Offer>> {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::consent_state;
    let mut offers = Vec::new();
    for offer in crate::server::repo::people::candidates(&mut *conn, &user.organisation_id, &user.id, &user.email).await? {
        let ledger = crate::server::repo::privacy::consent_ledger(&mut *conn, &offer.resident_id).await?;
        let reachable =
            [ConsentPurpose::ContactAboutIssue, ConsentPurpose::ConsultationInvitations, ConsentPurpose::VolunteeringOpportunities]
                .into_iter()
                .any(|p| consent_state(&ledger, p).granted());
        if reachable {
            offers.push(offer);
        }
    }
    Ok(offers)
}

/// The resident record of the resident's account that signs in with `email` in
/// `organisation_id` (made now if the account has none yet). `None` if no resident's account
/// there has that address: staff accounts are never a resident's record.
async fn account_record_by_email(conn: &mut AnyConnection, organisation_id: &str, email: &str, now: i64) -> sqlx::Result<Option<String>> {
    let Some(user) = crate::server::repo::users::find_by_email_in(&mut *conn, organisation_id, email).await? else { return Ok(None) };
    if user.role() != Some(crate::domain::Role::Resident) || user.email_verified_at.is_none() {
        return Ok(None);
    }
    crate::server::repo::privacy::account_resident(conn, &user, now).await.map(Some)
}
