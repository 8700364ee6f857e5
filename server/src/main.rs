//! The Mobilise server: configuration, database, router, and a socket. Everything else is in `app`.

use app::server::{router::spawn_housekeeping, seed, AppState, Config, Db};
use axum::serve::ListenerExt;
use leptos::config::get_configuration;
use std::{net::SocketAddr, sync::Arc};
use tracing_subscriber::{fmt, EnvFilter};

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        tracing::error!("{e}");
        eprintln!("mobilise: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let filter = EnvFilter::try_from_env("MOBILISE_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    if std::env::var("MOBILISE_LOG_FORMAT").as_deref() == Ok("json") {
        fmt().json().with_env_filter(filter).init();
    } else {
        fmt().with_env_filter(filter).init();
    }

    let config = Config::from_env()?;
    // `server retention [--dry-run]`: the nightly retention job, run once by hand (cron, or to
    // check a new setting), printing what it changed or would change.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(command) = args.first() {
        return match (command.as_str(), args.get(1).map(String::as_str), args.len()) {
            ("retention", None, 1) | ("retention", Some("--dry-run"), 2) => retention(&config, args.len() == 2).await,
            _ => Err(format!("unknown arguments {args:?}: run `server` to serve, or `server retention [--dry-run]`").into()),
        };
    }
    let leptos_options = get_configuration(None)?.leptos_options;
    let addr = leptos_options.site_addr;

    let db = Db::connect(&config.database_url).await?;
    tracing::info!(backend = ?db.backend, "database ready");
    if seed::seed_demo_if_empty(&db, &config).await? {
        tracing::info!("demo organisations and accounts created (password: {})", seed::DEMO_PASSWORD);
    }

    let state = AppState { leptos_options, db, config: Arc::new(config) };
    spawn_housekeeping(state.clone());
    let app = app::server::router(state);

    // TCP_NODELAY: without it each keep-alive response waits ~40 ms on delayed ACKs.
    let listener = tokio::net::TcpListener::bind(&addr).await?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn retention(config: &Config, dry_run: bool) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let db = Db::connect(&config.database_url).await?;
    let verb = if dry_run { "would change" } else { "changed" };
    for (organisation, counts) in app::server::repo::privacy::run_retention_everywhere(&db, dry_run).await? {
        for c in counts {
            println!("{organisation}\t{}\tkept {} months (from {})\t{} {verb}", c.class.as_str(), c.months, c.kept_from, c.records);
        }
    }
    Ok(())
}

/// Finish in-flight requests on SIGTERM (service managers) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
