//! Residents registering.

/// How long a verification link works.
pub const VERIFY_HOURS: i64 = 24;

/// Verification emails to one address in an hour, at most.
pub const VERIFICATIONS_PER_HOUR: i64 = 3;

/// An account never confirmed is deleted after this many days.
pub const UNVERIFIED_DAYS: i64 = 7;
