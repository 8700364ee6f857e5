//! Residents registering and confirming their address.

use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::register::*;

use crate::domain::mail::MessageKind;
use crate::domain::Msg;
use crate::server::repo::email_tokens::{self, NewToken, Purpose};
use crate::server::{letters, mail, repo, AppState};

pub async fn send_verification(
    conn: &mut sqlx::AnyConnection,
    base: &str,
    organisation_id: &str,
    user_id: &str,
    email: &str,
    now: i64,
) -> sqlx::Result<()> {
    let token = crate::server::tokens::new_token();
    let hash = crate::server::tokens::token_hash(&token);
    let new = NewToken {
        token_hash: &hash,
        purpose: Purpose::VerifyEmail,
        organisation_id,
        user_id: Some(user_id),
        email,
        response_id: None,
        expires_at: now + VERIFY_HOURS * 3600,
    };
    email_tokens::insert(conn, new, now).await?;
    let message = mail::Outgoing {
        organisation_id,
        kind: MessageKind::EmailVerification,
        to_address: email,
        // Not the name typed on the form: until the address is confirmed, nothing a stranger
        // wrote goes to it.
        to_name: "",
        letter: letters::verify_email(crate::language::page_locale(), &format!("{base}/verify-email/{token}"), VERIFY_HOURS),
        lang: crate::language::choice::code(crate::language::page_locale()),
        consultation_id: None,
        consent: None,
    };
    mail::queue(conn, base, message, now).await?;
    Ok(())
}

/// Someone asked for an account with an address that has one: its holder hears of it (at most
/// a few times an hour), with a way to choose a new password, which also confirms an address
/// not yet confirmed: whoever made the account first cannot keep it by knowing its password.
/// The asker is answered as for a new account.
pub async fn tell_holder(state: &AppState, email: &str, now: i64) -> Result<(), AppError> {
    let db = &state.db;
    let Some(holder) = repo::users::find_by_email(db, email).await? else { return Ok(()) };
    let base = state.link_base();
    let mut tx = state.db.begin_write().await?;
    repo::users::lock(&mut tx, &holder.id).await?;
    if mail::recent_to(&mut tx, &holder.email, MessageKind::AccountExists, now - 3600).await? >= VERIFICATIONS_PER_HOUR {
        return Ok(());
    }
    let message = mail::Outgoing {
        organisation_id: &holder.organisation_id,
        kind: MessageKind::AccountExists,
        to_address: &holder.email,
        to_name: "",
        letter: letters::account_exists(crate::language::page_locale(), &format!("{base}/sign-in"), &format!("{base}/forgot-password")),
        lang: crate::language::choice::code(crate::language::page_locale()),
        consultation_id: None,
        consent: None,
    };
    mail::queue(&mut tx, &base, message, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A new confirmation link for an account still waiting (at most a few an hour).
pub async fn send_again(state: &AppState, holder: &repo::users::UserRow, now: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    repo::users::lock(&mut tx, &holder.id).await?;
    if email_tokens::recent_for_email(&mut tx, &holder.email, Purpose::VerifyEmail, now - 3600).await? >= VERIFICATIONS_PER_HOUR {
        return Ok(());
    }
    send_verification(&mut tx, &state.link_base(), &holder.organisation_id, &holder.id, &holder.email, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The confirmation link's row and its account, used or not (each caller decides what that means).
async fn open_verification(
    state: &crate::server::AppState,
    token: &str,
) -> Result<(crate::server::repo::email_tokens::TokenRow, crate::server::repo::users::UserRow), AppError> {
    use crate::server::repo::{email_tokens, users};
    let hash = crate::server::tokens::token_hash(token.trim());
    let row = email_tokens::find(&state.db, email_tokens::Purpose::VerifyEmail, &hash).await?.ok_or(AppError::NotFound)?;
    let user = users::find_by_id(&state.db, row.user_id.as_deref().unwrap_or("")).await?.ok_or(AppError::NotFound)?;
    Ok((row, user))
}
fn expired() -> AppError {
    AppError::Conflict(Msg::VerifyLinkExpired { n: VERIFY_HOURS })
}

/// Creates a resident account on this site's organisation and emails the link that confirms it.
pub async fn register(
    caller: &Caller,
    display_name: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::domain::{validation, FieldErrors, Role};
    use crate::server::{auth, db::is_unique_violation, now, repo};
    let state = &caller.state;
    let mut errors = FieldErrors::new();
    validation::check_name(&mut errors, "display_name", &display_name, crate::domain::Label::YourName);
    validation::check_email(&mut errors, "email", &email);
    validation::check_new_password_twice(&mut errors, "password", &password, &confirm_password, &email);
    errors.into_result().map_err(AppError::Invalid)?;
    let email = validation::normalise_email(&email);
    let display_name = validation::one_line(&display_name, validation::MAX_NAME_LEN);
    // Throttled like signing in: one network address cannot make accounts (or send
    // emails to strangers) without limit.
    let _attempt = auth::reserve_attempt(state, "register:", &email, None, "registration").await?;
    let db = &state.db;
    let Some(site) = repo::organisations::site_host(db).await? else {
        return Err(AppError::Conflict(Msg::MobiliseSiteNotSetUp));
    };
    let hash = auth::hash_password(password).await?;
    let t = now();
    let base = state.link_base();
    let mut tx = db.begin_write().await?;
    let new = repo::users::NewUser {
        organisation_id: &site.id,
        email: &email,
        display_name: &display_name,
        role: Role::Resident,
        password_hash: Some(&hash),
        created_by: None,
        email_verified: false,
    };
    match repo::users::insert(&mut *tx, new, t).await {
        Ok(user_id) => {
            crate::server::register::send_verification(&mut tx, &base, &site.id, &user_id, &email, t).await?;
            tx.commit().await?;
            tracing::info!(%user_id, "resident account created, waiting for its address to be confirmed");
        }
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            crate::server::register::tell_holder(state, &email, t).await?;
        }
        Err(e) => return Err(e.into()),
    }
    state.mail.now();
    leptos_axum::redirect("/register?sent=1");
    Ok(())
}

/// Confirms the address with the emailed link and the account's password (a button on the
/// link's page: opening a link changes nothing, as mail scanners open links too). The password
/// proves the person confirming made the account: someone who registered another person's
/// address cannot have it confirmed for them.
pub async fn verify_email(caller: &Caller, token: String, password: String) -> Result<(), AppError> {
    use crate::server::repo::{email_tokens, users};
    use crate::server::{auth, now};
    let state = &caller.state;
    let (row, user) = open_verification(state, &token).await?;
    if user.email_verified_at.is_some() {
        // Already confirmed (this link or another): nothing to do but sign in.
        leptos_axum::redirect("/sign-in?verified=1");
        return Ok(());
    }
    if row.expires_at <= now() {
        return Err(expired());
    }
    if password.is_empty() {
        return Err(AppError::invalid("password", Msg::EnterPasswordChoseWhenMade));
    }
    if !auth::verify_throttled(state, &user, password).await? {
        return Err(AppError::invalid("password", Msg::NotPasswordAccountIfDid));
    }
    let t = now();
    let mut tx = state.db.begin_write().await?;
    if !email_tokens::use_up(&mut tx, &row.token_hash, t).await? {
        return Err(expired());
    }
    users::mark_email_verified(&mut tx, &user.id, t).await?;
    email_tokens::retire_for_user(&mut tx, &user.id, email_tokens::Purpose::VerifyEmail, t).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "email address confirmed");
    leptos_axum::redirect("/sign-in?verified=1");
    Ok(())
}

/// What the verification link's page says before the button is pressed.
pub async fn check_verification(caller: &Caller, token: String) -> Result<String, AppError> {
    use crate::server::now;
    let state = &caller.state;
    let (row, user) = open_verification(state, &token).await?;
    if user.email_verified_at.is_none() && (row.expires_at <= now() || row.used_at.is_some()) {
        return Err(expired());
    }
    Ok(crate::domain::validation::mask_email(&user.email))
}

/// "Send the link again", from the sign-in page: the same answer whatever the address.
pub async fn resend_verification(caller: &Caller, email: String) -> Result<(), AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::{auth, now};
    let state = &caller.state;
    let mut errors = FieldErrors::new();
    validation::check_email(&mut errors, "email", &email);
    errors.into_result().map_err(AppError::Invalid)?;
    let email = validation::normalise_email(&email);
    let _attempt = auth::reserve_attempt(state, "register:", &email, None, "verification link again").await?;
    let holder = crate::server::repo::users::find_by_email(&state.db, &email).await.map_err(|e| AppError::internal("database", e))?;
    if let Some(holder) = holder.filter(|u| u.email_verified_at.is_none() && u.active == 1) {
        crate::server::register::send_again(state, &holder, now()).await?;
        state.mail.now();
    }
    leptos_axum::redirect("/register?sent=1");
    Ok(())
}
