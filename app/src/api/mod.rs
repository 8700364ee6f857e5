//! Server functions: the only doors from the browser into the server. Each one authorises the
//! caller, then calls the repository and the domain rules, and returns a plain DTO.

pub mod auth;
pub mod staff;

use crate::domain::{OrganisationKind, Role};
use serde::{Deserialize, Serialize};

/// The signed-in person, as the pages need them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub organisation_name: String,
    pub organisation_kind: OrganisationKind,
}

/// A staff account as an admin sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Invited but has not yet chosen a password.
    pub invited: bool,
}

/// What an admin gets back after creating an account: the link to pass on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedInvitation {
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    /// Path of the one-time link (`/invite/<token>`), valid for [`INVITATION_DAYS`] days.
    pub path: String,
}

pub const INVITATION_DAYS: i64 = 7;

/// Shown on the set-password page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub display_name: String,
    pub email: String,
    pub organisation_name: String,
}
