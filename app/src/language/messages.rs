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

/// A message crosses the wire as its words, in the language of the request that made it (the
/// reader's): the page that shows it needs nothing more, a tablet keeps it as it was said, and
/// an app of another version reads it all the same.
impl serde::Serialize for crate::domain::Msg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for crate::domain::Msg {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(crate::domain::Msg::Text)
    }
}

#[cfg(test)]
mod tests {
    use super::say;
    use crate::domain::{Label, Msg};
    use crate::i18n::Locale;

    #[test]
    fn a_message_is_said_in_each_language_with_its_field_and_numbers() {
        let msg = Msg::NameTooLong { what: Label::TheirFullName, max: 100 };
        assert_eq!(say(&msg, Locale::en), "Enter their full name in 100 characters or fewer");
        assert_eq!(say(&msg, Locale::cy), "Rhowch eu henw llawn mewn 100 nod neu lai");
        let too_long = Msg::TooLong { what: Label::Address, max: 200 };
        assert_eq!(say(&too_long, Locale::cy), "Rhaid i “Cyfeiriad” fod yn 200 nod neu lai");
        // Plural forms follow the language's own rules.
        assert_eq!(say(&Msg::TooManyAttempts { count: 1 }, Locale::en), "Too many attempts. Wait 1 minute and try again.");
        assert_eq!(
            say(&Msg::TooManyAttempts { count: 2 }, Locale::cy),
            "Gormod o ymdrechion. Arhoswch 2 funud a rhowch gynnig arall arni."
        );
        // Words not moved yet are shown as they are.
        assert_eq!(say(&Msg::Text("As typed".into()), Locale::cy), "As typed");
    }

    #[test]
    fn a_message_crosses_the_wire_as_its_words() {
        let msg = Msg::ChooseAnAnswerTo { prompt: "Where <b>".into() };
        let json = serde_json::to_string(&msg).unwrap();
        assert_eq!(json, "\"Choose an answer to “Where <b>”\"", "outside a request: English");
        let back: Msg = serde_json::from_str(&json).unwrap();
        assert_eq!(say(&back, Locale::cy), "Choose an answer to “Where <b>”", "kept as it was said");
    }
}
