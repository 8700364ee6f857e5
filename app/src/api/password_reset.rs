//! A forgotten password: a link by email (single use, one hour, stored as a hash) to choose a
//! new one. Asking says the same whether or not the address has an account.

use crate::error::AppError;
pub use crate::types::password_reset::*;
use leptos::prelude::*;

/// The door to [`crate::server::password_reset::forgot_password`].
#[server(prefix = "/api", endpoint = "auth/forgot")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::password_reset::forgot_password(&caller, email).await)
}

/// The door to [`crate::server::password_reset::check_reset`].
#[server(prefix = "/api", endpoint = "auth/reset/check")]
pub async fn check_reset(token: String) -> Result<ResetInfo, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::password_reset::check_reset(&caller, token).await)
}

/// The door to [`crate::server::password_reset::reset_password`].
#[server(prefix = "/api", endpoint = "auth/reset")]
pub async fn reset_password(token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::password_reset::reset_password(&caller, token, password, confirm_password).await)
}
