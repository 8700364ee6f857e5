//! A person's own account: their details, password, second factor and sign-in codes.

use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::Db;
use crate::types::account::*;

pub use crate::server::auth::{NEW_CODES, TOTP_SETUP};

/// Ends every other session of the account: signed in, or waiting for its code.
pub async fn end_other_sessions(db: &Db, session: &tower_sessions::Session, user_id: &str) -> Result<(), AppError> {
    session.save().await.map_err(|e| AppError::internal("session save", e))?;
    let current = session.id().map(|id| id.to_string()).unwrap_or_default();
    let mut conn = db.acquire().await?;
    delete_sessions_of(&mut conn, user_id, Some(&current)).await.map_err(AppError::from)
}

/// Deletes the account's sessions (signed in, or waiting for its code), but `except`.
pub async fn delete_sessions_of(conn: &mut sqlx::AnyConnection, user_id: &str, except: Option<&str>) -> sqlx::Result<()> {
    for key in ["user_id", "pending_user"] {
        sqlx::query("DELETE FROM sessions WHERE data LIKE $1 AND id <> $2")
            .bind(format!("%\"{key}\":\"{user_id}\"%"))
            .bind(except.unwrap_or(""))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What the account page shows.
pub async fn load_account(caller: &Caller) -> Result<AccountView, AppError> {
    use crate::domain::Role;
    use crate::server::{repo, second_factor};
    let user = caller.user()?;
    let state = &caller.state;
    let session = &caller.session;
    let pending: Option<String> =
        session.get(crate::server::account::TOTP_SETUP).await.map_err(|e| AppError::internal("session read", e))?;
    let setup = match pending {
        Some(secret) if !user.has_second_factor() => {
            let url = second_factor::setup_url(&secret, &user.email).ok_or_else(|| AppError::internal("totp", "setup url"))?;
            let qr_svg = second_factor::qr_svg(&url).ok_or_else(|| AppError::internal("totp", "qr"))?;
            Some(TotpSetup { secret: second_factor::grouped(&secret), url, qr_svg })
        }
        _ => None,
    };
    let new_recovery_codes: Vec<String> =
        session.get(crate::server::account::NEW_CODES).await.map_err(|e| AppError::internal("session read", e))?.unwrap_or_default();
    Ok(AccountView {
        second_factor: user.has_second_factor(),
        second_factor_required: user.role() == Some(Role::Admin) && state.config.require_admin_second_factor,
        recovery_codes_left: repo::users::unused_recovery_codes(&state.db, &user.id).await?,
        setup,
        new_recovery_codes,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
    })
}

/// Changes the password: the current one first. Every other session of the account ends.
pub async fn change_password(
    caller: &Caller,
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::{auth, now, repo, security_log};
    let user = caller.user()?;
    let state = &caller.state;
    let session = &caller.session;
    let mut errors = FieldErrors::new();
    if current_password.is_empty() {
        errors.add("current_password", Msg::EnterCurrentPassword);
    }
    validation::check_new_password_twice(&mut errors, "new_password", &new_password, &confirm_password, &user.email);
    errors.into_result().map_err(AppError::Invalid)?;
    if !auth::verify_throttled(state, user, current_password).await? {
        let address = auth::client_address(state);
        let event = security_log::Event {
            user_id: Some(&user.id),
            address: &address,
            detail: "wrong current password when changing it",
            ..Default::default()
        };
        security_log::record(&state.db, security_log::Kind::SignInFailed, event, now()).await;
        return Err(AppError::invalid("current_password", Msg::CurrentPasswordNotRight));
    }
    let hash = auth::hash_password(new_password).await?;
    repo::users::set_password_hash(&state.db, &user.id, &hash).await?;
    // A new session id here, and every other session of this account ends.
    session.cycle_id().await.map_err(|e| AppError::internal("session cycle", e))?;
    crate::server::account::end_other_sessions(&state.db, session, &user.id).await?;
    let address = auth::client_address(state);
    let event = security_log::Event { user_id: Some(&user.id), address: &address, detail: "password changed", ..Default::default() };
    security_log::record(&state.db, security_log::Kind::PrivilegeChanged, event, now()).await;
    leptos_axum::redirect("/account?changed=password");
    Ok(())
}

/// Starts adding an authenticator app: a new secret, kept on this session until a code from the
/// app confirms it.
pub async fn begin_second_factor(caller: &Caller) -> Result<(), AppError> {
    use crate::server::second_factor;
    let user = caller.user()?;
    if user.has_second_factor() {
        return Err(AppError::Conflict(Msg::TwoStepVerificationAlreadyAccount));
    }
    let session = &caller.session;
    session
        .insert(crate::server::account::TOTP_SETUP, second_factor::new_secret())
        .await
        .map_err(|e| AppError::internal("session write", e))?;
    leptos_axum::redirect("/account#set-up");
    Ok(())
}

/// Confirms the app with a code from it: two-step verification is on, this session counts as
/// having used it, and ten recovery codes are made (shown once).
pub async fn confirm_second_factor(caller: &Caller, code: String) -> Result<(), AppError> {
    use crate::server::{auth, now, repo, second_factor, security_log};
    let user = caller.user()?;
    let state = &caller.state;
    let session = &caller.session;
    if user.has_second_factor() {
        return Err(AppError::Conflict(Msg::TwoStepVerificationAlreadyAccount));
    }
    let Some(secret) =
        session.get::<String>(crate::server::account::TOTP_SETUP).await.map_err(|e| AppError::internal("session read", e))?
    else {
        return Err(AppError::Conflict(Msg::StartAgainChooseSetUp));
    };
    let t = now();
    let Some(step) = second_factor::check(&secret, &code, t) else {
        return Err(AppError::invalid("code", Msg::CodeNotRightEnter6));
    };
    let codes = second_factor::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| second_factor::recovery_hash(c)).collect();
    let mut tx = state.db.begin_write().await?;
    repo::users::enable_totp(&mut tx, &user.id, &secret, step, &hashes, t).await?;
    tx.commit().await?;
    let _ = session.remove::<String>(crate::server::account::TOTP_SETUP).await;
    session.insert(crate::server::account::NEW_CODES, &codes).await.map_err(|e| AppError::internal("session write", e))?;
    session.insert(auth::SECOND_FACTOR, true).await.map_err(|e| AppError::internal("session write", e))?;
    // Sessions signed in with the password alone end now.
    crate::server::account::end_other_sessions(&state.db, session, &user.id).await?;
    let address = auth::client_address(state);
    let event =
        security_log::Event { user_id: Some(&user.id), address: &address, detail: "two-step verification turned on", ..Default::default() };
    security_log::record(&state.db, security_log::Kind::PrivilegeChanged, event, t).await;
    leptos_axum::redirect("/account#recovery-codes");
    Ok(())
}

/// The person has kept their new recovery codes somewhere safe: they are not shown again.
pub async fn recovery_codes_kept(caller: &Caller) -> Result<(), AppError> {
    caller.user()?;
    let session = &caller.session;
    let _ = session.remove::<Vec<String>>(crate::server::account::NEW_CODES).await;
    leptos_axum::redirect("/account");
    Ok(())
}

/// New recovery codes in place of the old ones (after the password again, if not just given).
pub async fn new_recovery_codes(caller: &Caller, password: Option<String>) -> Result<(), AppError> {
    use crate::server::{auth, repo, second_factor};
    let user = caller.user()?;
    let state = &caller.state;
    let session = &caller.session;
    if !user.has_second_factor() {
        return Err(AppError::Conflict(Msg::TurnTwoStepVerificationFirst));
    }
    auth::confirm_recent(state, session, user, password, "password").await?;
    let codes = second_factor::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| second_factor::recovery_hash(c)).collect();
    let mut conn = state.db.acquire().await?;
    repo::users::replace_recovery_codes(&mut conn, &user.id, &hashes).await?;
    session.insert(crate::server::account::NEW_CODES, &codes).await.map_err(|e| AppError::internal("session write", e))?;
    leptos_axum::redirect("/account#recovery-codes");
    Ok(())
}

/// Turns two-step verification off (not for administrators, who must use it).
pub async fn turn_off_second_factor(caller: &Caller, off_password: Option<String>) -> Result<(), AppError> {
    use crate::domain::Role;
    use crate::server::{auth, now, repo, security_log};
    let user = caller.user()?;
    let state = &caller.state;
    if user.role() == Some(Role::Admin) && state.config.require_admin_second_factor {
        return Err(AppError::Conflict(Msg::AdministratorsMustUseTwoStep));
    }
    let session = &caller.session;
    auth::confirm_recent(state, session, user, off_password, "off_password").await?;
    let mut conn = state.db.acquire().await?;
    repo::users::disable_totp(&mut conn, &user.id).await?;
    let address = auth::client_address(state);
    let event = security_log::Event {
        user_id: Some(&user.id),
        address: &address,
        detail: "two-step verification turned off",
        ..Default::default()
    };
    security_log::record(&state.db, security_log::Kind::PrivilegeChanged, event, now()).await;
    leptos_axum::redirect("/account");
    Ok(())
}
