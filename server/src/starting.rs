//! What the socket answers while the instance starts (connecting, migrating, seeding): `/healthz`
//! 200 "starting" (the process is alive: do not restart it), everything else 503 "starting" with
//! `Retry-After`, `/readyz` included (send it nothing yet).

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct Starting {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

const STARTING: &str = r#"{"status":"starting"}"#;

pub fn serve(listener: tokio::net::TcpListener) -> Starting {
    let app = Router::new().route("/healthz", get(|| async { ([(header::CONTENT_TYPE, "application/json")], STARTING) })).fallback(
        |uri: axum::http::Uri| async move {
            let body = if matches!(uri.path(), "/readyz") {
                ("application/json", STARTING)
            } else {
                (
                    "text/plain; charset=utf-8",
                    "Mobilise is starting. Please try again in a moment.\nMae Mobilise yn cychwyn. Rhowch gynnig arall arni mewn munud.\n",
                )
            };
            (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, body.0), (header::RETRY_AFTER, "5")], body.1).into_response()
        },
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
            tracing::warn!(%e, "the start-up answers stopped");
        }
    });
    Starting { stop, task }
}

impl Starting {
    /// Stops answering (the requests it is answering finish first); the socket stays open for
    /// the app proper.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
