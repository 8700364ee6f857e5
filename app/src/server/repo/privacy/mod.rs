//! Data protection: the audit log, finding a resident, everything held about them (subject
//! access), erasure, requests and retention settings. Every query takes the organisation id.

mod audit;
mod erasure;
mod requests;
mod retention;
mod subject_access;
pub use audit::*;
pub use erasure::*;
pub use requests::*;
pub use retention::*;
pub use subject_access::*;

use crate::domain::outreach::ConsentPurpose;
use crate::domain::privacy::{self, ConsentEntry, ConsentState};
use crate::server::Db;
pub use crate::types::privacy::RecordTable as Section;
use sqlx::AnyConnection;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ResidentRow {
    pub id: String,
    pub name: String,
    pub contact: String,
    pub created_at: i64,
    pub erased_at: Option<i64>,
    pub last_seen: Option<i64>,
}

const RESIDENT_SELECT: &str = "SELECT r.id, r.name, r.contact, r.created_at, r.erased_at, \
     (SELECT MAX(i.occurred_at) FROM interactions i WHERE i.resident_id = r.id) AS last_seen FROM residents r";

/// Residents whose name or contact details contain `text` (any case), or whose id it is.
pub async fn find_residents(db: &Db, organisation_id: &str, text: &str, limit: i64) -> sqlx::Result<Vec<ResidentRow>> {
    let pattern = format!("%{}%", text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    sqlx::query_as(&format!(
        "{RESIDENT_SELECT} WHERE r.organisation_id = $1 AND r.erased_at IS NULL \
         AND (LOWER(r.name) LIKE LOWER($2) ESCAPE '\\' OR LOWER(r.contact) LIKE LOWER($2) ESCAPE '\\' OR r.id = $3) \
         ORDER BY r.name, r.created_at LIMIT $4"
    ))
    .bind(organisation_id)
    .bind(pattern)
    .bind(text.trim())
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn resident(db: &Db, organisation_id: &str, id: &str) -> sqlx::Result<Option<ResidentRow>> {
    sqlx::query_as(&format!("{RESIDENT_SELECT} WHERE r.organisation_id = $1 AND r.id = $2"))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The consent ledger of the person record `resident_id` belongs to (every record linked as
/// them: see `repo::people`), oldest first.
pub async fn consent_ledger<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, resident_id: &str) -> sqlx::Result<Vec<ConsentEntry>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT purpose, granted, occurred_at FROM consents WHERE resident_id IN {} ORDER BY occurred_at, received_at, id",
        crate::server::repo::people::person_of("$1")
    ))
    .bind(resident_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(purpose, granted, occurred_at)| {
            let purpose = ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == purpose)?;
            Some(ConsentEntry { purpose, granted: granted == 1, occurred_at })
        })
        .collect())
}

pub fn current_consents(ledger: &[ConsentEntry]) -> Vec<(ConsentPurpose, ConsentState)> {
    ConsentPurpose::ALL.into_iter().map(|p| (p, privacy::consent_state(ledger, p))).collect()
}

/// Every resident account of the organisation has a resident record (linked by `user_id`), so
/// an admin finds it, and everything it did, like anyone met at the door.
pub async fn ensure_account_residents(conn: &mut AnyConnection, organisation_id: &str, now: i64) -> sqlx::Result<()> {
    let missing: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email FROM users u WHERE u.organisation_id = $1 AND u.role = 'resident' \
         AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.user_id = u.id)",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    for (user_id, name, email) in missing {
        insert_account_resident(conn, organisation_id, &user_id, &name, &email, now).await?;
    }
    Ok(())
}

async fn insert_account_resident(
    conn: &mut AnyConnection,
    organisation_id: &str,
    user_id: &str,
    name: &str,
    email: &str,
    now: i64,
) -> sqlx::Result<String> {
    sqlx::query(
        "INSERT INTO residents (id, organisation_id, name, contact, preferred_language, created_by, created_at, user_id) \
         VALUES ($1, $2, $3, $4, '', $5, $6, $5) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organisation_id)
    .bind(name)
    .bind(email)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT id FROM residents WHERE user_id = $1").bind(user_id).fetch_one(conn).await
}

/// The resident record of a resident's own account, made the first time they need one.
pub async fn account_resident(conn: &mut AnyConnection, user: &crate::server::repo::users::UserRow, now: i64) -> sqlx::Result<String> {
    if let Some(id) =
        sqlx::query_scalar::<_, String>("SELECT id FROM residents WHERE user_id = $1").bind(&user.id).fetch_optional(&mut *conn).await?
    {
        return Ok(id);
    }
    insert_account_resident(conn, &user.organisation_id, &user.id, &user.display_name, &user.email, now).await
}

pub async fn find_account_resident(db: &Db, user_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM residents WHERE user_id = $1").bind(user_id).fetch_optional(db).await
}

/// A person's consent decisions (every record linked as them), newest first: (purpose, granted,
/// how, when).
pub async fn consent_history(db: &Db, resident_id: &str) -> sqlx::Result<Vec<(String, i64, String, i64)>> {
    sqlx::query_as(&format!(
        "SELECT purpose, granted, method, occurred_at FROM consents WHERE resident_id IN {} ORDER BY occurred_at DESC, received_at DESC, id DESC",
        crate::server::repo::people::person_of("$1")
    ))
    .bind(resident_id)
        .fetch_all(db)
        .await
}
