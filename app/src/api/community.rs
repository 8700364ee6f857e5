//! Community responses: clusters and the rule they are found by.

use crate::error::AppError;
pub use crate::types::community::*;
use leptos::prelude::*;

/// The door to [`crate::server::community::community_page`].
#[server(prefix = "/api", endpoint = "community/page")]
pub async fn community_page() -> Result<ClustersView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community::community_page(&caller).await)
}

/// The door to [`crate::server::community::save_rule`].
#[server(prefix = "/api", endpoint = "community/rule")]
pub async fn save_cluster_rule(threshold: String, window_days: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community::save_rule(&caller, threshold, window_days).await)
}
