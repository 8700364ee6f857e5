//! Outgoing mail: what kinds of message the app sends, how a letter is written (a plain-text
//! part and a simple HTML part from the same words), and the outbox's retry rule. Pure; the
//! server's sender stores, claims and hands messages to SMTP.

use super::validation::{escape_html, one_line};

/// Why a message is sent. Marketing-like kinds (the organisation asking or updating, not the
/// person's own account business) carry a one-click unsubscribe link (RFC 8058).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// "You said, we did": an outcome of a consultation the person took part in.
    OutcomeUpdate,
    /// A new staff account's (or group organiser's) link to choose a password.
    AccountInvitation,
    /// A new resident account's link proving the address.
    EmailVerification,
    /// A forgotten password's link.
    PasswordReset,
    /// Someone tried to register an address that already has an account.
    AccountExists,
    /// An address left on a consultation response, to be confirmed before anything else is sent.
    AddressConfirmation,
    /// An invitation to take part in a consultation.
    ConsultationInvitation,
    /// "We did what we said": an issue raised with a worker was resolved.
    FollowUpResolved,
    /// "This is what we will do, this is what you can do": what a conversation agreed.
    CommitmentsAgreed,
    /// A group's request to join: the host's answer.
    GroupDecision,
    /// An invitation to a community response on an issue the resident raised, with its meeting.
    CommunityInvitation,
    /// What has been done since on a community response the resident was invited to.
    CommunityUpdate,
}

impl MessageKind {
    pub const ALL: [MessageKind; 12] = [
        MessageKind::OutcomeUpdate,
        MessageKind::AccountInvitation,
        MessageKind::EmailVerification,
        MessageKind::PasswordReset,
        MessageKind::AccountExists,
        MessageKind::AddressConfirmation,
        MessageKind::ConsultationInvitation,
        MessageKind::FollowUpResolved,
        MessageKind::CommitmentsAgreed,
        MessageKind::GroupDecision,
        MessageKind::CommunityInvitation,
        MessageKind::CommunityUpdate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::OutcomeUpdate => "outcome_update",
            MessageKind::AccountInvitation => "account_invitation",
            MessageKind::EmailVerification => "email_verification",
            MessageKind::PasswordReset => "password_reset",
            MessageKind::AccountExists => "account_exists",
            MessageKind::AddressConfirmation => "address_confirmation",
            MessageKind::ConsultationInvitation => "consultation_invitation",
            MessageKind::FollowUpResolved => "follow_up_resolved",
            MessageKind::CommitmentsAgreed => "commitments_agreed",
            MessageKind::GroupDecision => "group_decision",
            MessageKind::CommunityInvitation => "community_invitation",
            MessageKind::CommunityUpdate => "community_update",
        }
    }

    pub fn parse(s: &str) -> Option<MessageKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Sent because the organisation is asking or telling, not because the person acted on their
    /// account just now: these carry `List-Unsubscribe` with one-click.
    pub fn is_marketing_like(self) -> bool {
        matches!(
            self,
            MessageKind::OutcomeUpdate
                | MessageKind::ConsultationInvitation
                | MessageKind::FollowUpResolved
                | MessageKind::CommitmentsAgreed
                | MessageKind::CommunityInvitation
                | MessageKind::CommunityUpdate
        )
    }
}

/// Where a message is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageStatus {
    Waiting,
    Sent,
    /// Gave up after the configured number of tries; the last error is kept.
    Failed,
    /// Not sent because the consent it needed was withdrawn (or the person was erased) first.
    Cancelled,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 4] = [MessageStatus::Waiting, MessageStatus::Sent, MessageStatus::Failed, MessageStatus::Cancelled];
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Waiting => "waiting",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
            MessageStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<MessageStatus> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Tries before a message is marked failed, unless configured otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// How long a sender holds a claimed message before another may take it (a sender that died).
pub const CLAIM_SECS: i64 = 300;
/// The first retry waits this long; each later one twice as long as the one before.
pub const FIRST_RETRY_SECS: i64 = 30;
/// No wait between tries is longer than this.
pub const LONGEST_RETRY_SECS: i64 = 6 * 3600;

/// What happens after a try that failed: `attempts` is how many tries there have been,
/// including this one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(i64),
    GiveUp,
}

pub fn after_failure(attempts: u32, max_attempts: u32, now: i64) -> AfterFailure {
    if attempts >= max_attempts.max(1) {
        return AfterFailure::GiveUp;
    }
    AfterFailure::RetryAt(now + retry_delay(attempts))
}

/// 30 s, 1 min, 2 min, 4 min, … up to 6 hours.
pub fn retry_delay(attempts: u32) -> i64 {
    let doublings = attempts.saturating_sub(1).min(20);
    FIRST_RETRY_SECS.saturating_mul(1i64 << doublings).min(LONGEST_RETRY_SECS)
}

/// A message, written once as plain words and turned into both parts. Every string is treated as
/// someone else's: escaped in the HTML part, kept to one line where it becomes a header.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Letter {
    pub subject: String,
    /// "Dear …" line, without punctuation handling: "Hello Priya".
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// The one thing to do: (button text, absolute link).
    pub action: Option<(String, String)>,
    /// Small print: why they got it, how long a link lasts.
    pub footer: Vec<String>,
}

/// The longest subject line kept.
pub const MAX_SUBJECT: usize = 200;

impl Letter {
    pub fn subject(&self) -> String {
        one_line(&self.subject, MAX_SUBJECT)
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        if !self.greeting.is_empty() {
            out.push_str(&self.greeting);
            out.push_str("\n\n");
        }
        for p in &self.paragraphs {
            out.push_str(p.trim_end());
            out.push_str("\n\n");
        }
        if let Some((label, link)) = &self.action {
            out.push_str(&format!("{label}:\n{link}\n\n"));
        }
        if !self.footer.is_empty() {
            out.push_str("--\n");
            for f in &self.footer {
                out.push_str(f.trim_end());
                out.push('\n');
            }
        }
        out
    }

    /// A simple, accessible HTML part: a language, a title, real paragraphs, a link that reads
    /// well out of context, nothing that needs images or styles to make sense.
    pub fn html(&self, lang: &str) -> String {
        let mut out = format!(
            "<!doctype html>\n<html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c; max-width: 40em;\">\n",
            escape_html(lang),
            if super::bilingual::right_to_left(lang) { "rtl" } else { "ltr" },
            escape_html(&self.subject())
        );
        if !self.greeting.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", escape_html(&self.greeting)));
        }
        for p in &self.paragraphs {
            out.push_str("<p>");
            out.push_str(&escape_html(p.trim_end()).replace('\n', "<br>\n"));
            out.push_str("</p>\n");
        }
        if let Some((label, link)) = &self.action {
            out.push_str(&format!(
                "<p><a href=\"{}\" style=\"color: #1d70b8; font-weight: bold;\">{}</a></p>\n<p style=\"font-size: 14px;\">If the link does not work, copy this address into your browser: {}</p>\n",
                escape_html(link),
                escape_html(label),
                escape_html(link)
            ));
        }
        if !self.footer.is_empty() {
            out.push_str("<hr>\n");
            for f in &self.footer {
                out.push_str(&format!("<p style=\"font-size: 14px; color: #505a5f;\">{}</p>\n", escape_html(f.trim_end())));
            }
        }
        out.push_str("</body></html>\n");
        out
    }
}

/// A display name fit for an address header: one line, no quotes or angle brackets that could
/// confuse a mail client's parser (the transport encodes what is left).
pub fn header_name(name: &str) -> String {
    one_line(name, 80).chars().filter(|c| !matches!(c, '"' | '<' | '>' | '\\' | ',' | ';')).collect::<String>().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_give_up() {
        assert_eq!(after_failure(1, 8, 1000), AfterFailure::RetryAt(1030));
        assert_eq!(after_failure(2, 8, 1000), AfterFailure::RetryAt(1060));
        assert_eq!(after_failure(3, 8, 1000), AfterFailure::RetryAt(1120));
        assert_eq!(after_failure(8, 8, 1000), AfterFailure::GiveUp);
        assert_eq!(after_failure(1, 1, 1000), AfterFailure::GiveUp);
        // No try is ever immediate, and no wait is longer than six hours.
        assert_eq!(after_failure(1, 0, 1000), AfterFailure::GiveUp);
        assert_eq!(retry_delay(40), LONGEST_RETRY_SECS);
        assert_eq!(retry_delay(0), FIRST_RETRY_SECS);
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::parse(k.as_str()), Some(k));
        }
        for s in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(s.as_str()), Some(s));
        }
        assert!(MessageKind::ConsultationInvitation.is_marketing_like());
        assert!(!MessageKind::PasswordReset.is_marketing_like());
    }

    #[test]
    fn a_letter_is_escaped_in_html_and_its_subject_is_one_line() {
        let letter = Letter {
            subject: "Hello\r\nBcc: victim@example.com".into(),
            greeting: "Hello <b>Sam</b>".into(),
            paragraphs: vec!["Line one\nline two & more".into()],
            action: Some(("Choose a password".into(), "https://x.example/invite/a\"b".into())),
            footer: vec!["This link lasts 1 hour.".into()],
        };
        assert_eq!(letter.subject(), "Hello Bcc: victim@example.com");
        let html = letter.html("en");
        assert!(html.contains("Hello &lt;b&gt;Sam&lt;/b&gt;"), "{html}");
        assert!(html.contains("Line one<br>\nline two &amp; more"));
        assert!(html.contains("href=\"https://x.example/invite/a&quot;b\""));
        assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
        let text = letter.text();
        assert!(text.starts_with("Hello <b>Sam</b>\n\nLine one\nline two & more\n\nChoose a password:\nhttps://x.example/invite/a\"b\n"));
        assert!(text.ends_with("--\nThis link lasts 1 hour.\n"));
    }

    #[test]
    fn names_in_headers_cannot_carry_another_address() {
        assert_eq!(header_name("Sam \"Evil\" <x@y.z>,\r\nBcc: a@b.c"), "Sam Evil x@y.z Bcc: a@b.c");
    }
}
