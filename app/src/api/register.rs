//! Residents make their own accounts: `/register` (email, name, password), then the emailed link
//! proves the address. Until then the account cannot sign in, so nothing personal is shown to
//! anyone. Asking says the same whether or not the address has an account already.

use crate::error::AppError;
pub use crate::types::register::*;
use leptos::prelude::*;

/// The door to [`crate::server::register::register`].
#[server(prefix = "/api", endpoint = "auth/register")]
pub async fn register(display_name: String, email: String, password: String, confirm_password: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::register::register(&caller, display_name, email, password, confirm_password).await)
}

/// The door to [`crate::server::register::verify_email`].
#[server(prefix = "/api", endpoint = "auth/verify")]
pub async fn verify_email(token: String, password: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::register::verify_email(&caller, token, password).await)
}

/// The door to [`crate::server::register::check_verification`].
#[server(prefix = "/api", endpoint = "auth/verify/check")]
pub async fn check_verification(token: String) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::register::check_verification(&caller, token).await)
}

/// The door to [`crate::server::register::resend_verification`].
#[server(prefix = "/api", endpoint = "auth/verify/resend")]
pub async fn resend_verification(email: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::register::resend_verification(&caller, email).await)
}
