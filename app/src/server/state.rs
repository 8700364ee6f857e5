use super::{config::Config, db::Db};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Handed to every server function by `leptos_routes_with_context` (read with `use_context`).
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    /// Nudges the mail sender when a message has been queued.
    pub mail: super::mail::Wake,
}

impl AppState {
    /// The absolute origin for links in emails: `MOBILISE_PUBLIC_ORIGIN`, or this server's own
    /// address in development.
    pub fn link_base(&self) -> String {
        match &self.config.public_origin {
            Some(origin) => origin.clone(),
            None => format!("http://{}", self.leptos_options.site_addr),
        }
    }
}
