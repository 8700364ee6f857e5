//! The words of each message the app sends (English for now; Welsh arrives with its issue).
//! Each returns a [`Letter`]; the outbox turns it into a plain-text and an HTML part.

use crate::domain::mail::Letter;

/// A new account's link to choose a password (staff, group organisers, a new organisation's
/// first administrator).
pub fn account_invitation(organisation: &str, name: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: format!("You have been invited to Mobilise for {organisation}"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![format!(
            "An account has been made for you on Mobilise, the tool {organisation} uses to keep in touch with residents. \
             Choose a password to start using it."
        )],
        action: Some(("Choose your password".into(), link.to_string())),
        footer: vec![
            format!("This link works once, for {days} days."),
            "If you were not expecting this, you can ignore it: nothing happens until the link is used.".into(),
        ],
    }
}

/// A community group's organiser, invited by the organisation it partners with.
pub fn group_invitation(host: &str, group: &str, name: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: format!("{host} has invited {group} to Mobilise"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("{host} has made {group} a partner on Mobilise, the tool it uses to keep in touch with residents."),
            format!("As {group}'s organiser you can post volunteering opportunities, see the residents who are interested and answer them. Choose a password to start."),
        ],
        action: Some(("Choose your password".into(), link.to_string())),
        footer: vec![
            format!("This link works once, for {days} days."),
            "If you were not expecting this, you can ignore it: nothing happens until the link is used.".into(),
        ],
    }
}

/// Someone asked for an account (or an invitation) for an address that already has one. The
/// person who asked is told only what anybody would be told; the holder hears it here.
pub fn account_exists(sign_in: &str, forgot: &str) -> Letter {
    Letter {
        subject: "You already have a Mobilise account".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "Someone asked for a new Mobilise account, or an invitation, for this email address. You already have an account, so nothing has changed.".into(),
            format!("If it was you, sign in at {sign_in}. If you have forgotten your password, you can choose a new one."),
        ],
        action: Some(("Choose a new password".into(), forgot.to_string())),
        footer: vec!["If it was not you, you do not need to do anything.".into()],
    }
}

/// A new resident account's link proving the address.
pub fn verify_email(link: &str, hours: i64) -> Letter {
    Letter {
        subject: "Confirm your email address for Mobilise".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "Thank you for creating an account. Confirm that this is your email address to start using it: open the link and enter the password you chose.".into(),
        ],
        action: Some(("Confirm your email address".into(), link.to_string())),
        footer: vec![
            format!("This link works once, for {hours} hours."),
            "If you did not create an account, ignore this email and no account will be made with your address.".into(),
        ],
    }
}

/// A forgotten password.
pub fn password_reset(link: &str, minutes: i64) -> Letter {
    Letter {
        subject: "Choose a new password for Mobilise".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["Someone asked to choose a new password for the Mobilise account with this email address.".into()],
        action: Some(("Choose a new password".into(), link.to_string())),
        footer: vec![
            format!("This link works once, for {minutes} minutes. Using it signs you out everywhere else."),
            "If you did not ask, ignore this email: your password has not changed.".into(),
        ],
    }
}

/// An invitation to have one's say, for a resident who agreed to be asked.
pub fn consultation_invitation(organisation: &str, name: &str, title: &str, summary: &str, closes_on: Option<&str>, link: &str) -> Letter {
    let mut paragraphs = vec![format!("{organisation} is asking residents what they think about “{title}”.")];
    if !summary.trim().is_empty() {
        paragraphs.push(summary.trim().to_string());
    }
    if let Some(day) = closes_on.filter(|d| !d.is_empty()) {
        paragraphs.push(format!("You can have your say until {day}."));
    }
    Letter {
        subject: format!("Have your say: {title}"),
        greeting: if name.trim().is_empty() { "Hello,".into() } else { format!("Hello {},", name.trim()) },
        paragraphs,
        action: Some(("Have your say".into(), link.to_string())),
        footer: vec![format!("You are getting this because you told {organisation} you would like to be invited to have your say.")],
    }
}

/// "We did what we said": an issue a resident raised with a worker has been resolved.
pub fn issue_resolved(organisation: &str, name: &str, themes: &[String], raised_on: &str, worker: &str) -> Letter {
    let about = if themes.is_empty() {
        "the issue you raised".to_string()
    } else {
        format!("the issue you raised ({})", themes.join(", ").to_lowercase())
    };
    Letter {
        subject: format!("{organisation}: your issue has been resolved"),
        greeting: if name.trim().is_empty() { "Hello,".into() } else { format!("Hello {},", name.trim()) },
        paragraphs: vec![
            format!("On {raised_on} you spoke to {worker} from {organisation} about {about}. We said we would follow it up, and it has now been resolved."),
            format!("If it is not sorted for you, tell {organisation} and it will be looked at again."),
        ],
        action: None,
        footer: vec![format!("You are getting this because you agreed that {organisation} could contact you about the issue you raised.")],
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
    /// "Chase the repair (Sam Patel, Housing Repairs) by 12 December 2026".
    fn said(&self) -> String {
        let with: Vec<&str> = [self.who.as_deref(), self.service.as_deref()].into_iter().flatten().collect();
        let with = if with.is_empty() { String::new() } else { format!(" ({})", with.join(", ")) };
        let by = self.due.as_deref().map(|d| format!(" by {}", crate::domain::calendar::long_date(d))).unwrap_or_default();
        format!("{}{with}{by}", self.what.trim_end_matches('.'))
    }
}

/// "This is what we will do, this is what you can do": what a conversation agreed, sent to the
/// resident after it (due dates `YYYY-MM-DD`).
pub fn commitments_agreed(organisation: &str, name: &str, spoke_on: &str, worker: &str, we: &[Agreed], you: &[Agreed]) -> Letter {
    let mut paragraphs = vec![format!(
        "On {} you spoke to {worker} from {organisation}. This is what you agreed together.",
        crate::domain::calendar::long_date(spoke_on)
    )];
    for a in we {
        paragraphs.push(format!("We will: {}.", a.said()));
    }
    for a in you {
        paragraphs.push(format!("You can: {}.", a.said()));
    }
    paragraphs.push(format!("{worker} stays your point of contact until it is sorted. If anything changes, tell {organisation}."));
    Letter {
        subject: format!("{organisation}: what we agreed"),
        greeting: if name.trim().is_empty() { "Hello,".into() } else { format!("Hello {},", name.trim()) },
        paragraphs,
        action: None,
        footer: vec![format!("You are getting this because you agreed that {organisation} could contact you about the issue you raised.")],
    }
}

/// A resident behind a cluster is invited to the community response on it: what the
/// organisation will do, what they can do, and the meeting (their own link signs them up).
pub fn community_invitation(
    organisation: &str,
    name: &str,
    about: &str,
    we_will: &str,
    you_can: &str,
    meeting: Option<(&str, &str, &str)>,
    link: &str,
) -> Letter {
    let mut paragraphs = vec![
        format!("You told {organisation} about {about}. Many of your neighbours did too, so we are answering it together."),
        format!("What we will do: {}", we_will.trim()),
    ];
    if !you_can.trim().is_empty() {
        paragraphs.push(format!("What you can do: {}", you_can.trim()));
    }
    if let Some((what, place, on)) = meeting {
        let place = if place.trim().is_empty() { String::new() } else { format!(", {}", place.trim()) };
        paragraphs.push(format!(
            "Meet us: {}{place}, {}. Sign up with the link below, so we know you are coming.",
            what.trim(),
            crate::domain::calendar::long_date(on)
        ));
    }
    Letter {
        subject: format!("{organisation}: working together on {about}"),
        greeting: if name.trim().is_empty() { "Hello,".into() } else { format!("Hello {},", name.trim()) },
        paragraphs,
        action: Some((if meeting.is_some() { "See it and sign up" } else { "See what we will do" }.into(), link.to_string())),
        footer: vec![format!("You are getting this because you agreed that {organisation} could contact you about the issue you raised.")],
    }
}

/// A progress update on a community response to a resident invited to it ("you said, we did").
pub fn community_update(organisation: &str, name: &str, about: &str, body: &str, closing: bool, link: &str) -> Letter {
    let mut paragraphs = vec![format!("You told {organisation} about {about}. Here is what has been done since:"), body.trim().to_string()];
    if closing {
        paragraphs.push("This is our last update on it: we have closed this community response. Thank you for raising it.".into());
    }
    Letter {
        subject: format!("{organisation}: an update on {about}"),
        greeting: if name.trim().is_empty() { "Hello,".into() } else { format!("Hello {},", name.trim()) },
        paragraphs,
        action: Some(("See every update".into(), link.to_string())),
        footer: vec![format!("You are getting this because you agreed that {organisation} could contact you about the issue you raised.")],
    }
}

/// An address left on a consultation response: nothing else goes to it until this link is used.
pub fn confirm_address(organisation: &str, title: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: format!("Confirm you want updates on “{title}”"),
        greeting: "Hello,".into(),
        paragraphs: vec![
            format!("Someone responded to “{title}”, a consultation by {organisation}, and asked for updates on what is done to be emailed to this address."),
            "If that was you, confirm it. Until then nothing else is sent to this address.".into(),
        ],
        action: Some(("Confirm I want updates".into(), link.to_string())),
        footer: vec![
            format!("This link works once, for {days} days."),
            "If it was not you, you do not need to do anything: without confirmation nothing more is sent.".into(),
        ],
    }
}

/// A group that asked to join was approved: its organiser's link to choose a password.
pub fn group_request_approved(host: &str, group: &str, name: &str, link: &str, days: i64) -> Letter {
    Letter {
        subject: format!("{host} has approved {group} on Mobilise"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("{host} has approved {group}'s request to join Mobilise, the tool it uses to keep in touch with residents."),
            format!("As {group}'s organiser you can post volunteering opportunities, see the residents who are interested and answer them. Choose a password to start."),
        ],
        action: Some(("Choose your password".into(), link.to_string())),
        footer: vec![format!("This link works once, for {days} days.")],
    }
}

/// A group that asked to join was declined, with the administrator's reason when given.
pub fn group_request_declined(host: &str, group: &str, name: &str, reason: &str) -> Letter {
    let mut paragraphs = vec![format!("{host} has looked at {group}'s request to join Mobilise and has not taken it forward.")];
    if !reason.is_empty() {
        paragraphs.push(format!("Their reason: {reason}"));
    }
    paragraphs.push(format!("If you have questions, contact {host} directly."));
    Letter {
        subject: format!("Your request to join {host} on Mobilise"),
        greeting: format!("Hello {name},"),
        paragraphs,
        action: None,
        footer: vec!["You are getting this because this address was given when the request was made.".into()],
    }
}
