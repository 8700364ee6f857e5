//! One resident, not two: records made at the door linked to the resident record of an online
//! account. The account's record stands for the person (`residents.linked_to` on each door record
//! points at it); [`person_of`] is the one place that says which records are one person, and every
//! query that must see the person (consents, subject access, erasure, the funnel) uses it.

use crate::domain::privacy::RecordFacts;
use crate::domain::validation::contact_email;
use sqlx::AnyConnection;

/// SQL for the ids of every record of the person that record `id` (an SQL expression: a
/// parameter such as `$1`, or a column of the outer query) belongs to: the account's record and
/// every door record linked to it, or the record alone.
pub fn person_of(id: &str) -> String {
    format!(
        "(SELECT pp.id FROM residents pp, residents pq WHERE pq.id = {id} \
         AND (pp.id = COALESCE(pq.linked_to, pq.id) OR pp.linked_to = COALESCE(pq.linked_to, pq.id)))"
    )
}

/// One of a person's records.
#[derive(sqlx::FromRow, Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub contact: String,
    pub user_id: Option<String>,
    pub linked_to: Option<String>,
    pub linked_at: Option<i64>,
    pub created_at: i64,
}

/// Every record of the person record `id` belongs to, in `organisation_id`: the account's record
/// first, then door records oldest first. Empty if there is no such record here.
pub async fn members(conn: &mut AnyConnection, organisation_id: &str, id: &str) -> sqlx::Result<Vec<Member>> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.name, r.contact, r.user_id, r.linked_to, r.linked_at, r.created_at FROM residents r \
         WHERE r.organisation_id = $2 AND r.id IN {} ORDER BY CASE WHEN r.user_id IS NULL THEN 1 ELSE 0 END, r.created_at, r.id",
        person_of("$1")
    ))
    .bind(id)
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// The ids of [`members`].
pub async fn member_ids(conn: &mut AnyConnection, organisation_id: &str, id: &str) -> sqlx::Result<Vec<String>> {
    Ok(members(conn, organisation_id, id).await?.into_iter().map(|m| m.id).collect())
}

/// What the linking rule needs to know about record `id` of `organisation_id`.
pub async fn facts(conn: &mut AnyConnection, organisation_id: &str, id: &str) -> sqlx::Result<Option<RecordFacts>> {
    // (id, account, linked to, erased at)
    type Row = (String, Option<String>, Option<String>, Option<i64>);
    let row: Option<Row> = sqlx::query_as("SELECT id, user_id, linked_to, erased_at FROM residents WHERE organisation_id = $1 AND id = $2")
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id, user_id, linked_to, erased_at)| RecordFacts {
        id,
        account: user_id.is_some(),
        linked_to,
        erased: erased_at.is_some(),
    }))
}

/// Links door record `door` to account record `account` (both checked by
/// `domain::privacy::plan_link` first). False if the door record changed since (linked by
/// someone else a moment before).
pub async fn link(conn: &mut AnyConnection, door: &str, account: &str, at: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE residents SET linked_to = $2, linked_at = $3 WHERE id = $1 AND linked_to IS NULL AND user_id IS NULL AND erased_at IS NULL",
    )
    .bind(door)
    .bind(account)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Unlinks door record `door` of `organisation_id`. Returns the account record it was linked to,
/// or `None` if it was not linked.
pub async fn unlink(conn: &mut AnyConnection, organisation_id: &str, door: &str) -> sqlx::Result<Option<String>> {
    let account: Option<Option<String>> = sqlx::query_scalar("SELECT linked_to FROM residents WHERE organisation_id = $1 AND id = $2")
        .bind(organisation_id)
        .bind(door)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(Some(account)) = account else { return Ok(None) };
    sqlx::query("UPDATE residents SET linked_to = NULL, linked_at = NULL WHERE id = $1 AND linked_to = $2")
        .bind(door)
        .bind(&account)
        .execute(conn)
        .await?;
    Ok(Some(account))
}

/// A record made at the door that may be the signed-in resident's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub resident_id: String,
    /// When and how (door, event, …) they were first talked to; `None` if never.
    pub first_met: Option<(i64, String)>,
}

/// Records made at the door in `organisation_id` that may be the resident's with account
/// `user_id` and verified address `email`: the contact details given at the door hold that
/// address; not erased, not linked to an account yet, and not one they said was not them.
/// (Whether they may be offered also depends on consent: see `server::people::offers`.)
pub async fn candidates(conn: &mut AnyConnection, organisation_id: &str, user_id: &str, email: &str) -> sqlx::Result<Vec<Offer>> {
    let email = email.trim().to_lowercase();
    let pattern = format!("%{}%", email.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let rows: Vec<(String, String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT r.id, r.contact, \
         (SELECT MIN(i.occurred_at) FROM interactions i WHERE i.resident_id = r.id), \
         (SELECT i.kind FROM interactions i WHERE i.resident_id = r.id ORDER BY i.occurred_at, i.id LIMIT 1) \
         FROM residents r WHERE r.organisation_id = $1 AND r.user_id IS NULL AND r.linked_to IS NULL AND r.erased_at IS NULL \
         AND LOWER(r.contact) LIKE $2 ESCAPE '\\' \
         AND NOT EXISTS (SELECT 1 FROM resident_link_declines d WHERE d.resident_id = r.id AND d.user_id = $3) \
         ORDER BY r.created_at, r.id",
    )
    .bind(organisation_id)
    .bind(pattern)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut offers = Vec::new();
    for (resident_id, contact, first_at, first_kind) in rows {
        if contact_email(&contact).as_deref() != Some(email.as_str()) {
            continue;
        }
        offers.push(Offer { resident_id, first_met: first_at.zip(first_kind) });
    }
    Ok(offers)
}

/// The resident said door record `resident_id` is not them: they are not asked about it again.
pub async fn decline(conn: &mut AnyConnection, resident_id: &str, user_id: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO resident_link_declines (resident_id, user_id, declined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(resident_id)
        .bind(user_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}
