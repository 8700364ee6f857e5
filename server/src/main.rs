//! The Mobilise server: configuration, database, router, and a socket. Everything else is in `app`.

mod cli;
mod starting;

use app::server::{startup, Config, Db};
use axum::serve::ListenerExt;
use leptos::config::get_configuration;
use std::net::SocketAddr;
use std::time::Duration;
use tracing_subscriber::{fmt, EnvFilter};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        // Colours only for a person at a terminal, not in a log file or journald.
        fmt().with_env_filter(filter).with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout())).init();
    }

    let config = Config::from_env()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::parse(&args) {
        Err(cli::Usage(problem)) => {
            eprintln!("mobilise: {problem}\n{}", cli::USAGE);
            std::process::exit(64);
        }
        // The nightly retention job, run once by hand (cron, or to check a new setting),
        // printing what it changed or would change.
        Ok(cli::Command::Retention { dry_run }) => return retention(&config, dry_run).await,
        Ok(cli::Command::CreateOrganisation { name, kind, admin_email, admin_name }) => {
            let new =
                app::server::accounts::NewOrganisation { name: &name, kind: &kind, admin_email: &admin_email, admin_name: &admin_name };
            return create_organisation(&config, new).await;
        }
        Ok(cli::Command::Serve) => {}
    }
    let mut leptos_options = get_configuration(None)?.leptos_options;
    // A build whose files are named after their contents leaves their names in hash.txt beside
    // this binary (`hash-files` in Cargo.toml); `cargo leptos serve` says so in LEPTOS_HASH_FILES,
    // and the binary started by itself finds out here.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        leptos_options.hash_files = app::server::assets::hash_file(&leptos_options).is_some_and(|path| path.exists());
    }
    let addr = leptos_options.site_addr;

    // The socket first: while the database migrates (which on a large one can take a while), a
    // load balancer hears "starting" rather than a refused connection.
    let socket = std::net::TcpListener::bind(addr)?;
    socket.set_nonblocking(true)?;
    let starting = starting::serve(tokio::net::TcpListener::from_std(socket.try_clone()?)?);
    tracing::info!("listening on http://{addr} (starting)");

    let sender = app::server::mail::Sender::from_config(&config.mail)?;
    let state = startup::start(config, leptos_options, sender).await;
    starting.stop().await;
    let state = state?;
    let (draining, drain_secs) = (state.draining.clone(), state.config.instance.drain_secs);
    let app = app::server::router(state);

    // TCP_NODELAY: without it each keep-alive response waits ~40 ms on delayed ACKs.
    let listener = tokio::net::TcpListener::from_std(socket)?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("ready on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal(draining, Duration::from_secs(drain_secs)))
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// The production set-up step: the organisation, its first administrator, and the emailed
/// invitation (sent now; if the mail server cannot take it, the running app's sender retries).
/// Exit codes: 0 done, 64 bad arguments, 65 refused (bad values, an address already in use).
async fn create_organisation(
    config: &Config,
    new: app::server::accounts::NewOrganisation<'_>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use app::server::accounts::{create_organisation, SetupError};
    let db = Db::connect(&config.database_url).await?;
    let site = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let base = config.public_origin.clone().unwrap_or_else(|| format!("http://{site}"));
    let sender = app::server::mail::Sender::from_config(&config.mail)?;
    let created = match create_organisation(&db, &base, new, app::server::now()).await {
        Ok(created) => created,
        Err(e @ (SetupError::Invalid(_) | SetupError::EmailTaken)) => {
            eprintln!("mobilise: {e}");
            std::process::exit(65);
        }
        Err(e) => return Err(e.into()),
    };
    println!("organisation created: {}", created.organisation_id);
    println!("administrator invited: {}", created.admin_id);
    let pass = sender.send_all_due(&db, app::server::now).await?;
    if pass.sent > 0 {
        println!("invitation sent to {}", sender.describe());
    } else {
        println!("invitation queued: the mail server did not take it yet; the app will keep trying");
    }
    println!("the invitation link (works once, for {} days): {}", app::server::accounts::INVITATION_DAYS, created.link);
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

/// On SIGTERM (service managers, orchestrators) or Ctrl-C: drain, then stop. Draining, `/readyz`
/// answers 503 so that a load balancer stops sending new requests, while those still sent are
/// served; after `drain`, the server stops accepting and finishes the requests in flight (for
/// at most 30 s). Another signal ends the drain, or the wait, at once.
async fn shutdown_signal(draining: app::server::jobs::Draining, drain: Duration) {
    let mut signals = Signals::new();
    signals.next().await;
    draining.start();
    tracing::info!(seconds = drain.as_secs(), "draining: /readyz says so; stopping when the drain is over");
    tokio::select! {
        _ = tokio::time::sleep(drain) => {},
        _ = signals.next() => tracing::info!("asked again: stopping now"),
    }
    tracing::info!("shutting down");
    // Requests in flight get half a minute (a slow upload or download could hold the stop for
    // ever); another signal ends them at once.
    tokio::spawn(async move {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(30)) => tracing::warn!("requests still open after 30 s: stopping without them"),
            _ = signals.next() => tracing::warn!("asked again: stopping without the requests still open"),
        }
        std::process::exit(0);
    });
}

/// SIGTERM or Ctrl-C, as many times as they come.
struct Signals {
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Self {
        Self {
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        }
    }

    async fn next(&mut self) {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match self.terminate.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate => {},
        }
    }
}
