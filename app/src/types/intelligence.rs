//! The organisation's dashboard.

use crate::domain::intelligence::Filters;
use crate::types::Named;
use serde::{Deserialize, Serialize};

/// One bar of a chart and one row of its table. `value` is `None` when the count is too small
/// to show (1 to 4): it never leaves the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: Option<i64>,
    pub shown: String,
}

/// One follow-up owner's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnerRow {
    pub owner: String,
    pub open: String,
    pub overdue: String,
    pub resolved: String,
    /// Median days from conversation to resolved (only over 5 or more resolved).
    pub median_days: Option<f64>,
}

/// A table of figures: column headings, then rows whose first cell names the row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A filter that could not be used, and why: `field` is the id of its input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
    /// What was given, so the form can show it back.
    pub given: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub filters: Filters,
    /// Filters that were ignored because they could not be read.
    pub problems: Vec<Problem>,
    pub areas: Vec<Named>,
    pub themes: Vec<Named>,
    /// Empty for a worker, who sees their own figures (or their team's).
    pub workers: Vec<Named>,
    /// Teams to filter by: every team for an admin, their own for a worker in one.
    pub teams: Vec<Named>,
    pub issues_by_theme: Vec<Bar>,
    pub issues_by_area: Vec<Bar>,
    /// "week" or "month".
    pub period: String,
    pub issues_over_time: Vec<Bar>,
    /// Period, answers, felt heard (4 or 5).
    pub heard_over_time: Table,
    /// Area, then its three most raised themes.
    pub top_themes: Table,
    pub conversations_with_issues: String,
    pub resolved_on_the_spot: String,
    pub referred: String,
    /// Resolved on the spot, as a whole percentage (none when too few to show).
    pub resolution_rate: Option<i64>,
    pub repeats_30: String,
    pub repeats_90: String,
    /// Service, referred, came back within 30 and 90 days, felt heard.
    pub referrals: Table,
    pub felt_heard: Vec<Bar>,
    pub heard_by_area: Table,
    pub heard_by_service: Table,
    /// The involvement funnel over the view: talked, preferences captured, said yes, put
    /// forward for volunteering, placed.
    pub funnel: Vec<Bar>,
    pub funnel_by_area: Table,
    pub funnel_by_theme: Table,
    /// Area, conversations, consultation responses, responses per 100 conversations: the areas
    /// the organisation talks to but does not hear from come first. Empty in a worker's view.
    pub influence: Table,
    pub follow_ups: Vec<OwnerRow>,
    /// What each side agreed at the door, and how it ended, by area: the organisation's "we
    /// will" and the residents' "you can".
    pub commitments: Table,
    /// The same by each theme the conversation raised.
    pub commitments_by_theme: Table,
    /// The same by the service each commitment named ("No service named" for the rest).
    pub commitments_by_service: Table,
    /// By area: conversations where someone talked, how many of them were held in Welsh, and
    /// what share.
    pub welsh_by_area: Table,
}

/// The tables a dashboard can export, by name in the CSV's address.
pub const TABLES: [&str; 19] = [
    "themes",
    "areas",
    "over-time",
    "heard-over-time",
    "top-themes",
    "resolution",
    "referrals",
    "felt-heard",
    "heard-by-area",
    "heard-by-service",
    "funnel",
    "funnel-by-area",
    "funnel-by-theme",
    "influence",
    "follow-ups",
    "commitments",
    "commitments-by-theme",
    "commitments-by-service",
    "welsh-by-area",
];

/// The fewest members a team needs before its workers may see its figures.
pub const MIN_TEAM: usize = 3;
