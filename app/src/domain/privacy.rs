//! Data protection rules (UK GDPR): what a resident's consent currently is, how long each kind of
//! personal record is kept, and when a request from a resident must be answered.

use super::calendar::{civil_from_days, days_from_civil};
use super::outreach::{ConsentPurpose, LawfulBasis};
use super::Msg;
use super::OrganisationKind;
use serde::{Deserialize, Serialize};

/// One entry in a resident's consent ledger: a "yes" or a "no" to one purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentEntry {
    pub purpose: ConsentPurpose,
    pub granted: bool,
    /// When the resident said it (the device's clock for one recorded at the door).
    pub occurred_at: i64,
}

/// What a resident currently agrees to for one purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentState {
    NotAsked,
    Granted { since: i64 },
    Withdrawn { since: i64 },
}

impl ConsentState {
    pub fn granted(self) -> bool {
        matches!(self, ConsentState::Granted { .. })
    }
}

/// The current state for `purpose`, from the ledger in any order. The decision the resident
/// made last wins, whenever it reached the server: a "yes" recorded on a tablet that was offline
/// for a week never overrides a "no" given since. Two decisions at the same moment: the "no" wins.
pub fn consent_state(ledger: &[ConsentEntry], purpose: ConsentPurpose) -> ConsentState {
    ledger
        .iter()
        .filter(|e| e.purpose == purpose)
        // Later first; at the same moment a withdrawal (granted = false) sorts after a grant.
        .max_by_key(|e| (e.occurred_at, !e.granted))
        .map_or(ConsentState::NotAsked, |e| {
            if e.granted {
                ConsentState::Granted { since: e.occurred_at }
            } else {
                ConsentState::Withdrawn { since: e.occurred_at }
            }
        })
}

/// A resident changes their mind about one purpose, told to a worker (sync kind
/// `consent_change`): usually a withdrawal given at the door, recorded offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChange {
    pub resident_id: String,
    pub purpose: ConsentPurpose,
    pub granted: bool,
    /// When the resident said it (the device's clock).
    pub occurred_at: i64,
    /// The words the device showed for the purpose (checked like a conversation's).
    #[serde(default)]
    pub wording: Option<String>,
    #[serde(default = "doorstep")]
    pub method: ConsentMethod,
}

fn doorstep() -> ConsentMethod {
    ConsentMethod::Doorstep
}

impl ConsentChange {
    pub fn validate(&self) -> Result<(), super::FieldErrors> {
        let mut e = super::FieldErrors::new();
        if !super::validation::is_uuid(&self.resident_id) {
            e.add("resident_id", Msg::ChooseResidentWhoseConsentChanged);
        }
        if self.purpose.stored_wording(self.wording.as_deref()).is_none() {
            e.add("purpose", Msg::AskedWordsVersionMobiliseDoes);
        }
        if matches!(self.method, ConsentMethod::Online | ConsentMethod::EmailLink) {
            e.add("method", Msg::ResidentsChangeTheirOwnConsent);
        }
        e.into_result()
    }
}

/// How a consent decision reached Mobilise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Doorstep,
    Online,
    Phone,
    /// Face to face elsewhere than at their door: at an event, a counter, a home visit.
    InPerson,
    /// In a message to a member of staff (a website form, an app, an email).
    Message,
    /// The resident followed the unsubscribe link in an email from the organisation.
    EmailLink,
}

impl ConsentMethod {
    /// How a consent given in a conversation through `channel` reached Mobilise.
    pub fn of_channel(channel: super::outreach::InteractionKind) -> ConsentMethod {
        use super::outreach::InteractionKind;
        match channel {
            InteractionKind::Doorstep => ConsentMethod::Doorstep,
            InteractionKind::Event | InteractionKind::Counter | InteractionKind::HomeVisit => ConsentMethod::InPerson,
            InteractionKind::Phone => ConsentMethod::Phone,
            InteractionKind::Online => ConsentMethod::Message,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Doorstep => "doorstep",
            ConsentMethod::Online => "online",
            ConsentMethod::Phone => "phone",
            ConsentMethod::InPerson => "in_person",
            ConsentMethod::Message => "message",
            ConsentMethod::EmailLink => "email_link",
        }
    }
}

/// Kinds of personal record, each kept for its own period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionClass {
    /// A resident's name, contact details, language and consent history: anonymised this long
    /// after the last time they were in touch (a conversation or a consent decision).
    ResidentDetails,
    /// Addresses and notes in conversations and follow-ups: cleared this long after the
    /// conversation. The conversation itself stays, for the figures.
    ConversationNotes,
    /// Volunteer profiles and the messages sent with expressions of interest.
    Volunteering,
    /// Email addresses left with consultation responses, for hearing the outcome.
    ConsultationContact,
    /// Community groups' requests to join: who asked, their address and what they wrote, cleared
    /// this long after the request was answered.
    PartnerRequests,
}

impl RetentionClass {
    pub const ALL: [RetentionClass; 5] = [
        RetentionClass::ResidentDetails,
        RetentionClass::ConversationNotes,
        RetentionClass::Volunteering,
        RetentionClass::ConsultationContact,
        RetentionClass::PartnerRequests,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RetentionClass::ResidentDetails => "resident_details",
            RetentionClass::ConversationNotes => "conversation_notes",
            RetentionClass::Volunteering => "volunteering",
            RetentionClass::ConsultationContact => "consultation_contact",
            RetentionClass::PartnerRequests => "partner_requests",
        }
    }

    pub fn parse(s: &str) -> Option<RetentionClass> {
        RetentionClass::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// How long an organisation keeps one class of record, and on what lawful basis it holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    pub class: RetentionClass,
    pub lawful_basis: LawfulBasis,
    pub months: u32,
}

/// The longest period an organisation may set (10 years).
pub const MAX_RETENTION_MONTHS: u32 = 120;

/// Where an organisation starts: public bodies hold outreach records for their public task,
/// charities and groups on their legitimate interests; volunteering and consultation emails are
/// given by consent everywhere.
pub fn default_policies(kind: OrganisationKind) -> Vec<RetentionPolicy> {
    let outreach_basis = match kind {
        OrganisationKind::Council | OrganisationKind::HousingAssociation => LawfulBasis::PublicTask,
        OrganisationKind::Charity | OrganisationKind::CommunityGroup => LawfulBasis::LegitimateInterests,
    };
    RetentionClass::ALL
        .into_iter()
        .map(|class| {
            let (lawful_basis, months) = match class {
                RetentionClass::ResidentDetails => (outreach_basis, 24),
                RetentionClass::ConversationNotes => (outreach_basis, 24),
                RetentionClass::Volunteering => (LawfulBasis::Consent, 24),
                RetentionClass::ConsultationContact => (LawfulBasis::Consent, 12),
                RetentionClass::PartnerRequests => (LawfulBasis::LegitimateInterests, 12),
            };
            RetentionPolicy { class, lawful_basis, months }
        })
        .collect()
}

/// The day (days since 1970-01-01) `months` calendar months before `day`; the end of the month
/// when it is shorter (31 August less 6 months is 28 or 29 February).
pub fn months_before(day: i64, months: u32) -> i64 {
    shift_months(day, -i64::from(months))
}

fn shift_months(day: i64, by: i64) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let index = y * 12 + i64::from(m) - 1 + by;
    let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let last = days_from_civil(ny, nm, 1) - days_from_civil(year, month, 1);
    days_from_civil(year, month, d.min(last as u32))
}

/// Whether a record last touched on UK day `last` is past a period of `months` on `today`: kept
/// through the whole of the day the period ends, cleared from the next.
pub fn is_past_retention(last: i64, months: u32, today: i64) -> bool {
    last < months_before(today, months)
}

/// The day a request received on `received` must be answered by: the same date the next month,
/// or that month's last day when it has no such date (ICO guidance: 31 January → 28/29 February).
pub fn request_due(received: i64) -> i64 {
    shift_months(received, 1)
}

/// What a resident asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A copy of everything held about them (subject access).
    Access,
    /// Their personal data removed (erasure).
    Erasure,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Erasure => "erasure",
        }
    }
    pub fn parse(s: &str) -> Option<RequestKind> {
        match s {
            "access" => Some(RequestKind::Access),
            "erasure" => Some(RequestKind::Erasure),
            _ => None,
        }
    }
}

/// What the audit log records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Viewed,
    Exported,
    Changed,
    Erased,
    RequestLogged,
    RequestClosed,
    RetentionRun,
    PolicyChanged,
    Linked,
    Unlinked,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        AuditAction::Viewed,
        AuditAction::Exported,
        AuditAction::Changed,
        AuditAction::Erased,
        AuditAction::RequestLogged,
        AuditAction::RequestClosed,
        AuditAction::RetentionRun,
        AuditAction::PolicyChanged,
        AuditAction::Linked,
        AuditAction::Unlinked,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Viewed => "viewed",
            AuditAction::Exported => "exported",
            AuditAction::Changed => "changed",
            AuditAction::Erased => "erased",
            AuditAction::RequestLogged => "request_logged",
            AuditAction::RequestClosed => "request_closed",
            AuditAction::RetentionRun => "retention_run",
            AuditAction::PolicyChanged => "policy_changed",
            AuditAction::Linked => "linked",
            AuditAction::Unlinked => "unlinked",
        }
    }
    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What decides whether a resident record may be linked to another as one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordFacts {
    pub id: String,
    /// The record of an online account (its `user_id` is set).
    pub account: bool,
    /// The record (made at the door) is already linked to an account's record.
    pub linked_to: Option<String>,
    pub erased: bool,
}

/// Why two records cannot be linked, in words for the person trying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRefusal {
    SameRecord,
    Erased,
    /// Neither is an online account's record: two records made at the door are not merged here.
    NoAccount,
    /// Both are accounts: one person has one account.
    TwoAccounts,
    /// The door record is linked to an account already (this one or another).
    AlreadyLinked,
}

impl LinkRefusal {
    pub fn message(self) -> &'static str {
        match self {
            LinkRefusal::SameRecord => "That is this record. Enter the id of the other record.",
            LinkRefusal::Erased => "An erased record cannot be linked.",
            LinkRefusal::NoAccount => "One of the two records must be an online account's. Two records made at the door are not linked.",
            LinkRefusal::TwoAccounts => "Both records are online accounts. One person has one account: ask them which they use.",
            LinkRefusal::AlreadyLinked => "The record made at the door is already linked to an online account. Unlink it first.",
        }
    }
}

/// Which of two records is the one made at the door and which the account's, if they may be
/// linked: exactly one is an account's, the other is not linked yet, and neither is erased.
/// Returns `(door, account)`.
pub fn plan_link<'a>(a: &'a RecordFacts, b: &'a RecordFacts) -> Result<(&'a RecordFacts, &'a RecordFacts), LinkRefusal> {
    if a.id == b.id {
        return Err(LinkRefusal::SameRecord);
    }
    if a.erased || b.erased {
        return Err(LinkRefusal::Erased);
    }
    let (door, account) = match (a.account, b.account) {
        (true, true) => return Err(LinkRefusal::TwoAccounts),
        (false, false) => return Err(LinkRefusal::NoAccount),
        (false, true) => (a, b),
        (true, false) => (b, a),
    };
    if door.linked_to.is_some() {
        return Err(LinkRefusal::AlreadyLinked);
    }
    Ok((door, account))
}

/// The text that replaces an erased resident's name wherever it was shown.
pub const ERASED_NAME: &str = "Erased at their request";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::parse_date;
    use ConsentPurpose::*;

    fn entry(purpose: ConsentPurpose, granted: bool, occurred_at: i64) -> ConsentEntry {
        ConsentEntry { purpose, granted, occurred_at }
    }

    fn day(s: &str) -> i64 {
        parse_date(s).unwrap()
    }

    #[test]
    fn the_latest_decision_wins_in_whatever_order_the_ledger_arrived() {
        let grant = entry(VolunteeringOpportunities, true, 100);
        let withdraw = entry(VolunteeringOpportunities, false, 200);
        let regrant = entry(VolunteeringOpportunities, true, 300);
        for ledger in [vec![grant.clone(), withdraw.clone()], vec![withdraw.clone(), grant.clone()]] {
            assert_eq!(consent_state(&ledger, VolunteeringOpportunities), ConsentState::Withdrawn { since: 200 });
        }
        // Every order of three decisions: the one made last (a new "yes") stands.
        let all = [grant, withdraw, regrant];
        for a in 0..3 {
            for b in 0..3 {
                for c in 0..3 {
                    if a != b && b != c && a != c {
                        let ledger = vec![all[a].clone(), all[b].clone(), all[c].clone()];
                        assert_eq!(consent_state(&ledger, VolunteeringOpportunities), ConsentState::Granted { since: 300 });
                    }
                }
            }
        }
    }

    #[test]
    fn a_late_synced_grant_never_overrides_a_later_withdrawal() {
        // The withdrawal reached the server first; the tablet that took the earlier "yes" was
        // offline for a week and delivers it afterwards (appended last).
        let ledger = vec![entry(ContactAboutIssue, false, 1_000), entry(ContactAboutIssue, true, 500)];
        assert!(!consent_state(&ledger, ContactAboutIssue).granted());
        // Made at the same second on two devices: "no" wins, either way round.
        let tie = vec![entry(ContactAboutIssue, true, 700), entry(ContactAboutIssue, false, 700)];
        assert_eq!(consent_state(&tie, ContactAboutIssue), ConsentState::Withdrawn { since: 700 });
        let tie: Vec<_> = tie.into_iter().rev().collect();
        assert_eq!(consent_state(&tie, ContactAboutIssue), ConsentState::Withdrawn { since: 700 });
    }

    #[test]
    fn purposes_are_separate_and_an_empty_ledger_is_not_asked() {
        let ledger = vec![entry(ContactAboutIssue, true, 1), entry(ConsultationInvitations, false, 2)];
        assert!(consent_state(&ledger, ContactAboutIssue).granted());
        assert_eq!(consent_state(&ledger, ConsultationInvitations), ConsentState::Withdrawn { since: 2 });
        assert_eq!(consent_state(&ledger, ShareWithReferredService), ConsentState::NotAsked);
        assert_eq!(consent_state(&[], ContactAboutIssue), ConsentState::NotAsked);
    }

    #[test]
    fn months_are_calendar_months_and_short_months_end_early() {
        assert_eq!(months_before(day("2026-11-27"), 24), day("2024-11-27"));
        assert_eq!(months_before(day("2026-08-31"), 6), day("2026-02-28"));
        assert_eq!(months_before(day("2028-08-31"), 6), day("2028-02-29"), "a leap year");
        assert_eq!(months_before(day("2026-03-31"), 1), day("2026-02-28"));
        assert_eq!(months_before(day("2026-01-15"), 1), day("2025-12-15"), "across a year");
        assert_eq!(months_before(day("2026-01-15"), 13), day("2024-12-15"));
        assert_eq!(months_before(day("2026-05-01"), 0), day("2026-05-01"));
    }

    #[test]
    fn a_record_is_kept_through_the_last_day_of_its_period() {
        let today = day("2026-11-27");
        assert!(!is_past_retention(day("2024-11-27"), 24, today), "exactly 24 months: still kept today");
        assert!(is_past_retention(day("2024-11-26"), 24, today));
        assert!(!is_past_retention(today, 0, today), "a period of 0 clears from tomorrow");
        assert!(is_past_retention(today - 1, 0, today));
    }

    #[test]
    fn a_request_is_due_one_calendar_month_after_it_arrives() {
        assert_eq!(request_due(day("2026-11-27")), day("2026-12-27"));
        assert_eq!(request_due(day("2026-01-31")), day("2026-02-28"), "no 31 February: the month's last day");
        assert_eq!(request_due(day("2028-01-30")), day("2028-02-29"));
        assert_eq!(request_due(day("2026-12-15")), day("2027-01-15"));
    }

    #[test]
    fn every_class_has_a_default_and_a_stable_name() {
        for kind in [OrganisationKind::Council, OrganisationKind::Charity] {
            let policies = default_policies(kind);
            assert_eq!(policies.len(), RetentionClass::ALL.len());
            assert!(policies.iter().all(|p| p.months > 0 && p.months <= MAX_RETENTION_MONTHS));
        }
        assert_eq!(default_policies(OrganisationKind::Council)[0].lawful_basis, LawfulBasis::PublicTask);
        assert_eq!(default_policies(OrganisationKind::Charity)[0].lawful_basis, LawfulBasis::LegitimateInterests);
        for class in RetentionClass::ALL {
            assert_eq!(RetentionClass::parse(class.as_str()), Some(class));
        }
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }

    #[test]
    fn a_change_of_mind_needs_a_resident_and_words_this_version_knows() {
        let change = ConsentChange {
            resident_id: "0b6a9a52-55a4-4f0e-9d1e-5a1c2b3d4e5f".into(),
            purpose: VolunteeringOpportunities,
            granted: false,
            occurred_at: 1,
            wording: Some(VolunteeringOpportunities.wording().into()),
            method: ConsentMethod::Doorstep,
        };
        assert!(change.validate().is_ok());
        let json: ConsentChange =
            serde_json::from_value(serde_json::json!({ "resident_id": "0b6a9a52-55a4-4f0e-9d1e-5a1c2b3d4e5f", "purpose": "contact_about_issue", "granted": false, "occurred_at": 5 })).unwrap();
        assert_eq!(json.method, ConsentMethod::Doorstep, "older devices send no method");
        assert!(json.validate().is_ok(), "no words: those devices of that age showed");
        let fields = |c: &ConsentChange| c.validate().unwrap_err().iter().map(|e| e.field.clone()).collect::<Vec<_>>();
        assert_eq!(fields(&ConsentChange { resident_id: " ".into(), ..change.clone() }), ["resident_id"]);
        assert_eq!(fields(&ConsentChange { wording: Some("Something else".into()), ..change.clone() }), ["purpose"]);
        assert_eq!(fields(&ConsentChange { method: ConsentMethod::Online, ..change.clone() }), ["method"]);
        assert_eq!(fields(&ConsentChange { method: ConsentMethod::EmailLink, ..change }), ["method"], "only the link itself records that");
    }

    fn record(id: &str, account: bool) -> RecordFacts {
        RecordFacts { id: id.into(), account, linked_to: None, erased: false }
    }

    #[test]
    fn a_door_record_links_to_an_account_in_either_order() {
        let (door, account) = (record("d", false), record("a", true));
        assert_eq!(plan_link(&door, &account).map(|(d, a)| (d.id.as_str(), a.id.as_str())), Ok(("d", "a")));
        assert_eq!(plan_link(&account, &door).map(|(d, a)| (d.id.as_str(), a.id.as_str())), Ok(("d", "a")));
    }

    #[test]
    fn links_that_would_not_make_one_person_are_refused() {
        let door = record("d", false);
        let account = record("a", true);
        assert_eq!(plan_link(&door, &door.clone()), Err(LinkRefusal::SameRecord));
        assert_eq!(plan_link(&door, &record("d2", false)), Err(LinkRefusal::NoAccount));
        assert_eq!(plan_link(&account, &record("a2", true)), Err(LinkRefusal::TwoAccounts));
        let linked = RecordFacts { linked_to: Some("a2".into()), ..door.clone() };
        assert_eq!(plan_link(&linked, &account), Err(LinkRefusal::AlreadyLinked));
        let erased = RecordFacts { erased: true, ..account.clone() };
        assert_eq!(plan_link(&door, &erased), Err(LinkRefusal::Erased));
        assert_eq!(plan_link(&RecordFacts { erased: true, ..door }, &account), Err(LinkRefusal::Erased));
    }
}
