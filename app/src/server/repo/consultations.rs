//! Consultations, their questions, responses and outcome updates.

use crate::domain::consultation::{Answer, Question, QuestionKind, QuestionOption};
use crate::types::Named;
use sqlx::AnyPool;
use std::collections::{BTreeMap, HashMap};

/// A consultation's own row.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ConsultationRow {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub title: String,
    pub summary: String,
    pub background: String,
    pub stage: String,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
}

const COLUMNS: &str =
    "c.id, c.organisation_id, o.name AS organisation_name, c.title, c.summary, c.background, c.stage, c.opens_on, c.closes_on";

/// Published consultations (any organisation on this site), filtered; soonest-closing open ones first.
pub async fn list_public(pool: &AnyPool, area: &str, theme: &str, stage: &str) -> sqlx::Result<Vec<ConsultationRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.stage <> 'draft' \
           AND ($1 = '' OR EXISTS (SELECT 1 FROM consultation_areas ca WHERE ca.consultation_id = c.id AND ca.area_id = $1)) \
           AND ($2 = '' OR EXISTS (SELECT 1 FROM consultation_themes ct WHERE ct.consultation_id = c.id AND ct.theme_id = $2)) \
           AND ($3 = '' OR c.stage = $3) \
         ORDER BY CASE WHEN c.stage IN ('open_for_ideas', 'open_for_feedback') THEN 0 ELSE 1 END, \
                  CASE WHEN c.closes_on IS NULL THEN 1 ELSE 0 END, c.closes_on, c.created_at DESC \
         LIMIT 200"
    ))
    .bind(area)
    .bind(theme)
    .bind(stage)
    .fetch_all(pool)
    .await
}

/// An organisation's consultations, drafts included, for its staff.
pub async fn list_for_organisation(pool: &AnyPool, organisation_id: &str) -> sqlx::Result<Vec<ConsultationRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.organisation_id = $1 ORDER BY c.created_at DESC"
    ))
    .bind(organisation_id)
    .fetch_all(pool)
    .await
}

pub async fn find(pool: &AnyPool, id: &str) -> sqlx::Result<Option<ConsultationRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The names of the areas (`"areas"`) or themes (`"themes"`) each consultation concerns.
pub async fn tags(pool: &AnyPool, kind: &str, ids: &[String]) -> sqlx::Result<HashMap<String, Vec<Named>>> {
    let (link, column) = match kind {
        "areas" => ("consultation_areas", "area_id"),
        _ => ("consultation_themes", "theme_id"),
    };
    let mut out: HashMap<String, Vec<Named>> = HashMap::new();
    for chunk in ids.chunks(200) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT l.consultation_id, t.id, t.name FROM {link} l JOIN {kind} t ON t.id = l.{column} \
             WHERE l.consultation_id IN ({}) ORDER BY t.name",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, (String, String, String)>(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        for (consultation, id, name) in q.fetch_all(pool).await? {
            out.entry(consultation).or_default().push(Named { id, name });
        }
    }
    Ok(out)
}

/// Areas or themes that published consultations concern: the choices of the public filters.
pub async fn filter_choices(pool: &AnyPool, kind: &str) -> sqlx::Result<Vec<Named>> {
    let (link, column) = match kind {
        "areas" => ("consultation_areas", "area_id"),
        _ => ("consultation_themes", "theme_id"),
    };
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT DISTINCT t.id, t.name FROM {kind} t JOIN {link} l ON l.{column} = t.id \
         JOIN consultations c ON c.id = l.consultation_id WHERE c.stage <> 'draft' ORDER BY t.name"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| Named { id, name }).collect())
}

/// A consultation's questions in order; `db` is the pool or a transaction's connection (a sync
/// batch reads them inside its own transaction).
pub async fn questions<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(db: E, consultation_id: &str) -> sqlx::Result<Vec<Question>> {
    let rows: Vec<(String, String, String, String, i64, String)> =
        sqlx::query_as("SELECT id, prompt, hint, kind, required, options FROM questions WHERE consultation_id = $1 ORDER BY position")
            .bind(consultation_id)
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, prompt, hint, kind, required, options)| {
            Some(Question {
                id,
                prompt,
                hint,
                kind: QuestionKind::parse(&kind)?,
                required: required == 1,
                options: serde_json::from_str::<Vec<QuestionOption>>(&options).unwrap_or_default(),
            })
        })
        .collect())
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct OutcomeRow {
    pub id: String,
    pub status: String,
    pub reason: String,
    pub progress: i64,
    pub body: String,
    pub published_on: String,
}

/// Outcome updates, newest first.
pub async fn outcomes(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<OutcomeRow>> {
    sqlx::query_as(
        "SELECT id, status, reason, progress, body, published_on FROM outcome_updates WHERE consultation_id = $1 \
         ORDER BY published_on DESC, created_at DESC",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await
}

/// What a consultation's outcome updates answer: (outcome id, kind, target id, its title), in
/// question order then idea order. Ideas hidden by moderation since are left out.
pub async fn outcome_links(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT l.outcome_id, l.target_kind, l.target_id, COALESCE(q.prompt, p.title, '') \
         FROM outcome_links l JOIN outcome_updates o ON o.id = l.outcome_id \
         LEFT JOIN questions q ON l.target_kind = 'question' AND q.id = l.target_id \
         LEFT JOIN proposals p ON l.target_kind = 'proposal' AND p.id = l.target_id AND p.status = 'visible' \
         WHERE o.consultation_id = $1 AND (q.id IS NOT NULL OR p.id IS NOT NULL) \
         ORDER BY l.outcome_id, l.target_kind DESC, q.position, p.created_at",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await
}

/// The consultation's ideas residents can see, (id, title), oldest first: what an update can answer.
pub async fn visible_proposals(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT id, title FROM proposals WHERE consultation_id = $1 AND status = 'visible' ORDER BY created_at, id")
        .bind(consultation_id)
        .fetch_all(pool)
        .await
}

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

pub async fn response_of(pool: &AnyPool, consultation_id: &str, participant: &str) -> sqlx::Result<Option<SavedResponse>> {
    type Row = (String, Option<String>, Option<String>, i64, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, area_id, email, notify_consent, email_confirmed_at FROM responses WHERE consultation_id = $1 AND participant = $2",
    )
    .bind(consultation_id)
    .bind(participant)
    .fetch_optional(pool)
    .await?;
    let Some((id, area_id, email, notify, confirmed)) = row else { return Ok(None) };
    let mut answers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT question_id, value FROM answers WHERE response_id = $1 ORDER BY question_id, ordinal")
            .bind(&id)
            .fetch_all(pool)
            .await?;
    for (question, value) in rows {
        answers.entry(question).or_default().push(value);
    }
    Ok(Some(SavedResponse { area_id, email, notify: notify == 1, email_confirmed: confirmed.is_some(), answers }))
}

/// The values a participant's refused submission held, if any.
pub async fn draft_of(pool: &AnyPool, consultation_id: &str, participant: &str) -> sqlx::Result<Option<BTreeMap<String, Vec<String>>>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT answers FROM response_drafts WHERE consultation_id = $1 AND participant = $2")
        .bind(consultation_id)
        .bind(participant)
        .fetch_optional(pool)
        .await?;
    Ok(row.and_then(|(json,)| serde_json::from_str(&json).ok()))
}

/// Keeps a refused submission: `form` is keyed by question id, plus "area_id", "notify" and
/// "email" (no question has those ids: they are UUIDs).
pub async fn save_draft(
    pool: &AnyPool,
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
    .execute(pool)
    .await?;
    Ok(())
}

/// Drafts are for coming back to a form straight away, not for keeping what people typed.
pub async fn purge_drafts(pool: &AnyPool, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM response_drafts WHERE created_at < $1").bind(before).execute(pool).await?.rows_affected())
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
            sqlx::query("UPDATE responses SET area_id = $1, email = $2, notify_consent = $3, email_confirmed_at = $4, updated_at = $5 WHERE id = $6")
                .bind(r.area_id)
                .bind(r.email)
                .bind(i64::from(r.notify))
                .bind(confirmed_at)
                .bind(now)
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
                 notify_consent, email_confirmed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
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
async fn queue_confirmation(
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
        lang: "en",
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

pub async fn response_count(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE consultation_id = $1").bind(consultation_id).fetch_one(pool).await
}

pub struct NewConsultation<'a> {
    pub organisation_id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub background: &'a str,
    pub opens_on: Option<&'a str>,
    pub closes_on: Option<&'a str>,
    pub areas: &'a [String],
    pub themes: &'a [String],
    pub created_by: &'a str,
}

pub async fn insert(pool: &AnyPool, c: &NewConsultation<'_>, now: i64) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO consultations (id, organisation_id, title, summary, background, stage, opens_on, closes_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(c.organisation_id)
    .bind(c.title)
    .bind(c.summary)
    .bind(c.background)
    .bind(c.opens_on)
    .bind(c.closes_on)
    .bind(c.created_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    write_tags(&mut tx, &id, c.areas, c.themes).await?;
    tx.commit().await?;
    Ok(id)
}

async fn write_tags(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, areas: &[String], themes: &[String]) -> sqlx::Result<()> {
    for area in areas {
        sqlx::query("INSERT INTO consultation_areas (consultation_id, area_id) VALUES ($1, $2)")
            .bind(id)
            .bind(area)
            .execute(&mut **tx)
            .await?;
    }
    for theme in themes {
        sqlx::query("INSERT INTO consultation_themes (consultation_id, theme_id) VALUES ($1, $2)")
            .bind(id)
            .bind(theme)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Replaces a consultation's details, areas and themes (its stage, questions and responses
/// stay as they are). False if it is not the organisation's.
pub async fn update(pool: &AnyPool, id: &str, c: &NewConsultation<'_>, now: i64) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let r = sqlx::query(
        "UPDATE consultations SET title = $1, summary = $2, background = $3, opens_on = $4, closes_on = $5, updated_at = $6 \
         WHERE id = $7 AND organisation_id = $8",
    )
    .bind(c.title)
    .bind(c.summary)
    .bind(c.background)
    .bind(c.opens_on)
    .bind(c.closes_on)
    .bind(now)
    .bind(id)
    .bind(c.organisation_id)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM consultation_areas WHERE consultation_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM consultation_themes WHERE consultation_id = $1").bind(id).execute(&mut *tx).await?;
    write_tags(&mut tx, id, c.areas, c.themes).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn add_question(pool: &AnyPool, consultation_id: &str, q: &Question) -> sqlx::Result<()> {
    let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM questions WHERE consultation_id = $1")
        .bind(consultation_id)
        .fetch_one(pool)
        .await?;
    sqlx::query("INSERT INTO questions (id, consultation_id, position, prompt, hint, kind, required, options) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&q.id)
        .bind(consultation_id)
        .bind(position)
        .bind(&q.prompt)
        .bind(&q.hint)
        .bind(q.kind.as_str())
        .bind(i64::from(q.required))
        .bind(serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into()))
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn set_stage(pool: &AnyPool, organisation_id: &str, consultation_id: &str, stage: &str, now: i64) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE consultations SET stage = $1, updated_at = $2 WHERE id = $3 AND organisation_id = $4")
        .bind(stage)
        .bind(now)
        .bind(consultation_id)
        .bind(organisation_id)
        .execute(pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub struct NewOutcome<'a> {
    pub organisation_id: &'a str,
    pub consultation_id: &'a str,
    pub status: &'a str,
    pub reason: &'a str,
    pub progress: i64,
    pub body: &'a str,
    pub published_on: &'a str,
    pub created_by: &'a str,
    /// What it answers: ("question" | "proposal", id), already checked to be this consultation's.
    pub answers: &'a [(&'static str, String)],
}

/// Posts an outcome update and, in the same transaction, queues a message to everyone who
/// took part and asked to hear (consent given, address left and confirmed by its link). Returns
/// how many were queued.
pub async fn insert_outcome(pool: &AnyPool, base: &str, o: &NewOutcome<'_>, now: i64) -> sqlx::Result<u64> {
    let mut tx = pool.begin().await?;
    let outcome_id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO outcome_updates (id, organisation_id, consultation_id, status, reason, progress, body, published_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&outcome_id)
    .bind(o.organisation_id)
    .bind(o.consultation_id)
    .bind(o.status)
    .bind(o.reason)
    .bind(o.progress)
    .bind(o.body)
    .bind(o.published_on)
    .bind(o.created_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (kind, target) in o.answers {
        sqlx::query("INSERT INTO outcome_links (outcome_id, target_kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(&outcome_id)
            .bind(*kind)
            .bind(target)
            .execute(&mut *tx)
            .await?;
    }
    let (title,): (String,) =
        sqlx::query_as("SELECT title FROM consultations WHERE id = $1").bind(o.consultation_id).fetch_one(&mut *tx).await?;
    let addresses: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT email FROM responses WHERE consultation_id = $1 AND notify_consent = 1 AND email IS NOT NULL \
         AND email_confirmed_at IS NOT NULL ORDER BY email",
    )
    .bind(o.consultation_id)
    .fetch_all(&mut *tx)
    .await?;
    let status = crate::domain::consultation::OutcomeStatus::parse(o.status).map(|s| s.label()).unwrap_or(o.status);
    let mut update = status.to_string();
    if o.progress > 0 {
        update.push_str(&format!(" ({}% done)", o.progress));
    }
    let mut paragraphs = vec![format!("You took part in “{title}” and asked to hear what happens."), update, o.body.to_string()];
    if !o.reason.is_empty() {
        paragraphs.push(format!("Why: {}", o.reason));
    }
    let letter = crate::domain::mail::Letter {
        subject: format!("Update on “{title}”: {status}"),
        paragraphs,
        action: Some(("See everything that has happened since".into(), format!("{base}/consultations/{}", o.consultation_id))),
        footer: vec!["You are getting this because you ticked \"Email me\" when you responded.".into()],
        ..Default::default()
    };
    for address in &addresses {
        let message = crate::server::mail::Outgoing {
            organisation_id: o.organisation_id,
            kind: crate::domain::mail::MessageKind::OutcomeUpdate,
            to_address: address,
            to_name: "",
            letter: letter.clone(),
            lang: "en",
            consultation_id: Some(o.consultation_id),
            consent: None,
        };
        crate::server::mail::queue(&mut tx, base, message, now).await?;
    }
    tx.commit().await?;
    Ok(addresses.len() as u64)
}

/// (question id, value, assisted, count) for choice and scale answers.
pub async fn answer_counts(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, String, bool, i64)>> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.value, r.assisted, COUNT(*) FROM answers a JOIN responses r ON r.id = a.response_id \
         JOIN questions q ON q.id = a.question_id WHERE r.consultation_id = $1 AND q.kind <> 'free_text' \
         GROUP BY a.question_id, a.value, r.assisted",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(q, v, a, n)| (q, v, a == 1, n)).collect())
}

/// (question id, how many responses answered it).
pub async fn answered_counts(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM answers a JOIN responses r ON r.id = a.response_id \
         WHERE r.consultation_id = $1 GROUP BY a.question_id",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await
}

/// Free-text answers: (question id, text, assisted), oldest first.
pub async fn free_texts(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.value, r.assisted FROM answers a JOIN responses r ON r.id = a.response_id \
         JOIN questions q ON q.id = a.question_id WHERE r.consultation_id = $1 AND q.kind = 'free_text' ORDER BY r.created_at, r.id",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(q, v, a)| (q, v, a == 1)).collect())
}

/// Responses per area the respondents gave ("" when they did not say), and how many assisted.
pub async fn by_area(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, i64, i64)>> {
    sqlx::query_as(
        "SELECT COALESCE(ar.name, ''), COUNT(*), CAST(SUM(r.assisted) AS BIGINT) FROM responses r LEFT JOIN areas ar ON ar.id = r.area_id \
         WHERE r.consultation_id = $1 GROUP BY COALESCE(ar.name, '') ORDER BY 2 DESC, 1",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await
}

/// Responses taken for residents, per member of staff who took them: (name, responses), most first.
pub async fn assisted_by_worker(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT COALESCE(u.display_name, ''), COUNT(*) FROM responses r LEFT JOIN users u ON u.id = r.recorded_by \
         WHERE r.consultation_id = $1 AND r.assisted = 1 GROUP BY COALESCE(u.display_name, ''), r.recorded_by ORDER BY 2 DESC, 1",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await
}

/// Every answer for the export: (response id, created at, area name, assisted, question id, value).
pub async fn export_rows(pool: &AnyPool, consultation_id: &str) -> sqlx::Result<Vec<(String, i64, String, i64, String, String)>> {
    sqlx::query_as(
        "SELECT r.id, r.created_at, COALESCE(ar.name, ''), r.assisted, a.question_id, a.value FROM responses r \
         LEFT JOIN areas ar ON ar.id = r.area_id JOIN answers a ON a.response_id = r.id \
         WHERE r.consultation_id = $1 ORDER BY r.created_at, r.id, a.question_id, a.ordinal",
    )
    .bind(consultation_id)
    .fetch_all(pool)
    .await
}

/// The organisation's consultations that take responses today, with their questions and areas.
pub async fn open_for_organisation(
    pool: &AnyPool,
    organisation_id: &str,
    today: &str,
) -> sqlx::Result<Vec<crate::types::OpenConsultation>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, title FROM consultations WHERE organisation_id = $1 AND stage IN ('open_for_ideas', 'open_for_feedback') \
         AND (opens_on IS NULL OR opens_on <= $2) AND (closes_on IS NULL OR closes_on >= $2) ORDER BY title",
    )
    .bind(organisation_id)
    .bind(today)
    .fetch_all(pool)
    .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut areas = tags(pool, "areas", &ids).await?;
    let mut out = Vec::new();
    for (id, title) in rows {
        let questions = questions(pool, &id).await?;
        if questions.is_empty() {
            continue;
        }
        out.push(crate::types::OpenConsultation { areas: areas.remove(&id).unwrap_or_default(), id, title, questions });
    }
    Ok(out)
}

/// Stores a response taken at the door, inside the sync batch's transaction. The device's item
/// id is the participant key, so a replay finds it instead of storing it twice.
pub async fn insert_assisted(conn: &mut sqlx::AnyConnection, r: &NewResponse<'_>, now: i64) -> sqlx::Result<()> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO responses (id, organisation_id, consultation_id, participant, assisted, recorded_by, area_id, email, \
         notify_consent, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6, NULL, 0, $7, $7)",
    )
    .bind(&id)
    .bind(r.organisation_id)
    .bind(r.consultation_id)
    .bind(r.participant)
    .bind(r.recorded_by)
    .bind(r.area_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    insert_answers(conn, &id, r.answers).await?;
    Ok(())
}

/// A response's answers, one row per value, numbered within their question.
async fn insert_answers(conn: &mut sqlx::AnyConnection, response_id: &str, answers: &[Answer]) -> sqlx::Result<()> {
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
