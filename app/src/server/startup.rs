//! Starting the server: the database, then everything that runs beside the requests (the sync
//! writer, the dashboard's counts, the mail sender and the housekeeping). `Db::connect` only
//! connects and migrates; this is the one place that starts the rest.

use super::sessions::DbSessionStore;
use super::{jobs, mail, seed, AppState, Config, Db};
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use std::time::Duration;

/// Connects, makes the demo organisations if the database is empty, and starts the sync writer,
/// the mail sender (`sender`) and the housekeeping. Returns the state the router serves.
/// Instances starting together on one PostgreSQL take turns: the migrations under sqlx's lock,
/// then the demo data and the first counts under the `startup` singleton, so neither is made
/// twice.
pub async fn start(
    config: Config,
    leptos_options: LeptosOptions,
    sender: mail::Sender,
) -> Result<AppState, Box<dyn std::error::Error + Send + Sync>> {
    let db = Db::connect_with(&config.database_url, config.instance.pool_size).await?;
    tracing::info!(backend = ?db.backend, instance = jobs::instance_name(), "database ready");
    let turn = db.singleton("startup").await?;
    let seeded = seed::seed_demo_if_empty(&db, &config).await;
    let state = match seeded {
        Ok(seeded) => {
            if seeded {
                tracing::info!("demo organisations and accounts created (password: {})", seed::DEMO_PASSWORD);
            }
            AppState::new(leptos_options, db, Arc::new(config)).await
        }
        Err(e) => {
            turn.release().await;
            return Err(e);
        }
    };
    turn.release().await;
    let state = state?;
    tracing::info!("outgoing mail goes to {}", sender.describe());
    mail::spawn_sender(state.db.clone(), sender, state.mail.clone(), state.draining.clone());
    spawn_housekeeping(state.clone());
    Ok(state)
}

/// Periodic work: the dashboard's counts, retention, and clearing out expired sessions, sign-in
/// attempts, links and drafts. Runs until the instance drains.
fn spawn_housekeeping(state: AppState) {
    // The dashboard's counts for the days that synced, a few seconds after (a dashboard that is
    // opened sooner brings them up to date itself).
    spawn_turns(&state, "counts", Duration::from_secs(10), |db| {
        Box::pin(async move {
            if let Err(e) = super::repo::intelligence::refresh_dirty(&db, None).await {
                tracing::warn!(%e, "could not bring the intelligence counts up to date");
            }
        })
    });
    // Retention: every organisation's records past their period are anonymised, once a day,
    // by whichever instance claims the day's run first.
    let check = Duration::from_secs(state.config.instance.jobs_check_secs);
    spawn_turns(&state, "retention", check, |db| Box::pin(async move { retention_if_due(&db).await }));
    spawn_turns(&state, "housekeeping", Duration::from_secs(15 * 60), |db| Box::pin(async move { tidy(&db).await }));
}

/// How often retention runs, and how soon a run that failed is tried again.
const RETENTION_EVERY: i64 = 24 * 3600;
const RETENTION_RETRY: i64 = 15 * 60;

async fn retention_if_due(db: &Db) {
    let started = super::now();
    match jobs::claim_run(db, "retention", RETENTION_EVERY, RETENTION_RETRY, started, jobs::instance_name()).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!(%e, "could not claim the retention run");
            return;
        }
    }
    let ok = match super::repo::privacy::run_retention_everywhere(db, false).await {
        Ok(runs) => {
            tracing::info!(organisations = runs.len(), "retention run");
            true
        }
        Err(e) => {
            tracing::warn!(%e, "could not run retention; trying again in 15 minutes");
            false
        }
    };
    if let Err(e) = jobs::finish_run(db, "retention", ok, super::now(), RETENTION_EVERY, RETENTION_RETRY).await {
        tracing::warn!(%e, "could not record the end of the retention run");
    }
}

/// Clears out expired sessions, sign-in attempts, security events, participation events, links
/// sent by email, accounts never confirmed and refused-response drafts.
async fn tidy(db: &Db) {
    let store = DbSessionStore::new(db.clone());
    if let Err(e) = store.delete_expired().await {
        tracing::warn!(%e, "could not delete expired sessions");
    }
    let cutoff = super::now() - 24 * 3600;
    if let Err(e) = super::repo::login_attempts::prune(db, cutoff).await {
        tracing::warn!(%e, "could not prune sign-in attempts");
    }
    if let Err(e) = super::security_log::prune(db, super::now() - super::security_log::KEEP_SECS).await {
        tracing::warn!(%e, "could not prune security events");
    }
    if let Err(e) = super::repo::participation::prune_events(db, cutoff).await {
        tracing::warn!(%e, "could not prune participation events");
    }
    // Links sent by email, a day after they stopped working (they hold an address).
    if let Err(e) = sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1").bind(cutoff).execute(db).await {
        tracing::warn!(%e, "could not delete old email links");
    }
    let unconfirmed = super::now() - crate::types::register::UNVERIFIED_DAYS * 86400;
    if let Err(e) = super::repo::users::delete_unconfirmed(db, unconfirmed).await {
        tracing::warn!(%e, "could not delete accounts never confirmed");
    }
    if let Err(e) = super::repo::consultations::purge_drafts(db, cutoff).await {
        tracing::warn!(%e, "could not purge refused-response drafts");
    }
}

type Turn = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Runs `work` every `every` until the instance drains, on one instance at a time: a turn that
/// finds singleton `name` held by another instance is skipped (that one is doing it).
fn spawn_turns(state: &AppState, name: &'static str, every: Duration, work: impl Fn(Db) -> Turn + Send + 'static) {
    let (db, draining) = (state.db.clone(), state.draining.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if draining.is_on() {
                break;
            }
            match db.try_singleton(name).await {
                Ok(Some(turn)) => {
                    work(db.clone()).await;
                    turn.release().await;
                }
                Ok(None) => tracing::debug!(job = name, "another instance has this turn"),
                Err(e) => tracing::warn!(%e, job = name, "could not ask for a turn"),
            }
        }
    });
}
