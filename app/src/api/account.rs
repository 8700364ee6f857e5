//! Your account: change your password, and two-step verification (a code from an
//! authenticator app when signing in, with recovery codes), which administrators must use.
//! Every form here works without JavaScript.

use crate::error::AppError;
pub use crate::types::account::*;
use leptos::prelude::*;

/// The door to [`crate::server::account::load_account`].
#[server(prefix = "/api", endpoint = "account/view")]
pub async fn load_account() -> Result<AccountView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::account::load_account(&caller).await)
}

/// The door to [`crate::server::account::change_password`].
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(current_password: String, new_password: String, confirm_password: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(
        crate::server::account::change_password(&caller, current_password, new_password, confirm_password).await,
    )
}

/// The door to [`crate::server::account::begin_second_factor`].
#[server(prefix = "/api", endpoint = "account/2fa/begin")]
pub async fn begin_second_factor() -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::account::begin_second_factor(&caller).await)
}

/// The door to [`crate::server::account::confirm_second_factor`].
#[server(prefix = "/api", endpoint = "account/2fa/confirm")]
pub async fn confirm_second_factor(code: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::account::confirm_second_factor(&caller, code).await)
}

/// The door to [`crate::server::account::recovery_codes_kept`].
#[server(prefix = "/api", endpoint = "account/2fa/codes-kept")]
pub async fn recovery_codes_kept() -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::account::recovery_codes_kept(&caller).await)
}

/// The door to [`crate::server::account::new_recovery_codes`].
#[server(prefix = "/api", endpoint = "account/2fa/new-codes")]
pub async fn new_recovery_codes(password: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::account::new_recovery_codes(&caller, password).await)
}

/// The door to [`crate::server::account::turn_off_second_factor`].
#[server(prefix = "/api", endpoint = "account/2fa/off")]
pub async fn turn_off_second_factor(off_password: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::account::turn_off_second_factor(&caller, off_password).await)
}
