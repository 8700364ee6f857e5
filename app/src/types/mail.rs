//! The mail log.

use serde::{Deserialize, Serialize};

/// Messages shown at once, newest first.
pub const MAIL_LIMIT: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailEntry {
    pub id: String,
    /// What kind of message, in words ("Password reset").
    pub kind: String,
    /// The address, masked: "r•••@example.org".
    pub to: String,
    pub subject: String,
    /// `waiting`, `sent`, `failed` or `cancelled`, and its words.
    pub status: String,
    pub status_label: String,
    pub attempts: i64,
    /// UK date and time it was queued.
    pub queued: String,
    /// When it was sent, given up or cancelled; for one still waiting, when it is next tried.
    pub when: String,
    /// The mail server's last answer when a try failed, with addresses masked.
    pub problem: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailCount {
    pub status: String,
    pub label: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailPage {
    /// The state shown (`None`: every state).
    pub status: Option<String>,
    pub counts: Vec<MailCount>,
    pub entries: Vec<MailEntry>,
    /// Whether there are older messages than those shown.
    pub more: bool,
    /// Where mail goes from this server, in words.
    pub goes_to: String,
}
