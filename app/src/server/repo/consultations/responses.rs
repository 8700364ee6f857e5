//! Responses: drafts, answers (online and at the door) and confirming the address for updates.

use crate::domain::consultation::Answer;
use crate::server::Db;
use std::collections::BTreeMap;

/// A participant's saved response: area, email, whether they want to hear the outcome, answers.
#[derive(Clone, Debug, Default)]
pub struct SavedResponse {
    pub area_id: Option<String>,
    pub email: Option<String>,
    pub notify: bool,
    /// The address has been confirmed by its emailed link.
    pub email_confirmed: bool,
    pub answers: BTreeMap<String, Vec<String>>,
}

pub async fn response_of(db: &Db, consultation_id: &str, participant: &str) -> sqlx::Result<Option<SavedResponse>> {
    type Row = (String, Option<String>, Option<String>, i64, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, area_id, email, notify_consent, email_confirmed_at FROM responses WHERE consultation_id = $1 AND participant = $2",
    )
    .bind(consultation_id)
    .bind(participant)
    .fetch_optional(db)
    .await?;
    let Some((id, area_id, email, notify, confirmed)) = row else { return Ok(None) };
    let mut answers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT question_id, value FROM answers WHERE response_id = $1 ORDER BY question_id, ordinal")
            .bind(&id)
            .fetch_all(db)
            .await?;
    for (question, value) in rows {
        answers.entry(question).or_default().push(value);
    }
    Ok(Some(SavedResponse { area_id, email, notify: notify == 1, email_confirmed: confirmed.is_some(), answers }))
}

/// The values a participant's refused submission held, if any.
pub async fn draft_of(db: &Db, consultation_id: &str, participant: &str) -> sqlx::Result<Option<BTreeMap<String, Vec<String>>>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT answers FROM response_drafts WHERE consultation_id = $1 AND participant = $2")
        .bind(consultation_id)
        .bind(participant)
        .fetch_optional(db)
        .await?;
    Ok(row.and_then(|(json,)| serde_json::from_str(&json).ok()))
}

/// Keeps a refused submission: `form` is keyed by question id, plus "area_id", "notify" and
/// "email" (no question has those ids: they are UUIDs).
pub async fn save_draft(
    db: &Db,
    consultation_id: &str,
    participant: &str,
    form: &BTreeMap<String, Vec<String>>,
    now: i64,
) -> sqlx::Result<()> {
    let json = serde_json::to_string(form).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "INSERT INTO response_drafts (consultation_id, participant, answers, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (consultation_id, participant) DO UPDATE SET answers = excluded.answers, created_at = excluded.created_at",
    )
    .bind(consultation_id)
    .bind(participant)
    .bind(json)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Drafts are for coming back to a form straight away, not for keeping what people typed.
pub async fn purge_drafts(db: &Db, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM response_drafts WHERE created_at < $1").bind(before).execute(db).await?.rows_affected())
}

pub struct NewResponse<'a> {
    pub organisation_id: &'a str,
    pub consultation_id: &'a str,
    pub participant: &'a str,
    pub assisted: bool,
    pub recorded_by: Option<&'a str>,
    pub area_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub notify: bool,
    pub answers: &'a [Answer],
    /// The address is already proven (the signed-in resident's own confirmed account address).
    pub email_proven: bool,
    /// What to send when the address still needs confirming.
    pub confirmation: Option<ConfirmationLink<'a>>,
    /// The language the resident responded in ("en", "cy", …; "" when not known, as at the
    /// door): the updates they asked for are written in it.
    pub language: &'a str,
}

/// The emailed link that confirms an address left on a response (double opt-in). Only its hash
/// is stored; the letter already holds the link.
pub struct ConfirmationLink<'a> {
    pub token_hash: &'a str,
    pub expires_at: i64,
    pub base: &'a str,
    pub letter: crate::domain::mail::Letter,
    /// At most this many links to one address in a day, however many responses name it.
    pub per_day: i64,
}

/// Where a response's address stands after saving it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressState {
    /// No address kept (the box was not ticked).
    None,
    /// Confirmed: updates will be sent.
    Confirmed,
    /// A confirmation link has just been queued.
    LinkSent,
    /// Not confirmed, and no link sent now: one went recently (to this address, from this
    /// response or others) and the day's allowance is used.
    Waiting,
}

pub struct StoredResponse {
    /// An earlier response of theirs was replaced.
    pub replaced: bool,
    pub address: AddressState,
}

/// Saves a participant's response: the first time it is created, afterwards it is replaced (a
/// changed mind edits the same response). A new or changed address is not confirmed until its
/// emailed link is used; the link is queued in the same transaction.
pub async fn save_response(db: &crate::server::Db, r: &NewResponse<'_>, now: i64) -> sqlx::Result<StoredResponse> {
    let mut tx = db.begin_write().await?;
    let existing: Option<(String, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT id, email, email_confirmed_at FROM responses WHERE consultation_id = $1 AND participant = $2")
            .bind(r.consultation_id)
            .bind(r.participant)
            .fetch_optional(&mut *tx)
            .await?;
    // Confirmed stays confirmed only for the same address.
    let kept = existing.as_ref().and_then(|(_, email, at)| at.filter(|_| email.is_some() && email.as_deref() == r.email));
    let confirmed_at = match r.email {
        None => None,
        Some(_) if r.email_proven => Some(kept.unwrap_or(now)),
        Some(_) => kept,
    };
    let (id, replaced) = match existing {
        Some((id, _, _)) => {
            sqlx::query(
                "UPDATE responses SET area_id = $1, email = $2, notify_consent = $3, email_confirmed_at = $4, updated_at = $5, language = $6 \
                 WHERE id = $7",
            )
            .bind(r.area_id)
            .bind(r.email)
            .bind(i64::from(r.notify))
            .bind(confirmed_at)
            .bind(now)
            .bind(r.language)
            .bind(&id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM answers WHERE response_id = $1").bind(&id).execute(&mut *tx).await?;
            (id, true)
        }
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            sqlx::query(
                "INSERT INTO responses (id, organisation_id, consultation_id, participant, assisted, recorded_by, area_id, email, \
                 notify_consent, email_confirmed_at, created_at, updated_at, language) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
            )
            .bind(&id)
            .bind(r.organisation_id)
            .bind(r.consultation_id)
            .bind(r.participant)
            .bind(i64::from(r.assisted))
            .bind(r.recorded_by)
            .bind(r.area_id)
            .bind(r.email)
            .bind(i64::from(r.notify))
            .bind(confirmed_at)
            .bind(now)
            .bind(r.language)
            .execute(&mut *tx)
            .await?;
            (id, false)
        }
    };
    insert_answers(&mut tx, &id, r.answers).await?;
    sqlx::query("DELETE FROM response_drafts WHERE consultation_id = $1 AND participant = $2")
        .bind(r.consultation_id)
        .bind(r.participant)
        .execute(&mut *tx)
        .await?;
    let address = match (r.email, confirmed_at) {
        (None, _) => AddressState::None,
        (Some(_), Some(_)) => AddressState::Confirmed,
        (Some(email), None) => match &r.confirmation {
            Some(link) => queue_confirmation(&mut tx, r, &id, email, link, now).await?,
            None => AddressState::Waiting,
        },
    };
    tx.commit().await?;
    Ok(StoredResponse { replaced, address })
}

/// Queues the link that confirms `email` for response `id`, unless this response already has a
/// link that still works for that address, or the address has had its day's links.
pub(super) async fn queue_confirmation(
    tx: &mut sqlx::AnyConnection,
    r: &NewResponse<'_>,
    id: &str,
    email: &str,
    link: &ConfirmationLink<'_>,
    now: i64,
) -> sqlx::Result<AddressState> {
    use crate::server::repo::email_tokens::{self, NewToken, Purpose};
    let pending: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM email_tokens WHERE response_id = $1 AND purpose = $2 AND email = $3 AND used_at IS NULL AND expires_at > $4",
    )
    .bind(id)
    .bind(Purpose::ConfirmAddress.as_str())
    .bind(email)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if pending > 0 || email_tokens::recent_for_email(&mut *tx, email, Purpose::ConfirmAddress, now - 24 * 3600).await? >= link.per_day {
        return Ok(AddressState::Waiting);
    }
    let token = NewToken {
        token_hash: link.token_hash,
        purpose: Purpose::ConfirmAddress,
        organisation_id: r.organisation_id,
        user_id: None,
        email,
        response_id: Some(id),
        expires_at: link.expires_at,
    };
    email_tokens::insert(&mut *tx, token, now).await?;
    let message = crate::server::mail::Outgoing {
        organisation_id: r.organisation_id,
        kind: crate::domain::mail::MessageKind::AddressConfirmation,
        to_address: email,
        // Nothing a stranger typed goes to an unconfirmed address but the consultation's title.
        to_name: "",
        letter: link.letter.clone(),
        lang: crate::language::choice::code(crate::language::page_locale()),
        consultation_id: Some(r.consultation_id),
        consent: None,
    };
    crate::server::mail::queue(&mut *tx, link.base, message, now).await?;
    Ok(AddressState::LinkSent)
}

/// Confirms the address of the response a link was sent for, if the response still holds that
/// address and still wants updates. Returns whether it did.
pub async fn confirm_response_address(conn: &mut sqlx::AnyConnection, response_id: &str, email: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE responses SET email_confirmed_at = $1 WHERE id = $2 AND email = $3 AND notify_consent = 1 AND email_confirmed_at IS NULL",
    )
    .bind(now)
    .bind(response_id)
    .bind(email)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn response_count<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(db: E, consultation_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE consultation_id = $1").bind(consultation_id).fetch_one(db).await
}

/// Stores a response taken at the door, inside the sync batch's transaction. The device's item
/// id is the participant key, so a replay finds it instead of storing it twice.
pub async fn insert_assisted(conn: &mut sqlx::AnyConnection, r: &NewResponse<'_>, now: i64) -> sqlx::Result<()> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO responses (id, organisation_id, consultation_id, participant, assisted, recorded_by, area_id, email, \
         notify_consent, created_at, updated_at, language) VALUES ($1, $2, $3, $4, 1, $5, $6, NULL, 0, $7, $7, $8)",
    )
    .bind(&id)
    .bind(r.organisation_id)
    .bind(r.consultation_id)
    .bind(r.participant)
    .bind(r.recorded_by)
    .bind(r.area_id)
    .bind(now)
    .bind(r.language)
    .execute(&mut *conn)
    .await?;
    insert_answers(conn, &id, r.answers).await?;
    Ok(())
}

/// A response's answers, one row per value, numbered within their question.
pub(super) async fn insert_answers(conn: &mut sqlx::AnyConnection, response_id: &str, answers: &[Answer]) -> sqlx::Result<()> {
    for answer in answers {
        for (ordinal, value) in answer.values.iter().enumerate() {
            sqlx::query("INSERT INTO answers (response_id, question_id, ordinal, value) VALUES ($1, $2, $3, $4)")
                .bind(response_id)
                .bind(&answer.question_id)
                .bind(ordinal as i64)
                .bind(value)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
