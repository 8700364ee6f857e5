//! The dashboard's tables and their words: rows, names, periods, filters read, and each table
//! as CSV.

use super::*;

pub(super) fn bar(label: String, n: i64) -> Bar {
    Bar { label, value: (n == 0 || n >= 5).then_some(n), shown: shown(n) }
}

/// A count to sort by that keeps small counts hidden: 1 to 4 sort as one.
pub(super) fn sort_key(n: i64) -> i64 {
    if showable(n) {
        n
    } else {
        1
    }
}

/// Bars largest first (then by name).
pub(super) fn ranked(mut rows: Vec<(String, i64)>) -> Vec<Bar> {
    rows.sort_by(|a, b| sort_key(b.1).cmp(&sort_key(a.1)).then_with(|| a.0.cmp(&b.0)));
    rows.into_iter().map(|(label, n)| bar(label, n)).collect()
}

/// Commitments by area (or theme) and side: made, kept, not kept, not needed, still open, and
/// the share kept of those that were kept or not (small numbers suppressed). `groups` gives
/// each area's commitments, "we will" then "you can", each open, kept, not kept, not needed.
pub(super) fn commitments_table<'a>(
    locale: Locale,
    groups: impl Iterator<Item = (&'a str, [[i64; 4]; 2])>,
    dimension: &str,
    names: &[Named],
) -> Table {
    use crate::domain::commitment::Side;
    let mut by: BTreeMap<(String, &'static str), [i64; 4]> = BTreeMap::new();
    for (id, sides) in groups {
        for (side, counts) in [Side::We, Side::You].into_iter().zip(sides) {
            if counts.iter().sum::<i64>() > 0 {
                let row = by.entry((name_of(locale, names, id), side.name(locale))).or_default();
                for (a, b) in row.iter_mut().zip(counts) {
                    *a += b;
                }
            }
        }
    }
    Table {
        columns: [
            dimension,
            td_string!(locale, dashboard.col_side),
            td_string!(locale, dashboard.col_made),
            td_string!(locale, dashboard.col_kept),
            td_string!(locale, dashboard.col_not_kept),
            td_string!(locale, dashboard.col_not_needed),
            td_string!(locale, dashboard.col_still_open),
            td_string!(locale, dashboard.col_kept_share),
        ]
        .map(String::from)
        .to_vec(),
        rows: by
            .into_iter()
            .map(|((area, side), [open, kept, not_kept, not_needed])| {
                let settled = kept + not_kept;
                let share =
                    if showable(settled) { percent(kept, settled).map_or_else(|| "–".into(), |p| p.to_string()) } else { "–".into() };
                vec![
                    area,
                    side.to_string(),
                    shown(open + kept + not_kept + not_needed),
                    shown(kept),
                    shown(not_kept),
                    shown(not_needed),
                    shown(open),
                    share,
                ]
            })
            .collect(),
    }
}

pub(super) fn name_of(locale: Locale, list: &[Named], id: &str) -> String {
    list.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_else(|| td_string!(locale, dashboard.removed).into())
}

/// "84%" of those who answered 4 or 5, or "–" when too few answered to show.
pub(super) fn heard_well(m: &Measures) -> String {
    percent(m.heard[3] + m.heard[4], m.answered()).map(|p| format!("{p}%")).unwrap_or_else(|| "–".into())
}

/// The mean answer, shown only when every answer's count could be shown itself (an average
/// of 5 answers of 4.8 says exactly one said 4).
pub(super) fn average_heard(m: &Measures) -> String {
    let answered = m.answered();
    if answered < crate::domain::intelligence::SUPPRESS_BELOW || !m.heard.iter().all(|&n| showable(n)) {
        return "–".into();
    }
    let total: i64 = m.heard.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
    format!("{:.1}", total as f64 / answered as f64)
}

pub(super) fn period_label(locale: Locale, period: Period, day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    let month = crate::language::names::month_name(locale, m as usize).unwrap_or_default();
    match period {
        Period::Month => format!("{month} {y}"),
        Period::Week => td_string!(locale, dashboard.week_of, date = format!("{d} {month} {y}")).to_string(),
    }
}

/// Reads the filters: blanks are no filter; a date that is not a date is reported and ignored.
pub(super) fn checked(locale: Locale, mut filters: Filters) -> (Filters, Vec<Problem>) {
    for f in [
        &mut filters.from,
        &mut filters.to,
        &mut filters.area,
        &mut filters.theme,
        &mut filters.worker,
        &mut filters.kind,
        &mut filters.team,
    ] {
        if f.as_deref().is_some_and(|s| s.trim().is_empty()) {
            *f = None;
        } else if let Some(v) = f {
            *v = v.trim().to_string();
        }
    }
    let mut problems = Vec::new();
    for (field, value, message) in [
        ("from", &mut filters.from, td_string!(locale, dashboard.start_date_not_a_date)),
        ("to", &mut filters.to, td_string!(locale, dashboard.end_date_not_a_date)),
    ] {
        if let Some(given) = value.take_if(|d| parse_date(d).is_none()) {
            problems.push(Problem { field: field.into(), message: message.into(), given });
        }
    }
    if let (Some(a), Some(b)) = (filters.from.as_deref().and_then(parse_date), filters.to.as_deref().and_then(parse_date)) {
        if b < a {
            let given = filters.to.clone().unwrap_or_default();
            problems.push(Problem { field: "to".into(), message: td_string!(locale, dashboard.end_before_start).into(), given });
        }
    }
    if filters.kind.as_deref().is_some_and(|k| crate::domain::outreach::InteractionKind::parse(k).is_none()) {
        filters.kind = None;
    }
    (filters, problems)
}

/// The involvement funnel's steps, in order.
pub(super) fn funnel_steps(locale: Locale) -> [&'static str; 5] {
    [
        td_string!(locale, dashboard.step_talked),
        td_string!(locale, dashboard.step_shared),
        td_string!(locale, dashboard.step_said_yes),
        td_string!(locale, dashboard.step_put_forward),
        td_string!(locale, dashboard.step_placed),
    ]
}

/// One table of the dashboard as CSV rows (heading first), its headings in `locale`.
pub fn table(locale: Locale, d: &Dashboard, name: &str) -> Option<Vec<Vec<String>>> {
    let counts = |heading: &str, bars: &[Bar]| {
        std::iter::once(vec![heading.to_string(), td_string!(locale, dashboard.csv_count).to_string()])
            .chain(bars.iter().map(|b| vec![b.label.clone(), b.shown.clone()]))
            .collect()
    };
    let rows = |t: &Table| std::iter::once(t.columns.clone()).chain(t.rows.iter().cloned()).collect();
    Some(match name {
        "themes" => counts(td_string!(locale, dashboard.col_theme), &d.issues_by_theme),
        "areas" => counts(td_string!(locale, dashboard.col_area), &d.issues_by_area),
        "over-time" => counts(
            if d.period == "week" { td_string!(locale, dashboard.col_week) } else { td_string!(locale, dashboard.col_month) },
            &d.issues_over_time,
        ),
        "heard-over-time" => rows(&d.heard_over_time),
        "top-themes" => rows(&d.top_themes),
        "referrals" => rows(&d.referrals),
        "felt-heard" => counts(td_string!(locale, dashboard.col_felt_heard), &d.felt_heard),
        "heard-by-area" => rows(&d.heard_by_area),
        "heard-by-service" => rows(&d.heard_by_service),
        "influence" => rows(&d.influence),
        "funnel" => counts(td_string!(locale, dashboard.col_step), &d.funnel),
        "funnel-by-area" => rows(&d.funnel_by_area),
        "funnel-by-theme" => rows(&d.funnel_by_theme),
        "commitments" => rows(&d.commitments),
        "commitments-by-theme" => rows(&d.commitments_by_theme),
        "commitments-by-service" => rows(&d.commitments_by_service),
        "welsh-by-area" => rows(&d.welsh_by_area),
        "follow-ups" => std::iter::once(
            [
                td_string!(locale, intelligence.col_owner),
                td_string!(locale, intelligence.col_open),
                td_string!(locale, intelligence.col_overdue),
                td_string!(locale, intelligence.col_resolved),
                td_string!(locale, intelligence.col_median_days),
            ]
            .map(String::from)
            .to_vec(),
        )
        .chain(d.follow_ups.iter().map(|o| {
            vec![
                o.owner.clone(),
                o.open.clone(),
                o.overdue.clone(),
                o.resolved.clone(),
                o.median_days.map(|m| m.to_string()).unwrap_or_default(),
            ]
        }))
        .collect(),
        "resolution" => vec![
            vec![td_string!(locale, dashboard.csv_measure).into(), td_string!(locale, dashboard.csv_value).into()],
            vec![td_string!(locale, intelligence.with_issues).into(), d.conversations_with_issues.clone()],
            vec![td_string!(locale, intelligence.resolved_on_the_spot).into(), d.resolved_on_the_spot.clone()],
            vec![
                td_string!(locale, dashboard.csv_first_contact_rate).into(),
                d.resolution_rate.map(|r| r.to_string()).unwrap_or_else(|| td_string!(locale, dashboard.csv_hidden).into()),
            ],
            vec![td_string!(locale, intelligence.referred).into(), d.referred.clone()],
            vec![td_string!(locale, intelligence.repeats_30).into(), d.repeats_30.clone()],
            vec![td_string!(locale, intelligence.repeats_90).into(), d.repeats_90.clone()],
        ],
        _ => return None,
    })
}
