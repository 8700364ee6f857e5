use super::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// The door to [`crate::server::sign_in::login`].
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<bool, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::sign_in::login(&caller, email, password).await)
}

/// The door to [`crate::server::sign_in::second_step`].
#[server(prefix = "/api", endpoint = "auth/code")]
pub async fn second_step(code: String) -> Result<bool, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::sign_in::second_step(&caller, code).await)
}

/// The door to [`crate::server::sign_in::logout`].
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::sign_in::logout(&caller).await)
}

/// The door to [`crate::server::sign_in::who_am_i`].
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::sign_in::who_am_i(&caller).await)
}
