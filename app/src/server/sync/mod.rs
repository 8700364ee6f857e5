//! Applying a device's batch: one transaction, each item stored by its device-made id at most
//! once, each with its own outcome. A bad item is rejected alone; the rest are stored.

mod at_the_door;
mod commitments;
mod items;
mod referrals;
mod writer;
use at_the_door::*;
use items::*;
pub use writer::*;

use crate::domain::sync::{ItemOutcome, ItemResult, SyncItem, SyncKind, SCHEMA_VERSION};
use crate::domain::{FieldErrors, Msg};
use crate::server::db::Backend;
use crate::server::{now, repo::users::UserRow};
use crate::types::ReferenceData;
use sqlx::{Any, AnyConnection, Transaction};
use std::collections::{HashMap, HashSet};

/// Everything the checks need that does not change during a batch.
pub struct Context {
    pub user: UserRow,
    pub device_id: String,
    pub reference: ReferenceData,
    pub is_admin: bool,
    pub backend: Backend,
    /// The absolute origin for links in the emails a batch causes.
    pub link_base: String,
    /// The worker's language: what the batch's refusals are said in, wherever it is committed.
    pub locale: crate::i18n::Locale,
}

/// A refusal, its reason said in the worker's language (the request's, `server::language`).
fn rejected(field: &str, reason: impl Into<Msg>) -> ItemOutcome {
    ItemOutcome::Rejected { field: field.into(), reason: reason.into().to_string() }
}

fn from_fields(errors: FieldErrors) -> ItemOutcome {
    let first = errors.0.into_iter().next().unwrap_or(crate::domain::FieldError { field: "payload".into(), message: Msg::InvalidRecord });
    rejected(&first.field, first.message)
}

fn parse<T: serde::de::DeserializeOwned>(item: &SyncItem) -> Result<T, ItemOutcome> {
    serde_json::from_value(item.payload.clone()).map_err(|e| {
        // serde's message names the field ("missing field `area_id`"); keep it, it is about the
        // record's shape and says nothing about the server.
        rejected("payload", Msg::RecordCouldNotBeRead { why: e.to_string() })
    })
}

/// Reads an item's payload and checks it: the record, or the outcome that refuses it (its first
/// problem, by field).
fn checked<T: serde::de::DeserializeOwned>(item: &SyncItem, check: impl FnOnce(&T) -> Result<(), FieldErrors>) -> Result<T, ItemOutcome> {
    let record: T = parse(item)?;
    check(&record).map_err(from_fields)?;
    Ok(record)
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
        let sql = format!("{}{suffix}", backend.multi_insert(table, columns, chunk.len()));
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
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| backend.placeholder(n)).collect();
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
    found.get(id).map(|o| if o == org { ItemOutcome::AlreadyStored } else { rejected("id", Msg::IdAlreadyInUse) })
}

/// Rows of new interactions, written together once every item has been checked.
#[derive(Default)]
struct Pending {
    interactions: Vec<Vec<Val>>,
    issues: Vec<Vec<Val>>,
    consents: Vec<Vec<Val>>,
    follow_ups: Vec<Vec<Val>>,
    commitments: Vec<Vec<Val>>,
    referrals: Vec<Vec<Val>>,
    /// New conversations whose resident is sent what was agreed (`tell_resident_agreed`).
    agreed: Vec<String>,
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
    crate::language::WORKING_IN.scope(cx.locale, apply_in(tx, cx, items, mode)).await
}

async fn apply_in(tx: &mut Transaction<'_, Any>, cx: &Context, items: &[SyncItem], mode: Mode) -> sqlx::Result<Option<Vec<ItemResult>>> {
    let org = cx.user.organisation_id.as_str();
    // Before any write: the lock that keeps the organisation's dashboard counts, so it is
    // always taken in the same order (see `Backend::lock_counts`).
    cx.backend.lock_counts(tx, org).await?;
    let of_kind = |kind: SyncKind| -> Vec<&str> { items.iter().filter(|i| i.is(kind)).map(|i| i.id.as_str()).collect() };
    let stored_interactions = match mode {
        Mode::Careful => existing_many(tx, cx.backend, "interactions", &of_kind(SyncKind::Interaction)).await?,
        Mode::Optimistic => HashMap::new(),
    };
    let stored_events = existing_many(tx, cx.backend, "events", &of_kind(SyncKind::Event)).await?;
    let stored_updates = existing_many(tx, cx.backend, "follow_up_updates", &of_kind(SyncKind::FollowUpUpdate)).await?;
    let stored_steps = existing_many(tx, cx.backend, "referral_steps", &of_kind(SyncKind::ReferralStep)).await?;
    let stored_added = existing_many(tx, cx.backend, "commitments", &of_kind(SyncKind::CommitmentAdded)).await?;
    let stored_referrals = existing_many(tx, cx.backend, "referrals", &of_kind(SyncKind::ReferralMade)).await?;
    let referenced: Vec<&str> =
        items.iter().filter(|i| i.is(SyncKind::Interaction)).filter_map(|i| i.payload.get("event_id").and_then(|v| v.as_str())).collect();
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
            Some(rejected("id", Msg::RecordNoValidId))
        } else if !schema_supported(item.schema) {
            Some(rejected("schema", Msg::RecordFromOtherVersion))
        } else if let Some(field) = crate::domain::sync::null_character_in(&item.payload) {
            Some(rejected(&field, Msg::ForbiddenCharacter))
        } else {
            match item.sync_kind() {
                Some(SyncKind::Event) => Some(match replay_outcome(&stored_events, &item.id, org) {
                    Some(o) => {
                        if o.is_acknowledged() {
                            known_events.insert(item.id.clone());
                        }
                        o
                    }
                    None => apply_event(tx, cx, item, received_at, &mut known_events).await?,
                }),
                Some(SyncKind::Interaction) => Some(match replay_outcome(&stored_interactions, &item.id, org) {
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
                Some(SyncKind::FollowUpUpdate) => replay_outcome(&stored_updates, &item.id, org),
                // Decided after the interactions are written, like a follow-up's update.
                Some(SyncKind::ReferralStep) => replay_outcome(&stored_steps, &item.id, org),
                // Decided after the interactions are written: its follow-up may be in the batch.
                Some(SyncKind::CommitmentAdded) => replay_outcome(&stored_added, &item.id, org),
                // The same: its follow-up may be in the batch.
                Some(SyncKind::ReferralMade) => replay_outcome(&stored_referrals, &item.id, org),
                Some(SyncKind::ConsultationResponse) => Some(apply_assisted_response(tx, cx, item, received_at).await?),
                // Decided after the interactions are written: it may name a resident recorded
                // by a conversation in the same batch.
                Some(SyncKind::ConsentChange) => None,
                // Decided after the interactions are written: it names a resident recorded by
                // a conversation, often in the same batch.
                Some(SyncKind::VolunteerInterest) => None,
                None => Some(rejected("kind", Msg::UnknownKindOfRecord { kind: item.kind.clone() })),
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
        "partner_id",
        "language",
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
    insert_rows(
        tx,
        cx.backend,
        "commitments",
        &["id", "organisation_id", "follow_up_id", "position", "side", "text", "owner_id", "due_on", "service_id", "created_at"],
        pending.commitments,
        "",
    )
    .await?;
    insert_rows(
        tx,
        cx.backend,
        "referrals",
        &[
            "id",
            "organisation_id",
            "interaction_id",
            "owner_id",
            "service_id",
            "partner_id",
            "asked",
            "status",
            "sent_at",
            "occurred_at",
            "area_id",
            "kind",
            "worker_id",
            "created_at",
        ],
        pending.referrals,
        // A hostile tablet that gave a later referral (`referral_made`) this conversation's id
        // keeps that one: nothing fails, and no honest tablet makes two records of one id.
        " ON CONFLICT DO NOTHING",
    )
    .await?;
    for interaction_id in &pending.agreed {
        tell_resident_agreed(tx, cx, interaction_id, received_at).await?;
    }
    // The dashboard's counts read the conversations, their issues and their consents.
    crate::server::repo::intelligence::after_new_conversations(tx, cx.backend, org, &new_conversations).await?;
    if !pending.door_profiles.is_empty() || !pending.volunteering_refused.is_empty() {
        use crate::server::repo::volunteering::{network_of, save_profile};
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
        let outcome = match (outcome, item.sync_kind()) {
            (Some(o), _) => o,
            (None, Some(SyncKind::VolunteerInterest)) => apply_volunteer_interest(tx, cx, item, received_at).await?,
            (None, Some(SyncKind::ConsentChange)) => apply_consent_change(tx, cx, item, received_at).await?,
            (None, Some(SyncKind::FollowUpUpdate)) => apply_follow_up_update(tx, cx, item, received_at).await?,
            (None, Some(SyncKind::ReferralStep)) => referrals::apply_referral_step(tx, cx, item, received_at).await?,
            (None, Some(SyncKind::CommitmentAdded)) => commitments::apply_commitment_added(tx, cx, item, received_at).await?,
            (None, Some(SyncKind::ReferralMade)) => referrals::apply_referral_made(tx, cx, item, received_at).await?,
            // Every other kind was decided in the first pass.
            (None, Some(SyncKind::Event | SyncKind::Interaction | SyncKind::ConsultationResponse) | None) => {
                rejected("kind", Msg::UnknownKindOfRecord { kind: item.kind.clone() })
            }
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
