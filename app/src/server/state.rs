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
    /// SQLite only: the task that writes sync batches (see [`super::sync::Writer`]).
    pub sync_writer: Option<super::sync::Writer>,
    /// Set once the instance has been asked to stop (`/readyz`).
    pub draining: super::jobs::Draining,
}

impl AppState {
    /// The state over a connected database: builds the dashboard's counts for conversations
    /// stored before they existed, and (SQLite) starts the one task that writes sync batches.
    pub async fn new(leptos_options: LeptosOptions, db: Db, config: Arc<Config>) -> sqlx::Result<AppState> {
        let rebuilt = super::repo::intelligence::rebuild_missing(&db).await?;
        if rebuilt > 0 {
            tracing::info!(organisations = rebuilt, "built the intelligence counts from the stored conversations");
        }
        let sync_writer = (db.backend == super::db::Backend::Sqlite).then(|| super::sync::Writer::start(db.clone()));
        Ok(AppState { leptos_options, db, config, mail: Default::default(), sync_writer, draining: Default::default() })
    }

    /// The absolute origin for links in emails: `MOBILISE_PUBLIC_ORIGIN`, or this server's own
    /// address in development.
    pub fn link_base(&self) -> String {
        match &self.config.public_origin {
            Some(origin) => origin.clone(),
            None => format!("http://{}", self.leptos_options.site_addr),
        }
    }
}
