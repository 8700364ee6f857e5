//! "What you can do": each theme's self-help guidance.

use crate::domain::guidance::GuidanceForm;
use crate::error::AppError;
pub use crate::types::guidance::*;
use leptos::prelude::*;

/// The door to [`crate::server::guidance::manage_guidance`].
#[server(prefix = "/api", endpoint = "guidance/manage")]
pub async fn manage_guidance() -> Result<Vec<ThemeGuidanceView>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::guidance::manage_guidance(&caller).await)
}

/// The door to [`crate::server::guidance::save_guidance`].
#[server(prefix = "/api", endpoint = "guidance/save")]
pub async fn save_guidance(form: GuidanceForm) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::guidance::save_guidance(&caller, form).await)
}

/// The door to [`crate::server::guidance::what_you_can_do`].
#[server(prefix = "/api", endpoint = "guidance/public")]
pub async fn what_you_can_do(theme: Option<String>) -> Result<GuidancePage, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::guidance::what_you_can_do(&caller, theme).await)
}
