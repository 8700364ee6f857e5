//! What the outbox holds, for an organisation's administrators: messages newest first and how
//! many are in each state. The sender's own queries (claiming, finishing) are in `server::mail`.

use crate::server::Db;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub finished_at: Option<i64>,
    pub last_error: Option<String>,
    pub resident_id: Option<String>,
}

/// The newest `limit` messages of the organisation, in one state or all.
pub async fn list(db: &Db, organisation_id: &str, status: Option<&str>, limit: i64) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(
        "SELECT id, kind, to_address, subject, status, attempts, created_at, next_attempt_at, finished_at, last_error, resident_id \
         FROM outgoing_messages WHERE organisation_id = $1 AND ($2 IS NULL OR status = $2) \
         ORDER BY created_at DESC, id DESC LIMIT $3",
    )
    .bind(organisation_id)
    .bind(status)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many messages are in each state (states with none are left out).
pub async fn counts(db: &Db, organisation_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT status, COUNT(*) FROM outgoing_messages WHERE organisation_id = $1 GROUP BY status")
        .bind(organisation_id)
        .fetch_all(db)
        .await
}
