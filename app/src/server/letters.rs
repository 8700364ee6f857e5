//! The words of each message the app sends, in the reader's language (`[mail]` in
//! `app/locales/<locale>.toml`). Each returns a [`Letter`]; the outbox turns it into a plain-text
//! and an HTML part. What people typed (names, titles, summaries, reasons, updates) goes in as it is.

use crate::domain::commitment::Side;
use crate::domain::mail::Letter;
use crate::i18n::{td_string, Locale};

/// "Hello Priya," or, without a name, "Hello,".
fn greeting(locale: Locale, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        td_string!(locale, mail.hello).to_string()
    } else {
        td_string!(locale, mail.hello_name, name = name)
    }
}

/// "This link works once, for 7 days."
fn link_days(locale: Locale, days: i64) -> String {
    td_string!(locale, mail.link_days, count = days)
}

/// A new account's link to choose a password (staff, group organisers, a new organisation's
/// first administrator).
pub fn account_invitation(locale: Locale, organisation: &str, name: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: td_string!(locale, mail.invited_subject, organisation = organisation),
        greeting: td_string!(locale, mail.hello_name, name = name),
        paragraphs: vec![td_string!(locale, mail.invited_text, organisation = organisation)],
        action: Some((td_string!(locale, mail.choose_password).to_string(), link.to_string())),
        footer: vec![link_days(locale, days), td_string!(locale, mail.not_expecting).to_string()],
    }
}

/// A community group's organiser, invited by the organisation it partners with.
pub fn group_invitation(locale: Locale, host: &str, group: &str, name: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: td_string!(locale, mail.group_invited_subject, host = host, group = group),
        greeting: td_string!(locale, mail.hello_name, name = name),
        paragraphs: vec![
            td_string!(locale, mail.group_invited_text, host = host, group = group),
            td_string!(locale, mail.organiser_can, group = group),
        ],
        action: Some((td_string!(locale, mail.choose_password).to_string(), link.to_string())),
        footer: vec![link_days(locale, days), td_string!(locale, mail.not_expecting).to_string()],
    }
}

/// Someone asked for an account (or an invitation) for an address that already has one. The
/// person who asked is told only what anybody would be told; the holder hears it here.
pub fn account_exists(locale: Locale, sign_in: &str, forgot: &str) -> Letter {
    Letter {
        subject: td_string!(locale, mail.exists_subject).to_string(),
        greeting: td_string!(locale, mail.hello).to_string(),
        paragraphs: vec![td_string!(locale, mail.exists_text).to_string(), td_string!(locale, mail.exists_sign_in, link = sign_in)],
        action: Some((td_string!(locale, mail.choose_new_password).to_string(), forgot.to_string())),
        footer: vec![td_string!(locale, mail.not_you_nothing_to_do).to_string()],
    }
}

/// A new resident account's link proving the address.
pub fn verify_email(locale: Locale, link: &str, hours: i64) -> Letter {
    Letter {
        subject: td_string!(locale, mail.verify_subject).to_string(),
        greeting: td_string!(locale, mail.hello).to_string(),
        paragraphs: vec![td_string!(locale, mail.verify_text).to_string()],
        action: Some((td_string!(locale, mail.verify_action).to_string(), link.to_string())),
        footer: vec![td_string!(locale, mail.link_hours, count = hours), td_string!(locale, mail.verify_not_you).to_string()],
    }
}

/// A forgotten password.
pub fn password_reset(locale: Locale, link: &str, minutes: i64) -> Letter {
    Letter {
        subject: td_string!(locale, mail.reset_subject).to_string(),
        greeting: td_string!(locale, mail.hello).to_string(),
        paragraphs: vec![td_string!(locale, mail.reset_text).to_string()],
        action: Some((td_string!(locale, mail.choose_new_password).to_string(), link.to_string())),
        footer: vec![td_string!(locale, mail.reset_link_minutes, count = minutes), td_string!(locale, mail.reset_not_you).to_string()],
    }
}

/// An invitation to have one's say, for a resident who agreed to be asked.
pub fn consultation_invitation(
    locale: Locale,
    organisation: &str,
    name: &str,
    title: &str,
    summary: &str,
    closes_on: Option<&str>,
    link: &str,
) -> Letter {
    let mut paragraphs = vec![td_string!(locale, mail.asking, organisation = organisation, title = title)];
    if !summary.trim().is_empty() {
        paragraphs.push(summary.trim().to_string());
    }
    if let Some(day) = closes_on.filter(|d| !d.is_empty()) {
        paragraphs.push(td_string!(locale, mail.say_until, day = day));
    }
    Letter {
        subject: td_string!(locale, mail.have_your_say_subject, title = title),
        greeting: greeting(locale, name),
        paragraphs,
        action: Some((td_string!(locale, mail.have_your_say).to_string(), link.to_string())),
        footer: vec![td_string!(locale, mail.invitation_why, organisation = organisation)],
    }
}

/// "We did what we said": an issue a resident raised with a worker has been resolved.
pub fn issue_resolved(locale: Locale, organisation: &str, name: &str, themes: &[String], raised_on: &str, worker: &str) -> Letter {
    let spoke = if themes.is_empty() {
        td_string!(locale, mail.resolved_text, day = raised_on, worker = worker, organisation = organisation)
    } else {
        let themes = themes.join(", ").to_lowercase();
        td_string!(locale, mail.resolved_text_themes, day = raised_on, worker = worker, organisation = organisation, themes = themes)
    };
    Letter {
        subject: td_string!(locale, mail.resolved_subject, organisation = organisation),
        greeting: greeting(locale, name),
        paragraphs: vec![spoke, td_string!(locale, mail.resolved_not_sorted, organisation = organisation)],
        action: None,
        footer: vec![td_string!(locale, mail.contact_why, organisation = organisation)],
    }
}

/// One commitment as a resident reads it: what, who of the staff will do it and which service
/// it concerns (if named), and by when.
pub struct Agreed {
    pub what: String,
    pub who: Option<String>,
    pub service: Option<String>,
    pub due: Option<String>,
}

impl Agreed {
    /// The whole sentence for one commitment, whose it is (`side`) deciding which:
    /// "We will: Chase the repair (Sam Patel, Housing Repairs) by 12 December 2026."
    fn said(&self, locale: Locale, side: Side) -> String {
        let what = self.what.trim_end_matches('.');
        // Only what was typed, in brackets: no words of the app's.
        let with: Vec<&str> = [self.who.as_deref(), self.service.as_deref()].into_iter().flatten().collect();
        let with = if with.is_empty() { String::new() } else { format!(" ({})", with.join(", ")) };
        match (side, self.due.as_deref()) {
            (Side::We, None) => td_string!(locale, mail.agreed_we, what = what, with = with),
            (Side::You, None) => td_string!(locale, mail.agreed_you, what = what, with = with),
            (Side::We, Some(d)) => {
                td_string!(locale, mail.agreed_we_by, what = what, with = with, date = crate::language::names::long_date(locale, d))
            }
            (Side::You, Some(d)) => {
                td_string!(locale, mail.agreed_you_by, what = what, with = with, date = crate::language::names::long_date(locale, d))
            }
        }
    }
}

/// "This is what we will do, this is what you can do": what a conversation agreed, sent to the
/// resident after it (due dates `YYYY-MM-DD`).
pub fn commitments_agreed(
    locale: Locale,
    organisation: &str,
    name: &str,
    spoke_on: &str,
    worker: &str,
    we: &[Agreed],
    you: &[Agreed],
) -> Letter {
    let mut paragraphs = vec![td_string!(
        locale,
        mail.agreed_intro,
        day = crate::language::names::long_date(locale, spoke_on),
        worker = worker,
        organisation = organisation
    )];
    for a in we {
        paragraphs.push(a.said(locale, Side::We));
    }
    for a in you {
        paragraphs.push(a.said(locale, Side::You));
    }
    paragraphs.push(td_string!(locale, mail.agreed_contact, worker = worker, organisation = organisation));
    Letter {
        subject: td_string!(locale, mail.agreed_subject, organisation = organisation),
        greeting: greeting(locale, name),
        paragraphs,
        action: None,
        footer: vec![td_string!(locale, mail.contact_why, organisation = organisation)],
    }
}

/// A resident behind a cluster is invited to the community response on it: what the
/// organisation will do, what they can do, and the meeting (their own link signs them up).
#[allow(clippy::too_many_arguments)] // the reader's language, then what the letter always took
pub fn community_invitation(
    locale: Locale,
    organisation: &str,
    name: &str,
    about: &str,
    we_will: &str,
    you_can: &str,
    meeting: Option<(&str, &str, &str)>,
    link: &str,
) -> Letter {
    let mut paragraphs = vec![
        td_string!(locale, mail.together_intro, organisation = organisation, about = about),
        td_string!(locale, mail.what_we_will_do, text = we_will.trim()),
    ];
    if !you_can.trim().is_empty() {
        paragraphs.push(td_string!(locale, mail.what_you_can_do, text = you_can.trim()));
    }
    if let Some((what, place, on)) = meeting {
        let date = crate::language::names::long_date(locale, on);
        paragraphs.push(if place.trim().is_empty() {
            td_string!(locale, mail.meet_us, what = what.trim(), date = date)
        } else {
            td_string!(locale, mail.meet_us_at, what = what.trim(), place = place.trim(), date = date)
        });
    }
    let action = if meeting.is_some() { td_string!(locale, mail.see_and_sign_up) } else { td_string!(locale, mail.see_what_we_will_do) };
    Letter {
        subject: td_string!(locale, mail.together_subject, organisation = organisation, about = about),
        greeting: greeting(locale, name),
        paragraphs,
        action: Some((action.to_string(), link.to_string())),
        footer: vec![td_string!(locale, mail.contact_why, organisation = organisation)],
    }
}

/// A progress update on a community response to a resident invited to it ("you said, we did").
pub fn community_update(locale: Locale, organisation: &str, name: &str, about: &str, body: &str, closing: bool, link: &str) -> Letter {
    let mut paragraphs = vec![td_string!(locale, mail.update_intro, organisation = organisation, about = about), body.trim().to_string()];
    if closing {
        paragraphs.push(td_string!(locale, mail.update_last).to_string());
    }
    Letter {
        subject: td_string!(locale, mail.update_subject, organisation = organisation, about = about),
        greeting: greeting(locale, name),
        paragraphs,
        action: Some((td_string!(locale, mail.see_every_update).to_string(), link.to_string())),
        footer: vec![td_string!(locale, mail.contact_why, organisation = organisation)],
    }
}

/// What became of a consultation ("you said, we did"), to someone who took part and asked to
/// hear: its status (and how far along), what was done, and why.
pub fn outcome_update(locale: Locale, title: &str, status: &str, progress: i64, body: &str, reason: &str, link: &str) -> Letter {
    let update = if progress > 0 {
        td_string!(locale, mail.outcome_progress, status = status, progress = progress).to_string()
    } else {
        status.to_string()
    };
    let mut paragraphs = vec![td_string!(locale, mail.outcome_intro, title = title).to_string(), update, body.to_string()];
    if !reason.is_empty() {
        paragraphs.push(td_string!(locale, mail.outcome_why, reason = reason).to_string());
    }
    Letter {
        subject: td_string!(locale, mail.outcome_subject, title = title, status = status).to_string(),
        paragraphs,
        action: Some((td_string!(locale, mail.outcome_action).to_string(), link.to_string())),
        footer: vec![td_string!(locale, mail.outcome_footer).to_string()],
        ..Default::default()
    }
}

/// An address left on a consultation response: nothing else goes to it until this link is used.
pub fn confirm_address(locale: Locale, organisation: &str, title: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: td_string!(locale, mail.confirm_subject, title = title),
        greeting: td_string!(locale, mail.hello).to_string(),
        paragraphs: vec![
            td_string!(locale, mail.confirm_text, title = title, organisation = organisation),
            td_string!(locale, mail.confirm_if_you).to_string(),
        ],
        action: Some((td_string!(locale, mail.confirm_action).to_string(), link.to_string())),
        footer: vec![link_days(locale, days), td_string!(locale, mail.confirm_not_you).to_string()],
    }
}

/// A group that asked to join was approved: its organiser's link to choose a password.
pub fn group_request_approved(locale: Locale, host: &str, group: &str, name: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: td_string!(locale, mail.approved_subject, host = host, group = group),
        greeting: td_string!(locale, mail.hello_name, name = name),
        paragraphs: vec![
            td_string!(locale, mail.approved_text, host = host, group = group),
            td_string!(locale, mail.organiser_can, group = group),
        ],
        action: Some((td_string!(locale, mail.choose_password).to_string(), link.to_string())),
        footer: vec![link_days(locale, days)],
    }
}

/// A group that asked to join was declined, with the administrator's reason when given.
pub fn group_request_declined(locale: Locale, host: &str, group: &str, name: &str, reason: &str) -> Letter {
    let mut paragraphs = vec![td_string!(locale, mail.declined_text, host = host, group = group)];
    if !reason.is_empty() {
        paragraphs.push(td_string!(locale, mail.declined_reason, reason = reason));
    }
    paragraphs.push(td_string!(locale, mail.declined_questions, host = host));
    Letter {
        subject: td_string!(locale, mail.declined_subject, host = host),
        greeting: td_string!(locale, mail.hello_name, name = name),
        paragraphs,
        action: None,
        footer: vec![td_string!(locale, mail.declined_why).to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(locale: Locale) -> Letter {
        consultation_invitation(
            locale,
            "Riverside Council",
            " Eleri ",
            "Mill Park",
            "New paths and lighting.",
            Some("2026-12-01"),
            "https://example.test/consultations/1",
        )
    }

    fn resolved(locale: Locale) -> Letter {
        let themes = vec!["Damp".to_string(), "Housing Repairs".to_string()];
        issue_resolved(locale, "Riverside Council", "Mo", &themes, "2026-11-02", "Sam Patel")
    }

    #[test]
    fn letters_are_written_in_welsh_for_a_welsh_reader() {
        let letter = invitation(Locale::cy);
        assert_eq!(letter.subject, "Dywedwch eich dweud: Mill Park");
        assert_eq!(letter.greeting, "Helo Eleri,");
        assert!(letter.paragraphs[0].contains("Mae Riverside Council yn gofyn i drigolion"), "{:?}", letter.paragraphs);
        assert!(letter.paragraphs[0].contains("“Mill Park”"), "{:?}", letter.paragraphs);
        assert_eq!(letter.paragraphs[1], "New paths and lighting.", "what was typed stays as it was");
        assert!(letter.paragraphs[2].contains("tan 2026-12-01"), "{:?}", letter.paragraphs);
        assert_eq!(letter.action.as_ref().map(|(text, _)| text.as_str()), Some("Dywedwch eich dweud"));
        assert!(letter.footer[0].contains("gwahoddiad"), "{:?}", letter.footer);
        assert!(!letter.paragraphs.concat().contains("residents"));

        let letter = resolved(Locale::cy);
        assert!(letter.subject.starts_with("Riverside Council:") && letter.subject.contains("datrys"), "{}", letter.subject);
        assert!(letter.paragraphs[0].contains("siaradodd Sam Patel â chi"), "{:?}", letter.paragraphs);
        assert!(letter.paragraphs[0].contains("(damp, housing repairs)"), "themes lower-cased and joined: {:?}", letter.paragraphs);
        assert!(letter.paragraphs[1].contains("rhowch wybod"), "{:?}", letter.paragraphs);
        assert!(letter.footer[0].contains("gysylltu â chi"), "{:?}", letter.footer);
        let without_name = issue_resolved(Locale::cy, "Riverside Council", " ", &[], "2026-11-02", "Sam Patel");
        assert_eq!(without_name.greeting, "Helo,");
        assert!(!without_name.paragraphs[0].contains('('), "{:?}", without_name.paragraphs);
    }

    #[test]
    fn letters_in_english_read_as_they_always_have() {
        let letter = invitation(Locale::en);
        assert_eq!(letter.subject, "Have your say: Mill Park");
        assert_eq!(letter.greeting, "Hello Eleri,");
        assert_eq!(letter.paragraphs[0], "Riverside Council is asking residents what they think about “Mill Park”.");
        assert_eq!(letter.paragraphs[2], "You can have your say until 2026-12-01.");
        assert_eq!(letter.action.as_ref().map(|(text, _)| text.as_str()), Some("Have your say"));

        let letter = resolved(Locale::en);
        assert_eq!(letter.subject, "Riverside Council: your issue has been resolved");
        assert_eq!(
            letter.paragraphs[0],
            "On 2026-11-02 you spoke to Sam Patel from Riverside Council about the issue you raised (damp, housing repairs). \
             We said we would follow it up, and it has now been resolved."
        );
        assert_eq!(letter.paragraphs[1], "If it is not sorted for you, tell Riverside Council and it will be looked at again.");
    }

    #[test]
    fn commitments_give_their_due_date_in_the_readers_language() {
        let we =
            [Agreed { what: "Chase the repair.".into(), who: Some("Sam Patel".into()), service: None, due: Some("2026-12-12".into()) }];
        let letter = commitments_agreed(Locale::en, "Riverside Council", "Mo", "2026-11-02", "Sam Patel", &we, &[]);
        assert_eq!(
            letter.paragraphs[0],
            "On 2 November 2026 you spoke to Sam Patel from Riverside Council. This is what you agreed together."
        );
        assert_eq!(letter.paragraphs[1], "We will: Chase the repair (Sam Patel) by 12 December 2026.");
        let letter = commitments_agreed(Locale::cy, "Riverside Council", "Mo", "2026-11-02", "Sam Patel", &we, &[]);
        assert!(letter.paragraphs[0].contains("2 Tachwedd 2026"), "{:?}", letter.paragraphs);
        assert!(
            letter.paragraphs[1].contains("Chase the repair (Sam Patel)") && letter.paragraphs[1].contains("12 Rhagfyr 2026"),
            "{:?}",
            letter.paragraphs
        );
    }
}
