//! A community response: the organisation and residents answering a cluster together (one issue
//! raised by many residents in one area). It says what the organisation will do, what residents
//! can do, and (optionally) when and where to meet.

use super::calendar;
use super::validation::FieldErrors;
use super::Msg;
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_LEN: usize = 120;
pub const MAX_TEXT_LEN: usize = 2_000;
pub const MAX_PLACE_LEN: usize = 200;
/// How far ahead the meeting can be, in days.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// The admin's form, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseForm {
    pub area_id: String,
    pub theme_id: String,
    pub title: String,
    pub we_will: String,
    #[serde(default)]
    pub you_can: String,
    #[serde(default)]
    pub event_name: String,
    #[serde(default)]
    pub event_place: String,
    /// `YYYY-MM-DD`, or empty for no meeting.
    #[serde(default)]
    pub event_on: String,
}

/// A meeting residents are invited to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub name: String,
    pub place: String,
    pub on: String,
}

/// A checked response, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub title: String,
    pub we_will: String,
    pub you_can: String,
    pub meeting: Option<Meeting>,
}

impl ResponseForm {
    /// Checks the form on UK day `today` (days since 1970): every problem, by field, in the
    /// form's order.
    pub fn parse(&self, today: i64) -> Result<Response, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = |value: &str, field: &str, max: usize, required: Option<Msg>, e: &mut FieldErrors| {
            let value = value.trim();
            if value.is_empty() {
                if let Some(message) = required {
                    e.add(field, message);
                }
            } else if value.chars().count() > max {
                e.add(field, Msg::UseAtMost { max: max as i64 });
            }
            value.to_string()
        };
        let title = text(&self.title, "title", MAX_TITLE_LEN, Some(Msg::GiveResponseTitle), &mut e);
        let we_will = text(&self.we_will, "we_will", MAX_TEXT_LEN, Some(Msg::SayWhatOrganisationWillDo), &mut e);
        let you_can = text(&self.you_can, "you_can", MAX_TEXT_LEN, None, &mut e);
        let name = text(&self.event_name, "event_name", MAX_TITLE_LEN, None, &mut e);
        let place = text(&self.event_place, "event_place", MAX_PLACE_LEN, None, &mut e);
        let on = self.event_on.trim().to_string();
        let wanted = !(name.is_empty() && place.is_empty() && on.is_empty());
        if wanted && name.is_empty() {
            e.add("event_name", Msg::SayWhatMeetingLeaveMeeting);
        }
        if wanted {
            match calendar::parse_date(&on) {
                None => e.add("event_on", Msg::EnterMeetingDate),
                Some(day) if day < today => e.add("event_on", Msg::MeetingCannotPast),
                Some(day) if day > today + MAX_DAYS_AHEAD => e.add("event_on", Msg::MeetingAtMostYearAhead),
                Some(_) => {}
            }
        }
        e.into_result().map(|_| Response { title, we_will, you_can, meeting: wanted.then_some(Meeting { name, place, on }) })
    }
}

/// A progress update on a response ("you said, we did"): what has been done since, and whether
/// it is the last one, closing the response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub body: String,
    pub closes: bool,
}

/// Checks an update as posted: its words (required, at most [`MAX_TEXT_LEN`] characters) and the
/// "close the response" box (`yes` when ticked, absent otherwise).
pub fn parse_update(update: &str, close: Option<&str>) -> Result<Update, FieldErrors> {
    let mut e = FieldErrors::new();
    let body = update.trim();
    if body.is_empty() {
        e.add("update", Msg::SayWhatBeenDoneSince);
    } else if body.chars().count() > MAX_TEXT_LEN {
        e.add("update", Msg::UseAtMost { max: MAX_TEXT_LEN as i64 });
    }
    let closes = match close.map(str::trim) {
        None | Some("") => false,
        Some("yes") => true,
        Some(_) => {
            e.add("close", Msg::TickBoxCloseResponseLeave);
            false
        }
    };
    e.into_result().map(|_| Update { body: body.to_string(), closes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> i64 {
        calendar::parse_date("2026-02-15").unwrap()
    }

    fn form() -> ResponseForm {
        ResponseForm {
            area_id: "mill".into(),
            theme_id: "fly-tipping".into(),
            title: " Fly-tipping in Mill Ward ".into(),
            we_will: "Clear the alley within a week and fit a camera".into(),
            you_can: "Report a dump the day you see it".into(),
            event_name: "Street meeting".into(),
            event_place: "Mill Library".into(),
            event_on: "2026-03-01".into(),
        }
    }

    fn fields(f: &ResponseForm) -> Vec<String> {
        f.parse(today()).err().map(|e| e.iter().map(|x| x.field.clone()).collect()).unwrap_or_default()
    }

    #[test]
    fn a_response_says_what_we_will_do_and_can_name_a_meeting() {
        let r = form().parse(today()).unwrap();
        assert_eq!(r.title, "Fly-tipping in Mill Ward");
        assert_eq!(r.meeting, Some(Meeting { name: "Street meeting".into(), place: "Mill Library".into(), on: "2026-03-01".into() }));
        let without = ResponseForm { event_name: " ".into(), event_place: String::new(), event_on: String::new(), ..form() };
        assert_eq!(without.parse(today()).unwrap().meeting, None, "the meeting is optional");
        let bare = ResponseForm { title: String::new(), we_will: " ".into(), ..form() };
        assert_eq!(fields(&bare), ["title", "we_will"]);
    }

    #[test]
    fn a_meeting_has_a_name_and_a_real_date_from_today_to_a_year_ahead() {
        assert_eq!(fields(&ResponseForm { event_name: String::new(), ..form() }), ["event_name"]);
        assert_eq!(fields(&ResponseForm { event_on: "2026-02-30".into(), ..form() }), ["event_on"]);
        assert_eq!(fields(&ResponseForm { event_on: "2026-02-14".into(), ..form() }), ["event_on"], "yesterday");
        assert!(fields(&ResponseForm { event_on: "2026-02-15".into(), ..form() }).is_empty(), "today");
        assert_eq!(fields(&ResponseForm { event_on: "2027-02-17".into(), ..form() }), ["event_on"]);
        assert_eq!(fields(&ResponseForm { event_name: String::new(), event_on: String::new(), ..form() }), ["event_name", "event_on"]);
    }

    #[test]
    fn every_text_is_bounded_in_characters() {
        let long = |n: usize| "é".repeat(n);
        assert!(fields(&ResponseForm { we_will: long(MAX_TEXT_LEN), ..form() }).is_empty());
        assert_eq!(fields(&ResponseForm { we_will: long(MAX_TEXT_LEN + 1), ..form() }), ["we_will"]);
        assert_eq!(fields(&ResponseForm { title: long(MAX_TITLE_LEN + 1), ..form() }), ["title"]);
        assert_eq!(fields(&ResponseForm { you_can: long(MAX_TEXT_LEN + 1), ..form() }), ["you_can"]);
        assert_eq!(fields(&ResponseForm { event_place: long(MAX_PLACE_LEN + 1), ..form() }), ["event_place"]);
    }

    #[test]
    fn an_update_says_what_was_done_and_may_close_the_response() {
        assert_eq!(
            parse_update(" Cleared the alley on 3 March ", None),
            Ok(Update { body: "Cleared the alley on 3 March".into(), closes: false })
        );
        assert!(parse_update("Camera fitted", Some("yes")).unwrap().closes);
        assert!(!parse_update("Camera fitted", Some("")).unwrap().closes);
        let fields = |u: &str, c: Option<&str>| {
            parse_update(u, c).err().map(|e| e.iter().map(|x| x.field.clone()).collect::<Vec<_>>()).unwrap_or_default()
        };
        assert_eq!(fields("  ", None), ["update"]);
        assert_eq!(fields(&"x".repeat(MAX_TEXT_LEN + 1), None), ["update"]);
        assert_eq!(fields(&"é".repeat(MAX_TEXT_LEN), None), Vec::<String>::new(), "counted in characters, not bytes");
        assert_eq!(fields("", Some("on; DROP")), ["update", "close"]);
    }
}
