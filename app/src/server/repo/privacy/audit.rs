//! The audit log: writing an entry, and searching it.

use crate::domain::privacy::AuditAction;
use crate::server::Db;
use sqlx::AnyConnection;

/// One entry for the audit log.
pub struct AuditEntry<'a> {
    pub organisation_id: &'a str,
    /// The member of staff, or `None` for the server itself (the scheduled retention job).
    pub actor: Option<&'a str>,
    pub action: AuditAction,
    pub resident_id: Option<&'a str>,
    pub detail: &'a str,
    /// Where it was done from: a network address, or the tablet a synced change came from.
    pub address: &'a str,
    pub at: i64,
}

/// Writes one audit entry.
pub async fn audit(conn: &mut AnyConnection, entry: AuditEntry<'_>) -> sqlx::Result<()> {
    let AuditEntry { organisation_id, actor, action, resident_id, detail, address, at } = entry;
    sqlx::query(
        "INSERT INTO audit_log (id, organisation_id, at, actor_id, action, resident_id, detail, address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organisation_id)
    .bind(at)
    .bind(actor)
    .bind(action.as_str())
    .bind(resident_id)
    .bind(detail)
    .bind(address)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub resident_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Option<AuditAction>,
    /// UTC seconds, inclusive start and exclusive end.
    pub from: Option<i64>,
    pub until: Option<i64>,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AuditRow {
    pub at: i64,
    pub actor_name: Option<String>,
    pub action: String,
    pub resident_id: Option<String>,
    pub detail: String,
    pub address: String,
}

/// The newest entries first, at most `limit`.
pub async fn search_audit(db: &Db, organisation_id: &str, q: &AuditQuery, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    let mut sql = String::from(
        "SELECT a.at, u.display_name AS actor_name, a.action, a.resident_id, a.detail, a.address \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE a.organisation_id = $1",
    );
    let mut n = 1;
    let mut next = |sql: &mut String, clause: &str| {
        n += 1;
        sql.push_str(&clause.replace("$?", &format!("${n}")));
    };
    if q.resident_id.is_some() {
        next(&mut sql, " AND a.resident_id = $?");
    }
    if q.actor_id.is_some() {
        next(&mut sql, " AND a.actor_id = $?");
    }
    if q.action.is_some() {
        next(&mut sql, " AND a.action = $?");
    }
    if q.from.is_some() {
        next(&mut sql, " AND a.at >= $?");
    }
    if q.until.is_some() {
        next(&mut sql, " AND a.at < $?");
    }
    next(&mut sql, " ORDER BY a.at DESC, a.id DESC LIMIT $?");
    let mut query = sqlx::query_as::<_, AuditRow>(&sql).bind(organisation_id);
    if let Some(r) = &q.resident_id {
        query = query.bind(r);
    }
    if let Some(a) = &q.actor_id {
        query = query.bind(a);
    }
    if let Some(a) = q.action {
        query = query.bind(a.as_str());
    }
    if let Some(f) = q.from {
        query = query.bind(f);
    }
    if let Some(u) = q.until {
        query = query.bind(u);
    }
    query.bind(limit).fetch_all(db).await
}
