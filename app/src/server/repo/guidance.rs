//! "What you can do": each theme's guidance, kept by its organisation.

use crate::domain::guidance::Guidance;
use crate::server::Db;
use crate::types::guidance::{PublicGuidance, ThemeGuidanceView};
use crate::types::Named;

fn steps_of(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).filter(|l| !l.is_empty()).collect()
}

/// The organisation's guidance for its active themes that have some (for tablets).
pub async fn for_organisation(db: &Db, organisation_id: &str) -> sqlx::Result<Vec<Guidance>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT g.theme_id, g.steps, g.help FROM theme_guidance g JOIN themes t ON t.id = g.theme_id \
         WHERE g.organisation_id = $1 AND t.active = 1 ORDER BY t.name",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(theme_id, steps, help)| Guidance { theme_id, steps: steps_of(&steps), help }).collect())
}

/// Every active theme of the organisation with its guidance, if any (for its admins).
/// `(view, updated_at, updated_by's name)`.
pub async fn for_admin(db: &Db, organisation_id: &str) -> sqlx::Result<Vec<(ThemeGuidanceView, Option<i64>, Option<String>)>> {
    type Row = (String, String, Option<String>, Option<String>, Option<i64>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.name, g.steps, g.help, g.updated_at, u.display_name FROM themes t \
         LEFT JOIN theme_guidance g ON g.theme_id = t.id LEFT JOIN users u ON u.id = g.updated_by \
         WHERE t.organisation_id = $1 AND t.active = 1 ORDER BY t.name",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(theme_id, theme_name, steps, help, at, by)| {
            (
                ThemeGuidanceView { theme_id, theme_name, steps: steps.unwrap_or_default(), help: help.unwrap_or_default(), updated: None },
                at,
                by,
            )
        })
        .collect())
}

/// Whether `theme_id` is one of the organisation's active themes.
pub async fn is_own_theme(db: &Db, organisation_id: &str, theme_id: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM themes WHERE id = $1 AND organisation_id = $2 AND active = 1")
        .bind(theme_id)
        .bind(organisation_id)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// Keeps a theme's guidance (replacing what it had); empty guidance removes it.
pub async fn save(db: &Db, organisation_id: &str, guidance: &Guidance, by: &str, at: i64) -> sqlx::Result<()> {
    if guidance.is_empty() {
        sqlx::query("DELETE FROM theme_guidance WHERE theme_id = $1 AND organisation_id = $2")
            .bind(&guidance.theme_id)
            .bind(organisation_id)
            .execute(db)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO theme_guidance (theme_id, organisation_id, steps, help, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (theme_id) DO UPDATE SET steps = excluded.steps, help = excluded.help, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(&guidance.theme_id)
    .bind(organisation_id)
    .bind(guidance.steps_text())
    .bind(&guidance.help)
    .bind(by)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// What residents read: every organisation's guidance on active themes, or on one theme.
pub async fn public(db: &Db, theme_id: Option<&str>) -> sqlx::Result<Vec<PublicGuidance>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT o.name, t.name, g.steps, g.help FROM theme_guidance g JOIN themes t ON t.id = g.theme_id \
         JOIN organisations o ON o.id = g.organisation_id WHERE t.active = 1 AND ($1 = '' OR g.theme_id = $1) ORDER BY t.name, o.name",
    )
    .bind(theme_id.unwrap_or(""))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(organisation, theme, steps, help)| PublicGuidance { organisation, theme, steps: steps_of(&steps), help })
        .collect())
}

/// The themes residents can narrow the page to: those with guidance. A name two organisations
/// share says whose each is.
pub async fn public_themes(db: &Db) -> sqlx::Result<Vec<Named>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.id, t.name, o.name FROM theme_guidance g JOIN themes t ON t.id = g.theme_id \
         JOIN organisations o ON o.id = g.organisation_id WHERE t.active = 1 ORDER BY t.name, o.name, t.id",
    )
    .fetch_all(db)
    .await?;
    let shared = |name: &str| rows.iter().filter(|r| r.1 == name).count() > 1;
    Ok(rows
        .iter()
        .map(|(id, name, org)| Named { id: id.clone(), name: if shared(name) { format!("{name} ({org})") } else { name.clone() } })
        .collect())
}
