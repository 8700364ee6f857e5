//! Mobilise: outreach, co-design, volunteering and intelligence around one resident record.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod offline;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod session;
pub mod types;

pub use app::{shell, App};
