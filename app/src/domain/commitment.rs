//! Commitments: what each side agreed to do in a conversation. "We will…" is the organisation's
//! side: a member of staff owns it, with the date it is due. "You can…" is what the resident
//! agreed to try themselves. Both are followed through with the conversation's follow-up, by the
//! one member of staff who stays the resident's point of contact, and each is settled when that
//! follow-up is resolved: kept, not kept (with the reason) or not needed.

use super::calendar;
use super::reference::Reference;
use super::validation::FieldErrors;
use super::{Label, Msg};
use serde::{Deserialize, Serialize};

/// Most commitments one conversation records.
pub const MAX_COMMITMENTS: usize = 10;
/// Longest commitment, in characters.
pub const MAX_COMMITMENT_LEN: usize = 500;
/// How far after the conversation a commitment can fall due, in days.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// Whose commitment it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The organisation's: "We will…".
    We,
    /// The resident's: "You can…".
    You,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::We => "we",
            Side::You => "you",
        }
    }

    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "we" => Some(Side::We),
            "you" => Some(Side::You),
            _ => None,
        }
    }

    /// How the commitment starts when it is shown: "We will" or "You can".
    pub fn label(self) -> &'static str {
        match self {
            Side::We => "We will",
            Side::You => "You can",
        }
    }
}

/// One commitment as the device records it, inside its conversation (sync kind `interaction`,
/// schema 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub side: Side,
    pub text: String,
    /// The member of staff who will do it: for "we will" only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// `YYYY-MM-DD`: required for "we will", optional for "you can".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
    /// The organisation's service it concerns, if any: for "we will", the service that will act
    /// (the owner chases it); for "you can", the service the resident will use. Counted by
    /// service on the dashboard. Devices from before services were named leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
}

/// Where a commitment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    Open,
    Kept,
    NotKept,
    NotNeeded,
}

impl CommitmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentStatus::Open => "open",
            CommitmentStatus::Kept => "kept",
            CommitmentStatus::NotKept => "not_kept",
            CommitmentStatus::NotNeeded => "not_needed",
        }
    }

    pub fn parse(s: &str) -> Option<CommitmentStatus> {
        [CommitmentStatus::Open, CommitmentStatus::Kept, CommitmentStatus::NotKept, CommitmentStatus::NotNeeded]
            .into_iter()
            .find(|status| status.as_str() == s)
    }
}

/// How one commitment ended, said when its follow-up is resolved (inside the resolution, sync
/// kind `follow_up_update`, schema 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// The commitment's place in its conversation's list, from 1.
    pub position: u32,
    pub status: CommitmentStatus,
    /// Why it was not kept (required then; a note otherwise).
    #[serde(default)]
    pub reason: String,
}

/// Longest reason, in characters.
pub const MAX_REASON_LEN: usize = 500;

/// The form field of the settlement of the commitment at `position` (from 1).
pub fn settle_field(position: u32, part: &str) -> String {
    format!("settle-{position}-{part}")
}

/// Every problem with how a follow-up's commitments were settled, added to `e`. `open` holds the
/// positions of its commitments still open: each must be said to be kept, not kept (and why) or
/// not needed, and nothing else named.
pub fn check_settlements(list: &[Settlement], open: &[u32], e: &mut FieldErrors) {
    let unknown = list.iter().enumerate().any(|(i, s)| !open.contains(&s.position) || list[..i].iter().any(|t| t.position == s.position));
    if unknown {
        e.add("commitments", Msg::TheseCommitmentsNotFollowUps);
        return;
    }
    for &position in open {
        match list.iter().find(|s| s.position == position) {
            None | Some(Settlement { status: CommitmentStatus::Open, .. }) => {
                e.add(&settle_field(position, "status"), Msg::SayWhetherKeptNotKept)
            }
            Some(s) if s.status == CommitmentStatus::NotKept && s.reason.trim().is_empty() => {
                e.add(&settle_field(position, "reason"), Msg::SayWhyNotKept)
            }
            Some(s) if s.reason.chars().count() > MAX_REASON_LEN => {
                e.add(&settle_field(position, "reason"), Msg::TooLong { what: Label::Reason, max: MAX_REASON_LEN as i64 })
            }
            Some(_) => {}
        }
    }
}

/// The form field of one part of the `n`th commitment (from 0): `commitment-1-text`, …
pub fn field(n: usize, part: &str) -> String {
    format!("commitment-{}-{part}", n + 1)
}

/// Every problem with a conversation's commitments, added to `e`. `occurred_at` is when the
/// conversation happened: a commitment falls due from that day to a year after it (a tablet that
/// syncs a week late is still understood). `followed_up` says whether the conversation has a
/// follow-up, through which commitments are kept track of; `reference` holds the organisation's
/// staff who can own one and the services one can name.
pub fn check(list: &[Commitment], occurred_at: i64, followed_up: bool, reference: &dyn Reference, e: &mut FieldErrors) {
    if list.is_empty() {
        return;
    }
    if list.len() > MAX_COMMITMENTS {
        e.add("commitments", Msg::TooManyCommitments { count: MAX_COMMITMENTS as u64 });
        return;
    }
    if !followed_up {
        e.add("commitments", Msg::CommitmentsFollowedUpChooseFollow);
    }
    let day = calendar::uk_day(occurred_at);
    for (n, c) in list.iter().enumerate() {
        let text = c.text.trim();
        if text.is_empty() {
            let say = match c.side {
                Side::We => Msg::SayWhatWeWillDo,
                Side::You => Msg::SayWhatResidentCanDo,
            };
            e.add(&field(n, "text"), say);
        } else if c.text.chars().count() > MAX_COMMITMENT_LEN {
            e.add(&field(n, "text"), Msg::TooLong { what: Label::Commitment, max: MAX_COMMITMENT_LEN as i64 });
        }
        match (c.side, c.owner_id.as_deref()) {
            (Side::We, Some(owner)) if reference.has_colleague(owner) => {}
            (Side::We, _) => e.add(&field(n, "owner_id"), Msg::SelectWhoWillDo),
            (Side::You, Some(_)) => e.add(&field(n, "owner_id"), Msg::WhatResidentDoNoOwner),
            (Side::You, None) => {}
        }
        match (c.side, c.due_on.as_deref().map(str::trim).filter(|d| !d.is_empty())) {
            (Side::We, None) => e.add(&field(n, "due_on"), Msg::EnterDateDue),
            (_, Some(due)) => {
                if let Err(problem) = check_due(due, day) {
                    e.add(&field(n, "due_on"), problem);
                }
            }
            (Side::You, None) => {}
        }
        if c.service_id.as_deref().is_some_and(|s| !reference.has_service(s)) {
            e.add(&field(n, "service_id"), Msg::SelectOneOurServicesNone);
        }
    }
}

/// A due date: a real date, from the conversation's day (`day`, days since 1970) to a year after.
fn check_due(due: &str, day: i64) -> Result<(), Msg> {
    let Some(due_day) = calendar::parse_date(due) else {
        return Err(Msg::EnterDateDue);
    };
    if due_day < day {
        return Err(Msg::DueBeforeConversation);
    }
    if due_day > day + MAX_DAYS_AHEAD {
        return Err(Msg::DueTooFarAhead);
    }
    Ok(())
}

/// A commitment added to an open follow-up after the visit (sync kind `commitment_added`): a
/// "we will…" or "you can…" agreed later, on the phone or at a second visit. Stored once, by the
/// id its tablet gave it, after the follow-up's others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentAdded {
    pub follow_up_id: String,
    pub commitment: Commitment,
    /// The follow-up's resident, if known: so that the tablet forgets the words if they are
    /// erased before it syncs. The server reads the resident from the follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
}

impl CommitmentAdded {
    /// Every problem, by the fields of a conversation's first commitment (`commitment-1-text`,
    /// …), as agreed at `at` (seconds): a "we will" falls due from that day to a year after.
    pub fn validate(&self, at: i64, reference: &dyn Reference) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.follow_up_id.trim().is_empty() {
            e.add("follow_up_id", Msg::ChooseFollowUpBelongs);
        }
        check(std::slice::from_ref(&self.commitment), at, true, reference, &mut e);
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-03, midday in the UK.
    const AT: i64 = 1_796_299_200;

    /// Sam is on the staff; Housing Repairs is a service.
    struct Staff;
    impl Reference for Staff {
        fn has_area(&self, _: &str) -> bool {
            false
        }
        fn has_theme(&self, _: &str) -> bool {
            false
        }
        fn has_service(&self, id: &str) -> bool {
            id == "repairs"
        }
        fn has_partner(&self, _: &str) -> bool {
            false
        }
        fn has_interest(&self, _: &str) -> bool {
            false
        }
        fn has_colleague(&self, id: &str) -> bool {
            id == "sam"
        }
    }

    fn we(text: &str, owner: Option<&str>, due: Option<&str>) -> Commitment {
        Commitment { side: Side::We, text: text.into(), owner_id: owner.map(Into::into), due_on: due.map(Into::into), service_id: None }
    }

    fn you(text: &str, due: Option<&str>) -> Commitment {
        Commitment { side: Side::You, text: text.into(), owner_id: None, due_on: due.map(Into::into), service_id: None }
    }

    fn problems(list: &[Commitment], followed_up: bool) -> Vec<(String, String)> {
        let mut e = FieldErrors::new();
        check(list, AT, followed_up, &Staff, &mut e);
        e.into_result().err().map(|e| e.iter().map(|f| (f.field.clone(), f.message.to_string())).collect()).unwrap_or_default()
    }

    #[test]
    fn both_sides_with_what_each_needs_are_accepted() {
        assert_eq!(calendar::uk_date(AT), "2026-12-03");
        let list = [we("Chase the repair with Housing", Some("sam"), Some("2026-12-10")), you("Ask the neighbours about the bins", None)];
        assert!(problems(&list, true).is_empty());
        assert!(problems(&[], false).is_empty(), "none at all needs no follow-up");
        assert!(problems(&[you("Try the food bank", Some("2026-12-03"))], true).is_empty(), "due the same day");
    }

    #[test]
    fn we_will_needs_an_owner_on_the_staff_and_a_date() {
        let p = problems(&[we("Call back", None, None)], true);
        assert!(p.contains(&("commitment-1-owner_id".into(), "Select who will do it".into())), "{p:?}");
        assert!(p.iter().any(|(f, _)| f == "commitment-1-due_on"), "{p:?}");
        let p = problems(&[we("Call back", Some("someone-else"), Some("2026-12-05"))], true);
        assert_eq!(p, [("commitment-1-owner_id".to_string(), "Select who will do it".to_string())]);
    }

    #[test]
    fn you_can_has_no_owner() {
        let p = problems(&[Commitment { owner_id: Some("sam".into()), ..you("Join the group", None) }], true);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "commitment-1-owner_id");
    }

    #[test]
    fn either_side_may_name_one_of_the_services() {
        let by = |c: Commitment, service: &str| Commitment { service_id: Some(service.into()), ..c };
        let list = [by(we("Chase the repair", Some("sam"), Some("2026-12-10")), "repairs"), by(you("Report it online", None), "repairs")];
        assert!(problems(&list, true).is_empty());
        let p = problems(&[we("Call back", Some("sam"), Some("2026-12-10")), by(you("Report it", None), "someone-elses")], true);
        assert_eq!(p, [("commitment-2-service_id".to_string(), "Select one of our services, or none".to_string())]);
    }

    #[test]
    fn the_text_is_required_and_bounded() {
        let p = problems(&[you("  ", None), you(&"x".repeat(MAX_COMMITMENT_LEN + 1), None), you(&"é".repeat(500), None)], true);
        let fields: Vec<&str> = p.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["commitment-1-text", "commitment-2-text"], "{p:?}");
    }

    #[test]
    fn due_dates_are_real_and_from_the_conversation_to_a_year_after() {
        for (due, ok) in [
            ("2026-12-02", false),
            ("2026-12-03", true),
            ("2027-12-04", true),
            ("2027-12-05", false),
            ("2026-02-30", false),
            ("3026-01-01", false),
            ("tomorrow", false),
            ("2026-12-1", false),
        ] {
            assert_eq!(problems(&[you("Try it", Some(due))], true).is_empty(), ok, "{due}");
            assert_eq!(problems(&[we("Do it", Some("sam"), Some(due))], true).is_empty(), ok, "{due}");
        }
    }

    #[test]
    fn commitments_need_a_follow_up_and_are_bounded_in_number() {
        let p = problems(&[you("Try it", None)], false);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "commitments");
        let many: Vec<Commitment> = (0..=MAX_COMMITMENTS).map(|i| you(&format!("Thing {i}"), None)).collect();
        assert_eq!(problems(&many, true), [("commitments".to_string(), "Record 10 commitments or fewer".to_string())]);
    }

    #[test]
    fn sides_and_statuses_read_back_what_they_write() {
        for side in [Side::We, Side::You] {
            assert_eq!(Side::parse(side.as_str()), Some(side));
            assert_eq!(serde_json::to_value(side).unwrap(), side.as_str());
        }
        for status in [CommitmentStatus::Open, CommitmentStatus::Kept, CommitmentStatus::NotKept, CommitmentStatus::NotNeeded] {
            assert_eq!(CommitmentStatus::parse(status.as_str()), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        assert_eq!(Side::parse("they"), None);
        assert_eq!(CommitmentStatus::parse("done"), None);
    }

    fn settled(list: &[Settlement], open: &[u32]) -> Vec<String> {
        let mut e = FieldErrors::new();
        check_settlements(list, open, &mut e);
        e.iter().map(|f| f.field.clone()).collect()
    }

    fn settle(position: u32, status: CommitmentStatus, reason: &str) -> Settlement {
        Settlement { position, status, reason: reason.into() }
    }

    #[test]
    fn each_open_commitment_is_settled_once_with_a_reason_when_not_kept() {
        use CommitmentStatus::*;
        assert!(settled(&[settle(1, Kept, ""), settle(2, NotNeeded, "")], &[1, 2]).is_empty());
        assert!(settled(&[settle(2, NotKept, "Housing said no")], &[2]).is_empty());
        assert!(settled(&[], &[]).is_empty(), "nothing to settle");
        assert_eq!(settled(&[settle(1, Kept, "")], &[1, 2]), ["settle-2-status"]);
        assert_eq!(settled(&[settle(1, Open, ""), settle(2, NotKept, " ")], &[1, 2]), ["settle-1-status", "settle-2-reason"]);
        assert_eq!(settled(&[settle(1, Kept, &"x".repeat(MAX_REASON_LEN + 1))], &[1]), ["settle-1-reason"]);
        assert_eq!(settled(&[settle(1, Kept, ""), settle(3, Kept, "")], &[1]), ["commitments"], "not one of the follow-up's");
        assert_eq!(settled(&[settle(1, Kept, ""), settle(1, NotKept, "x")], &[1]), ["commitments"], "twice");
    }

    #[test]
    fn a_device_may_leave_out_what_it_does_not_need() {
        let c: Commitment = serde_json::from_value(serde_json::json!({ "side": "you", "text": "Try it" })).unwrap();
        assert_eq!(c, you("Try it", None));
        assert_eq!(serde_json::to_value(&c).unwrap(), serde_json::json!({ "side": "you", "text": "Try it" }));
    }

    #[test]
    fn a_commitment_added_later_is_checked_as_one_made_on_the_day_it_was_agreed() {
        let agreed = calendar::uk_day_start(calendar::parse_date("2027-01-20").unwrap()) + 3_600;
        let we = |owner: Option<&str>, due: Option<&str>| CommitmentAdded {
            follow_up_id: "fu".into(),
            commitment: Commitment {
                side: Side::We,
                text: "Ring Housing Repairs".into(),
                owner_id: owner.map(String::from),
                due_on: due.map(String::from),
                service_id: None,
            },
            resident_id: None,
        };
        assert_eq!(we(Some("sam"), Some("2027-01-20")).validate(agreed, &Staff), Ok(()));
        let fields = |a: CommitmentAdded| a.validate(agreed, &Staff).err().map(|e| e.iter().map(|x| x.field.clone()).collect::<Vec<_>>());
        assert_eq!(
            fields(we(Some("stranger"), Some("2027-01-19"))),
            Some(vec!["commitment-1-owner_id".into(), "commitment-1-due_on".into()])
        );
        assert_eq!(fields(we(Some("sam"), Some("2028-02-01"))), Some(vec!["commitment-1-due_on".into()]), "at most a year ahead");
        let you = CommitmentAdded {
            follow_up_id: " ".into(),
            commitment: Commitment { side: Side::You, text: String::new(), owner_id: None, due_on: None, service_id: None },
            resident_id: None,
        };
        assert_eq!(fields(you), Some(vec!["follow_up_id".into(), "commitment-1-text".into()]));
    }
}
