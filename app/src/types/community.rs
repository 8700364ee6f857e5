//! Clusters as the admin's page shows them.

use serde::{Deserialize, Serialize};

/// One cluster: one theme raised by many residents in one area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterView {
    pub area_id: String,
    pub theme_id: String,
    /// "Fly-tipping, Mill Ward".
    pub title: String,
    /// "Fly-tipping, Mill Ward: 14 residents in 30 days".
    pub summary: String,
    pub residents: i64,
    /// "up from 6", "none in the period before".
    pub compared: String,
    /// "Growing", "Shrinking", …
    pub trend: String,
}

/// The admin's page: the clusters now, and the rule they are found by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClustersView {
    pub threshold: i64,
    pub window_days: i64,
    pub clusters: Vec<ClusterView>,
}
