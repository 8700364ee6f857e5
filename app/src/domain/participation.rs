//! Residents' own contributions to a consultation: ideas (proposals), support and comments,
//! and the rules that keep them civil without a moderator reading every word first.

use super::FieldErrors;
use super::{Label, Msg};

pub const MAX_PROPOSAL_TITLE_LEN: usize = 120;
pub const MAX_PROPOSAL_BODY_LEN: usize = 2_000;
pub const MAX_COMMENT_LEN: usize = 1_000;
pub const MAX_AUTHOR_LEN: usize = 60;
pub const MAX_REPORT_REASON_LEN: usize = 300;
/// A contribution reported by this many different people is hidden until a moderator decides.
pub const REPORTS_TO_HIDE: i64 = 3;
/// Per participant, per consultation, in [`RATE_WINDOW_SECS`].
pub const MAX_PROPOSALS_PER_WINDOW: i64 = 5;
/// Per participant, across the site, in [`RATE_WINDOW_SECS`].
pub const MAX_COMMENTS_PER_WINDOW: i64 = 20;
pub const RATE_WINDOW_SECS: i64 = 60 * 60;
/// Supports for one idea from one network address by people who are not signed in, in
/// [`SUPPORT_WINDOW_SECS`]: enough for a household or a library, too few to game the ranking.
pub const SUPPORTS_PER_ADDRESS_PER_IDEA: i64 = 3;
pub const SUPPORT_WINDOW_SECS: i64 = 24 * 60 * 60;

/// The most posts of `kind` one network address may make in [`RATE_WINDOW_SECS`]. Generous:
/// a library, a school or a community centre shares one address among many people.
pub fn per_address_limit(kind: &str) -> i64 {
    match kind {
        "response" => 60,
        "proposal" => 30,
        "comment" => 120,
        "support" => 120,
        // Refused responses, which keep a short-lived draft each.
        "refused" => 60,
        _ => 60,
    }
}

fn bounded(errors: &mut FieldErrors, field: &str, value: &str, max: usize, missing: Msg, what: Label) {
    if value.trim().is_empty() {
        errors.add(field, missing);
    } else if value.chars().count() > max {
        errors.add(field, Msg::TooLong { what, max: max as i64 });
    }
}

fn check_author(errors: &mut FieldErrors, author: &str) {
    if author.chars().count() > MAX_AUTHOR_LEN {
        errors.add("author_name", Msg::TooLong { what: Label::YourNameField, max: MAX_AUTHOR_LEN as i64 });
    }
}

pub fn check_proposal(title: &str, body: &str, author: &str) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    bounded(&mut errors, "title", title, MAX_PROPOSAL_TITLE_LEN, Msg::GiveIdeaTitle, Label::Title);
    bounded(&mut errors, "body", body, MAX_PROPOSAL_BODY_LEN, Msg::DescribeIdea, Label::Description);
    check_author(&mut errors, author);
    errors.into_result()
}

pub fn check_comment(body: &str, author: &str) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    bounded(&mut errors, "comment", body, MAX_COMMENT_LEN, Msg::WriteComment, Label::YourComment);
    check_author(&mut errors, author);
    errors.into_result()
}

/// The name shown with a contribution.
pub fn shown_author(author: &str) -> String {
    let a = author.trim();
    if a.is_empty() {
        "A resident".to_string()
    } else {
        a.to_string()
    }
}

/// Text compared for repeats: case, spacing and punctuation do not make it different.
fn normalised(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Why a new contribution should wait for a moderator before it is shown, if it should: it
/// carries a link (the commonest spam), or it repeats something the same participant already
/// posted. `earlier` are that participant's earlier texts.
pub fn auto_flag<'a>(text: &str, earlier: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let lower = text.to_lowercase();
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return Some("Contains a link");
    }
    let this = normalised(text);
    if !this.is_empty() && earlier.into_iter().any(|e| normalised(e) == this) {
        return Some("Repeats an earlier post by the same person");
    }
    None
}

/// What a moderator can do with a queued contribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moderation {
    /// Take it down (it stays recorded, hidden from the public).
    Hide,
    /// Show it again.
    Restore,
    /// The reports or flag were unfounded: show it and clear it from the queue.
    Dismiss,
}

impl Moderation {
    pub fn parse(s: &str) -> Option<Moderation> {
        match s {
            "hide" => Some(Moderation::Hide),
            "restore" => Some(Moderation::Restore),
            "dismiss" => Some(Moderation::Dismiss),
            _ => None,
        }
    }

    /// Whether the contribution is shown afterwards.
    pub fn visible_after(self) -> bool {
        self != Moderation::Hide
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideas_need_a_title_and_a_description_within_limits() {
        assert!(check_proposal("Benches", "More benches by the pond", "").is_ok());
        let e = check_proposal(" ", "", &"x".repeat(61)).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["title", "body", "author_name"]);
        assert!(check_proposal(&"t".repeat(121), "b", "").unwrap_err().text("title").unwrap().contains("120"));
        assert_eq!(check_comment("", "").unwrap_err().text("comment").as_deref(), Some("Write your comment"));
        assert!(check_comment(&"c".repeat(1001), "").is_err());
    }

    #[test]
    fn links_and_repeats_wait_for_a_moderator() {
        assert_eq!(auto_flag("See https://spam.example", []), Some("Contains a link"));
        assert_eq!(auto_flag("visit WWW.spam.example now", []), Some("Contains a link"));
        assert_eq!(auto_flag("More bins!", ["more   BINS"]), Some("Repeats an earlier post by the same person"));
        assert_eq!(auto_flag("More bins", ["More benches"]), None);
        assert_eq!(auto_flag("!!!", ["???"]), None, "nothing to compare is not a repeat");
    }

    #[test]
    fn anonymous_authors_are_a_resident_and_moderation_decides_visibility() {
        assert_eq!(shown_author("  "), "A resident");
        assert_eq!(shown_author(" Kim "), "Kim");
        assert!(!Moderation::parse("hide").unwrap().visible_after());
        assert!(Moderation::parse("restore").unwrap().visible_after() && Moderation::parse("dismiss").unwrap().visible_after());
        assert_eq!(Moderation::parse("delete"), None);
    }
}
