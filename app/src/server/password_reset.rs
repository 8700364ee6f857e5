//! Resetting a forgotten password.

use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::password_reset::*;

use crate::domain::mail::MessageKind;
use crate::domain::Msg;
use crate::server::repo::email_tokens::{self, NewToken, Purpose};
use crate::server::{letters, mail, repo, AppState};

/// Queues a reset link if the address has an account that can use one (at most a few an hour).
pub async fn send_link(state: &AppState, email: &str, t: i64) -> sqlx::Result<()> {
    let db = &state.db;
    let Some(user) = repo::users::find_by_email(db, email).await?.filter(|u| u.active == 1) else { return Ok(()) };
    let token = crate::server::tokens::new_token();
    let base = state.link_base();
    let link = format!("{base}/reset-password/{token}");
    let hash = crate::server::tokens::token_hash(&token);
    let mut tx = state.db.begin_write().await?;
    // At most a few an hour, counted under a lock: several requests at once send no more.
    repo::users::lock(&mut tx, &user.id).await?;
    if email_tokens::recent_for_email(&mut tx, email, Purpose::ResetPassword, t - 3600).await? >= RESETS_PER_HOUR {
        return Ok(());
    }
    let new = NewToken {
        token_hash: &hash,
        purpose: Purpose::ResetPassword,
        organisation_id: &user.organisation_id,
        user_id: Some(&user.id),
        email,
        response_id: None,
        expires_at: t + RESET_MINUTES * 60,
    };
    email_tokens::insert(&mut tx, new, t).await?;
    let locale = crate::language::choice::for_letters(Some(&user.language), None, crate::language::page_locale());
    let message = mail::Outgoing {
        organisation_id: &user.organisation_id,
        kind: MessageKind::PasswordReset,
        to_address: &user.email,
        to_name: &user.display_name,
        letter: letters::password_reset(locale, &link, RESET_MINUTES),
        lang: crate::language::choice::code(locale),
        consultation_id: None,
        consent: None,
    };
    mail::queue(&mut tx, &base, message, t).await?;
    tx.commit().await?;
    state.mail.now();
    Ok(())
}

async fn open_reset(
    db: &crate::server::Db,
    token: &str,
) -> Result<(crate::server::repo::email_tokens::TokenRow, crate::server::repo::users::UserRow), AppError> {
    use crate::server::now;
    use crate::server::repo::{email_tokens, users};
    let row = email_tokens::find(db, email_tokens::Purpose::ResetPassword, &crate::server::tokens::token_hash(token.trim()))
        .await?
        .ok_or(AppError::NotFound)?;
    if row.used_at.is_some() {
        return Err(AppError::Conflict(Msg::LinkAlreadyBeenUsedIf));
    }
    if row.expires_at <= now() {
        return Err(AppError::Conflict(Msg::ResetLinkExpired { minutes: RESET_MINUTES }));
    }
    let user = users::find_by_id(db, row.user_id.as_deref().unwrap_or("")).await?;
    let user = user.filter(|u| u.active == 1).ok_or(AppError::NotFound)?;
    Ok((row, user))
}

/// Sends a reset link if the address has an account; the answer is the same either way.
pub async fn forgot_password(caller: &Caller, email: String) -> Result<(), AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::{auth, now};
    let state = caller.state.clone();
    let mut errors = FieldErrors::new();
    validation::check_email(&mut errors, "email", &email);
    errors.into_result().map_err(AppError::Invalid)?;
    let email = validation::normalise_email(&email);
    // Throttled like signing in (by address and by the address asked about), under its own
    // key, so asking for resets cannot lock the account's owner out of signing in.
    let _attempt = auth::reserve_attempt(&state, "reset:", &email, None, "password reset request").await?;
    // The answer goes now, and the same way whether or not the address has an account:
    // looking it up and queueing the link happen after, so the time taken says nothing.
    tokio::spawn(async move {
        if let Err(e) = crate::server::password_reset::send_link(&state, &email, now()).await {
            tracing::warn!(%e, "could not queue a password reset link");
        }
    });
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// What the reset page shows before the new password is chosen.
pub async fn check_reset(caller: &Caller, token: String) -> Result<ResetInfo, AppError> {
    let (_, user) = open_reset(&caller.state.db, &token).await?;
    Ok(ResetInfo { email: crate::domain::validation::mask_email(&user.email) })
}

/// Chooses the new password, uses up the link and ends every session of the account. The person
/// then signs in as usual (with their second factor, if they have one).
pub async fn reset_password(caller: &Caller, token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::repo::{email_tokens, login_attempts, users};
    use crate::server::{auth, now, security_log};
    let (row, user) = open_reset(&caller.state.db, &token).await?;
    let mut errors = FieldErrors::new();
    validation::check_new_password_twice(&mut errors, "password", &password, &confirm_password, &user.email);
    errors.into_result().map_err(AppError::Invalid)?;
    let hash = auth::hash_password(password).await?;
    let state = &caller.state;
    let t = now();
    let mut tx = state.db.begin_write().await?;
    if !email_tokens::use_up(&mut tx, &row.token_hash, t).await? {
        return Err(AppError::Conflict(Msg::LinkAlreadyBeenUsedIf));
    }
    email_tokens::retire_for_user(&mut tx, &user.id, email_tokens::Purpose::ResetPassword, t).await?;
    // An invitation link not yet used stops working too: it would set the password again.
    sqlx::query("UPDATE invitations SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(t)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    users::set_password_hash(&mut *tx, &user.id, &hash).await?;
    users::mark_email_verified(&mut tx, &user.id, t).await?;
    // Whoever was signed in as them, anywhere, is signed out, this browser included, in
    // the same transaction as the new password.
    crate::server::account::delete_sessions_of(&mut tx, &user.id, None).await?;
    tx.commit().await?;
    let session = &caller.session;
    if auth::user_from(state, session).await?.is_some_and(|u| u.id == user.id) {
        session.flush().await.map_err(|e| AppError::internal("session flush", e))?;
    }
    login_attempts::clear_failures(&state.db, &user.email).await?;
    let address = auth::client_address(state);
    let event = security_log::Event { user_id: Some(&user.id), address: &address, detail: "password reset by email", ..Default::default() };
    security_log::record(&state.db, security_log::Kind::PrivilegeChanged, event, t).await;
    leptos_axum::redirect("/sign-in?reset=1");
    Ok(())
}
