//! Pure types and rules: no framework, no database. Compiled for the server and the browser and
//! unit-tested natively.

pub mod auth;
pub mod bilingual;
pub mod calendar;
pub mod channel;
pub mod cluster;
pub mod commitment;
pub mod community_response;
pub mod consent;
pub mod consultation;
pub mod guidance;
pub mod intelligence;
pub mod mail;
pub mod matching;
pub mod message;
pub mod outbox;
pub mod outreach;
pub mod participation;
pub mod privacy;
pub mod reference;
pub mod referral;
pub mod role;
pub mod sync;
pub mod validation;
pub mod volunteering;

pub use message::{Label, Msg};
pub use role::{NavLink, OrganisationKind, Role};
pub use validation::{FieldError, FieldErrors};

/// A stored value that names no variant of its enum (read with `TryFrom<String>`, as a row's
/// column is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue(pub String);

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown value {:?}", self.0)
    }
}

impl std::error::Error for UnknownValue {}
