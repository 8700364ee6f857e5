//! Proposals and comments.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalCard {
    pub id: String,
    pub consultation_id: String,
    pub title: String,
    pub body: String,
    pub author: String,
    pub supporters: i64,
    pub comments: i64,
    pub supported: bool,
    /// Written by the viewer and waiting for a moderator (only its author sees it).
    pub held: bool,
    /// The viewer has reported it.
    pub reported: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: String,
    pub author: String,
    pub body: String,
    pub held: bool,
    pub reported: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalPage {
    pub proposal: ProposalCard,
    pub consultation_title: String,
    pub comments: Vec<CommentView>,
    /// The consultation takes support and comments now.
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedItem {
    /// "proposal" or "comment".
    pub kind: String,
    pub id: String,
    pub consultation_title: String,
    pub text: String,
    pub author: String,
    pub status: String,
    pub flag: String,
    pub reports: i64,
    pub reason: String,
}
