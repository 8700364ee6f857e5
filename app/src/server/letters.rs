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
