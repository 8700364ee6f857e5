//! Languages: which one a page is in, and the switch between them. The translations are
//! `app/locales/<locale>.toml`, made into `crate::i18n` by `build.rs` (keys checked by the
//! compiler, every language checked to have every key).
//!
//! The server decides each request's language (`server::language`: the person's saved choice,
//! the switch's cookie, `Accept-Language`, English) and the page names it in `<html lang>`; the
//! browser reads it back from there, so both render the same words. Switching posts a plain
//! form and loads the page again, with or without JavaScript.

pub mod choice;
#[cfg(test)]
mod keys;
pub mod matching;
pub mod messages;
pub mod names;
mod switch;

pub use crate::i18n::{use_i18n, Locale};
use leptos::prelude::*;
pub use switch::LanguageSwitch;

/// The language this request was answered in, left in the request by `server::language`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chosen(pub Locale);

/// The language of the page being rendered: as the server decided for this request, or, in the
/// browser, as the page says in `<html lang>`.
pub fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Chosen>().map(|c| c.0))
            .or_else(|| WORKING_IN.try_with(|l| *l).ok())
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|lang| choice::from_tag(&lang))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

/// The language content written in English and perhaps Welsh (a consultation, an opportunity)
/// is shown in on this page ("en" or "cy": `domain::bilingual`, by its Welsh title), and the
/// `lang` its words are marked with when that is not the page's.
pub fn content_shown(welsh_title: &str) -> (&'static str, Option<&'static str>) {
    let page = choice::code(page_locale());
    let shown = crate::domain::bilingual::shown_in(page, welsh_title);
    (shown, crate::domain::bilingual::marks(page, shown).0)
}

/// One text of such content in the language it is shown in (the English where that part has no
/// Welsh), with the `lang` and `dir` to mark it with on this page.
pub fn in_shown(shown: &str, english: &str, welsh: &str) -> (String, Option<&'static str>, Option<&'static str>) {
    let page = choice::code(page_locale());
    let (text, language) = crate::domain::bilingual::pick(shown, english, welsh);
    let (lang, dir) = crate::domain::bilingual::marks(page, language);
    (text.to_string(), lang, dir)
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The language of work done for a request outside it (a sync batch committed by SQLite's
    /// writer task, with other devices' batches): `page_locale` reads it where there is no
    /// request.
    pub static WORKING_IN: Locale;
}

/// Makes the translations available to everything below, in the page's language. No cookie of
/// leptos_i18n's own and no guessing in the browser: the page's language is settled already.
pub fn provide() {
    let locale = page_locale();
    let i18n = leptos_i18n::context::init_i18n_subcontext_with_options::<Locale>(Some(Signal::stored(locale)), None, None, None);
    provide_context(i18n);
}

#[cfg(test)]
mod tests {
    use crate::i18n::{td_string, Locale};

    #[test]
    fn welsh_counts_take_each_of_its_six_plural_forms() {
        let say = |n: usize| td_string!(Locale::cy, layout.unsent_text, count = n).to_string();
        assert!(say(0).starts_with("Does dim cofnodion"), "zero: {}", say(0));
        assert!(say(1).starts_with("Mae 1 cofnod ") && say(1).contains("bydd yn cael ei ddileu"), "one: {}", say(1));
        assert!(say(2).starts_with("Mae 2 gofnod "), "two: {}", say(2));
        assert!(say(3).starts_with("Mae 3 chofnod "), "few: {}", say(3));
        assert!(say(6).starts_with("Mae 6 chofnod "), "many: {}", say(6));
        for n in [4, 5, 7, 11, 100] {
            assert!(say(n).starts_with(&format!("Mae {n} cofnod ")) && say(n).contains("byddant"), "other: {}", say(n));
        }
    }

    #[test]
    fn english_counts_take_one_and_other() {
        let say = |n: usize| td_string!(Locale::en, layout.unsent_text, count = n).to_string();
        assert!(say(1).starts_with("1 record on this tablet has"));
        for n in [0, 2, 3, 6] {
            assert!(say(n).starts_with(&format!("{n} records on this tablet have")), "{}", say(n));
        }
    }
}
