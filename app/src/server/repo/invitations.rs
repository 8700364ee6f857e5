use crate::server::Db;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct InvitationRow {
    pub token_hash: String,
    pub user_id: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn insert<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    token_hash: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO invitations (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(exec)
        .await?;
    Ok(())
}

pub async fn find(db: &Db, token_hash: &str) -> sqlx::Result<Option<InvitationRow>> {
    sqlx::query_as("SELECT token_hash, user_id, expires_at, used_at FROM invitations WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(db)
        .await
}

/// Marks the invitation used; false when it was already used (two tabs racing).
pub async fn mark_used<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, token_hash: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(token_hash)
        .execute(exec)
        .await?;
    Ok(done.rows_affected() == 1)
}
