//! Password resets.

use serde::{Deserialize, Serialize};

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 60;

/// Reset emails sent to one address in an hour, at most (asking more often sends nothing more).
pub const RESETS_PER_HOUR: i64 = 3;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetInfo {
    /// "p•••@riverside.example": enough to know which account, not enough to learn an address.
    pub email: String,
}
