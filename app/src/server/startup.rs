//! Starting the server: the database, then everything that runs beside the requests (the sync
//! writer, the dashboard's counts, the mail sender and the housekeeping). `Db::connect` only
//! connects and migrates; this is the one place that starts the rest.

use super::sessions::DbSessionStore;
use super::{mail, seed, AppState, Config, Db};
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use std::time::Duration;

/// Connects, makes the demo organisations if the database is empty, and starts the sync writer,
/// the mail sender (`sender`) and the housekeeping. Returns the state the router serves.
pub async fn start(
    config: Config,
    leptos_options: LeptosOptions,
    sender: mail::Sender,
) -> Result<AppState, Box<dyn std::error::Error + Send + Sync>> {
    let db = Db::connect(&config.database_url).await?;
    tracing::info!(backend = ?db.backend, "database ready");
    if seed::seed_demo_if_empty(&db, &config).await? {
        tracing::info!("demo organisations and accounts created (password: {})", seed::DEMO_PASSWORD);
    }
    tracing::info!("outgoing mail goes to {}", sender.describe());
    let state = AppState::new(leptos_options, db, Arc::new(config)).await?;
    mail::spawn_sender(state.db.clone(), sender, state.mail.clone());
    spawn_housekeeping(state.clone());
    Ok(state)
}

/// Periodic work: the dashboard's counts, retention, and clearing out expired sessions, sign-in
/// attempts, links and drafts. Runs until the process ends.
fn spawn_housekeeping(state: AppState) {
    // The dashboard's counts for the days that synced, a few seconds after (a dashboard that is
    // opened sooner brings them up to date itself).
    let counts_db = state.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            if let Err(e) = super::repo::intelligence::refresh_dirty(&counts_db, None).await {
                tracing::warn!(%e, "could not bring the intelligence counts up to date");
            }
        }
    });
    // Retention: every organisation's records past their period are anonymised, once a day
    // (the first run a few minutes after start, so a restart loop cannot hammer the database).
    let retention_db = state.db.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5 * 60)).await;
        let mut tick = tokio::time::interval(Duration::from_secs(24 * 3600));
        loop {
            tick.tick().await;
            match super::repo::privacy::run_retention_everywhere(&retention_db, false).await {
                Ok(runs) => tracing::info!(organisations = runs.len(), "retention run"),
                Err(e) => tracing::warn!(%e, "could not run retention"),
            }
        }
    });
    tokio::spawn(async move {
        let store = DbSessionStore::new(state.db.clone());
        let mut tick = tokio::time::interval(Duration::from_secs(15 * 60));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(%e, "could not delete expired sessions");
            }
            let cutoff = super::now() - 24 * 3600;
            if let Err(e) = super::repo::login_attempts::prune(&state.db, cutoff).await {
                tracing::warn!(%e, "could not prune sign-in attempts");
            }
            if let Err(e) = super::security_log::prune(&state.db, super::now() - super::security_log::KEEP_SECS).await {
                tracing::warn!(%e, "could not prune security events");
            }
            if let Err(e) = super::repo::participation::prune_events(&state.db, cutoff).await {
                tracing::warn!(%e, "could not prune participation events");
            }
            // Links sent by email, a day after they stopped working (they hold an address).
            if let Err(e) = sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1").bind(cutoff).execute(&state.db).await {
                tracing::warn!(%e, "could not delete old email links");
            }
            let unconfirmed = super::now() - crate::types::register::UNVERIFIED_DAYS * 86400;
            if let Err(e) = super::repo::users::delete_unconfirmed(&state.db, unconfirmed).await {
                tracing::warn!(%e, "could not delete accounts never confirmed");
            }
            if let Err(e) = super::repo::consultations::purge_drafts(&state.db, cutoff).await {
                tracing::warn!(%e, "could not purge refused-response drafts");
            }
        }
    });
}
