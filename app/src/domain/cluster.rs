//! Clusters: many residents raising the same issue in one area within a period ("Fly-tipping,
//! Mill Ward: 14 residents in 30 days"). An admin sets how many residents make a cluster and over
//! how many days; the organisation then sees each cluster, whether it is growing or shrinking
//! against the period before, and can answer it together with the residents behind it.

use super::intelligence::SUPPRESS_BELOW;
use super::validation::FieldErrors;
use super::{Label, Msg};

/// Residents who make a cluster, unless the admin says otherwise.
pub const DEFAULT_THRESHOLD: i64 = 10;
/// Over this many days, unless the admin says otherwise.
pub const DEFAULT_WINDOW_DAYS: i64 = 30;
/// Never fewer than this: a smaller group could be told apart (the dashboard's own floor).
pub const MIN_THRESHOLD: i64 = SUPPRESS_BELOW;
pub const MAX_THRESHOLD: i64 = 10_000;
pub const MIN_WINDOW_DAYS: i64 = 7;
/// A cluster is a recent rise: at most a quarter of a year (and the quarter before). A longer
/// pattern is the dashboard's issues by area and theme, over any dates. (Counting a year and the
/// year before took 400 to 460 ms at a million conversations, twice the dashboard's budget.)
pub const MAX_WINDOW_DAYS: i64 = 90;

/// What makes a cluster: at least `threshold` residents within `window_days` days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub threshold: i64,
    pub window_days: i64,
}

impl Default for Rule {
    fn default() -> Self {
        Rule { threshold: DEFAULT_THRESHOLD, window_days: DEFAULT_WINDOW_DAYS }
    }
}

impl Rule {
    /// Reads the admin's form: whole numbers within bounds, each problem named by its field.
    pub fn parse(threshold: &str, window_days: &str) -> Result<Rule, FieldErrors> {
        let mut e = FieldErrors::new();
        let number = |raw: &str, field: &str, min: i64, max: i64, what: Label, e: &mut FieldErrors| match raw.trim().parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                e.add(field, Msg::EnterNumberFromTo { what, min, max });
                0
            }
        };
        let threshold = number(threshold, "threshold", MIN_THRESHOLD, MAX_THRESHOLD, Label::ClusterThreshold, &mut e);
        let window_days = number(window_days, "window_days", MIN_WINDOW_DAYS, MAX_WINDOW_DAYS, Label::ClusterDays, &mut e);
        e.into_result().map(|_| Rule { threshold, window_days })
    }

    /// The days (since 1970, UK) a cluster is counted over, ending with `today`: (first, last).
    pub fn window(&self, today: i64) -> (i64, i64) {
        (today - self.window_days + 1, today)
    }

    /// The same number of days just before [`Rule::window`], to compare with.
    pub fn previous_window(&self, today: i64) -> (i64, i64) {
        let (first, _) = self.window(today);
        (first - self.window_days, first - 1)
    }
}

/// How many residents raised one theme in one area: in the window, and in the window before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub area_id: String,
    pub theme_id: String,
    pub residents: i64,
    pub before: i64,
}

/// Whether a cluster is growing or shrinking against the period before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    /// Nobody raised it in the period before.
    New,
    Growing,
    Steady,
    Shrinking,
}

impl Trend {
    pub fn of(now: i64, before: i64) -> Trend {
        match (before, now.cmp(&before)) {
            (0, _) => Trend::New,
            (_, std::cmp::Ordering::Greater) => Trend::Growing,
            (_, std::cmp::Ordering::Equal) => Trend::Steady,
            (_, std::cmp::Ordering::Less) => Trend::Shrinking,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Trend::New => "New",
            Trend::Growing => "Growing",
            Trend::Steady => "Steady",
            Trend::Shrinking => "Shrinking",
        }
    }
}

/// The tallies that make clusters under `rule`, largest first (then by area and theme id).
/// Never one of fewer than [`MIN_THRESHOLD`] residents, whatever the rule says.
pub fn clusters(tallies: &[Tally], rule: &Rule) -> Vec<Tally> {
    let floor = rule.threshold.max(MIN_THRESHOLD);
    let mut found: Vec<Tally> = tallies.iter().filter(|t| t.residents >= floor).cloned().collect();
    found.sort_by(|a, b| b.residents.cmp(&a.residents).then_with(|| (&a.area_id, &a.theme_id).cmp(&(&b.area_id, &b.theme_id))));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(area: &str, theme: &str, residents: i64, before: i64) -> Tally {
        Tally { area_id: area.into(), theme_id: theme.into(), residents, before }
    }

    #[test]
    fn a_cluster_is_one_theme_in_one_area_at_or_above_the_threshold_largest_first() {
        let tallies = [
            tally("mill", "fly-tipping", 14, 6),
            tally("mill", "damp", 9, 0),
            tally("river", "fly-tipping", 10, 12),
            tally("castle", "noise", 30, 30),
        ];
        let rule = Rule { threshold: 10, window_days: 30 };
        let ids: Vec<String> = clusters(&tallies, &rule).iter().map(|t| format!("{}/{}", t.area_id, t.theme_id)).collect();
        assert_eq!(ids, ["castle/noise", "mill/fly-tipping", "river/fly-tipping"], "9 is under the threshold; 10 is at it");
        let lower = Rule { threshold: 9, ..rule };
        assert_eq!(clusters(&tallies, &lower).len(), 4);
    }

    #[test]
    fn small_numbers_never_make_a_cluster_whatever_the_rule() {
        let tallies = [tally("mill", "damp", 4, 0), tally("mill", "noise", 5, 0)];
        let rule = Rule { threshold: 1, window_days: 30 };
        let found = clusters(&tallies, &rule);
        assert_eq!(found.iter().map(|t| t.theme_id.as_str()).collect::<Vec<_>>(), ["noise"]);
        assert!(Rule::parse("4", "30").is_err(), "the form refuses a threshold under five");
    }

    #[test]
    fn the_rule_is_whole_numbers_within_bounds_each_problem_named() {
        assert_eq!(Rule::parse(" 12 ", "30"), Ok(Rule { threshold: 12, window_days: 30 }));
        let fields = |t: &str, w: &str| Rule::parse(t, w).unwrap_err().iter().map(|e| e.field.clone()).collect::<Vec<_>>();
        assert_eq!(fields("ten", "30"), ["threshold"]);
        assert_eq!(fields("10", "6"), ["window_days"]);
        assert_eq!(fields("10001", "91"), ["threshold", "window_days"]);
        assert_eq!(Rule::parse("5", "90").map(|r| r.window_days), Ok(90));
        assert_eq!(fields("", "2.5"), ["threshold", "window_days"]);
        assert_eq!(Rule::default(), Rule { threshold: DEFAULT_THRESHOLD, window_days: DEFAULT_WINDOW_DAYS });
    }

    #[test]
    fn the_window_ends_today_and_the_one_before_is_as_long() {
        let rule = Rule { threshold: 10, window_days: 30 };
        assert_eq!(rule.window(20_000), (19_971, 20_000));
        assert_eq!(rule.previous_window(20_000), (19_941, 19_970));
    }

    #[test]
    fn growing_or_shrinking_against_the_period_before() {
        assert_eq!(Trend::of(14, 0), Trend::New);
        assert_eq!(Trend::of(14, 6), Trend::Growing);
        assert_eq!(Trend::of(6, 14), Trend::Shrinking);
        assert_eq!(Trend::of(6, 6), Trend::Steady);
    }
}
