//! Outcomes ("you said, we did") and the counts behind the results page and its export.

use crate::server::Db;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct OutcomeRow {
    pub id: String,
    pub status: String,
    pub reason: String,
    pub progress: i64,
    pub body: String,
    pub published_on: String,
    pub reason_cy: String,
    pub body_cy: String,
}

/// Outcome updates, newest first.
pub async fn outcomes(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<OutcomeRow>> {
    sqlx::query_as(
        "SELECT id, status, reason, progress, body, published_on, reason_cy, body_cy FROM outcome_updates WHERE consultation_id = $1 \
         ORDER BY published_on DESC, created_at DESC",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// What a consultation's outcome updates answer: (outcome id, kind, target id, its title), in
/// question order then idea order. Ideas hidden by moderation since are left out.
pub async fn outcome_links(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT l.outcome_id, l.target_kind, l.target_id, COALESCE(q.prompt, p.title, '') \
         FROM outcome_links l JOIN outcome_updates o ON o.id = l.outcome_id \
         LEFT JOIN questions q ON l.target_kind = 'question' AND q.id = l.target_id \
         LEFT JOIN proposals p ON l.target_kind = 'proposal' AND p.id = l.target_id AND p.status = 'visible' \
         WHERE o.consultation_id = $1 AND (q.id IS NOT NULL OR p.id IS NOT NULL) \
         ORDER BY l.outcome_id, l.target_kind DESC, q.position, p.created_at",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

pub struct NewOutcome<'a> {
    pub organisation_id: &'a str,
    pub consultation_id: &'a str,
    pub status: &'a str,
    pub reason: &'a str,
    pub progress: i64,
    pub body: &'a str,
    pub published_on: &'a str,
    /// The reason and the update in Welsh ('' if not written).
    pub reason_cy: &'a str,
    pub body_cy: &'a str,
    pub created_by: &'a str,
    /// What it answers: ("question" | "proposal", id), already checked to be this consultation's.
    pub answers: &'a [(&'static str, String)],
}

/// Posts an outcome update and, in the same transaction, queues a message to everyone who
/// took part and asked to hear (consent given, address left and confirmed by its link). Returns
/// how many were queued.
pub async fn insert_outcome(db: &Db, base: &str, o: &NewOutcome<'_>, now: i64) -> sqlx::Result<u64> {
    let mut tx = db.begin_write().await?;
    let outcome_id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO outcome_updates (id, organisation_id, consultation_id, status, reason, progress, body, published_on, created_by, created_at, \
         reason_cy, body_cy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
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
    .bind(o.reason_cy)
    .bind(o.body_cy)
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
    let (title, title_cy): (String, String) =
        sqlx::query_as("SELECT title, title_cy FROM consultations WHERE id = $1").bind(o.consultation_id).fetch_one(&mut *tx).await?;
    // Each address once, in the language of its latest response.
    let mut addresses: Vec<(String, String)> = sqlx::query_as(
        "SELECT email, language FROM responses WHERE consultation_id = $1 AND notify_consent = 1 AND email IS NOT NULL \
         AND email_confirmed_at IS NOT NULL ORDER BY email, updated_at DESC, id",
    )
    .bind(o.consultation_id)
    .fetch_all(&mut *tx)
    .await?;
    addresses.dedup_by(|later, first| later.0 == first.0);
    let status = crate::domain::consultation::OutcomeStatus::parse(o.status);
    let link = format!("{base}/consultations/{}", o.consultation_id);
    for (address, language) in &addresses {
        let locale = crate::language::choice::for_letters(Some(language), None, crate::i18n::Locale::default());
        let status = status.map_or(o.status, |s| crate::language::names::HasName::name(s, locale));
        // In Welsh where it was written in Welsh; the English otherwise.
        let code = crate::language::choice::code(locale);
        let pick = |english: &str, welsh: &str| crate::domain::bilingual::pick(code, english, welsh).0.to_string();
        let letter = crate::server::letters::outcome_update(
            locale,
            &pick(&title, &title_cy),
            status,
            o.progress,
            &pick(o.body, o.body_cy),
            &pick(o.reason, o.reason_cy),
            &link,
        );
        let message = crate::server::mail::Outgoing {
            organisation_id: o.organisation_id,
            kind: crate::domain::mail::MessageKind::OutcomeUpdate,
            to_address: address,
            to_name: "",
            letter,
            lang: crate::language::choice::code(locale),
            consultation_id: Some(o.consultation_id),
            consent: None,
        };
        crate::server::mail::queue(&mut tx, base, message, now).await?;
    }
    tx.commit().await?;
    Ok(addresses.len() as u64)
}

/// (question id, value, assisted, count) for choice and scale answers.
pub async fn answer_counts(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, String, bool, i64)>> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.value, r.assisted, COUNT(*) FROM answers a JOIN responses r ON r.id = a.response_id \
         JOIN questions q ON q.id = a.question_id WHERE r.consultation_id = $1 AND q.kind <> 'free_text' \
         GROUP BY a.question_id, a.value, r.assisted",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(q, v, a, n)| (q, v, a == 1, n)).collect())
}

/// (question id, how many responses answered it).
pub async fn answered_counts(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM answers a JOIN responses r ON r.id = a.response_id \
         WHERE r.consultation_id = $1 GROUP BY a.question_id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// Free-text answers: (question id, text, assisted), oldest first.
pub async fn free_texts(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.value, r.assisted FROM answers a JOIN responses r ON r.id = a.response_id \
         JOIN questions q ON q.id = a.question_id WHERE r.consultation_id = $1 AND q.kind = 'free_text' ORDER BY r.created_at, r.id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(q, v, a)| (q, v, a == 1)).collect())
}

/// Responses per area the respondents gave ("" when they did not say), and how many assisted.
pub async fn by_area(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, i64, i64)>> {
    sqlx::query_as(
        "SELECT COALESCE(ar.name, ''), COUNT(*), CAST(SUM(r.assisted) AS BIGINT) FROM responses r LEFT JOIN areas ar ON ar.id = r.area_id \
         WHERE r.consultation_id = $1 GROUP BY COALESCE(ar.name, '') ORDER BY 2 DESC, 1",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// Responses taken for residents, per member of staff who took them: (name, responses), most first.
pub async fn assisted_by_worker(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT COALESCE(u.display_name, ''), COUNT(*) FROM responses r LEFT JOIN users u ON u.id = r.recorded_by \
         WHERE r.consultation_id = $1 AND r.assisted = 1 GROUP BY COALESCE(u.display_name, ''), r.recorded_by ORDER BY 2 DESC, 1",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// Every answer for the export: (response id, created at, area name, assisted, question id, value).
pub async fn export_rows(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, i64, String, i64, String, String)>> {
    sqlx::query_as(
        "SELECT r.id, r.created_at, COALESCE(ar.name, ''), r.assisted, a.question_id, a.value FROM responses r \
         LEFT JOIN areas ar ON ar.id = r.area_id JOIN answers a ON a.response_id = r.id \
         WHERE r.consultation_id = $1 ORDER BY r.created_at, r.id, a.question_id, a.ordinal",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}
