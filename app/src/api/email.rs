//! What an unsubscribe link is about, for its page (the change itself is a POST to the link:
//! see `server::unsubscribe`).

use crate::error::AppError;
pub use crate::types::email::*;
use leptos::prelude::*;

/// The door to [`crate::server::email::check_unsubscribe`].
#[server(prefix = "/api", endpoint = "email/unsubscribe/check")]
pub async fn check_unsubscribe(token: String) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::email::check_unsubscribe(&caller, token).await)
}

/// The door to [`crate::server::email::check_address_confirmation`].
#[server(prefix = "/api", endpoint = "email/confirm/check")]
pub async fn check_address_confirmation(token: String) -> Result<AddressToConfirm, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::email::check_address_confirmation(&caller, token).await)
}

/// The door to [`crate::server::email::confirm_address`].
#[server(prefix = "/api", endpoint = "email/confirm")]
pub async fn confirm_address(token: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::email::confirm_address(&caller, token).await)
}
