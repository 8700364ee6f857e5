use crate::domain::Role;
use crate::server::Db;

const COLUMNS: &str =
    "id, organisation_id, email, display_name, role, password_hash, active, created_at, consultation_rights, team, totp_secret, totp_enabled_at, email_verified_at, language";

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct UserRow {
    pub id: String,
    pub organisation_id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: i64,
    pub created_at: i64,
    /// Granted by an admin: an outreach worker may run consultations.
    pub consultation_rights: i64,
    /// The team they work in ("" for none).
    pub team: String,
    /// Their authenticator app's secret (base32), once they have confirmed a code from it.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<i64>,
    /// When the address was proven by an emailed link (NULL: a new resident account waiting).
    pub email_verified_at: Option<i64>,
    /// The language they chose while signed in ("" for none yet): see `server::language`.
    pub language: String,
}

impl UserRow {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    /// May create, run and moderate the organisation's consultations.
    pub fn can_manage_consultations(&self) -> bool {
        self.role().is_some_and(|r| r.may_manage_consultations(self.consultation_rights == 1))
    }

    /// Signs in with a code from an authenticator app as well as their password.
    pub fn has_second_factor(&self) -> bool {
        self.totp_enabled_at.is_some() && self.totp_secret.is_some()
    }

    /// Can sign in: active and has chosen a password.
    pub fn can_sign_in(&self) -> bool {
        self.active == 1 && self.password_hash.is_some()
    }
}

pub struct NewUser<'a> {
    pub organisation_id: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
    pub created_by: Option<&'a str>,
    /// The address is known to be theirs already (made by someone who checked it, or the demo).
    /// Otherwise it is proven by an emailed link: an invitation or a verification.
    pub email_verified: bool,
}

/// Inserts a user; the email must already be normalised. A taken email is a unique violation.
pub async fn insert<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, new: NewUser<'_>, now: i64) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO users (id, organisation_id, email, display_name, role, password_hash, active, created_at, created_by, email_verified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9)",
    )
    .bind(&id)
    .bind(new.organisation_id)
    .bind(new.email)
    .bind(new.display_name)
    .bind(new.role.as_str())
    .bind(new.password_hash)
    .bind(now)
    .bind(new.created_by)
    .bind(new.email_verified.then_some(now))
    .execute(exec)
    .await?;
    Ok(id)
}

/// Locks the account's row to the end of the transaction (a row lock on PostgreSQL; on SQLite the
/// transaction, begun with `Db::begin_write`, holds the one write lock already), so that checks
/// made after it, such as "fewer than three links this hour", cannot be passed by two requests at
/// once.
pub async fn lock(conn: &mut sqlx::AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET email = email WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

pub async fn find_by_email(db: &Db, email: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1")).bind(email).fetch_optional(db).await
}

/// The account of `organisation_id` that signs in with `email` (any case), on any connection.
pub async fn find_by_email_in(conn: &mut sqlx::AnyConnection, organisation_id: &str, email: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE organisation_id = $1 AND LOWER(email) = LOWER($2)"))
        .bind(organisation_id)
        .bind(email.trim())
        .fetch_optional(conn)
        .await
}

/// Keeps the language someone chose with the switch while signed in.
pub async fn set_language(db: &Db, id: &str, language: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2").bind(language).bind(id).execute(db).await?;
    Ok(())
}

pub async fn find_by_id(db: &Db, id: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(db).await
}

/// A user of one organisation; another organisation's user is simply not found.
pub async fn find_in_organisation(db: &Db, organisation_id: &str, id: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1 AND organisation_id = $2"))
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(db)
        .await
}

/// Staff of one organisation (residents are not listed), by name.
pub async fn list_staff(db: &Db, organisation_id: &str) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE organisation_id = $1 AND role <> 'resident' ORDER BY display_name, email"))
        .bind(organisation_id)
        .fetch_all(db)
        .await
}

/// Grants or removes an outreach worker's right to run consultations. False if no such worker.
pub async fn set_consultation_rights(db: &Db, organisation_id: &str, id: &str, granted: bool) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE users SET consultation_rights = $1 WHERE id = $2 AND organisation_id = $3 AND role = 'outreach_worker'")
        .bind(i64::from(granted))
        .bind(id)
        .bind(organisation_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The team of a member of staff ("" for none), if there is such a member of staff.
pub async fn team_of(conn: &mut sqlx::AnyConnection, organisation_id: &str, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT team FROM users WHERE id = $1 AND organisation_id = $2 AND role <> 'resident'")
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(conn)
        .await
}

/// Puts a member of staff in a team ("" for none). False if no such member of staff. (The
/// teams' counts follow: `server::staff::put_in_team`.)
pub async fn set_team(conn: &mut sqlx::AnyConnection, organisation_id: &str, id: &str, team: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE users SET team = $1 WHERE id = $2 AND organisation_id = $3 AND role <> 'resident'")
        .bind(team)
        .bind(id)
        .bind(organisation_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The ids of a team's members.
pub async fn team_members(db: &Db, organisation_id: &str, team: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM users WHERE organisation_id = $1 AND team = $2 AND team <> '' ORDER BY id")
        .bind(organisation_id)
        .bind(team)
        .fetch_all(db)
        .await
}

/// The organisation's team names.
pub async fn teams(db: &Db, organisation_id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT team FROM users WHERE organisation_id = $1 AND team <> '' ORDER BY team")
        .bind(organisation_id)
        .fetch_all(db)
        .await
}

pub async fn set_active(db: &Db, organisation_id: &str, id: &str, active: bool) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2 AND organisation_id = $3")
        .bind(if active { 1_i64 } else { 0 })
        .bind(id)
        .bind(organisation_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password_hash<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, id: &str, hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(id).execute(exec).await?;
    Ok(())
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(db).await
}

/// Turns on the second factor with a confirmed secret, replacing any recovery codes with these
/// (given as hashes). `step` is the step of the code that confirmed it (used, so not accepted again).
pub async fn enable_totp(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    secret: &str,
    step: i64,
    recovery_hashes: &[String],
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3 WHERE id = $4 AND totp_enabled_at IS NULL")
        .bind(secret)
        .bind(now)
        .bind(step)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    replace_recovery_codes(conn, id, recovery_hashes).await
}

pub async fn replace_recovery_codes(conn: &mut sqlx::AnyConnection, id: &str, hashes: &[String]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)").bind(id).bind(hash).execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn disable_totp(conn: &mut sqlx::AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Accepts a code's step once: true if it is later than any step this account used before
/// (the same code cannot be used twice, even by two requests at once).
pub async fn use_totp_step(db: &Db, id: &str, step: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step)
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses up a recovery code: true if it was one of the account's and not used before.
pub async fn use_recovery_code(db: &Db, id: &str, hash: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(hash)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn unused_recovery_codes(db: &Db, id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL").bind(id).fetch_one(db).await
}

/// The address is proven (an emailed link was used).
pub async fn mark_email_verified(conn: &mut sqlx::AnyConnection, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Resident accounts whose address was never confirmed, made before `before`, go (with their
/// links): nobody could ever sign in to them. Returns how many.
pub async fn delete_unconfirmed(db: &Db, before: i64) -> sqlx::Result<u64> {
    let mut tx = db.begin_write().await?;
    let unconfirmed = "SELECT id FROM users WHERE role = 'resident' AND email_verified_at IS NULL AND created_at < $1";
    sqlx::query(&format!("DELETE FROM email_tokens WHERE user_id IN ({unconfirmed})")).bind(before).execute(&mut *tx).await?;
    let gone = sqlx::query(&format!("DELETE FROM users WHERE id IN ({unconfirmed})")).bind(before).execute(&mut *tx).await?.rows_affected();
    tx.commit().await?;
    Ok(gone)
}
