//! Clusters of one issue in one area, and the rule an organisation counts them by.

use crate::domain::calendar::uk_day_start;
use crate::domain::cluster::{Rule, Tally};
use crate::server::Db;

/// The organisation's rule (the defaults until an admin changes it).
pub async fn rule(db: &Db, org: &str) -> sqlx::Result<Rule> {
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT cluster_threshold, cluster_window_days FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(threshold, window_days)| Rule { threshold, window_days }).unwrap_or_default())
}

pub async fn save_rule(db: &Db, org: &str, rule: &Rule) -> sqlx::Result<()> {
    sqlx::query("UPDATE organisations SET cluster_threshold = $2, cluster_window_days = $3 WHERE id = $1")
        .bind(org)
        .bind(rule.threshold)
        .bind(rule.window_days)
        .execute(db)
        .await?;
    Ok(())
}

/// How many residents raised each theme in each area in `rule`'s window ending on UK day
/// `today`, and in the window before. A resident is a person (door records linked to one account
/// count once); a conversation with nobody named counts as one resident of its own.
pub async fn tallies(db: &Db, org: &str, rule: &Rule, today: i64) -> sqlx::Result<Vec<Tally>> {
    let (first, last) = rule.window(today);
    let (before, _) = rule.previous_window(today);
    let (from, split, to) = (uk_day_start(before), uk_day_start(first), uk_day_start(last + 1));
    let person = "COALESCE(r.linked_to, i.resident_id, i.id)";
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT i.area_id, x.theme_id, \
         CAST(COUNT(DISTINCT CASE WHEN i.occurred_at >= $3 THEN {person} END) AS BIGINT), \
         CAST(COUNT(DISTINCT CASE WHEN i.occurred_at < $3 THEN {person} END) AS BIGINT) \
         FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id LEFT JOIN residents r ON r.id = i.resident_id \
         WHERE i.organisation_id = $1 AND i.occurred_at >= $2 AND i.occurred_at < $4 AND i.outcome = 'talked' \
         GROUP BY i.area_id, x.theme_id"
    ))
    .bind(org)
    .bind(from)
    .bind(split)
    .bind(to)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(area_id, theme_id, residents, before)| Tally { area_id, theme_id, residents, before }).collect())
}
