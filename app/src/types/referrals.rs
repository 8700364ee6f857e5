//! Referrals as their owner (on the tablet), the partner organisation and the resident's
//! timeline see them.

use crate::domain::referral::{ReferralStatus, Step};
use serde::{Deserialize, Serialize};

/// One referral and everything that happened to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralView {
    pub id: String,
    /// The conversation it was made in.
    pub interaction_id: String,
    /// The service or partner organisation it went to.
    pub to_name: String,
    /// Whether it went to a partner organisation (which answers for itself).
    pub to_partner: bool,
    /// The organisation that made it.
    pub from_name: String,
    pub status: ReferralStatus,
    pub issues: Vec<String>,
    pub asked: String,
    /// The answer, or why it was declined.
    pub answer: String,
    pub sent_at: i64,
    /// The member of staff who made it and chases it.
    pub owner_name: String,
    pub area_name: String,
    /// The resident: always for the organisation's staff; for a partner only while the resident
    /// agrees to their details being shared with a service they are referred to.
    pub resident_name: Option<String>,
    pub resident_contact: Option<String>,
    /// The resident's record, for the organisation's own staff only (so a tablet can forget
    /// them when they are erased).
    pub resident_id: Option<String>,
    pub steps: Vec<StepView>,
}

/// One step in a referral's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub step: Step,
    pub note: String,
    /// Who took it.
    pub by: String,
    pub at: i64,
}

/// What a partner organisation's page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralsToGroup {
    pub organisation_name: String,
    /// Waiting for the group first, then the rest, newest first.
    pub referrals: Vec<ReferralView>,
}
