//! Inviting residents to take part in a consultation.

use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::invitations::*;

use crate::domain::consultation::{accepts_input, Stage};
use crate::server::repo::consultations::ConsultationRow;

/// Invitations ask people to answer now: only while the consultation takes answers.
pub fn open(row: &ConsultationRow) -> Result<(), String> {
    let stage = row.stage;
    if stage == Stage::Draft {
        return Err(crate::domain::Msg::OpenConsultationFirstDraft.to_string());
    }
    accepts_input(stage, row.opens_on.as_deref(), row.closes_on.as_deref(), &crate::server::uk_today())
        .map_err(|why| crate::domain::Msg::InvitationsOnlyWhileOpen { why: why.to_string() }.to_string())
}

pub fn conflict(why: String) -> AppError {
    AppError::Conflict(why.into())
}

/// How many residents an invitation would go to now, and how many were invited already.
pub async fn invitation_summary(caller: &Caller, consultation_id: String) -> Result<InvitationCounts, AppError> {
    let residents_in_words = |n: i64| crate::language::names::residents(crate::language::page_locale(), n);
    use crate::server::consultations::managed;
    use crate::server::repo::consultation_invitations as repo;
    let user = caller.consultation_manager()?;
    let state = &caller.state;
    let row = managed(&state.db, &consultation_id, user).await?;
    let mut conn = state.db.acquire().await?;
    let ready = repo::invitable(&mut conn, &user.organisation_id, &row.id).await?.len() as i64;
    let invited = repo::invited(&mut conn, &user.organisation_id, &row.id).await?;
    Ok(InvitationCounts {
        not_open: crate::server::invitations::open(&row).err(),
        ready: residents_in_words(ready),
        any_ready: ready > 0,
        invited: residents_in_words(invited),
    })
}

/// Invites everyone who may be invited now and has not been; answers how many, in words.
pub async fn send_invitations(caller: &Caller, consultation_id: String) -> Result<String, AppError> {
    let residents_in_words = |n: i64| crate::language::names::residents(crate::language::page_locale(), n);
    use crate::domain::mail::MessageKind;
    use crate::domain::outreach::ConsentPurpose;
    use crate::server::consultations::managed;
    use crate::server::{letters, mail, now, repo::consultation_invitations as repo};
    let user = caller.consultation_manager()?;
    let state = &caller.state;
    let row = managed(&state.db, &consultation_id, user).await?;
    crate::server::invitations::open(&row).map_err(crate::server::invitations::conflict)?;
    let base = state.link_base();
    let link = format!("{base}/consultations/{}", row.id);
    let t = now();
    let mut tx = state.db.begin_write().await?;
    let invitees = repo::invitable(&mut tx, &user.organisation_id, &row.id).await?;
    let mut sent = 0i64;
    for who in &invitees {
        if !repo::record(&mut tx, &user.organisation_id, &row.id, &who.resident_id, &user.id, t).await? {
            continue;
        }
        // In their language: their account's choice, else what they asked for at the door.
        let locale =
            crate::language::choice::for_letters(Some(&who.saved_language), Some(&who.preferred_language), crate::language::page_locale());
        let letter = letters::consultation_invitation(
            locale,
            &row.organisation_name,
            &who.name,
            &row.title,
            &row.summary,
            row.closes_on.as_deref(),
            &link,
        );
        let message = mail::Outgoing {
            organisation_id: &user.organisation_id,
            kind: MessageKind::ConsultationInvitation,
            to_address: &who.email,
            to_name: &who.name,
            letter,
            lang: crate::language::choice::code(locale),
            consultation_id: Some(&row.id),
            consent: Some((&who.resident_id, ConsentPurpose::ConsultationInvitations)),
        };
        mail::queue(&mut tx, &base, message, t).await?;
        sent += 1;
    }
    tx.commit().await?;
    tracing::info!(user = %user.id, consultation = %row.id, sent, "consultation invitations queued");
    state.mail.now();
    Ok(residents_in_words(sent))
}
