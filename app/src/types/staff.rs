//! Staff accounts and teams.

/// Longest team name.
pub const TEAM_NAME_MAX: usize = 60;
