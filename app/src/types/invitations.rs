//! Invitations to take part.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationCounts {
    /// Why invitations cannot go now (the consultation is not open), if so.
    pub not_open: Option<String>,
    /// Who would be invited now, in words: "23 residents", "Fewer than 5 residents".
    pub ready: String,
    pub any_ready: bool,
    /// Invited already, in words.
    pub invited: String,
}
