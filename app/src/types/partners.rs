//! Community groups in the network.

use serde::{Deserialize, Serialize};

/// Longest group name kept.
pub const GROUP_NAME_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organiser {
    pub display_name: String,
    pub email: String,
    /// Invited but has not chosen a password yet.
    pub invited: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerGroup {
    pub id: String,
    pub name: String,
    pub organisers: Vec<Organiser>,
    /// Opportunities open to volunteers now.
    pub open_opportunities: i64,
}

/// A group's request to join, waiting for an administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub id: String,
    pub group_name: String,
    pub organiser_name: String,
    pub organiser_email: String,
    pub about: String,
    /// When it was made (YYYY-MM-DD).
    pub made_on: String,
}

/// Longest "what the group does" kept.
pub const ABOUT_MAX: usize = 1000;

/// Longest reason given when declining.
pub const REASON_MAX: usize = 500;

/// What `/partners` shows: a host's partner groups, or a group's own organisers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnersView {
    Host { groups: Vec<PartnerGroup>, requests: Vec<JoinRequest> },
    Group { name: String, organisers: Vec<Organiser> },
}
