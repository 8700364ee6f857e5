//! Consultations, their questions, responses and outcome updates.

mod responses;
mod results;
pub use responses::*;
pub use results::*;

use crate::domain::consultation::{Question, QuestionKind, QuestionOption};
use crate::server::Db;
use crate::types::Named;
use std::collections::HashMap;

/// A consultation's own row.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ConsultationRow {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub title: String,
    pub summary: String,
    pub background: String,
    #[sqlx(try_from = "String")]
    pub stage: crate::domain::consultation::Stage,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub title_cy: String,
    pub summary_cy: String,
    pub background_cy: String,
}

const COLUMNS: &str = "c.id, c.organisation_id, o.name AS organisation_name, c.title, c.summary, c.background, c.stage, c.opens_on, \
     c.closes_on, c.title_cy, c.summary_cy, c.background_cy";

/// Published consultations (any organisation on this site), filtered; soonest-closing open ones first.
pub async fn list_public(db: &Db, area: &str, theme: &str, stage: &str) -> sqlx::Result<Vec<ConsultationRow>> {
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
    .fetch_all(db)
    .await
}

/// An organisation's consultations, drafts included, for its staff.
pub async fn list_for_organisation(db: &Db, organisation_id: &str) -> sqlx::Result<Vec<ConsultationRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.organisation_id = $1 ORDER BY c.created_at DESC"
    ))
    .bind(organisation_id)
    .fetch_all(db)
    .await
}

pub async fn find(db: &Db, id: &str) -> sqlx::Result<Option<ConsultationRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// One consultation, read inside a write transaction and locked against other changes until it
/// ends (`lock`: `Db::for_update_of("c")`).
pub async fn find_for_change(conn: &mut sqlx::AnyConnection, id: &str, lock: &str) -> sqlx::Result<Option<ConsultationRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM consultations c JOIN organisations o ON o.id = c.organisation_id WHERE c.id = $1{lock}"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The names of the areas (`"areas"`) or themes (`"themes"`) each consultation concerns.
pub async fn tags(db: &Db, kind: &str, ids: &[String]) -> sqlx::Result<HashMap<String, Vec<Named>>> {
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
        for (consultation, id, name) in q.fetch_all(db).await? {
            out.entry(consultation).or_default().push(Named { id, name });
        }
    }
    Ok(out)
}

/// Areas or themes that published consultations concern: the choices of the public filters.
pub async fn filter_choices(db: &Db, kind: &str) -> sqlx::Result<Vec<Named>> {
    let (link, column) = match kind {
        "areas" => ("consultation_areas", "area_id"),
        _ => ("consultation_themes", "theme_id"),
    };
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT DISTINCT t.id, t.name FROM {kind} t JOIN {link} l ON l.{column} = t.id \
         JOIN consultations c ON c.id = l.consultation_id WHERE c.stage <> 'draft' ORDER BY t.name"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| Named { id, name }).collect())
}

/// A consultation's questions in order; `db` is the pool or a transaction's connection (a sync
/// batch reads them inside its own transaction).
pub async fn questions<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(db: E, consultation_id: &str) -> sqlx::Result<Vec<Question>> {
    type Row = (String, String, String, String, i64, String, String, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, prompt, hint, kind, required, options, prompt_cy, hint_cy FROM questions WHERE consultation_id = $1 ORDER BY position",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, prompt, hint, kind, required, options, prompt_cy, hint_cy)| {
            Some(Question {
                id,
                prompt,
                hint,
                kind: QuestionKind::parse(&kind)?,
                required: required == 1,
                options: serde_json::from_str::<Vec<QuestionOption>>(&options).unwrap_or_default(),
                prompt_cy,
                hint_cy,
            })
        })
        .collect())
}

/// The consultation's ideas residents can see, (id, title), oldest first: what an update can answer.
pub async fn visible_proposals(db: &Db, consultation_id: &str) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT id, title FROM proposals WHERE consultation_id = $1 AND status = 'visible' ORDER BY created_at, id")
        .bind(consultation_id)
        .fetch_all(db)
        .await
}

pub struct NewConsultation<'a> {
    pub organisation_id: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub background: &'a str,
    pub title_cy: &'a str,
    pub summary_cy: &'a str,
    pub background_cy: &'a str,
    pub opens_on: Option<&'a str>,
    pub closes_on: Option<&'a str>,
    pub areas: &'a [String],
    pub themes: &'a [String],
    pub created_by: &'a str,
}

pub async fn insert(db: &Db, c: &NewConsultation<'_>, now: i64) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO consultations (id, organisation_id, title, summary, background, stage, opens_on, closes_on, created_by, created_at, updated_at, \
         title_cy, summary_cy, background_cy) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $9, $10, $11, $12)",
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
    .bind(c.title_cy)
    .bind(c.summary_cy)
    .bind(c.background_cy)
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
/// stay as they are), in the caller's write transaction. False if it is not the organisation's.
pub async fn update(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, c: &NewConsultation<'_>, now: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE consultations SET title = $1, summary = $2, background = $3, opens_on = $4, closes_on = $5, updated_at = $6, \
         title_cy = $9, summary_cy = $10, background_cy = $11 WHERE id = $7 AND organisation_id = $8",
    )
    .bind(c.title)
    .bind(c.summary)
    .bind(c.background)
    .bind(c.opens_on)
    .bind(c.closes_on)
    .bind(now)
    .bind(id)
    .bind(c.organisation_id)
    .bind(c.title_cy)
    .bind(c.summary_cy)
    .bind(c.background_cy)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM consultation_areas WHERE consultation_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM consultation_themes WHERE consultation_id = $1").bind(id).execute(&mut **tx).await?;
    write_tags(tx, id, c.areas, c.themes).await?;
    Ok(true)
}

/// Adds a question after the consultation's last.
pub async fn add_question<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(db: E, consultation_id: &str, q: &Question) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO questions (id, consultation_id, position, prompt, hint, kind, required, options, prompt_cy, hint_cy) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM questions WHERE consultation_id = $2), $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&q.id)
    .bind(consultation_id)
    .bind(&q.prompt)
    .bind(&q.hint)
    .bind(q.kind.as_str())
    .bind(i64::from(q.required))
    .bind(serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into()))
    .bind(&q.prompt_cy)
    .bind(&q.hint_cy)
    .execute(db)
    .await?;
    Ok(())
}

/// Stores a question's Welsh (prompt, hint, and its choices' labels in the options' JSON).
pub async fn set_question_welsh<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    consultation_id: &str,
    q: &Question,
) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE questions SET prompt_cy = $1, hint_cy = $2, options = $3 WHERE id = $4 AND consultation_id = $5")
        .bind(&q.prompt_cy)
        .bind(&q.hint_cy)
        .bind(serde_json::to_string(&q.options).unwrap_or_else(|_| "[]".into()))
        .bind(&q.id)
        .bind(consultation_id)
        .execute(db)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Whether the organisation publishes consultations only when written in English and Welsh.
pub async fn welsh_required<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(db: E, organisation_id: &str) -> sqlx::Result<bool> {
    let on: Option<i64> =
        sqlx::query_scalar("SELECT welsh_required FROM organisations WHERE id = $1").bind(organisation_id).fetch_optional(db).await?;
    Ok(on == Some(1))
}

pub async fn set_welsh_required(db: &Db, organisation_id: &str, on: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE organisations SET welsh_required = $1 WHERE id = $2").bind(i64::from(on)).bind(organisation_id).execute(db).await?;
    Ok(())
}

pub async fn set_stage<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    organisation_id: &str,
    consultation_id: &str,
    stage: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query("UPDATE consultations SET stage = $1, updated_at = $2 WHERE id = $3 AND organisation_id = $4")
        .bind(stage)
        .bind(now)
        .bind(consultation_id)
        .bind(organisation_id)
        .execute(db)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// The organisation's consultations that take responses today, with their questions and areas.
pub async fn open_for_organisation(db: &Db, organisation_id: &str, today: &str) -> sqlx::Result<Vec<crate::types::OpenConsultation>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, title, title_cy FROM consultations WHERE organisation_id = $1 AND stage IN ('open_for_ideas', 'open_for_feedback') \
         AND (opens_on IS NULL OR opens_on <= $2) AND (closes_on IS NULL OR closes_on >= $2) ORDER BY title",
    )
    .bind(organisation_id)
    .bind(today)
    .fetch_all(db)
    .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut areas = tags(db, "areas", &ids).await?;
    let mut out = Vec::new();
    for (id, title, title_cy) in rows {
        let questions = questions(db, &id).await?;
        if questions.is_empty() {
            continue;
        }
        out.push(crate::types::OpenConsultation { areas: areas.remove(&id).unwrap_or_default(), id, title, title_cy, questions });
    }
    Ok(out)
}
