//! Staff accounts: admins create them (with a one-time invitation link) and deactivate them,
//! only ever within their own organisation.

use super::{CreatedInvitation, InvitationInfo, StaffMember};
use crate::error::AppError;
pub use crate::types::staff::*;
use leptos::prelude::*;

/// The door to [`crate::server::staff::list_staff`].
#[server(prefix = "/api", endpoint = "staff/list")]
pub async fn list_staff() -> Result<Vec<StaffMember>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::staff::list_staff(&caller).await)
}

/// The door to [`crate::server::staff::create_staff`].
#[server(prefix = "/api", endpoint = "staff/create")]
pub async fn create_staff(email: String, display_name: String, role: Option<String>) -> Result<CreatedInvitation, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::staff::create_staff(&caller, email, display_name, role).await)
}

/// The door to [`crate::server::staff::set_staff_active`].
#[server(prefix = "/api", endpoint = "staff/set_active")]
pub async fn set_staff_active(user_id: String, active: bool) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::staff::set_staff_active(&caller, user_id, active).await)
}

/// The door to [`crate::server::staff::set_consultation_rights`].
#[server(prefix = "/api", endpoint = "staff/set_consultation_rights")]
pub async fn set_consultation_rights(user_id: String, granted: bool) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::staff::set_consultation_rights(&caller, user_id, granted).await)
}

/// The door to [`crate::server::staff::set_staff_team`].
#[server(prefix = "/api", endpoint = "staff/set_team")]
pub async fn set_staff_team(user_id: String, team: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::staff::set_staff_team(&caller, user_id, team).await)
}

/// The door to [`crate::server::staff::check_invitation`].
#[server(prefix = "/api", endpoint = "invitations/check")]
pub async fn check_invitation(token: String) -> Result<InvitationInfo, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::staff::check_invitation(&caller, token).await)
}

/// The door to [`crate::server::staff::accept_invitation`].
#[server(prefix = "/api", endpoint = "invitations/accept")]
pub async fn accept_invitation(token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::staff::accept_invitation(&caller, token, password, confirm_password).await)
}
