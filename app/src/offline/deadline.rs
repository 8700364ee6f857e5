//! A weak signal: the connection is up but nothing answers, or answers slowly. A call to the
//! server from the browser that has no answer in its time counts as the network failing, so the
//! app falls back to what the tablet holds (its saved profile, its outbox) instead of waiting.

use crate::error::AppError;
use std::future::Future;

/// How long the browser waits for who is signed in before it trusts the saved profile.
pub const WHO_AM_I_MS: u32 = 4_000;
/// How long one sync batch may take to be answered. A batch the server took but did not answer
/// in time is sent again later, and the server keeps each record once (by its id).
pub const SYNC_BATCH_MS: u32 = 20_000;
/// How long the cached lists (areas, follow-ups, erasures) may take to refresh.
pub const LISTS_MS: u32 = 15_000;

/// `call`'s answer, or a transport error when there is none within `ms` milliseconds. On the
/// server, where a call is not a network request, `call` as it is.
pub async fn within<T>(ms: u32, call: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    #[cfg(feature = "hydrate")]
    {
        use futures::future::{select, Either};
        use leptos::prelude::set_timeout_with_handle;
        let (ring, rung) = futures::channel::oneshot::channel::<()>();
        let timer = set_timeout_with_handle(
            move || {
                let _ = ring.send(());
            },
            std::time::Duration::from_millis(ms.into()),
        )
        .ok();
        let call = std::pin::pin!(call);
        match select(call, rung).await {
            Either::Left((answer, _)) => {
                if let Some(timer) = timer {
                    timer.clear();
                }
                answer
            }
            Either::Right(_) => Err(AppError::Transport(format!("no answer within {} seconds", ms / 1000))),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        call.await
    }
}
