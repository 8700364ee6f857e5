//! The dashboard's figures at scale.
//!
//! Conversations are counted once, when they arrive, into `intelligence_counts`: one row per UK
//! day (and per calendar month) and per area, worker, kind, theme and service, holding every
//! measure the dashboard shows. Rows with worker `''` are the whole organisation's; rows with
//! theme `''` count each conversation once, whatever it raised. A dashboard then reads a few
//! thousand rows whatever the volume: whole months from the month rows, the days at either
//! end of a range from the day rows.
//!
//! A day's rows are always rebuilt from that day's conversations (never adjusted by
//! increments), so they can be checked against them and rebuilt at will
//! ([`rebuild_organisation`]). The sync transaction notes which days changed; they are rebuilt
//! before any dashboard reads them and every few seconds in the background ([`refresh_dirty`]). Each
//! issue raised keeps whether it repeated an earlier contact by the same resident about the same
//! theme within 30 and 90 days, and whether the resident came back about it; a conversation that
//! arrives late (a tablet offline for a week) updates its neighbours and their days too.
//!
//! The measures are defined in `domain::intelligence`; the integration tests hold these
//! queries to those definitions on SQLite and PostgreSQL alike.

use crate::domain::calendar::{civil_from_days, days_from_civil, month_start, uk_day, uk_day_start};
use crate::domain::intelligence::{plan_range, Filters, RangePlan};
use crate::server::db::Backend;
use sqlx::{AnyConnection, AnyPool};
use std::collections::BTreeSet;

const DAY: i64 = 86_400;

/// The measures, in the order of the table's columns.
pub const MEASURES: [&str; 19] = [
    "conversations",
    "talked",
    "with_issues",
    "resolved",
    "referred",
    "issues",
    "repeats_30",
    "repeats_90",
    "came_back_30",
    "came_back_90",
    "heard_1",
    "heard_2",
    "heard_3",
    "heard_4",
    "heard_5",
    "preferences",
    "consented",
    "interested",
    "placed",
];

/// Every measure of a set of conversations (see the table's columns).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measures {
    /// Conversations (on a theme's rows: those that raised it).
    pub conversations: i64,
    /// Conversations where someone came to the door (or stopped to talk at an event).
    pub talked: i64,
    /// Conversations where someone talked and raised at least one issue.
    pub with_issues: i64,
    /// Of those, resolved on the spot.
    pub resolved: i64,
    /// Of those, referred to a service.
    pub referred: i64,
    /// Issues raised.
    pub issues: i64,
    /// Issues that repeated a contact by the same resident about the same theme within 30 days.
    pub repeats_30: i64,
    pub repeats_90: i64,
    /// Referred conversations whose resident came back about the same theme within 30 days.
    pub came_back_30: i64,
    pub came_back_90: i64,
    /// "Did you feel heard?" answers 1 to 5.
    pub heard: [i64; 5],
    /// The involvement funnel: involvement preferences captured.
    pub preferences: i64,
    /// A yes to volunteering opportunities or consultation invitations.
    pub consented: i64,
    /// The resident has been put forward for a volunteering opportunity.
    pub interested: i64,
    /// And placed.
    pub placed: i64,
}

impl Measures {
    fn from_values(v: &[i64]) -> Measures {
        Measures {
            conversations: v[0],
            talked: v[1],
            with_issues: v[2],
            resolved: v[3],
            referred: v[4],
            issues: v[5],
            repeats_30: v[6],
            repeats_90: v[7],
            came_back_30: v[8],
            came_back_90: v[9],
            heard: [v[10], v[11], v[12], v[13], v[14]],
            preferences: v[15],
            consented: v[16],
            interested: v[17],
            placed: v[18],
        }
    }

    pub fn add(&mut self, o: &Measures) {
        self.conversations += o.conversations;
        self.talked += o.talked;
        self.with_issues += o.with_issues;
        self.resolved += o.resolved;
        self.referred += o.referred;
        self.issues += o.issues;
        self.repeats_30 += o.repeats_30;
        self.repeats_90 += o.repeats_90;
        self.came_back_30 += o.came_back_30;
        self.came_back_90 += o.came_back_90;
        for (a, b) in self.heard.iter_mut().zip(o.heard) {
            *a += b;
        }
        self.preferences += o.preferences;
        self.consented += o.consented;
        self.interested += o.interested;
        self.placed += o.placed;
    }

    /// Answers to "did you feel heard?".
    pub fn answered(&self) -> i64 {
        self.heard.iter().sum()
    }
}

/// One row of a dashboard's counts: the measures of one (area, theme, service) in the view.
/// `theme` is `""` for conversations as a whole, `service` `""` for "not referred".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountRow {
    pub area: String,
    pub theme: String,
    pub service: String,
    pub m: Measures,
}

/// Whose conversations a view counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// The whole organisation's.
    Everyone,
    /// These workers' together (a worker, or a team; none means nothing).
    Workers(Vec<String>),
}

/// The dashboard's counts for organisation `org` within `f`, for `who`.
pub async fn counts(pool: &AnyPool, org: &str, f: &Filters, who: &Who) -> sqlx::Result<Vec<CountRow>> {
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
    let rows = query.fetch_all(pool).await?;
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
pub async fn trend(pool: &AnyPool, org: &str, f: &Filters, who: &Who, period: Period) -> sqlx::Result<Vec<(i64, Measures)>> {
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
    for r in query.fetch_all(pool).await? {
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
enum Bind {
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
struct Segments {
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
        // The whole organisation's rows have worker ''.
        let everyone = [String::new()];
        let workers = match who {
            Who::Everyone => &everyone[..],
            Who::Workers(list) => &list[..],
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
pub async fn follow_ups(pool: &AnyPool, org: &str, f: &Filters, who: &Who, today: &str) -> sqlx::Result<Vec<OwnerFigures>> {
    let mut s = Segments::default();
    let today_param = s.param(Bind::Text(today.to_string()));
    let mut filter = format!("f.organisation_id = {}", s.param(Bind::Text(org.to_string())));
    filter.push_str(&s.dates_and_area(f, "f.occurred_at", "f.area_id"));
    if let Some(kind) = &f.kind {
        filter.push_str(&format!(" AND f.kind = {}", s.param(Bind::Text(kind.clone()))));
    }
    match who {
        Who::Everyone => {}
        Who::Workers(workers) if workers.is_empty() => filter.push_str(" AND 1 = 0"),
        Who::Workers(workers) => {
            let list: Vec<String> = workers.iter().map(|w| s.param(Bind::Text(w.clone()))).collect();
            filter.push_str(&format!(" AND f.worker_id IN ({})", list.join(", ")));
        }
    }
    if let Some(theme) = &f.theme {
        filter.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM interaction_issues x WHERE x.interaction_id = f.id AND x.theme_id = {})",
            s.param(Bind::Text(theme.clone()))
        ));
    }
    let sql = format!(
        "SELECT f.owner_id, f.status, CAST(CASE WHEN f.status = 'open' AND f.due_on < {today_param} THEN 1 ELSE 0 END AS BIGINT), \
         CAST(CASE WHEN f.status = 'resolved' THEN (f.resolved_at - f.created_at) / 3600 ELSE 0 END AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM follow_ups f WHERE {filter} GROUP BY f.owner_id, f.status, 3, 4"
    );
    let rows = s.bind_as(sqlx::query_as::<_, (String, String, i64, i64, i64)>(&sql)).fetch_all(pool).await?;
    let names: std::collections::HashMap<String, String> = sqlx::query_as("SELECT id, display_name FROM users WHERE organisation_id = $1")
        .bind(org)
        .fetch_all(pool)
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

// ---------------------------------------------------------------------------------------------
// Keeping the counts.

/// The flags of issues raised with a named resident, from their other contacts. An issue is a
/// repeat if the same resident raised the same theme within the window before (ties in time
/// broken by id, so exactly one of two simultaneous contacts is the repeat), and came back if
/// they raised it again within the window after.
fn flags_sql(which: &str) -> String {
    let neighbour = |before: bool, window: i64| {
        let (cmp, id_cmp, bound) = if before {
            ("<", "<", format!("j.occurred_at >= i.occurred_at - {}", window * DAY))
        } else {
            (">", ">", format!("j.occurred_at <= i.occurred_at + {}", window * DAY))
        };
        format!(
            "CASE WHEN EXISTS (SELECT 1 FROM interactions i JOIN interactions j ON j.resident_id = i.resident_id AND j.organisation_id = i.organisation_id \
             JOIN interaction_issues y ON y.interaction_id = j.id AND y.theme_id = interaction_issues.theme_id \
             WHERE i.id = interaction_issues.interaction_id AND (j.occurred_at {cmp} i.occurred_at OR (j.occurred_at = i.occurred_at AND j.id {id_cmp} i.id)) AND {bound}) THEN 1 ELSE 0 END"
        )
    };
    format!(
        "UPDATE interaction_issues SET repeat_30 = {}, repeat_90 = {}, came_back_30 = {}, came_back_90 = {} WHERE {which}",
        neighbour(true, 30),
        neighbour(true, 90),
        neighbour(false, 30),
        neighbour(false, 90)
    )
}

fn heard_sums(column: &str) -> String {
    (1..=5).map(|n| format!("SUM(CASE WHEN {column} = {n} THEN 1 ELSE 0 END)")).collect::<Vec<_>>().join(", ")
}

/// Per conversation, the involvement funnel's steps (columns `pref`, `agreed`, `interested`,
/// `placed`), for a query over `interactions i` grouped by (or one row per) conversation. Interest
/// counts for the person: shown at the door on any of their records, or online by the account
/// their door record is linked to (`repo::people`).
fn funnel() -> String {
    let person = super::people::person_of("i.resident_id");
    let interest = |status: &str| {
        format!(
            "CASE WHEN i.resident_id IS NOT NULL AND (EXISTS (SELECT 1 FROM volunteer_interests v WHERE v.resident_id IN {person}{status}) \
               OR EXISTS (SELECT 1 FROM residents fr JOIN volunteer_interests v ON v.user_id = fr.user_id WHERE fr.id IN {person}{status})) \
             THEN 1 ELSE 0 END"
        )
    };
    format!(
        "CASE WHEN i.involvement IS NOT NULL AND i.involvement <> '' THEN 1 ELSE 0 END AS pref, \
         CASE WHEN EXISTS (SELECT 1 FROM consents k WHERE k.id IN (i.id || ':volunteering_opportunities', i.id || ':consultation_invitations') AND k.granted = 1) \
           THEN 1 ELSE 0 END AS agreed, {} AS interested, {} AS placed",
        interest(""),
        interest(" AND v.status = 'placed'")
    )
}

/// Rebuilds one UK day's rows for one organisation (and nothing else: see [`refresh_months`]).
async fn refresh_day(conn: &mut AnyConnection, org: &str, day: i64) -> sqlx::Result<()> {
    let (start, end) = (uk_day_start(day), uk_day_start(day + 1));
    sqlx::query("DELETE FROM intelligence_counts WHERE organisation_id = $1 AND grain = 0 AND day = $2")
        .bind(org)
        .bind(day)
        .execute(&mut *conn)
        .await?;
    let columns = format!("organisation_id, grain, day, area_id, worker_id, kind, theme_id, service_id, {}", MEASURES.join(", "));
    let funnel = funnel();
    // The same sums over one row per conversation (theme '') or per issue raised (a theme).
    let sums = |has_issue: &str| {
        let talked_with =
            |action: &str| format!("SUM(CASE WHEN outcome = 'talked' AND {has_issue} AND action = '{action}' THEN 1 ELSE 0 END)");
        let came_back =
            |w: &str| format!("SUM(CASE WHEN outcome = 'talked' AND {has_issue} AND action = 'referred_to_service' THEN {w} ELSE 0 END)");
        format!(
            "COUNT(*), SUM(CASE WHEN outcome = 'talked' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'talked' AND {has_issue} THEN 1 ELSE 0 END), {}, {}, \
             SUM(n), SUM(r30), SUM(r90), {}, {}, {}, SUM(pref), SUM(agreed), SUM(interested), SUM(placed)",
            talked_with("resolved_on_the_spot"),
            talked_with("referred_to_service"),
            came_back("c30"),
            came_back("c90"),
            heard_sums("felt_heard"),
        )
    };
    // Each conversation once (theme ''), with its issues' flags summed.
    let whole = format!(
        "WITH c AS (SELECT i.id, i.area_id, i.worker_id, i.kind, COALESCE(i.service_id, '') AS service_id, i.outcome, i.action, i.felt_heard, \
           COUNT(x.theme_id) AS n, COALESCE(SUM(x.repeat_30), 0) AS r30, COALESCE(SUM(x.repeat_90), 0) AS r90, \
           COALESCE(MAX(x.came_back_30), 0) AS c30, COALESCE(MAX(x.came_back_90), 0) AS c90, {funnel} \
           FROM interactions i LEFT JOIN interaction_issues x ON x.interaction_id = i.id \
           WHERE i.organisation_id = $1 AND i.occurred_at >= $3 AND i.occurred_at < $4 \
           GROUP BY i.id, i.area_id, i.worker_id, i.kind, i.service_id, i.outcome, i.action, i.felt_heard, i.involvement, i.resident_id) \
         INSERT INTO intelligence_counts ({columns}) \
         SELECT $1, 0, $2, area_id, worker_id, kind, '', service_id, {} FROM c GROUP BY area_id, worker_id, kind, service_id",
        sums("n > 0")
    );
    sqlx::query(&whole).bind(org).bind(day).bind(start).bind(end).execute(&mut *conn).await?;
    // Each theme: the conversations that raised it.
    let themes = format!(
        "WITH c AS (SELECT i.area_id, i.worker_id, i.kind, x.theme_id, COALESCE(i.service_id, '') AS service_id, i.outcome, i.action, i.felt_heard, \
           1 AS n, x.repeat_30 AS r30, x.repeat_90 AS r90, x.came_back_30 AS c30, x.came_back_90 AS c90, {funnel} \
           FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id \
           WHERE i.organisation_id = $1 AND i.occurred_at >= $3 AND i.occurred_at < $4) \
         INSERT INTO intelligence_counts ({columns}) \
         SELECT $1, 0, $2, area_id, worker_id, kind, theme_id, service_id, {} FROM c GROUP BY area_id, worker_id, kind, theme_id, service_id",
        sums("n > 0")
    );
    sqlx::query(&themes).bind(org).bind(day).bind(start).bind(end).execute(&mut *conn).await?;
    // The whole organisation: every worker's rows added up.
    sqlx::query(&sum_into(0, "$2", "day = $2")).bind(org).bind(day).execute(&mut *conn).await?;
    Ok(())
}

/// `INSERT … SELECT` of rows of `grain` summed from day rows (worker `''` when summing
/// workers' rows of one day; every worker's own when summing a month's days).
fn sum_into(grain: i64, day: &str, days: &str) -> String {
    let sums: Vec<String> = MEASURES.iter().map(|m| format!("SUM({m})")).collect();
    let columns = format!("organisation_id, grain, day, area_id, worker_id, kind, theme_id, service_id, {}", MEASURES.join(", "));
    if grain == 0 {
        format!(
            "INSERT INTO intelligence_counts ({columns}) SELECT $1, 0, {day}, area_id, '', kind, theme_id, service_id, {} \
             FROM intelligence_counts WHERE organisation_id = $1 AND grain = 0 AND {days} AND worker_id <> '' GROUP BY area_id, kind, theme_id, service_id",
            sums.join(", ")
        )
    } else {
        format!(
            "INSERT INTO intelligence_counts ({columns}) SELECT $1, 1, {day}, area_id, worker_id, kind, theme_id, service_id, {} \
             FROM intelligence_counts WHERE organisation_id = $1 AND grain = 0 AND {days} GROUP BY area_id, worker_id, kind, theme_id, service_id",
            sums.join(", ")
        )
    }
}

/// Rebuilds the month rows of the months these days fall in, from their day rows.
async fn refresh_months(conn: &mut AnyConnection, org: &str, days: &BTreeSet<i64>) -> sqlx::Result<()> {
    let months: BTreeSet<i64> = days.iter().map(|&d| month_start(d)).collect();
    for m in months {
        let (y, mo, _) = civil_from_days(m);
        let next = if mo == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, mo + 1, 1) };
        sqlx::query("DELETE FROM intelligence_counts WHERE organisation_id = $1 AND grain = 1 AND day = $2")
            .bind(org)
            .bind(m)
            .execute(&mut *conn)
            .await?;
        sqlx::query(&sum_into(1, "$2", "day >= $2 AND day < $3")).bind(org).bind(m).bind(next).execute(&mut *conn).await?;
    }
    Ok(())
}

/// On PostgreSQL, takes the lock that lets one transaction at a time rebuild organisation
/// `org`'s counts: a day rebuilt while another transaction adds to it would miss that one's
/// conversations. Take it before the transaction writes anything else, so that every writer
/// takes its locks in the same order. (Not FOR UPDATE: every insert that refers to the
/// organisation holds a key-share lock on its row, which FOR UPDATE waits for, and two such
/// transactions would deadlock.) SQLite has one writer at a time already.
pub async fn lock_counts(conn: &mut AnyConnection, backend: Backend, org: &str) -> sqlx::Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT id FROM organisations WHERE id = $1 FOR NO KEY UPDATE").bind(org).fetch_optional(&mut *conn).await?;
    }
    Ok(())
}

/// Notes that organisation `org`'s counts for these UK days must be rebuilt. The sync
/// transaction only notes it (a day's rebuild reads all its conversations: done for every batch
/// it would make a busy day's ingest quadratic); [`refresh_dirty`] rebuilds them, before any
/// dashboard reads them and every few seconds in the background.
async fn mark_dirty(conn: &mut AnyConnection, org: &str, days: &BTreeSet<i64>) -> sqlx::Result<()> {
    let days: Vec<i64> = days.iter().copied().collect();
    for chunk in days.chunks(200) {
        let rows: Vec<String> = (0..chunk.len()).map(|k| format!("($1, ${})", k + 2)).collect();
        let sql = format!("INSERT INTO intelligence_dirty (organisation_id, day) VALUES {} ON CONFLICT DO NOTHING", rows.join(", "));
        let mut q = sqlx::query(&sql).bind(org);
        for day in chunk {
            q = q.bind(*day);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// After conversations were stored, in the same transaction: their issues' repeat flags and
/// their neighbours' (the same residents' other contacts within 90 days either side) are set,
/// and every day those fall on is noted for its counts to be rebuilt. `conversations` are (id,
/// when, resident).
pub async fn after_new_conversations(
    conn: &mut AnyConnection,
    backend: Backend,
    org: &str,
    conversations: &[(String, i64, Option<String>)],
) -> sqlx::Result<()> {
    if conversations.is_empty() {
        return Ok(());
    }
    lock_counts(conn, backend, org).await?;
    let mut days = BTreeSet::new();
    let mut flagged: BTreeSet<String> = BTreeSet::new();
    for (id, at, resident) in conversations {
        days.insert(uk_day(*at));
        if let Some(resident) = resident {
            let neighbours: Vec<(String, i64)> = sqlx::query_as(
                "SELECT id, occurred_at FROM interactions WHERE resident_id = $1 AND organisation_id = $2 AND occurred_at >= $3 AND occurred_at <= $4",
            )
            .bind(resident)
            .bind(org)
            .bind(at - 90 * DAY)
            .bind(at + 90 * DAY)
            .fetch_all(&mut *conn)
            .await?;
            for (n, t) in neighbours {
                days.insert(uk_day(t));
                flagged.insert(n);
            }
            flagged.insert(id.clone());
        }
    }
    let flagged: Vec<&String> = flagged.iter().collect();
    for chunk in flagged.chunks(500) {
        let list: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = flags_sql(&format!("interaction_id IN ({})", list.join(", ")));
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    mark_dirty(conn, org, &days).await
}

/// Rebuilds the counts of every day noted by [`mark_dirty`], for one organisation or all, one
/// organisation per transaction under its lock. Returns how many days were rebuilt.
pub async fn refresh_dirty(pool: &AnyPool, backend: Backend, org: Option<&str>) -> sqlx::Result<usize> {
    let orgs: Vec<String> = match org {
        Some(o) => vec![o.to_string()],
        None => sqlx::query_scalar("SELECT DISTINCT organisation_id FROM intelligence_dirty").fetch_all(pool).await?,
    };
    let mut rebuilt = 0;
    for org in orgs {
        // Most reads find nothing to do: look before taking the write lock.
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM intelligence_dirty WHERE organisation_id = $1").bind(&org).fetch_one(pool).await?;
        if pending == 0 {
            continue;
        }
        let mut tx = match backend {
            Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => pool.begin().await?,
        };
        lock_counts(&mut tx, backend, &org).await?;
        let days: BTreeSet<i64> = sqlx::query_scalar::<_, i64>("SELECT day FROM intelligence_dirty WHERE organisation_id = $1")
            .bind(&org)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
        for &day in &days {
            refresh_day(&mut tx, &org, day).await?;
        }
        refresh_months(&mut tx, &org, &days).await?;
        sqlx::query("DELETE FROM intelligence_dirty WHERE organisation_id = $1").bind(&org).execute(&mut *tx).await?;
        tx.commit().await?;
        rebuilt += days.len();
    }
    Ok(rebuilt)
}

/// After something changed about resident `resident_id` that the funnel counts (their
/// volunteering, or which records are them), in the same transaction: every day they were
/// talked to, as any of their records, is noted for its counts to be rebuilt.
pub async fn after_resident_changed(conn: &mut AnyConnection, backend: Backend, resident_id: &str) -> sqlx::Result<()> {
    let Some((org,)): Option<(String,)> =
        sqlx::query_as("SELECT organisation_id FROM residents WHERE id = $1").bind(resident_id).fetch_optional(&mut *conn).await?
    else {
        return Ok(());
    };
    lock_counts(conn, backend, &org).await?;
    let times: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT occurred_at FROM interactions WHERE resident_id IN {} AND organisation_id = $2",
        super::people::person_of("$1")
    ))
    .bind(resident_id)
    .bind(&org)
    .fetch_all(&mut *conn)
    .await?;
    let days: BTreeSet<i64> = times.into_iter().map(|(t,)| uk_day(t)).collect();
    mark_dirty(conn, &org, &days).await
}

/// [`after_resident_changed`] for the resident record of account `user_id` (their volunteering
/// online counts for the door records linked to it). Nothing if the account has none.
pub async fn after_account_changed(conn: &mut AnyConnection, backend: Backend, user_id: &str) -> sqlx::Result<()> {
    let record: Option<String> =
        sqlx::query_scalar("SELECT id FROM residents WHERE user_id = $1").bind(user_id).fetch_optional(&mut *conn).await?;
    match record {
        Some(record) => after_resident_changed(conn, backend, &record).await,
        None => Ok(()),
    }
}

/// Recomputes the flags and counts of every organisation that has conversations but no counts
/// (after the migration that added them, or after conversations were written straight into
/// the tables, as the demo data and the benchmark do). Each organisation is rebuilt in one
/// transaction, under its lock, so it has all its counts or none: a rebuild cut short is simply
/// done again at the next start, and two servers starting together do not both write.
pub async fn rebuild_missing(pool: &AnyPool, backend: Backend) -> sqlx::Result<usize> {
    let missing: Vec<(String,)> = sqlx::query_as(
        "SELECT o.id FROM organisations o WHERE EXISTS (SELECT 1 FROM interactions i WHERE i.organisation_id = o.id) \
         AND NOT EXISTS (SELECT 1 FROM intelligence_counts c WHERE c.organisation_id = o.id)",
    )
    .fetch_all(pool)
    .await?;
    for (org,) in &missing {
        rebuild_organisation(pool, backend, org).await?;
    }
    Ok(missing.len())
}

/// Recomputes every flag and count of one organisation from its conversations, in one
/// transaction.
pub async fn rebuild_organisation(pool: &AnyPool, backend: Backend, org: &str) -> sqlx::Result<()> {
    let mut tx = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => pool.begin().await?,
    };
    lock_counts(&mut tx, backend, org).await?;
    let sql = flags_sql("interaction_id IN (SELECT id FROM interactions WHERE organisation_id = $1)");
    sqlx::query(&sql).bind(org).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM intelligence_counts WHERE organisation_id = $1").bind(org).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM intelligence_dirty WHERE organisation_id = $1").bind(org).execute(&mut *tx).await?;
    let (first, last): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT MIN(occurred_at), MAX(occurred_at) FROM interactions WHERE organisation_id = $1")
            .bind(org)
            .fetch_one(&mut *tx)
            .await?;
    if let (Some(first), Some(last)) = (first, last) {
        let days: BTreeSet<i64> = (uk_day(first)..=uk_day(last)).collect();
        for &day in &days {
            refresh_day(&mut tx, org, day).await?;
        }
        refresh_months(&mut tx, org, &days).await?;
    }
    tx.commit().await
}

/// Consultation responses (online and taken at the door) by the area the resident gave, within
/// the filters' dates (and area): (area id, responses, responses to consultations that have
/// published a "you said, we did" outcome since).
pub async fn responses_by_area(pool: &AnyPool, org: &str, f: &Filters) -> sqlx::Result<Vec<(String, i64, i64)>> {
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
    query.fetch_all(pool).await
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

pub async fn labels(pool: &AnyPool, org: &str) -> sqlx::Result<Labels> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT 'area', id, name FROM areas WHERE organisation_id = $1 \
         UNION ALL SELECT 'theme', id, name FROM themes WHERE organisation_id = $1 \
         UNION ALL SELECT 'service', id, name FROM services WHERE organisation_id = $1 \
         UNION ALL SELECT 'worker', id, display_name FROM users WHERE organisation_id = $1 AND role IN ('admin', 'outreach_worker') \
         ORDER BY 1, 3, 2",
    )
    .bind(org)
    .fetch_all(pool)
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
