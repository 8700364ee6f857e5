//! Held field records.

use crate::types::InteractionSummary;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldInteractions {
    /// Everything the server holds from this worker.
    pub total: i64,
    pub recent: Vec<InteractionSummary>,
}
