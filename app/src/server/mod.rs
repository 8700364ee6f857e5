//! Everything that only runs on the server: configuration, database, sessions, security and the
//! router. Compiled with the `ssr` feature only.

pub mod account;
pub mod accounts;
pub mod assets;
pub mod auth;
pub mod community;
pub mod community_updates;
pub mod config;
pub mod consultations;
pub mod db;
pub mod email;
pub mod export;
pub mod guidance;
pub mod intelligence;
pub mod invitations;
pub mod jobs;
pub mod language;
pub mod letters;
pub mod mail;
pub mod mail_log;
pub mod markdown;
pub mod outreach;
pub mod page_cache;
pub mod participant;
pub mod participation;
pub mod partners;
pub mod password_reset;
pub mod people;
pub mod plain_pages;
pub mod privacy;
pub mod referrals;
pub mod register;
pub mod repo;
pub mod router;
pub mod second_factor;
pub mod security;
pub mod security_log;
pub mod seed;
pub mod sessions;
pub mod sign_in;
pub mod staff;
pub mod startup;
pub mod state;
pub mod sync;
pub mod tokens;
pub mod unsubscribe;
pub mod volunteering;

pub use config::Config;
pub use db::Db;
pub use router::router;
pub use state::AppState;

/// Seconds since the Unix epoch, the one clock the server stores.
/// Today's date in the UK (Europe/London), `YYYY-MM-DD`: what opening and closing dates mean.
pub fn uk_today() -> String {
    crate::domain::calendar::uk_date(now())
}

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
