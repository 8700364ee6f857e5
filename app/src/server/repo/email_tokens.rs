//! Links sent by email to prove an address (`email_tokens`): only the hash of each is stored.

use crate::server::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    ConfirmAddress,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ConfirmAddress => "confirm_address",
        }
    }
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct TokenRow {
    pub token_hash: String,
    pub organisation_id: String,
    pub user_id: Option<String>,
    pub email: String,
    /// For an address left on a consultation response: that response.
    pub response_id: Option<String>,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub purpose: Purpose,
    pub organisation_id: &'a str,
    pub user_id: Option<&'a str>,
    pub email: &'a str,
    pub response_id: Option<&'a str>,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut sqlx::AnyConnection, t: NewToken<'_>, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, purpose, organisation_id, user_id, email, response_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.token_hash)
    .bind(t.purpose.as_str())
    .bind(t.organisation_id)
    .bind(t.user_id)
    .bind(t.email)
    .bind(t.response_id)
    .bind(now)
    .bind(t.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(db: &Db, purpose: Purpose, token_hash: &str) -> sqlx::Result<Option<TokenRow>> {
    sqlx::query_as("SELECT token_hash, organisation_id, user_id, email, response_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2")
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(db)
        .await
}

/// Uses the link; false when it was used already (two tabs racing) or has expired meanwhile.
pub async fn use_up(conn: &mut sqlx::AnyConnection, token_hash: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1")
        .bind(now)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Every other unused link of this purpose for the account stops working.
pub async fn retire_for_user(conn: &mut sqlx::AnyConnection, user_id: &str, purpose: Purpose, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// How many links of `purpose` went to this address since `since`. To cap them, call it inside
/// the transaction that inserts the next one, after `users::lock`, so that two requests at once
/// cannot both pass the cap.
pub async fn recent_for_email(conn: &mut sqlx::AnyConnection, email: &str, purpose: Purpose, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM email_tokens WHERE email = $1 AND purpose = $2 AND created_at >= $3")
        .bind(email)
        .bind(purpose.as_str())
        .bind(since)
        .fetch_one(conn)
        .await
}
