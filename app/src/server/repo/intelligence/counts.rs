//! Keeping the counts: each day's rows rebuilt from that day's conversations, the month rows summed
//! from them, and the flags of repeated contacts.

use super::*;
use crate::domain::calendar::{civil_from_days, days_from_civil, month_start, uk_day, uk_day_start};
use crate::server::db::Backend;
use crate::server::Db;
use sqlx::AnyConnection;
use std::collections::BTreeSet;

/// The flags of issues raised with a named resident, from their other contacts. An issue is a
/// repeat if the same resident raised the same theme within the window before (ties in time
/// broken by id, so exactly one of two simultaneous contacts is the repeat), and came back if
/// they raised it again within the window after.
pub(super) fn flags_sql(which: &str) -> String {
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

pub(super) fn heard_sums(column: &str) -> String {
    (1..=5).map(|n| format!("SUM(CASE WHEN {column} = {n} THEN 1 ELSE 0 END)")).collect::<Vec<_>>().join(", ")
}

/// Per conversation, the involvement funnel's steps (columns `pref`, `agreed`, `interested`,
/// `placed`), for a query over `interactions i` grouped by (or one row per) conversation. Interest
/// counts for the person: shown at the door on any of their records, or online by the account
/// their door record is linked to (`repo::people`).
pub(super) fn funnel() -> String {
    let person = crate::server::repo::people::person_of("i.resident_id");
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

/// The commitment measures, `<side>_<status>`, in the order of `MEASURES`.
const COMMITTED: [&str; 8] =
    ["we_open", "we_kept", "we_not_kept", "we_not_needed", "you_open", "you_kept", "you_not_kept", "you_not_needed"];

/// How many of commitments `c` are `<side>_<status>` (one of `COMMITTED`).
fn committed_sum(name: &str) -> String {
    let (side, status) = name.split_once('_').unwrap_or_default();
    format!("SUM(CASE WHEN c.side = '{side}' AND c.status = '{status}' THEN 1 ELSE 0 END)")
}

/// Every commitment measure summed over commitments `c`, named as its column.
fn committed_sums() -> String {
    COMMITTED.iter().map(|name| format!("{} AS {name}", committed_sum(name))).collect::<Vec<_>>().join(", ")
}

/// The actions that refer the resident on: to one of the organisation's services, or to a
/// partner organisation (counted under the partner, in the `service_id` column).
const REFERRALS: &str = "('referred_to_service', 'referred_to_partner')";

/// Rebuilds one UK day's rows for one organisation (and nothing else: see [`refresh_months`]).
pub(super) async fn refresh_day(conn: &mut AnyConnection, org: &str, day: i64) -> sqlx::Result<()> {
    let (start, end) = (uk_day_start(day), uk_day_start(day + 1));
    sqlx::query("DELETE FROM intelligence_counts WHERE organisation_id = $1 AND grain = 0 AND day = $2")
        .bind(org)
        .bind(day)
        .execute(&mut *conn)
        .await?;
    let columns = format!("organisation_id, grain, day, area_id, worker_id, kind, theme_id, service_id, {}", MEASURES.join(", "));
    let funnel = funnel();
    // Each of the day's conversations' commitments, by side and status (one row per follow-up),
    // found from the day's conversations by the commitments' follow-up index: filtering all the
    // organisation's commitments by the day instead made PostgreSQL read every one of them for
    // every day rebuilt.
    // Those naming a service are counted under it instead (below).
    let committed = format!(
        "(SELECT c.follow_up_id, {} FROM interactions d JOIN commitments c ON c.follow_up_id = d.id \
         WHERE d.organisation_id = $1 AND d.occurred_at >= $3 AND d.occurred_at < $4 AND c.organisation_id = $1 AND c.service_id IS NULL \
         GROUP BY c.follow_up_id)",
        committed_sums()
    );
    // Per conversation (`most`, grouped by conversation; `each`, one row per issue raised).
    let most = COMMITTED.iter().map(|c| format!("COALESCE(MAX(k.{c}), 0) AS {c}")).collect::<Vec<_>>().join(", ");
    let each = COMMITTED.iter().map(|c| format!("COALESCE(k.{c}, 0) AS {c}")).collect::<Vec<_>>().join(", ");
    // The same sums over one row per conversation (theme '') or per issue raised (a theme). The
    // referrals' own measures are added under whom each went to (below).
    let sums = |has_issue: &str| {
        // `actions`: an SQL list of actions, like ('resolved_on_the_spot').
        let talked_with =
            |actions: &str| format!("SUM(CASE WHEN outcome = 'talked' AND {has_issue} AND action IN {actions} THEN 1 ELSE 0 END)");
        let came_back =
            |w: &str| format!("SUM(CASE WHEN outcome = 'talked' AND {has_issue} AND action IN {REFERRALS} THEN {w} ELSE 0 END)");
        format!(
            "COUNT(*), SUM(CASE WHEN outcome = 'talked' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'talked' AND {has_issue} THEN 1 ELSE 0 END), {}, {}, \
             SUM(n), SUM(r30), SUM(r90), {}, {}, {}, SUM(pref), SUM(agreed), SUM(interested), SUM(placed), \
             SUM(CASE WHEN outcome = 'talked' AND language = 'cy' THEN 1 ELSE 0 END), {}, 0, 0, 0, 0",
            talked_with("('resolved_on_the_spot')"),
            talked_with(REFERRALS),
            came_back("c30"),
            came_back("c90"),
            heard_sums("felt_heard"),
            COMMITTED.iter().map(|c| format!("SUM({c})")).collect::<Vec<_>>().join(", "),
        )
    };
    // Each conversation once (theme ''), with its issues' flags summed.
    let whole = format!(
        "WITH c AS (SELECT i.id, i.area_id, i.worker_id, i.kind, COALESCE(i.service_id, i.partner_id, '') AS service_id, i.outcome, i.action, i.felt_heard, i.language, \
           COUNT(x.theme_id) AS n, COALESCE(SUM(x.repeat_30), 0) AS r30, COALESCE(SUM(x.repeat_90), 0) AS r90, \
           COALESCE(MAX(x.came_back_30), 0) AS c30, COALESCE(MAX(x.came_back_90), 0) AS c90, {funnel}, {most} \
           FROM interactions i LEFT JOIN interaction_issues x ON x.interaction_id = i.id LEFT JOIN {committed} k ON k.follow_up_id = i.id \
           WHERE i.organisation_id = $1 AND i.occurred_at >= $3 AND i.occurred_at < $4 \
           GROUP BY i.id, i.area_id, i.worker_id, i.kind, i.service_id, i.partner_id, i.outcome, i.action, i.felt_heard, i.language, i.involvement, i.resident_id) \
         INSERT INTO intelligence_counts ({columns}) \
         SELECT $1, 0, $2, area_id, worker_id, kind, '', service_id, {} FROM c GROUP BY area_id, worker_id, kind, service_id",
        sums("n > 0")
    );
    sqlx::query(&whole).bind(org).bind(day).bind(start).bind(end).execute(&mut *conn).await?;
    // Each theme: the conversations that raised it.
    let themes = format!(
        "WITH c AS (SELECT i.area_id, i.worker_id, i.kind, x.theme_id, COALESCE(i.service_id, i.partner_id, '') AS service_id, i.outcome, i.action, i.felt_heard, i.language, \
           1 AS n, x.repeat_30 AS r30, x.repeat_90 AS r90, x.came_back_30 AS c30, x.came_back_90 AS c90, {funnel}, {each} \
           FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id LEFT JOIN {committed} k ON k.follow_up_id = i.id \
           WHERE i.organisation_id = $1 AND i.occurred_at >= $3 AND i.occurred_at < $4) \
         INSERT INTO intelligence_counts ({columns}) \
         SELECT $1, 0, $2, area_id, worker_id, kind, theme_id, service_id, {} FROM c GROUP BY area_id, worker_id, kind, theme_id, service_id",
        sums("n > 0")
    );
    sqlx::query(&themes).bind(org).bind(day).bind(start).bind(end).execute(&mut *conn).await?;
    // Commitments naming a service, under that service; every referral (made in the
    // conversation, or later from its follow-up) under the service or partner it went to.
    let by_service: Vec<(&str, String)> = COMMITTED.iter().map(|m| (*m, committed_sum(m))).collect();
    let join = "JOIN commitments c ON c.follow_up_id = i.id AND c.organisation_id = $1 AND c.service_id IS NOT NULL";
    add_under(conn, org, day, join, "c.service_id", &by_service).await?;
    let lived = [
        ("referrals_answered", "SUM(CASE WHEN r.status = 'answered' THEN 1 ELSE 0 END)"),
        ("referrals_declined", "SUM(CASE WHEN r.status = 'declined' THEN 1 ELSE 0 END)"),
        ("referrals_waiting", "SUM(CASE WHEN r.status IN ('sent', 'accepted') THEN 1 ELSE 0 END)"),
        (
            "referral_days",
            "SUM(CASE WHEN r.status = 'answered' AND r.closed_at > r.sent_at THEN (r.closed_at - r.sent_at) / 86400 ELSE 0 END)",
        ),
    ]
    .map(|(m, sum)| (m, sum.to_string()));
    let join = "JOIN referrals r ON r.interaction_id = i.id AND r.organisation_id = $1";
    add_under(conn, org, day, join, "COALESCE(r.service_id, r.partner_id)", &lived).await?;
    // The whole organisation: every worker's rows added up; then each team's.
    sqlx::query(&sum_into(0, "$2", "day = $2")).bind(org).bind(day).execute(&mut *conn).await?;
    sqlx::query(&team_sums("c.grain = 0 AND c.day = $2")).bind(org).bind(day).execute(&mut *conn).await?;
    refresh_people(conn, org, day).await
}

/// Adds `sums` (measure, SQL sum) over rows joined to one UK day's conversations `i` (`join`) to
/// that day's rows of the service or partner `target` each names: to the row of the
/// conversations referred to it, or a row of its own (every other measure 0). Once per
/// conversation (theme '') and once per issue it raised.
async fn add_under(conn: &mut AnyConnection, org: &str, day: i64, join: &str, target: &str, sums: &[(&str, String)]) -> sqlx::Result<()> {
    let (start, end) = (uk_day_start(day), uk_day_start(day + 1));
    let columns = format!("organisation_id, grain, day, area_id, worker_id, kind, theme_id, service_id, {}", MEASURES.join(", "));
    let values = MEASURES
        .iter()
        .map(|m| sums.iter().find(|(name, _)| name == m).map_or_else(|| "0".to_string(), |(_, sum)| sum.clone()))
        .collect::<Vec<_>>()
        .join(", ");
    let added = sums.iter().map(|(m, _)| format!("{m} = intelligence_counts.{m} + excluded.{m}")).collect::<Vec<_>>().join(", ");
    for (theme, issues, by_theme) in
        [("''", "", ""), ("x.theme_id", "JOIN interaction_issues x ON x.interaction_id = i.id", "x.theme_id, ")]
    {
        let sql = format!(
            "INSERT INTO intelligence_counts ({columns}) \
             SELECT $1, 0, $2, i.area_id, i.worker_id, i.kind, {theme}, {target}, {values} FROM interactions i {join} {issues} \
             WHERE i.organisation_id = $1 AND i.occurred_at >= $3 AND i.occurred_at < $4 \
             GROUP BY i.area_id, i.worker_id, i.kind, {by_theme}{target} \
             ON CONFLICT (organisation_id, worker_id, grain, day, area_id, kind, theme_id, service_id) DO UPDATE SET {added}"
        );
        sqlx::query(&sql).bind(org).bind(day).bind(start).bind(end).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rebuilds one UK day's people behind each theme and area (table `theme_people`, which the
/// clusters are counted from): each named person once (door records linked to an account are
/// the account's), and the conversations with nobody named counted together.
async fn refresh_people(conn: &mut AnyConnection, org: &str, day: i64) -> sqlx::Result<()> {
    let (start, end) = (uk_day_start(day), uk_day_start(day + 1));
    sqlx::query("DELETE FROM theme_people WHERE organisation_id = $1 AND day = $2").bind(org).bind(day).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO theme_people (organisation_id, day, area_id, theme_id, person, n) \
         SELECT $1, $2, i.area_id, x.theme_id, COALESCE(r.linked_to, i.resident_id, ''), COUNT(*) \
         FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id LEFT JOIN residents r ON r.id = i.resident_id \
         WHERE i.organisation_id = $1 AND i.occurred_at >= $3 AND i.occurred_at < $4 AND i.outcome = 'talked' \
         GROUP BY i.area_id, x.theme_id, COALESCE(r.linked_to, i.resident_id, '')",
    )
    .bind(org)
    .bind(day)
    .bind(start)
    .bind(end)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `INSERT … SELECT` of rows of `grain` summed from day rows (worker `''` when summing
/// workers' rows of one day; every worker's own when summing a month's days).
pub(super) fn sum_into(grain: i64, day: &str, days: &str) -> String {
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

/// The `worker_id` of a team's rows (its members' added up; user ids are UUIDs, never this).
pub fn team_key(team: &str) -> String {
    format!("team:{team}")
}

/// `INSERT … SELECT` of each team's rows, summed from its members' own rows of the same grain
/// and day, over the members' rows that `filter` (on counts `c` and users `u`, `$1` the
/// organisation) selects. A month's team rows come from its team day rows like any worker's.
fn team_sums(filter: &str) -> String {
    let sums: Vec<String> = MEASURES.iter().map(|m| format!("SUM(c.{m})")).collect();
    let columns = format!("organisation_id, grain, day, area_id, worker_id, kind, theme_id, service_id, {}", MEASURES.join(", "));
    format!(
        "INSERT INTO intelligence_counts ({columns}) \
         SELECT $1, c.grain, c.day, c.area_id, 'team:' || u.team, c.kind, c.theme_id, c.service_id, {} \
         FROM intelligence_counts c JOIN users u ON u.id = c.worker_id \
         WHERE c.organisation_id = $1 AND u.organisation_id = $1 AND u.team <> '' AND {filter} \
         GROUP BY c.grain, c.day, c.area_id, u.team, c.kind, c.theme_id, c.service_id",
        sums.join(", ")
    )
}

/// Moves `user`'s own rows of counts from team `from` to team `to` ("" for none): added to one,
/// taken from the other (a row is never all zero, so a team row left all zero was theirs alone,
/// and goes). One member's rows, whatever the teams' sizes; under the counts lock.
pub async fn move_between_teams(conn: &mut AnyConnection, org: &str, user: &str, from: &str, to: &str) -> sqlx::Result<()> {
    let columns = format!("organisation_id, grain, day, area_id, worker_id, kind, theme_id, service_id, {}", MEASURES.join(", "));
    let added = MEASURES.iter().map(|m| format!("{m} = intelligence_counts.{m} + excluded.{m}")).collect::<Vec<_>>().join(", ");
    for (team, sign) in [(to, ""), (from, "-")] {
        if team.is_empty() || from == to {
            continue;
        }
        let values = MEASURES.iter().map(|m| format!("{sign}{m}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "INSERT INTO intelligence_counts ({columns}) \
             SELECT organisation_id, grain, day, area_id, $3, kind, theme_id, service_id, {values} \
             FROM intelligence_counts WHERE organisation_id = $1 AND worker_id = $2 \
             ON CONFLICT (organisation_id, worker_id, grain, day, area_id, kind, theme_id, service_id) DO UPDATE SET {added}"
        );
        sqlx::query(&sql).bind(org).bind(user).bind(team_key(team)).execute(&mut *conn).await?;
    }
    if !from.is_empty() && from != to {
        let empty = MEASURES.iter().map(|m| format!("{m} = 0")).collect::<Vec<_>>().join(" AND ");
        sqlx::query(&format!("DELETE FROM intelligence_counts WHERE organisation_id = $1 AND worker_id = $2 AND {empty}"))
            .bind(org)
            .bind(team_key(from))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rebuilds the month rows of the months these days fall in, from their day rows.
pub(super) async fn refresh_months(conn: &mut AnyConnection, org: &str, days: &BTreeSet<i64>) -> sqlx::Result<()> {
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

/// Notes that organisation `org`'s counts for these UK days must be rebuilt. The sync
/// transaction only notes it (a day's rebuild reads all its conversations: done for every batch
/// it would make a busy day's ingest quadratic); [`refresh_dirty`] rebuilds them, before any
/// dashboard reads them and every few seconds in the background.
pub(super) async fn mark_dirty(conn: &mut AnyConnection, org: &str, days: &BTreeSet<i64>) -> sqlx::Result<()> {
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

/// After something counted with conversation `conversation_id` changed (a follow-up settled its
/// commitments, a referral it made was answered), in the same transaction: the conversation's
/// day is noted for its counts to be rebuilt.
pub async fn after_conversation_changed(conn: &mut AnyConnection, org: &str, conversation_id: &str) -> sqlx::Result<()> {
    let at: Option<i64> = sqlx::query_scalar("SELECT occurred_at FROM interactions WHERE id = $1 AND organisation_id = $2")
        .bind(conversation_id)
        .bind(org)
        .fetch_optional(&mut *conn)
        .await?;
    match at {
        Some(at) => mark_dirty(conn, org, &BTreeSet::from([uk_day(at)])).await,
        None => Ok(()),
    }
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
    backend.lock_counts(conn, org).await?;
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
pub async fn refresh_dirty(db: &Db, org: Option<&str>) -> sqlx::Result<usize> {
    let orgs: Vec<String> = match org {
        Some(o) => vec![o.to_string()],
        None => sqlx::query_scalar("SELECT DISTINCT organisation_id FROM intelligence_dirty").fetch_all(db).await?,
    };
    let mut rebuilt = 0;
    for org in orgs {
        // Most reads find nothing to do: look before taking the write lock.
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM intelligence_dirty WHERE organisation_id = $1").bind(&org).fetch_one(db).await?;
        if pending == 0 {
            continue;
        }
        let mut tx = db.begin_write().await?;
        db.backend.lock_counts(&mut tx, &org).await?;
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
    backend.lock_counts(conn, &org).await?;
    let times: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT occurred_at FROM interactions WHERE resident_id IN {} AND organisation_id = $2",
        crate::server::repo::people::person_of("$1")
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
pub async fn rebuild_missing(db: &Db) -> sqlx::Result<usize> {
    let missing: Vec<(String,)> = sqlx::query_as(
        "SELECT o.id FROM organisations o WHERE EXISTS (SELECT 1 FROM interactions i WHERE i.organisation_id = o.id) \
         AND NOT EXISTS (SELECT 1 FROM intelligence_counts c WHERE c.organisation_id = o.id)",
    )
    .fetch_all(db)
    .await?;
    for (org,) in &missing {
        rebuild_organisation(db, org).await?;
    }
    Ok(missing.len())
}

/// Recomputes every flag and count of one organisation from its conversations, in one
/// transaction.
pub async fn rebuild_organisation(db: &Db, org: &str) -> sqlx::Result<()> {
    let mut tx = db.begin_write().await?;
    db.backend.lock_counts(&mut tx, org).await?;
    let sql = flags_sql("interaction_id IN (SELECT id FROM interactions WHERE organisation_id = $1)");
    sqlx::query(&sql).bind(org).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM intelligence_counts WHERE organisation_id = $1").bind(org).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM theme_people WHERE organisation_id = $1").bind(org).execute(&mut *tx).await?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_commitment_then_referral_measures_end_the_list_in_the_order_they_are_summed() {
        let n = super::MEASURES.len();
        assert_eq!(super::MEASURES[n - 12..n - 4], super::COMMITTED);
        assert_eq!(super::MEASURES[n - 4..], ["referrals_answered", "referrals_declined", "referrals_waiting", "referral_days"]);
    }
}
