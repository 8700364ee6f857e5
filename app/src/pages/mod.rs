pub mod home;
pub mod invite;
pub mod not_found;
pub mod outreach;
pub mod sign_in;
pub mod staff;
