//! The organisation's lists and the outreach records read back to workers.

use crate::domain::commitment::{CommitmentStatus, Side};
use crate::server::Db;
use crate::types::{CommitmentView, FollowUpView, InteractionSummary, Named, ReferenceData};

pub async fn reference_data(db: &Db, organisation_id: &str, today: &str) -> sqlx::Result<ReferenceData> {
    // One round trip for every list: this runs for every sync batch.
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT 'area', id, name FROM areas WHERE organisation_id = $1 AND active = 1 \
         UNION ALL SELECT 'theme', id, name FROM themes WHERE organisation_id = $1 AND active = 1 \
         UNION ALL SELECT 'service', id, name FROM services WHERE organisation_id = $1 AND active = 1 \
         UNION ALL SELECT 'interest', id, name FROM interests WHERE organisation_id = $1 AND active = 1 \
         UNION ALL SELECT 'partner', id, name FROM organisations WHERE host_id = $1 \
         UNION ALL SELECT 'colleague', id, display_name FROM users WHERE organisation_id = $1 AND active = 1 \
             AND role IN ('admin', 'outreach_worker') \
         UNION ALL SELECT 'event', id, name || ' (' || held_on || ')' FROM events WHERE organisation_id = $1 AND held_on >= $2 \
         ORDER BY 1, 3",
    )
    .bind(organisation_id)
    .bind(today)
    .fetch_all(db)
    .await?;
    let mut data = ReferenceData::default();
    for (list, id, name) in rows {
        let target = match list.as_str() {
            "area" => &mut data.areas,
            "theme" => &mut data.themes,
            "service" => &mut data.services,
            "interest" => &mut data.interests,
            "partner" => &mut data.partners,
            "colleague" => &mut data.colleagues,
            _ => &mut data.events,
        };
        target.push(Named { id, name });
    }
    Ok(data)
}

pub async fn insert_named(db: &Db, table: &str, organisation_id: &str, name: &str) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(&format!("INSERT INTO {table} (id, organisation_id, name) VALUES ($1, $2, $3)"))
        .bind(&id)
        .bind(organisation_id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct FollowUpRow {
    id: String,
    owner_id: String,
    owner_name: String,
    due_on: String,
    status: String,
    version: i64,
    resolution_note: String,
    area_name: String,
    address: String,
    notes: String,
    resident_name: Option<String>,
    resident_id: Option<String>,
    occurred_at: i64,
}

/// The issue names of several interactions, in one query per 200 ids.
async fn issues_of(db: &Db, interaction_ids: &[&str]) -> sqlx::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in interaction_ids.chunks(200) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT ii.interaction_id, t.name FROM interaction_issues ii JOIN themes t ON t.id = ii.theme_id \
             WHERE ii.interaction_id IN ({}) ORDER BY t.name",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(db).await?);
    }
    Ok(out)
}

/// follow_up_id, position, side, text, owner's name, service's name, due_on, status.
type CommitmentRow = (String, i64, String, String, Option<String>, Option<String>, Option<String>, String);

/// The commitments of several follow-ups, in their order, in one query per 200 ids.
async fn commitments_of(db: &Db, follow_up_ids: &[&str]) -> sqlx::Result<Vec<(String, CommitmentView)>> {
    let mut out = Vec::new();
    for chunk in follow_up_ids.chunks(200) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT c.follow_up_id, c.position, c.side, c.text, u.display_name, s.name, c.due_on, c.status FROM commitments c \
             LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN services s ON s.id = c.service_id WHERE c.follow_up_id IN ({}) ORDER BY c.follow_up_id, c.position",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, CommitmentRow>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for (id, position, side, text, owner_name, service_name, due_on, status) in q.fetch_all(db).await? {
            // The table's CHECKs allow nothing else.
            let (Some(side), Some(status), Ok(position)) = (Side::parse(&side), CommitmentStatus::parse(&status), u32::try_from(position))
            else {
                continue;
            };
            out.push((id, CommitmentView { position, side, text, owner_name, service_name, due_on, status }));
        }
    }
    Ok(out)
}

const FOLLOW_UP_SELECT: &str = "SELECT f.id, f.owner_id, u.display_name AS owner_name, f.due_on, f.status, f.version, \
     f.resolution_note, a.name AS area_name, i.address, i.notes, CASE WHEN r.erased_at IS NULL THEN r.name END AS resident_name, i.resident_id, i.occurred_at \
     FROM follow_ups f JOIN interactions i ON i.id = f.id JOIN users u ON u.id = f.owner_id \
     JOIN areas a ON a.id = i.area_id LEFT JOIN residents r ON r.id = i.resident_id";

async fn with_issues(db: &Db, rows: Vec<FollowUpRow>) -> sqlx::Result<Vec<FollowUpView>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let all_issues = issues_of(db, &ids).await?;
    let all_commitments = commitments_of(db, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let issues = all_issues.iter().filter(|(id, _)| *id == r.id).map(|(_, name)| name.clone()).collect();
        let commitments = all_commitments.iter().filter(|(id, _)| *id == r.id).map(|(_, c)| c.clone()).collect();
        out.push(FollowUpView {
            id: r.id,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            due_on: r.due_on,
            status: r.status,
            version: r.version,
            resolution_note: r.resolution_note,
            area_name: r.area_name,
            address: r.address,
            issues,
            notes: r.notes,
            resident_name: r.resident_name,
            resident_id: r.resident_id,
            occurred_at: r.occurred_at,
            commitments,
        });
    }
    Ok(out)
}

/// Open follow-ups owned by one member of staff, soonest due first.
pub async fn open_follow_ups(db: &Db, organisation_id: &str, owner_id: &str) -> sqlx::Result<Vec<FollowUpView>> {
    let rows: Vec<FollowUpRow> = sqlx::query_as(&format!(
        "{FOLLOW_UP_SELECT} WHERE f.organisation_id = $1 AND f.owner_id = $2 AND f.status = 'open' ORDER BY f.due_on, i.occurred_at"
    ))
    .bind(organisation_id)
    .bind(owner_id)
    .fetch_all(db)
    .await?;
    with_issues(db, rows).await
}

pub async fn follow_up(db: &Db, organisation_id: &str, id: &str) -> sqlx::Result<Option<FollowUpView>> {
    let rows: Vec<FollowUpRow> = sqlx::query_as(&format!("{FOLLOW_UP_SELECT} WHERE f.organisation_id = $1 AND f.id = $2"))
        .bind(organisation_id)
        .bind(id)
        .fetch_all(db)
        .await?;
    Ok(with_issues(db, rows).await?.pop())
}

const SUMMARY_SELECT: &str = "SELECT i.id, i.kind, i.outcome, i.action, a.name AS area_name, i.address, e.name AS event_name, \
     i.occurred_at, i.received_at, u.display_name AS worker_name, i.notes \
     FROM interactions i JOIN areas a ON a.id = i.area_id JOIN users u ON u.id = i.worker_id LEFT JOIN events e ON e.id = i.event_id";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    kind: String,
    outcome: String,
    action: String,
    area_name: String,
    address: String,
    event_name: Option<String>,
    occurred_at: i64,
    received_at: i64,
    worker_name: String,
    notes: String,
}

impl From<SummaryRow> for InteractionSummary {
    fn from(r: SummaryRow) -> Self {
        InteractionSummary {
            id: r.id,
            kind: r.kind,
            outcome: r.outcome,
            action: r.action,
            area_name: r.area_name,
            address: r.address,
            event_name: r.event_name,
            occurred_at: r.occurred_at,
            received_at: r.received_at,
            worker_name: r.worker_name,
            notes: r.notes,
            referral: None,
            referred_since: Vec::new(),
        }
    }
}

/// The interactions a worker recorded, newest first.
pub async fn interactions_by_worker(db: &Db, organisation_id: &str, worker_id: &str, limit: i64) -> sqlx::Result<Vec<InteractionSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} WHERE i.organisation_id = $1 AND i.worker_id = $2 ORDER BY i.received_at DESC, i.occurred_at DESC LIMIT $3"
    ))
    .bind(organisation_id)
    .bind(worker_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Everything recorded with one resident, by anyone in the organisation, newest first.
pub async fn interactions_with_resident(db: &Db, organisation_id: &str, resident_id: &str) -> sqlx::Result<Vec<InteractionSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} WHERE i.organisation_id = $1 AND i.resident_id = $2 ORDER BY i.occurred_at DESC LIMIT 100"
    ))
    .bind(organisation_id)
    .bind(resident_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Whether `user_id` may read a resident's conversations: they recorded one with them, or own a
/// follow-up from one (the resident's point of contact).
pub async fn knows_resident(db: &Db, organisation_id: &str, resident_id: &str, user_id: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM interactions i LEFT JOIN follow_ups f ON f.id = i.id \
         WHERE i.organisation_id = $1 AND i.resident_id = $2 AND (i.worker_id = $3 OR f.owner_id = $3)",
    )
    .bind(organisation_id)
    .bind(resident_id)
    .bind(user_id)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// Whether the organisation has a resident with this id.
pub async fn resident_exists(db: &Db, organisation_id: &str, resident_id: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM residents WHERE organisation_id = $1 AND id = $2")
        .bind(organisation_id)
        .bind(resident_id)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

pub async fn count_interactions_by_worker(db: &Db, organisation_id: &str, worker_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM interactions WHERE organisation_id = $1 AND worker_id = $2")
        .bind(organisation_id)
        .bind(worker_id)
        .fetch_one(db)
        .await
}
