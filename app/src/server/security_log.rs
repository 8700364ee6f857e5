//! Security events: failed sign-ins, lock-outs, refused requests and privilege changes. Each is
//! written to the log (target `security`, for a log pipeline) and kept in `security_events` for
//! [`KEEP_SECS`], far longer than the 24 hours sign-in attempts are kept for throttling.

use crate::server::Db;

/// A year.
pub const KEEP_SECS: i64 = 365 * 24 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    SignInFailed,
    SignInThrottled,
    /// A request refused with 401 or 403.
    Refused,
    PrivilegeChanged,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SignInFailed => "sign_in_failed",
            Kind::SignInThrottled => "sign_in_throttled",
            Kind::Refused => "refused",
            Kind::PrivilegeChanged => "privilege_changed",
        }
    }
}

/// One event. `subject` names who it is about where there is no account id (a masked email).
#[derive(Debug, Default)]
pub struct Event<'a> {
    pub user_id: Option<&'a str>,
    pub subject: &'a str,
    pub address: &'a str,
    pub detail: &'a str,
}

/// Refusals and lock-outs cost an attacker nothing to cause, so the same one (kind, who, address,
/// detail) arriving one after another is stored at most once in this many seconds (a burst at
/// the same instant may store a few); each is still logged. (Failed sign-ins
/// are already bounded by the throttle, and each is kept.)
pub const SAME_EVENT_SECS: i64 = 60;

/// Logs and stores the event. A failure to store is logged and never fails the request.
pub async fn record(db: &Db, kind: Kind, event: Event<'_>, at: i64) {
    tracing::warn!(target: "security", kind = kind.as_str(), user_id = event.user_id.unwrap_or("-"), subject = event.subject, address = event.address, detail = event.detail, "security event");
    let detail = crate::domain::validation::one_line(event.detail, 300);
    if matches!(kind, Kind::Refused | Kind::SignInThrottled) {
        let recent: sqlx::Result<i64> = sqlx::query_scalar(
            "SELECT COUNT(*) FROM security_events WHERE kind = $1 AND COALESCE(user_id, '') = $2 AND subject = $3 AND address = $4 AND detail = $5 AND at > $6",
        )
        .bind(kind.as_str())
        .bind(event.user_id.unwrap_or(""))
        .bind(event.subject)
        .bind(event.address)
        .bind(&detail)
        .bind(at - SAME_EVENT_SECS)
        .fetch_one(db)
        .await;
        if matches!(recent, Ok(n) if n > 0) {
            return;
        }
    }
    let stored =
        sqlx::query("INSERT INTO security_events (id, at, kind, user_id, subject, address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(at)
            .bind(kind.as_str())
            .bind(event.user_id)
            .bind(event.subject)
            .bind(event.address)
            .bind(&detail)
            .execute(db)
            .await;
    if let Err(e) = stored {
        tracing::error!(%e, "could not store a security event");
    }
}

pub async fn prune(db: &Db, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM security_events WHERE at < $1").bind(before).execute(db).await?.rows_affected())
}
