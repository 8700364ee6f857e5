//! What a worker has typed into an interaction form, kept on the device as they type, and
//! turned into a record when they save.

use crate::domain::commitment::{Commitment, Side};
use crate::domain::outreach::{
    Action, ConsentDecision, ConsentPurpose, ContactChannel, ContactOutcome, InteractionKind, InteractionRecord, Involvement, LawfulBasis,
    ResidentDetails,
};
use crate::domain::FieldErrors;
use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionDraft {
    /// The record's id: made when the form opens, kept through edits, so saving twice (or
    /// correcting a rejected record) never makes two records.
    pub id: String,
    pub area_id: String,
    pub address: String,
    /// `datetime-local` value.
    pub occurred_at: String,
    pub issues: Vec<String>,
    /// `no_action` | `resolved_on_the_spot` | `referred_to_service` | `referred_to_partner` | `follow_up`
    pub action: String,
    pub service_id: String,
    /// The partner organisation referred to (a draft saved by an older app has none).
    #[serde(default)]
    pub partner_id: String,
    /// With a referral: what the service or partner is asked to do.
    #[serde(default)]
    pub asked: String,
    pub owner_id: String,
    pub due_on: String,
    /// "1".."5" or empty (not asked).
    pub felt_heard: String,
    pub notes: String,
    pub resident_id: String,
    pub resident_name: String,
    pub resident_contact: String,
    pub resident_language: String,
    /// (purpose, "yes" | "no"); purposes not asked are absent.
    pub consents: Vec<(String, String)>,
    pub lawful_basis: String,
    pub interests: Vec<String>,
    pub skills: String,
    pub availability: String,
    pub channel: String,
    /// Opportunities the resident asked to be put forward for (sent after the conversation).
    #[serde(default)]
    pub register: Vec<String>,
    /// "We will…" and "you can…", with the follow-up (a draft saved by an older app has none).
    #[serde(default)]
    pub commitments: Vec<DraftCommitment>,
    /// How the conversation happened, where the form asks (`counter`, `phone`, ...).
    #[serde(default)]
    pub kind: String,
    /// The language it was held in: "en" | "cy" | "other" | "" (not said).
    #[serde(default)]
    pub conversation_language: String,
}

/// One commitment as typed. `key` tells the rows apart while one is edited or removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftCommitment {
    pub key: String,
    /// `we` | `you`
    pub side: String,
    pub text: String,
    pub owner_id: String,
    pub due_on: String,
    /// The service it concerns, or empty (drafts saved before services were named have none).
    #[serde(default)]
    pub service_id: String,
}

impl DraftCommitment {
    fn to_commitment(&self) -> Option<Commitment> {
        let side = Side::parse(&self.side)?;
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Some(Commitment {
            side,
            text: self.text.trim().to_string(),
            owner_id: if side == Side::We { given(&self.owner_id) } else { None },
            due_on: given(&self.due_on),
            service_id: given(&self.service_id),
        })
    }

    fn from_commitment(key: String, c: &Commitment) -> DraftCommitment {
        DraftCommitment {
            key,
            side: c.side.as_str().to_string(),
            text: c.text.clone(),
            owner_id: c.owner_id.clone().unwrap_or_default(),
            due_on: c.due_on.clone().unwrap_or_default(),
            service_id: c.service_id.clone().unwrap_or_default(),
        }
    }
}

impl InteractionDraft {
    pub fn has_resident(&self) -> bool {
        !(self.resident_name.trim().is_empty() && self.resident_contact.trim().is_empty() && self.resident_language.trim().is_empty())
    }

    pub fn consent(&self, purpose: ConsentPurpose) -> Option<&str> {
        self.consents.iter().find(|(p, _)| p == purpose.as_str()).map(|(_, v)| v.as_str())
    }

    pub fn set_consent(&mut self, purpose: ConsentPurpose, answer: &str) {
        self.consents.retain(|(p, _)| p != purpose.as_str());
        self.consents.push((purpose.as_str().to_string(), answer.to_string()));
    }

    /// Builds the record. `occurred_at` is the already-parsed time (the caller reads the
    /// device's clock); `outcome` lets the one-tap buttons record a knock with nothing else.
    /// Problems with the form are named in `locale`, the language of the page.
    pub fn to_record(
        &self,
        locale: Locale,
        kind: InteractionKind,
        event_id: Option<String>,
        occurred_at: Option<i64>,
        outcome: ContactOutcome,
    ) -> Result<InteractionRecord, FieldErrors> {
        let mut errors = FieldErrors::new();
        let occurred_at = match occurred_at {
            Some(t) => t,
            None => {
                errors.add("occurred_at", td_string!(locale, outreach_draft.enter_date_and_time));
                0
            }
        };
        let base = InteractionRecord {
            kind,
            event_id,
            area_id: self.area_id.clone(),
            address: self.address.trim().to_string(),
            occurred_at,
            outcome,
            issues: vec![],
            action: Action::NoAction,
            felt_heard: None,
            notes: String::new(),
            resident: None,
            consents: vec![],
            involvement: None,
            commitments: vec![],
            asked: String::new(),
            language: None,
        };
        if outcome != ContactOutcome::Talked {
            return errors.into_result().map(|_| base);
        }
        let action = match self.action.as_str() {
            "" | "no_action" => Action::NoAction,
            "resolved_on_the_spot" => Action::ResolvedOnTheSpot,
            "referred_to_service" => Action::ReferredToService { service_id: self.service_id.clone() },
            "referred_to_partner" => Action::ReferredToPartner { partner_id: self.partner_id.clone() },
            "follow_up" => Action::FollowUp { owner_id: self.owner_id.clone(), due_on: self.due_on.clone() },
            _ => {
                errors.add("action", td_string!(locale, outreach_draft.choose_action));
                Action::NoAction
            }
        };
        // Like the service referred to, commitments belong to their choice of what was done: the
        // draft keeps them if the worker changes their mind, the record only with a follow-up.
        let commitments = if matches!(action, Action::FollowUp { .. }) {
            self.commitments.iter().filter_map(DraftCommitment::to_commitment).collect()
        } else {
            vec![]
        };
        let action_is_referral = action.is_referral();
        let felt_heard = match self.felt_heard.as_str() {
            "" => None,
            s => s.parse::<u8>().ok().or_else(|| {
                errors.add("felt_heard", td_string!(locale, outreach_draft.choose_score));
                None
            }),
        };
        let basis = match self.lawful_basis.as_str() {
            "public_task" => LawfulBasis::PublicTask,
            "legitimate_interests" => LawfulBasis::LegitimateInterests,
            _ => LawfulBasis::Consent,
        };
        let resident = self.has_resident().then(|| ResidentDetails {
            id: self.resident_id.clone(),
            name: self.resident_name.trim().to_string(),
            contact: self.resident_contact.trim().to_string(),
            preferred_language: self.resident_language.trim().to_string(),
        });
        let consents = if resident.is_some() {
            ConsentPurpose::ALL
                .into_iter()
                .filter_map(|p| {
                    self.consent(p).filter(|a| !a.is_empty()).map(|a| ConsentDecision {
                        purpose: p,
                        granted: a == "yes",
                        lawful_basis: basis,
                        wording: Some(p.wording_in(crate::language::choice::code(locale)).to_string()),
                    })
                })
                .collect()
        } else {
            vec![]
        };
        let channel = match self.channel.as_str() {
            "phone" => Some(ContactChannel::Phone),
            "email" => Some(ContactChannel::Email),
            "text" => Some(ContactChannel::Text),
            "post" => Some(ContactChannel::Post),
            "in_person" => Some(ContactChannel::InPerson),
            _ => None,
        };
        let involvement = Involvement {
            interests: self.interests.clone(),
            skills: self.skills.trim().to_string(),
            availability: self.availability.trim().to_string(),
            channel,
        };
        let record = InteractionRecord {
            issues: self.issues.clone(),
            action,
            felt_heard,
            notes: self.notes.trim().to_string(),
            resident,
            consents,
            involvement: (!involvement.is_empty()).then_some(involvement),
            commitments,
            // Like the reason for a commitment not kept: only sent with what it belongs to.
            asked: if action_is_referral { self.asked.trim().to_string() } else { String::new() },
            // Anything but the three answers offered is "not said".
            language: crate::domain::outreach::SpokenLanguage::parse(self.conversation_language.trim()),
            ..base
        };
        errors.into_result().map(|_| record)
    }
}

/// The best open opportunities for what the resident said at the door, best first. What was
/// not asked (age, DBS, times when nothing was said) does not exclude anything: the worker
/// reads out each match's requirements instead.
pub fn door_matches(
    draft: &InteractionDraft,
    opportunities: &[crate::api::CachedOpportunity],
    limit: usize,
) -> Vec<crate::domain::matching::Match> {
    use crate::domain::matching::{rank, AgeBand, Profile, Week};
    use crate::domain::volunteering::{skill_list, week_from_words};
    if draft.interests.is_empty() && draft.skills.trim().is_empty() {
        return Vec::new();
    }
    let said = week_from_words(&draft.availability);
    let profile = Profile {
        interests: draft.interests.clone(),
        skills: skill_list(&draft.skills),
        areas: vec![draft.area_id.clone()],
        availability: if said.is_empty() { Week::ALL } else { said },
        age: AgeBand::From65,
        has_dbs: true,
    };
    // Only what shares an interest or a skill with them, then the best `limit` of those.
    let candidates: Vec<_> = opportunities
        .iter()
        .map(|o| o.for_matching())
        .filter(|o| o.interests.iter().any(|i| profile.interests.contains(i)) || o.skills.iter().any(|s| profile.skills.contains(s)))
        .collect();
    rank(&profile, &candidates, limit)
}

impl InteractionDraft {
    /// The form again for a saved record (to correct one the server set aside).
    pub fn from_record(id: &str, r: &InteractionRecord, occurred_at_local: String) -> InteractionDraft {
        let (mut service_id, mut partner_id, mut owner_id, mut due_on) = (String::new(), String::new(), String::new(), String::new());
        match &r.action {
            Action::NoAction | Action::ResolvedOnTheSpot => {}
            Action::ReferredToService { service_id: id } => service_id = id.clone(),
            Action::ReferredToPartner { partner_id: id } => partner_id = id.clone(),
            Action::FollowUp { owner_id: owner, due_on: due } => (owner_id, due_on) = (owner.clone(), due.clone()),
        }
        let action = r.action.as_str();
        let resident = r.resident.clone().unwrap_or_default();
        let involvement = r.involvement.clone().unwrap_or_default();
        InteractionDraft {
            id: id.to_string(),
            kind: r.kind.as_str().to_string(),
            area_id: r.area_id.clone(),
            address: r.address.clone(),
            occurred_at: occurred_at_local,
            issues: r.issues.clone(),
            action: action.to_string(),
            service_id,
            partner_id,
            asked: r.asked.clone(),
            conversation_language: r.language.map(|l| l.as_str().to_string()).unwrap_or_default(),
            owner_id,
            due_on,
            felt_heard: r.felt_heard.map(|f| f.to_string()).unwrap_or_default(),
            notes: r.notes.clone(),
            resident_id: resident.id,
            resident_name: resident.name,
            resident_contact: resident.contact,
            resident_language: resident.preferred_language,
            consents: r
                .consents
                .iter()
                .map(|c| (c.purpose.as_str().to_string(), if c.granted { "yes" } else { "no" }.to_string()))
                .collect(),
            lawful_basis: r.consents.first().map(|c| c.lawful_basis.as_str()).unwrap_or("consent").to_string(),
            interests: involvement.interests,
            skills: involvement.skills,
            availability: involvement.availability,
            channel: involvement.channel.map(|c| c.as_str().to_string()).unwrap_or_default(),
            register: Vec::new(),
            commitments: r.commitments.iter().enumerate().map(|(n, c)| DraftCommitment::from_commitment(format!("{id}:{n}"), c)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> InteractionDraft {
        InteractionDraft {
            id: "i-1".into(),
            area_id: "a".into(),
            issues: vec!["t".into()],
            action: "follow_up".into(),
            owner_id: "me".into(),
            due_on: "2026-12-01".into(),
            felt_heard: "5".into(),
            resident_id: "r-1".into(),
            resident_name: " Mo ".into(),
            consents: vec![("contact_about_issue".into(), "yes".into()), ("volunteering_opportunities".into(), "no".into())],
            lawful_basis: "public_task".into(),
            skills: "Cooking".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_typed_form_becomes_a_record() {
        let r = draft().to_record(Locale::en, InteractionKind::Doorstep, None, Some(1_800_000_000), ContactOutcome::Talked).unwrap();
        assert_eq!(r.action, Action::FollowUp { owner_id: "me".into(), due_on: "2026-12-01".into() });
        assert_eq!(r.felt_heard, Some(5));
        assert_eq!(r.resident.as_ref().unwrap().name, "Mo");
        assert_eq!(r.consents.len(), 2);
        assert!(r.consents.iter().all(|c| c.lawful_basis == LawfulBasis::PublicTask));
        assert!(!r.consents[1].granted);
        assert_eq!(r.involvement.unwrap().skills, "Cooking");
    }

    #[test]
    fn commitments_go_with_a_follow_up_and_come_back_to_the_form() {
        let mut d = draft();
        let row = |key: &str, side: &str, text: &str, owner: &str, due: &str, service: &str| DraftCommitment {
            key: key.into(),
            side: side.into(),
            text: text.into(),
            owner_id: owner.into(),
            due_on: due.into(),
            service_id: service.into(),
        };
        d.commitments =
            vec![row("a", "we", " Chase Housing ", "me", "2027-01-20", "repairs"), row("b", "you", "Try the food bank", "me", " ", "")];
        let r = d.to_record(Locale::en, InteractionKind::Doorstep, None, Some(1_800_000_000), ContactOutcome::Talked).unwrap();
        assert_eq!(
            r.commitments,
            [
                Commitment {
                    side: Side::We,
                    text: "Chase Housing".into(),
                    owner_id: Some("me".into()),
                    due_on: Some("2027-01-20".into()),
                    service_id: Some("repairs".into()),
                },
                Commitment { side: Side::You, text: "Try the food bank".into(), owner_id: None, due_on: None, service_id: None },
            ],
            "trimmed; what the resident can do has no owner"
        );
        let back = InteractionDraft::from_record("i-1", &r, String::new());
        assert_eq!(
            back.commitments.iter().map(|c| (c.side.as_str(), c.text.as_str(), c.service_id.as_str())).collect::<Vec<_>>(),
            [("we", "Chase Housing", "repairs"), ("you", "Try the food bank", "")]
        );
        d.action = "resolved_on_the_spot".into();
        let r = d.to_record(Locale::en, InteractionKind::Doorstep, None, Some(1_800_000_000), ContactOutcome::Talked).unwrap();
        assert!(r.commitments.is_empty(), "no follow-up: kept in the draft, not in the record");
        assert_eq!(d.commitments.len(), 2);
        // A draft saved before commitments existed still opens.
        let old: InteractionDraft = serde_json::from_value(serde_json::json!({
            "id": "x", "area_id": "", "address": "", "occurred_at": "", "issues": [], "action": "", "service_id": "",
            "owner_id": "", "due_on": "", "felt_heard": "", "notes": "", "resident_id": "", "resident_name": "",
            "resident_contact": "", "resident_language": "", "consents": [], "lawful_basis": "", "interests": [],
            "skills": "", "availability": "", "channel": ""
        }))
        .unwrap();
        assert!(old.commitments.is_empty());
    }

    #[test]
    fn a_one_tap_outcome_keeps_only_where_and_when() {
        let r = draft().to_record(Locale::en, InteractionKind::Doorstep, None, Some(1_800_000_000), ContactOutcome::NoOneHome).unwrap();
        assert!(r.issues.is_empty() && r.resident.is_none() && r.felt_heard.is_none());
        assert_eq!(r.action, Action::NoAction);
    }

    #[test]
    fn without_resident_details_no_consent_is_recorded_and_a_bad_time_is_named() {
        let mut d = draft();
        d.resident_name.clear();
        let r = d.to_record(Locale::en, InteractionKind::Doorstep, None, Some(1), ContactOutcome::Talked).unwrap();
        assert!(r.resident.is_none() && r.consents.is_empty());
        let e = d.to_record(Locale::en, InteractionKind::Doorstep, None, None, ContactOutcome::Talked).unwrap_err();
        assert_eq!(e.text("occurred_at").as_deref(), Some(td_string!(crate::i18n::Locale::en, outreach_draft.enter_date_and_time)));
    }

    #[test]
    fn the_door_matches_what_was_said_and_leaves_unasked_rules_to_the_worker() {
        use crate::api::CachedOpportunity;
        use crate::domain::matching::Week;
        let opp = |id: &str, interest: &str, times: Week, dbs: bool| CachedOpportunity {
            id: id.into(),
            title: id.into(),
            interests: vec![interest.into()],
            areas: vec!["mill".into()],
            times: times.0,
            dbs_required: dbs,
            minimum_age: 18,
            ..Default::default()
        };
        let cached = [
            opp("garden", "gardening", Week::slot(5, 0), false),
            opp("befriend", "befriending", Week::slot(2, 1), true),
            opp("evening-garden", "gardening", Week::slot(0, 2), false),
        ];
        let mut d = draft();
        d.area_id = "mill".into();
        d.interests = vec![];
        d.skills = String::new();
        assert!(door_matches(&d, &cached, 5).is_empty(), "nothing said, nothing suggested");
        d.interests = vec!["gardening".into()];
        d.availability = "Saturday mornings".into();
        let ids: Vec<String> = door_matches(&d, &cached, 5).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, ["garden"], "the evening one does not fit the times they said");
        d.availability = String::new();
        let ids: Vec<String> = door_matches(&d, &cached, 5).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, ["evening-garden", "garden"], "no times said: both, ties by id");
        d.interests = vec!["befriending".into()];
        assert_eq!(door_matches(&d, &cached, 5)[0].id, "befriend", "DBS and age are not asked at the door: shown, not hidden");
        // Local opportunities with nothing in common never crowd out one that shares an interest.
        let mut many: Vec<CachedOpportunity> = (0..10).map(|i| opp(&format!("local-{i}"), "knitting", Week::default(), false)).collect();
        let mut far = opp("far-befriend", "befriending", Week::default(), false);
        far.areas = vec!["river".into()];
        many.push(far);
        let ids: Vec<String> = door_matches(&d, &many, 5).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, ["far-befriend"]);
    }
}
