//! Which language a page is in: the person's saved choice, then the language switch's cookie,
//! then what the browser asks for (`Accept-Language`), then English. Pure rules, unit-tested.

use crate::i18n::{I18nLocaleTrait, Locale};

/// The cookie the language switch sets (prefixed `__Host-` where cookies are secure).
pub const COOKIE: &str = "mobilise_lang";

/// The most `Accept-Language` entries read: a header of thousands is not worth the time.
const MAX_RANGES: usize = 32;

/// Every shipped language, English first.
pub fn all() -> &'static [Locale] {
    Locale::get_all()
}

/// The language's code, as kept and sent: "en", "cy".
pub fn code(locale: Locale) -> &'static str {
    locale.as_str()
}

/// The shipped language a tag names ("cy", "cy-GB", "CY", "en-US"), by its first part.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    Locale::get_all().iter().copied().find(|l| l.as_str() == primary)
}

/// The shipped language a browser prefers most, from its `Accept-Language` header: the highest
/// `q` first, in the header's order among equals; `q=0` means "not this one".
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranges: Vec<(u16, usize, &str)> = header
        .split(',')
        .take(MAX_RANGES)
        .enumerate()
        .filter_map(|(i, range)| {
            let mut parts = range.split(';');
            let tag = parts.next()?.trim();
            let q = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1000), quality)?;
            (q > 0 && !tag.is_empty()).then_some((q, i, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, tag)| from_tag(tag))
}

/// A `q` value in thousandths ("0.8" is 800); `None` if it is not one.
fn quality(q: &str) -> Option<u16> {
    let q = q.trim();
    let (whole, frac) = q.split_once('.').unwrap_or((q, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value = format!("{frac:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}

/// The language of a page, in the order above; anything not shipped is passed over.
pub fn decide(saved: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
    saved
        .and_then(from_tag)
        .or_else(|| cookie.and_then(from_tag))
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or_default()
}

/// The language to write to someone in: the choice saved on their account, else the language
/// they said they prefer (at the door it is typed freely: "Welsh", "Cymraeg", "cy"), else
/// `otherwise` (the language of the request that sends it). Anything not shipped is passed over.
pub fn for_letters(saved: Option<&str>, preferred: Option<&str>, otherwise: Locale) -> Locale {
    saved.and_then(from_tag).or_else(|| preferred.and_then(from_words)).unwrap_or(otherwise)
}

/// A language as a person might write it: its code, or its name in English or in itself.
pub fn from_words(words: &str) -> Option<Locale> {
    let words = words.trim().to_lowercase();
    let code = match words.as_str() {
        "welsh" | "cymraeg" | "cymraes" => "cy",
        "english" | "saesneg" => "en",
        "urdu" | "اردو" => "ur",
        other => other,
    };
    from_tag(code).filter(|l| l.as_str() == code)
}

/// The `lang` attribute for a page in this language.
pub fn html_lang(locale: Locale) -> &'static str {
    match locale.as_str() {
        "en" => "en-GB",
        other => other,
    }
}

/// The language's own name for itself, as the switch shows it.
pub fn own_name(locale: Locale) -> &'static str {
    match locale.as_str() {
        "cy" => "Cymraeg",
        "ur" => "اردو",
        _ => "English",
    }
}

/// Whether the language is written right to left.
pub fn right_to_left(locale: Locale) -> bool {
    crate::domain::bilingual::right_to_left(locale.as_str())
}

/// A place to send someone back to after switching: a path on this site only ("/x?y"), never
/// another site ("//evil", "https://…", "/\\evil"), printable ASCII only (a browser sends a
/// path percent-encoded), and not too long; otherwise the home page.
pub fn safe_return(back: &str) -> &str {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && back.len() <= 2000
        && back.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if ok {
        back
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cy() -> Locale {
        from_tag("cy").expect("Welsh ships")
    }

    #[test]
    fn tags_name_a_shipped_language_by_their_first_part() {
        assert_eq!(from_tag("cy-GB"), Some(cy()));
        assert_eq!(from_tag(" CY "), Some(cy()));
        assert_eq!(from_tag("en-US"), Some(Locale::default()));
        assert_eq!(from_tag("fr"), None);
        assert_eq!(from_tag(""), None);
        assert_eq!(from_tag("cym"), None);
    }

    #[test]
    fn accept_language_takes_the_highest_quality_shipped_language() {
        assert_eq!(from_accept_language("cy"), Some(cy()));
        assert_eq!(from_accept_language("fr-FR,fr;q=0.9,cy;q=0.8,en;q=0.7"), Some(cy()));
        assert_eq!(from_accept_language("en;q=0.5, cy;q=0.9"), Some(cy()));
        assert_eq!(from_accept_language("cy;q=0.5, en;q=0.9"), Some(Locale::default()));
        // Equal quality: the header's own order.
        assert_eq!(from_accept_language("cy, en"), Some(cy()));
        assert_eq!(from_accept_language("cy;q=0, en;q=0.1"), Some(Locale::default()));
        assert_eq!(from_accept_language("cy;q=0"), None);
        assert_eq!(from_accept_language("fr, de"), None);
        // Nonsense is passed over, never trusted.
        assert_eq!(from_accept_language("cy;q=2, en;q=0.3"), Some(Locale::default()));
        assert_eq!(from_accept_language("cy;q=abc"), None);
        assert_eq!(from_accept_language(",,;;=="), None);
        // Only the first entries are read.
        let long = format!("{}cy", "xx,".repeat(40));
        assert_eq!(from_accept_language(&long), None);
    }

    #[test]
    fn the_saved_choice_wins_then_the_cookie_then_the_browser_then_english() {
        let english = Locale::default();
        assert_eq!(decide(Some("cy"), Some("en"), Some("en")), cy());
        assert_eq!(decide(Some("en"), Some("cy"), Some("cy")), english);
        assert_eq!(decide(None, Some("cy"), Some("en")), cy());
        assert_eq!(decide(None, Some("en"), Some("cy")), english);
        assert_eq!(decide(None, None, Some("cy-GB,en;q=0.5")), cy());
        assert_eq!(decide(None, None, None), english);
        // Something not shipped is passed over, to the next in the order.
        assert_eq!(decide(Some("fr"), Some("xx"), Some("cy")), cy());
        assert_eq!(decide(Some(""), None, Some("de")), english);
    }

    #[test]
    fn letters_go_in_the_saved_then_the_preferred_then_the_senders_language() {
        let english = Locale::default();
        assert_eq!(for_letters(Some("cy"), Some("English"), english), cy());
        assert_eq!(for_letters(None, Some(" Welsh "), english), cy());
        assert_eq!(for_letters(None, Some("Cymraeg"), english), cy());
        assert_eq!(for_letters(Some(""), Some("cy"), english), cy());
        assert_eq!(for_letters(None, Some("Polish"), cy()), cy(), "not shipped: the sender's");
        assert_eq!(for_letters(None, Some("english"), cy()), english);
        assert_eq!(for_letters(None, Some("cy-GB and English"), english), english, "free text is not guessed at");
        assert_eq!(for_letters(None, None, english), english);
    }

    #[test]
    fn pages_name_their_language_and_direction() {
        assert_eq!(html_lang(Locale::default()), "en-GB");
        assert_eq!(html_lang(cy()), "cy");
        assert_eq!(own_name(cy()), "Cymraeg");
        assert!(!right_to_left(cy()));
        let urdu = from_tag("ur-PK").expect("Urdu ships");
        assert_eq!((html_lang(urdu), own_name(urdu)), ("ur", "اردو"));
        assert!(right_to_left(urdu) && !right_to_left(Locale::default()));
        assert_eq!(from_words(" اردو "), Some(urdu));
        assert_eq!(decide(None, None, Some("ur;q=0.9, en;q=0.8")), urdu);
    }

    #[test]
    fn only_a_path_on_this_site_is_returned_to() {
        assert_eq!(safe_return("/consultations/1?x=2"), "/consultations/1?x=2");
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "evil", "", "/a\nb", "/a\\b", "/a b", "/ä"] {
            assert_eq!(safe_return(bad), "/", "{bad:?}");
        }
        assert_eq!(safe_return(&format!("/{}", "a".repeat(3000))), "/");
    }
}
