//! What a person is told when something is wrong, in no language yet: `Msg`, one variant per
//! message of `[errors]` in `app/locales/en.toml` (made by `app/build/messages.rs`). The rules
//! here name the problem; whoever shows it says it in the reader's language
//! (`language::messages::say`): the page, a sync answer, an email.

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

impl From<&str> for Msg {
    fn from(text: &str) -> Self {
        Msg::Text(text.to_string())
    }
}

impl From<String> for Msg {
    fn from(text: String) -> Self {
        Msg::Text(text)
    }
}
