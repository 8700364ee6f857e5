//! The one error type that crosses the wire. Its messages are safe to show to anyone; whatever
//! went wrong inside the server is logged there and never sent.

use crate::domain::FieldErrors;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("You need to sign in to do that.")]
    Unauthenticated,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("We could not find that. It may have been removed, or the link may be wrong.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("There is a problem with what was entered.")]
    Invalid(FieldErrors),
    #[error("The email address or password is incorrect.")]
    BadCredentials,
    #[error("Too many attempts. Wait {} and try again.", wait_words(*retry_after_secs))]
    RateLimited { retry_after_secs: i64 },
    /// An administrator who has not set up (or, this session, used) their second factor.
    #[error("Administrators must use two-step verification. Set it up on Your account, then try again.")]
    SecondFactorRequired,
    /// The password was right, but the account's address has not been confirmed from its email.
    #[error("Confirm your email address first: open the link we sent when you created your account.")]
    EmailNotVerified,
    #[error("Sorry, something went wrong on our side. Try again in a few minutes.")]
    Internal,
    /// The request never got an answer (no network, server unreachable, a bad response).
    #[error("Could not reach Mobilise. Check the connection and try again.")]
    Transport(String),
}

fn wait_words(secs: i64) -> String {
    let minutes = (secs + 59) / 60;
    if minutes <= 1 {
        "1 minute".to_string()
    } else {
        format!("{minutes} minutes")
    }
}

impl AppError {
    /// A single-field validation error.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        AppError::Invalid(errors)
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(errors) => Some(errors),
            _ => None,
        }
    }

    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Unauthenticated => S::UNAUTHORIZED,
            AppError::Forbidden => S::FORBIDDEN,
            AppError::SecondFactorRequired => S::FORBIDDEN,
            AppError::EmailNotVerified => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::Conflict(_) => S::CONFLICT,
            AppError::Invalid(_) => S::UNPROCESSABLE_ENTITY,
            AppError::BadCredentials => S::UNAUTHORIZED,
            AppError::RateLimited { .. } => S::TOO_MANY_REQUESTS,
            AppError::Internal => S::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => S::BAD_GATEWAY,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments could not be read: a field was missing or malformed, or the body was
            // not the JSON or UTF-8 it claimed to be. The client's mistake, never the server's.
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::Deserialization(detail) => {
                AppError::invalid("form", bad_args_message(&detail))
            }
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// A database failure is the server's, logged with its detail and answered as a plain 500, so
/// `?` works on any query.
#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal("database", e)
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs what really happened and returns the safe, generic error.
    pub fn internal(context: &str, e: impl std::fmt::Display) -> AppError {
        tracing::error!(%e, "{context}");
        AppError::Internal
    }
}

fn bad_args_message(_detail: &str) -> String {
    "The form was incomplete. Check every field and try again.".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_plain_and_reveal_nothing_internal() {
        assert_eq!(AppError::Internal.to_string(), "Sorry, something went wrong on our side. Try again in a few minutes.");
        assert_eq!(AppError::RateLimited { retry_after_secs: 61 }.to_string(), "Too many attempts. Wait 2 minutes and try again.");
        assert_eq!(AppError::RateLimited { retry_after_secs: 5 }.to_string(), "Too many attempts. Wait 1 minute and try again.");
        let e = AppError::from_server_fn_error(ServerFnErrorErr::ServerError("database is locked at foo.rs:12".into()));
        assert_eq!(e, AppError::Internal);
        // A body that cannot be read is the sender's mistake (422), and says nothing of the parser.
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Deserialization("expected value at line 1 column 7".into()));
        assert_eq!(e.status(), 422);
        assert!(!e.field_errors().unwrap().get("form").unwrap().contains("line 1"));
    }

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(AppError::invalid("email", "Enter an email address").status(), 422);
        assert_eq!(AppError::Conflict("taken".into()).status(), 409);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::RateLimited { retry_after_secs: 1 }.status(), 429);
    }

    #[test]
    fn errors_survive_the_wire_encoding() {
        let e = AppError::invalid("email", "Enter an email address");
        let json = serde_json::to_string(&e).unwrap();
        let back: AppError = serde_json::from_str(&json).unwrap();
        assert_eq!(back.field_errors().unwrap().get("email"), Some("Enter an email address"));
    }
}
