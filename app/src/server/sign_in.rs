//! Signing in and out.

use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::CurrentUser;

/// Signs in with email and password. Works as a plain form post without JavaScript. `true`
/// asks the page to load the home page afresh (see [`home`]).
pub async fn login(caller: &Caller, email: String, password: String) -> Result<bool, AppError> {
    use crate::domain::{validation, FieldErrors, Label};
    use crate::server::{auth, now, repo, security_log};
    let state = &caller.state;
    let email = validation::normalise_email(&email);
    let mut errors = FieldErrors::new();
    if email.is_empty() {
        errors.add("email", Msg::EnterYourEmailAddress);
    } else if email.chars().count() > validation::MAX_EMAIL_LEN {
        // No account has such an address; refused before it is kept as a failed attempt (a
        // PostgreSQL index cannot hold a key of a megabyte: found by the hostile-input test).
        errors.add("email", Msg::TooLong { what: Label::EmailAddress, max: validation::MAX_EMAIL_LEN as i64 });
    }
    if password.is_empty() {
        errors.add("password", Msg::EnterYourPassword);
    }
    errors.into_result().map_err(AppError::Invalid)?;

    let db = &state.db;
    let address = auth::client_address(state);
    let t = now();
    let attempt = auth::reserve_attempt(state, "", &email, None, "password").await?;

    let user = repo::users::find_by_email(db, &email).await?;
    let hash = user.as_ref().filter(|u| u.can_sign_in()).and_then(|u| u.password_hash.clone());
    let ok = auth::verify_password(password, hash).await?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        _ => {
            // The reservation stays as the failure.
            let subject = crate::domain::validation::mask_email(&email);
            let event = security_log::Event { subject: &subject, address: &address, ..Default::default() };
            security_log::record(db, security_log::Kind::SignInFailed, event, t).await;
            return Err(AppError::BadCredentials);
        }
    };
    attempt.succeeded(state).await?;
    if user.email_verified_at.is_none() {
        // Said only to someone who knows the password.
        return Err(AppError::EmailNotVerified);
    }
    let session = &caller.session;
    if user.has_second_factor() {
        // Not signed in yet: the code comes next, and earlier failures still count.
        auth::await_second_factor(session, &user).await?;
        leptos_axum::redirect("/sign-in/code");
        return Ok(false);
    }
    repo::login_attempts::clear_failures(db, &email).await?;
    auth::start_session(session, &user, false).await?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok(home(caller, &user))
}

/// Where someone goes once signed in: the home page. Staff carry on in the app, which moves
/// there itself, and their device is marked as a staff member's. A resident's pages come without
/// the app (see `server::plain_pages`), so for them the page is told (`true`) to load the home
/// page afresh, where the app steps aside. A plain form post, without JavaScript, follows the
/// redirect in either case.
fn home(caller: &Caller, user: &crate::server::repo::users::UserRow) -> bool {
    use crate::server::plain_pages;
    match user.role() {
        Some(role) if role.is_staff() => plain_pages::mark_staff_device(&caller.state),
        Some(_) if !plain_pages::plain_form_post() => return true,
        _ => {}
    }
    leptos_axum::redirect("/");
    false
}

/// The second step of signing in, for an account with two-step verification: a code from the
/// authenticator app (each accepted once) or one of the recovery codes. Works without JavaScript.
/// `true` asks the page to load the home page afresh (see [`home`]).
pub async fn second_step(caller: &Caller, code: String) -> Result<bool, AppError> {
    use crate::server::{auth, now, repo, second_factor, security_log};
    let state = &caller.state;
    let db = &state.db;
    let session = &caller.session;
    let Some(user_id) = auth::pending_second_factor(session).await? else {
        return Err(AppError::Conflict(Msg::SignAgainCodeMustFollow));
    };
    let user = repo::users::find_by_id(db, &user_id).await?;
    let Some(user) = user.filter(|u| u.can_sign_in() && u.has_second_factor()) else {
        return Err(AppError::Conflict(Msg::SignAgain));
    };
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", Msg::EnterCode));
    }
    // Codes are throttled with the password attempts of the same account.
    let address = auth::client_address(state);
    let t = now();
    let attempt = auth::reserve_attempt(state, "", &user.email, Some(&user.id), "second factor").await?;
    let secret = user.totp_secret.clone().unwrap_or_default();
    let ok = match second_factor::check(&secret, &code, t) {
        Some(step) => repo::users::use_totp_step(db, &user.id, step).await?,
        None => repo::users::use_recovery_code(db, &user.id, &second_factor::recovery_hash(&code), t).await?,
    };
    if !ok {
        let event = security_log::Event {
            user_id: Some(&user.id),
            address: &address,
            detail: "wrong or reused second-factor code",
            ..Default::default()
        };
        security_log::record(db, security_log::Kind::SignInFailed, event, t).await;
        return Err(AppError::invalid("code", Msg::CodeNotRightUsedAlready));
    }
    attempt.succeeded(state).await?;
    repo::login_attempts::clear_failures(db, &user.email).await?;
    auth::start_session(session, &user, true).await?;
    tracing::info!(user_id = %user.id, "signed in with a second factor");
    Ok(home(caller, &user))
}

/// Signs out: the session is deleted on the server and its cookie cleared.
pub async fn logout(caller: &Caller) -> Result<(), AppError> {
    let session = &caller.session;
    session.flush().await.map_err(|e| AppError::internal("session flush", e))?;
    leptos_axum::redirect("/sign-in?signed_out=1");
    Ok(())
}

/// Who is signed in, if anyone.
pub async fn who_am_i(caller: &Caller) -> Result<Option<CurrentUser>, AppError> {
    use crate::server::repo;
    let state = &caller.state;
    let Some(user) = caller.signed_in().cloned() else { return Ok(None) };
    let second_factor_needed = caller.privileged().is_none();
    let org = repo::organisations::get(&state.db, &user.organisation_id)
        .await
        .map_err(|e| AppError::internal("load organisation", e))?
        .ok_or_else(|| AppError::internal("load organisation", "missing"))?;
    Ok(Some(CurrentUser {
        role: user.role().ok_or_else(|| AppError::internal("role", &user.role))?,
        organisation_kind: org.kind().ok_or_else(|| AppError::internal("kind", &org.kind))?,
        consultation_rights: user.consultation_rights == 1,
        id: user.id,
        display_name: user.display_name,
        email: user.email,
        organisation_name: org.name,
        second_factor_needed,
    }))
}
