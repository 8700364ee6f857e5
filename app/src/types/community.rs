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
    /// "Growing", "Shrinking", … (`Trend::label`: the page names it in its own language).
    pub trend: String,
    /// The open community response on it, if there is one.
    pub response_id: Option<String>,
}

/// The admin's page: the clusters now, and the rule they are found by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClustersView {
    pub threshold: i64,
    pub window_days: i64,
    pub clusters: Vec<ClusterView>,
    pub responses: Vec<ResponseView>,
}

/// A community response, as the admin's page and residents see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseView {
    pub id: String,
    pub organisation: String,
    pub title: String,
    /// "Fly-tipping, Mill Ward".
    pub about: String,
    pub we_will: String,
    pub you_can: String,
    /// (what, where, "1 March 2027") of the meeting, if there is one.
    pub meeting: Option<(String, String, String)>,
    pub opened_on: String,
    pub open: bool,
    /// "14 residents in 30 days when it was opened; 9 now (shrinking)", for the organisation only.
    pub progress: String,
    /// "6 residents invited, 2 signed up for the meeting", for the organisation only.
    pub invitations: String,
    /// Opened with a resident's own invitation link: whether they have signed up (`None`
    /// without a link that is this response's).
    pub signed_up: Option<bool>,
    /// "Closed on 3 March 2027", once it is.
    pub closed_on: Option<String>,
    /// What has been done since it was opened, newest first ("you said, we did").
    pub updates: Vec<UpdateView>,
    /// The open volunteering opportunities that help with it.
    pub opportunities: Vec<LinkedOpportunity>,
    /// For its own organisation's admins: they may post updates and link opportunities.
    pub manage: bool,
    /// For them: the organisation's open opportunities not linked yet (id, title).
    pub linkable: Vec<crate::types::Named>,
}

/// A progress update as shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateView {
    /// "3 March 2027".
    pub on: String,
    pub body: String,
    /// The update that closed the response.
    pub closing: bool,
    /// "Sent to 6 residents", for the organisation only.
    pub sent: String,
}

/// A volunteering opportunity linked to a response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedOpportunity {
    pub id: String,
    pub title: String,
    /// The title in Welsh, '' if not written (`domain::bilingual`).
    pub title_cy: String,
    /// The group (or organisation) that posted it.
    pub by: String,
}

/// The cluster a new response answers, as its form shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningView {
    pub area_id: String,
    pub theme_id: String,
    /// "Fly-tipping, Mill Ward: 14 residents in 30 days".
    pub summary: String,
    pub title: String,
}
