//! Referrals: the owner's list for the tablet, and the partner organisation's page.

use crate::error::AppError;
pub use crate::types::referrals::*;
use leptos::prelude::*;

/// The door to [`crate::server::referrals::my_referrals`]. Kept on the tablet with the
/// follow-ups, so its address stays fixed.
#[server(prefix = "/api", endpoint = "outreach/referrals")]
pub async fn my_referrals() -> Result<Vec<ReferralView>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::referrals::my_referrals(&caller).await)
}

/// The door to [`crate::server::referrals::partner_referrals`].
#[server(prefix = "/api", endpoint = "referrals/partner")]
pub async fn partner_referrals() -> Result<ReferralsToGroup, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::referrals::partner_referrals(&caller).await)
}

/// The door to [`crate::server::referrals::partner_step`].
#[server(prefix = "/api", endpoint = "referrals/step")]
pub async fn answer_referral(referral_id: String, step: String, note: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::referrals::partner_step(&caller, referral_id, step, note).await)
}
