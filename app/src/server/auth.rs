//! The doors every server function goes through: who is calling, may they, and the helpers that
//! turn failures into safe errors.

use super::{now, repo::users::UserRow, state::AppState};
use crate::domain::Msg;
use crate::domain::Role;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::ConnectInfo;
use std::net::SocketAddr;
use std::sync::OnceLock;
use tower_sessions::Session;

pub const USER_ID: &str = "user_id";
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// When the session was last extended; it is extended at most this often.
pub const SEEN_AT: &str = "seen_at";
/// Set when this session signed in with a second factor (a code from an authenticator app).
pub const SECOND_FACTOR: &str = "second_factor";
/// When the person last proved it was them (signing in, or typing their password again).
pub const CONFIRMED_AT: &str = "confirmed_at";
/// Between a right password and the code: whose code is awaited, and since when.
pub const PENDING_USER: &str = "pending_user";
pub const PENDING_AT: &str = "pending_at";
/// How long a confirmation counts for the most dangerous actions (erasure, a real retention
/// run, a subject access download) before the password is asked for again.
pub const RECENT_SECS: i64 = 15 * 60;
/// How long the code may take after the password.
pub const PENDING_SECS: i64 = 10 * 60;
/// An authenticator secret being set up on this session, and recovery codes just made (shown
/// once): never carried over to whoever signs in next on the same browser.
pub const TOTP_SETUP: &str = "totp_setup";
pub const NEW_CODES: &str = "new_recovery_codes";
const EXTEND_EVERY_SECS: i64 = 5 * 60;

/// Who is asking, and the app they ask: made once per request by the server function's door
/// (or by an axum handler from its own extractors) and handed to the service, which checks the
/// rights it needs with [`Caller::require`] and friends.
pub struct Caller {
    pub state: AppState,
    pub session: Session,
    user: Option<UserRow>,
    /// For an administrator: whether this session signed in with the second factor (or the
    /// configuration does not ask for one). Others pass.
    second_factor: bool,
}

impl Caller {
    /// The caller of the server function running now. Fails only when the session cannot be read.
    pub async fn get() -> Result<Caller, AppError> {
        Caller::from_parts(state()?, session().await?).await
    }

    /// The caller of a plain axum handler.
    pub async fn from_parts(state: AppState, session: Session) -> Result<Caller, AppError> {
        let user = user_from(&state, &session).await?;
        let second_factor = match &user {
            Some(u) => match second_factor_ok(&state, &session, u).await {
                Ok(()) => true,
                Err(AppError::SecondFactorRequired) => false,
                Err(e) => return Err(e),
            },
            None => false,
        };
        Ok(Caller { state, session, user, second_factor })
    }

    /// The signed-in person, if any.
    pub fn signed_in(&self) -> Option<&UserRow> {
        self.user.as_ref()
    }

    /// The signed-in person, or "sign in to continue".
    pub fn user(&self) -> Result<&UserRow, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// The signed-in person, provided their role passes `allowed` (and, for an administrator,
    /// they signed in with their second factor).
    pub fn require(&self, allowed: impl Fn(Role) -> bool) -> Result<&UserRow, AppError> {
        self.require_that(|u| u.role().is_some_and(&allowed))
    }

    /// The signed-in person, provided they pass `allowed` (for rights that depend on more than
    /// the role).
    pub fn require_that(&self, allowed: impl Fn(&UserRow) -> bool) -> Result<&UserRow, AppError> {
        let user = self.user()?;
        if !allowed(user) {
            return Err(AppError::Forbidden);
        }
        self.verified_user()
    }

    /// The signed-in person, provided that an administrator signed in with their second factor.
    pub fn verified_user(&self) -> Result<&UserRow, AppError> {
        let user = self.user()?;
        if self.second_factor {
            Ok(user)
        } else {
            Err(AppError::SecondFactorRequired)
        }
    }

    /// The signed-in person as far as their rights go: an administrator who has not signed in
    /// with their second factor counts as not signed in for what an administrator alone may see.
    pub fn privileged(&self) -> Option<&UserRow> {
        self.user.as_ref().filter(|_| self.second_factor)
    }

    /// The signed-in person, if they may run consultations (admins, and outreach workers given it).
    pub fn consultation_manager(&self) -> Result<&UserRow, AppError> {
        self.require_that(|u| u.can_manage_consultations())
    }
}

pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| AppError::internal("state", "AppState missing from context"))
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| AppError::internal("session", e))
}

/// Sets the response status from the error, except for plain HTML form posts (no JavaScript),
/// which must stay a redirect back to the form so the browser shows the error there.
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        let is_form_post = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
            .unwrap_or(false);
        if !is_form_post {
            if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(e.status());
            }
        }
    }
    result
}

/// The signed-in user, if the session holds one that is still valid; an expired or
/// deactivated one is signed out on the spot. (Read once per request, by [`Caller`].)
pub async fn user_from(state: &AppState, session: &Session) -> Result<Option<UserRow>, AppError> {
    let Some(user_id) = session.get::<String>(USER_ID).await.map_err(|e| AppError::internal("session read", e))? else {
        return Ok(None);
    };
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await.map_err(|e| AppError::internal("session read", e))?.unwrap_or(0);
    if !state.config.session.within_absolute(signed_in_at, now()) {
        session.flush().await.map_err(|e| AppError::internal("session flush", e))?;
        return Ok(None);
    }
    // Idle expiry: saving the session moves its expiry on. Writing on every request would cost a
    // database write each time, so it is extended when it was last extended minutes ago.
    let seen_at = session.get::<i64>(SEEN_AT).await.map_err(|e| AppError::internal("session read", e))?.unwrap_or(signed_in_at);
    let user = super::repo::users::find_by_id(&state.db, &user_id).await.map_err(|e| AppError::internal("load user", e))?;
    let user = match user {
        // Seen at most EXTEND_EVERY_SECS late, so the shorter idle time holds to within minutes.
        Some(u) if u.active == 1 && (u.role() != Some(Role::Admin) || state.config.session.admin_still_active(seen_at, now())) => u,
        _ => {
            session.flush().await.map_err(|e| AppError::internal("session flush", e))?;
            return Ok(None);
        }
    };
    if now() - seen_at >= EXTEND_EVERY_SECS {
        session.insert(SEEN_AT, now()).await.map_err(|e| AppError::internal("session write", e))?;
    }
    Ok(Some(user))
}

/// A sign-in attempt held against the throttle: reserved before anything secret is checked,
/// so that of many guesses sent at once each sees those before it. Dropped as it is, it stays
/// counted as a failure; [`Attempt::succeeded`] records that it was right.
pub struct Attempt {
    id: String,
}

/// Reserves an attempt for `email` (an account's address, or what someone typed) from this
/// client's address, then refuses it (withdrawn, and kept as a security event) when the earlier
/// failures are over the limit. Every check of a secret goes through here (passwords, second
/// factor codes) with the scope `""`; other requests that must not be repeated without limit
/// (asking for a reset link, making an account) have a scope of their own, like `"reset:"`, so
/// that a busy library's registrations never lock its visitors out of signing in.
pub async fn reserve_attempt(state: &AppState, scope: &str, email: &str, user_id: Option<&str>, what: &str) -> Result<Attempt, AppError> {
    use super::repo::login_attempts;
    let db = &state.db;
    let client = client_address(state);
    let (key, address) = (format!("{scope}{email}"), format!("{scope}{client}"));
    let t = now();
    let fail = |what: &str, e: sqlx::Error| AppError::internal(what, e);
    let id = uuid::Uuid::new_v4().to_string();
    login_attempts::reserve(db, &id, &key, &address, t).await.map_err(|e| fail("reserve attempt", e))?;
    let (mut by_email, mut by_address) = login_attempts::recent_failures(db, &key, &address, t - state.config.throttle.window_secs)
        .await
        .map_err(|e| fail("attempts", e))?;
    for list in [&mut by_email, &mut by_address] {
        if let Some(mine) = list.iter().position(|at| *at == t) {
            list.swap_remove(mine);
        }
    }
    if let crate::domain::auth::Throttle::Refuse { retry_after_secs } = state.config.throttle.decide(t, &by_email, &by_address) {
        login_attempts::withdraw(db, &id).await.map_err(|e| fail("withdraw attempt", e))?;
        let subject = crate::domain::validation::mask_email(email);
        let event = super::security_log::Event { user_id, subject: &subject, address: &client, detail: what };
        super::security_log::record(db, super::security_log::Kind::SignInThrottled, event, t).await;
        return Err(AppError::RateLimited { retry_after_secs });
    }
    Ok(Attempt { id })
}

impl Attempt {
    pub async fn succeeded(self, state: &AppState) -> Result<(), AppError> {
        super::repo::login_attempts::succeeded(&state.db, &self.id).await.map_err(|e| AppError::internal("record attempt", e))
    }
}

/// Checks `user`'s password under the sign-in throttle (the same reservations as signing in), so
/// a session cannot be used to guess its own password without limit.
pub async fn verify_throttled(state: &AppState, user: &UserRow, password: String) -> Result<bool, AppError> {
    let attempt = reserve_attempt(state, "", &user.email, Some(&user.id), "password confirmation").await?;
    let ok = verify_password(password, user.password_hash.clone()).await?;
    if ok {
        attempt.succeeded(state).await?;
    }
    Ok(ok)
}

/// Whether this request is a POST (the site's own form or app; the cross-site guard has checked it).
pub fn is_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| p.method == http::Method::POST)
}

/// Whether this session may act as `user`: administrators (who reach every resident's records)
/// must have signed in with a second factor, when the configuration requires it (it does unless
/// turned off).
pub async fn second_factor_ok(state: &AppState, session: &Session, user: &UserRow) -> Result<(), AppError> {
    if user.role() != Some(Role::Admin) || !state.config.require_admin_second_factor {
        return Ok(());
    }
    let used = session.get::<bool>(SECOND_FACTOR).await.map_err(|e| AppError::internal("session read", e))?.unwrap_or(false);
    if used && user.has_second_factor() {
        Ok(())
    } else {
        Err(AppError::SecondFactorRequired)
    }
}

/// Whether the person proved it was them within [`RECENT_SECS`]; if not, `password` (typed again
/// in the form) must be theirs. Asked before the actions that cannot be undone.
/// `field` names the form's password field, for the error.
pub async fn confirm_recent(
    state: &AppState,
    session: &Session,
    user: &UserRow,
    password: Option<String>,
    field: &str,
) -> Result<(), AppError> {
    let confirmed_at = session.get::<i64>(CONFIRMED_AT).await.map_err(|e| AppError::internal("session read", e))?.unwrap_or(0);
    if now() - confirmed_at < RECENT_SECS {
        return Ok(());
    }
    let password = password.unwrap_or_default();
    if password.is_empty() {
        return Err(AppError::invalid(field, Msg::EnterPasswordConfirm));
    }
    if !verify_throttled(state, user, password).await? {
        let event = super::security_log::Event {
            user_id: Some(&user.id),
            address: &client_address(state),
            detail: "wrong password when confirming",
            ..Default::default()
        };
        super::security_log::record(&state.db, super::security_log::Kind::SignInFailed, event, now()).await;
        return Err(AppError::invalid(field, Msg::PasswordNotRightEnterPassword));
    }
    session.insert(CONFIRMED_AT, now()).await.map_err(|e| AppError::internal("session write", e))?;
    Ok(())
}

/// Whether this request is a POST: a server function called by the app, or a page's own form
/// (the cross-site guard has already checked its origin). Reading personal data that is written
/// to the audit log happens only then: a GET (a link from anywhere, a typed address, a bookmark,
/// a reload) changes nothing, not even the audit log, so nobody can write to it in a member of
/// staff's name by sending them a link.
pub fn opened_by_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| parts.method == http::Method::POST)
}

/// The caller's network address, for throttling and the audit log.
pub fn client_address(state: &AppState) -> String {
    match leptos::prelude::use_context::<http::request::Parts>() {
        Some(parts) => address_of(&parts, state.config.trust_proxy),
        None => "unknown".into(),
    }
}

/// The address a request came from: the proxy's `X-Forwarded-For` when it is trusted, else the
/// connection's peer.
pub fn address_of(parts: &http::request::Parts, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(last) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            return last.to_string();
        }
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// How many argon2 computations run at once. Each holds 19 MiB; a burst of sign-ins waits its
/// turn rather than taking the server's memory (and both cores) at once.
static ARGON2_PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

async fn argon2_permit() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    ARGON2_PERMITS.acquire().await.map_err(|e| AppError::internal("argon2 permit", e))
}

/// Argon2id with OWASP's recommended minimum: 19 MiB memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters"))
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    let _permit = argon2_permit().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::internal("hash task", e))?
    .map_err(|e| AppError::internal("hash password", e))
}

/// Checks a password against a stored hash. With no hash (unknown account), checks against a
/// dummy so that the answer takes as long either way.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let known = hash.is_some();
    let hash = match hash {
        Some(h) => h,
        None => DUMMY
            .get_or_init(|| {
                let salt = SaltString::generate(&mut OsRng);
                hasher().hash_password(b"not a real password", &salt).map(|h| h.to_string()).unwrap_or_default()
            })
            .clone(),
    };
    let _permit = argon2_permit().await?;
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).map(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok()).unwrap_or(false)
    })
    .await
    .map_err(|e| AppError::internal("verify task", e))?;
    Ok(known && ok)
}

/// Signs `user` in on this session: a new session id (no fixation), then the identity.
/// `second_factor`: they gave a code from their authenticator app (or a recovery code).
pub async fn start_session(session: &Session, user: &UserRow, second_factor: bool) -> Result<(), AppError> {
    session.cycle_id().await.map_err(|e| AppError::internal("session cycle", e))?;
    let _ = session.remove::<String>(PENDING_USER).await;
    let _ = session.remove::<i64>(PENDING_AT).await;
    let _ = session.remove::<String>(TOTP_SETUP).await;
    let _ = session.remove::<Vec<String>>(NEW_CODES).await;
    session.insert(USER_ID, &user.id).await.map_err(|e| AppError::internal("session write", e))?;
    session.insert(SIGNED_IN_AT, now()).await.map_err(|e| AppError::internal("session write", e))?;
    session.insert(CONFIRMED_AT, now()).await.map_err(|e| AppError::internal("session write", e))?;
    session.insert(SECOND_FACTOR, second_factor).await.map_err(|e| AppError::internal("session write", e))?;
    // Their saved language, for every page from now on (the first of `server::language`'s order).
    if !user.language.is_empty() {
        session.insert(super::language::SESSION_KEY, &user.language).await.map_err(|e| AppError::internal("session write", e))?;
    }
    Ok(())
}

/// A right password for an account with a second factor: the session waits for the code, and
/// nobody is signed in yet.
pub async fn await_second_factor(session: &Session, user: &UserRow) -> Result<(), AppError> {
    session.cycle_id().await.map_err(|e| AppError::internal("session cycle", e))?;
    session.insert(PENDING_USER, &user.id).await.map_err(|e| AppError::internal("session write", e))?;
    session.insert(PENDING_AT, now()).await.map_err(|e| AppError::internal("session write", e))?;
    Ok(())
}

/// Whose code this session is waiting for, if the password was given in the last few minutes.
pub async fn pending_second_factor(session: &Session) -> Result<Option<String>, AppError> {
    let at = session.get::<i64>(PENDING_AT).await.map_err(|e| AppError::internal("session read", e))?.unwrap_or(0);
    if now() - at >= PENDING_SECS {
        return Ok(None);
    }
    session.get::<String>(PENDING_USER).await.map_err(|e| AppError::internal("session read", e))
}

/// Refuses the post when the caller's network address has posted too many of `kind` lately.
pub async fn address_allowance(kind: &str) -> Result<(), AppError> {
    use crate::domain::participation::{per_address_limit, RATE_WINDOW_SECS};
    address_allowance_within(kind, per_address_limit(kind), RATE_WINDOW_SECS).await
}

/// Refuses when the caller's network address has done `kind` `limit` times in `window_secs`.
pub async fn address_allowance_within(kind: &str, limit: i64, window_secs: i64) -> Result<(), AppError> {
    use super::repo;
    let state = state()?;
    let address = client_address(&state);
    let t = now();
    if repo::participation::take_address_allowance(&state.db, &address, kind, t - window_secs, limit, t).await? {
        Ok(())
    } else {
        Err(AppError::RateLimited { retry_after_secs: window_secs })
    }
}
