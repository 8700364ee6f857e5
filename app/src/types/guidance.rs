//! "What you can do": the admin's page, and what residents read.

use super::Named;
use serde::{Deserialize, Serialize};

/// One theme's guidance as its admin edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeGuidanceView {
    pub theme_id: String,
    pub theme_name: String,
    /// One step per line, as the box shows them.
    pub steps: String,
    pub help: String,
    /// "3 December 2026 by Priya Shah", once saved.
    pub updated: Option<String>,
}

/// One organisation's guidance about one theme, as residents read it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicGuidance {
    pub organisation: String,
    pub theme: String,
    pub steps: Vec<String>,
    pub help: String,
}

/// The public page: guidance, the themes it can be narrowed to, and the one chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidancePage {
    pub items: Vec<PublicGuidance>,
    pub themes: Vec<Named>,
    pub theme: Option<String>,
}
