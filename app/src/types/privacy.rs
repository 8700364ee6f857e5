//! Data protection: files, requests, audit, retention and consent.

use serde::{Deserialize, Serialize};

/// One kind of record held about a resident, as a table of text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordTable {
    pub key: String,
    pub title: String,
    /// Why it is held (`None` for what is derived from other records).
    pub lawful_basis: Option<String>,
    /// How long it is kept and what happens then.
    pub retention: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentSummary {
    pub id: String,
    pub name: String,
    pub contact: String,
    /// `YYYY-MM-DD` (UK) of the first record and of the last conversation.
    pub recorded_on: String,
    pub last_seen_on: Option<String>,
    pub erased_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub resident_id: String,
    pub kind: String,
    pub kind_label: String,
    pub received_on: String,
    pub due_on: String,
    pub open: bool,
    /// Open and past its due date.
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentFile {
    pub resident: ResidentSummary,
    /// This record's person: every record linked as them, the account's first (just this one if
    /// it is linked to none).
    pub same_person: Vec<super::people::PersonRecord>,
    pub tables: Vec<RecordTable>,
    pub requests: Vec<RequestView>,
    pub today: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyHome {
    pub query: String,
    pub found: Vec<ResidentSummary>,
    /// Whether `found` was cut at its limit.
    pub more: bool,
    pub requests: Vec<RequestView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// UK date and time.
    pub at: String,
    pub who: String,
    pub action: String,
    pub resident_id: Option<String>,
    pub detail: String,
    pub address: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub more: bool,
    pub staff: Vec<super::Named>,
    pub problems: Vec<super::intelligence::Problem>,
}

pub const FIND_LIMIT: i64 = 50;

pub const AUDIT_LIMIT: i64 = 200;

/// One class of record: how long it is kept and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    pub class: String,
    pub label: String,
    pub effect: String,
    pub lawful_basis: String,
    pub months: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCountView {
    pub label: String,
    pub months: u32,
    pub kept_from: String,
    pub records: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    /// UK date and time.
    pub at: String,
    pub dry_run: bool,
    pub by: String,
    pub counts: Vec<RunCountView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionView {
    pub policies: Vec<PolicyView>,
    pub runs: Vec<RunView>,
}

/// One purpose on a resident's own consent page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChoice {
    /// The purpose's name, which is also the form field.
    pub purpose: String,
    pub label: String,
    /// The words the resident agrees to (or not).
    pub wording: String,
    /// "yes", "no" or "" (never asked).
    pub state: String,
    /// UK date of the decision in force.
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentHistoryEntry {
    pub on: String,
    pub label: String,
    pub decision: String,
    pub how: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyConsents {
    pub choices: Vec<ConsentChoice>,
    pub history: Vec<ConsentHistoryEntry>,
}
