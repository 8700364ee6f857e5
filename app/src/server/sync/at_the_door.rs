//! What a resident answered or agreed at the door: a consultation's answers, interest in
//! volunteering, and a change of consent.

use super::*;
use crate::domain::sync::{ItemOutcome, SyncItem};
use sqlx::{Any, Transaction};

/// A resident's answers to a consultation, taken at the door by the worker.
#[derive(serde::Deserialize)]
pub(super) struct AssistedResponse {
    consultation_id: String,
    #[serde(default)]
    answers: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    area_id: Option<String>,
    /// The language the questions were asked in ("en" or "cy"; a tablet from before sends none).
    #[serde(default)]
    language: Option<crate::domain::outreach::SpokenLanguage>,
}

pub(super) async fn apply_assisted_response(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    use crate::domain::consultation::{accepts_input, check_answers, Stage};
    use crate::domain::outreach::SpokenLanguage;
    use crate::server::repo::consultations as repo;
    let org = cx.user.organisation_id.as_str();
    let participant = format!("assisted:{}", item.id);
    let stored: Option<(String,)> =
        sqlx::query_as("SELECT organisation_id FROM responses WHERE participant = $1").bind(&participant).fetch_optional(&mut **tx).await?;
    if let Some((owner,)) = stored {
        return Ok(if owner == org { ItemOutcome::AlreadyStored } else { rejected("id", Msg::IdAlreadyInUse) });
    }
    let response: AssistedResponse = match parse(item) {
        Ok(r) => r,
        Err(o) => return Ok(o),
    };
    let found: Option<(String, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT organisation_id, stage, opens_on, closes_on FROM consultations WHERE id = $1")
            .bind(&response.consultation_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((_, stage, opens_on, closes_on)) = found.filter(|f| f.0 == org) else {
        return Ok(rejected("consultation_id", Msg::ConsultationDoesNotExist));
    };
    // Judged by the day it reaches the server: a consultation that closed while the tablet
    // was offline no longer takes responses, and the worker is told so.
    let today = crate::server::uk_today();
    let stage = Stage::parse(&stage).unwrap_or(Stage::Closed);
    if let Err(message) = accepts_input(stage, opens_on.as_deref(), closes_on.as_deref(), &today) {
        return Ok(rejected("consultation_id", message));
    }
    let questions = repo::questions(&mut **tx, &response.consultation_id).await?;
    let answers = match check_answers(&questions, &response.answers) {
        Ok(a) => a,
        Err(errors) => return Ok(from_fields(errors)),
    };
    // Asked in English or Welsh, the languages a consultation is written in: nothing else.
    if response.language == Some(SpokenLanguage::Other) {
        return Ok(rejected("language", Msg::AskedInEnglishOrWelsh));
    }
    let area_id = response.area_id.filter(|a| !a.is_empty());
    if let Some(area) = &area_id {
        let known: Option<(String,)> = sqlx::query_as("SELECT area_id FROM consultation_areas WHERE consultation_id = $1 AND area_id = $2")
            .bind(&response.consultation_id)
            .bind(area)
            .fetch_optional(&mut **tx)
            .await?;
        if known.is_none() {
            return Ok(rejected("area_id", Msg::ChooseOneConsultationsAreas));
        }
    }
    // A worker takes responses for people who cannot respond themselves; a day's worth is
    // bounded, so no one account can stuff a consultation (results show each worker's count).
    let taken_today: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE recorded_by = $1 AND assisted = 1 AND created_at > $2")
        .bind(&cx.user.id)
        .bind(received_at - 24 * 3600)
        .fetch_one(&mut **tx)
        .await?;
    if taken_today >= crate::domain::consultation::MAX_ASSISTED_PER_WORKER_PER_DAY {
        return Ok(rejected(
            "consultation_id",
            Msg::TooManyAssistedResponses { count: crate::domain::consultation::MAX_ASSISTED_PER_WORKER_PER_DAY as u64 },
        ));
    }
    let new = repo::NewResponse {
        organisation_id: org,
        consultation_id: &response.consultation_id,
        participant: &participant,
        assisted: true,
        recorded_by: Some(&cx.user.id),
        area_id: area_id.as_deref(),
        email: None,
        notify: false,
        answers: &answers,
        email_proven: false,
        confirmation: None,
        // Only the language it was asked in: no address is kept at the door.
        language: match response.language {
            Some(SpokenLanguage::English) => "en",
            Some(SpokenLanguage::Welsh) => "cy",
            _ => "",
        },
    };
    repo::insert_assisted(tx, &new, received_at).await?;
    Ok(ItemOutcome::Stored)
}

/// Interest a worker registered at the door for a resident (sync kind `volunteer_interest`).
#[derive(serde::Deserialize)]
pub(super) struct DoorInterest {
    opportunity_id: String,
    resident_id: String,
    #[serde(default)]
    message: String,
}

pub(super) async fn apply_volunteer_interest(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    use crate::domain::volunteering::MAX_MESSAGE_LEN;
    use crate::server::repo::volunteering::{insert_interest, network_of, NewInterest};
    let org = cx.user.organisation_id.as_str();
    let stored: Option<(Option<String>,)> =
        sqlx::query_as("SELECT r.organisation_id FROM volunteer_interests i LEFT JOIN residents r ON r.id = i.resident_id WHERE i.id = $1")
            .bind(&item.id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((owner,)) = stored {
        return Ok(if owner.as_deref() == Some(org) { ItemOutcome::AlreadyStored } else { rejected("id", Msg::IdAlreadyInUse) });
    }
    let d: DoorInterest = match parse(item) {
        Ok(d) => d,
        Err(o) => return Ok(o),
    };
    if d.message.trim().chars().count() > MAX_MESSAGE_LEN {
        return Ok(rejected("message", Msg::TooLong { what: crate::domain::Label::Message, max: MAX_MESSAGE_LEN as i64 }));
    }
    if owner_org(tx, "residents", &d.resident_id).await?.as_deref() != Some(org) {
        return Ok(rejected("resident_id", Msg::ResidentNotKnownSaveFirst));
    }
    if crate::server::repo::privacy::is_erased(tx, &d.resident_id).await? {
        return Ok(rejected("resident_id", Msg::ResidentErasedCannotPutForward));
    }
    let network = network_of(&mut **tx, org).await?;
    let found: Option<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT organisation_id, network_id, status, on_date FROM opportunities WHERE id = $1")
            .bind(&d.opportunity_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((group, _, status, on_date)) = found.filter(|f| f.1 == network) else {
        return Ok(rejected("opportunity_id", Msg::OpportunityDoesNotExist));
    };
    if status != "open" || on_date.is_some_and(|d| d < crate::server::uk_today()) {
        return Ok(rejected("opportunity_id", Msg::OpportunityStoppedBeforeReached));
    }
    if !volunteering_agreed(tx, &d.resident_id).await? {
        return Ok(rejected("consent", Msg::ResidentNotAgreedVolunteering));
    }
    let new = NewInterest {
        id: &item.id,
        opportunity_id: &d.opportunity_id,
        organisation_id: &group,
        user_id: None,
        resident_id: Some(&d.resident_id),
        // The consent they gave at the door covers passing their details to the group.
        share_contact: true,
        message: d.message.trim(),
        recorded_by: Some(&cx.user.id),
    };
    if !insert_interest(&mut **tx, &new, received_at).await? {
        return Ok(ItemOutcome::AlreadyStored);
    }
    crate::server::repo::intelligence::after_resident_changed(tx, cx.backend, &d.resident_id).await?;
    Ok(ItemOutcome::Stored)
}

/// Whether the resident's newest answer about volunteering (on any of their records) is "yes" to words that let local
/// groups have their details. The rule is `domain::privacy::consent_state`'s: the decision made
/// last wins, whenever it arrived, and a "no" wins a tie.
pub(super) async fn volunteering_agreed(tx: &mut Transaction<'_, Any>, resident_id: &str) -> sqlx::Result<bool> {
    use crate::domain::outreach::ConsentPurpose;
    let newest: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT granted, wording FROM consents WHERE resident_id IN {} AND purpose = 'volunteering_opportunities' \
         ORDER BY occurred_at DESC, granted ASC, received_at DESC, id DESC LIMIT 1",
        crate::server::repo::people::person_of("$1")
    ))
    .bind(resident_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(newest.is_some_and(|(granted, wording)| granted == 1 && ConsentPurpose::shares_with_groups(&wording)))
}

/// A resident's change of mind about one purpose, told to a worker (often offline, at the
/// door). Appended to the ledger under the device's id for it, so a replay is recognised; the
/// current state follows `domain::privacy::consent_state`, so a "no" given since always wins
/// over a "yes" that reaches the server later.
pub(super) async fn apply_consent_change(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::ConsentChange;
    let org = cx.user.organisation_id.as_str();
    if let Some(owner) = owner_org(tx, "consents", &item.id).await? {
        return Ok(if owner == org { ItemOutcome::AlreadyStored } else { rejected("id", Msg::IdAlreadyInUse) });
    }
    let change: ConsentChange = match parse(item) {
        Ok(c) => c,
        Err(o) => return Ok(o),
    };
    if let Err(errors) = change.validate() {
        return Ok(from_fields(errors));
    }
    // A decision dated before 2000 is a broken clock: it would sort before every real decision
    // and a "no" would be silently outranked. (A fast clock is taken as arrival, below.)
    if change.occurred_at <= crate::domain::outreach::EARLIEST {
        return Ok(rejected("occurred_at", Msg::TabletClockNoRealDate));
    }
    if owner_org(tx, "residents", &change.resident_id).await?.as_deref() != Some(org) {
        return Ok(rejected("resident_id", Msg::ResidentNotKnownHere));
    }
    if crate::server::repo::privacy::is_erased(tx, &change.resident_id).await? {
        return Ok(rejected("resident_id", Msg::ResidentErasedNothingToConsent));
    }
    let wording = change.purpose.stored_wording(change.wording.as_deref()).unwrap_or(change.purpose.wording());
    sqlx::query(
        "INSERT INTO consents (id, organisation_id, resident_id, purpose, granted, lawful_basis, wording, method, recorded_by, source_item_id, occurred_at, received_at) \
         VALUES ($1, $2, $3, $4, $5, 'consent', $6, $7, $8, $1, $9, $10)",
    )
    .bind(&item.id)
    .bind(org)
    .bind(&change.resident_id)
    .bind(change.purpose.as_str())
    .bind(i64::from(change.granted))
    .bind(wording)
    .bind(change.method.as_str())
    .bind(&cx.user.id)
    // Never later than it reached the server (a tablet's clock may run fast).
    .bind(change.occurred_at.min(received_at))
    .bind(received_at)
    .execute(&mut **tx)
    .await?;
    if change.purpose == ConsentPurpose::VolunteeringOpportunities {
        // Groups may be shown them only while their newest answer is yes.
        if volunteering_agreed(tx, &change.resident_id).await? {
            sqlx::query("UPDATE volunteer_profiles SET open_to_suggestions = 1 WHERE resident_id = $1")
                .bind(&change.resident_id)
                .execute(&mut **tx)
                .await?;
        } else {
            crate::server::repo::privacy::withdraw_volunteering(tx, &change.resident_id).await?;
        }
    }
    // Who changed it, and with which tablet (the audit log's "from where" for synced records).
    let detail = format!("consent {}: {} (at the door)", change.purpose.as_str(), if change.granted { "yes" } else { "no" });
    let device = format!("tablet {}", cx.device_id.chars().take(64).collect::<String>());
    crate::server::repo::privacy::audit(
        tx,
        crate::server::repo::privacy::AuditEntry {
            organisation_id: org,
            actor: Some(&cx.user.id),
            action: crate::domain::privacy::AuditAction::Changed,
            resident_id: Some(&change.resident_id),
            detail: &detail,
            address: &device,
            at: received_at,
        },
    )
    .await?;
    Ok(ItemOutcome::Stored)
}
