//! The organisation's outgoing mail, for its administrators: what was sent, what is waiting and
//! what failed and why. Addresses are masked (also inside a mail server's error text), and every
//! view is written to the audit log, once for the list and once for each resident it shows.

use crate::error::AppError;
pub use crate::types::mail::*;
use leptos::prelude::*;

/// The door to [`crate::server::mail_log::load_mail`].
#[server(prefix = "/api", endpoint = "mail/list")]
pub async fn load_mail(status: Option<String>) -> Result<Option<MailPage>, AppError> {
    let caller = crate::server::auth::Caller::get().await?;
    crate::server::auth::with_status(crate::server::mail_log::load_mail(&caller, status).await)
}
