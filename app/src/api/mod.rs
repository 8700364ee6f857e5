//! Server functions: the only doors from the browser into the server. Each one is a thin door:
//! it hands its arguments to the service of the same name in `server::<area>` (which checks who is
//! calling, then uses the repositories and the domain rules) and sets the response status from the
//! result. What crosses the wire is defined in `types`, re-exported here for the pages.

pub mod account;
pub mod auth;
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

pub use crate::types::*;
