//! Content written in English and Welsh (a consultation, its questions, its outcome updates): which
//! version a reader sees, and what is still missing before it may be published where the
//! organisation requires both. English is always written; Welsh may be.

/// Whether a language (by its code: "ur", "cy"…) is written right to left.
pub fn right_to_left(code: &str) -> bool {
    matches!(code.split(['-', '_']).next().unwrap_or_default(), "ur" | "ar" | "fa" | "he" | "ps")
}

/// The `lang` and `dir` to mark words in language `shown` ("en" or "cy") with on a page in
/// `page`: nothing when they are the page's; English on a right-to-left page also says it runs
/// left to right.
pub fn marks(page: &str, shown: &str) -> (Option<&'static str>, Option<&'static str>) {
    if page == shown {
        return (None, None);
    }
    let lang = if shown == "cy" { "cy" } else { "en-GB" };
    (Some(lang), right_to_left(page).then_some("ltr"))
}

/// Which version to show a reader of `wanted` ("en", "cy", "ur"…): the Welsh to a Welsh reader
/// when it is written, the English otherwise. Returns the text and its language.
pub fn pick<'a>(wanted: &str, english: &'a str, welsh: &'a str) -> (&'a str, &'static str) {
    if wanted == "cy" && !welsh.trim().is_empty() {
        (welsh, "cy")
    } else {
        (english, "en")
    }
}

/// The language a whole piece of content is shown in: Welsh to a Welsh reader when its Welsh
/// title (the part always written first) is there, English otherwise.
pub fn shown_in(wanted: &str, welsh_title: &str) -> &'static str {
    pick(wanted, "", welsh_title).1
}

/// A piece of text residents read, in both languages, named by what it is (for the list of
/// what is missing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: PartName,
    pub english: &'a str,
    pub welsh: &'a str,
}

/// What a missing Welsh text is, for the person who must write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartName {
    Title,
    Summary,
    Background,
    /// The question at this position (1 first).
    Question(usize),
    QuestionHint(usize),
    /// The choices of the question at this position.
    Choices(usize),
}

/// The parts written in English but not in Welsh: what must be added before publishing where
/// both are required. A part with no English needs no Welsh.
pub fn missing_welsh(parts: &[Part<'_>]) -> Vec<PartName> {
    let mut out: Vec<PartName> = Vec::new();
    for p in parts {
        if !p.english.trim().is_empty() && p.welsh.trim().is_empty() && !out.contains(&p.name) {
            out.push(p.name);
        }
    }
    out
}

/// Welsh choices typed one per line beside the English ones: none at all (not written yet), or
/// exactly one for each English choice, in the same order.
pub fn paired_choices(english: &[String], welsh_lines: &str) -> Result<Vec<String>, (usize, usize)> {
    let welsh: Vec<String> = welsh_lines.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    if welsh.is_empty() {
        Ok(vec![String::new(); english.len()])
    } else if welsh.len() == english.len() {
        Ok(welsh)
    } else {
        Err((welsh.len(), english.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_welsh_reader_gets_the_welsh_when_it_is_written_and_everyone_else_the_english() {
        assert_eq!(pick("cy", "Park", "Parc"), ("Parc", "cy"));
        assert_eq!(pick("cy", "Park", "  "), ("Park", "en"), "not written: the English, said to be English");
        assert_eq!(pick("en", "Park", "Parc"), ("Park", "en"));
        assert_eq!(pick("ur", "Park", "Parc"), ("Park", "en"), "neither is Urdu: the English");
        assert_eq!(shown_in("cy", "Parc"), "cy");
        assert_eq!(shown_in("cy", ""), "en");
        assert_eq!(shown_in("en", "Parc"), "en");
    }

    #[test]
    fn words_not_in_the_pages_language_are_marked_and_run_their_own_way() {
        assert_eq!(marks("cy", "cy"), (None, None));
        assert_eq!(marks("cy", "en"), (Some("en-GB"), None));
        assert_eq!(marks("ur", "en"), (Some("en-GB"), Some("ltr")));
        assert_eq!(marks("en", "cy"), (Some("cy"), None));
        assert!(right_to_left("ur") && right_to_left("ur-PK") && !right_to_left("cy") && !right_to_left("en"));
    }

    #[test]
    fn what_is_missing_is_what_has_english_and_no_welsh() {
        let parts = [
            Part { name: PartName::Title, english: "Park", welsh: "Parc" },
            Part { name: PartName::Summary, english: "Plans", welsh: "" },
            Part { name: PartName::Background, english: "", welsh: "" },
            Part { name: PartName::Question(1), english: "Which?", welsh: " " },
            Part { name: PartName::Choices(1), english: "A", welsh: "" },
            Part { name: PartName::Choices(1), english: "B", welsh: "" },
        ];
        assert_eq!(missing_welsh(&parts), [PartName::Summary, PartName::Question(1), PartName::Choices(1)]);
        assert!(missing_welsh(&parts[..1]).is_empty());
    }

    #[test]
    fn welsh_choices_are_none_or_one_for_each_english_choice() {
        let english = vec!["Yes".to_string(), "No".to_string()];
        assert_eq!(paired_choices(&english, ""), Ok(vec![String::new(), String::new()]));
        assert_eq!(paired_choices(&english, "Ie\n\n Na \n"), Ok(vec!["Ie".to_string(), "Na".to_string()]));
        assert_eq!(paired_choices(&english, "Ie"), Err((1, 2)));
    }
}
