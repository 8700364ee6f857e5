//! What the organisation learns from the front line: the definitions of its measures, as pure
//! functions. The database computes the same measures over millions of rows with SQL; the
//! integration tests hold the SQL to these definitions on shared fixtures.

use serde::{Deserialize, Serialize};

/// Counts from 1 to this minus one are shown as "<5": a filtered view must not let anyone
/// pick out an individual.
pub const SUPPRESS_BELOW: i64 = 5;

/// A count as shown on a dashboard or in a CSV: "<5" for 1 to 4.
pub fn shown(count: i64) -> String {
    if count > 0 && count < SUPPRESS_BELOW {
        format!("<{SUPPRESS_BELOW}")
    } else {
        count.to_string()
    }
}

/// Whether a count may be shown exactly: none, or at least [`SUPPRESS_BELOW`].
pub fn showable(count: i64) -> bool {
    count == 0 || count >= SUPPRESS_BELOW
}

/// A share as a whole percentage of `of`, or `None` when it would give away a small count: `of`
/// under 5, or a part (or the rest) from 1 to 4 ("20% of 5" is one person).
pub fn percent(part: i64, of: i64) -> Option<i64> {
    (of >= SUPPRESS_BELOW && showable(part) && showable(of - part)).then(|| ((part as f64 * 100.0) / of as f64).round() as i64)
}

/// One issue raised with a named resident: who, which theme, when (seconds since the epoch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub resident: String,
    pub theme: String,
    pub at: i64,
    /// How it happened. Not part of the rule: a call after a visit to the door is a repeat.
    pub channel: super::outreach::InteractionKind,
}

/// Repeat contacts: each contact that comes within `window_days` after an earlier contact with
/// the same resident about the same theme counts once. Two contacts about damp 10 days apart
/// make one repeat; three within a fortnight make two; two 40 days apart make none at 30 days.
pub fn repeat_contacts(contacts: &[Contact], window_days: i64) -> i64 {
    let window = window_days * 86_400;
    let mut sorted: Vec<&Contact> = contacts.iter().collect();
    sorted.sort_by(|a, b| (&a.resident, &a.theme, a.at).cmp(&(&b.resident, &b.theme, b.at)));
    sorted.windows(2).filter(|w| w[0].resident == w[1].resident && w[0].theme == w[1].theme && w[1].at - w[0].at <= window).count() as i64
}

/// The middle value (the mean of the two middle ones for an even count), or `None` for none.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] as f64 } else { (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0 })
}

/// The middle value of a histogram of (value, how many), as [`median`] would give over the
/// values written out one by one.
pub fn median_of_histogram(histogram: &[(i64, i64)]) -> Option<f64> {
    let mut sorted: Vec<(i64, i64)> = histogram.iter().copied().filter(|&(_, n)| n > 0).collect();
    sorted.sort_unstable();
    let total: i64 = sorted.iter().map(|&(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The value at 0-based position `k` in the written-out list.
    let at = |k: i64| {
        let mut seen = 0;
        for &(value, n) in &sorted {
            seen += n;
            if k < seen {
                return value;
            }
        }
        unreachable!("k is below the total")
    };
    Some(if total % 2 == 1 { at(total / 2) as f64 } else { (at(total / 2 - 1) + at(total / 2)) as f64 / 2.0 })
}

/// How a date range is read from the counts kept per day and per month: whole calendar months
/// from the month counts (a few rows each), the days at either end from the day counts.
/// Days are days since 1970-01-01; every range is half-open, `[start, end)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangePlan {
    /// First days of the whole months in the range: `[first, end)`.
    pub months: Option<(i64, i64)>,
    /// Days outside those months.
    pub days: Vec<(i64, i64)>,
}

/// Splits `[from, to]` (both ends included; `None` = no limit) into whole months and days.
pub fn plan_range(from: Option<i64>, to: Option<i64>) -> RangePlan {
    use super::calendar::{civil_from_days, days_from_civil, month_start};
    let next_month = |day: i64| {
        let (y, m, _) = civil_from_days(day);
        if m == 12 {
            days_from_civil(y + 1, 1, 1)
        } else {
            days_from_civil(y, m + 1, 1)
        }
    };
    // The whole months lie in [first, end).
    let first = from.map(|f| if month_start(f) == f { f } else { next_month(f) });
    let end = to.map(|t| month_start(t + 1));
    match (first, end) {
        (Some(a), Some(b)) if a >= b => RangePlan {
            months: None,
            days: vec![(from.unwrap_or(a), to.map(|t| t + 1).unwrap_or(b))].into_iter().filter(|(x, y)| x < y).collect(),
        },
        _ => {
            let mut days = Vec::new();
            if let (Some(f), Some(a)) = (from, first) {
                if f < a {
                    days.push((f, a));
                }
            }
            if let (Some(t), Some(b)) = (to, end) {
                if b < t + 1 {
                    days.push((b, t + 1));
                }
            }
            RangePlan { months: Some((first.unwrap_or(i64::MIN / 4), end.unwrap_or(i64::MAX / 4))), days }
        }
    }
}

/// What a dashboard is filtered by. Dates are UK days, `YYYY-MM-DD`, both ends included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    pub from: Option<String>,
    pub to: Option<String>,
    pub area: Option<String>,
    pub theme: Option<String>,
    pub worker: Option<String>,
    /// A channel, as `outreach::InteractionKind::as_str` names it (`doorstep`, `phone`, ...).
    pub kind: Option<String>,
    /// A team's name: its members' conversations together.
    #[serde(default)]
    pub team: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::outreach::InteractionKind;

    const DAY: i64 = 86_400;

    fn c(resident: &str, theme: &str, day: i64) -> Contact {
        Contact { resident: resident.into(), theme: theme.into(), at: 1_800_000_000 + day * DAY, channel: InteractionKind::Doorstep }
    }

    #[test]
    fn small_counts_are_never_shown_exactly() {
        let table = [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1234")];
        for (n, s) in table {
            assert_eq!(shown(n), s, "{n}");
        }
        assert_eq!(percent(3, 4), None, "a share of fewer than 5 could identify someone");
        assert_eq!(percent(2, 8), None, "2 of 8 is a small count");
        assert_eq!(percent(6, 8), None, "and so is the 2 left over");
        assert_eq!(percent(5, 10), Some(50));
        assert_eq!(percent(0, 7), Some(0));
        assert_eq!(percent(7, 7), Some(100));
        assert_eq!(percent(5, 3 * 5), Some(33));
    }

    #[test]
    fn a_repeat_counts_across_channels() {
        let by = |channel, day| Contact { channel, ..c("mo", "damp", day) };
        let visit_then_call = [by(InteractionKind::Doorstep, 0), by(InteractionKind::Phone, 3), by(InteractionKind::Counter, 9)];
        assert_eq!(repeat_contacts(&visit_then_call, 30), 2, "the call and the visit to the counter both repeat the knock");
        assert_eq!(repeat_contacts(&[by(InteractionKind::Online, 0), by(InteractionKind::HomeVisit, 45)], 30), 0, "the window still holds");
    }

    #[test]
    fn a_resident_contacted_twice_about_a_theme_within_the_window_is_one_repeat() {
        assert_eq!(repeat_contacts(&[c("mo", "damp", 0), c("mo", "damp", 10)], 30), 1);
        assert_eq!(repeat_contacts(&[c("mo", "damp", 0), c("mo", "damp", 40)], 30), 0, "40 days apart");
        assert_eq!(repeat_contacts(&[c("mo", "damp", 0), c("mo", "damp", 40)], 90), 1, "but within 90");
        assert_eq!(repeat_contacts(&[c("mo", "damp", 0), c("mo", "damp", 30)], 30), 1, "the 30th day is within 30 days");
        assert_eq!(repeat_contacts(&[c("mo", "damp", 0), c("mo", "bins", 3)], 30), 0, "another theme");
        assert_eq!(repeat_contacts(&[c("mo", "damp", 0), c("jo", "damp", 3)], 30), 0, "another resident");
        assert_eq!(repeat_contacts(&[c("mo", "damp", 14), c("mo", "damp", 0), c("mo", "damp", 7)], 30), 2, "order does not matter");
        assert_eq!(
            repeat_contacts(&[c("mo", "damp", 0), c("mo", "damp", 25), c("mo", "damp", 50)], 30),
            2,
            "each within 30 of the one before"
        );
        assert_eq!(repeat_contacts(&[], 30), 0);
    }

    #[test]
    fn a_histogram_has_the_median_of_its_values_written_out() {
        assert_eq!(median_of_histogram(&[]), None);
        assert_eq!(median_of_histogram(&[(3, 0)]), None);
        let cases: [&[(i64, i64)]; 5] =
            [&[(7, 1)], &[(1, 2), (9, 1)], &[(4, 1), (1, 1), (3, 1), (2, 1)], &[(5, 3), (2, 3)], &[(10, 4), (0, 1), (20, 2)]];
        for histogram in cases {
            let mut values: Vec<i64> = histogram.iter().flat_map(|&(v, n)| std::iter::repeat_n(v, n as usize)).collect();
            assert_eq!(median_of_histogram(histogram), median(&mut values), "{histogram:?}");
        }
    }

    fn day(date: &str) -> i64 {
        crate::domain::calendar::parse_date(date).unwrap()
    }

    /// Every day in `[from, to]` is read exactly once, whole months from the month counts.
    fn covered(plan: &RangePlan, from: i64, to: i64) -> bool {
        (from..=to).all(|d| {
            let in_months = plan.months.is_some_and(|(a, b)| (a..b).contains(&d));
            let in_days = plan.days.iter().filter(|(a, b)| (*a..*b).contains(&d)).count();
            usize::from(in_months) + in_days == 1
        }) && plan.months.is_none_or(|(a, b)| {
            a == crate::domain::calendar::month_start(a) && (b > i64::MAX / 8 || b == crate::domain::calendar::month_start(b))
        })
    }

    #[test]
    fn a_date_range_reads_whole_months_and_the_days_either_side() {
        let p = plan_range(Some(day("2026-01-15")), Some(day("2026-04-10")));
        assert_eq!(p.months, Some((day("2026-02-01"), day("2026-04-01"))));
        assert_eq!(p.days, vec![(day("2026-01-15"), day("2026-02-01")), (day("2026-04-01"), day("2026-04-11"))]);
        let whole = plan_range(Some(day("2026-02-01")), Some(day("2026-02-28")));
        assert_eq!(whole, RangePlan { months: Some((day("2026-02-01"), day("2026-03-01"))), days: vec![] });
        let inside = plan_range(Some(day("2026-03-03")), Some(day("2026-03-09")));
        assert_eq!(inside, RangePlan { months: None, days: vec![(day("2026-03-03"), day("2026-03-10"))] });
        let open = plan_range(None, None);
        assert!(open.days.is_empty() && open.months.is_some());
        let since = plan_range(Some(day("2026-03-03")), None);
        assert_eq!(since.days, vec![(day("2026-03-03"), day("2026-04-01"))]);
        assert_eq!(since.months.unwrap().0, day("2026-04-01"));
        let until = plan_range(None, Some(day("2026-03-03")));
        assert_eq!(until.days, vec![(day("2026-03-01"), day("2026-03-04"))]);
        assert_eq!(
            plan_range(Some(day("2026-03-09")), Some(day("2026-03-03"))).days,
            vec![],
            "a range that ends before it starts is empty"
        );
        let (start, end) = (day("2025-11-20"), day("2026-03-10"));
        for from in (start..end).step_by(3) {
            for to in (from..end).step_by(11) {
                assert!(covered(&plan_range(Some(from), Some(to)), from, to), "{from}..={to}");
            }
        }
    }

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [7]), Some(7.0));
        assert_eq!(median(&mut [9, 1, 5]), Some(5.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }
}
