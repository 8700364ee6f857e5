//! Ideas, support, comments, reports and the moderation queue.

use crate::domain::participation::REPORTS_TO_HIDE;
use crate::server::Db;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ProposalRow {
    pub id: String,
    pub organisation_id: String,
    pub consultation_id: String,
    pub author_name: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub supporters: i64,
    pub comments: i64,
    /// 1 when the asking participant supports it.
    pub mine_supported: i64,
    /// 1 when the asking participant wrote it.
    pub mine: i64,
    /// 1 when the asking participant reported it.
    pub reported: i64,
}

const PROPOSAL_COLUMNS: &str = "p.id, p.organisation_id, p.consultation_id, p.author_name, p.title, p.body, p.status, \
     (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = p.id) AS supporters, \
     (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = p.id AND c.status = 'visible') AS comments, \
     (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = p.id AND s.participant = $2) AS mine_supported, \
     CAST(CASE WHEN p.participant = $2 THEN 1 ELSE 0 END AS BIGINT) AS mine, \
     (SELECT COUNT(*) FROM reports r WHERE r.target_kind = 'proposal' AND r.target_id = p.id AND r.participant = $2) AS reported";

/// A consultation's ideas as `participant` may see them: the visible ones and their own,
/// most supported first.
pub async fn proposals_of(db: &Db, consultation_id: &str, participant: &str) -> sqlx::Result<Vec<ProposalRow>> {
    sqlx::query_as(&format!(
        "SELECT {PROPOSAL_COLUMNS} FROM proposals p WHERE p.consultation_id = $1 AND (p.status = 'visible' OR p.participant = $2) \
         ORDER BY supporters DESC, p.created_at"
    ))
    .bind(consultation_id)
    .bind(participant)
    .fetch_all(db)
    .await
}

pub async fn find_proposal(db: &Db, id: &str, participant: &str) -> sqlx::Result<Option<ProposalRow>> {
    sqlx::query_as(&format!("SELECT {PROPOSAL_COLUMNS} FROM proposals p WHERE p.id = $1"))
        .bind(id)
        .bind(participant)
        .fetch_optional(db)
        .await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct CommentRow {
    pub id: String,
    pub author_name: String,
    pub body: String,
    pub status: String,
    pub created_at: i64,
    pub mine: i64,
    pub reported: i64,
}

pub async fn comments_of(db: &Db, proposal_id: &str, participant: &str) -> sqlx::Result<Vec<CommentRow>> {
    sqlx::query_as(
        "SELECT id, author_name, body, status, created_at, CAST(CASE WHEN participant = $2 THEN 1 ELSE 0 END AS BIGINT) AS mine, \
         (SELECT COUNT(*) FROM reports r WHERE r.target_kind = 'comment' AND r.target_id = comments.id AND r.participant = $2) AS reported FROM comments \
         WHERE proposal_id = $1 AND (status = 'visible' OR participant = $2) ORDER BY created_at, id",
    )
    .bind(proposal_id)
    .bind(participant)
    .fetch_all(db)
    .await
}

/// The participant's latest texts in `table` ("proposals" or "comments"), to spot repeats.
pub async fn earlier_texts(db: &Db, table: &str, participant: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(&format!("SELECT body FROM {table} WHERE participant = $1 ORDER BY created_at DESC LIMIT 50"))
        .bind(participant)
        .fetch_all(db)
        .await
}

/// How many rows of `table` the participant added since `since` (in one consultation for
/// proposals when `consultation_id` is given).
pub async fn recent_count(db: &Db, table: &str, participant: &str, since: i64, consultation_id: Option<&str>) -> sqlx::Result<i64> {
    match consultation_id {
        Some(c) => {
            sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} WHERE participant = $1 AND created_at >= $2 AND consultation_id = $3"
            ))
            .bind(participant)
            .bind(since)
            .bind(c)
            .fetch_one(db)
            .await
        }
        None => {
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE participant = $1 AND created_at >= $2"))
                .bind(participant)
                .bind(since)
                .fetch_one(db)
                .await
        }
    }
}

pub struct NewProposal<'a> {
    pub organisation_id: &'a str,
    pub consultation_id: &'a str,
    pub participant: &'a str,
    pub author_name: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// Why it waits for a moderator, or "".
    pub flag: &'a str,
}

pub async fn insert_proposal(db: &Db, p: &NewProposal<'_>, now: i64) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO proposals (id, organisation_id, consultation_id, participant, author_name, title, body, status, flag, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(p.organisation_id)
    .bind(p.consultation_id)
    .bind(p.participant)
    .bind(p.author_name)
    .bind(p.title)
    .bind(p.body)
    .bind(if p.flag.is_empty() { "visible" } else { "held" })
    .bind(p.flag)
    .bind(now)
    .execute(db)
    .await?;
    Ok(id)
}

pub struct NewComment<'a> {
    pub organisation_id: &'a str,
    pub proposal_id: &'a str,
    pub participant: &'a str,
    pub author_name: &'a str,
    pub body: &'a str,
    pub flag: &'a str,
}

pub async fn insert_comment(db: &Db, c: &NewComment<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO comments (id, organisation_id, proposal_id, participant, author_name, body, status, flag, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(c.organisation_id)
    .bind(c.proposal_id)
    .bind(c.participant)
    .bind(c.author_name)
    .bind(c.body)
    .bind(if c.flag.is_empty() { "visible" } else { "held" })
    .bind(c.flag)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Adds the participant's support; false if they already supported it.
pub async fn support(db: &Db, proposal_id: &str, participant: &str, now: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("INSERT INTO supports (proposal_id, participant, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(proposal_id)
        .bind(participant)
        .bind(now)
        .execute(db)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Who made a report, for counting people rather than cookies: `user:<id>` for an account,
/// `address:<hash>` for someone not signed in (one network address counts as one person).
pub struct Reporter<'a> {
    pub participant: &'a str,
    pub identity: &'a str,
}

/// Records a report (one per participant and contribution) and queues the contribution for a
/// moderator. It is held (hidden until a moderator decides) only when [`REPORTS_TO_HIDE`]
/// different accounts have reported it since a moderator last decided: reports from people who
/// are not signed in queue it but never hide it, since anyone can make those. A reporter who has
/// reported it before (under another cookie, or before a moderator's decision) counts once and
/// does not queue it again. Returns false if this participant had already reported it.
pub async fn report(db: &Db, kind: &str, target_id: &str, who: &Reporter<'_>, reason: &str, now: i64) -> sqlx::Result<bool> {
    let table = if kind == "proposal" { "proposals" } else { "comments" };
    let mut tx = db.begin_write().await?;
    let reported_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE target_kind = $1 AND target_id = $2 AND reporter = $3")
            .bind(kind)
            .bind(target_id)
            .bind(who.identity)
            .fetch_one(&mut *tx)
            .await?;
    // A reporter's later reports are kept (so each of their cookies sees its report) as already
    // settled: the first one is what counts.
    let r = sqlx::query(
        "INSERT INTO reports (target_kind, target_id, participant, reporter, reason, created_at, cleared) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT DO NOTHING",
    )
    .bind(kind)
    .bind(target_id)
    .bind(who.participant)
    .bind(who.identity)
    .bind(reason)
    .bind(now)
    .bind(if reported_before > 0 { 1_i64 } else { 0 })
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(false);
    }
    if reported_before == 0 {
        let (people, accounts): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(DISTINCT reporter), COUNT(DISTINCT CASE WHEN reporter LIKE 'user:%' THEN reporter END) \
             FROM reports WHERE target_kind = $1 AND target_id = $2 AND cleared = 0",
        )
        .bind(kind)
        .bind(target_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "UPDATE {table} SET report_count = $1, moderated_at = NULL, \
             status = CASE WHEN status = 'visible' AND $2 >= $3 THEN 'held' ELSE status END WHERE id = $4"
        ))
        .bind(people)
        .bind(accounts)
        .bind(REPORTS_TO_HIDE)
        .bind(target_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The organisation id of a comment and its proposal, if the comment exists.
pub async fn comment_owner(db: &Db, comment_id: &str) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT organisation_id, proposal_id FROM comments WHERE id = $1").bind(comment_id).fetch_optional(db).await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct QueuedRow {
    pub kind: String,
    pub id: String,
    pub consultation_title: String,
    pub text: String,
    pub author_name: String,
    pub status: String,
    pub flag: String,
    pub report_count: i64,
    pub reasons: Option<String>,
}

/// Contributions in the organisation waiting for a decision: auto-flagged or reported, and not
/// decided since.
pub async fn queue(db: &Db, organisation_id: &str) -> sqlx::Result<Vec<QueuedRow>> {
    sqlx::query_as(
        "SELECT 'proposal' AS kind, p.id, c.title AS consultation_title, p.title || ': ' || p.body AS text, p.author_name, p.status, p.flag, \
                p.report_count, (SELECT MIN(r.reason) FROM reports r WHERE r.target_kind = 'proposal' AND r.target_id = p.id AND r.reason <> '') AS reasons \
         FROM proposals p JOIN consultations c ON c.id = p.consultation_id \
         WHERE p.organisation_id = $1 AND p.moderated_at IS NULL AND (p.flag <> '' OR p.report_count > 0) \
         UNION ALL \
         SELECT 'comment' AS kind, m.id, c.title AS consultation_title, m.body AS text, m.author_name, m.status, m.flag, \
                m.report_count, (SELECT MIN(r.reason) FROM reports r WHERE r.target_kind = 'comment' AND r.target_id = m.id AND r.reason <> '') AS reasons \
         FROM comments m JOIN proposals p ON p.id = m.proposal_id JOIN consultations c ON c.id = p.consultation_id \
         WHERE m.organisation_id = $1 AND m.moderated_at IS NULL AND (m.flag <> '' OR m.report_count > 0) \
         ORDER BY 8 DESC, 2",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await
}

/// Applies one decision to many contributions of the organisation at once. Returns how many
/// changed.
pub async fn moderate(db: &Db, organisation_id: &str, items: &[(String, String)], status: &str, now: i64) -> sqlx::Result<u64> {
    let mut tx = db.begin_write().await?;
    let mut changed = 0;
    for (kind, id) in items {
        let table = if kind == "proposal" { "proposals" } else { "comments" };
        // A decision settles the reports so far: only new reports bring it back, and they count afresh.
        let updated = sqlx::query(&format!(
            "UPDATE {table} SET status = $1, moderated_at = $2, report_count = 0 WHERE id = $3 AND organisation_id = $4"
        ))
        .bind(status)
        .bind(now)
        .bind(id)
        .bind(organisation_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated > 0 {
            sqlx::query("UPDATE reports SET cleared = 1 WHERE target_kind = $1 AND target_id = $2")
                .bind(kind)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        changed += updated;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Counts the address's recent posts of `kind` and, if under `limit`, records this one.
/// Returns false when the limit is reached (nothing is recorded then).
pub async fn take_address_allowance(db: &Db, address: &str, kind: &str, since: i64, limit: i64, now: i64) -> sqlx::Result<bool> {
    let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participation_events WHERE address = $1 AND kind = $2 AND at >= $3")
        .bind(address)
        .bind(kind)
        .bind(since)
        .fetch_one(db)
        .await?;
    if used >= limit {
        return Ok(false);
    }
    sqlx::query("INSERT INTO participation_events (address, kind, at) VALUES ($1, $2, $3)")
        .bind(address)
        .bind(kind)
        .bind(now)
        .execute(db)
        .await?;
    Ok(true)
}

pub async fn prune_events(db: &Db, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM participation_events WHERE at < $1").bind(before).execute(db).await?.rows_affected())
}
