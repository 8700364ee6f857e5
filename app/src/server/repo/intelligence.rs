//! The dashboard's queries. Each takes the organisation and the filters and aggregates in the
//! database; the measures are defined in `domain::intelligence` and the integration tests hold
//! these queries to those definitions on SQLite and PostgreSQL alike.

use crate::domain::intelligence::Filters;
use sqlx::AnyPool;

/// A value bound to a numbered placeholder.
#[derive(Clone, Debug)]
enum Bind {
    Text(String),
    Int(i64),
}

/// The interactions a dashboard looks at (alias `i`), as SQL with its binds, numbered from 1.
#[derive(Clone, Debug)]
pub struct Scope {
    sql: String,
    binds: Vec<Bind>,
}

/// Seconds since the epoch at the start of a UK day (`YYYY-MM-DD`).
fn uk_day_start(date: &str) -> Option<i64> {
    use crate::domain::calendar::{days_from_civil, is_british_summer_time};
    let (y, m, d) = (date.get(0..4)?.parse().ok()?, date.get(5..7)?.parse().ok()?, date.get(8..10)?.parse().ok()?);
    let midnight_utc = days_from_civil(y, m, d) * 86_400;
    // Midnight in London is 23:00 UTC the day before during British Summer Time.
    Some(if is_british_summer_time(midnight_utc) { midnight_utc - 3_600 } else { midnight_utc })
}

impl Scope {
    pub fn new(organisation_id: &str, f: &Filters) -> Scope {
        let mut s = Scope { sql: "i.organisation_id = $1".into(), binds: vec![Bind::Text(organisation_id.to_string())] };
        if let Some(t) = f.from.as_deref().and_then(uk_day_start) {
            s.and("i.occurred_at >= $", Bind::Int(t));
        }
        if let Some(t) = f.to.as_deref().and_then(uk_day_start) {
            s.and("i.occurred_at < $", Bind::Int(t + 86_400));
        }
        if let Some(a) = &f.area {
            s.and("i.area_id = $", Bind::Text(a.clone()));
        }
        if let Some(w) = &f.worker {
            s.and("i.worker_id = $", Bind::Text(w.clone()));
        }
        if let Some(k) = &f.kind {
            s.and("i.kind = $", Bind::Text(k.clone()));
        }
        if let Some(t) = &f.theme {
            let n = s.binds.len() + 1;
            s.sql.push_str(&format!(" AND EXISTS (SELECT 1 FROM interaction_issues ft WHERE ft.interaction_id = i.id AND ft.theme_id = ${n})"));
            s.binds.push(Bind::Text(t.clone()));
        }
        s
    }

    fn and(&mut self, condition: &str, bind: Bind) {
        self.binds.push(bind);
        self.sql.push_str(&format!(" AND {condition}{}", self.binds.len()));
    }

    /// The next placeholder number after the scope's own.
    fn next(&self) -> usize {
        self.binds.len() + 1
    }

    fn bind_all<'q, O>(&self, mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Text(t) => q.bind(t.clone()),
                Bind::Int(n) => q.bind(*n),
            };
        }
        q
    }
}

/// (name, count) rows, largest first.
pub type Counts = Vec<(String, i64)>;

/// Issues raised, by theme.
pub async fn issues_by_theme(pool: &AnyPool, scope: &Scope) -> sqlx::Result<Counts> {
    let sql = format!(
        "SELECT t.name, COUNT(*) FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id JOIN themes t ON t.id = x.theme_id \
         WHERE {} GROUP BY t.name ORDER BY 2 DESC, 1",
        scope.sql
    );
    scope.bind_all(sqlx::query_as(&sql)).fetch_all(pool).await
}

/// Issues raised, by area.
pub async fn issues_by_area(pool: &AnyPool, scope: &Scope) -> sqlx::Result<Counts> {
    let sql = format!(
        "SELECT a.name, COUNT(*) FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id JOIN areas a ON a.id = i.area_id \
         WHERE {} GROUP BY a.name ORDER BY 2 DESC, 1",
        scope.sql
    );
    scope.bind_all(sqlx::query_as(&sql)).fetch_all(pool).await
}

/// Conversations that raised at least one issue: (all, resolved on the spot, referred to a service).
pub async fn resolution(pool: &AnyPool, scope: &Scope) -> sqlx::Result<(i64, i64, i64)> {
    let sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN i.action = 'resolved_on_the_spot' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN i.action = 'referred_to_service' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM interactions i WHERE {} AND i.outcome = 'talked' AND EXISTS (SELECT 1 FROM interaction_issues x WHERE x.interaction_id = i.id)",
        scope.sql
    );
    scope.bind_all(sqlx::query_as(&sql)).fetch_one(pool).await
}

/// Issues raised with a named resident that came within `window_days` of an earlier contact
/// with them about the same theme (see `domain::intelligence::repeat_contacts`).
pub async fn repeat_contacts(pool: &AnyPool, scope: &Scope, window_days: i64) -> sqlx::Result<i64> {
    let w = scope.next();
    let sql = format!(
        "SELECT COUNT(*) FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id \
         WHERE {} AND i.resident_id IS NOT NULL AND EXISTS (SELECT 1 FROM interactions j JOIN interaction_issues y ON y.interaction_id = j.id \
           WHERE j.resident_id = i.resident_id AND j.organisation_id = i.organisation_id AND y.theme_id = x.theme_id \
           AND (j.occurred_at < i.occurred_at OR (j.occurred_at = i.occurred_at AND j.id < i.id)) AND j.occurred_at >= i.occurred_at - ${w})",
        scope.sql
    );
    let (n,): (i64,) = scope.bind_all(sqlx::query_as(&sql)).bind(window_days * 86_400).fetch_one(pool).await?;
    Ok(n)
}

/// "Did you feel heard?" answers 1 to 5: (answer, count).
pub async fn felt_heard(pool: &AnyPool, scope: &Scope) -> sqlx::Result<Vec<(i64, i64)>> {
    let sql = format!("SELECT i.felt_heard, COUNT(*) FROM interactions i WHERE {} AND i.felt_heard IS NOT NULL GROUP BY i.felt_heard ORDER BY 1", scope.sql);
    scope.bind_all(sqlx::query_as(&sql)).fetch_all(pool).await
}

/// Follow-ups from the scope's conversations: (owner name, status, due on, seconds to resolve).
pub async fn follow_ups(pool: &AnyPool, scope: &Scope) -> sqlx::Result<Vec<(String, String, String, Option<i64>)>> {
    let sql = format!(
        "SELECT u.display_name, f.status, f.due_on, f.resolved_at - f.created_at FROM follow_ups f JOIN interactions i ON i.id = f.id \
         JOIN users u ON u.id = f.owner_id WHERE {} ORDER BY u.display_name, f.id",
        scope.sql
    );
    scope.bind_all(sqlx::query_as(&sql)).fetch_all(pool).await
}
