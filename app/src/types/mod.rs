//! Wire types: what crosses between the browser and the server (DTOs), shared by server
//! functions, services, repositories and pages. Depends on `domain` and serde only.

pub mod account;
pub mod community;
pub mod consultations;
pub mod email;
pub mod guidance;
pub mod intelligence;
pub mod invitations;
pub mod mail;
pub mod outreach;
pub mod participation;
pub mod partners;
pub mod password_reset;
pub mod people;
pub mod privacy;
pub mod referrals;
pub mod register;
pub mod staff;
pub mod volunteering;

use crate::domain::{OrganisationKind, Role};
use serde::{Deserialize, Serialize};

/// The signed-in person, as the pages need them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// An admin has let this outreach worker run consultations.
    pub consultation_rights: bool,
    pub organisation_name: String,
    pub organisation_kind: OrganisationKind,
    /// An administrator who must set up (or sign in with) two-step verification before using
    /// the administrator's pages.
    #[serde(default)]
    pub second_factor_needed: bool,
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
    /// An admin has let this outreach worker run consultations.
    pub consultation_rights: bool,
    /// The team they work in ("" for none).
    pub team: String,
}

/// What an admin gets back after creating an account: the link to pass on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedInvitation {
    pub display_name: String,
    /// Where the one-time link (valid for [`INVITATION_DAYS`] days) was emailed.
    pub email: String,
}

pub const INVITATION_DAYS: i64 = 7;

/// Shown on the set-password page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub display_name: String,
    pub email: String,
    pub organisation_name: String,
}

/// One entry of an organisation's list (area, theme, service, interest, colleague).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// The organisation's lists, as a worker's tablet caches them for offline use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceData {
    pub areas: Vec<Named>,
    pub themes: Vec<Named>,
    pub services: Vec<Named>,
    /// Partner organisations (community groups in the organisation's network) that can be sent
    /// a referral. (A list cached by an older app has none.)
    #[serde(default)]
    pub partners: Vec<Named>,
    pub interests: Vec<Named>,
    /// Staff who can own a follow-up.
    pub colleagues: Vec<Named>,
    /// Recent and upcoming events, so contacts can be recorded against them.
    pub events: Vec<Named>,
    /// Consultations open now, with their questions, so a resident can answer at the door.
    /// (Empty in the server's own copy used to check sync batches.)
    #[serde(default)]
    pub consultations: Vec<OpenConsultation>,
    /// Open volunteering opportunities in the organisation's network, to match at the door.
    /// (Empty in the server's own copy.)
    #[serde(default)]
    pub opportunities: Vec<CachedOpportunity>,
    /// "What you can do" for each theme that has some, read out at the door.
    #[serde(default)]
    pub guidance: Vec<crate::domain::guidance::Guidance>,
}

/// An open opportunity as a tablet caches it: what matching needs, and what the worker reads
/// out to the resident.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedOpportunity {
    pub id: String,
    pub title: String,
    /// The title in Welsh, '' if not written (cached before it was kept: '').
    #[serde(default)]
    pub title_cy: String,
    pub organisation_name: String,
    pub interests: Vec<String>,
    pub skills: Vec<String>,
    pub areas: Vec<String>,
    /// Weekly slots as bits (see `domain::matching::Week`); 0: any time.
    pub times: u32,
    /// "Saturday mornings", "One-off: 20 March 2027", in the language of the worker who fetched
    /// it: kept for tablets running the version before `on_date`, which show it as it is.
    pub when: String,
    /// A one-off's day (`YYYY-MM-DD`); the tablet says when in its own language from this and
    /// `times`.
    #[serde(default)]
    pub on_date: Option<String>,
    pub minimum_age: u8,
    pub dbs_required: bool,
}

impl CachedOpportunity {
    pub fn for_matching(&self) -> crate::domain::matching::Opportunity {
        crate::domain::matching::Opportunity {
            id: self.id.clone(),
            interests: self.interests.clone(),
            skills: self.skills.clone(),
            areas: self.areas.clone(),
            times: crate::domain::matching::Week(self.times),
            minimum_age: self.minimum_age,
            dbs_required: self.dbs_required,
            open: true,
        }
    }
}

/// An open consultation as a tablet caches it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenConsultation {
    pub id: String,
    pub title: String,
    /// The title in Welsh, '' if not written (cached before it was kept: ''); its questions
    /// carry their own Welsh.
    #[serde(default)]
    pub title_cy: String,
    pub questions: Vec<crate::domain::consultation::Question>,
    pub areas: Vec<Named>,
}

impl crate::domain::outreach::Reference for ReferenceData {
    fn has_area(&self, id: &str) -> bool {
        self.areas.iter().any(|n| n.id == id)
    }
    fn has_theme(&self, id: &str) -> bool {
        self.themes.iter().any(|n| n.id == id)
    }
    fn has_service(&self, id: &str) -> bool {
        self.services.iter().any(|n| n.id == id)
    }
    fn has_interest(&self, id: &str) -> bool {
        self.interests.iter().any(|n| n.id == id)
    }
    fn has_partner(&self, id: &str) -> bool {
        self.partners.iter().any(|n| n.id == id)
    }
    fn has_colleague(&self, id: &str) -> bool {
        self.colleagues.iter().any(|n| n.id == id)
    }
}

/// A follow-up as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpView {
    pub id: String,
    pub owner_id: String,
    pub owner_name: String,
    pub due_on: String,
    pub status: String,
    pub version: i64,
    pub resolution_note: String,
    pub area_name: String,
    pub address: String,
    pub issues: Vec<String>,
    pub notes: String,
    pub resident_name: Option<String>,
    pub resident_id: Option<String>,
    pub occurred_at: i64,
    /// What each side agreed to do. (A list cached by an older app has none.)
    #[serde(default)]
    pub commitments: Vec<CommitmentView>,
}

/// A commitment as its follow-up shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentView {
    /// Its place in the conversation's list, from 1 (how its settlement names it).
    #[serde(default)]
    pub position: u32,
    pub side: crate::domain::commitment::Side,
    pub text: String,
    /// Who will do it ("we will" only).
    pub owner_name: Option<String>,
    /// The service it concerns, if one was named.
    #[serde(default)]
    pub service_name: Option<String>,
    pub due_on: Option<String>,
    pub status: crate::domain::commitment::CommitmentStatus,
}

/// An interaction as listed back to the worker who recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionSummary {
    pub id: String,
    pub kind: String,
    pub outcome: String,
    pub action: String,
    pub area_name: String,
    pub address: String,
    pub event_name: Option<String>,
    pub occurred_at: i64,
    pub received_at: i64,
    /// Who recorded it.
    pub worker_name: String,
    pub notes: String,
    /// The referral made in it, with every step since. (Absent from an older server's answer.)
    #[serde(default)]
    pub referral: Option<crate::types::referrals::ReferralView>,
    /// Referrals made later from its follow-up, oldest first, with their steps.
    #[serde(default)]
    pub referred_since: Vec<crate::types::referrals::ReferralView>,
}
