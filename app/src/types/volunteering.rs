//! Opportunities, interest and profiles.

use crate::domain::matching::AgeBand;
use crate::domain::volunteering::{InterestStatus, OpportunityStatus};
use crate::types::Named;
use serde::{Deserialize, Serialize};

/// An opportunity in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityCard {
    pub id: String,
    pub title: String,
    /// The title in Welsh, '' if not written (`domain::bilingual` picks what a reader sees).
    pub title_cy: String,
    pub organisation_name: String,
    pub summary: String,
    pub summary_cy: String,
    pub place: String,
    pub areas: Vec<String>,
    pub interests: Vec<String>,
    /// "Saturday mornings", "One-off: 20 March 2027", "Any time that suits you", in the page's
    /// language (`language::matching::when`).
    pub when: String,
    pub status: OpportunityStatus,
    /// Why it fits the viewer's profile ("2 of your interests · in your area · Saturday mornings"),
    /// in the page's language.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityList {
    pub items: Vec<OpportunityCard>,
    /// Filter choices.
    pub areas: Vec<Named>,
    pub interests: Vec<Named>,
    /// The viewer has a volunteer profile.
    pub has_profile: bool,
    /// `items` are the viewer's matches, best first (else every open opportunity, newest first).
    pub ranked: bool,
}

/// The viewer's expression of interest in one opportunity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyInterest {
    pub opportunity_id: String,
    pub title: String,
    pub title_cy: String,
    pub organisation_name: String,
    pub status: InterestStatus,
    pub share_contact: bool,
    /// `YYYY-MM-DD` (UK).
    pub sent_on: String,
}

/// One opportunity in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityView {
    pub card: OpportunityCard,
    pub description: String,
    pub description_cy: String,
    pub skills: Vec<String>,
    pub regular: bool,
    pub on_date: Option<String>,
    /// Every weekly slot, in words.
    pub times: Vec<String>,
    pub hours_per_week: Option<i64>,
    pub minimum_age: i64,
    pub dbs_required: bool,
    pub capacity: Option<i64>,
    pub accessibility: String,
    pub contact: String,
    /// Signed in as a resident, who can say they are interested.
    pub resident: bool,
    /// Signed in at all (staff cannot say they are interested for themselves).
    pub signed_in: bool,
    /// Open, and not a one-off whose day has passed.
    pub takes_volunteers: bool,
    pub mine: Option<MyInterest>,
    /// The viewer's group posted it.
    pub can_manage: bool,
    /// As stored, for the edit form: interest ids, area ids, `day-part` slots, skills as text.
    pub interest_ids: Vec<String>,
    pub area_ids: Vec<String>,
    pub slots: Vec<String>,
    pub skills_text: String,
}

/// One of a group's opportunities with how its inbox stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnOpportunity {
    pub id: String,
    pub title: String,
    pub status: OpportunityStatus,
    pub new_interest: i64,
    pub all_interest: i64,
    /// New for 7 days or more.
    pub waiting: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManageList {
    pub opportunities: Vec<OwnOpportunity>,
    pub areas: Vec<Named>,
    pub interests: Vec<Named>,
    /// The poster is a community group's organiser (not the host organisation's admin).
    pub is_group: bool,
}

/// One expression of interest as the group sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxEntry {
    pub id: String,
    pub status: InterestStatus,
    /// The name and contact details, only when the resident agreed to share them.
    pub name: Option<String>,
    pub contact: Option<String>,
    pub message: String,
    /// `YYYY-MM-DD` (UK).
    pub received_on: String,
    /// New and waiting this many days (7 or more).
    pub waiting_days: Option<i64>,
    pub at_the_door: bool,
}

/// A resident who agreed to be suggested, and why they fit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub name: String,
    pub contact: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub entries: Vec<InboxEntry>,
    pub suggestions: Vec<Suggestion>,
}

/// A resident's volunteer profile with the choices to fill it in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub exists: bool,
    pub interests: Vec<String>,
    pub skills: String,
    pub areas: Vec<String>,
    pub slots: Vec<String>,
    pub age_band: Option<AgeBand>,
    pub has_dbs: bool,
    pub open_to_suggestions: bool,
    pub interest_choices: Vec<Named>,
    pub area_choices: Vec<Named>,
    /// Filled in from what the resident told an outreach worker at the door (with their
    /// volunteering consent): they should check it and save.
    pub prefilled: bool,
}

/// The limit on ranked matches shown at once.
pub const MATCHES_SHOWN: usize = 20;
