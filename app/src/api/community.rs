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

/// The door to [`crate::server::community::opening`].
#[server(prefix = "/api", endpoint = "community/opening")]
pub async fn response_opening(area_id: String, theme_id: String) -> Result<OpeningView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community::opening(&caller, area_id, theme_id).await)
}

/// The door to [`crate::server::community::open_response`].
#[server(prefix = "/api", endpoint = "community/open")]
pub async fn open_community_response(form: crate::domain::community_response::ResponseForm) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community::open_response(&caller, form).await)
}

/// The door to [`crate::server::community::public_response`].
#[server(prefix = "/api", endpoint = "community/response")]
pub async fn community_response(id: String, invite: Option<String>) -> Result<ResponseView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community::public_response(&caller, id, invite).await)
}

/// The door to [`crate::server::community::sign_up`].
#[server(prefix = "/api", endpoint = "community/sign-up")]
pub async fn sign_up_for_meeting(id: String, invite: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community::sign_up(&caller, id, invite).await)
}

/// The door to [`crate::server::community_updates::post_update`].
#[server(prefix = "/api", endpoint = "community/update")]
pub async fn post_community_update(id: String, update: String, close: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community_updates::post_update(&caller, id, update, close).await)
}

/// The door to [`crate::server::community_updates::link_opportunity`].
#[server(prefix = "/api", endpoint = "community/link-opportunity")]
pub async fn link_community_opportunity(id: String, opportunity_id: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community_updates::link_opportunity(&caller, id, opportunity_id).await)
}

/// The door to [`crate::server::community_updates::unlink_opportunity`].
#[server(prefix = "/api", endpoint = "community/unlink-opportunity")]
pub async fn unlink_community_opportunity(id: String, opportunity_id: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::community_updates::unlink_opportunity(&caller, id, opportunity_id).await)
}
