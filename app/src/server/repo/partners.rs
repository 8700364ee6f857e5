//! Community groups' requests to join a host organisation (`partner_requests`).

use crate::server::Db;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RequestRow {
    pub id: String,
    pub group_name: String,
    pub organiser_name: String,
    pub organiser_email: String,
    pub about: String,
    pub status: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, group_name, organiser_name, organiser_email, about, status, created_at";

pub struct NewRequest<'a> {
    pub host_id: &'a str,
    pub group_name: &'a str,
    pub organiser_name: &'a str,
    pub organiser_email: &'a str,
    pub about: &'a str,
}

/// Records a request, unless one from this address is already waiting (then nothing changes and
/// the asker is answered the same). Returns whether a new one was recorded.
pub async fn insert_request(db: &crate::server::Db, r: &NewRequest<'_>, now: i64) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM partner_requests WHERE host_id = $1 AND organiser_email = $2 AND status = 'waiting'")
            .bind(r.host_id)
            .bind(r.organiser_email)
            .fetch_one(&mut *tx)
            .await?;
    if waiting > 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO partner_requests (id, host_id, group_name, organiser_name, organiser_email, about, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(r.host_id)
    .bind(r.group_name)
    .bind(r.organiser_name)
    .bind(r.organiser_email)
    .bind(r.about)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The host's requests waiting for a decision, oldest first.
pub async fn waiting(db: &Db, host_id: &str) -> sqlx::Result<Vec<RequestRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM partner_requests WHERE host_id = $1 AND status = 'waiting' ORDER BY created_at, id"))
        .bind(host_id)
        .fetch_all(db)
        .await
}

pub async fn get(db: &Db, host_id: &str, id: &str) -> sqlx::Result<Option<RequestRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM partner_requests WHERE host_id = $1 AND id = $2"))
        .bind(host_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Declines a waiting request; false when it was decided already.
pub async fn decline(
    conn: &mut sqlx::AnyConnection,
    host_id: &str,
    id: &str,
    admin_id: &str,
    reason: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE partner_requests SET status = 'declined', reason = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND host_id = $5 AND status = 'waiting'",
    )
    .bind(reason)
    .bind(admin_id)
    .bind(now)
    .bind(id)
    .bind(host_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A partner group of the host already has this name (any case).
pub async fn group_name_taken(db: &Db, host_id: &str, name: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE host_id = $1 AND LOWER(name) = LOWER($2)")
        .bind(host_id)
        .bind(name)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}
