//! One resident, not two. A resident with an online account confirms that a record made when
//! they were met at the door (which holds their verified email address) is theirs; an admin can
//! link or unlink a door record and an account's record too. Every link and unlink is audited on
//! both records. Which records are one person is kept by `repo::people`.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::types::people::*;

/// The door to [`crate::server::people::load_link_offers`].
#[server(prefix = "/api", endpoint = "me/records")]
pub async fn load_link_offers() -> Result<MyDoorRecords, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::people::load_link_offers(&caller).await)
}

/// The door to [`crate::server::people::answer_link_offer`].
#[server(prefix = "/api", endpoint = "me/records/answer")]
pub async fn answer_link_offer(resident_id: String, answer: Option<String>) -> Result<bool, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::people::answer_link_offer(&caller, resident_id, answer).await)
}

/// The door to [`crate::server::people::link_records`].
#[server(prefix = "/api", endpoint = "privacy/link")]
pub async fn link_records(resident_id: String, other: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::people::link_records(&caller, resident_id, other).await)
}

/// The door to [`crate::server::people::unlink_record`].
#[server(prefix = "/api", endpoint = "privacy/unlink")]
pub async fn unlink_record(resident_id: String) -> Result<(), AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::people::unlink_record(&caller, resident_id).await)
}
