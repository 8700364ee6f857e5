//! The intelligence dashboard, built from the counts: what the organisation's conversations say,
//! filtered, with small counts hidden.

use crate::domain::calendar::{civil_from_days, parse_date};
use crate::domain::intelligence::Filters;
use crate::domain::intelligence::{median_of_histogram, percent, showable, shown};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::language::names::HasName;
use crate::server::auth::Caller;
use crate::server::repo::intelligence::{self as q, CountRow, Measures, Period, Who};
use crate::server::repo::users::UserRow;
use crate::types::intelligence::*;
use crate::types::Named;
use std::collections::BTreeMap;

mod tables;
pub use tables::table;
use tables::*;

/// Everything on the dashboard for `user` (an admin: the whole organisation, or one worker;
/// an outreach worker: their own conversations), its words in `locale`.
pub async fn build(db: &crate::server::Db, user: &UserRow, filters: Filters, locale: Locale) -> Result<Dashboard, AppError> {
    let role = user.role().ok_or(AppError::Forbidden)?;
    if !role.can_see_intelligence() {
        return Err(AppError::Forbidden);
    }
    // Days that synced since the counts were last brought up to date.
    q::refresh_dirty(db, Some(&user.organisation_id)).await?;
    let (mut filters, problems) = checked(locale, filters);
    let org = &user.organisation_id;
    let team_names = if role == Role::Admin {
        crate::server::repo::users::teams(db, org).await?
    } else {
        // A worker sees their own figures, or their own team's.
        filters.worker = None;
        if filters.team.is_some() && filters.team.as_deref() != Some(user.team.as_str()) {
            filters.team = None;
        }
        // A team of two would give away the colleague's own figures (the team's less one's
        // own), so a worker sees a team's only when it has at least three members.
        let big_enough = !user.team.is_empty() && crate::server::repo::users::team_members(db, org, &user.team).await?.len() >= MIN_TEAM;
        if big_enough {
            vec![user.team.clone()]
        } else {
            Vec::new()
        }
    };
    if filters.worker.is_some() || !team_names.iter().any(|t| Some(t) == filters.team.as_ref()) {
        filters.team = None;
    }
    // Someone else's worker id names nobody here: it selects nothing (and a member of staff's
    // id is a UUID, never a team's rows).
    let workers = match (&filters.worker, &filters.team) {
        (Some(w), _) if uuid::Uuid::parse_str(w).is_err() => Who::Workers(Vec::new()),
        (Some(w), _) => Who::Workers(vec![w.clone()]),
        (None, Some(team)) => Who::Team { name: team.clone(), members: crate::server::repo::users::team_members(db, org, team).await? },
        (None, None) if role == Role::Admin => Who::Everyone,
        (None, None) => Who::Workers(vec![user.id.clone()]),
    };
    let labels = q::labels(db, org).await?;
    let rows = q::counts(db, org, &filters, &workers).await?;
    // With a theme chosen, its rows are the conversations that raised it; otherwise the
    // conversation rows count each conversation once.
    let base = |r: &&CountRow| if filters.theme.is_some() { !r.theme.is_empty() } else { r.theme.is_empty() };
    let mut total = Measures::default();
    let mut by_area: BTreeMap<&str, Measures> = BTreeMap::new();
    let mut by_service: BTreeMap<&str, Measures> = BTreeMap::new();
    for r in rows.iter().filter(base) {
        total.add(&r.m);
        by_area.entry(&r.area).or_default().add(&r.m);
        if !r.service.is_empty() {
            by_service.entry(&r.service).or_default().add(&r.m);
        }
    }
    let mut by_theme: BTreeMap<&str, Measures> = BTreeMap::new();
    let mut area_theme: BTreeMap<&str, BTreeMap<&str, i64>> = BTreeMap::new();
    for r in rows.iter().filter(|r| !r.theme.is_empty()) {
        by_theme.entry(&r.theme).or_default().add(&r.m);
        *area_theme.entry(&r.area).or_default().entry(&r.theme).or_default() += r.m.issues;
    }

    let heard_points = [
        td_string!(locale, dashboard.heard_1),
        td_string!(locale, dashboard.heard_2),
        td_string!(locale, dashboard.heard_3),
        td_string!(locale, dashboard.heard_4),
        td_string!(locale, dashboard.heard_5),
    ];
    let felt_heard = heard_points.iter().zip(total.heard).map(|(label, n)| bar(label.to_string(), n)).collect();
    let answers = || td_string!(locale, dashboard.col_answers);
    let felt_heard_well = || td_string!(locale, dashboard.col_felt_heard_well);
    let average = || td_string!(locale, dashboard.col_average_heard);
    let area = td_string!(locale, dashboard.col_area);
    let heard_table = |first: &str, groups: &BTreeMap<&str, Measures>, names: &[Named]| {
        let mut rows: Vec<Vec<String>> = groups
            .iter()
            .filter(|(_, m)| m.answered() > 0)
            .map(|(id, m)| vec![name_of(locale, names, id), shown(m.answered()), heard_well(m), average_heard(m)])
            .collect();
        rows.sort();
        Table { columns: [first, answers(), felt_heard_well(), average()].map(String::from).to_vec(), rows }
    };
    // Each referral's life since (answered, declined, still waiting, how long an answer took):
    // every referral made, in a conversation or later from its follow-up, is one of the first
    // three. Beside them, what the counts say of the conversations that referred there.
    let mut referrals: Vec<Vec<String>> = by_service
        .iter()
        .filter(|(_, m)| m.referrals[..3].iter().sum::<i64>() > 0)
        .map(|(id, m)| {
            let [answered, declined, waiting, days] = m.referrals;
            let average = if answered >= crate::domain::intelligence::SUPPRESS_BELOW {
                crate::domain::referral::average_days(days, answered).map_or("–".to_string(), |d| format!("{d:.1}"))
            } else {
                "–".to_string()
            };
            vec![
                name_of(locale, &labels.services, id),
                // With any of its parts held back, a total shown would narrow it down (one part
                // hidden: exactly; two: 4 and 4 from a total of 8 more than the third).
                if showable(answered + declined + waiting) && [answered, declined, waiting].iter().any(|&n| n > 0 && !showable(n)) {
                    "–".to_string()
                } else {
                    shown(answered + declined + waiting)
                },
                shown(answered),
                shown(declined),
                shown(waiting),
                average,
                shown(m.came_back_30),
                shown(m.came_back_90),
                heard_well(m),
            ]
        })
        .collect();
    referrals.sort();
    let mut top_themes: Vec<Vec<String>> = area_theme
        .iter()
        .map(|(area, themes)| {
            let mut ranked: Vec<(&str, i64)> = themes.iter().filter(|(_, n)| **n > 0).map(|(t, n)| (*t, *n)).collect();
            ranked.sort_by(|a, b| {
                sort_key(b.1)
                    .cmp(&sort_key(a.1))
                    .then_with(|| name_of(locale, &labels.themes, a.0).cmp(&name_of(locale, &labels.themes, b.0)))
            });
            let mut row = vec![name_of(locale, &labels.areas, area)];
            for i in 0..3 {
                row.push(
                    ranked
                        .get(i)
                        .map(|(t, n)| format!("{} ({})", name_of(locale, &labels.themes, t), shown(*n)))
                        .unwrap_or_else(|| "–".into()),
                );
            }
            row
        })
        .collect();
    top_themes.sort();

    // The influencing gap: whether the areas the organisation talks to take part in its
    // consultations. Responses are the whole organisation's, so a worker's view has none.
    let mut influence = Vec::new();
    if workers == Who::Everyone {
        let responses: BTreeMap<String, (i64, i64)> =
            q::responses_by_area(db, org, &filters).await?.into_iter().map(|(a, n, o)| (a, (n, o))).collect();
        let answered = |a: &str| responses.get(a).copied().unwrap_or((0, 0));
        let mut areas: Vec<(&str, i64, i64)> = by_area.iter().map(|(a, m)| (*a, m.talked, answered(a).0)).collect();
        areas.extend(responses.iter().filter(|(a, _)| !by_area.contains_key(a.as_str())).map(|(a, (n, _))| (a.as_str(), 0, *n)));
        // Fewest responses per conversation first; areas with no conversations last.
        let rate = |talked: i64, heard: i64| if talked == 0 { f64::INFINITY } else { heard as f64 / talked as f64 };
        areas.sort_by(|a, b| {
            rate(a.1, a.2)
                .total_cmp(&rate(b.1, b.2))
                .then_with(|| name_of(locale, &labels.areas, a.0).cmp(&name_of(locale, &labels.areas, b.0)))
        });
        influence = areas
            .into_iter()
            .map(|(a, talked, heard)| {
                let per_100 = if talked >= crate::domain::intelligence::SUPPRESS_BELOW
                    && (heard == 0 || heard >= crate::domain::intelligence::SUPPRESS_BELOW)
                {
                    format!("{:.1}", heard as f64 * 100.0 / talked as f64)
                } else {
                    "–".into()
                };
                vec![name_of(locale, &labels.areas, a), shown(talked), shown(heard), per_100, shown(answered(a).1)]
            })
            .collect();
    }

    let steps = |m: &Measures| [m.talked, m.preferences, m.consented, m.interested, m.placed];
    let funnel = funnel_steps(locale).iter().zip(steps(&total)).map(|(label, n)| bar(label.to_string(), n)).collect();
    let funnel_table = |first: &str, groups: &BTreeMap<&str, Measures>, names: &[Named]| {
        let mut rows: Vec<Vec<String>> = groups
            .iter()
            .filter(|(_, m)| m.talked > 0)
            .map(|(id, m)| std::iter::once(name_of(locale, names, id)).chain(steps(m).into_iter().map(shown)).collect())
            .collect();
        rows.sort();
        Table {
            columns: std::iter::once(first)
                .chain([
                    td_string!(locale, dashboard.col_talked),
                    td_string!(locale, dashboard.col_shared_preferences),
                    td_string!(locale, dashboard.col_said_yes),
                    td_string!(locale, dashboard.col_put_forward),
                    td_string!(locale, dashboard.col_placed),
                ])
                .map(String::from)
                .collect(),
            rows,
        }
    };
    let funnel_by_area = funnel_table(area, &by_area, &labels.areas);
    let funnel_by_theme = funnel_table(td_string!(locale, dashboard.col_theme_raised), &by_theme, &labels.themes);

    let period = q::period_for(&filters);
    let trend = q::trend(db, org, &filters, &workers, period).await?;
    let issues_over_time = trend.iter().map(|(day, m)| bar(period_label(locale, period, *day), m.issues)).collect();
    let heard_over_time = Table {
        columns: [
            if period == Period::Week { td_string!(locale, dashboard.col_week) } else { td_string!(locale, dashboard.col_month) },
            answers(),
            felt_heard_well(),
            average(),
        ]
        .map(String::from)
        .to_vec(),
        rows: trend
            .iter()
            .filter(|(_, m)| m.answered() > 0)
            .map(|(day, m)| vec![period_label(locale, period, *day), shown(m.answered()), heard_well(m), average_heard(m)])
            .collect(),
    };

    let today = crate::server::uk_today();
    let follow_ups = q::follow_ups(db, org, &filters, &workers, &today)
        .await?
        .into_iter()
        .map(|o| {
            let resolved: i64 = o.resolved_hours.iter().map(|(_, n)| n).sum();
            OwnerRow {
                owner: o.owner,
                open: shown(o.open),
                overdue: shown(o.overdue),
                resolved: shown(resolved),
                median_days: if resolved >= 5 {
                    median_of_histogram(&o.resolved_hours).map(|h| (h / 24.0 * 10.0).round() / 10.0)
                } else {
                    None
                },
            }
        })
        .collect();
    // Counted with their conversations: by area over the view's rows, by theme over each
    // theme's (a commitment made about two themes counts for each).
    let commitments = commitments_table(locale, by_area.iter().map(|(a, m)| (*a, m.commitments)), area, &labels.areas);
    let commitments_by_theme = commitments_table(
        locale,
        by_theme.iter().map(|(t, m)| (*t, m.commitments)),
        td_string!(locale, dashboard.col_theme),
        &labels.themes,
    );
    // By the service each named; those naming none are counted with their conversation, whose
    // service is '' (a conversation with commitments is followed up, not referred).
    let mut services = labels.services.clone();
    services.push(Named { id: String::new(), name: td_string!(locale, dashboard.no_service_named).into() });
    let commitments_by_service = commitments_table(
        locale,
        rows.iter().filter(base).map(|r| (r.service.as_str(), r.m.commitments)),
        td_string!(locale, dashboard.col_service),
        &services,
    );
    // Conversations in Welsh, by area: whether Welsh is met where it is asked for.
    let mut welsh_by_area: Vec<Vec<String>> = by_area
        .iter()
        .filter(|(_, m)| m.talked > 0)
        .map(|(a, m)| {
            // A share of a hidden count would give it away.
            let share = if showable(m.talked) && (m.in_welsh == 0 || showable(m.in_welsh)) {
                percent(m.in_welsh, m.talked).map_or_else(|| "–".into(), |p| p.to_string())
            } else {
                "–".into()
            };
            vec![name_of(locale, &labels.areas, a), shown(m.talked), shown(m.in_welsh), share]
        })
        .collect();
    welsh_by_area.sort();
    let welsh_by_area = Table {
        columns: [
            area,
            td_string!(locale, dashboard.col_conversations),
            td_string!(locale, dashboard.col_in_welsh),
            td_string!(locale, dashboard.col_welsh_share),
        ]
        .map(String::from)
        .to_vec(),
        rows: welsh_by_area,
    };
    Ok(Dashboard {
        welsh_by_area,
        issues_by_theme: ranked(by_theme.iter().map(|(t, m)| (name_of(locale, &labels.themes, t), m.issues)).collect()),
        issues_by_area: ranked(by_area.iter().map(|(a, m)| (name_of(locale, &labels.areas, a), m.issues)).collect()),
        period: if period == Period::Week { "week" } else { "month" }.into(),
        issues_over_time,
        heard_over_time,
        top_themes: Table {
            columns: [
                area,
                td_string!(locale, dashboard.col_most_raised),
                td_string!(locale, dashboard.col_second),
                td_string!(locale, dashboard.col_third),
            ]
            .map(String::from)
            .to_vec(),
            rows: top_themes,
        },
        conversations_with_issues: shown(total.with_issues),
        resolved_on_the_spot: shown(total.resolved),
        referred: shown(total.referred),
        resolution_rate: percent(total.resolved, total.with_issues),
        repeats_30: shown(total.repeats_30),
        repeats_90: shown(total.repeats_90),
        referrals: Table {
            columns: [
                td_string!(locale, dashboard.col_service_or_partner),
                td_string!(locale, dashboard.col_referred),
                td_string!(locale, dashboard.col_answered),
                td_string!(locale, dashboard.col_declined),
                td_string!(locale, dashboard.col_still_waiting),
                td_string!(locale, dashboard.col_average_days),
                td_string!(locale, dashboard.col_came_back_30),
                td_string!(locale, dashboard.col_came_back_90),
                felt_heard_well(),
            ]
            .map(String::from)
            .to_vec(),
            rows: referrals,
        },
        felt_heard,
        heard_by_area: heard_table(area, &by_area, &labels.areas),
        heard_by_service: heard_table(td_string!(locale, dashboard.col_service_referred_to), &by_service, &labels.services),
        funnel,
        funnel_by_area,
        funnel_by_theme,
        influence: Table {
            columns: [
                area,
                td_string!(locale, dashboard.col_conversations),
                td_string!(locale, dashboard.col_responses),
                td_string!(locale, dashboard.col_responses_per_100),
                td_string!(locale, dashboard.col_heard_back),
            ]
            .map(String::from)
            .to_vec(),
            rows: influence,
        },
        follow_ups,
        commitments,
        commitments_by_theme,
        commitments_by_service,
        workers: if role == Role::Admin { labels.workers } else { Vec::new() },
        teams: team_names.into_iter().map(|t| Named { id: t.clone(), name: t }).collect(),
        areas: labels.areas,
        themes: labels.themes,
        problems,
        filters,
    })
}

/// The dashboard for the signed-in admin or outreach worker.
pub async fn load_dashboard(caller: &Caller, filters: Filters) -> Result<Dashboard, AppError> {
    crate::server::intelligence::build(&caller.state.db, caller.verified_user()?, filters, crate::language::page_locale()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitments_are_counted_by_area_and_side_with_the_share_kept_of_those_kept_or_not() {
        let areas = vec![Named { id: "a".into(), name: "Mill Ward".into() }, Named { id: "b".into(), name: "River Ward".into() }];
        // "We will": open, kept, not kept, not needed; then "you can". River Ward made none.
        let groups = [("a", [[1, 6, 5, 3], [0, 1, 0, 0]]), ("b", [[0; 4], [0; 4]])];
        let t = commitments_table(Locale::en, groups.into_iter(), "Area", &areas);
        assert_eq!(t.columns[0], "Area");
        assert_eq!(t.rows[0], ["Mill Ward", "We will", "15", "6", "5", "<5", "<5", "55"]);
        assert_eq!(t.rows[1], ["Mill Ward", "You can", "<5", "<5", "0", "0", "0", "–"], "too few to give a share");
        assert_eq!(t.rows.len(), 2, "an area with no commitments has no rows");
    }
}
