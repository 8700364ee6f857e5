use crate::server::Db;

pub async fn record(db: &Db, email: &str, address: &str, at: i64, succeeded: bool) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_attempts (email, address, at, succeeded) VALUES ($1, $2, $3, $4)")
        .bind(email)
        .bind(address)
        .bind(at)
        .bind(if succeeded { 1_i64 } else { 0 })
        .execute(db)
        .await?;
    Ok(())
}

/// Reserves an attempt before the password is checked: it counts as a failure from this moment,
/// so parallel guesses each see the ones before them and no more than the limit are checked.
pub async fn reserve(db: &Db, id: &str, email: &str, address: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_attempts (id, email, address, at, succeeded) VALUES ($1, $2, $3, $4, 0)")
        .bind(id)
        .bind(email)
        .bind(address)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Withdraws a reservation whose attempt was refused by the throttle (the password was not checked).
pub async fn withdraw(db: &Db, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_attempts WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

/// Marks a reserved attempt as having succeeded.
pub async fn succeeded(db: &Db, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE login_attempts SET succeeded = 1 WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

/// Times of failed attempts since `since`: (for this email, from this address).
pub async fn recent_failures(db: &Db, email: &str, address: &str, since: i64) -> sqlx::Result<(Vec<i64>, Vec<i64>)> {
    let by_email = sqlx::query_scalar("SELECT at FROM login_attempts WHERE email = $1 AND at > $2 AND succeeded = 0")
        .bind(email)
        .bind(since)
        .fetch_all(db)
        .await?;
    let by_address = sqlx::query_scalar("SELECT at FROM login_attempts WHERE address = $1 AND at > $2 AND succeeded = 0")
        .bind(address)
        .bind(since)
        .fetch_all(db)
        .await?;
    Ok((by_email, by_address))
}

/// A successful sign-in clears that account's failures, so the next typo is not the last straw.
pub async fn clear_failures(db: &Db, email: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_attempts WHERE email = $1 AND succeeded = 0").bind(email).execute(db).await?;
    Ok(())
}

pub async fn prune(db: &Db, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(before).execute(db).await?.rows_affected())
}
