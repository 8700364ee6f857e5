//! The intelligence dashboard: what the organisation's conversations say, filtered by date,
//! area, theme, worker and kind. Small counts leave the server only as "<5".

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::types::intelligence::*;

/// The door to [`crate::server::intelligence::load_dashboard`].
#[server(prefix = "/api", endpoint = "intelligence/dashboard")]
pub async fn load_dashboard(
    from: Option<String>,
    to: Option<String>,
    area: Option<String>,
    theme: Option<String>,
    worker: Option<String>,
    kind: Option<String>,
    team: Option<String>,
) -> Result<Dashboard, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(
        crate::server::intelligence::load_dashboard(
            &caller,
            crate::domain::intelligence::Filters { from, to, area, theme, worker, kind, team },
        )
        .await,
    )
}
