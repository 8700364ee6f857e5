//! Partner groups: an organisation's administrators invite the community groups they work with.
//! Each group gets its own organisation, partnered with the host (its opportunities reach the
//! host's residents), and its first organiser an emailed invitation to choose a password.
//! A group's organiser can invite a co-organiser.

use super::CreatedInvitation;
use crate::error::AppError;
pub use crate::types::partners::*;
use leptos::prelude::*;

/// The door to [`crate::server::partners::load_partners`].
#[server(prefix = "/api", endpoint = "partners/list")]
pub async fn load_partners() -> Result<PartnersView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::partners::load_partners(&caller).await)
}

/// The door to [`crate::server::partners::invite_group`].
#[server(prefix = "/api", endpoint = "partners/invite")]
pub async fn invite_group(group_name: String, display_name: String, email: String) -> Result<CreatedInvitation, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::partners::invite_group(&caller, group_name, display_name, email).await)
}

/// The door to [`crate::server::partners::invite_co_organiser`].
#[server(prefix = "/api", endpoint = "partners/co-organiser")]
pub async fn invite_co_organiser(display_name: String, email: String) -> Result<CreatedInvitation, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::partners::invite_co_organiser(&caller, display_name, email).await)
}

/// The door to [`crate::server::partners::request_to_join`].
#[server(prefix = "/api", endpoint = "partners/request")]
pub async fn request_to_join(group_name: String, display_name: String, email: String, about: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::partners::request_to_join(&caller, group_name, display_name, email, about).await)
}

/// The door to [`crate::server::partners::decide_join_request`].
#[server(prefix = "/api", endpoint = "partners/requests/decide")]
pub async fn decide_join_request(request_id: String, decision: String, reason: String) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::partners::decide_join_request(&caller, request_id, decision, reason).await)
}
