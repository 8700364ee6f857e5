//! Applying a device's batch: one transaction, each item stored by its device-made id at most
//! once, each with its own outcome. A bad item is rejected alone; the rest are stored.

use super::{now, repo::users::UserRow};
use crate::api::ReferenceData;
use crate::domain::outreach::{Action, EventRecord, FollowUpResolution, InteractionRecord};
use crate::domain::sync::{ItemOutcome, ItemResult, SyncItem, SCHEMA_VERSION};
use crate::domain::FieldErrors;
use sqlx::{Any, AnyConnection, Transaction};
use std::collections::{HashMap, HashSet};

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

/// One value for a multi-row insert.
enum Val {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

/// `INSERT INTO table (cols) VALUES (...), (...)` for `rows` rows, with `$n` placeholders.
fn multi_insert(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    sql
}

/// Inserts many rows with as few statements as the bind limits allow (one per 50 rows).
async fn insert_rows(conn: &mut AnyConnection, table: &str, columns: &[&str], rows: Vec<Vec<Val>>) -> sqlx::Result<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(50).collect();
        let sql = multi_insert(table, columns, chunk.len());
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Val::Text(s) => q.bind(s),
                    Val::OptText(s) => q.bind(s),
                    Val::Int(i) => q.bind(i),
                    Val::OptInt(i) => q.bind(i),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Which of `ids` already exist in `table`, and in which organisation — one query.
async fn existing_many(conn: &mut AnyConnection, table: &str, ids: &[&str]) -> sqlx::Result<HashMap<String, String>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(200) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!("SELECT id, organisation_id FROM {table} WHERE id IN ({})", placeholders.join(", "));
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        found.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

fn replay_outcome(found: &HashMap<String, String>, id: &str, org: &str) -> Option<ItemOutcome> {
    found.get(id).map(|o| {
        if o == org {
            ItemOutcome::AlreadyStored
        } else {
            rejected("id", "This record's id is already in use. It cannot be stored.")
        }
    })
}

/// Rows of new interactions, written together once every item has been checked.
#[derive(Default)]
struct Pending {
    interactions: Vec<Vec<Val>>,
    issues: Vec<Vec<Val>>,
    consents: Vec<Vec<Val>>,
    follow_ups: Vec<Vec<Val>>,
}

/// Applies `items` inside `tx`. Returns one result per item, in the same order. Events go first
/// (contacts refer to them), then new interactions and what hangs off them in a few multi-row
/// statements, then follow-up edits (which may refer to a follow-up made in the same batch).
pub async fn apply(tx: &mut Transaction<'_, Any>, cx: &Context<'_>, items: &[SyncItem]) -> sqlx::Result<Vec<ItemResult>> {
    let org = cx.user.organisation_id.as_str();
    let of_kind = |kind: &str| -> Vec<&str> { items.iter().filter(|i| i.kind == kind).map(|i| i.id.as_str()).collect() };
    let stored_interactions = existing_many(tx, "interactions", &of_kind("interaction")).await?;
    let stored_events = existing_many(tx, "events", &of_kind("event")).await?;
    let stored_updates = existing_many(tx, "follow_up_updates", &of_kind("follow_up_update")).await?;
    let referenced: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == "interaction")
        .filter_map(|i| i.payload.get("event_id").and_then(|v| v.as_str()))
        .collect();
    let mut known_events: HashSet<String> =
        existing_many(tx, "events", &referenced).await?.into_iter().filter(|(_, o)| o == org).map(|(id, _)| id).collect();

    let received_at = now();
    let mut outcomes: Vec<Option<ItemOutcome>> = Vec::with_capacity(items.len());
    // The same record twice in one batch: the first copy decides, and the copy gets its answer.
    let mut first_copy: HashMap<&str, usize> = HashMap::new();
    let mut copies: Vec<(usize, usize)> = Vec::new();
    let mut pending = Pending::default();
    for (index, item) in items.iter().enumerate() {
        let outcome = if let Some(&first) = first_copy.get(item.id.as_str()) {
            copies.push((index, first));
            Some(ItemOutcome::AlreadyStored)
        } else if uuid::Uuid::parse_str(&item.id).is_err() {
            Some(rejected("id", "This record has no valid id. It cannot be stored."))
        } else if !schema_supported(item.schema) {
            Some(rejected("schema", "This record was made by a different version of Mobilise. Reload the app, then open the record and save it again."))
        } else {
            match item.kind.as_str() {
                "event" => Some(match replay_outcome(&stored_events, &item.id, org) {
                    Some(o) => {
                        if o.is_acknowledged() {
                            known_events.insert(item.id.clone());
                        }
                        o
                    }
                    None => apply_event(tx, cx, item, received_at, &mut known_events).await?,
                }),
                "interaction" => Some(match replay_outcome(&stored_interactions, &item.id, org) {
                    Some(o) => o,
                    None => prepare_interaction(tx, cx, item, received_at, &known_events, &mut pending).await?,
                }),
                // Decided after the interactions are written.
                "follow_up_update" => replay_outcome(&stored_updates, &item.id, org),
                other => Some(rejected("kind", format!("Unknown kind of record: {other}"))),
            }
        };
        first_copy.insert(item.id.as_str(), index);
        outcomes.push(outcome);
    }

    const INTERACTION_COLUMNS: &[&str] = &[
        "id", "organisation_id", "worker_id", "kind", "event_id", "area_id", "address", "occurred_at", "outcome", "action",
        "service_id", "felt_heard", "notes", "resident_id", "involvement", "schema_version", "device_id", "created_on_device_at", "received_at",
    ];
    insert_rows(tx, "interactions", INTERACTION_COLUMNS, pending.interactions).await?;
    insert_rows(tx, "interaction_issues", &["interaction_id", "theme_id"], pending.issues).await?;
    insert_rows(
        tx,
        "consents",
        &["id", "organisation_id", "resident_id", "purpose", "granted", "lawful_basis", "wording", "method", "recorded_by", "source_item_id", "occurred_at", "received_at"],
        pending.consents,
    )
    .await?;
    insert_rows(tx, "follow_ups", &["id", "organisation_id", "owner_id", "due_on", "status", "version", "created_at"], pending.follow_ups).await?;

    let mut results = Vec::with_capacity(items.len());
    for (item, outcome) in items.iter().zip(outcomes) {
        let outcome = match outcome {
            Some(o) => o,
            None => apply_follow_up_update(tx, cx, item, received_at).await?,
        };
        results.push(ItemResult { id: item.id.clone(), outcome });
    }
    for (copy, first) in copies {
        // A stored first copy makes the second one a replay; anything else is the same answer.
        results[copy].outcome = match &results[first].outcome {
            ItemOutcome::Stored | ItemOutcome::AlreadyStored => ItemOutcome::AlreadyStored,
            other => other.clone(),
        };
    }
    Ok(results)
}

/// The organisation a row with this id belongs to, if the row exists.
async fn owner_org(conn: &mut AnyConnection, table: &str, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(&format!("SELECT organisation_id FROM {table} WHERE id = $1")).bind(id).fetch_optional(conn).await
}

async fn apply_event(
    tx: &mut Transaction<'_, Any>,
    cx: &Context<'_>,
    item: &SyncItem,
    received_at: i64,
    known_events: &mut HashSet<String>,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
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

/// Checks a new interaction, writes its resident (if new) and queues its rows.
async fn prepare_interaction(
    tx: &mut Transaction<'_, Any>,
    cx: &Context<'_>,
    item: &SyncItem,
    received_at: i64,
    known_events: &HashSet<String>,
    pending: &mut Pending,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
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
        resident_id = Some(resident.id.clone());
    }

    let service_id = match &record.action {
        Action::ReferredToService { service_id } => Some(service_id.clone()),
        _ => None,
    };
    let involvement = record.involvement.as_ref().filter(|i| !i.is_empty()).map(|i| serde_json::to_string(i).unwrap_or_default());
    let kind = match record.kind {
        crate::domain::outreach::InteractionKind::Doorstep => "doorstep",
        crate::domain::outreach::InteractionKind::Event => "event",
    };
    pending.interactions.push(vec![
        Val::Text(item.id.clone()),
        Val::Text(org.to_string()),
        Val::Text(cx.user.id.clone()),
        Val::Text(kind.to_string()),
        Val::OptText(record.event_id.clone()),
        Val::Text(record.area_id.clone()),
        Val::Text(record.address.trim().to_string()),
        Val::Int(record.occurred_at),
        Val::Text(record.outcome.as_str().to_string()),
        Val::Text(record.action.as_str().to_string()),
        Val::OptText(service_id),
        Val::OptInt(record.felt_heard.map(i64::from)),
        Val::Text(record.notes.trim().to_string()),
        Val::OptText(resident_id.clone()),
        Val::OptText(involvement),
        Val::Int(item.schema as i64),
        Val::Text(cx.device_id.to_string()),
        Val::Int(item.created_on_device_at),
        Val::Int(received_at),
    ]);
    for theme_id in &record.issues {
        pending.issues.push(vec![Val::Text(item.id.clone()), Val::Text(theme_id.clone())]);
    }
    if let Some(resident_id) = resident_id {
        for c in &record.consents {
            pending.consents.push(vec![
                Val::Text(format!("{}:{}", item.id, c.purpose.as_str())),
                Val::Text(org.to_string()),
                Val::Text(resident_id.clone()),
                Val::Text(c.purpose.as_str().to_string()),
                Val::Int(i64::from(c.granted)),
                Val::Text(c.lawful_basis.as_str().to_string()),
                Val::Text(c.purpose.wording().to_string()),
                Val::Text("doorstep".to_string()),
                Val::Text(cx.user.id.clone()),
                Val::Text(item.id.clone()),
                Val::Int(record.occurred_at),
                Val::Int(received_at),
            ]);
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
        ]);
    }
    Ok(ItemOutcome::Stored)
}

async fn apply_follow_up_update(tx: &mut Transaction<'_, Any>, cx: &Context<'_>, item: &SyncItem, received_at: i64) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
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
