//! The one error type that crosses the wire. Its messages are safe to show to anyone; whatever
//! went wrong inside the server is logged there and never sent.

use crate::domain::{FieldErrors, Msg};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    Unauthenticated,
    Forbidden,
    NotFound,
    /// The request clashes with how things stand: the message says how.
    Conflict(Msg),
    Invalid(FieldErrors),
    BadCredentials,
    RateLimited {
        retry_after_secs: i64,
    },
    /// An administrator who has not set up (or, this session, used) their second factor.
    SecondFactorRequired,
    /// The password was right, but the account's address has not been confirmed from its email.
    EmailNotVerified,
    Internal,
    /// The request never got an answer (no network, server unreachable, a bad response).
    Transport(String),
}

impl std::error::Error for AppError {}

/// Said in the language of the page being made (see `Msg`'s own `Display`).
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl AppError {
    /// What the person is told, in no language yet.
    pub fn message(&self) -> Msg {
        match self {
            AppError::Unauthenticated => Msg::SignInNeeded,
            AppError::Forbidden => Msg::NotAllowed,
            AppError::SecondFactorRequired => Msg::SecondFactorRequired,
            AppError::NotFound => Msg::NotFound,
            AppError::Conflict(message) => message.clone(),
            AppError::Invalid(_) => Msg::ProblemWithEntry,
            AppError::BadCredentials => Msg::WrongEmailOrPassword,
            // Whole minutes, rounded up: "wait 1 minute" rather than "wait 5 seconds".
            AppError::RateLimited { retry_after_secs } => Msg::TooManyAttempts { count: ((*retry_after_secs).max(1) as u64).div_ceil(60) },
            AppError::EmailNotVerified => Msg::EmailNotConfirmed,
            AppError::Internal => Msg::OurFault,
            AppError::Transport(_) => Msg::Unreachable,
        }
    }

    /// A single-field validation error.
    pub fn invalid(field: &str, message: impl Into<crate::domain::Msg>) -> Self {
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

fn bad_args_message(_detail: &str) -> Msg {
    Msg::FormIncomplete
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
        assert!(!e.field_errors().unwrap().text("form").unwrap().contains("line 1"));
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
        assert_eq!(back.field_errors().unwrap().text("email").as_deref(), Some("Enter an email address"));
    }
}
