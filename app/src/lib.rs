//! Mobilise: outreach, co-design, volunteering and intelligence around one resident record.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod language;
pub mod offline;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod session;
pub mod types;

pub use app::{shell, App};

// The translations (`app/locales/*.toml`), made into code by `build.rs`: `i18n::Locale`, `t!`.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
