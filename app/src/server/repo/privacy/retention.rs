//! Retention: each organisation's periods, and the runs that anonymise what is past them.

use super::*;
use crate::domain::outreach::LawfulBasis;
use crate::domain::privacy::{self, AuditAction, RetentionClass, RetentionPolicy};
use crate::domain::OrganisationKind;
use crate::server::Db;

/// The organisation's retention settings: what it saved, and the defaults for the rest.
pub async fn policies<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, organisation_id: &str) -> sqlx::Result<Vec<RetentionPolicy>> {
    // (class, lawful basis, months, organisation kind): one row per saved class, or one with
    // only the kind when none is saved.
    type Row = (Option<String>, Option<String>, Option<i64>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.class, p.lawful_basis, p.months, o.kind FROM organisations o \
         LEFT JOIN retention_policies p ON p.organisation_id = o.id WHERE o.id = $1",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    let kind = rows.first().and_then(|r| OrganisationKind::parse(&r.3)).unwrap_or(OrganisationKind::Council);
    let mut out = privacy::default_policies(kind);
    for (class, basis, months, _) in rows {
        let (Some(class), Some(basis), Some(months)) =
            (class.as_deref().and_then(RetentionClass::parse), basis.as_deref().and_then(parse_basis), months)
        else {
            continue;
        };
        if let Some(p) = out.iter_mut().find(|p| p.class == class) {
            p.lawful_basis = basis;
            p.months = months.clamp(0, i64::from(privacy::MAX_RETENTION_MONTHS)) as u32;
        }
    }
    Ok(out)
}

pub fn parse_basis(s: &str) -> Option<LawfulBasis> {
    [LawfulBasis::Consent, LawfulBasis::PublicTask, LawfulBasis::LegitimateInterests].into_iter().find(|b| b.as_str() == s)
}

/// What one class of record came to in a retention run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RetentionCount {
    pub class: RetentionClass,
    pub months: u32,
    /// Kept until this UK day (inclusive): anything last touched before it is due.
    pub kept_from: String,
    pub records: i64,
}

/// Runs the retention policy of one organisation as of UK day `today`: records past their
/// period are anonymised (see [`RetentionClass::effect`]). With `dry_run` nothing changes and
/// the counts say what would. Every run is logged (`retention_runs`) and audited, with `actor`
/// `None` for the scheduled job.
pub async fn run_retention(
    db: &crate::server::db::Db,
    organisation_id: &str,
    today: i64,
    dry_run: bool,
    actor: Option<&str>,
    address: &str,
) -> sqlx::Result<Vec<RetentionCount>> {
    use crate::domain::calendar::uk_day_start;
    let started = crate::server::now();
    let mut tx = db.begin_write().await?;
    let policies = policies(&mut *tx, organisation_id).await?;
    let network = crate::server::repo::volunteering::network_of(&mut *tx, organisation_id).await?;
    let mut out = Vec::new();
    // First every class is counted, then (unless this is a dry run) everything is changed: the
    // classes overlap (a resident's erasure clears their conversation notes too), so counting
    // as it goes would make a real run report less than its dry run.
    for apply in [false, true] {
        if apply && dry_run {
            break;
        }
        for &p in &policies {
            let kept_from = privacy::months_before(today, p.months);
            let cutoff = uk_day_start(kept_from);
            let records = match p.class {
                RetentionClass::ResidentDetails => {
                    // People not in touch since the cutoff, on any of their records (a record
                    // made at the door and linked to an account is the same person: see
                    // `repo::people`): no record made or linked, conversation, consent decision or
                    // volunteering interest on or after it, and no open online account.
                    // Each as two plain lookups by resident, the record's own and its linked
                    // records' (an `IN (… OR …)` made PostgreSQL scan every conversation for each
                    // resident: minutes at a million).
                    let none_since = |table: &str, at: &str| {
                        format!(
                            "AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.resident_id = r.id AND x.{at} >= $2) \
                             AND NOT EXISTS (SELECT 1 FROM residents l JOIN {table} x ON x.resident_id = l.id WHERE l.linked_to = r.id AND x.{at} >= $2)"
                        )
                    };
                    let ids: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT r.id FROM residents r WHERE r.organisation_id = $1 AND r.erased_at IS NULL AND r.linked_to IS NULL AND r.created_at < $2 \
                         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id AND u.active = 1) \
                         AND NOT EXISTS (SELECT 1 FROM residents l WHERE l.linked_to = r.id AND (l.created_at >= $2 OR l.linked_at >= $2)) {} {} {}",
                        none_since("interactions", "occurred_at"),
                        none_since("consents", "occurred_at"),
                        none_since("volunteer_interests", "created_at"),
                    ))
                    .bind(organisation_id)
                    .bind(cutoff)
                    .fetch_all(&mut *tx)
                    .await?;
                    let mut records = 0;
                    for id in &ids {
                        if apply {
                            let detail = format!("retention: not in touch for {} months", p.months);
                            for record in erase(&mut tx, organisation_id, id, started).await? {
                                audit(
                                    &mut tx,
                                    AuditEntry {
                                        organisation_id,
                                        actor,
                                        action: AuditAction::Erased,
                                        resident_id: Some(&record),
                                        detail: &detail,
                                        address,
                                        at: started,
                                    },
                                )
                                .await?;
                                records += 1;
                            }
                        } else {
                            records += crate::server::repo::people::member_ids(&mut tx, organisation_id, id).await?.len() as i64;
                        }
                    }
                    records
                }
                RetentionClass::ConversationNotes => {
                    let due = "FROM interactions WHERE organisation_id = $1 AND occurred_at < $2 AND (address <> '' OR notes <> '')";
                    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {due}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    if apply && n > 0 {
                        for table_sql in [
                        "UPDATE follow_ups SET resolution_note = '' WHERE organisation_id = $1 AND resolution_note <> '' \
                         AND id IN (SELECT id FROM interactions WHERE organisation_id = $1 AND occurred_at < $2)",
                        "UPDATE follow_up_updates SET note = '' WHERE organisation_id = $1 AND note <> '' \
                         AND follow_up_id IN (SELECT id FROM interactions WHERE organisation_id = $1 AND occurred_at < $2)",
                        "UPDATE commitments SET text = '', outcome_reason = '' WHERE organisation_id = $1 AND (text <> '' OR outcome_reason <> '') \
                         AND follow_up_id IN (SELECT id FROM interactions WHERE organisation_id = $1 AND occurred_at < $2)",
                        "UPDATE referrals SET asked = '', answer = '' WHERE organisation_id = $1 AND occurred_at < $2 AND (asked <> '' OR answer <> '')",
                        "UPDATE referral_steps SET note = '' WHERE organisation_id = $1 AND note <> '' \
                         AND referral_id IN (SELECT id FROM referrals WHERE organisation_id = $1 AND occurred_at < $2)",
                        "UPDATE interactions SET address = '', notes = '' WHERE organisation_id = $1 AND occurred_at < $2 AND (address <> '' OR notes <> '')",
                    ] {
                        sqlx::query(table_sql).bind(organisation_id).bind(cutoff).execute(&mut *tx).await?;
                    }
                    }
                    n
                }
                RetentionClass::Volunteering if network == organisation_id => {
                    let profiles: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM volunteer_profiles WHERE network_id = $1 AND updated_at < $2")
                            .bind(&network)
                            .bind(cutoff)
                            .fetch_one(&mut *tx)
                            .await?;
                    let messages = "FROM volunteer_interests WHERE message <> '' AND created_at < $2 \
                     AND opportunity_id IN (SELECT id FROM opportunities WHERE network_id = $1)";
                    let n: i64 =
                        sqlx::query_scalar(&format!("SELECT COUNT(*) {messages}")).bind(&network).bind(cutoff).fetch_one(&mut *tx).await?;
                    if apply {
                        sqlx::query("DELETE FROM volunteer_profiles WHERE network_id = $1 AND updated_at < $2")
                            .bind(&network)
                            .bind(cutoff)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(
                            "UPDATE volunteer_interests SET message = '' WHERE message <> '' AND created_at < $2 \
                         AND opportunity_id IN (SELECT id FROM opportunities WHERE network_id = $1)",
                        )
                        .bind(&network)
                        .bind(cutoff)
                        .execute(&mut *tx)
                        .await?;
                    }
                    profiles + n
                }
                // A group's volunteering records follow its host's policy.
                RetentionClass::Volunteering => 0,
                RetentionClass::ConsultationContact => {
                    let due = "FROM responses WHERE organisation_id = $1 AND email IS NOT NULL AND updated_at < $2";
                    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {due}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    // The outcome emails sent to those addresses go too.
                    let sent = "FROM outgoing_messages WHERE organisation_id = $1 AND created_at < $2 AND sent_at IS NOT NULL";
                    let m: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {sent}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    if apply {
                        sqlx::query(
                            "UPDATE responses SET email = NULL, notify_consent = 0, email_confirmed_at = NULL WHERE organisation_id = $1 AND email IS NOT NULL AND updated_at < $2",
                        )
                        .bind(organisation_id)
                        .bind(cutoff)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(&format!("DELETE {sent}")).bind(organisation_id).bind(cutoff).execute(&mut *tx).await?;
                    }
                    n + m
                }
                RetentionClass::PartnerRequests => {
                    let due = "FROM partner_requests WHERE host_id = $1 AND status <> 'waiting' AND decided_at < $2 \
                               AND (organiser_name <> '' OR organiser_email <> '' OR about <> '' OR reason <> '')";
                    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {due}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    if apply && n > 0 {
                        sqlx::query(&format!("UPDATE partner_requests SET organiser_name = '', organiser_email = '', about = '', reason = '' WHERE id IN (SELECT id {due})"))
                            .bind(organisation_id)
                            .bind(cutoff)
                            .execute(&mut *tx)
                            .await?;
                    }
                    n
                }
            };
            if !apply {
                let (y, m, d) = crate::domain::calendar::civil_from_days(kept_from);
                out.push(RetentionCount { class: p.class, months: p.months, kept_from: format!("{y:04}-{m:02}-{d:02}"), records });
            }
        }
    }
    let summary = serde_json::to_string(&out).unwrap_or_default();
    let finished = crate::server::now();
    sqlx::query("INSERT INTO retention_runs (id, organisation_id, dry_run, summary, run_by, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(organisation_id)
        .bind(i64::from(dry_run))
        .bind(&summary)
        .bind(actor)
        .bind(started)
        .bind(finished)
        .execute(&mut *tx)
        .await?;
    let total: i64 = out.iter().map(|c| c.records).sum();
    let detail =
        format!("{}: {total} records {}", if dry_run { "dry run" } else { "run" }, if dry_run { "would change" } else { "changed" });
    audit(
        &mut tx,
        AuditEntry { organisation_id, actor, action: AuditAction::RetentionRun, resident_id: None, detail: &detail, address, at: finished },
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RetentionRunRow {
    pub dry_run: i64,
    pub summary: String,
    pub run_by: Option<String>,
    pub started_at: i64,
}

/// The organisation's most recent retention runs, newest first.
pub async fn retention_runs(db: &Db, organisation_id: &str, limit: i64) -> sqlx::Result<Vec<RetentionRunRow>> {
    sqlx::query_as(
        "SELECT r.dry_run, r.summary, u.display_name AS run_by, r.started_at FROM retention_runs r LEFT JOIN users u ON u.id = r.run_by \
         WHERE r.organisation_id = $1 ORDER BY r.started_at DESC, r.id DESC LIMIT $2",
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Saves one class's period and lawful basis.
pub async fn save_policy<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    organisation_id: &str,
    policy: RetentionPolicy,
    by: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO retention_policies (organisation_id, class, lawful_basis, months, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (organisation_id, class) DO UPDATE SET lawful_basis = excluded.lawful_basis, months = excluded.months, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(organisation_id)
    .bind(policy.class.as_str())
    .bind(policy.lawful_basis.as_str())
    .bind(i64::from(policy.months))
    .bind(now)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

/// Runs retention for every organisation, as the scheduled job and the `server retention`
/// command do: (organisation name, what it came to).
pub async fn run_retention_everywhere(db: &crate::server::db::Db, dry_run: bool) -> sqlx::Result<Vec<(String, Vec<RetentionCount>)>> {
    let today = crate::domain::calendar::uk_day(crate::server::now());
    let orgs: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM organisations ORDER BY name").fetch_all(db).await?;
    let mut out = Vec::with_capacity(orgs.len());
    for (id, name) in orgs {
        out.push((name, run_retention(db, &id, today, dry_run, None, "").await?));
    }
    Ok(out)
}
