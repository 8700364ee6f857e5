//! `router(state)`: the whole HTTP application, used by the binary and by the integration tests.

use super::{security, sessions::DbSessionStore, state::AppState};
use crate::{shell, App};
use axum::{extract::State, middleware, response::IntoResponse, routing::get, Json, Router};
use http::{Request, StatusCode};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let routes = generate_route_list(App);

    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.pool.clone()))
        .with_name(if config.secure_cookies { "__Host-mobilise_session" } else { "mobilise_session" })
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(config.session.idle_secs)));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/manage/consultations/{id}/responses.csv", get(super::export::responses_csv))
        .route("/intelligence/export/{table}", get(super::export::dashboard_csv))
        .route("/privacy/residents/{id}/export", axum::routing::post(super::export::subject_access_zip))
        .route("/email/unsubscribe/{token}", axum::routing::post(super::unsubscribe::post))
        .route("/privacy/residents/{id}", audited_page(&state))
        .route("/privacy/mail", audited_page(&state))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Innermost first: each `.layer` wraps everything above it.
        .layer(middleware::from_fn_with_state(state.clone(), security::sync_gate))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(config.clone(), security::csrf_guard))
        .layer(middleware::from_fn_with_state(config.clone(), security::body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), security::error_status))
        .layer(middleware::from_fn(security::no_store))
        // Brotli's default is its best-and-slowest quality 11, made for files compressed once
        // (the /pkg assets are, at build time); a response made per request gets quality 4,
        // about as small as gzip -9 and many times faster to make.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(middleware::from_fn_with_state(config.clone(), security::security_headers))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        .with_state(state)
}

/// The pages that show personal data written to the audit log also answer a POST: their own
/// "Show" button, or the app's own redirect that keeps a POST (see `auth::opened_by_post`). The
/// same app is rendered for it; a GET of the same address (from `leptos_routes`) shows the button.
fn audited_page(state: &AppState) -> axum::routing::MethodRouter<AppState> {
    let (state, options) = (state.clone(), state.leptos_options.clone());
    let render = leptos_axum::render_app_async_with_context(
        move || {
            leptos::prelude::provide_context(state.clone());
            leptos::prelude::provide_context(state.leptos_options.clone());
        },
        move || shell(options.clone()),
    );
    axum::routing::post(move |req: Request<axum::body::Body>| render(req))
}

/// Liveness and database reachability, for load balancers and monitoring.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let ok = tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await.unwrap_or(false);
    let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        Json(serde_json::json!({ "status": if ok { "ok" } else { "unavailable" }, "database": if ok { "ok" } else { "unreachable" } })),
    )
}

/// Periodic clean-up: expired sessions and old sign-in attempts. Runs until the process ends.
pub fn spawn_housekeeping(state: AppState) {
    // The dashboard's counts for the days that synced, a few seconds after (a dashboard that is
    // opened sooner brings them up to date itself).
    let counts_db = state.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            if let Err(e) = super::repo::intelligence::refresh_dirty(&counts_db.pool, counts_db.backend, None).await {
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
        let store = DbSessionStore::new(state.db.pool.clone());
        let mut tick = tokio::time::interval(Duration::from_secs(15 * 60));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(%e, "could not delete expired sessions");
            }
            let cutoff = super::now() - 24 * 3600;
            if let Err(e) = super::repo::login_attempts::prune(&state.db.pool, cutoff).await {
                tracing::warn!(%e, "could not prune sign-in attempts");
            }
            if let Err(e) = super::security_log::prune(&state.db.pool, super::now() - super::security_log::KEEP_SECS).await {
                tracing::warn!(%e, "could not prune security events");
            }
            if let Err(e) = super::repo::participation::prune_events(&state.db.pool, cutoff).await {
                tracing::warn!(%e, "could not prune participation events");
            }
            // Links sent by email, a day after they stopped working (they hold an address).
            if let Err(e) = sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1").bind(cutoff).execute(&state.db.pool).await {
                tracing::warn!(%e, "could not delete old email links");
            }
            let unconfirmed = super::now() - crate::types::register::UNVERIFIED_DAYS * 86400;
            if let Err(e) = super::repo::users::delete_unconfirmed(&state.db.pool, unconfirmed).await {
                tracing::warn!(%e, "could not delete accounts never confirmed");
            }
            if let Err(e) = super::repo::consultations::purge_drafts(&state.db.pool, cutoff).await {
                tracing::warn!(%e, "could not purge refused-response drafts");
            }
        }
    });
}
