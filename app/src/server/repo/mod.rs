//! Database access. Every query that touches an organisation's data takes the organisation id
//! and filters by it.

pub mod community;
pub mod consultation_invitations;
pub mod consultations;
pub mod email_tokens;
pub mod guidance;
pub mod intelligence;
pub mod invitations;
pub mod login_attempts;
pub mod mail;
pub mod organisations;
pub mod outreach;
pub mod participation;
pub mod partners;
pub mod people;
pub mod privacy;
pub mod referrals;
pub mod users;
pub mod volunteering;
