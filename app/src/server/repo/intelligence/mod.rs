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
//! before any dashboard reads them and every few seconds in the background ([`refresh_dirty`]).
//! Each
//! issue raised keeps whether it repeated an earlier contact by the same resident about the same
//! theme within 30 and 90 days, and whether the resident came back about it; a conversation that
//! arrives late (a tablet offline for a week) updates its neighbours and their days too.
//!
//! The measures are defined in `domain::intelligence`; the integration tests hold these
//! queries to those definitions on SQLite and PostgreSQL alike.

mod counts;
mod queries;
pub use counts::*;
pub use queries::*;

const DAY: i64 = 86_400;

/// The measures, in the order of the table's columns.
pub const MEASURES: [&str; 32] = [
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
    "in_welsh",
    "we_open",
    "we_kept",
    "we_not_kept",
    "we_not_needed",
    "you_open",
    "you_kept",
    "you_not_kept",
    "you_not_needed",
    "referrals_answered",
    "referrals_declined",
    "referrals_waiting",
    "referral_days",
];

/// Every row of an organisation's counts in a fixed order, each as text: what the dashboard
/// reads, for comparing the counts kept as conversations arrive with a rebuild from scratch
/// ([`rebuild_organisation`]) in tests and benchmarks.
pub async fn every_count(db: &crate::server::Db, org: &str) -> sqlx::Result<Vec<Vec<String>>> {
    use sqlx::Row;
    let sql = format!(
        "SELECT worker_id, grain, day, area_id, kind, theme_id, service_id, {} FROM intelligence_counts \
         WHERE organisation_id = $1 ORDER BY worker_id, grain, day, area_id, kind, theme_id, service_id",
        MEASURES.join(", ")
    );
    let rows = sqlx::query(&sql).bind(org).fetch_all(db).await?;
    rows.iter()
        .map(|r| {
            let mut v: Vec<String> = [0, 3, 4, 5, 6].iter().map(|&i| r.try_get::<String, _>(i)).collect::<sqlx::Result<_>>()?;
            for i in (1..3).chain(7..7 + MEASURES.len()) {
                v.push(r.try_get::<i64, _>(i)?.to_string());
            }
            Ok(v)
        })
        .collect()
}

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
    /// Conversations held in Welsh (as the worker recorded it; where someone talked).
    pub in_welsh: i64,
    /// Commitments made in these conversations: "we will…" then "you can…", each open, kept,
    /// not kept and not needed (`domain::commitment`).
    pub commitments: [[i64; 4]; 2],
    /// What became of the referrals these conversations made, to a service or partner:
    /// answered, declined, still waiting (sent or accepted), and the whole days the answered
    /// ones waited, added up (`domain::referral::days_to_answer`).
    pub referrals: [i64; 4],
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
            in_welsh: v[19],
            commitments: [[v[20], v[21], v[22], v[23]], [v[24], v[25], v[26], v[27]]],
            referrals: [v[28], v[29], v[30], v[31]],
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
        self.in_welsh += o.in_welsh;
        for (side, other) in self.commitments.iter_mut().zip(o.commitments) {
            for (a, b) in side.iter_mut().zip(other) {
                *a += b;
            }
        }
        for (a, b) in self.referrals.iter_mut().zip(o.referrals) {
            *a += b;
        }
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
    /// These workers' together (one worker; none means nothing).
    Workers(Vec<String>),
    /// A team's: its own rows of counts (see [`team_key`]), and its members' follow-ups.
    Team { name: String, members: Vec<String> },
}
