//! Applying a device's batch: one transaction, each item stored by its device-made id at most
//! once, each with its own outcome. A bad item is rejected alone; the rest are stored.

use super::db::Backend;
use super::{now, repo::users::UserRow};
use crate::domain::outreach::{Action, EventRecord, FollowUpResolution, InteractionRecord};
use crate::domain::sync::{ItemOutcome, ItemResult, SyncItem, SCHEMA_VERSION};
use crate::domain::FieldErrors;
use crate::types::ReferenceData;
use sqlx::{Acquire, Any, AnyConnection, AnyPool, Transaction};
use std::collections::{HashMap, HashSet};
use tokio::sync::{mpsc, oneshot};

/// Everything the checks need that does not change during a batch.
pub struct Context {
    pub user: UserRow,
    pub device_id: String,
    pub reference: ReferenceData,
    pub is_admin: bool,
    pub backend: Backend,
    /// The absolute origin for links in the emails a batch causes.
    pub link_base: String,
}

fn rejected(field: &str, reason: impl Into<String>) -> ItemOutcome {
    ItemOutcome::Rejected { field: field.into(), reason: reason.into() }
}

fn from_fields(errors: FieldErrors) -> ItemOutcome {
    let first =
        errors.0.into_iter().next().unwrap_or(crate::domain::FieldError { field: "payload".into(), message: "Invalid record".into() });
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

/// The `n`th bind placeholder (from 1). SQLite gets anonymous `?`: for numbered ones, binding
/// looks each name up in a list, which makes a statement with hundreds of parameters quadratic
/// (measured: a 100-row batch insert took 2.8 times as long with `$n` as with `?`).
fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    }
}

/// `INSERT INTO table (cols) VALUES (...), (...)` for `rows` rows.
fn multi_insert(backend: Backend, table: &str, columns: &[&str], rows: usize) -> String {
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
            sql.push_str(&placeholder(backend, n));
        }
        sql.push(')');
    }
    sql
}

/// Inserts many rows with as few statements as the bind limits allow (one per 100 rows: at most
/// 1,900 values, well under SQLite's 32,766 and PostgreSQL's 65,535). `suffix` is appended to
/// each statement (e.g. an `ON CONFLICT` clause). Returns how many rows were inserted.
async fn insert_rows(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
    suffix: &str,
) -> sqlx::Result<u64> {
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(100).collect();
        let sql = format!("{}{suffix}", multi_insert(backend, table, columns, chunk.len()));
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
        inserted += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(inserted)
}

/// Which of `ids` already exist in `table`, and in which organisation — one query.
async fn existing_many(conn: &mut AnyConnection, backend: Backend, table: &str, ids: &[&str]) -> sqlx::Result<HashMap<String, String>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(200) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| placeholder(backend, n)).collect();
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
    /// Residents who agreed to hear about volunteering, with the profile their answers make.
    door_profiles: Vec<(String, crate::domain::volunteering::CheckedProfile)>,
    /// Residents who said no to volunteering: groups may no longer be shown them.
    volunteering_refused: Vec<String>,
}

/// How a batch's interactions are told apart from replays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Assume every interaction is new: no lookup before the insert, which skips ids already
    /// stored. If any was skipped, `apply` gives up (returns `None`) and the caller rolls the
    /// transaction back and applies the batch again carefully. Replays are rare (a lost
    /// response); new records are the everyday case, so this saves a query on nearly every batch.
    Optimistic,
    /// Look every interaction up first, and answer "already stored" for the ones found.
    Careful,
}

/// Applies `items` inside `tx`. Returns one result per item, in the same order. Events go first
/// (contacts refer to them), then new interactions and what hangs off them in a few multi-row
/// statements, then follow-up edits (which may refer to a follow-up made in the same batch).
/// In [`Mode::Optimistic`], `None` means "a replay was found: roll back and apply carefully".
pub async fn apply(tx: &mut Transaction<'_, Any>, cx: &Context, items: &[SyncItem], mode: Mode) -> sqlx::Result<Option<Vec<ItemResult>>> {
    let org = cx.user.organisation_id.as_str();
    // Before any write: the lock that keeps the organisation's dashboard counts, so it is
    // always taken in the same order (see `repo::intelligence::lock_counts`).
    super::repo::intelligence::lock_counts(tx, cx.backend, org).await?;
    let of_kind = |kind: &str| -> Vec<&str> { items.iter().filter(|i| i.kind == kind).map(|i| i.id.as_str()).collect() };
    let stored_interactions = match mode {
        Mode::Careful => existing_many(tx, cx.backend, "interactions", &of_kind("interaction")).await?,
        Mode::Optimistic => HashMap::new(),
    };
    let stored_events = existing_many(tx, cx.backend, "events", &of_kind("event")).await?;
    let stored_updates = existing_many(tx, cx.backend, "follow_up_updates", &of_kind("follow_up_update")).await?;
    let referenced: Vec<&str> =
        items.iter().filter(|i| i.kind == "interaction").filter_map(|i| i.payload.get("event_id").and_then(|v| v.as_str())).collect();
    let mut known_events: HashSet<String> =
        existing_many(tx, cx.backend, "events", &referenced).await?.into_iter().filter(|(_, o)| o == org).map(|(id, _)| id).collect();

    let received_at = now();
    let mut outcomes: Vec<Option<ItemOutcome>> = Vec::with_capacity(items.len());
    // The same record twice in one batch: the first copy decides, and the copy gets its answer.
    let mut first_copy: HashMap<&str, usize> = HashMap::new();
    let mut copies: Vec<(usize, usize)> = Vec::new();
    let mut pending = Pending::default();
    // Optimistic mode: interactions the checks refused, which may still be replays of records
    // stored under earlier rules (a replay is "already stored", whatever today's checks say).
    let mut refused: Vec<usize> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let outcome = if let Some(&first) = first_copy.get(item.id.as_str()) {
            copies.push((index, first));
            Some(ItemOutcome::AlreadyStored)
        } else if uuid::Uuid::parse_str(&item.id).is_err() {
            Some(rejected("id", "This record has no valid id. It cannot be stored."))
        } else if !schema_supported(item.schema) {
            Some(rejected(
                "schema",
                "This record was made by a different version of Mobilise. Reload the app, then open the record and save it again.",
            ))
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
                    None => {
                        let outcome = prepare_interaction(tx, cx, item, received_at, &known_events, &mut pending).await?;
                        if outcome != ItemOutcome::Stored {
                            refused.push(index);
                        }
                        outcome
                    }
                }),
                // Decided after the interactions are written.
                "follow_up_update" => replay_outcome(&stored_updates, &item.id, org),
                "consultation_response" => Some(apply_assisted_response(tx, cx, item, received_at).await?),
                // Decided after the interactions are written: it may name a resident recorded
                // by a conversation in the same batch.
                "consent_change" => None,
                // Decided after the interactions are written: it names a resident recorded by
                // a conversation, often in the same batch.
                "volunteer_interest" => None,
                other => Some(rejected("kind", format!("Unknown kind of record: {other}"))),
            }
        };
        first_copy.insert(item.id.as_str(), index);
        outcomes.push(outcome);
    }

    if mode == Mode::Optimistic && !refused.is_empty() {
        let ids: Vec<&str> = refused.iter().map(|&index| items[index].id.as_str()).collect();
        let stored = existing_many(tx, cx.backend, "interactions", &ids).await?;
        for &index in &refused {
            if let Some(outcome) = replay_outcome(&stored, &items[index].id, org) {
                outcomes[index] = Some(outcome);
            }
        }
    }

    const INTERACTION_COLUMNS: &[&str] = &[
        "id",
        "organisation_id",
        "worker_id",
        "kind",
        "event_id",
        "area_id",
        "address",
        "occurred_at",
        "outcome",
        "action",
        "service_id",
        "felt_heard",
        "notes",
        "resident_id",
        "involvement",
        "schema_version",
        "device_id",
        "created_on_device_at",
        "received_at",
    ];
    let expected = pending.interactions.len() as u64;
    // (id, when, resident) of each new conversation, for the dashboard's counts.
    let new_conversations: Vec<(String, i64, Option<String>)> = pending
        .interactions
        .iter()
        .filter_map(|row| match (row.first(), row.get(7), row.get(13)) {
            (Some(Val::Text(id)), Some(Val::Int(at)), Some(Val::OptText(resident))) => Some((id.clone(), *at, resident.clone())),
            _ => None,
        })
        .collect();
    // Careful mode inserts plainly: an interaction stored by another batch since the lookup
    // fails the unique constraint, and the caller applies the batch again.
    let on_conflict = if mode == Mode::Optimistic { " ON CONFLICT (id) DO NOTHING" } else { "" };
    let inserted = insert_rows(tx, cx.backend, "interactions", INTERACTION_COLUMNS, pending.interactions, on_conflict).await?;
    if inserted != expected {
        // Some were already stored: only a careful pass can tell which.
        return Ok(None);
    }
    insert_rows(tx, cx.backend, "interaction_issues", &["interaction_id", "theme_id"], pending.issues, "").await?;
    insert_rows(
        tx,
        cx.backend,
        "consents",
        &[
            "id",
            "organisation_id",
            "resident_id",
            "purpose",
            "granted",
            "lawful_basis",
            "wording",
            "method",
            "recorded_by",
            "source_item_id",
            "occurred_at",
            "received_at",
        ],
        pending.consents,
        "",
    )
    .await?;
    insert_rows(
        tx,
        cx.backend,
        "follow_ups",
        &["id", "organisation_id", "owner_id", "due_on", "status", "version", "created_at", "occurred_at", "area_id", "kind", "worker_id"],
        pending.follow_ups,
        "",
    )
    .await?;
    // The dashboard's counts read the conversations, their issues and their consents.
    super::repo::intelligence::after_new_conversations(tx, cx.backend, org, &new_conversations).await?;
    if !pending.door_profiles.is_empty() || !pending.volunteering_refused.is_empty() {
        use super::repo::volunteering::{network_of, save_profile};
        let network = network_of(&mut **tx, org).await?;
        for (resident_id, profile) in &pending.door_profiles {
            save_profile(&mut **tx, &network, ("resident_id", resident_id), profile, received_at).await?;
        }
        // Whether groups may be shown them follows their newest answer, whatever order the
        // conversations reach the server in (a tablet that was offline for a week may deliver
        // an older "yes" after a newer "no").
        for resident_id in pending.door_profiles.iter().map(|(r, _)| r).chain(pending.volunteering_refused.iter()) {
            let agreed = volunteering_agreed(tx, resident_id).await?;
            sqlx::query("UPDATE volunteer_profiles SET open_to_suggestions = $2 WHERE resident_id = $1")
                .bind(resident_id)
                .bind(agreed as i64)
                .execute(&mut **tx)
                .await?;
        }
    }

    let mut results = Vec::with_capacity(items.len());
    for (item, outcome) in items.iter().zip(outcomes) {
        let outcome = match (outcome, item.kind.as_str()) {
            (Some(o), _) => o,
            (None, "volunteer_interest") => apply_volunteer_interest(tx, cx, item, received_at).await?,
            (None, "consent_change") => apply_consent_change(tx, cx, item, received_at).await?,
            (None, _) => apply_follow_up_update(tx, cx, item, received_at).await?,
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
    Ok(Some(results))
}

/// The organisation a row with this id belongs to, if the row exists.
async fn owner_org(conn: &mut AnyConnection, table: &str, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(&format!("SELECT organisation_id FROM {table} WHERE id = $1")).bind(id).fetch_optional(conn).await
}

async fn apply_event(
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
async fn prepare_interaction(
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
            Some(o) if o != org => return Ok(rejected("resident_name", "This resident's record cannot be used here.")),
            Some(_) => {
                // Erased since the tablet took this down: the conversation is kept for the
                // figures, without anything about the resident (and the tablet is told to drop
                // what it holds; see `server::privacy::erased_residents`).
                erased = super::repo::privacy::is_erased(tx, &resident.id).await?;
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

    let service_id = match &record.action {
        Action::ReferredToService { service_id } => Some(service_id.clone()),
        _ => None,
    };
    let involvement = record.involvement.as_ref().filter(|i| !i.is_empty()).map(|i| {
        if erased {
            "{}".to_string()
        } else {
            serde_json::to_string(i).unwrap_or_default()
        }
    });
    let (address, notes) =
        if erased { (String::new(), String::new()) } else { (record.address.trim().to_string(), record.notes.trim().to_string()) };
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
                Val::Text("doorstep".to_string()),
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
    }
    Ok(ItemOutcome::Stored)
}

async fn apply_follow_up_update(
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
    if erased.unwrap_or(0) == 0 {
        tell_resident_resolved(tx, cx, &update.follow_up_id, received_at).await?;
    }
    Ok(ItemOutcome::Stored)
}

/// "We did what we said": the resident whose issue it was hears that it has been resolved, if
/// they agreed to be contacted about it and left an email address. The words are the app's, not
/// the worker's note (written for colleagues). The sender checks the consent again when it goes.
async fn tell_resident_resolved(tx: &mut Transaction<'_, Any>, cx: &Context, follow_up_id: &str, at: i64) -> sqlx::Result<()> {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::consent_state;
    let org = cx.user.organisation_id.as_str();
    let found: Option<(String, String, String, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT r.id, r.name, r.contact, CASE WHEN u.email_verified_at IS NOT NULL AND u.active = 1 THEN u.email END, i.occurred_at, o.name \
         FROM interactions i JOIN residents r ON r.id = i.resident_id LEFT JOIN residents la ON la.id = r.linked_to \
         LEFT JOIN users u ON u.id = COALESCE(r.user_id, la.user_id) JOIN organisations o ON o.id = i.organisation_id \
         WHERE i.id = $1 AND i.organisation_id = $2 AND r.erased_at IS NULL",
    )
    .bind(follow_up_id)
    .bind(org)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((resident, name, contact, account_email, occurred_at, organisation)) = found else { return Ok(()) };
    let Some(email) = account_email.or_else(|| crate::domain::validation::contact_email(&contact)) else { return Ok(()) };
    let ledger = super::repo::privacy::consent_ledger(&mut **tx, &resident).await?;
    if !consent_state(&ledger, ConsentPurpose::ContactAboutIssue).granted() {
        return Ok(());
    }
    let themes: Vec<String> = sqlx::query_scalar(
        "SELECT t.name FROM interaction_issues ii JOIN themes t ON t.id = ii.theme_id WHERE ii.interaction_id = $1 ORDER BY t.name",
    )
    .bind(follow_up_id)
    .fetch_all(&mut **tx)
    .await?;
    let letter = super::letters::issue_resolved(
        &organisation,
        &name,
        &themes,
        &crate::domain::calendar::uk_date(occurred_at),
        &cx.user.display_name,
    );
    let message = super::mail::Outgoing {
        organisation_id: org,
        kind: crate::domain::mail::MessageKind::FollowUpResolved,
        to_address: &email,
        to_name: &name,
        letter,
        lang: "en",
        consultation_id: None,
        consent: Some((&resident, ConsentPurpose::ContactAboutIssue)),
    };
    super::mail::queue(tx, &cx.link_base, message, at).await?;
    Ok(())
}

/// One device's batch, applied behind its own savepoint inside a transaction that may hold
/// other devices' batches too: a failure rolls back this batch alone.
async fn apply_alone(tx: &mut Transaction<'_, Any>, cx: &Context, items: &[SyncItem]) -> sqlx::Result<Vec<ItemResult>> {
    for mode in [Mode::Optimistic, Mode::Careful] {
        let mut savepoint = tx.begin().await?;
        match apply(&mut savepoint, cx, items, mode).await {
            Ok(Some(results)) => {
                savepoint.commit().await?;
                return Ok(results);
            }
            Ok(None) => savepoint.rollback().await?,
            Err(e) => {
                savepoint.rollback().await?;
                return Err(e);
            }
        }
    }
    Err(sqlx::Error::Protocol("the careful sync pass met a replay it had not found".into()))
}

/// Applies several devices' batches in one transaction with one commit. The outer result fails
/// when the transaction could not be committed (then nothing of any batch is stored); the inner
/// results are each batch's own. No outcome leaves here before the commit has succeeded.
pub async fn commit_group(
    pool: &AnyPool,
    backend: Backend,
    batches: &[(&Context, &[SyncItem])],
) -> sqlx::Result<Vec<sqlx::Result<Vec<ItemResult>>>> {
    if let [(cx, items)] = batches {
        // A batch alone has the transaction to itself: no savepoint is needed.
        for mode in [Mode::Optimistic, Mode::Careful] {
            let mut tx = begin_write(pool, backend).await?;
            match apply(&mut tx, cx, items, mode).await {
                Ok(Some(results)) => {
                    tx.commit().await?;
                    return Ok(vec![Ok(results)]);
                }
                Ok(None) => tx.rollback().await?,
                Err(e) => return Ok(vec![Err(e)]), // dropping `tx` rolls it back
            }
        }
        return Ok(vec![Err(sqlx::Error::Protocol("the careful sync pass met a replay it had not found".into()))]);
    }
    let mut tx = begin_write(pool, backend).await?;
    let mut answers = Vec::with_capacity(batches.len());
    for (cx, items) in batches {
        answers.push(apply_alone(&mut tx, cx, items).await);
    }
    if answers.iter().any(Result::is_err) {
        // Some failures (a full disk, an I/O error) end the whole transaction on SQLite, not
        // just the batch's savepoint. Rather than commit what may be nothing, start again with
        // each batch in its own transaction: the healthy ones are stored, the failure is its own.
        tx.rollback().await?;
        let mut alone = Vec::with_capacity(batches.len());
        for batch in batches {
            alone.push(Box::pin(commit_group(pool, backend, std::slice::from_ref(batch))).await.and_then(|mut a| a.remove(0)));
        }
        return Ok(alone);
    }
    tx.commit().await?;
    Ok(answers)
}

/// SQLite: take the write lock up front, so a reader's lock never has to turn into a writer's
/// halfway through (which fails at once when another writer holds it).
async fn begin_write(pool: &AnyPool, backend: Backend) -> sqlx::Result<Transaction<'static, Any>> {
    match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
}

/// At most this many batches share a commit.
const MAX_GROUP: usize = 32;

struct Job {
    cx: Context,
    items: Vec<SyncItem>,
    reply: oneshot::Sender<sqlx::Result<Vec<ItemResult>>>,
}

/// SQLite's single writer, as a task. A SQLite database takes one write transaction at a time,
/// and each commit waits for the disk (`synchronous = FULL`): that wait, not the inserts, is
/// most of the cost of a batch. Batches that arrive while a commit is under way queue here and
/// are then committed together, each behind its own savepoint, so many tablets syncing at once
/// share disk waits instead of queueing for them (and no request sleeps in SQLite's busy
/// handler). A device hears "stored" only after the commit that holds its batch.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer task; it ends when the last handle is dropped.
    pub fn start(pool: AnyPool) -> Writer {
        let (jobs, mut queue) = mpsc::channel::<Job>(256);
        tokio::spawn(async move {
            while let Some(first) = queue.recv().await {
                let mut group = vec![first];
                while group.len() < MAX_GROUP {
                    match queue.try_recv() {
                        Ok(job) => group.push(job),
                        Err(_) => break,
                    }
                }
                // Each group runs in its own task: should it panic, its devices get an error
                // (and retry), and the writer carries on with the next group.
                let pool = pool.clone();
                let _ = tokio::spawn(async move {
                    let batches: Vec<(&Context, &[SyncItem])> = group.iter().map(|j| (&j.cx, j.items.as_slice())).collect();
                    match commit_group(&pool, Backend::Sqlite, &batches).await {
                        Ok(answers) => {
                            for (job, answer) in group.into_iter().zip(answers) {
                                let _ = job.reply.send(answer);
                            }
                        }
                        Err(e) => {
                            let reason = e.to_string();
                            for job in group {
                                let _ = job.reply.send(Err(sqlx::Error::Protocol(format!("sync commit failed: {reason}"))));
                            }
                        }
                    }
                })
                .await;
            }
        });
        Writer { jobs }
    }

    /// Applies one batch, committed with whatever other batches are waiting.
    pub async fn apply(&self, cx: Context, items: Vec<SyncItem>) -> sqlx::Result<Vec<ItemResult>> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job { cx, items, reply }).await.map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::WorkerCrashed)?
    }
}

/// A resident's answers to a consultation, taken at the door by the worker.
#[derive(serde::Deserialize)]
struct AssistedResponse {
    consultation_id: String,
    #[serde(default)]
    answers: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    area_id: Option<String>,
}

async fn apply_assisted_response(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    use super::repo::consultations as repo;
    use crate::domain::consultation::{accepts_input, check_answers, Stage};
    let org = cx.user.organisation_id.as_str();
    let participant = format!("assisted:{}", item.id);
    let stored: Option<(String,)> =
        sqlx::query_as("SELECT organisation_id FROM responses WHERE participant = $1").bind(&participant).fetch_optional(&mut **tx).await?;
    if let Some((owner,)) = stored {
        return Ok(if owner == org {
            ItemOutcome::AlreadyStored
        } else {
            rejected("id", "This record's id is already in use. It cannot be stored.")
        });
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
        return Ok(rejected("consultation_id", "This consultation does not exist."));
    };
    // Judged by the day it reaches the server: a consultation that closed while the tablet
    // was offline no longer takes responses, and the worker is told so.
    let today = super::uk_today();
    let stage = Stage::parse(&stage).unwrap_or(Stage::Closed);
    if let Err(message) = accepts_input(stage, opens_on.as_deref(), closes_on.as_deref(), &today) {
        return Ok(rejected("consultation_id", message));
    }
    let questions = repo::questions(&mut **tx, &response.consultation_id).await?;
    let answers = match check_answers(&questions, &response.answers) {
        Ok(a) => a,
        Err(errors) => return Ok(from_fields(errors)),
    };
    let area_id = response.area_id.filter(|a| !a.is_empty());
    if let Some(area) = &area_id {
        let known: Option<(String,)> = sqlx::query_as("SELECT area_id FROM consultation_areas WHERE consultation_id = $1 AND area_id = $2")
            .bind(&response.consultation_id)
            .bind(area)
            .fetch_optional(&mut **tx)
            .await?;
        if known.is_none() {
            return Ok(rejected("area_id", "Choose one of the consultation's areas"));
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
            format!(
                "You have taken {} responses for residents in the last 24 hours, the most one person can. Keep this one on the tablet and send it tomorrow, or ask an administrator.",
                crate::domain::consultation::MAX_ASSISTED_PER_WORKER_PER_DAY
            ),
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
    };
    repo::insert_assisted(tx, &new, received_at).await?;
    Ok(ItemOutcome::Stored)
}

/// Interest a worker registered at the door for a resident (sync kind `volunteer_interest`).
#[derive(serde::Deserialize)]
struct DoorInterest {
    opportunity_id: String,
    resident_id: String,
    #[serde(default)]
    message: String,
}

async fn apply_volunteer_interest(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    use super::repo::volunteering::{insert_interest, network_of, NewInterest};
    use crate::domain::volunteering::MAX_MESSAGE_LEN;
    let org = cx.user.organisation_id.as_str();
    let stored: Option<(Option<String>,)> =
        sqlx::query_as("SELECT r.organisation_id FROM volunteer_interests i LEFT JOIN residents r ON r.id = i.resident_id WHERE i.id = $1")
            .bind(&item.id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((owner,)) = stored {
        return Ok(if owner.as_deref() == Some(org) {
            ItemOutcome::AlreadyStored
        } else {
            rejected("id", "This record's id is already in use. It cannot be stored.")
        });
    }
    let d: DoorInterest = match parse(item) {
        Ok(d) => d,
        Err(o) => return Ok(o),
    };
    if d.message.trim().chars().count() > MAX_MESSAGE_LEN {
        return Ok(rejected("message", format!("The message must be {MAX_MESSAGE_LEN} characters or fewer")));
    }
    if owner_org(tx, "residents", &d.resident_id).await?.as_deref() != Some(org) {
        return Ok(rejected("resident_id", "This resident is not known: save the conversation with their details first."));
    }
    if super::repo::privacy::is_erased(tx, &d.resident_id).await? {
        return Ok(rejected("resident_id", "This resident's details were erased at their request, so they cannot be put forward."));
    }
    let network = network_of(&mut **tx, org).await?;
    let found: Option<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT organisation_id, network_id, status, on_date FROM opportunities WHERE id = $1")
            .bind(&d.opportunity_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((group, _, status, on_date)) = found.filter(|f| f.1 == network) else {
        return Ok(rejected("opportunity_id", "This opportunity does not exist."));
    };
    if status != "open" || on_date.is_some_and(|d| d < super::uk_today()) {
        return Ok(rejected(
            "opportunity_id",
            "This opportunity stopped taking volunteers before this reached the server. Tell the resident, or suggest another.",
        ));
    }
    if !volunteering_agreed(tx, &d.resident_id).await? {
        return Ok(rejected("consent", "The resident has not agreed to hear about volunteering: record their answer first."));
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
    super::repo::intelligence::after_resident_changed(tx, cx.backend, &d.resident_id).await?;
    Ok(ItemOutcome::Stored)
}

/// Whether the resident's newest answer about volunteering (on any of their records) is "yes" to words that let local
/// groups have their details. The rule is `domain::privacy::consent_state`'s: the decision made
/// last wins, whenever it arrived, and a "no" wins a tie.
async fn volunteering_agreed(tx: &mut Transaction<'_, Any>, resident_id: &str) -> sqlx::Result<bool> {
    use crate::domain::outreach::ConsentPurpose;
    let newest: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT granted, wording FROM consents WHERE resident_id IN {} AND purpose = 'volunteering_opportunities' \
         ORDER BY occurred_at DESC, granted ASC, received_at DESC, id DESC LIMIT 1",
        super::repo::people::person_of("$1")
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
async fn apply_consent_change(tx: &mut Transaction<'_, Any>, cx: &Context, item: &SyncItem, received_at: i64) -> sqlx::Result<ItemOutcome> {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::ConsentChange;
    let org = cx.user.organisation_id.as_str();
    if let Some(owner) = owner_org(tx, "consents", &item.id).await? {
        return Ok(if owner == org {
            ItemOutcome::AlreadyStored
        } else {
            rejected("id", "This record's id is already in use. It cannot be stored.")
        });
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
        return Ok(rejected(
            "occurred_at",
            "The tablet's clock gave no real date for this. Check its date and time, then record it again.",
        ));
    }
    if owner_org(tx, "residents", &change.resident_id).await?.as_deref() != Some(org) {
        return Ok(rejected("resident_id", "This resident is not known here."));
    }
    if super::repo::privacy::is_erased(tx, &change.resident_id).await? {
        return Ok(rejected("resident_id", "This resident's details were erased at their request: there is nothing left to consent to."));
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
            super::repo::privacy::withdraw_volunteering(tx, &change.resident_id).await?;
        }
    }
    // Who changed it, and with which tablet (the audit log's "from where" for synced records).
    let detail = format!("consent {}: {} (at the door)", change.purpose.as_str(), if change.granted { "yes" } else { "no" });
    let device = format!("tablet {}", cx.device_id.chars().take(64).collect::<String>());
    super::repo::privacy::audit(
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
