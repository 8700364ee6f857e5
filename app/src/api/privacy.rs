//! Data protection for admins: find a resident, see and export everything held about them, log
//! and answer their requests, erase them, and search the audit log. Every view of a resident's
//! data, every export and every change is written to the audit log.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub use crate::types::privacy::*;

/// The door to [`crate::server::privacy::load_privacy_home`].
#[server(prefix = "/api", endpoint = "privacy/home")]
pub async fn load_privacy_home(query: Option<String>) -> Result<PrivacyHome, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::load_privacy_home(&caller, query).await)
}

/// The door to [`crate::server::privacy::load_resident_file`].
#[server(prefix = "/api", endpoint = "privacy/resident")]
pub async fn load_resident_file(resident_id: String) -> Result<Option<ResidentFile>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::load_resident_file(&caller, resident_id).await)
}

/// The door to [`crate::server::privacy::log_request`].
#[server(prefix = "/api", endpoint = "privacy/request")]
pub async fn log_request(resident_id: String, kind: Option<String>, received_on: String) -> Result<RequestView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::log_request(&caller, resident_id, kind, received_on).await)
}

/// The door to [`crate::server::privacy::close_request`].
#[server(prefix = "/api", endpoint = "privacy/request/close")]
pub async fn close_request(request_id: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::close_request(&caller, request_id).await)
}

/// The door to [`crate::server::privacy::erase_resident`].
#[server(prefix = "/api", endpoint = "privacy/erase")]
pub async fn erase_resident(resident_id: String, confirm: Option<String>, password: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::erase_resident(&caller, resident_id, confirm, password).await)
}

/// The door to [`crate::server::privacy::audit_log`].
#[server(prefix = "/api", endpoint = "privacy/audit")]
pub async fn audit_log(
    resident: Option<String>,
    who: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<AuditPage, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::audit_log(&caller, resident, who, action, from, to).await)
}

/// The door to [`crate::server::privacy::erased_residents`].
#[server(prefix = "/api", endpoint = "sync/v1/erased", input = Json)]
pub async fn erased_residents(ids: Vec<String>) -> Result<Vec<String>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::erased_residents(&caller, ids).await)
}

/// The door to [`crate::server::privacy::load_retention`].
#[server(prefix = "/api", endpoint = "privacy/retention")]
pub async fn load_retention() -> Result<RetentionView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::load_retention(&caller).await)
}

/// The door to [`crate::server::privacy::save_retention`].
#[server(prefix = "/api", endpoint = "privacy/retention/save")]
pub async fn save_retention(class: String, months: String, lawful_basis: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::save_retention(&caller, class, months, lawful_basis).await)
}

/// The door to [`crate::server::privacy::run_retention`].
#[server(prefix = "/api", endpoint = "privacy/retention/run")]
pub async fn run_retention(dry_run: Option<String>, confirm: Option<String>, password: Option<String>) -> Result<RunView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::run_retention(&caller, dry_run, confirm, password).await)
}

/// The door to [`crate::server::privacy::load_my_consents`].
#[server(prefix = "/api", endpoint = "me/consents")]
pub async fn load_my_consents() -> Result<MyConsents, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::privacy::load_my_consents(&caller).await)
}

/// The door to [`crate::server::privacy::save_my_consents`].
#[server(prefix = "/api", endpoint = "me/consents/save")]
pub async fn save_my_consents(
    contact_about_issue: Option<String>,
    consultation_invitations: Option<String>,
    volunteering_opportunities: Option<String>,
    share_with_referred_service: Option<String>,
) -> Result<usize, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(
        crate::server::privacy::save_my_consents(
            &caller,
            contact_about_issue,
            consultation_invitations,
            volunteering_opportunities,
            share_with_referred_service,
        )
        .await,
    )
}
