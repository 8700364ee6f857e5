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

/// A share as a whole percentage of `of`, or `None` when `of` is too small to show safely.
pub fn percent(part: i64, of: i64) -> Option<i64> {
    (of >= SUPPRESS_BELOW).then(|| ((part as f64 * 100.0) / of as f64).round() as i64)
}

/// One issue raised with a named resident: who, which theme, when (seconds since the epoch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub resident: String,
    pub theme: String,
    pub at: i64,
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

/// What a dashboard is filtered by. Dates are UK days, `YYYY-MM-DD`, both ends included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    pub from: Option<String>,
    pub to: Option<String>,
    pub area: Option<String>,
    pub theme: Option<String>,
    pub worker: Option<String>,
    /// `doorstep` or `event`.
    pub kind: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn c(resident: &str, theme: &str, day: i64) -> Contact {
        Contact { resident: resident.into(), theme: theme.into(), at: 1_800_000_000 + day * DAY }
    }

    #[test]
    fn small_counts_are_never_shown_exactly() {
        let table = [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1234")];
        for (n, s) in table {
            assert_eq!(shown(n), s, "{n}");
        }
        assert_eq!(percent(3, 4), None, "a share of fewer than 5 could identify someone");
        assert_eq!(percent(2, 8), Some(25));
        assert_eq!(percent(2, 3 * 5), Some(13));
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
        assert_eq!(repeat_contacts(&[c("mo", "damp", 0), c("mo", "damp", 25), c("mo", "damp", 50)], 30), 2, "each within 30 of the one before");
        assert_eq!(repeat_contacts(&[], 30), 0);
    }

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [7]), Some(7.0));
        assert_eq!(median(&mut [9, 1, 5]), Some(5.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }
}
