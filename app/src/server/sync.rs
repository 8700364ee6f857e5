//! Applying a device's batch: one transaction, each item stored by its device-made id at most
//! once, each with its own outcome. A bad item is rejected alone; the rest are stored.

use super::{now, repo::users::UserRow};
use crate::api::ReferenceData;
use crate::domain::outreach::{Action, EventRecord, FollowUpResolution, InteractionRecord};
use crate::domain::sync::{ItemOutcome, ItemResult, SyncItem, SCHEMA_VERSION};
use crate::domain::FieldErrors;
use sqlx::{Any, AnyConnection, Transaction};
use std::collections::HashSet;

/// Everything the checks need that does not change during a batch.
pub struct Context<'a> {
    pub user: &'a UserRow,
    pub device_id: &'a str,
    pub reference: &'a ReferenceData,
    pub is_admin: bool,
}

fn rejected(field: &str, reason: impl Into<String>) -> ItemOutcome {
    ItemOutcome::Rejected { field: field.into(), reason: reason.into() }
}

fn from_fields(errors: FieldErrors) -> ItemOutcome {
    let first = errors.0.into_iter().next().unwrap_or(crate::domain::FieldError { field: "payload".into(), message: "Invalid record".into() });
    rejected(&first.field, first.message)
}

fn parse<T: serde::de::DeserializeOwned>(item: &SyncItem) -> Result<T, ItemOutcome> {
    serde_json::from_value(item.payload.clone()).map_err(|e| {
        // serde's message names the field ("missing field `area_id`"); keep it, it is about the
        // record's shape and says nothing about the server.
        rejected("payload", format!("This record could not be read: {e}"))
    })
}

/// The versions of the payload schema this server reads: the current one and the one before,
/// so a tablet that was offline through an upgrade still syncs.
pub fn schema_supported(schema: u32) -> bool {
    schema == SCHEMA_VERSION || (SCHEMA_VERSION > 1 && schema == SCHEMA_VERSION - 1)
}

/// Applies `items` in order inside `tx`. Returns one result per item, in the same order.
pub async fn apply(tx: &mut Transaction<'_, Any>, cx: &Context<'_>, items: &[SyncItem]) -> sqlx::Result<Vec<ItemResult>> {
    let org = &cx.user.organisation_id;
    // Events this batch may refer to: the organisation's, plus those stored earlier in the batch.
    let mut known_events: HashSet<String> = HashSet::new();
    let referenced: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == "interaction")
        .filter_map(|i| i.payload.get("event_id").and_then(|v| v.as_str()))
        .collect();
    for id in referenced {
        if owner_org(tx, "events", id).await?.as_deref() == Some(org.as_str()) {
            known_events.insert(id.to_string());
        }
    }

    let received_at = now();
    let mut results = Vec::with_capacity(items.len());
    let mut seen_in_batch: HashSet<&str> = HashSet::new();
    for item in items {
        let outcome = if !seen_in_batch.insert(item.id.as_str()) {
            // The same record twice in one batch: the first copy decides.
            ItemOutcome::AlreadyStored
        } else if uuid::Uuid::parse_str(&item.id).is_err() {
            rejected("id", "This record has no valid id. It cannot be stored.")
        } else if !schema_supported(item.schema) {
            rejected("schema", "This record was made by a different version of Mobilise. Reload the app, then open the record and save it again.")
        } else {
            match item.kind.as_str() {
                "event" => apply_event(tx, cx, item, received_at, &mut known_events).await?,
                "interaction" => apply_interaction(tx, cx, item, received_at, &known_events).await?,
                "follow_up_update" => apply_follow_up_update(tx, cx, item, received_at).await?,
                other => rejected("kind", format!("Unknown kind of record: {other}")),
            }
        };
        results.push(ItemResult { id: item.id.clone(), outcome });
    }
    Ok(results)
}

/// The organisation a row with this id belongs to, if the row exists.
async fn owner_org(conn: &mut AnyConnection, table: &str, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(&format!("SELECT organisation_id FROM {table} WHERE id = $1")).bind(id).fetch_optional(conn).await
}

/// A row with this id already exists: ours means a replay; another organisation's is refused
/// without saying anything about it.
async fn existing(conn: &mut AnyConnection, table: &str, id: &str, org: &str) -> sqlx::Result<Option<ItemOutcome>> {
    Ok(match owner_org(conn, table, id).await? {
        None => None,
        Some(o) if o == org => Some(ItemOutcome::AlreadyStored),
        Some(_) => Some(rejected("id", "This record's id is already in use. It cannot be stored.")),
    })
}

async fn apply_event(
    tx: &mut Transaction<'_, Any>,
    cx: &Context<'_>,
    item: &SyncItem,
    received_at: i64,
    known_events: &mut HashSet<String>,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    if let Some(outcome) = existing(tx, "events", &item.id, org).await? {
        if outcome.is_acknowledged() {
            known_events.insert(item.id.clone());
        }
        return Ok(outcome);
    }
    let event: EventRecord = match parse(item) {
        Ok(e) => e,
        Err(o) => return Ok(o),
    };
    if let Err(errors) = event.validate(cx.reference) {
        return Ok(from_fields(errors));
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
    .bind(cx.device_id)
    .bind(item.created_on_device_at)
    .bind(received_at)
    .execute(&mut **tx)
    .await?;
    known_events.insert(item.id.clone());
    Ok(ItemOutcome::Stored)
}

async fn apply_interaction(
    tx: &mut Transaction<'_, Any>,
    cx: &Context<'_>,
    item: &SyncItem,
    received_at: i64,
    known_events: &HashSet<String>,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    if let Some(outcome) = existing(tx, "interactions", &item.id, org).await? {
        return Ok(outcome);
    }
    let record: InteractionRecord = match parse(item) {
        Ok(r) => r,
        Err(o) => return Ok(o),
    };
    if let Err(errors) = record.validate(cx.reference, |id| known_events.contains(id)) {
        return Ok(from_fields(errors));
    }

    let mut resident_id = None;
    if let Some(resident) = &record.resident {
        match owner_org(tx, "residents", &resident.id).await? {
            Some(o) if o != org => return Ok(rejected("resident_name", "This resident's record cannot be used here.")),
            Some(_) => {}
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
        resident_id = Some(resident.id.as_str());
    }

    let service_id = match &record.action {
        Action::ReferredToService { service_id } => Some(service_id.as_str()),
        _ => None,
    };
    let involvement = record.involvement.as_ref().filter(|i| !i.is_empty()).map(|i| serde_json::to_string(i).unwrap_or_default());
    sqlx::query(
        "INSERT INTO interactions (id, organisation_id, worker_id, kind, event_id, area_id, address, occurred_at, outcome, action, \
         service_id, felt_heard, notes, resident_id, involvement, schema_version, device_id, created_on_device_at, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(&item.id)
    .bind(org)
    .bind(&cx.user.id)
    .bind(match record.kind {
        crate::domain::outreach::InteractionKind::Doorstep => "doorstep",
        crate::domain::outreach::InteractionKind::Event => "event",
    })
    .bind(record.event_id.as_deref())
    .bind(&record.area_id)
    .bind(record.address.trim())
    .bind(record.occurred_at)
    .bind(record.outcome.as_str())
    .bind(record.action.as_str())
    .bind(service_id)
    .bind(record.felt_heard.map(i64::from))
    .bind(record.notes.trim())
    .bind(resident_id)
    .bind(involvement)
    .bind(item.schema as i64)
    .bind(cx.device_id)
    .bind(item.created_on_device_at)
    .bind(received_at)
    .execute(&mut **tx)
    .await?;

    for theme_id in &record.issues {
        sqlx::query("INSERT INTO interaction_issues (interaction_id, theme_id) VALUES ($1, $2)")
            .bind(&item.id)
            .bind(theme_id)
            .execute(&mut **tx)
            .await?;
    }
    if let (Some(resident_id), false) = (resident_id, record.consents.is_empty()) {
        for c in &record.consents {
            sqlx::query(
                "INSERT INTO consents (id, organisation_id, resident_id, purpose, granted, lawful_basis, wording, method, \
                 recorded_by, source_item_id, occurred_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'doorstep', $8, $9, $10, $11)",
            )
            .bind(format!("{}:{}", item.id, c.purpose.as_str()))
            .bind(org)
            .bind(resident_id)
            .bind(c.purpose.as_str())
            .bind(i64::from(c.granted))
            .bind(c.lawful_basis.as_str())
            .bind(c.purpose.wording())
            .bind(&cx.user.id)
            .bind(&item.id)
            .bind(record.occurred_at)
            .bind(received_at)
            .execute(&mut **tx)
            .await?;
        }
    }
    if let Action::FollowUp { owner_id, due_on } = &record.action {
        sqlx::query(
            "INSERT INTO follow_ups (id, organisation_id, owner_id, due_on, status, version, created_at) VALUES ($1, $2, $3, $4, 'open', 1, $5)",
        )
        .bind(&item.id)
        .bind(org)
        .bind(owner_id)
        .bind(due_on)
        .bind(received_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(ItemOutcome::Stored)
}

async fn apply_follow_up_update(tx: &mut Transaction<'_, Any>, cx: &Context<'_>, item: &SyncItem, received_at: i64) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    if let Some(outcome) = existing(tx, "follow_up_updates", &item.id, org).await? {
        return Ok(outcome);
    }
    let update: FollowUpResolution = match parse(item) {
        Ok(u) => u,
        Err(o) => return Ok(o),
    };
    if let Err(errors) = update.validate() {
        return Ok(from_fields(errors));
    }
    let Some(base_version) = item.base_version else {
        return Ok(rejected("base_version", "This change does not say which version it was based on. Open the follow-up and save again."));
    };
    let current: Option<(String, i64, String)> =
        sqlx::query_as("SELECT owner_id, version, status FROM follow_ups WHERE id = $1 AND organisation_id = $2")
            .bind(&update.follow_up_id)
            .bind(org)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((owner_id, version, status)) = current else {
        return Ok(rejected("follow_up_id", "This follow-up does not exist."));
    };
    if owner_id != cx.user.id && !cx.is_admin {
        return Ok(rejected("follow_up_id", "Only the follow-up's owner or an administrator can resolve it."));
    }
    if version != base_version {
        return Ok(ItemOutcome::Conflict { current: serde_json::json!({ "version": version, "status": status }) });
    }
    let changed = sqlx::query(
        "UPDATE follow_ups SET status = 'resolved', resolution_note = $1, resolved_by = $2, resolved_at = $3, version = version + 1 \
         WHERE id = $4 AND organisation_id = $5 AND version = $6",
    )
    .bind(update.note.trim())
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
    .bind(update.note.trim())
    .bind(received_at)
    .execute(&mut **tx)
    .await?;
    Ok(ItemOutcome::Stored)
}
