//! Outreach: the sync door for devices, and what workers read back.

use super::{FollowUpView, InteractionSummary, ReferenceData};
use crate::domain::sync::{SyncBatch, SyncResponse};
use crate::error::AppError;
pub use crate::types::outreach::*;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The door to [`crate::server::outreach::sync_push`].
#[server(prefix = "/api", endpoint = "sync/v1/push", input = Json)]
pub async fn sync_push(batch: SyncBatch) -> Result<SyncResponse, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::outreach::sync_push(&caller, batch).await)
}

/// The door to [`crate::server::outreach::load_reference_data`].
#[server(prefix = "/api", endpoint = "outreach/reference")]
pub async fn load_reference_data() -> Result<ReferenceData, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::outreach::load_reference_data(&caller).await)
}

/// The door to [`crate::server::outreach::my_follow_ups`].
#[server(prefix = "/api", endpoint = "outreach/follow-ups")]
pub async fn my_follow_ups() -> Result<Vec<FollowUpView>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::outreach::my_follow_ups(&caller).await)
}

/// The door to [`crate::server::outreach::my_interactions`].
#[server(prefix = "/api", endpoint = "outreach/interactions")]
pub async fn my_interactions() -> Result<HeldInteractions, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::outreach::my_interactions(&caller).await)
}

/// The door to [`crate::server::outreach::resident_history`].
#[server(prefix = "/api", endpoint = "outreach/resident-history")]
pub async fn resident_history(resident_id: String) -> Result<Vec<InteractionSummary>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::outreach::resident_history(&caller, resident_id).await)
}
