//! The sync contract between a device's outbox and the server. Stable on the wire: a tablet that
//! was offline through an upgrade must still be understood (see `SCHEMA_VERSION`).

use serde::{Deserialize, Serialize};

/// The payload schema this build writes. The server accepts this and `SCHEMA_VERSION - 1`.
pub const SCHEMA_VERSION: u32 = 1;
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncBatch {
    pub device_id: String,
    pub items: Vec<SyncItem>,
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
