//! Reading the dashboard: the counts a range needs (whole months from month rows, the days at
//! either end from day rows), trends, follow-ups by owner and responses by area.

use super::*;
use crate::domain::calendar::{month_start, uk_day_start};
use crate::domain::intelligence::{plan_range, Filters, RangePlan};
use crate::server::Db;

/// The dashboard's counts for organisation `org` within `f`, for `who`.
pub async fn counts(db: &Db, org: &str, f: &Filters, who: &Who) -> sqlx::Result<Vec<CountRow>> {
    let plan = plan_range(
        f.from.as_deref().and_then(crate::domain::calendar::parse_date),
        f.to.as_deref().and_then(crate::domain::calendar::parse_date),
    );
    let mut q = Segments::default();
    let sql = q.select(org, f, who, &plan, "area_id, theme_id, service_id");
    let sums: Vec<String> = MEASURES.iter().map(|m| format!("CAST(SUM({m}) AS BIGINT)")).collect();
    let sql = format!("SELECT area_id, theme_id, service_id, {} FROM ({sql}) c GROUP BY area_id, theme_id, service_id", sums.join(", "));
    let mut query = sqlx::query(&sql);
    for b in &q.binds {
        query = b.bind(query);
    }
    use sqlx::Row;
    let rows = query.fetch_all(db).await?;
    rows.iter()
        .map(|r| {
            let values: Vec<i64> = (3..3 + MEASURES.len()).map(|i| r.try_get::<i64, _>(i)).collect::<sqlx::Result<_>>()?;
            Ok(CountRow { area: r.try_get(0)?, theme: r.try_get(1)?, service: r.try_get(2)?, m: Measures::from_values(&values) })
        })
        .collect()
}

/// How a trend is bucketed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Weeks starting on Monday.
    Week,
    Month,
}

/// Weeks for a range of up to 13 weeks, months otherwise.
pub fn period_for(f: &Filters) -> Period {
    use crate::domain::calendar::parse_date;
    match (f.from.as_deref().and_then(parse_date), f.to.as_deref().and_then(parse_date)) {
        (Some(a), Some(b)) if b - a < 91 => Period::Week,
        _ => Period::Month,
    }
}

/// The first day of the week (Monday) or month that `day` falls in.
pub fn period_start(period: Period, day: i64) -> i64 {
    match period {
        // 1970-01-01 was a Thursday: (day + 3) mod 7 counts from Monday.
        Period::Week => day - (day + 3).rem_euclid(7),
        Period::Month => month_start(day),
    }
}

/// Issues raised and feelings of being heard over time: (first day of the period, measures),
/// in time order, for the conversations `f` selects (theme rows when a theme is chosen).
pub async fn trend(db: &Db, org: &str, f: &Filters, who: &Who, period: Period) -> sqlx::Result<Vec<(i64, Measures)>> {
    let from = f.from.as_deref().and_then(crate::domain::calendar::parse_date);
    let to = f.to.as_deref().and_then(crate::domain::calendar::parse_date);
    let plan = match (period, from, to) {
        // Weeks straddle months: read days.
        (Period::Week, Some(a), Some(b)) => RangePlan { months: None, days: vec![(a, b + 1)] },
        _ => plan_range(from, to),
    };
    let mut q = Segments::default();
    let sql = q.select(org, f, who, &plan, "day, theme_id");
    let theme = if f.theme.is_some() { "theme_id <> ''" } else { "theme_id = ''" };
    let sums: Vec<String> = MEASURES.iter().map(|m| format!("CAST(SUM({m}) AS BIGINT)")).collect();
    let sql = format!("SELECT day, {} FROM ({sql}) c WHERE {theme} GROUP BY day ORDER BY day", sums.join(", "));
    let mut query = sqlx::query(&sql);
    for b in &q.binds {
        query = b.bind(query);
    }
    use sqlx::Row;
    let mut out: Vec<(i64, Measures)> = Vec::new();
    for r in query.fetch_all(db).await? {
        let values: Vec<i64> = (1..1 + MEASURES.len()).map(|i| r.try_get::<i64, _>(i)).collect::<sqlx::Result<_>>()?;
        let start = period_start(period, r.try_get(0)?);
        let m = Measures::from_values(&values);
        match out.last_mut() {
            Some((s, total)) if *s == start => total.add(&m),
            _ => out.push((start, m)),
        }
    }
    Ok(out)
}

/// A value bound to a numbered placeholder.
#[derive(Clone, Debug)]
pub(super) enum Bind {
    Text(String),
    Int(i64),
}

impl Bind {
    fn bind<'q>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Bind::Text(t) => q.bind(t.clone()),
            Bind::Int(n) => q.bind(*n),
        }
    }
}

/// Builds the `UNION ALL` of the count rows a range needs, with placeholders numbered in order
/// of appearance (as SQLite needs them).
#[derive(Default)]
pub(super) struct Segments {
    binds: Vec<Bind>,
}

impl Segments {
    fn bind_as<'q, O>(
        &self,
        mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = match b {
                Bind::Text(t) => q.bind(t.clone()),
                Bind::Int(n) => q.bind(*n),
            };
        }
        q
    }

    fn param(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    /// ` AND …` for the filters' dates (UK days, `to` inclusive) and area, on rows that carry
    /// their own time (`at`, seconds) and area columns.
    fn dates_and_area(&mut self, f: &Filters, at: &str, area_column: &str) -> String {
        use crate::domain::calendar::parse_date;
        let mut out = String::new();
        if let Some(day) = f.from.as_deref().and_then(parse_date) {
            out.push_str(&format!(" AND {at} >= {}", self.param(Bind::Int(uk_day_start(day)))));
        }
        if let Some(day) = f.to.as_deref().and_then(parse_date) {
            out.push_str(&format!(" AND {at} < {}", self.param(Bind::Int(uk_day_start(day + 1)))));
        }
        if let Some(area) = &f.area {
            out.push_str(&format!(" AND {area_column} = {}", self.param(Bind::Text(area.clone()))));
        }
        out
    }

    fn select(&mut self, org: &str, f: &Filters, who: &Who, plan: &RangePlan, columns: &str) -> String {
        let mut ranges: Vec<(i64, i64, i64)> = Vec::new();
        if let Some((a, b)) = plan.months {
            ranges.push((1, a, b));
        }
        ranges.extend(plan.days.iter().map(|&(a, b)| (0, a, b)));
        // The whole organisation's rows have worker ''; a team's its key.
        let own = match who {
            Who::Everyone => vec![String::new()],
            Who::Team { name, .. } => vec![team_key(name)],
            Who::Workers(_) => Vec::new(),
        };
        let workers = match who {
            Who::Workers(list) => &list[..],
            _ => &own[..],
        };
        let mut parts = Vec::new();
        for worker in workers {
            for &(grain, a, b) in &ranges {
                let mut sql = format!(
                    "SELECT {columns}, {} FROM intelligence_counts WHERE organisation_id = {} AND worker_id = {} AND grain = {} AND day >= {} AND day < {}",
                    MEASURES.join(", "),
                    self.param(Bind::Text(org.to_string())),
                    self.param(Bind::Text(worker.clone())),
                    self.param(Bind::Int(grain)),
                    self.param(Bind::Int(a)),
                    self.param(Bind::Int(b)),
                );
                if let Some(area) = &f.area {
                    sql.push_str(&format!(" AND area_id = {}", self.param(Bind::Text(area.clone()))));
                }
                if let Some(kind) = &f.kind {
                    sql.push_str(&format!(" AND kind = {}", self.param(Bind::Text(kind.clone()))));
                }
                if let Some(theme) = &f.theme {
                    sql.push_str(&format!(" AND theme_id = {}", self.param(Bind::Text(theme.clone()))));
                }
                parts.push(sql);
            }
        }
        if parts.is_empty() {
            // An empty range: no rows, but the right columns.
            return format!("SELECT {columns}, {} FROM intelligence_counts WHERE 1 = 0", MEASURES.join(", "));
        }
        parts.join(" UNION ALL ")
    }
}

/// Follow-ups from the conversations `f` selects, per owner: (owner's name, open, overdue on
/// `today`, hours from the conversation's arrival to resolved, how many took that long).
pub struct OwnerFigures {
    pub owner: String,
    pub open: i64,
    pub overdue: i64,
    pub resolved_hours: Vec<(i64, i64)>,
}

/// Follow-ups by owner, for the conversations in `f` recorded by `who`. Each
/// follow-up carries its conversation's date, area, kind and worker, so this reads one index.
pub async fn follow_ups(db: &Db, org: &str, f: &Filters, who: &Who, today: &str) -> sqlx::Result<Vec<OwnerFigures>> {
    let mut s = Segments::default();
    let today_param = s.param(Bind::Text(today.to_string()));
    let filter = follow_up_filter(&mut s, org, f, who);
    let sql = format!(
        "SELECT f.owner_id, f.status, CAST(CASE WHEN f.status = 'open' AND f.due_on < {today_param} THEN 1 ELSE 0 END AS BIGINT), \
         CAST(CASE WHEN f.status = 'resolved' THEN (f.resolved_at - f.created_at) / 3600 ELSE 0 END AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM follow_ups f WHERE {filter} GROUP BY f.owner_id, f.status, 3, 4"
    );
    let rows = s.bind_as(sqlx::query_as::<_, (String, String, i64, i64, i64)>(&sql)).fetch_all(db).await?;
    let names: std::collections::HashMap<String, String> = sqlx::query_as("SELECT id, display_name FROM users WHERE organisation_id = $1")
        .bind(org)
        .fetch_all(db)
        .await?
        .into_iter()
        .collect();
    let mut owners: std::collections::BTreeMap<(String, String), OwnerFigures> = std::collections::BTreeMap::new();
    for (owner_id, status, overdue, hours, n) in rows {
        let name = names.get(&owner_id).cloned().unwrap_or_default();
        let o = owners.entry((name.clone(), owner_id)).or_insert_with(|| OwnerFigures {
            owner: name,
            open: 0,
            overdue: 0,
            resolved_hours: Vec::new(),
        });
        if status == "open" {
            o.open += n;
            o.overdue += overdue * n;
        } else {
            o.resolved_hours.push((hours, n));
        }
    }
    Ok(owners.into_values().collect())
}

/// The dashboard's filters on follow-ups `f` (their conversations' dates, area, kind, worker and
/// issue), with their values added to `s`.
fn follow_up_filter(s: &mut Segments, org: &str, f: &Filters, who: &Who) -> String {
    conversation_filter(s, org, f, who, "f", "id")
}

/// The dashboard's filters on rows of table alias `t` that carry their conversation's date,
/// area, kind and worker (follow-ups, referrals), the conversation being `t.<conversation>`.
fn conversation_filter(s: &mut Segments, org: &str, f: &Filters, who: &Who, t: &str, conversation: &str) -> String {
    let mut filter = format!("{t}.organisation_id = {}", s.param(Bind::Text(org.to_string())));
    filter.push_str(&s.dates_and_area(f, &format!("{t}.occurred_at"), &format!("{t}.area_id")));
    if let Some(kind) = &f.kind {
        filter.push_str(&format!(" AND {t}.kind = {}", s.param(Bind::Text(kind.clone()))));
    }
    match who {
        Who::Everyone => {}
        Who::Workers(workers) | Who::Team { members: workers, .. } if workers.is_empty() => filter.push_str(" AND 1 = 0"),
        Who::Workers(workers) | Who::Team { members: workers, .. } => {
            let list: Vec<String> = workers.iter().map(|w| s.param(Bind::Text(w.clone()))).collect();
            filter.push_str(&format!(" AND {t}.worker_id IN ({})", list.join(", ")));
        }
    }
    if let Some(theme) = &f.theme {
        filter.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM interaction_issues x WHERE x.interaction_id = {t}.{conversation} AND x.theme_id = {})",
            s.param(Bind::Text(theme.clone()))
        ));
    }
    filter
}

/// Consultation responses (online and taken at the door) by the area the resident gave, within
/// the filters' dates (and area): (area id, responses, responses to consultations that have
/// published a "you said, we did" outcome since).
pub async fn responses_by_area(db: &Db, org: &str, f: &Filters) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let mut s = Segments::default();
    let mut sql = format!(
        "SELECT area_id, CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM outcome_updates u WHERE u.consultation_id = responses.consultation_id) THEN 1 ELSE 0 END) AS BIGINT) \
         FROM responses WHERE organisation_id = {} AND area_id IS NOT NULL",
        s.param(Bind::Text(org.to_string()))
    );
    sql.push_str(&s.dates_and_area(f, "created_at", "area_id"));
    sql.push_str(" GROUP BY area_id");
    let query = s.bind_as(sqlx::query_as::<_, (String, i64, i64)>(&sql));
    query.fetch_all(db).await
}

/// The organisation's areas, themes, services and workers (those who record conversations),
/// each by name, for the dashboard's labels and filters.
#[derive(Debug, Default)]
pub struct Labels {
    pub areas: Vec<crate::types::Named>,
    pub themes: Vec<crate::types::Named>,
    pub services: Vec<crate::types::Named>,
    pub workers: Vec<crate::types::Named>,
}

pub async fn labels(db: &Db, org: &str) -> sqlx::Result<Labels> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT 'area', id, name FROM areas WHERE organisation_id = $1 \
         UNION ALL SELECT 'theme', id, name FROM themes WHERE organisation_id = $1 \
         UNION ALL SELECT 'service', id, name FROM services WHERE organisation_id = $1 \
         UNION ALL SELECT 'service', id, name FROM organisations WHERE host_id = $1 \
         UNION ALL SELECT 'worker', id, display_name FROM users WHERE organisation_id = $1 AND role IN ('admin', 'outreach_worker') \
         ORDER BY 1, 3, 2",
    )
    .bind(org)
    .fetch_all(db)
    .await?;
    let mut labels = Labels::default();
    for (list, id, name) in rows {
        let target = match list.as_str() {
            "area" => &mut labels.areas,
            "theme" => &mut labels.themes,
            "service" => &mut labels.services,
            _ => &mut labels.workers,
        };
        target.push(crate::types::Named { id, name });
    }
    Ok(labels)
}
