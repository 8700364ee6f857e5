//! Volunteering: groups post opportunities and answer the interest in them; residents browse,
//! keep a profile, see ranked and explained matches and say they are interested.

use crate::error::AppError;
pub use crate::types::volunteering::*;
use leptos::prelude::*;

/// The door to [`crate::server::volunteering::list_opportunities`].
#[server(prefix = "/api", endpoint = "volunteer/opportunities")]
pub async fn list_opportunities(area: Option<String>, interest: Option<String>, all: Option<String>) -> Result<OpportunityList, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::list_opportunities(&caller, area, interest, all).await)
}

/// The door to [`crate::server::volunteering::get_opportunity`].
#[server(prefix = "/api", endpoint = "volunteer/opportunity")]
pub async fn get_opportunity(opportunity_id: String) -> Result<OpportunityView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::get_opportunity(&caller, opportunity_id).await)
}

/// The door to [`crate::server::volunteering::express_interest`].
#[server(prefix = "/api", endpoint = "volunteer/express")]
pub async fn express_interest(opportunity_id: String, share_contact: Option<String>, message: String) -> Result<bool, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::express_interest(&caller, opportunity_id, share_contact, message).await)
}

/// The door to [`crate::server::volunteering::my_interests`].
#[server(prefix = "/api", endpoint = "volunteer/mine")]
pub async fn my_interests() -> Result<Vec<MyInterest>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::my_interests(&caller).await)
}

/// The door to [`crate::server::volunteering::get_profile`].
#[server(prefix = "/api", endpoint = "volunteer/profile")]
pub async fn get_profile() -> Result<ProfileView, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::get_profile(&caller).await)
}

/// The door to [`crate::server::volunteering::save_profile`].
#[server(prefix = "/api", endpoint = "volunteer/profile/save")]
pub async fn save_profile(form: crate::domain::volunteering::ProfileForm) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::save_profile(&caller, form).await)
}

/// The door to [`crate::server::volunteering::manage_opportunities`].
#[server(prefix = "/api", endpoint = "volunteer/manage/list")]
pub async fn manage_opportunities() -> Result<ManageList, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::manage_opportunities(&caller).await)
}

/// The door to [`crate::server::volunteering::create_opportunity`].
#[server(prefix = "/api", endpoint = "volunteer/manage/create")]
pub async fn create_opportunity(form: crate::domain::volunteering::OpportunityForm, publish: Option<String>) -> Result<String, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::create_opportunity(&caller, form, publish).await)
}

/// The door to [`crate::server::volunteering::update_opportunity`].
#[server(prefix = "/api", endpoint = "volunteer/manage/update")]
pub async fn update_opportunity(opportunity_id: String, form: crate::domain::volunteering::OpportunityForm) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::update_opportunity(&caller, opportunity_id, form).await)
}

/// The door to [`crate::server::volunteering::set_opportunity_status`].
#[server(prefix = "/api", endpoint = "volunteer/manage/status")]
pub async fn set_opportunity_status(opportunity_id: String, status: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::set_opportunity_status(&caller, opportunity_id, status).await)
}

/// The door to [`crate::server::volunteering::opportunity_inbox`].
#[server(prefix = "/api", endpoint = "volunteer/manage/inbox")]
pub async fn opportunity_inbox(opportunity_id: String) -> Result<Inbox, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::opportunity_inbox(&caller, opportunity_id).await)
}

/// The door to [`crate::server::volunteering::set_interest_status`].
#[server(prefix = "/api", endpoint = "volunteer/manage/interest")]
pub async fn set_interest_status(interest_id: String, status: Option<String>) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::volunteering::set_interest_status(&caller, interest_id, status).await)
}
