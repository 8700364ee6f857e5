pub mod consultations;
pub mod home;
pub mod invite;
pub mod manage_consultations;
pub mod not_found;
pub mod outreach;
pub mod sign_in;
pub mod staff;
