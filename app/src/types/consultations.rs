//! Consultations, responses and results.

use crate::domain::consultation::{OutcomeStatus, Question, Stage};
use crate::types::Named;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A consultation as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationCard {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The title and summary in Welsh ('' if not written: `domain::bilingual`).
    pub title_cy: String,
    pub summary_cy: String,
    pub stage: Stage,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub organisation_name: String,
    pub areas: Vec<Named>,
    pub themes: Vec<Named>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationList {
    pub items: Vec<ConsultationCard>,
    /// The choices for the filters.
    pub areas: Vec<Named>,
    pub themes: Vec<Named>,
}

/// A question or idea an outcome update answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeAnswer {
    /// "question" or "proposal".
    pub kind: String,
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeView {
    pub answers: Vec<OutcomeAnswer>,
    pub status: OutcomeStatus,
    pub reason: String,
    pub progress: u8,
    pub body: String,
    pub published_on: String,
    /// The reason and update in Welsh ('' if not written).
    pub reason_cy: String,
    pub body_cy: String,
}

/// One consultation's page, with what this participant has already said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationView {
    pub card: ConsultationCard,
    /// Sanitised on the server; the English and the Welsh ('' if not written).
    pub background_html: String,
    pub background_cy_html: String,
    pub questions: Vec<Question>,
    pub outcomes: Vec<OutcomeView>,
    /// Why it takes no responses now, if it does not.
    pub closed_reason: Option<String>,
    /// This participant has a saved response.
    pub responded: bool,
    /// What to show in the form: the refused submission if there was one, else the saved answers.
    pub answers: BTreeMap<String, Vec<String>>,
    pub area_id: Option<String>,
    /// The address typed into a refused submission (a saved address is never sent back).
    pub email: String,
    /// The saved address for outcome updates, masked ("r•••@example.org"), if there is one.
    pub saved_email: Option<String>,
    /// The saved address waits for its emailed link to be used.
    pub email_unconfirmed: bool,
    pub notify: bool,
    /// The answers shown come from a refused submission, not from a saved response.
    pub draft: bool,
    pub response_count: i64,
    /// The viewer may manage it (an admin of its organisation).
    pub can_manage: bool,
    /// For those who manage it: the background as written (Markdown), and the ideas residents
    /// can see, which an outcome update can answer. Empty for everyone else.
    pub background: String,
    pub background_cy: String,
    pub proposals: Vec<Named>,
    /// For those who manage it: their organisation publishes only what is written in both
    /// English and Welsh.
    pub welsh_required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseSaved {
    /// An earlier response of theirs was replaced.
    pub replaced: bool,
    /// The address left for updates, masked, while it waits for its emailed link to be used.
    pub confirm_address: Option<String>,
    /// A link to confirm it was sent just now (otherwise one went recently).
    pub link_sent: bool,
}

/// How long the link that confirms an address on a response works, and how many such links one
/// address gets in a day however many responses name it.
pub const CONFIRM_ADDRESS_DAYS: i64 = 7;

pub const CONFIRM_ADDRESS_LINKS_PER_DAY: i64 = 3;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FreeTextResult {
    pub prompt: String,
    /// (text, taken at the door?)
    pub answers: Vec<(String, bool)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsultationResults {
    pub id: String,
    pub title: String,
    pub responses: i64,
    pub assisted: i64,
    pub questions: Vec<crate::domain::consultation::QuestionResult>,
    pub free_text: Vec<FreeTextResult>,
    /// (area name or "" when not given, responses, of which assisted)
    pub by_area: Vec<(String, i64, i64)>,
    /// (member of staff, responses they took for residents), so an unusual count stands out.
    pub assisted_by: Vec<(String, i64)>,
}

/// A question as the "Add a question" form posts it (the Welsh optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionFields {
    pub prompt: String,
    pub hint: String,
    pub kind: Option<String>,
    pub required: Option<String>,
    pub options: String,
    pub prompt_cy: Option<String>,
    pub hint_cy: Option<String>,
    pub options_cy: Option<String>,
}

/// An outcome update as the form posts it (the Welsh optional; `answers`: `question:<id>` or
/// `proposal:<id>` each).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeFields {
    pub status: Option<String>,
    pub reason: String,
    pub progress: String,
    pub body: String,
    pub answers: Vec<String>,
    pub reason_cy: String,
    pub body_cy: String,
}

/// The organisation's rule that consultations are published only in Welsh and English, and
/// whether this person may change it (administrators only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelshRule {
    pub on: bool,
    pub may_change: bool,
}
