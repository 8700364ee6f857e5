//! Field-level validation shared by the browser (instant feedback) and the server (the authority).

use super::Label;
use super::Msg;
use serde::{Deserialize, Serialize};

/// One problem with one form field, for the person filling the form in: the page says it in
/// their language (`Msg` shows itself in the page's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's `name` (and, on the page, its `id`), so the error summary can link to it.
    pub field: String,
    pub message: Msg,
}

/// All the problems found in one submission, in the order of the form's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<Msg>) {
        // One message per field: the first problem found is the one to fix first.
        if self.get(field).is_none() {
            self.0.push(FieldError { field: field.to_string(), message: message.into() });
        }
    }

    pub fn get(&self, field: &str) -> Option<&Msg> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.message)
    }

    /// A field's message in the page's language, to show beside it.
    pub fn text(&self, field: &str) -> Option<String> {
        self.get(field).map(ToString::to_string)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// `Ok(())` when nothing was found, so validators end with `errors.into_result()`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

pub const MAX_EMAIL_LEN: usize = 254;
pub const MIN_PASSWORD_LEN: usize = 10;
/// Long enough for any passphrase, short enough that hashing it cannot be used to tie up the server.
pub const MAX_PASSWORD_LEN: usize = 128;
pub const MAX_NAME_LEN: usize = 100;

/// An address shown back without revealing it: "r•••@example.org".
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}•••@{domain}", local.chars().next().unwrap_or('•')),
        None => "•••".to_string(),
    }
}

/// Free text (a mail server's reply, say) with every address in it masked: "550 <bob@x.org>:
/// no such user" becomes "550 <b•••@x.org>: no such user". A word counts as an address if it has
/// an `@` with something on each side; the brackets, quotes and punctuation around it stay.
pub fn mask_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let is_edge = |c: char| !(c.is_alphanumeric() || "@.-_+'".contains(c));
        let core = word.trim_matches(is_edge);
        match core.split_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
                let start = word.find(core).unwrap_or(0);
                out.push_str(&word[..start]);
                out.push_str(&mask_email(core));
                out.push_str(&word[start + core.len()..]);
            }
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() || c == '<' || c == '>' || c == ',' || c == ';' || c == '(' || c == ')' {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Emails are compared case-insensitively and without surrounding spaces.
pub fn normalise_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A deliberately plain check: one `@`, something before it, a dot in the domain, no spaces.
/// Whether the address really exists is only known by writing to it.
pub fn check_email(errors: &mut FieldErrors, field: &str, raw: &str) {
    let email = normalise_email(raw);
    if email.is_empty() {
        errors.add(field, Msg::EnterEmailAddress);
        return;
    }
    if email.chars().count() > MAX_EMAIL_LEN {
        errors.add(field, Msg::TooLong { what: Label::EmailAddress, max: MAX_EMAIL_LEN as i64 });
        return;
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !valid {
        errors.add(field, Msg::EnterEmailAddressCorrectFormat);
    }
}

/// The email address in a resident's contact details, which are free text ("07700 900123,
/// jo@example.org"): the first word that is a whole, valid address, normalised.
pub fn contact_email(contact: &str) -> Option<String> {
    contact
        .split(|c: char| c.is_whitespace() || ",;<>()".contains(c))
        .map(|w| w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '@')))
        .filter(|w| w.contains('@'))
        .find(|w| {
            let mut errors = FieldErrors::new();
            check_email(&mut errors, "email", w);
            errors.is_empty()
        })
        .map(normalise_email)
}

pub fn check_name(errors: &mut FieldErrors, field: &str, raw: &str, what: Label) {
    let name = raw.trim();
    if name.is_empty() {
        errors.add(field, Msg::EnterName { what });
    } else if name.chars().count() > MAX_NAME_LEN {
        errors.add(field, Msg::NameTooLong { what, max: MAX_NAME_LEN as i64 });
    }
}

/// NCSC guidance: length over complexity rules; refuse only the short and the well known.
pub fn check_new_password(errors: &mut FieldErrors, field: &str, password: &str, email: &str) {
    let len = password.chars().count();
    if len == 0 {
        errors.add(field, Msg::EnterPassword);
    } else if len < MIN_PASSWORD_LEN {
        errors.add(field, Msg::PasswordTooShort { min: MIN_PASSWORD_LEN as i64 });
    } else if len > MAX_PASSWORD_LEN {
        errors.add(field, Msg::TooLong { what: Label::Password, max: MAX_PASSWORD_LEN as i64 });
    } else if is_guessable(password, email) {
        errors.add(field, Msg::ChoosePasswordHarderGuessTry);
    }
}

/// A new password typed twice: `field` must pass [`check_new_password`], and `confirm_password`
/// must match it (said only once the password itself is acceptable).
pub fn check_new_password_twice(errors: &mut FieldErrors, field: &str, password: &str, confirm: &str, email: &str) {
    check_new_password(errors, field, password, email);
    if errors.get(field).is_none() && password != confirm {
        errors.add("confirm_password", Msg::PasswordsDoNotMatch);
    }
}

fn is_guessable(password: &str, email: &str) -> bool {
    const COMMON: &[&str] = &[
        "password",
        "password1",
        "password12",
        "password123",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "iloveyou12",
        "letmein123",
        "welcome123",
        "passw0rd12",
        "changeme12",
        "abcdefghij",
        "0987654321",
        "1q2w3e4r5t",
        "qwerty1234",
    ];
    let lower = password.to_lowercase();
    let email = normalise_email(email);
    let local = email.split('@').next().unwrap_or("");
    COMMON.contains(&lower.as_str())
        || lower.chars().all(|c| c == lower.chars().next().unwrap_or(' '))
        || (!email.is_empty() && (lower == email || lower == local))
}

/// A file name made only of letters, digits, `-`, `_` and `.`, whatever it was built from, so it
/// cannot break out of a `Content-Disposition` header or name another path.
pub fn safe_filename(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).take(100).collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "download".to_string()
    } else {
        cleaned
    }
}

/// Whether `id` is a UUID in its usual written form (what devices make for every record).
pub fn is_uuid(id: &str) -> bool {
    id.len() == 36 && uuid::Uuid::parse_str(id).is_ok()
}

/// Text made safe to place in HTML, between tags or inside a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text made safe for one line of a header (a mail subject, a display name): line breaks and
/// other control characters become spaces, runs of spaces one, and it is cut to `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
}

/// A checkbox as a form posts it: its value `yes` when ticked, nothing when not (read with
/// `#[serde(default)]`). With JavaScript on, the page reads the form into its struct first and
/// sends that, which writes a ticked box as `true`; a saved copy (JSON) holds `true` or `false`.
pub fn ticked<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Ticked;
    impl serde::de::Visitor<'_> for Ticked {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a checkbox")
        }
        fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E>(self, v: &str) -> Result<bool, E> {
            Ok(v == "yes" || v == "true")
        }
    }
    d.deserialize_any(Ticked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_address_in_free_text_contact_details_is_found() {
        assert_eq!(contact_email("Jo@Example.org").as_deref(), Some("jo@example.org"));
        assert_eq!(contact_email("07700 900123, jo@example.org (evenings)").as_deref(), Some("jo@example.org"));
        assert_eq!(contact_email("<jo@example.org>.").as_deref(), Some("jo@example.org"));
        assert_eq!(contact_email("07700 900123"), None);
        assert_eq!(contact_email("jo@localhost or @ home"), None, "no dot in the domain");
        assert_eq!(contact_email(""), None);
    }

    #[test]
    fn addresses_in_free_text_are_masked_and_the_rest_kept() {
        assert_eq!(
            mask_addresses("550 5.1.1 <bob.smith@example.org>: Recipient address rejected"),
            "550 5.1.1 <b•••@example.org>: Recipient address rejected"
        );
        assert_eq!(mask_addresses("to alice@x.org, carol@y.org."), "to a•••@x.org, c•••@y.org.");
        assert_eq!(mask_addresses("connection refused (os error 111)"), "connection refused (os error 111)");
        // Not addresses: a lone @, or nothing on one side.
        assert_eq!(mask_addresses("@ home @x.org y@"), "@ home @x.org y@");
        // Whatever a hostile server sends, nothing of the local part beyond its first letter survives.
        let masked = mask_addresses("\"secret.name\"@evil.example;secret.name@evil.example");
        assert!(!masked.contains("secret.name"), "{masked}");
    }

    fn email_error(raw: &str) -> Option<String> {
        let mut e = FieldErrors::new();
        check_email(&mut e, "email", raw);
        e.text("email")
    }

    #[test]
    fn emails_are_normalised_for_comparison() {
        assert_eq!(normalise_email("  Sam.Jones@Example.ORG "), "sam.jones@example.org");
    }

    #[test]
    fn a_plain_email_address_is_accepted() {
        assert_eq!(email_error("sam@example.org"), None);
        assert_eq!(email_error(" Sam@Example.org "), None);
    }

    #[test]
    fn a_missing_or_malformed_email_gets_a_specific_message() {
        assert_eq!(email_error("   ").as_deref(), Some("Enter an email address"));
        for bad in ["sam", "sam@", "@example.org", "sam@example", "sam@@example.org", "sam @example.org", "sam@.org"] {
            assert!(email_error(bad).unwrap().contains("correct format"), "{bad} should be refused as malformed");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(email_error(&long).unwrap().contains("254 characters"));
    }

    #[test]
    fn a_password_typed_twice_must_match_once_it_is_acceptable() {
        let check = |pw: &str, confirm: &str| {
            let mut e = FieldErrors::new();
            check_new_password_twice(&mut e, "password", pw, confirm, "sam@example.org");
            (e.text("password"), e.text("confirm_password"))
        };
        assert_eq!(check("plum tractor meadow", "plum tractor meadow"), (None, None));
        assert_eq!(check("plum tractor meadow", "plum tractor meado"), (None, Some("The passwords do not match".into())));
        let (password, confirm) = check("short", "other");
        assert!(password.is_some() && confirm.is_none(), "one problem at a time");
    }

    #[test]
    fn passwords_must_be_long_and_not_well_known() {
        let check = |pw: &str| {
            let mut e = FieldErrors::new();
            check_new_password(&mut e, "password", pw, "sam@example.org");
            e.text("password")
        };
        assert_eq!(check("").as_deref(), Some("Enter a password"));
        assert!(check("short").unwrap().contains("10 characters or more"));
        assert!(check(&"x".repeat(129)).unwrap().contains("128 characters or fewer"));
        assert!(check("Password123").unwrap().contains("harder to guess"));
        assert!(check("aaaaaaaaaaaa").unwrap().contains("harder to guess"));
        assert!(check("Sam@Example.org").unwrap().contains("harder to guess"), "the email itself");
        assert_eq!(check("correct horse battery"), None);
    }

    #[test]
    fn names_are_required_and_bounded() {
        let mut e = FieldErrors::new();
        check_name(&mut e, "display_name", "  ", Label::TheirFullName);
        assert_eq!(e.text("display_name").as_deref(), Some("Enter their full name"));
        let mut e = FieldErrors::new();
        check_name(&mut e, "display_name", &"n".repeat(101), Label::TheirFullName);
        assert_eq!(e.text("display_name").as_deref(), Some("Enter their full name in 100 characters or fewer"));
    }

    #[test]
    fn only_the_first_problem_per_field_is_kept_and_order_is_preserved() {
        let mut e = FieldErrors::new();
        e.add("email", "first");
        e.add("password", "pw");
        e.add("email", "second");
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.text("email").as_deref(), Some("first"));
        assert_eq!(e.0[1].field, "password");
        assert!(e.clone().into_result().is_err());
        assert!(FieldErrors::new().into_result().is_ok());
    }

    #[test]
    fn hostile_text_cannot_leave_a_title_or_a_header() {
        assert_eq!(escape_html("x</title><h1>\"it's\"</h1>&"), "x&lt;/title&gt;&lt;h1&gt;&quot;it&#39;s&quot;&lt;/h1&gt;&amp;");
        assert_eq!(one_line("Park\r\nBcc: victim@example.com", 200), "Park Bcc: victim@example.com");
        assert_eq!(one_line("  a\u{0}\tb  ", 200), "a b");
        assert_eq!(one_line("abcdef", 3), "abc");
    }

    #[test]
    fn file_names_and_ids_from_outside_are_held_to_a_safe_alphabet() {
        assert_eq!(safe_filename("subject-access-probe\"res;x=1.zip"), "subject-access-probe-res-x-1.zip");
        assert_eq!(safe_filename("../../etc/passwd"), "-..-etc-passwd");
        assert_eq!(safe_filename(""), "download");
        assert_eq!(safe_filename(&"a".repeat(5000)).len(), 100);
        assert!(is_uuid("3f2b6c1e-8d1a-4c55-9a0e-2d3b4c5d6e7f"));
        assert!(!is_uuid("probe\"res;x=1"));
        assert!(!is_uuid(&"a".repeat(5000)));
        assert!(!is_uuid("3f2b6c1e8d1a4c559a0e2d3b4c5d6e7f"), "only the hyphenated form");
    }

    #[test]
    fn a_checkbox_is_ticked_by_yes_or_true_as_text_or_json() {
        #[derive(serde::Deserialize, Default)]
        #[serde(default)]
        struct Form {
            #[serde(deserialize_with = "super::ticked")]
            box_: bool,
        }
        let read = |json: &str| serde_json::from_str::<Form>(json).unwrap().box_;
        assert!(read(r#"{"box_": "yes"}"#) && read(r#"{"box_": "true"}"#) && read(r#"{"box_": true}"#));
        assert!(!read(r#"{"box_": "no"}"#) && !read(r#"{"box_": false}"#) && !read("{}"));
    }
}
