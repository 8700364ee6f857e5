//! Messages (`domain::Msg`) in words: `say(msg, locale)`, one arm per message, made by
//! `app/build/messages.rs` from the translations, so a message without words in every shipped
//! language does not build.

include!(concat!(env!("OUT_DIR"), "/say.rs"));

/// A message shows itself in the language of the page being made (`super::page_locale`); where
/// there is no page (a sync answer, a mail), `say` is given the reader's language instead.
impl std::fmt::Display for crate::domain::Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&say(self, super::page_locale()))
    }
}
