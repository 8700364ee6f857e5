//! Subject access and erasure requests, as logged and answered.

use crate::domain::privacy;
use crate::server::Db;
use sqlx::AnyConnection;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RequestRow {
    pub id: String,
    pub resident_id: String,
    pub kind: String,
    pub received_on: String,
    pub due_on: String,
    pub status: String,
    pub completed_at: Option<i64>,
}

/// A subject access or erasure request, as logged.
pub struct NewRequest<'a> {
    pub organisation_id: &'a str,
    pub resident_id: &'a str,
    pub kind: privacy::RequestKind,
    /// The day it arrived, and the day it must be answered by (`YYYY-MM-DD`).
    pub received_on: &'a str,
    pub due_on: &'a str,
    pub recorded_by: &'a str,
}

pub async fn insert_request<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    request: NewRequest<'_>,
    now: i64,
) -> sqlx::Result<String> {
    let NewRequest { organisation_id, resident_id, kind, received_on, due_on, recorded_by } = request;
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO privacy_requests (id, organisation_id, resident_id, kind, received_on, due_on, status, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(resident_id)
    .bind(kind.as_str())
    .bind(received_on)
    .bind(due_on)
    .bind(recorded_by)
    .bind(now)
    .execute(db)
    .await?;
    Ok(id)
}

/// Marks a request answered. Returns its resident when it was open here.
pub async fn close_request(conn: &mut AnyConnection, organisation_id: &str, id: &str, by: &str, now: i64) -> sqlx::Result<Option<String>> {
    let resident: Option<String> =
        sqlx::query_scalar("SELECT resident_id FROM privacy_requests WHERE id = $1 AND organisation_id = $2 AND status = 'open'")
            .bind(id)
            .bind(organisation_id)
            .fetch_optional(&mut *conn)
            .await?;
    if resident.is_some() {
        sqlx::query(
            "UPDATE privacy_requests SET status = 'done', completed_at = $3, completed_by = $4 WHERE id = $1 AND organisation_id = $2",
        )
        .bind(id)
        .bind(organisation_id)
        .bind(now)
        .bind(by)
        .execute(conn)
        .await?;
    }
    Ok(resident)
}

/// Open requests soonest due first, then those answered most recently.
pub async fn requests(db: &Db, organisation_id: &str, resident_id: Option<&str>) -> sqlx::Result<Vec<RequestRow>> {
    let filter = if resident_id.is_some() { " AND resident_id = $2" } else { "" };
    let sql = format!(
        "SELECT id, resident_id, kind, received_on, due_on, status, completed_at FROM privacy_requests \
         WHERE organisation_id = $1{filter} ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_on, completed_at DESC LIMIT 200"
    );
    let mut q = sqlx::query_as::<_, RequestRow>(&sql).bind(organisation_id);
    if let Some(r) = resident_id {
        q = q.bind(r);
    }
    q.fetch_all(db).await
}
