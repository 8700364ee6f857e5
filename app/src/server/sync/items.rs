//! Checking and storing each kind of record a device sends: events, conversations (with their
//! issues, consents and follow-ups), and follow-up updates.

use super::*;
use crate::domain::outreach::{Action, EventRecord, FollowUpResolution, InteractionRecord};
use crate::domain::sync::{ItemOutcome, SyncItem};
use sqlx::{Any, Transaction};
use std::collections::HashSet;

pub(super) async fn apply_event(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
    known_events: &mut HashSet<String>,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    let event: EventRecord = match parse(item) {
        Ok(e) => e,
        Err(o) => return Ok(o),
    };
    if let Err(errors) = event.validate(&cx.reference) {
        return Ok(from_fields(errors));
    }
    if let Err(reason) = crate::domain::outreach::check_event_date(&event.held_on, &crate::domain::calendar::uk_date(received_at)) {
        return Ok(rejected("held_on", reason));
    }
    sqlx::query(
        "INSERT INTO events (id, organisation_id, created_by, name, place, area_id, held_on, device_id, created_on_device_at, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&item.id)
    .bind(org)
    .bind(&cx.user.id)
    .bind(event.name.trim())
    .bind(event.place.trim())
    .bind(event.area_id.as_deref())
    .bind(&event.held_on)
    .bind(&cx.device_id)
    .bind(crate::domain::outreach::bounded_device_time(item.created_on_device_at, received_at))
    .bind(received_at)
    .execute(&mut **tx)
    .await?;
    known_events.insert(item.id.clone());
    Ok(ItemOutcome::Stored)
}

/// Checks a new interaction, writes its resident (if new) and queues its rows.
pub(super) async fn prepare_interaction(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
    known_events: &HashSet<String>,
    pending: &mut Pending,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    let mut record: InteractionRecord = match parse(item) {
        Ok(r) => r,
        Err(o) => return Ok(o),
    };
    if let Err(errors) = record.validate(&cx.reference, |id| known_events.contains(id)) {
        return Ok(from_fields(errors));
    }
    record.occurred_at = match crate::domain::outreach::bounded_occurred_at(record.occurred_at, received_at) {
        Ok(at) => at,
        Err(reason) => return Ok(rejected("occurred_at", reason)),
    };

    let mut resident_id = None;
    let mut erased = false;
    if let Some(resident) = &record.resident {
        match owner_org(tx, "residents", &resident.id).await? {
            Some(o) if o != org => return Ok(rejected("resident_name", Msg::ResidentRecordNotUsableHere)),
            Some(_) => {
                // Erased since the tablet took this down: the conversation is kept for the
                // figures, without anything about the resident (and the tablet is told to drop
                // what it holds; see `server::privacy::erased_residents`).
                erased = crate::server::repo::privacy::is_erased(tx, &resident.id).await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO residents (id, organisation_id, name, contact, preferred_language, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&resident.id)
                .bind(org)
                .bind(resident.name.trim())
                .bind(resident.contact.trim())
                .bind(resident.preferred_language.trim())
                .bind(&cx.user.id)
                .bind(received_at)
                .execute(&mut **tx)
                .await?;
            }
        }
        resident_id = Some(resident.id.clone());
    }

    let (service_id, partner_id) = match &record.action {
        Action::ReferredToService { service_id } => (Some(service_id.clone()), None),
        Action::ReferredToPartner { partner_id } => (None, Some(partner_id.clone())),
        _ => (None, None),
    };
    if service_id.is_some() || partner_id.is_some() {
        // The referral's own life starts here; its words are about the resident.
        pending.referrals.push(vec![
            Val::Text(item.id.clone()),
            Val::Text(org.to_string()),
            Val::Text(item.id.clone()),
            Val::Text(cx.user.id.clone()),
            Val::OptText(service_id.clone()),
            Val::OptText(partner_id.clone()),
            Val::Text(if erased { String::new() } else { record.asked.trim().to_string() }),
            Val::Text("sent".into()),
            Val::Int(record.occurred_at),
            Val::Int(record.occurred_at),
            Val::Text(record.area_id.clone()),
            Val::Text(record.kind.as_str().to_string()),
            Val::Text(cx.user.id.clone()),
            Val::Int(received_at),
        ]);
    }
    let involvement = record.involvement.as_ref().filter(|i| !i.is_empty()).map(|i| {
        if erased {
            "{}".to_string()
        } else {
            serde_json::to_string(i).unwrap_or_default()
        }
    });
    let (address, notes) =
        if erased { (String::new(), String::new()) } else { (record.address.trim().to_string(), record.notes.trim().to_string()) };
    let kind = record.kind.as_str();
    pending.interactions.push(vec![
        Val::Text(item.id.clone()),
        Val::Text(org.to_string()),
        Val::Text(cx.user.id.clone()),
        Val::Text(kind.to_string()),
        Val::OptText(record.event_id.clone()),
        Val::Text(record.area_id.clone()),
        Val::Text(address),
        Val::Int(record.occurred_at),
        Val::Text(record.outcome.as_str().to_string()),
        Val::Text(record.action.as_str().to_string()),
        Val::OptText(service_id),
        Val::OptInt(record.felt_heard.map(i64::from)),
        Val::Text(notes),
        Val::OptText(resident_id.clone()),
        Val::OptText(involvement),
        Val::Int(item.schema as i64),
        Val::Text(cx.device_id.clone()),
        Val::Int(crate::domain::outreach::bounded_device_time(item.created_on_device_at, received_at)),
        Val::Int(received_at),
        Val::OptText(partner_id),
        Val::Text(record.language.map(|l| l.as_str()).unwrap_or_default().to_string()),
    ]);
    for theme_id in &record.issues {
        pending.issues.push(vec![Val::Text(item.id.clone()), Val::Text(theme_id.clone())]);
    }
    if let Some(resident_id) = resident_id.filter(|_| !erased) {
        for c in &record.consents {
            pending.consents.push(vec![
                Val::Text(format!("{}:{}", item.id, c.purpose.as_str())),
                Val::Text(org.to_string()),
                Val::Text(resident_id.clone()),
                Val::Text(c.purpose.as_str().to_string()),
                Val::Int(i64::from(c.granted)),
                Val::Text(c.lawful_basis.as_str().to_string()),
                // Checked by `validate`: words this version knows.
                Val::Text(c.purpose.stored_wording(c.wording.as_deref()).unwrap_or(c.purpose.wording()).to_string()),
                Val::Text(crate::domain::privacy::ConsentMethod::of_channel(record.kind).as_str().to_string()),
                Val::Text(cx.user.id.clone()),
                Val::Text(item.id.clone()),
                // Never later than it reached the server: a tablet whose clock runs fast must
                // not make a "yes" outrank every later "no".
                Val::Int(record.occurred_at.min(received_at)),
                Val::Int(received_at),
            ]);
        }
    }
    if let Some(resident) = record.resident.as_ref().filter(|_| !erased) {
        use crate::domain::outreach::ConsentPurpose;
        let volunteering = record.consents.iter().find(|c| c.purpose == ConsentPurpose::VolunteeringOpportunities);
        match volunteering {
            Some(c) if c.granted && c.purpose.stored_wording(c.wording.as_deref()).is_some_and(ConsentPurpose::shares_with_groups) => {
                if let Some(involvement) = record.involvement.as_ref().filter(|i| !i.is_empty()) {
                    pending
                        .door_profiles
                        .push((resident.id.clone(), crate::domain::volunteering::door_profile(involvement, &record.area_id)));
                }
            }
            Some(_) => pending.volunteering_refused.push(resident.id.clone()),
            None => {}
        }
    }
    if let Action::FollowUp { owner_id, due_on } = &record.action {
        pending.follow_ups.push(vec![
            Val::Text(item.id.clone()),
            Val::Text(org.to_string()),
            Val::Text(owner_id.clone()),
            Val::Text(due_on.clone()),
            Val::Text("open".to_string()),
            Val::Int(1),
            Val::Int(received_at),
            // The conversation's, for the dashboard's filters.
            Val::Int(record.occurred_at),
            Val::Text(record.area_id.clone()),
            Val::Text(kind.to_string()),
            Val::Text(cx.user.id.clone()),
        ]);
        if !erased && !record.commitments.is_empty() {
            pending.agreed.push(item.id.clone());
        }
        // Checked by `validate`: commitments come with a follow-up. Their words are about the
        // resident, so a resident erased since the visit leaves only what each side was.
        for (n, c) in record.commitments.iter().enumerate() {
            let position = n as i64 + 1;
            pending.commitments.push(vec![
                Val::Text(format!("{}:{position}", item.id)),
                Val::Text(org.to_string()),
                Val::Text(item.id.clone()),
                Val::Int(position),
                Val::Text(c.side.as_str().to_string()),
                Val::Text(if erased { String::new() } else { c.text.trim().to_string() }),
                Val::OptText(c.owner_id.clone()),
                Val::OptText(c.due_on.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_string)),
                Val::OptText(c.service_id.clone()),
                Val::Int(received_at),
            ]);
        }
    }
    Ok(ItemOutcome::Stored)
}

pub(super) async fn apply_follow_up_update(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    let update: FollowUpResolution = match parse(item) {
        Ok(u) => u,
        Err(o) => return Ok(o),
    };
    if let Err(errors) = update.validate() {
        return Ok(from_fields(errors));
    }
    let Some(base_version) = item.base_version else {
        return Ok(rejected("base_version", Msg::ChangeSaysNoBaseVersion));
    };
    let current: Option<(String, i64, String)> =
        sqlx::query_as("SELECT owner_id, version, status FROM follow_ups WHERE id = $1 AND organisation_id = $2")
            .bind(&update.follow_up_id)
            .bind(org)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((owner_id, version, status)) = current else {
        return Ok(rejected("follow_up_id", Msg::FollowUpDoesNotExist));
    };
    if owner_id != cx.user.id && !cx.is_admin {
        return Ok(rejected("follow_up_id", Msg::OnlyOwnerResolves));
    }
    if version != base_version {
        return Ok(ItemOutcome::Conflict { current: serde_json::json!({ "version": version, "status": status }) });
    }
    // How each of its commitments ended. A tablet from before commitments (schema 1) says
    // nothing of them: they stay open, and count as not settled.
    let open: Vec<i64> = sqlx::query_scalar(
        "SELECT position FROM commitments WHERE follow_up_id = $1 AND organisation_id = $2 AND status = 'open' ORDER BY position",
    )
    .bind(&update.follow_up_id)
    .bind(org)
    .fetch_all(&mut **tx)
    .await?;
    if item.schema >= 2 || !update.commitments.is_empty() {
        let open: Vec<u32> = open.iter().filter_map(|&p| u32::try_from(p).ok()).collect();
        let mut problems = FieldErrors::new();
        crate::domain::commitment::check_settlements(&update.commitments, &open, &mut problems);
        if let Err(errors) = problems.into_result() {
            return Ok(from_fields(errors));
        }
    }
    // About a resident erased since: resolved, but their notes are not kept.
    let erased: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM interactions i JOIN residents r ON r.id = i.resident_id WHERE i.id = $1 AND r.erased_at IS NOT NULL",
    )
    .bind(&update.follow_up_id)
    .fetch_optional(&mut **tx)
    .await?;
    let note = if erased.unwrap_or(0) > 0 { "" } else { update.note.trim() };
    let changed = sqlx::query(
        "UPDATE follow_ups SET status = 'resolved', resolution_note = $1, resolved_by = $2, resolved_at = $3, version = version + 1 \
         WHERE id = $4 AND organisation_id = $5 AND version = $6",
    )
    .bind(note)
    .bind(&cx.user.id)
    .bind(received_at)
    .bind(&update.follow_up_id)
    .bind(org)
    .bind(base_version)
    .execute(&mut **tx)
    .await?;
    if changed.rows_affected() != 1 {
        return Ok(ItemOutcome::Conflict { current: serde_json::json!({ "version": version + 1 }) });
    }
    sqlx::query(
        "INSERT INTO follow_up_updates (id, organisation_id, follow_up_id, made_by, base_version, note, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&item.id)
    .bind(org)
    .bind(&update.follow_up_id)
    .bind(&cx.user.id)
    .bind(base_version)
    .bind(note)
    .bind(received_at)
    .execute(&mut **tx)
    .await?;
    for settled in &update.commitments {
        sqlx::query(
            "UPDATE commitments SET status = $1, outcome_reason = $2, settled_by = $3, settled_at = $4 \
             WHERE follow_up_id = $5 AND position = $6 AND organisation_id = $7 AND status = 'open'",
        )
        .bind(settled.status.as_str())
        .bind(if erased.unwrap_or(0) > 0 { "" } else { settled.reason.trim() })
        .bind(&cx.user.id)
        .bind(received_at)
        .bind(&update.follow_up_id)
        .bind(i64::from(settled.position))
        .bind(org)
        .execute(&mut **tx)
        .await?;
    }
    if !update.commitments.is_empty() {
        // Its conversation's day counts them: rebuilt before the dashboard reads it.
        crate::server::repo::intelligence::after_conversation_changed(tx, org, &update.follow_up_id).await?;
    }
    if erased.unwrap_or(0) == 0 {
        tell_resident_resolved(tx, cx, &update.follow_up_id, received_at).await?;
    }
    Ok(ItemOutcome::Stored)
}

/// The resident of a conversation, if they can be told about it: not erased, with an email
/// address (their account's, verified, or the contact given at the door), and consent to be
/// contacted about their issue. (resident id, name, email, when, organisation's name, the
/// language to write in: their account's choice, else the one they asked for at the door)
async fn resident_to_tell(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    interaction_id: &str,
) -> sqlx::Result<Option<(String, String, String, i64, String, crate::i18n::Locale)>> {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::consent_state;
    let org = cx.user.organisation_id.as_str();
    type Found = (String, String, String, Option<String>, i64, String, String, Option<String>);
    let found: Option<Found> = sqlx::query_as(
        "SELECT r.id, r.name, r.contact, CASE WHEN u.email_verified_at IS NOT NULL AND u.active = 1 THEN u.email END, i.occurred_at, o.name, \
         r.preferred_language, u.language \
         FROM interactions i JOIN residents r ON r.id = i.resident_id LEFT JOIN residents la ON la.id = r.linked_to \
         LEFT JOIN users u ON u.id = COALESCE(r.user_id, la.user_id) JOIN organisations o ON o.id = i.organisation_id \
         WHERE i.id = $1 AND i.organisation_id = $2 AND r.erased_at IS NULL",
    )
    .bind(interaction_id)
    .bind(org)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((resident, name, contact, account_email, occurred_at, organisation, preferred, saved)) = found else { return Ok(None) };
    let Some(email) = account_email.or_else(|| crate::domain::validation::contact_email(&contact)) else { return Ok(None) };
    let ledger = crate::server::repo::privacy::consent_ledger(&mut **tx, &resident).await?;
    if !consent_state(&ledger, ConsentPurpose::ContactAboutIssue).granted() {
        return Ok(None);
    }
    let locale = crate::language::choice::for_letters(saved.as_deref(), Some(&preferred), crate::language::page_locale());
    Ok(Some((resident, name, email, occurred_at, organisation, locale)))
}

/// Queues one letter to a resident found by [`resident_to_tell`]. The sender checks the consent
/// again when it goes.
async fn queue_for_resident(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    (resident, name, email): (&str, &str, &str),
    kind: crate::domain::mail::MessageKind,
    letter: crate::domain::mail::Letter,
    locale: crate::i18n::Locale,
    at: i64,
) -> sqlx::Result<()> {
    let message = crate::server::mail::Outgoing {
        organisation_id: &cx.user.organisation_id,
        kind,
        to_address: email,
        to_name: name,
        letter,
        lang: crate::language::choice::code(locale),
        consultation_id: None,
        consent: Some((resident, crate::domain::outreach::ConsentPurpose::ContactAboutIssue)),
    };
    crate::server::mail::queue(tx, &cx.link_base, message, at).await.map(|_| ())
}

/// "We did what we said": the resident whose issue it was hears that it has been resolved, if
/// they can be told. The words are the app's, not the worker's note (written for colleagues).
pub(super) async fn tell_resident_resolved(tx: &mut Transaction<'_, Any>, cx: &Context, follow_up_id: &str, at: i64) -> sqlx::Result<()> {
    let Some((resident, name, email, occurred_at, organisation, locale)) = resident_to_tell(tx, cx, follow_up_id).await? else {
        return Ok(());
    };
    let themes: Vec<String> = sqlx::query_scalar(
        "SELECT t.name FROM interaction_issues ii JOIN themes t ON t.id = ii.theme_id WHERE ii.interaction_id = $1 ORDER BY t.name",
    )
    .bind(follow_up_id)
    .fetch_all(&mut **tx)
    .await?;
    let letter = crate::server::letters::issue_resolved(
        locale,
        &organisation,
        &name,
        &themes,
        &crate::domain::calendar::uk_date(occurred_at),
        &cx.user.display_name,
    );
    queue_for_resident(tx, cx, (&resident, &name, &email), crate::domain::mail::MessageKind::FollowUpResolved, letter, locale, at).await
}

/// "This is what we will do, this is what you can do": after a conversation that agreed
/// commitments, the resident gets them in writing, if they can be told.
pub(super) async fn tell_resident_agreed(tx: &mut Transaction<'_, Any>, cx: &Context, interaction_id: &str, at: i64) -> sqlx::Result<()> {
    use crate::domain::commitment::Side;
    let Some((resident, name, email, occurred_at, organisation, locale)) = resident_to_tell(tx, cx, interaction_id).await? else {
        return Ok(());
    };
    // side, text, owner's name, service's name, due_on.
    type Row = (String, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.side, c.text, u.display_name, s.name, c.due_on FROM commitments c LEFT JOIN users u ON u.id = c.owner_id \
         LEFT JOIN services s ON s.id = c.service_id WHERE c.follow_up_id = $1 ORDER BY c.position",
    )
    .bind(interaction_id)
    .fetch_all(&mut **tx)
    .await?;
    let (mut we, mut you) = (Vec::new(), Vec::new());
    for (side, text, who, service, due) in rows {
        let agreed = crate::server::letters::Agreed { what: text, who, service, due };
        match Side::parse(&side) {
            Some(Side::We) => we.push(agreed),
            Some(Side::You) => you.push(agreed),
            None => {}
        }
    }
    if we.is_empty() && you.is_empty() {
        return Ok(());
    }
    let spoke_on = crate::domain::calendar::uk_date(occurred_at);
    let letter = crate::server::letters::commitments_agreed(locale, &organisation, &name, &spoke_on, &cx.user.display_name, &we, &you);
    queue_for_resident(tx, cx, (&resident, &name, &email), crate::domain::mail::MessageKind::CommitmentsAgreed, letter, locale, at).await
}
