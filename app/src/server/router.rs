//! `router(state)`: the whole HTTP application, used by the binary and by the integration tests.

use super::{page_cache::PageCache, security, sessions::DbSessionStore, state::AppState};
use crate::{shell, App};
use axum::{extract::State, middleware, response::IntoResponse, routing::get, Json, Router};
use http::{Request, StatusCode};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};
use tower::ServiceBuilder;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let routes = routes();

    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(config.cookie_name("mobilise_session"))
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(config.session.idle_secs)));

    Router::new()
        .route("/manage/consultations/{id}/responses.csv", get(super::export::responses_csv))
        .route("/intelligence/export/{table}", get(super::export::dashboard_csv))
        .route("/privacy/residents/{id}/export", axum::routing::post(super::export::subject_access_zip))
        .route("/email/unsubscribe/{token}", axum::routing::post(super::unsubscribe::post))
        .route("/language", axum::routing::post(super::language::switch))
        .route("/privacy/residents/{id}", audited_page(&state))
        .route("/privacy/mail", audited_page(&state))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Innermost first: each `.layer` wraps everything above it.
        .layer(middleware::from_fn_with_state(state.clone(), security::sync_gate))
        .layer(middleware::from_fn_with_state(state.clone(), super::plain_pages::decide))
        .layer(middleware::from_fn_with_state(state.clone(), super::language::decide))
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
        // Pages residents browse without signing in, from memory for a moment (`page_cache`):
        // outside everything above, so such an answer skips the session, the render and the
        // compression alike. Every request that may write passes here too, and ends that.
        .layer(middleware::from_fn_with_state(
            Arc::new(PageCache::new(config.cookie_name(crate::language::choice::COOKIE))),
            super::page_cache::layer,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id()),
        )
        // Added after the layers, so outside them all: a load balancer's probes every few
        // seconds make no session, no log line, and no error when an instance drains.
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
}

/// The app's routes, worked out once per process. While leptos works them out (it runs the app
/// once), it holds back the first load of every resource in the process, and a resource first
/// polled meanwhile, by a page rendering for another router, never loads: that page waits for
/// ever (leptos#4773). The server works them out before it serves; tests build many routers at
/// once, and now share the one list, so their pages can render side by side.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
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

/// Whether a load balancer should send this instance requests: 200 once it has started (the
/// migrations applied) while it can reach the database; 503 "draining" from the moment it is
/// asked to stop (it still answers what it is sent while it drains), or "unavailable" when the
/// database cannot be reached. While the instance starts, `server` answers 503 "starting".
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let status = if state.draining.is_on() {
        "draining"
    } else if tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await.unwrap_or(false) {
        "ready"
    } else {
        "unavailable"
    };
    let code = if status == "ready" { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, Json(serde_json::json!({ "status": status })))
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
