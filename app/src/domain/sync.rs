//! The sync contract between a device's outbox and the server. Stable on the wire: a tablet that
//! was offline through an upgrade must still be understood (see `SCHEMA_VERSION`).

use serde::{Deserialize, Serialize};

/// The payload schema this build writes. The server accepts this and `SCHEMA_VERSION - 1`.
pub const SCHEMA_VERSION: u32 = 2;
/// Most items in one batch; the client sends no more, the server refuses more.
pub const MAX_BATCH_ITEMS: usize = 100;
/// Largest batch body the server accepts, in bytes.
pub const MAX_BATCH_BYTES: usize = 512 * 1024;

/// One record made on a device. `id` is made on the device and is the idempotency key: sending
/// the same item twice stores it once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncItem {
    pub id: String,
    pub kind: String,
    pub schema: u32,
    /// For edits of server records (follow-ups): the version the edit was based on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<i64>,
    /// Kept as raw JSON so that one malformed item is rejected alone, not the whole batch.
    pub payload: serde_json::Value,
    /// The device's clock: recorded as data, never used for ordering or de-duplication.
    pub created_on_device_at: i64,
}

/// The kinds of record a device sends. On the wire `SyncItem::kind` stays a string, so that an
/// item of a kind this server does not know is rejected alone rather than failing its batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyncKind {
    Event,
    Interaction,
    FollowUpUpdate,
    /// A consultation's answers, taken at the door.
    ConsultationResponse,
    ConsentChange,
    VolunteerInterest,
    /// A step in a referral's life recorded by its owner: a chase, or a service's answer.
    ReferralStep,
    /// A commitment added to an open follow-up after the visit.
    CommitmentAdded,
    /// A referral made from an open follow-up after the visit.
    ReferralMade,
}

impl SyncKind {
    pub const ALL: [SyncKind; 9] = [
        SyncKind::Event,
        SyncKind::Interaction,
        SyncKind::FollowUpUpdate,
        SyncKind::ConsultationResponse,
        SyncKind::ConsentChange,
        SyncKind::VolunteerInterest,
        SyncKind::ReferralStep,
        SyncKind::CommitmentAdded,
        SyncKind::ReferralMade,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncKind::Event => "event",
            SyncKind::Interaction => "interaction",
            SyncKind::FollowUpUpdate => "follow_up_update",
            SyncKind::ConsultationResponse => "consultation_response",
            SyncKind::ConsentChange => "consent_change",
            SyncKind::VolunteerInterest => "volunteer_interest",
            SyncKind::ReferralStep => "referral_step",
            SyncKind::CommitmentAdded => "commitment_added",
            SyncKind::ReferralMade => "referral_made",
        }
    }

    pub fn parse(s: &str) -> Option<SyncKind> {
        SyncKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl SyncItem {
    /// What kind of record it is, if this build knows the kind.
    pub fn sync_kind(&self) -> Option<SyncKind> {
        SyncKind::parse(&self.kind)
    }

    pub fn is(&self, kind: SyncKind) -> bool {
        self.kind == kind.as_str()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncBatch {
    pub device_id: String,
    pub items: Vec<SyncItem>,
}

/// Where a record's payload holds a null character (in a text or a key): the top-level field it
/// is under ("payload" if a key itself holds one), or None. No person types one, and
/// PostgreSQL cannot keep one, so such a record is refused alone.
pub fn null_character_in(payload: &serde_json::Value) -> Option<String> {
    fn holds(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(items) => items.iter().any(holds),
            serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds(v)),
            _ => false,
        }
    }
    match payload {
        serde_json::Value::Object(map) => {
            map.iter().find(|(k, v)| k.contains('\0') || holds(v)).map(
                |(k, _)| {
                    if k.contains('\0') {
                        "payload".to_string()
                    } else {
                        k.clone()
                    }
                },
            )
        }
        other => holds(other).then(|| "payload".to_string()),
    }
}

/// What happened to one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ItemOutcome {
    Stored,
    AlreadyStored,
    /// An edit based on an old version; `current` is what the server holds now.
    Conflict {
        current: serde_json::Value,
    },
    /// The item can never be stored as it is: the worker must look at it.
    Rejected {
        field: String,
        reason: String,
    },
}

impl ItemOutcome {
    /// The server holds the item: the device may forget it.
    pub fn is_acknowledged(&self) -> bool {
        matches!(self, ItemOutcome::Stored | ItemOutcome::AlreadyStored)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub id: String,
    #[serde(flatten)]
    pub outcome: ItemOutcome,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub results: Vec<ItemResult>,
    /// Server time of receipt (seconds since the epoch, UTC).
    pub received_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_wire_name_and_nothing_else_does() {
        for kind in SyncKind::ALL {
            assert_eq!(SyncKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(SyncKind::parse("Interaction"), None);
        assert_eq!(SyncKind::parse(""), None);
    }

    #[test]
    fn a_null_character_anywhere_in_a_record_is_found_and_named_by_its_field() {
        use serde_json::json;
        assert_eq!(null_character_in(&json!({ "notes": "fine", "issues": ["a", "b"] })), None);
        assert_eq!(null_character_in(&json!({ "notes": "a\u{0}b" })).as_deref(), Some("notes"));
        assert_eq!(null_character_in(&json!({ "action": { "note": ["x", "\u{0}"] } })).as_deref(), Some("action"));
        assert_eq!(null_character_in(&json!({ "a\u{0}": 1 })).as_deref(), Some("payload"));
        assert_eq!(null_character_in(&json!("\u{0}")).as_deref(), Some("payload"));
        assert_eq!(null_character_in(&json!(12)), None);
    }
}
