//! What staff write: a consultation's details, its questions (and their Welsh), and its
//! outcome updates, checked before they are stored.

use super::*;

/// Checks an outcome update as staff post it.
pub fn check_outcome(status: Option<&str>, reason: &str, progress: &str, body: &str) -> Result<(OutcomeStatus, u8), FieldErrors> {
    let mut errors = FieldErrors::new();
    let status = status.and_then(OutcomeStatus::parse);
    if status.is_none() {
        errors.add("status", Msg::ChooseWhereStands);
    }
    if status == Some(OutcomeStatus::NotTakenForward) && reason.trim().is_empty() {
        errors.add("reason", Msg::SayWhyNotBeingTaken);
    }
    let progress = match progress.trim() {
        "" => Some(0),
        p => p.trim_end_matches('%').trim().parse::<u8>().ok().filter(|p| *p <= 100),
    };
    if progress.is_none() {
        errors.add("progress", Msg::Progress0To100);
    }
    if body.trim().is_empty() {
        errors.add("body", Msg::SayWhatDoneDecided);
    } else if body.chars().count() > MAX_FREE_TEXT_LEN {
        errors.add("body", Msg::TooLong { what: Label::Update, max: MAX_FREE_TEXT_LEN as i64 });
    }
    errors.into_result().map(|()| (status.unwrap(), progress.unwrap()))
}

/// The Welsh of an outcome update, both optional: within the same bounds as the English.
pub fn check_outcome_welsh(reason_cy: &str, body_cy: &str) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if reason_cy.chars().count() > MAX_FREE_TEXT_LEN {
        errors.add("reason_cy", Msg::TooLong { what: Label::WelshReason, max: MAX_FREE_TEXT_LEN as i64 });
    }
    if body_cy.chars().count() > MAX_FREE_TEXT_LEN {
        errors.add("body_cy", Msg::TooLong { what: Label::WelshUpdate, max: MAX_FREE_TEXT_LEN as i64 });
    }
    errors.into_result()
}

/// A consultation's details as staff enter them: the create and edit forms post them as
/// `form[title]`, `form[areas][]` and so on. A field left out is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    pub title: String,
    pub summary: String,
    pub background: String,
    /// `YYYY-MM-DD`, or empty.
    pub opens_on: String,
    pub closes_on: String,
    /// The ids of the areas and themes it is about (checked against the organisation's lists).
    pub areas: Vec<String>,
    pub themes: Vec<String>,
    /// The same words in Welsh, optional ('' if not written: `domain::bilingual`).
    pub title_cy: String,
    pub summary_cy: String,
    pub background_cy: String,
}

pub fn check_details(d: &Details) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let bounded = |errors: &mut FieldErrors, field: &str, value: &str, max: usize, missing: Msg, what: Label| {
        if value.trim().is_empty() {
            errors.add(field, missing);
        } else if value.chars().count() > max {
            errors.add(field, Msg::TooLong { what, max: max as i64 });
        }
    };
    bounded(&mut errors, "title", &d.title, MAX_TITLE_LEN, Msg::EnterTitle, Label::Title);
    bounded(&mut errors, "summary", &d.summary, MAX_SUMMARY_LEN, Msg::EnterSummary, Label::Summary);
    if d.background.chars().count() > MAX_BACKGROUND_LEN {
        errors.add("background", Msg::TooLong { what: Label::Background, max: MAX_BACKGROUND_LEN as i64 });
    }
    for (field, value, max, what) in [
        ("title_cy", &d.title_cy, MAX_TITLE_LEN, Label::WelshTitle),
        ("summary_cy", &d.summary_cy, MAX_SUMMARY_LEN, Label::WelshSummary),
        ("background_cy", &d.background_cy, MAX_BACKGROUND_LEN, Label::WelshBackground),
    ] {
        if value.chars().count() > max {
            errors.add(field, Msg::TooLong { what, max: max as i64 });
        }
    }
    let (opens, closes) = (d.opens_on.trim(), d.closes_on.trim());
    if !opens.is_empty() && !is_iso_date(opens) {
        errors.add("opens_on", Msg::EnterOpeningDateRealDate);
    }
    if !closes.is_empty() && !is_iso_date(closes) {
        errors.add("closes_on", Msg::EnterClosingDateRealDate);
    }
    if is_iso_date(opens) && is_iso_date(closes) && closes < opens {
        errors.add("closes_on", Msg::ClosingDateMustAfterOpening);
    }
    errors.into_result()
}

/// A question as staff type it: `options` has one choice per line; the Welsh is optional, its
/// choices (if any) one for each English one, in the same order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuestionForm<'a> {
    pub prompt: &'a str,
    pub hint: &'a str,
    pub kind: Option<&'a str>,
    pub required: bool,
    pub options: &'a str,
    pub prompt_cy: &'a str,
    pub hint_cy: &'a str,
    pub options_cy: &'a str,
}

/// Checks a question as staff add it.
pub fn check_question(form: &QuestionForm<'_>) -> Result<Question, FieldErrors> {
    let QuestionForm { prompt, hint, kind, required, options, prompt_cy, hint_cy, options_cy } = *form;
    let mut errors = FieldErrors::new();
    if prompt_cy.chars().count() > MAX_PROMPT_LEN {
        errors.add("prompt_cy", Msg::TooLong { what: Label::WelshQuestion, max: MAX_PROMPT_LEN as i64 });
    }
    if hint_cy.chars().count() > MAX_PROMPT_LEN {
        errors.add("hint_cy", Msg::TooLong { what: Label::WelshHint, max: MAX_PROMPT_LEN as i64 });
    }
    if prompt.trim().is_empty() {
        errors.add("prompt", Msg::EnterQuestion);
    } else if prompt.chars().count() > MAX_PROMPT_LEN {
        errors.add("prompt", Msg::TooLong { what: Label::Question, max: MAX_PROMPT_LEN as i64 });
    }
    if hint.chars().count() > MAX_PROMPT_LEN {
        errors.add("hint", Msg::TooLong { what: Label::Hint, max: MAX_PROMPT_LEN as i64 });
    }
    let kind = kind.and_then(QuestionKind::parse);
    if kind.is_none() {
        errors.add("kind", Msg::ChooseKindQuestion);
    }
    let mut labels: Vec<String> = options.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    labels.dedup();
    if kind.is_some_and(QuestionKind::has_options) {
        if labels.len() < 2 {
            errors.add("options", Msg::GiveAtLeastTwoChoices);
        } else if labels.len() > MAX_OPTIONS {
            errors.add("options", Msg::TooManyChoices { count: MAX_OPTIONS as u64 });
        } else if labels.iter().any(|l| l.chars().count() > MAX_PROMPT_LEN) {
            errors.add("options", Msg::TooLong { what: Label::EachChoice, max: MAX_PROMPT_LEN as i64 });
        }
    }
    let welsh_labels = if kind.is_some_and(QuestionKind::has_options) {
        match crate::domain::bilingual::paired_choices(&labels, options_cy) {
            Ok(welsh) if welsh.iter().any(|l| l.chars().count() > MAX_PROMPT_LEN) => {
                errors.add("options_cy", Msg::TooLong { what: Label::WelshChoices, max: MAX_PROMPT_LEN as i64 });
                Vec::new()
            }
            Ok(welsh) => welsh,
            Err((_, english)) => {
                errors.add("options_cy", Msg::OneWelshChoiceForEach { n: english as i64 });
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    errors.into_result()?;
    let kind = kind.unwrap_or(QuestionKind::FreeText);
    let options = if kind.has_options() {
        labels
            .into_iter()
            .zip(welsh_labels)
            .enumerate()
            .map(|(i, (label, label_cy))| QuestionOption { id: format!("o{}", i + 1), label, label_cy })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Question {
        id: uuid::Uuid::new_v4().to_string(),
        prompt: prompt.trim().to_string(),
        hint: hint.trim().to_string(),
        kind,
        required,
        options,
        prompt_cy: prompt_cy.trim().to_string(),
        hint_cy: hint_cy.trim().to_string(),
    })
}

/// A question with its Welsh added or changed (at any stage: the words, not what is asked).
/// Errors are named `<field>-<question id>`, as the page's form for that question names them.
pub fn with_welsh(q: &Question, prompt_cy: &str, hint_cy: &str, options_cy: &str) -> Result<Question, FieldErrors> {
    let mut errors = FieldErrors::new();
    let field = |name: &str| format!("{name}-{}", q.id);
    if prompt_cy.chars().count() > MAX_PROMPT_LEN {
        errors.add(&field("prompt_cy"), Msg::TooLong { what: Label::WelshQuestion, max: MAX_PROMPT_LEN as i64 });
    }
    if hint_cy.chars().count() > MAX_PROMPT_LEN {
        errors.add(&field("hint_cy"), Msg::TooLong { what: Label::WelshHint, max: MAX_PROMPT_LEN as i64 });
    }
    let english: Vec<String> = q.options.iter().map(|o| o.label.clone()).collect();
    let welsh = match crate::domain::bilingual::paired_choices(&english, options_cy) {
        Ok(welsh) if welsh.iter().any(|l| l.chars().count() > MAX_PROMPT_LEN) => {
            errors.add(&field("options_cy"), Msg::TooLong { what: Label::WelshChoices, max: MAX_PROMPT_LEN as i64 });
            Vec::new()
        }
        Ok(welsh) => welsh,
        Err((_, n)) => {
            errors.add(&field("options_cy"), Msg::OneWelshChoiceForEach { n: n as i64 });
            Vec::new()
        }
    };
    errors.into_result()?;
    Ok(Question {
        prompt_cy: prompt_cy.trim().to_string(),
        hint_cy: hint_cy.trim().to_string(),
        options: q.options.iter().zip(welsh).map(|(o, label_cy)| QuestionOption { label_cy, ..o.clone() }).collect(),
        ..q.clone()
    })
}
