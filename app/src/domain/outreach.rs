//! Outreach records as a device makes them, and the rules they must meet. The same checks run
//! in the browser (instant feedback, offline) and on the server (the authority, at sync).

use super::commitment::{self, Commitment};
use super::validation::FieldErrors;
use super::{Label, Msg};
use serde::{Deserialize, Serialize};

pub const MAX_NOTES_LEN: usize = 5_000;
pub const MAX_SHORT_LEN: usize = 200;
pub const MAX_ISSUES: usize = 20;

pub use super::channel::InteractionKind;
pub use super::consent::{ConsentDecision, ConsentPurpose, LawfulBasis};

/// How the knock went. The last two are one-tap outcomes with nothing else to fill in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    Talked,
    NoOneHome,
    DeclinedToTalk,
}

impl ContactOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactOutcome::Talked => "talked",
            ContactOutcome::NoOneHome => "no_one_home",
            ContactOutcome::DeclinedToTalk => "declined_to_talk",
        }
    }
}

/// What was done about the issues raised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Nothing needed doing (or nothing was raised).
    NoAction,
    ResolvedOnTheSpot,
    ReferredToService {
        service_id: String,
    },
    /// To a partner organisation (a community group in the organisation's network), which
    /// accepts and answers it on its own page.
    ReferredToPartner {
        partner_id: String,
    },
    /// One named member of staff stays the resident's point of contact until it is resolved.
    FollowUp {
        owner_id: String,
        due_on: String,
    },
}

impl Action {
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::NoAction => "no_action",
            Action::ResolvedOnTheSpot => "resolved_on_the_spot",
            Action::ReferredToService { .. } => "referred_to_service",
            Action::ReferredToPartner { .. } => "referred_to_partner",
            Action::FollowUp { .. } => "follow_up",
        }
    }

    /// Whether the action is a referral, which then has a life of its own (`domain::referral`).
    pub fn is_referral(&self) -> bool {
        matches!(self, Action::ReferredToService { .. } | Action::ReferredToPartner { .. })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Phone,
    Email,
    Text,
    Post,
    InPerson,
}

impl ContactChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Email => "email",
            ContactChannel::Text => "text",
            ContactChannel::Post => "post",
            ContactChannel::InPerson => "in_person",
        }
    }
}

/// The language a conversation was held in, as the worker records it: the dashboard counts
/// conversations in Welsh by area. Optional; a conversation recorded before it has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpokenLanguage {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "cy")]
    Welsh,
    /// Another language (with or without an interpreter).
    #[serde(rename = "other")]
    Other,
}

impl SpokenLanguage {
    pub const ALL: [SpokenLanguage; 3] = [SpokenLanguage::English, SpokenLanguage::Welsh, SpokenLanguage::Other];

    /// As stored and sent: "en", "cy", "other".
    pub fn as_str(self) -> &'static str {
        match self {
            SpokenLanguage::English => "en",
            SpokenLanguage::Welsh => "cy",
            SpokenLanguage::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<SpokenLanguage> {
        SpokenLanguage::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Optional: who the resident is. Given only with at least one consent decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentDetails {
    /// Made on the device for a new resident, or an existing resident's id.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub preferred_language: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Involvement {
    /// Interest ids from the organisation's list.
    #[serde(default)]
    pub interests: Vec<String>,
    #[serde(default)]
    pub skills: String,
    /// Free text for now ("weekday evenings, Saturday mornings").
    #[serde(default)]
    pub availability: String,
    #[serde(default)]
    pub channel: Option<ContactChannel>,
}

impl Involvement {
    pub fn is_empty(&self) -> bool {
        self.interests.is_empty() && self.skills.trim().is_empty() && self.availability.trim().is_empty() && self.channel.is_none()
    }
}

/// An interaction as the device records it (sync kind `interaction`, schema 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionRecord {
    pub kind: InteractionKind,
    #[serde(default)]
    pub event_id: Option<String>,
    pub area_id: String,
    #[serde(default)]
    pub address: String,
    /// When it happened, as the worker's device saw it (seconds since the epoch, UTC).
    pub occurred_at: i64,
    pub outcome: ContactOutcome,
    #[serde(default)]
    pub issues: Vec<String>,
    pub action: Action,
    #[serde(default)]
    pub felt_heard: Option<u8>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub resident: Option<ResidentDetails>,
    #[serde(default)]
    pub consents: Vec<ConsentDecision>,
    #[serde(default)]
    pub involvement: Option<Involvement>,
    /// "We will…" and "you can…" (schema 2; a schema 1 record has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<Commitment>,
    /// With a referral: what the service or partner is asked to do (they see it, with the
    /// issues raised; the notes stay the organisation's). Optional.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub asked: String,
    /// The language the conversation was held in (optional; unknown to an older tablet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<SpokenLanguage>,
}

/// A community event created on the device (sync kind `event`, schema 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub name: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub area_id: Option<String>,
    /// `YYYY-MM-DD`.
    pub held_on: String,
}

/// A follow-up marked resolved (sync kind `follow_up_update`; carries `base_version`). From
/// schema 2 it says how each of its commitments ended (checked with `commitment::check_settlements`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpResolution {
    pub follow_up_id: String,
    pub note: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<commitment::Settlement>,
}

pub use super::reference::Reference;

/// How far ahead of the server a device's clock may run before what it dates is refused. A
/// tablet set an hour out (a missed clock change) still syncs; its times are then taken as the
/// moment of arrival, so nothing is ever dated after it reached the server.
pub const MAX_CLOCK_AHEAD_SECS: i64 = 60 * 60;
/// The earliest moment anything in Mobilise can have happened (2000-01-01T00:00:00Z).
pub const EARLIEST: i64 = 946_684_800;

/// When a conversation happened, as the server stores it: never after it arrived (`received_at`).
/// A time further ahead than a clock can plausibly drift is refused, so a fast tablet clock, or a
/// made-up year 2100, cannot place records beyond the dashboard's months and retention's reach.
pub fn bounded_occurred_at(occurred_at: i64, received_at: i64) -> Result<i64, Msg> {
    if occurred_at <= EARLIEST {
        Err(Msg::EnterWhenConversationHappened)
    } else if occurred_at > received_at.saturating_add(MAX_CLOCK_AHEAD_SECS) {
        Err(Msg::DatedInFuture)
    } else {
        Ok(occurred_at.min(received_at))
    }
}

/// A device's own clock reading, recorded as data: held between the start of 2000 and arrival.
pub fn bounded_device_time(at: i64, received_at: i64) -> i64 {
    at.clamp(EARLIEST, received_at.max(EARLIEST))
}

/// An event's date must be a real date, from 2000 to at most a year after `today` (`YYYY-MM-DD`).
pub fn check_event_date(held_on: &str, today: &str) -> Result<(), Msg> {
    if !is_date(held_on) || held_on < "2000-01-01" {
        return Err(Msg::EnterEventDate);
    }
    let (y, rest) = today.split_at(4.min(today.len()));
    let latest = format!("{}{rest}", y.parse::<i64>().map(|y| y + 1).unwrap_or(0));
    if held_on > latest.as_str() {
        return Err(Msg::EventTooFarAhead);
    }
    Ok(())
}

/// `YYYY-MM-DD` with a real month and day.
pub fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (parts[0].parse::<u32>(), parts[1].parse::<u32>(), parts[2].parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (2000..=2100).contains(&y) && d >= 1 && d <= days
}

fn too_long(errors: &mut FieldErrors, field: &str, value: &str, max: usize, what: Label) {
    if value.chars().count() > max {
        errors.add(field, Msg::TooLong { what, max: max as i64 });
    }
}

impl InteractionRecord {
    /// Every problem, by form field. `has_event` says whether `event_id` names a known event.
    pub fn validate(&self, reference: &impl Reference, has_event: impl Fn(&str) -> bool) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.area_id.trim().is_empty() {
            e.add("area_id", Msg::SelectArea);
        } else if !reference.has_area(&self.area_id) {
            e.add("area_id", Msg::SelectAreaFromList);
        }
        match (self.kind, self.event_id.as_deref()) {
            (InteractionKind::Event, None) => e.add("event_id", Msg::SelectEvent),
            (InteractionKind::Event, Some(id)) if !has_event(id) => e.add("event_id", Msg::SelectEventFromList),
            (kind, Some(_)) if kind != InteractionKind::Event => e.add("event_id", Msg::EventOnlyForEventContact),
            _ => {}
        }
        if self.outcome != ContactOutcome::Talked && !self.kind.knocks() {
            e.add("outcome", Msg::KnockOutcomesOnlyAtDoor);
        }
        too_long(&mut e, "address", &self.address, MAX_SHORT_LEN, Label::Address);
        if self.occurred_at <= 946_684_800 {
            e.add("occurred_at", Msg::EnterWhenConversationHappened);
        }
        too_long(&mut e, "notes", &self.notes, MAX_NOTES_LEN, Label::Notes);

        if self.outcome != ContactOutcome::Talked {
            // One-tap outcomes carry nothing about a conversation that did not happen.
            if !self.issues.is_empty()
                || self.action != Action::NoAction
                || self.felt_heard.is_some()
                || self.resident.is_some()
                || !self.consents.is_empty()
                || self.involvement.as_ref().is_some_and(|i| !i.is_empty())
                || !self.commitments.is_empty()
            {
                e.add("outcome", Msg::NothingElseWhenNoTalk);
            }
            return e.into_result();
        }

        if self.issues.len() > MAX_ISSUES {
            e.add("issues", Msg::TooManyIssues { count: MAX_ISSUES as u64 });
        } else if self.issues.iter().any(|t| !reference.has_theme(t)) {
            e.add("issues", Msg::IssuesFromList);
        } else if has_duplicates(&self.issues) {
            e.add("issues", Msg::IssueOnce);
        }
        if (self.action.is_referral() || matches!(self.action, Action::FollowUp { .. })) && self.issues.is_empty() {
            e.add("issues", Msg::ChooseIssueForAction);
        }
        match &self.action {
            Action::ReferredToService { service_id } if !reference.has_service(service_id) => {
                e.add("service_id", Msg::SelectReferredService)
            }
            Action::ReferredToPartner { partner_id } if !reference.has_partner(partner_id) => {
                e.add("partner_id", Msg::SelectReferredPartner)
            }
            Action::FollowUp { owner_id, due_on } => {
                if !reference.has_colleague(owner_id) {
                    e.add("owner_id", Msg::SelectFollowUpOwner);
                }
                if !is_date(due_on) {
                    e.add("due_on", Msg::EnterFollowUpDue);
                }
            }
            _ => {}
        }
        if !self.action.is_referral() && !self.asked.trim().is_empty() {
            e.add("asked", Msg::AskedNeedsReferral);
        }
        too_long(&mut e, "asked", &self.asked, super::referral::MAX_ASKED_LEN, Label::Asked);
        let followed_up = matches!(self.action, Action::FollowUp { .. });
        commitment::check(&self.commitments, self.occurred_at, followed_up, reference, &mut e);
        if let Some(score) = self.felt_heard {
            if !(1..=5).contains(&score) {
                e.add("felt_heard", Msg::Score1To5);
            }
        }

        match &self.resident {
            Some(r) => {
                if !super::validation::is_uuid(&r.id) {
                    e.add("resident_name", Msg::ResidentIdMissing);
                }
                if r.name.trim().is_empty() {
                    e.add("resident_name", Msg::EnterResidentName);
                }
                too_long(&mut e, "resident_name", &r.name, MAX_SHORT_LEN, Label::Name);
                too_long(&mut e, "resident_contact", &r.contact, MAX_SHORT_LEN, Label::ContactDetails);
                too_long(&mut e, "resident_language", &r.preferred_language, 50, Label::PreferredLanguage);
                if self.consents.is_empty() {
                    e.add("consents", Msg::RecordConsentFirst);
                }
            }
            None => {
                if !self.consents.is_empty() {
                    e.add("consents", Msg::ConsentNeedsDetails);
                }
            }
        }
        let mut seen = Vec::new();
        for c in &self.consents {
            if seen.contains(&c.purpose) {
                e.add("consents", Msg::PurposeOnce);
            }
            if c.purpose.stored_wording(c.wording.as_deref()).is_none() {
                e.add("consents", Msg::ConsentWordsUnknown);
            }
            seen.push(c.purpose);
        }
        if let Some(inv) = &self.involvement {
            if inv.interests.iter().any(|i| !reference.has_interest(i)) {
                e.add("interests", Msg::InterestsFromList);
            }
            too_long(&mut e, "skills", &inv.skills, 500, Label::Skills);
            too_long(&mut e, "availability", &inv.availability, MAX_SHORT_LEN, Label::Availability);
            if !inv.is_empty() && self.resident.is_none() {
                e.add("interests", Msg::InvolvementNeedsDetails);
            }
        }
        e.into_result()
    }
}

fn has_duplicates(items: &[String]) -> bool {
    items.iter().enumerate().any(|(i, a)| items[..i].contains(a))
}

impl EventRecord {
    pub fn validate(&self, reference: &impl Reference) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.name.trim().is_empty() {
            e.add("event_name", Msg::EnterEventName);
        }
        too_long(&mut e, "event_name", &self.name, MAX_SHORT_LEN, Label::EventName);
        too_long(&mut e, "place", &self.place, MAX_SHORT_LEN, Label::Place);
        if let Some(area) = &self.area_id {
            if !reference.has_area(area) {
                e.add("area_id", Msg::SelectAreaFromList);
            }
        }
        if !is_date(&self.held_on) {
            e.add("held_on", Msg::EnterEventDate);
        }
        e.into_result()
    }
}

impl FollowUpResolution {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.note.trim().is_empty() {
            e.add("note", Msg::SayHowResolved);
        }
        too_long(&mut e, "note", &self.note, MAX_NOTES_LEN, Label::ResolutionNote);
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Lists;
    impl Reference for Lists {
        fn has_area(&self, id: &str) -> bool {
            id.starts_with("area-")
        }
        fn has_theme(&self, id: &str) -> bool {
            id.starts_with("theme-")
        }
        fn has_service(&self, id: &str) -> bool {
            id.starts_with("service-")
        }
        fn has_interest(&self, id: &str) -> bool {
            id.starts_with("interest-")
        }
        fn has_partner(&self, id: &str) -> bool {
            id.starts_with("partner-")
        }
        fn has_colleague(&self, id: &str) -> bool {
            id.starts_with("staff-")
        }
    }

    fn talked() -> InteractionRecord {
        InteractionRecord {
            kind: InteractionKind::Doorstep,
            event_id: None,
            area_id: "area-1".into(),
            address: "12 Mill Lane".into(),
            occurred_at: 1_800_000_000,
            outcome: ContactOutcome::Talked,
            issues: vec!["theme-damp".into()],
            action: Action::FollowUp { owner_id: "staff-sam".into(), due_on: "2026-12-04".into() },
            felt_heard: Some(4),
            notes: "Damp in the back bedroom".into(),
            resident: Some(ResidentDetails { id: "0b6a9a52-55a4-4f0e-9d1e-5a1c2b3d4e5f".into(), name: "Mo".into(), ..Default::default() }),
            consents: vec![ConsentDecision {
                purpose: ConsentPurpose::ContactAboutIssue,
                granted: true,
                lawful_basis: LawfulBasis::Consent,
                wording: None,
            }],
            involvement: Some(Involvement { interests: vec!["interest-garden".into()], ..Default::default() }),
            commitments: vec![
                Commitment {
                    side: commitment::Side::We,
                    text: "Chase the repair with Housing".into(),
                    owner_id: Some("staff-sam".into()),
                    due_on: Some("2027-01-15".into()),
                    service_id: Some("service-repairs".into()),
                },
                Commitment {
                    side: commitment::Side::You,
                    text: "Keep the window open an hour a day".into(),
                    owner_id: None,
                    due_on: None,
                    service_id: None,
                },
            ],
            asked: String::new(),
            language: None,
        }
    }

    #[test]
    fn every_channel_reads_back_and_only_a_knock_can_find_no_one_home() {
        for kind in InteractionKind::ALL {
            assert_eq!(InteractionKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json.as_str(), Some(kind.as_str()), "the wire name is the stored name");
        }
        assert_eq!(InteractionKind::parse("carrier_pigeon"), None);
        for kind in InteractionKind::CHANNELS {
            let phoned = InteractionRecord { kind, address: String::new(), ..talked() };
            assert_eq!(fields(&phoned), Vec::<String>::new(), "{kind:?}: a conversation needs no address");
            let knock = InteractionRecord { kind, outcome: ContactOutcome::NoOneHome, ..blank(kind) };
            assert_eq!(fields(&knock).is_empty(), kind.knocks(), "{kind:?}");
            let at_event = InteractionRecord { kind, event_id: Some("event-1".into()), ..talked() };
            assert_eq!(fields(&at_event), ["event_id"], "{kind:?}: only event contacts name an event");
        }
        assert!(InteractionKind::HomeVisit.knocks() && !InteractionKind::Phone.knocks());
        use crate::domain::privacy::ConsentMethod;
        assert_eq!(ConsentMethod::of_channel(InteractionKind::Phone), ConsentMethod::Phone);
        assert_eq!(ConsentMethod::of_channel(InteractionKind::Online), ConsentMethod::Message);
        assert_eq!(ConsentMethod::of_channel(InteractionKind::Counter), ConsentMethod::InPerson);
        assert_eq!(ConsentMethod::of_channel(InteractionKind::Doorstep), ConsentMethod::Doorstep);
    }

    /// A knock with nothing else recorded.
    fn blank(kind: InteractionKind) -> InteractionRecord {
        InteractionRecord {
            kind,
            issues: vec![],
            action: Action::NoAction,
            felt_heard: None,
            notes: String::new(),
            resident: None,
            consents: vec![],
            involvement: None,
            commitments: vec![],
            asked: String::new(),
            ..talked()
        }
    }

    fn fields(r: &InteractionRecord) -> Vec<String> {
        match r.validate(&Lists, |id| id == "event-1") {
            Ok(()) => vec![],
            Err(e) => e.iter().map(|e| e.field.clone()).collect(),
        }
    }

    #[test]
    fn a_full_doorstep_conversation_is_valid() {
        assert_eq!(fields(&talked()), Vec::<String>::new());
    }

    #[test]
    fn no_one_home_is_one_tap_and_carries_nothing_else() {
        let r = InteractionRecord {
            outcome: ContactOutcome::NoOneHome,
            issues: vec![],
            action: Action::NoAction,
            felt_heard: None,
            resident: None,
            consents: vec![],
            involvement: None,
            notes: String::new(),
            commitments: vec![],
            asked: String::new(),
            ..talked()
        };
        assert_eq!(fields(&r), Vec::<String>::new());
        let mut odd = r.clone();
        odd.felt_heard = Some(3);
        assert_eq!(fields(&odd), ["outcome"]);
        let mut odd = r.clone();
        odd.commitments = talked().commitments;
        assert_eq!(fields(&odd), ["outcome"], "no commitments without a conversation");
        let mut odd = r.clone();
        odd.involvement = Some(Involvement { skills: "Plumbing".into(), ..Default::default() });
        assert_eq!(fields(&odd), ["outcome"], "nothing about a conversation that did not happen");
    }

    #[test]
    fn commitments_are_checked_with_the_conversation_and_need_its_follow_up() {
        let mut r = talked();
        r.action = Action::ResolvedOnTheSpot;
        assert_eq!(fields(&r), ["commitments"]);
        let mut r = talked();
        r.commitments[0].owner_id = Some("stranger".into());
        r.commitments[1].due_on = Some("2027-01-14".into()); // the day before the conversation
        assert_eq!(fields(&r), ["commitment-1-owner_id", "commitment-2-due_on"]);
        let mut r = talked();
        r.commitments[1].service_id = Some("partner-food-bank".into());
        assert_eq!(fields(&r), ["commitment-2-service_id"], "a partner is not one of our services");
    }

    #[test]
    fn ids_must_come_from_the_organisations_lists() {
        let mut r = talked();
        r.area_id = "somewhere".into();
        r.issues = vec!["made-up".into()];
        r.action = Action::FollowUp { owner_id: "stranger".into(), due_on: "2026-02-30".into() };
        r.involvement = Some(Involvement { interests: vec!["knitting".into()], ..Default::default() });
        assert_eq!(fields(&r), ["area_id", "issues", "owner_id", "due_on", "interests"]);
        r = talked();
        r.action = Action::ReferredToService { service_id: "nope".into() };
        r.commitments.clear();
        assert_eq!(fields(&r), ["service_id"]);
        r.action = Action::ReferredToPartner { partner_id: "service-1".into() };
        assert_eq!(fields(&r), ["partner_id"], "a partner is not a service");
        r.action = Action::ReferredToPartner { partner_id: "partner-1".into() };
        assert!(fields(&r).is_empty());
    }

    #[test]
    fn what_a_service_is_asked_goes_with_a_referral_only() {
        let mut r = talked();
        r.commitments.clear();
        r.action = Action::ReferredToPartner { partner_id: "partner-1".into() };
        r.asked = "Could you help with a food parcel this week?".into();
        assert!(fields(&r).is_empty());
        r.asked = "x".repeat(crate::domain::referral::MAX_ASKED_LEN + 1);
        assert_eq!(fields(&r), ["asked"]);
        let mut r = talked();
        r.asked = "Please call her".into();
        assert_eq!(fields(&r), ["asked"], "a follow-up is not a referral");
        r.action = Action::ReferredToService { service_id: "service-1".into() };
        r.commitments.clear();
        r.issues.clear();
        assert_eq!(fields(&r), ["issues"], "a referral is about an issue");
    }

    #[test]
    fn personal_details_need_consent_and_consent_needs_details() {
        let mut r = talked();
        r.consents.clear();
        assert_eq!(fields(&r), ["consents"]);
        let mut r = talked();
        r.resident = None;
        r.involvement = None;
        assert_eq!(fields(&r), ["consents"]);
        let mut r = talked();
        r.consents.push(r.consents[0].clone());
        assert_eq!(fields(&r), ["consents"], "one decision per purpose");
        let mut r = talked();
        r.resident = None;
        r.consents.clear();
        assert_eq!(fields(&r), ["interests"], "involvement needs a person to involve");
    }

    #[test]
    fn event_contacts_name_a_known_event_and_doorstep_ones_do_not() {
        let mut r = talked();
        r.kind = InteractionKind::Event;
        assert_eq!(fields(&r), ["event_id"]);
        r.event_id = Some("event-2".into());
        assert_eq!(fields(&r), ["event_id"]);
        r.event_id = Some("event-1".into());
        assert_eq!(fields(&r), Vec::<String>::new());
        r.kind = InteractionKind::Doorstep;
        assert_eq!(fields(&r), ["event_id"]);
    }

    #[test]
    fn a_referral_or_follow_up_names_the_issue_and_scores_are_one_to_five() {
        let mut r = talked();
        r.issues.clear();
        assert_eq!(fields(&r), ["issues"]);
        let mut r = talked();
        r.felt_heard = Some(6);
        assert_eq!(fields(&r), ["felt_heard"]);
        let mut r = talked();
        r.issues.push("theme-damp".into());
        assert_eq!(fields(&r), ["issues"]);
        let mut r = talked();
        r.notes = "n".repeat(MAX_NOTES_LEN + 1);
        assert_eq!(fields(&r), ["notes"]);
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        for ok in ["2026-12-04", "2024-02-29", "2000-01-01"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "04/12/2026", "", "2026-12-32", "1999-12-31"] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn events_need_a_name_and_a_date() {
        let ev = EventRecord { name: " ".into(), place: String::new(), area_id: Some("x".into()), held_on: "soon".into() };
        let fields: Vec<String> = ev.validate(&Lists).unwrap_err().iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["event_name", "area_id", "held_on"]);
        let ok = EventRecord { name: "Summer fair".into(), place: "Park".into(), area_id: None, held_on: "2026-07-04".into() };
        assert!(ok.validate(&Lists).is_ok());
    }

    #[test]
    fn the_wire_format_is_stable() {
        let json = serde_json::to_value(talked()).unwrap();
        assert_eq!(json["action"]["action"], "follow_up");
        assert_eq!(json["outcome"], "talked");
        assert_eq!(json["consents"][0]["purpose"], "contact_about_issue");
        let minimal = serde_json::json!({
            "kind": "doorstep", "area_id": "area-1", "occurred_at": 1_800_000_000,
            "outcome": "no_one_home", "action": { "action": "no_action" }
        });
        let r: InteractionRecord = serde_json::from_value(minimal).unwrap();
        assert_eq!(fields(&r), Vec::<String>::new());
    }

    #[test]
    fn consent_words_are_stored_as_the_device_showed_them() {
        let v = ConsentPurpose::VolunteeringOpportunities;
        assert_eq!(v.stored_wording(Some(v.wording())), Some(v.wording()));
        let old = v.earlier_wordings()[0];
        assert_eq!(v.stored_wording(Some(old)), Some(old));
        assert_eq!(v.stored_wording(None), Some(old), "a device from before devices sent their words showed the old ones");
        assert_eq!(v.stored_wording(Some("Anything goes")), None);
        assert!(ConsentPurpose::shares_with_groups(v.wording()));
        assert!(!ConsentPurpose::shares_with_groups(old), "the old words never said groups would get their details");
        for language in ["cy", "ur"] {
            let asked = v.wording_in(language);
            assert_ne!(asked, v.wording(), "{language}: asked in its own words");
            assert_eq!(v.stored_wording(Some(asked)), Some(asked), "{language}");
            assert!(ConsentPurpose::shares_with_groups(asked), "{language}: says groups get their details");
        }
        let c = ConsentPurpose::ContactAboutIssue;
        assert_eq!(c.stored_wording(None), Some(c.wording()));
    }

    #[test]
    fn nothing_a_device_dates_lands_after_it_reached_the_server() {
        let received = 1_800_000_000;
        assert_eq!(bounded_occurred_at(received - 3600, received), Ok(received - 3600));
        assert_eq!(bounded_occurred_at(received + 600, received), Ok(received), "a slightly fast clock: taken as arrival");
        assert!(bounded_occurred_at(received + MAX_CLOCK_AHEAD_SECS + 1, received).is_err());
        assert!(bounded_occurred_at(4_102_444_800, received).is_err(), "2100-01-01");
        assert!(bounded_occurred_at(i64::MAX, received).is_err(), "9e18");
        assert!(bounded_occurred_at(0, received).is_err());
        assert_eq!(bounded_device_time(9_000_000_000_000_000_000, received), received);
        assert_eq!(bounded_device_time(-5, received), EARLIEST);
        assert_eq!(check_event_date("2026-12-31", "2026-12-01"), Ok(()));
        assert_eq!(check_event_date("2027-12-01", "2026-12-01"), Ok(()));
        assert!(check_event_date("2027-12-02", "2026-12-01").is_err());
        assert!(check_event_date("2100-12-31", "2026-12-01").is_err());
        assert!(check_event_date("1999-12-31", "2026-12-01").is_err());
        assert!(check_event_date("2026-02-30", "2026-12-01").is_err());
    }
}
