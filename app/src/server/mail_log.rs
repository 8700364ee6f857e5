//! The mail log: what was sent, to whom (masked) and how it went.

use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::mail::*;

use crate::domain::calendar::uk_date_time;
use crate::domain::mail::{MessageKind, MessageStatus};
use crate::domain::validation::{mask_addresses, mask_email};
use crate::domain::Msg;
use crate::i18n::td_string;
use crate::language::names::HasName;
use crate::server::repo::mail::MessageRow;

/// One message as the log shows it, in the page's language.
pub fn entry(m: MessageRow) -> MailEntry {
    let locale = crate::language::page_locale();
    let status = MessageStatus::parse(&m.status);
    let when = match status {
        Some(MessageStatus::Waiting) if m.attempts > 0 => td_string!(locale, mail_page.next_try, when = uk_date_time(m.next_attempt_at)),
        Some(MessageStatus::Waiting) => td_string!(locale, mail_page.not_tried).to_string(),
        _ => m.finished_at.map(uk_date_time).unwrap_or_default(),
    };
    MailEntry {
        kind: MessageKind::parse(&m.kind).map_or(m.kind.clone(), |k| k.name(locale).to_string()),
        to: mask_email(&m.to_address),
        // The app writes subjects, but they can carry what others typed (a title, a name).
        subject: mask_addresses(&m.subject),
        status_label: status.map_or(m.status.clone(), |s| s.name(locale).to_string()),
        status: m.status,
        attempts: m.attempts,
        queued: uk_date_time(m.created_at),
        when,
        problem: m.last_error.filter(|e| !e.trim().is_empty()).map(|e| mask_addresses(&e)),
        id: m.id,
    }
}

/// The newest messages, in one state (`waiting`, `sent`, `failed`, `cancelled`) or all, for an
/// administrator. Audited, so shown only to a POST (the app's own call, or the page's "Show the
/// messages" button): for a GET, `None`, and nothing is read or written.
pub async fn load_mail(caller: &Caller, status: Option<String>) -> Result<Option<MailPage>, AppError> {
    use crate::domain::mail::MessageStatus;
    use crate::domain::privacy::AuditAction;
    use crate::server::{auth, now, repo};
    let user = caller.require(|r| r.can_handle_data_protection())?;
    let state = &caller.state;
    let status = match status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(MessageStatus::parse(s).ok_or_else(|| AppError::invalid("status", Msg::ChooseOneStatesListed))?),
    };
    if !auth::opened_by_post() {
        return Ok(None);
    }
    let db = &state.db;
    let mut rows = repo::mail::list(db, &user.organisation_id, status.map(MessageStatus::as_str), MAIL_LIMIT + 1).await?;
    let more = rows.len() as i64 > MAIL_LIMIT;
    rows.truncate(MAIL_LIMIT as usize);
    let counts = repo::mail::counts(db, &user.organisation_id).await?;
    let counts = MessageStatus::ALL
        .into_iter()
        .map(|s| MailCount {
            status: s.as_str().into(),
            label: s.name(crate::language::page_locale()).into(),
            count: counts.iter().find(|(k, _)| k == s.as_str()).map_or(0, |(_, n)| *n),
        })
        .collect();

    // One entry for the list, and one for each resident whose messages it shows, so the
    // resident's own audit trail says who saw them.
    let address = auth::client_address(state);
    let t = now();
    let mut residents: Vec<&str> = rows.iter().filter_map(|m| m.resident_id.as_deref()).collect();
    residents.sort_unstable();
    residents.dedup();
    let shown = status.map_or("all", MessageStatus::as_str);
    let mut tx = state.db.begin_write().await?;
    let detail = format!("outgoing mail: {} messages shown ({shown})", rows.len());
    repo::privacy::audit(
        &mut tx,
        crate::server::repo::privacy::AuditEntry {
            organisation_id: &user.organisation_id,
            actor: Some(&user.id),
            action: AuditAction::Viewed,
            resident_id: None,
            detail: &detail,
            address: &address,
            at: t,
        },
    )
    .await?;
    for resident in residents {
        repo::privacy::audit(
            &mut tx,
            crate::server::repo::privacy::AuditEntry {
                organisation_id: &user.organisation_id,
                actor: Some(&user.id),
                action: AuditAction::Viewed,
                resident_id: Some(resident),
                detail: "outgoing mail",
                address: &address,
                at: t,
            },
        )
        .await?;
    }
    tx.commit().await?;

    let goes_to = match &state.config.mail.smtp_url {
        Some(_) => td_string!(crate::language::page_locale(), mail_page.goes_smtp).to_string(),
        None => td_string!(crate::language::page_locale(), mail_page.goes_files, dir = format!("{}/", state.config.mail.dir)),
    };
    Ok(Some(MailPage {
        status: status.map(|s| s.as_str().to_string()),
        counts,
        entries: rows.into_iter().map(crate::server::mail_log::entry).collect(),
        more,
        goes_to,
    }))
}
