//! Consultations: stages, questions, and the rules for a resident's answers. Pure: the server
//! applies them, and the browser can show the same messages before sending.

use super::FieldErrors;
use super::{Label, Msg};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod authoring;
pub use authoring::*;

pub const MAX_TITLE_LEN: usize = 150;
pub const MAX_SUMMARY_LEN: usize = 500;
pub const MAX_BACKGROUND_LEN: usize = 20_000;
pub const MAX_PROMPT_LEN: usize = 300;
pub const MAX_FREE_TEXT_LEN: usize = 2_000;
pub const MAX_OPTIONS: usize = 12;
/// Responses one worker may take for residents (at the door, at an event) in 24 hours.
pub const MAX_ASSISTED_PER_WORKER_PER_DAY: i64 = 200;

/// Where a consultation is in its life. Only the two open stages take responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Being prepared by staff; residents cannot see it.
    Draft,
    OpenForIdeas,
    OpenForFeedback,
    Closed,
    Decided,
}

impl TryFrom<String> for Stage {
    type Error = super::UnknownValue;
    fn try_from(s: String) -> Result<Stage, super::UnknownValue> {
        Stage::parse(&s).ok_or(super::UnknownValue(s))
    }
}

impl Stage {
    pub const PUBLIC: [Stage; 4] = [Stage::OpenForIdeas, Stage::OpenForFeedback, Stage::Closed, Stage::Decided];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::OpenForIdeas => "open_for_ideas",
            Stage::OpenForFeedback => "open_for_feedback",
            Stage::Closed => "closed",
            Stage::Decided => "decided",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        [Stage::Draft, Stage::OpenForIdeas, Stage::OpenForFeedback, Stage::Closed, Stage::Decided].into_iter().find(|st| st.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Draft",
            Stage::OpenForIdeas => "Open for ideas",
            Stage::OpenForFeedback => "Open for feedback",
            Stage::Closed => "Closed",
            Stage::Decided => "Decided",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Stage::OpenForIdeas | Stage::OpenForFeedback)
    }

    pub fn is_public(self) -> bool {
        self != Stage::Draft
    }
}

/// Whether a consultation takes input today: its stage is open and today is within its dates
/// (inclusive; dates are ISO `YYYY-MM-DD`, which compare correctly as text).
pub fn accepts_input(stage: Stage, opens_on: Option<&str>, closes_on: Option<&str>, today: &str) -> Result<(), super::Msg> {
    use super::Msg;
    if !stage.is_open() {
        return Err(Msg::ConsultationClosed);
    }
    if opens_on.is_some_and(|d| today < d) {
        return Err(Msg::ConsultationNotOpenYet);
    }
    if closes_on.is_some_and(|d| today > d) {
        return Err(Msg::ConsultationClosedOnItsDate);
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    /// 1 (lowest) to 5 (highest).
    Scale,
    FreeText,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 4] =
        [QuestionKind::SingleChoice, QuestionKind::MultipleChoice, QuestionKind::Scale, QuestionKind::FreeText];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Scale => "scale",
            QuestionKind::FreeText => "free_text",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "Choose one",
            QuestionKind::MultipleChoice => "Choose any",
            QuestionKind::Scale => "Scale of 1 to 5",
            QuestionKind::FreeText => "Free text",
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::SingleChoice | QuestionKind::MultipleChoice)
    }
}

/// The words for each point of a 1–5 scale.
pub const SCALE_LABELS: [&str; 5] =
    ["1 – Strongly disagree", "2 – Disagree", "3 – Neither agree nor disagree", "4 – Agree", "5 – Strongly agree"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionOption {
    pub id: String,
    pub label: String,
    /// The label in Welsh ('' if not written: `domain::bilingual`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label_cy: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub hint: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub options: Vec<QuestionOption>,
    /// The prompt and hint in Welsh ('' if not written).
    #[serde(default)]
    pub prompt_cy: String,
    #[serde(default)]
    pub hint_cy: String,
}

impl Question {
    /// Its texts in the language shown (`bilingual::pick`): prompt, hint, and each option's label.
    pub fn in_language(&self, wanted: &str) -> Question {
        use super::bilingual::pick;
        Question {
            prompt: pick(wanted, &self.prompt, &self.prompt_cy).0.to_string(),
            hint: pick(wanted, &self.hint, &self.hint_cy).0.to_string(),
            options: self
                .options
                .iter()
                .map(|o| QuestionOption { label: pick(wanted, &o.label, &o.label_cy).0.to_string(), ..o.clone() })
                .collect(),
            ..self.clone()
        }
    }

    /// Its parts residents read, in both languages, for `bilingual::missing_welsh`.
    pub fn parts(&self, position: usize) -> Vec<super::bilingual::Part<'_>> {
        use super::bilingual::{Part, PartName};
        let mut parts = vec![
            Part { name: PartName::Question(position), english: &self.prompt, welsh: &self.prompt_cy },
            Part { name: PartName::QuestionHint(position), english: &self.hint, welsh: &self.hint_cy },
        ];
        parts.extend(self.options.iter().map(|o| Part { name: PartName::Choices(position), english: &o.label, welsh: &o.label_cy }));
        parts
    }
}

impl Question {
    /// The form field that holds this question's answer (also the id the error summary links to).
    pub fn field(&self) -> String {
        format!("q-{}", self.id)
    }
}

/// A checked answer: the values to store for one question (option ids, "1".."5", or the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub question_id: String,
    pub values: Vec<String>,
}

/// A question's prompt short enough to name it in an error message.
fn short_prompt(prompt: &str) -> String {
    const MAX: usize = 80;
    let prompt = prompt.trim().trim_end_matches(['?', '.', ':']);
    if prompt.chars().count() <= MAX {
        prompt.to_string()
    } else {
        let cut: String = prompt.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The most characters kept of one choice's value in a draft (option ids and scale points are short).
const MAX_DRAFT_CHOICE_LEN: usize = 64;

/// What is kept of a refused submission so the form comes back as it was filled in: only the
/// consultation's own questions, no more values than each can take, each cut to its limit.
/// Anything else a request carries (other keys, megabytes of text) is dropped, never stored.
pub fn draft_answers(questions: &[Question], submitted: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    let mut draft = BTreeMap::new();
    for q in questions {
        let Some(values) = submitted.get(&q.id) else { continue };
        let (most, max_len) = match q.kind {
            QuestionKind::FreeText => (1, MAX_FREE_TEXT_LEN),
            QuestionKind::SingleChoice | QuestionKind::Scale => (1, MAX_DRAFT_CHOICE_LEN),
            QuestionKind::MultipleChoice => (q.options.len().min(MAX_OPTIONS), MAX_DRAFT_CHOICE_LEN),
        };
        let kept: Vec<String> = values.iter().take(most).map(|v| v.chars().take(max_len).collect()).collect();
        if !kept.is_empty() {
            draft.insert(q.id.clone(), kept);
        }
    }
    draft
}

/// Checks what a resident submitted against the questions, in question order. `submitted` maps
/// question id → the values the form sent (a checkbox group sends several). Values for unknown
/// questions are ignored; unknown options, out-of-range scales and over-long text are errors.
pub fn check_answers(questions: &[Question], submitted: &BTreeMap<String, Vec<String>>) -> Result<Vec<Answer>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut answers = Vec::new();
    for q in questions {
        let field = q.field();
        let mut values: Vec<String> =
            submitted.get(&q.id).map(|v| v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        values.dedup();
        if values.is_empty() {
            if q.required {
                // The error summary names the question, as the GOV.UK pattern does.
                let prompt = short_prompt(&q.prompt);
                let message = match q.kind {
                    QuestionKind::SingleChoice | QuestionKind::Scale => Msg::ChooseAnAnswerTo { prompt },
                    QuestionKind::MultipleChoice => Msg::ChooseAtLeastOneAnswerTo { prompt },
                    QuestionKind::FreeText => Msg::WriteAnAnswerTo { prompt },
                };
                errors.add(&field, message);
            }
            continue;
        }
        let ok = match q.kind {
            QuestionKind::SingleChoice => values.len() == 1 && q.options.iter().any(|o| o.id == values[0]),
            QuestionKind::MultipleChoice => {
                values.sort();
                values.dedup();
                values.iter().all(|v| q.options.iter().any(|o| &o.id == v))
            }
            QuestionKind::Scale => values.len() == 1 && matches!(values[0].parse::<u8>(), Ok(1..=5)),
            QuestionKind::FreeText => {
                if values.len() != 1 {
                    false
                } else if values[0].chars().count() > MAX_FREE_TEXT_LEN {
                    errors.add(&field, Msg::TooLong { what: Label::YourAnswer, max: MAX_FREE_TEXT_LEN as i64 });
                    continue;
                } else {
                    true
                }
            }
        };
        if !ok {
            errors.add(&field, Msg::ChooseOneAnswersShown);
            continue;
        }
        answers.push(Answer { question_id: q.id.clone(), values });
    }
    errors.into_result().map(|()| answers)
}

/// Where an outcome ("you said, we did") stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    UnderConsideration,
    Accepted,
    InProgress,
    Done,
    NotTakenForward,
}

impl OutcomeStatus {
    pub const ALL: [OutcomeStatus; 5] = [
        OutcomeStatus::UnderConsideration,
        OutcomeStatus::Accepted,
        OutcomeStatus::InProgress,
        OutcomeStatus::Done,
        OutcomeStatus::NotTakenForward,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeStatus::UnderConsideration => "under_consideration",
            OutcomeStatus::Accepted => "accepted",
            OutcomeStatus::InProgress => "in_progress",
            OutcomeStatus::Done => "done",
            OutcomeStatus::NotTakenForward => "not_taken_forward",
        }
    }

    pub fn parse(s: &str) -> Option<OutcomeStatus> {
        OutcomeStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OutcomeStatus::UnderConsideration => "Under consideration",
            OutcomeStatus::Accepted => "Accepted",
            OutcomeStatus::InProgress => "In progress",
            OutcomeStatus::Done => "Done",
            OutcomeStatus::NotTakenForward => "Not taken forward",
        }
    }
}

/// A date as forms send it: `YYYY-MM-DD`, a real calendar date.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (2000..=2100).contains(&y) && (1..=days).contains(&d)
}

/// One choice's tally in a question's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceResult {
    pub label: String,
    pub count: i64,
    /// Of `count`, taken at the door by an outreach worker.
    pub assisted: i64,
    /// Of the people who answered the question, rounded to a whole number.
    pub percent: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question_id: String,
    pub prompt: String,
    pub kind: QuestionKind,
    /// How many responses answered this question.
    pub answered: i64,
    pub choices: Vec<ChoiceResult>,
}

/// Tallies choice and scale questions. `counts` holds (question id, value, assisted?, count);
/// `answered` holds (question id, responses that answered it). Choices nobody picked show 0.
pub fn tally(questions: &[Question], counts: &[(String, String, bool, i64)], answered: &[(String, i64)]) -> Vec<QuestionResult> {
    questions
        .iter()
        .filter(|q| q.kind != QuestionKind::FreeText)
        .map(|q| {
            let answered = answered.iter().find(|(id, _)| id == &q.id).map(|(_, n)| *n).unwrap_or(0);
            let values: Vec<(String, String)> = match q.kind {
                QuestionKind::Scale => SCALE_LABELS.iter().enumerate().map(|(i, l)| ((i + 1).to_string(), l.to_string())).collect(),
                _ => q.options.iter().map(|o| (o.id.clone(), o.label.clone())).collect(),
            };
            let choices = values
                .into_iter()
                .map(|(value, label)| {
                    let of = |assisted: bool| {
                        counts.iter().filter(|(qid, v, a, _)| qid == &q.id && v == &value && *a == assisted).map(|c| c.3).sum::<i64>()
                    };
                    let (direct, assisted) = (of(false), of(true));
                    let count = direct + assisted;
                    let percent = if answered > 0 { ((count * 100 + answered / 2) / answered).clamp(0, 100) as u8 } else { 0 };
                    ChoiceResult { label, count, assisted, percent }
                })
                .collect();
            QuestionResult { question_id: q.id.clone(), prompt: q.prompt.clone(), kind: q.kind, answered, choices }
        })
        .collect()
}

/// A spreadsheet cell that cannot run as a formula when the file is opened (CSV injection).
pub fn csv_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, kind: QuestionKind, required: bool) -> Question {
        let options = if kind.has_options() {
            vec![
                QuestionOption { id: "a".into(), label: "Park".into(), label_cy: String::new() },
                QuestionOption { id: "b".into(), label: "Play area".into(), label_cy: String::new() },
            ]
        } else {
            vec![]
        };
        Question {
            id: id.into(),
            prompt: format!("Question {id}"),
            hint: String::new(),
            kind,
            required,
            options,
            prompt_cy: String::new(),
            hint_cy: String::new(),
        }
    }

    fn form(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn only_open_stages_within_their_dates_take_input() {
        assert!(accepts_input(Stage::OpenForFeedback, Some("2026-11-01"), Some("2026-12-01"), "2026-11-27").is_ok());
        assert!(accepts_input(Stage::OpenForIdeas, None, None, "2026-11-27").is_ok());
        assert!(accepts_input(Stage::OpenForFeedback, None, Some("2026-11-27"), "2026-11-27").is_ok(), "the closing day itself is open");
        assert!(accepts_input(Stage::OpenForFeedback, None, Some("2026-11-26"), "2026-11-27").is_err());
        assert!(accepts_input(Stage::OpenForFeedback, Some("2026-11-28"), None, "2026-11-27").is_err());
        for stage in [Stage::Draft, Stage::Closed, Stage::Decided] {
            assert!(accepts_input(stage, None, None, "2026-11-27").unwrap_err() == crate::domain::Msg::ConsultationClosed);
        }
    }

    #[test]
    fn required_questions_need_an_answer_and_optional_ones_may_be_left() {
        let qs =
            [q("1", QuestionKind::SingleChoice, true), q("2", QuestionKind::FreeText, false), q("3", QuestionKind::MultipleChoice, true)];
        let errors = check_answers(&qs, &form(&[("2", &["  "])])).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["q-1", "q-3"], "in question order");
        assert_eq!(errors.text("q-3").as_deref(), Some("Choose at least one answer to “Question 3”"), "the message names the question");
        let answers = check_answers(&qs, &form(&[("1", &["a"]), ("3", &["b", "a", "b"])])).unwrap();
        assert_eq!(
            answers,
            vec![
                Answer { question_id: "1".into(), values: vec!["a".into()] },
                Answer { question_id: "3".into(), values: vec!["a".into(), "b".into()] }
            ]
        );
    }

    #[test]
    fn answers_must_be_among_the_choices_offered() {
        let qs = [q("1", QuestionKind::SingleChoice, true)];
        assert_eq!(
            check_answers(&qs, &form(&[("1", &["z"])])).unwrap_err().text("q-1").as_deref(),
            Some("Choose one of the answers shown")
        );
        assert!(check_answers(&qs, &form(&[("1", &["a", "b"])])).is_err(), "one choice only");
        let qs = [q("1", QuestionKind::MultipleChoice, false)];
        assert!(check_answers(&qs, &form(&[("1", &["a", "z"])])).is_err());
        let qs = [q("1", QuestionKind::Scale, true)];
        for bad in ["0", "6", "x", "3.5"] {
            assert!(check_answers(&qs, &form(&[("1", &[bad])])).is_err(), "{bad}");
        }
        assert_eq!(check_answers(&qs, &form(&[("1", &["5"])])).unwrap()[0].values, ["5"]);
    }

    #[test]
    fn free_text_is_trimmed_and_bounded_and_unknown_questions_ignored() {
        let qs = [q("1", QuestionKind::FreeText, true)];
        let long = "x".repeat(MAX_FREE_TEXT_LEN + 1);
        assert!(check_answers(&qs, &form(&[("1", &[long.as_str()])])).unwrap_err().text("q-1").unwrap().contains("2000 characters"));
        let answers = check_answers(&qs, &form(&[("1", &["  More benches  "]), ("other", &["x"])])).unwrap();
        assert_eq!(answers, vec![Answer { question_id: "1".into(), values: vec!["More benches".into()] }]);
    }

    #[test]
    fn an_error_names_a_long_question_by_its_start() {
        let mut long = q("1", QuestionKind::Scale, true);
        long.prompt = format!("{}?", "How safe ".repeat(20));
        let message = check_answers(&[long], &BTreeMap::new()).unwrap_err().text("q-1").as_deref().unwrap().to_string();
        assert!(message.starts_with("Choose an answer to “How safe How safe") && message.ends_with("…”"), "{message}");
        assert!(message.chars().count() < 110, "{message}");
    }

    #[test]
    fn a_refused_submission_keeps_only_its_questions_within_their_limits() {
        let qs =
            [q("1", QuestionKind::FreeText, false), q("2", QuestionKind::SingleChoice, false), q("3", QuestionKind::MultipleChoice, false)];
        let huge = "x".repeat(1_000_000);
        let many: Vec<&str> = std::iter::repeat_n("a", 500).collect();
        let submitted = form(&[
            ("1", &[huge.as_str(), "second"]),
            ("2", &[huge.as_str()]),
            ("3", &many),
            ("attacker", &["junk"]),
            ("email", &["a@b.c"]),
        ]);
        let draft = draft_answers(&qs, &submitted);
        assert_eq!(draft.keys().map(String::as_str).collect::<Vec<_>>(), ["1", "2", "3"], "unknown keys are dropped");
        assert_eq!(draft["1"].len(), 1);
        assert_eq!(draft["1"][0].chars().count(), MAX_FREE_TEXT_LEN);
        assert_eq!(draft["2"][0].chars().count(), 64);
        assert_eq!(draft["3"].len(), 2, "no more choices than the question has");
        assert!(draft_answers(&qs, &form(&[("1", &[])])).is_empty());
    }

    #[test]
    fn outcomes_need_a_status_a_text_and_a_reason_when_not_taken_forward() {
        assert_eq!(check_outcome(Some("in_progress"), "", "40%", "Bins emptied twice a week").unwrap(), (OutcomeStatus::InProgress, 40));
        assert_eq!(check_outcome(Some("done"), "", "", "Done").unwrap().1, 0);
        let e = check_outcome(Some("not_taken_forward"), " ", "101", "").unwrap_err();
        assert_eq!(e.text("reason").as_deref(), Some("Say why it is not being taken forward"));
        assert!(e.get("progress").is_some() && e.get("body").is_some());
        assert!(check_outcome(None, "", "", "x").unwrap_err().get("status").is_some());
    }

    #[test]
    fn details_need_a_title_a_summary_and_real_dates_in_order() {
        let details = |title: &str, summary: &str, opens_on: &str, closes_on: &str| Details {
            title: title.into(),
            summary: summary.into(),
            opens_on: opens_on.into(),
            closes_on: closes_on.into(),
            ..Default::default()
        };
        let ok = details("Park", "Have your say", "2026-11-01", "2026-12-01");
        assert!(check_details(&ok).is_ok());
        let bad = details(" ", "", "2026-02-30", "2026-13-01");
        let e = check_details(&bad).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["title", "summary", "opens_on", "closes_on"]);
        let backwards = Details { closes_on: "2026-10-01".into(), ..ok };
        assert_eq!(
            check_details(&backwards).unwrap_err().text("closes_on").as_deref(),
            Some("The closing date must be on or after the opening date")
        );
        assert!(is_iso_date("2028-02-29") && !is_iso_date("2027-02-29") && !is_iso_date("1/2/2026"));
    }

    #[test]
    fn choice_questions_need_two_to_twelve_choices_one_per_line() {
        let form = |prompt, kind, required, options| QuestionForm { prompt, kind: Some(kind), required, options, ..Default::default() };
        let q = check_question(&form(" Which? ", "single_choice", true, "Park\n\n Play area \nPark")).unwrap();
        assert_eq!(q.prompt, "Which?");
        assert_eq!(
            q.options.iter().map(|o| (o.id.as_str(), o.label.as_str())).collect::<Vec<_>>(),
            [("o1", "Park"), ("o2", "Play area"), ("o3", "Park")]
        );
        assert!(check_question(&form("Which?", "multiple_choice", false, "Only one")).unwrap_err().get("options").is_some());
        let free = check_question(&form("Anything else?", "free_text", false, "ignored")).unwrap();
        assert!(free.options.is_empty() && !free.required);
        let e = check_question(&form("", "teleport", false, "")).unwrap_err();
        assert!(e.get("prompt").is_some() && e.get("kind").is_some());
    }

    #[test]
    fn a_question_in_welsh_has_a_welsh_choice_for_each_english_one_or_none() {
        let base = QuestionForm { prompt: "Which?", kind: Some("single_choice"), options: "Park\nPlay area", ..Default::default() };
        let welsh = QuestionForm { prompt_cy: " Pa un? ", options_cy: "Parc\n\nArdal chwarae", ..base.clone() };
        let q = check_question(&welsh).unwrap();
        assert_eq!(q.prompt_cy, "Pa un?");
        assert_eq!(q.options.iter().map(|o| o.label_cy.as_str()).collect::<Vec<_>>(), ["Parc", "Ardal chwarae"]);
        // Shown to a Welsh reader in Welsh, to anyone else in English; ids the same.
        let shown = q.in_language("cy");
        assert_eq!(
            (shown.prompt.as_str(), shown.options[1].label.as_str(), shown.options[1].id.as_str()),
            ("Pa un?", "Ardal chwarae", "o2")
        );
        assert_eq!(q.in_language("en").prompt, "Which?");
        // None in Welsh: fine, and the English shows to everyone.
        assert_eq!(check_question(&base).unwrap().in_language("cy").prompt, "Which?");
        // One Welsh choice for two English ones: refused, naming the field.
        let short = QuestionForm { options_cy: "Parc", ..base.clone() };
        assert_eq!(check_question(&short).unwrap_err().get("options_cy"), Some(&Msg::OneWelshChoiceForEach { n: 2 }));
        let long = QuestionForm { prompt_cy: &"a".repeat(MAX_PROMPT_LEN + 1), ..base };
        assert!(check_question(&long).unwrap_err().get("prompt_cy").is_some());
    }

    #[test]
    fn welsh_added_to_a_question_later_keeps_its_ids_and_english() {
        let base = QuestionForm { prompt: "Which?", kind: Some("single_choice"), options: "Park\nPlay area", ..Default::default() };
        let q = check_question(&base).unwrap();
        let welsh = with_welsh(&q, "Pa un?", "", "Parc\nArdal chwarae").unwrap();
        assert_eq!((welsh.id.as_str(), welsh.prompt.as_str(), welsh.prompt_cy.as_str()), (q.id.as_str(), "Which?", "Pa un?"));
        assert_eq!(
            welsh.options.iter().map(|o| (o.id.as_str(), o.label_cy.as_str())).collect::<Vec<_>>(),
            [("o1", "Parc"), ("o2", "Ardal chwarae")]
        );
        let e = with_welsh(&q, "Pa un?", "", "Parc").unwrap_err();
        assert!(e.get(&format!("options_cy-{}", q.id)).is_some(), "named for the question's own form");
        // Taken away again: back to none.
        assert!(with_welsh(&welsh, "", "", "").unwrap().options.iter().all(|o| o.label_cy.is_empty()));
    }

    #[test]
    fn welsh_details_and_updates_are_bounded_like_the_english() {
        let d = Details { title_cy: "t".repeat(MAX_TITLE_LEN + 1), ..Details::default() };
        assert!(check_details(&d).unwrap_err().get("title_cy").is_some());
        assert!(check_outcome_welsh("", &"x".repeat(MAX_FREE_TEXT_LEN + 1)).unwrap_err().get("body_cy").is_some());
        assert!(check_outcome_welsh("Dim arian", "Wedi'i wneud").is_ok());
    }

    #[test]
    fn results_count_each_choice_against_those_who_answered() {
        let qs = [q("1", QuestionKind::MultipleChoice, false), q("2", QuestionKind::Scale, false), q("3", QuestionKind::FreeText, false)];
        let counts = vec![
            ("1".to_string(), "a".to_string(), false, 2),
            ("1".to_string(), "a".to_string(), true, 1),
            ("1".to_string(), "b".to_string(), false, 1),
            ("2".to_string(), "5".to_string(), false, 1),
        ];
        let results = tally(&qs, &counts, &[("1".into(), 3), ("2".into(), 1)]);
        assert_eq!(results.len(), 2, "free text is listed, not tallied");
        let park = &results[0].choices[0];
        assert_eq!((park.count, park.assisted, park.percent), (3, 1, 100));
        assert_eq!(results[0].choices[1].percent, 33, "1 of 3, rounded");
        assert_eq!(results[1].choices.len(), 5);
        assert_eq!((results[1].choices[4].count, results[1].choices[4].percent, results[1].choices[0].count), (1, 100, 0));
        assert_eq!(tally(&qs, &[], &[])[0].choices[0].percent, 0, "no answers, no division by zero");
    }

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("-1"), "'-1");
        assert_eq!(csv_safe("More benches"), "More benches");
    }

    #[test]
    fn stages_and_kinds_round_trip_through_their_names() {
        for s in [Stage::Draft, Stage::OpenForIdeas, Stage::OpenForFeedback, Stage::Closed, Stage::Decided] {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        for k in QuestionKind::ALL {
            assert_eq!(QuestionKind::parse(k.as_str()), Some(k));
        }
        for o in OutcomeStatus::ALL {
            assert_eq!(OutcomeStatus::parse(o.as_str()), Some(o));
        }
        assert!(!Stage::Draft.is_public() && Stage::Closed.is_public() && !Stage::Closed.is_open());
    }
}
