//! Referrals with a life. A worker refers a resident's issue to one of the organisation's own
//! services or to a partner organisation, and stays the resident's advocate until it is answered:
//! the referral is sent, then accepted, then answered (or declined), and every chase the worker
//! makes on the way is kept. A partner organisation takes each step itself, on its own page; the
//! organisation's own services are not Mobilise users, so the worker records their steps for them
//! ("Housing Repairs accepted it by phone"). Every step is one row of the referral's history, in
//! the resident's timeline.

use super::reference::Reference;
use super::validation::FieldErrors;
use super::{Label, Msg};
use serde::{Deserialize, Serialize};

/// Longest note on a step (a chase, an answer, a reason for declining), in characters.
pub const MAX_NOTE_LEN: usize = 1000;
/// Longest "what we are asking them to do", in characters.
pub const MAX_ASKED_LEN: usize = 500;

/// Where a referral stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Made, and not yet taken up.
    Sent,
    /// The service or partner has taken it on and not answered yet.
    Accepted,
    /// The service or partner said what they did, or will do.
    Answered,
    /// The service or partner could not take it (and said why).
    Declined,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 4] =
        [ReferralStatus::Sent, ReferralStatus::Accepted, ReferralStatus::Answered, ReferralStatus::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Sent => "sent",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Answered => "answered",
            ReferralStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<ReferralStatus> {
        ReferralStatus::ALL.into_iter().find(|status| status.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReferralStatus::Sent => "Waiting to be accepted",
            ReferralStatus::Accepted => "Accepted, waiting for an answer",
            ReferralStatus::Answered => "Answered",
            ReferralStatus::Declined => "Declined",
        }
    }

    /// Answered or declined: nothing more to wait for.
    pub fn is_closed(self) -> bool {
        matches!(self, ReferralStatus::Answered | ReferralStatus::Declined)
    }
}

/// One step in a referral's life after it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The worker asked the service or partner where it stands.
    Chased,
    Accepted,
    Answered,
    Declined,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Chased, Step::Accepted, Step::Answered, Step::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Chased => "chased",
            Step::Accepted => "accepted",
            Step::Answered => "answered",
            Step::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.as_str() == s)
    }

    /// How the step reads in a history, after the date: "Chased", "Accepted", …
    pub fn label(self) -> &'static str {
        match self {
            Step::Chased => "Chased",
            Step::Accepted => "Accepted",
            Step::Answered => "Answered",
            Step::Declined => "Declined",
        }
    }

    /// What the note is called on the form for this step.
    pub fn note_label(self) -> &'static str {
        match self {
            Step::Chased => "What happened when you chased it (optional)",
            Step::Accepted => "Anything they said (optional)",
            Step::Answered => "Their answer: what they did or will do",
            Step::Declined => "Why they could not take it on",
        }
    }

    /// Whether the step needs a note: an answer says what was done, a refusal says why.
    pub fn needs_note(self) -> bool {
        matches!(self, Step::Answered | Step::Declined)
    }
}

/// Who takes a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Taker {
    /// The member of staff who made the referral (its owner).
    Owner,
    /// The partner organisation it was sent to.
    Partner,
}

/// Whether the referral went to one of the organisation's own services or to a partner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recipient {
    Service,
    Partner,
}

/// Where `step` by `taker` leaves a referral now at `status` sent to `recipient`, or why it
/// cannot be taken. Chasing never changes the status and is always kept (it happened, even if
/// the answer had arrived meanwhile); the other steps move forwards only. A partner answers for
/// itself, so the owner records steps for the organisation's own services only.
pub fn after(status: ReferralStatus, step: Step, taker: Taker, recipient: Recipient) -> Result<ReferralStatus, &'static str> {
    use ReferralStatus as S;
    match (taker, step) {
        (Taker::Partner, Step::Chased) => return Err("Only the member of staff who made the referral chases it"),
        (Taker::Partner, _) if recipient != Recipient::Partner => return Err("This referral was not sent to your organisation"),
        (Taker::Owner, Step::Accepted | Step::Answered | Step::Declined) if recipient == Recipient::Partner => {
            return Err("The partner organisation answers on its own page: chase them instead")
        }
        _ => {}
    }
    match (status, step) {
        (_, Step::Chased) => Ok(status),
        (S::Answered, _) => Err("It has already been answered"),
        (S::Declined, _) => Err("It has already been declined"),
        (S::Accepted, Step::Accepted) => Err("It has already been accepted"),
        (S::Sent, Step::Accepted) => Ok(S::Accepted),
        (S::Sent | S::Accepted, Step::Answered) => Ok(S::Answered),
        (S::Sent | S::Accepted, Step::Declined) => Ok(S::Declined),
    }
}

/// Checks a step's note: required for an answer or a refusal, and not too long.
pub fn check_note(step: Step, note: &str, e: &mut FieldErrors) {
    let note = note.trim();
    if step.needs_note() && note.is_empty() {
        let say = if step == Step::Answered { Msg::SayWhatTheyAnswered } else { Msg::SayWhyTheyCouldNot };
        e.add("note", say);
    } else if note.chars().count() > MAX_NOTE_LEN {
        e.add("note", Msg::TooLong { what: Label::Note, max: MAX_NOTE_LEN as i64 });
    }
}

/// The form field of the note of `step` for one referral, where a page has one per referral.
pub fn note_field(step: Step, referral_id: &str) -> String {
    format!("{}-{referral_id}", step.as_str())
}

/// A step the owner records on a tablet (sync kind `referral_step`): kept in the outbox and
/// sent like every other record, so a chase made offline is never lost or counted twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub referral_id: String,
    pub step: Step,
    #[serde(default)]
    pub note: String,
}

impl StepRecord {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.referral_id.trim().is_empty() {
            e.add("referral_id", Msg::ChooseReferral);
        }
        check_note(self.step, &self.note, &mut e);
        e.into_result()
    }
}

/// Most referrals made from one follow-up after its conversation.
pub const MAX_LATER_REFERRALS: usize = 10;

/// A referral made after the visit, from an open follow-up (sync kind `referral_made`): the
/// follow-up's owner, still advocating, sends the resident's issue on to one of the
/// organisation's services or to a partner organisation. Stored once, by the id its tablet gave
/// it; it then lives as any referral does (chased, accepted, answered or declined).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralMade {
    pub follow_up_id: String,
    /// One of the organisation's services…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// …or a partner organisation: one of the two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// What they are asked to do (they see it, with the issues raised).
    #[serde(default)]
    pub asked: String,
    /// The follow-up's resident, if known: so that the tablet drops the referral if they are
    /// erased before it syncs. The server reads the resident from the follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
}

impl ReferralMade {
    /// Every problem, by field: `to` (neither or both chosen), `service_id`, `partner_id`,
    /// `asked`, `follow_up_id`.
    pub fn validate(&self, reference: &dyn Reference) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.follow_up_id.trim().is_empty() {
            e.add("follow_up_id", Msg::ChooseFollowUpComes);
        }
        match (self.service_id.as_deref(), self.partner_id.as_deref()) {
            (Some(service), None) if !reference.has_service(service) => e.add("service_id", Msg::SelectServiceReferringThem),
            (None, Some(partner)) if !reference.has_partner(partner) => e.add("partner_id", Msg::SelectPartnerOrganisationReferringThem),
            (Some(_), None) | (None, Some(_)) => {}
            _ => e.add("to", Msg::ChooseOneOurServicesPartner),
        }
        if self.asked.chars().count() > MAX_ASKED_LEN {
            e.add("asked", Msg::TooLong { what: Label::Asked, max: MAX_ASKED_LEN as i64 });
        }
        e.into_result()
    }
}

/// Whole days from a referral being sent (`sent_at`) to its answer (`answered_at`), both in
/// seconds since the epoch: how long the resident waited. Never negative.
pub fn days_to_answer(sent_at: i64, answered_at: i64) -> i64 {
    (answered_at - sent_at).max(0) / 86_400
}

/// The mean wait of `answered` referrals that waited `total_days` whole days between them (each
/// [`days_to_answer`]), to one decimal place; `None` when nothing was answered.
pub fn average_days(total_days: i64, answered: i64) -> Option<f64> {
    (answered > 0).then(|| (total_days as f64 / answered as f64 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::ReferralStatus as S;
    use super::*;

    #[test]
    fn a_referral_moves_forwards_only() {
        let own = |status, step| after(status, step, Taker::Owner, Recipient::Service);
        assert_eq!(own(S::Sent, Step::Accepted), Ok(S::Accepted));
        assert_eq!(own(S::Sent, Step::Answered), Ok(S::Answered), "an answer needs no acceptance first");
        assert_eq!(own(S::Accepted, Step::Answered), Ok(S::Answered));
        assert_eq!(own(S::Accepted, Step::Declined), Ok(S::Declined));
        assert!(own(S::Accepted, Step::Accepted).is_err());
        for closed in [S::Answered, S::Declined] {
            for step in [Step::Accepted, Step::Answered, Step::Declined] {
                assert!(own(closed, step).is_err(), "{closed:?} then {step:?}");
            }
        }
    }

    #[test]
    fn a_chase_is_always_kept_and_changes_nothing() {
        for status in ReferralStatus::ALL {
            assert_eq!(after(status, Step::Chased, Taker::Owner, Recipient::Service), Ok(status));
            assert_eq!(after(status, Step::Chased, Taker::Owner, Recipient::Partner), Ok(status));
        }
    }

    #[test]
    fn a_partner_answers_for_itself_and_only_for_itself() {
        assert_eq!(after(S::Sent, Step::Accepted, Taker::Partner, Recipient::Partner), Ok(S::Accepted));
        assert_eq!(after(S::Accepted, Step::Answered, Taker::Partner, Recipient::Partner), Ok(S::Answered));
        assert!(after(S::Sent, Step::Chased, Taker::Partner, Recipient::Partner).is_err(), "a partner does not chase itself");
        assert!(after(S::Sent, Step::Accepted, Taker::Partner, Recipient::Service).is_err());
        // The owner cannot speak for a partner, which has its own page.
        for step in [Step::Accepted, Step::Answered, Step::Declined] {
            assert!(after(S::Sent, step, Taker::Owner, Recipient::Partner).is_err());
        }
    }

    #[test]
    fn an_answer_or_refusal_says_something_and_nothing_runs_on() {
        let problems = |step, note: &str| {
            let mut e = FieldErrors::new();
            check_note(step, note, &mut e);
            e.iter().map(|f| f.field.clone()).collect::<Vec<_>>()
        };
        assert!(problems(Step::Chased, "").is_empty());
        assert!(problems(Step::Accepted, "").is_empty());
        assert_eq!(problems(Step::Answered, "  "), ["note"]);
        assert_eq!(problems(Step::Declined, ""), ["note"]);
        assert!(problems(Step::Answered, "Repair booked for 10 December").is_empty());
        assert_eq!(problems(Step::Chased, &"x".repeat(MAX_NOTE_LEN + 1)), ["note"]);
        assert!(problems(Step::Chased, &"é".repeat(MAX_NOTE_LEN)).is_empty(), "counted in characters");
        let record = StepRecord { referral_id: " ".into(), step: Step::Answered, note: String::new() };
        let fields: Vec<String> = record.validate().unwrap_err().iter().map(|f| f.field.clone()).collect();
        assert_eq!(fields, ["referral_id", "note"]);
    }

    struct Lists;
    impl Reference for Lists {
        fn has_area(&self, _: &str) -> bool {
            false
        }
        fn has_theme(&self, _: &str) -> bool {
            false
        }
        fn has_service(&self, id: &str) -> bool {
            id == "repairs"
        }
        fn has_partner(&self, id: &str) -> bool {
            id == "food-bank"
        }
        fn has_interest(&self, _: &str) -> bool {
            false
        }
        fn has_colleague(&self, _: &str) -> bool {
            false
        }
    }

    #[test]
    fn a_referral_made_later_goes_to_one_service_or_one_partner() {
        let made = |service: Option<&str>, partner: Option<&str>, asked: &str| ReferralMade {
            follow_up_id: "fu".into(),
            service_id: service.map(String::from),
            partner_id: partner.map(String::from),
            asked: asked.into(),
            resident_id: None,
        };
        let fields = |r: ReferralMade| r.validate(&Lists).err().map(|e| e.iter().map(|f| f.field.clone()).collect::<Vec<_>>());
        assert_eq!(fields(made(Some("repairs"), None, "Fix the boiler")), None);
        assert_eq!(fields(made(None, Some("food-bank"), "")), None, "asking is optional");
        assert_eq!(fields(made(None, None, "")), Some(vec!["to".into()]));
        assert_eq!(fields(made(Some("repairs"), Some("food-bank"), "")), Some(vec!["to".into()]), "one of the two");
        assert_eq!(fields(made(Some("food-bank"), None, "")), Some(vec!["service_id".into()]), "a partner is not a service");
        assert_eq!(fields(made(None, Some("repairs"), "")), Some(vec!["partner_id".into()]));
        assert_eq!(fields(made(Some("repairs"), None, &"x".repeat(MAX_ASKED_LEN + 1))), Some(vec!["asked".into()]));
        assert_eq!(fields(ReferralMade { follow_up_id: " ".into(), ..made(Some("repairs"), None, "") }), Some(vec!["follow_up_id".into()]));
        let from_device: ReferralMade =
            serde_json::from_value(serde_json::json!({ "follow_up_id": "fu", "service_id": "repairs" })).unwrap();
        assert_eq!(from_device, made(Some("repairs"), None, ""));
    }

    #[test]
    fn statuses_and_steps_read_back_from_their_names() {
        for status in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::parse(status.as_str()), Some(status));
        }
        for step in Step::ALL {
            assert_eq!(Step::parse(step.as_str()), Some(step));
        }
        assert_eq!(Step::parse("Chased"), None);
        assert!(S::Answered.is_closed() && S::Declined.is_closed() && !S::Sent.is_closed() && !S::Accepted.is_closed());
    }

    #[test]
    fn waits_are_whole_days_and_averaged_to_one_place() {
        assert_eq!(days_to_answer(0, 86_399), 0);
        assert_eq!(days_to_answer(0, 3 * 86_400 + 5), 3);
        assert_eq!(days_to_answer(100, 0), 0, "a clock that ran backwards is not a negative wait");
        assert_eq!(average_days(0, 0), None);
        assert_eq!(average_days(1 + 1 + 4, 3), Some(2.0));
        assert_eq!(average_days(1 + 2 + 2, 3), Some(1.7));
    }
}
