//! Everything that only runs on the server: configuration, database, sessions, security and the
//! router. Compiled with the `ssr` feature only.

pub mod accounts;
pub mod auth;
pub mod config;
pub mod db;
pub mod export;
pub mod letters;
pub mod mail;
pub mod markdown;
pub mod participant;
pub mod repo;
pub mod router;
pub mod second_factor;
pub mod security;
pub mod security_log;
pub mod seed;
pub mod sessions;
pub mod state;
pub mod sync;
pub mod unsubscribe;

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
