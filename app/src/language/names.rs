//! The names of the app's fixed things (roles, channels, stages, statuses…) in the page's
//! language: `thing.name(locale)`. The domain's own `label()` stays the English name, for logs
//! and for what is stored; people read these.

use crate::domain::channel::InteractionKind;
use crate::domain::cluster::Trend;
use crate::domain::commitment::Side;
use crate::domain::consent::ConsentPurpose;
use crate::domain::consultation::{OutcomeStatus, QuestionKind, Stage};
use crate::domain::mail::{MessageKind, MessageStatus};
use crate::domain::matching::AgeBand;
use crate::domain::privacy::{AuditAction, RequestKind, RetentionClass};
use crate::domain::referral::{ReferralStatus, Step};
use crate::domain::volunteering::{InterestStatus, OpportunityStatus};
use crate::domain::{OrganisationKind, Role};
use crate::i18n::{td_string, Locale};

/// A fixed thing's name, in `locale`'s words.
pub trait HasName {
    fn name(self, locale: Locale) -> &'static str;
}

macro_rules! named {
    ($ty:ident { $($variant:ident => $key:ident),+ $(,)? }) => {
        impl HasName for $ty {
            fn name(self, locale: Locale) -> &'static str {
                match self {
                    $($ty::$variant => td_string!(locale, names.$key),)+
                }
            }
        }
    };
}

named!(Role { Admin => role_admin, OutreachWorker => role_outreach_worker, GroupOrganiser => role_group_organiser, Resident => role_resident });
named!(OrganisationKind {
    Council => org_council,
    HousingAssociation => org_housing_association,
    Charity => org_charity,
    CommunityGroup => org_community_group,
});
named!(Side { We => side_we, You => side_you });
named!(InteractionKind {
    Doorstep => kind_doorstep,
    Event => kind_event,
    Counter => kind_counter,
    Phone => kind_phone,
    HomeVisit => kind_home_visit,
    Online => kind_online,
});
named!(Trend { New => trend_new, Growing => trend_growing, Steady => trend_steady, Shrinking => trend_shrinking });
named!(ReferralStatus {
    Sent => referral_sent,
    Accepted => referral_accepted,
    Answered => referral_answered,
    Declined => referral_declined,
});
named!(Step { Chased => step_chased, Accepted => step_accepted, Answered => step_answered, Declined => step_declined });
named!(AgeBand {
    Under16 => age_under_16,
    From16To17 => age_16_17,
    From18To24 => age_18_24,
    From25To64 => age_25_64,
    From65 => age_65_over,
});
named!(MessageKind {
    OutcomeUpdate => mail_outcome_update,
    AccountInvitation => mail_account_invitation,
    EmailVerification => mail_email_verification,
    PasswordReset => mail_password_reset,
    AccountExists => mail_account_exists,
    AddressConfirmation => mail_address_confirmation,
    ConsultationInvitation => mail_consultation_invitation,
    FollowUpResolved => mail_follow_up_resolved,
    CommitmentsAgreed => mail_commitments_agreed,
    GroupDecision => mail_group_decision,
    CommunityInvitation => mail_community_invitation,
    CommunityUpdate => mail_community_update,
});
named!(MessageStatus { Waiting => mail_waiting, Sent => mail_sent, Failed => mail_failed, Cancelled => mail_cancelled });
named!(Stage {
    Draft => stage_draft,
    OpenForIdeas => stage_open_for_ideas,
    OpenForFeedback => stage_open_for_feedback,
    Closed => stage_closed,
    Decided => stage_decided,
});
named!(QuestionKind { SingleChoice => question_single, MultipleChoice => question_multiple, Scale => question_scale, FreeText => question_free_text });
named!(OutcomeStatus {
    UnderConsideration => outcome_under_consideration,
    Accepted => outcome_accepted,
    InProgress => outcome_in_progress,
    Done => outcome_done,
    NotTakenForward => outcome_not_taken_forward,
});
named!(ConsentPurpose {
    ContactAboutIssue => consent_contact_about_issue,
    ConsultationInvitations => consent_consultation_invitations,
    VolunteeringOpportunities => consent_volunteering_opportunities,
    ShareWithReferredService => consent_share_with_referred_service,
});
named!(RetentionClass {
    ResidentDetails => retention_resident_details,
    ConversationNotes => retention_conversation_notes,
    Volunteering => retention_volunteering,
    ConsultationContact => retention_consultation_contact,
    PartnerRequests => retention_partner_requests,
});
named!(RequestKind { Access => request_access, Erasure => request_erasure });
named!(AuditAction {
    Viewed => audit_viewed,
    Exported => audit_exported,
    Changed => audit_changed,
    Erased => audit_erased,
    RequestLogged => audit_request_logged,
    RequestClosed => audit_request_closed,
    RetentionRun => audit_retention_run,
    PolicyChanged => audit_policy_changed,
    Linked => audit_linked,
    Unlinked => audit_unlinked,
});
named!(OpportunityStatus { Draft => opportunity_draft, Open => opportunity_open, Filled => opportunity_filled, Closed => opportunity_closed });
named!(InterestStatus { New => interest_new, Contacted => interest_contacted, Placed => interest_placed, Declined => interest_declined });

/// What happens to one class of record when its time is up.
pub fn retention_effect(locale: Locale, class: RetentionClass) -> &'static str {
    match class {
        RetentionClass::ResidentDetails => td_string!(locale, names.effect_resident_details),
        RetentionClass::ConversationNotes => td_string!(locale, names.effect_conversation_notes),
        RetentionClass::Volunteering => td_string!(locale, names.effect_volunteering),
        RetentionClass::ConsultationContact => td_string!(locale, names.effect_consultation_contact),
        RetentionClass::PartnerRequests => td_string!(locale, names.effect_partner_requests),
    }
}

/// A number of residents in words, small numbers held back (`domain::intelligence`): "No
/// residents", "Fewer than 5 residents", "23 residents".
pub fn residents(locale: Locale, count: i64) -> String {
    use crate::domain::intelligence::SUPPRESS_BELOW;
    match count {
        ..=0 => td_string!(locale, names.no_residents).to_string(),
        n if n < SUPPRESS_BELOW => td_string!(locale, names.fewer_than_residents, limit = SUPPRESS_BELOW),
        n => td_string!(locale, names.residents_count, count = n as u64),
    }
}

/// A cluster in a line: "Fly-tipping, Mill Ward: 14 residents in 30 days".
pub fn cluster_summary(locale: Locale, theme: &str, area: &str, count: i64, days: i64) -> String {
    td_string!(locale, names.cluster_summary, theme = theme, area = area, residents = residents(locale, count), days = days)
}

/// How a cluster compares with the period before, small numbers held back: "up from 6", "down
/// from fewer than 5", "none in the period before".
pub fn compared(locale: Locale, now: i64, before: i64) -> String {
    use crate::domain::intelligence::SUPPRESS_BELOW;
    let then = if before > 0 && before < SUPPRESS_BELOW {
        td_string!(locale, names.fewer_than, limit = SUPPRESS_BELOW)
    } else {
        before.to_string()
    };
    match Trend::of(now, before) {
        Trend::New => td_string!(locale, names.compared_new).to_string(),
        Trend::Growing => td_string!(locale, names.compared_up, then = then),
        Trend::Steady => td_string!(locale, names.compared_same).to_string(),
        Trend::Shrinking => td_string!(locale, names.compared_down, then = then),
    }
}

/// A section of everything held about a resident, by its key (`server::repo::privacy`).
pub fn record_section(locale: Locale, key: &str) -> &str {
    match key {
        "resident" => td_string!(locale, resident_records.section_resident),
        "consents" => td_string!(locale, resident_records.section_consents),
        "current_consents" => td_string!(locale, resident_records.section_current_consents),
        "conversations" => td_string!(locale, resident_records.section_conversations),
        "issues" => td_string!(locale, resident_records.section_issues),
        "follow_ups" => td_string!(locale, resident_records.section_follow_ups),
        "commitments" => td_string!(locale, resident_records.section_commitments),
        "referrals" => td_string!(locale, resident_records.section_referrals),
        "referral_steps" => td_string!(locale, resident_records.section_referral_steps),
        "community_invitations" => td_string!(locale, resident_records.section_community_invitations),
        "follow_up_updates" => td_string!(locale, resident_records.section_follow_up_updates),
        "volunteer_profile" => td_string!(locale, resident_records.section_volunteer_profile),
        "volunteer_interests" => td_string!(locale, resident_records.section_volunteer_interests),
        "account" => td_string!(locale, resident_records.section_account),
        "consultation_responses" => td_string!(locale, resident_records.section_consultation_responses),
        "answers" => td_string!(locale, resident_records.section_answers),
        "ideas" => td_string!(locale, resident_records.section_ideas),
        "comments" => td_string!(locale, resident_records.section_comments),
        "supports" => td_string!(locale, resident_records.section_supports),
        "messages" => td_string!(locale, resident_records.section_messages),
        "invitations" => td_string!(locale, resident_records.section_invitations),
        "reports" => td_string!(locale, resident_records.section_reports),
        "requests" => td_string!(locale, resident_records.section_requests),
        "audit" => td_string!(locale, resident_records.section_audit),
        other => other,
    }
}

/// A column of a section of a resident's record, by its name in the data (`created_at`), as a
/// heading in `locale`; a name it does not know, with its underscores as spaces.
pub fn record_column(locale: Locale, key: &str) -> String {
    match key {
        "about" => td_string!(locale, resident_records.col_about).to_string(),
        "accepted_at" => td_string!(locale, resident_records.col_accepted_at).to_string(),
        "action" => td_string!(locale, resident_records.col_action).to_string(),
        "active" => td_string!(locale, resident_records.col_active).to_string(),
        "address" => td_string!(locale, resident_records.col_address).to_string(),
        "age_band" => td_string!(locale, resident_records.col_age_band).to_string(),
        "answer" => td_string!(locale, resident_records.col_answer).to_string(),
        "area" => td_string!(locale, resident_records.col_area).to_string(),
        "areas" => td_string!(locale, resident_records.col_areas).to_string(),
        "asked" => td_string!(locale, resident_records.col_asked).to_string(),
        "at" => td_string!(locale, resident_records.col_at).to_string(),
        "availability" => td_string!(locale, resident_records.col_availability).to_string(),
        "closed_at" => td_string!(locale, resident_records.col_closed_at).to_string(),
        "comment" => td_string!(locale, resident_records.col_comment).to_string(),
        "community_response" => td_string!(locale, resident_records.col_community_response).to_string(),
        "completed_at" => td_string!(locale, resident_records.col_completed_at).to_string(),
        "consultation" => td_string!(locale, resident_records.col_consultation).to_string(),
        "contact" => td_string!(locale, resident_records.col_contact).to_string(),
        "contact_shared" => td_string!(locale, resident_records.col_contact_shared).to_string(),
        "conversation" => td_string!(locale, resident_records.col_conversation).to_string(),
        "created_at" => td_string!(locale, resident_records.col_created_at).to_string(),
        "decision" => td_string!(locale, resident_records.col_decision).to_string(),
        "detail" => td_string!(locale, resident_records.col_detail).to_string(),
        "due_on" => td_string!(locale, resident_records.col_due_on).to_string(),
        "email" => td_string!(locale, resident_records.col_email).to_string(),
        "erased_at" => td_string!(locale, resident_records.col_erased_at).to_string(),
        "felt_heard" => td_string!(locale, resident_records.col_felt_heard).to_string(),
        "follow_up" => td_string!(locale, resident_records.col_follow_up).to_string(),
        "group" => td_string!(locale, resident_records.col_group).to_string(),
        "has_dbs" => td_string!(locale, resident_records.col_has_dbs).to_string(),
        "how" => td_string!(locale, resident_records.col_how).to_string(),
        "id" => td_string!(locale, resident_records.col_id).to_string(),
        "idea" => td_string!(locale, resident_records.col_idea).to_string(),
        "interests" => td_string!(locale, resident_records.col_interests).to_string(),
        "invited_at" => td_string!(locale, resident_records.col_invited_at).to_string(),
        "involvement" => td_string!(locale, resident_records.col_involvement).to_string(),
        "kind" => td_string!(locale, resident_records.col_kind).to_string(),
        "lawful_basis" => td_string!(locale, resident_records.col_lawful_basis).to_string(),
        "linked_at" => td_string!(locale, resident_records.col_linked_at).to_string(),
        "linked_to_account_record" => td_string!(locale, resident_records.col_linked_to_account_record).to_string(),
        "made_by" => td_string!(locale, resident_records.col_made_by).to_string(),
        "message" => td_string!(locale, resident_records.col_message).to_string(),
        "name" => td_string!(locale, resident_records.col_name).to_string(),
        "name_shown" => td_string!(locale, resident_records.col_name_shown).to_string(),
        "note" => td_string!(locale, resident_records.col_note).to_string(),
        "notes" => td_string!(locale, resident_records.col_notes).to_string(),
        "occurred_at" => td_string!(locale, resident_records.col_occurred_at).to_string(),
        "open_to_suggestions" => td_string!(locale, resident_records.col_open_to_suggestions).to_string(),
        "opportunity" => td_string!(locale, resident_records.col_opportunity).to_string(),
        "outcome" => td_string!(locale, resident_records.col_outcome).to_string(),
        "outcome_reason" => td_string!(locale, resident_records.col_outcome_reason).to_string(),
        "owner" => td_string!(locale, resident_records.col_owner).to_string(),
        "preferred_language" => td_string!(locale, resident_records.col_preferred_language).to_string(),
        "purpose" => td_string!(locale, resident_records.col_purpose).to_string(),
        "question" => td_string!(locale, resident_records.col_question).to_string(),
        "reason" => td_string!(locale, resident_records.col_reason).to_string(),
        "received_at" => td_string!(locale, resident_records.col_received_at).to_string(),
        "received_on" => td_string!(locale, resident_records.col_received_on).to_string(),
        "recorded_by" => td_string!(locale, resident_records.col_recorded_by).to_string(),
        "referral" => td_string!(locale, resident_records.col_referral).to_string(),
        "referred_to" => td_string!(locale, resident_records.col_referred_to).to_string(),
        "reported" => td_string!(locale, resident_records.col_reported).to_string(),
        "resolution_note" => td_string!(locale, resident_records.col_resolution_note).to_string(),
        "resolved_at" => td_string!(locale, resident_records.col_resolved_at).to_string(),
        "resolved_by" => td_string!(locale, resident_records.col_resolved_by).to_string(),
        "response" => td_string!(locale, resident_records.col_response).to_string(),
        "role" => td_string!(locale, resident_records.col_role).to_string(),
        "sent_at" => td_string!(locale, resident_records.col_sent_at).to_string(),
        "service" => td_string!(locale, resident_records.col_service).to_string(),
        "side" => td_string!(locale, resident_records.col_side).to_string(),
        "signed_up_at" => td_string!(locale, resident_records.col_signed_up_at).to_string(),
        "since" => td_string!(locale, resident_records.col_since).to_string(),
        "skills" => td_string!(locale, resident_records.col_skills).to_string(),
        "state" => td_string!(locale, resident_records.col_state).to_string(),
        "status" => td_string!(locale, resident_records.col_status).to_string(),
        "status_changed_at" => td_string!(locale, resident_records.col_status_changed_at).to_string(),
        "step" => td_string!(locale, resident_records.col_step).to_string(),
        "subject" => td_string!(locale, resident_records.col_subject).to_string(),
        "text" => td_string!(locale, resident_records.col_text).to_string(),
        "theme" => td_string!(locale, resident_records.col_theme).to_string(),
        "title" => td_string!(locale, resident_records.col_title).to_string(),
        "to" => td_string!(locale, resident_records.col_to).to_string(),
        "updated_at" => td_string!(locale, resident_records.col_updated_at).to_string(),
        "wants_the_outcome" => td_string!(locale, resident_records.col_wants_the_outcome).to_string(),
        "what" => td_string!(locale, resident_records.col_what).to_string(),
        "who" => td_string!(locale, resident_records.col_who).to_string(),
        "wording_shown" => td_string!(locale, resident_records.col_wording_shown).to_string(),
        "worker" => td_string!(locale, resident_records.col_worker).to_string(),
        other => other.replace('_', " "),
    }
}

/// How long a section outside the retention classes is kept, by its key ('' for none).
pub fn record_kept(locale: Locale, key: &str) -> &'static str {
    match key {
        "community_response" => td_string!(locale, resident_records.kept_community_response),
        "answers" => td_string!(locale, resident_records.kept_answers),
        "removed_if_erased" => td_string!(locale, resident_records.kept_removed_if_erased),
        "as_a_count" => td_string!(locale, resident_records.kept_as_a_count),
        "nobody_twice" => td_string!(locale, resident_records.kept_nobody_twice),
        "reports" => td_string!(locale, resident_records.kept_reports),
        "how_handled" => td_string!(locale, resident_records.kept_how_handled),
        _ => "",
    }
}

/// Who did what the app did on its own (a scheduled retention run).
pub fn scheduled(locale: Locale) -> &'static str {
    td_string!(locale, names.scheduled)
}

/// Where a resident's offer to volunteer stands, as they read it.
pub fn interest_for_resident(locale: Locale, status: InterestStatus) -> &'static str {
    match status {
        InterestStatus::New => td_string!(locale, names.offer_new),
        InterestStatus::Contacted => td_string!(locale, names.offer_contacted),
        InterestStatus::Placed => td_string!(locale, names.offer_placed),
        InterestStatus::Declined => td_string!(locale, names.offer_declined),
    }
}

/// The five points of an agreement scale, "1 – Strongly disagree" to "5 – Strongly agree".
pub fn scale_point(locale: Locale, point: usize) -> &'static str {
    match point {
        1 => td_string!(locale, names.scale_1),
        2 => td_string!(locale, names.scale_2),
        3 => td_string!(locale, names.scale_3),
        4 => td_string!(locale, names.scale_4),
        _ => td_string!(locale, names.scale_5),
    }
}

/// A minimum age a group can choose (`domain::volunteering::MINIMUM_AGES`), by its years.
pub fn minimum_age(locale: Locale, years: i64) -> &'static str {
    match years {
        16 => td_string!(locale, names.min_age_16),
        18 => td_string!(locale, names.min_age_18),
        25 => td_string!(locale, names.min_age_25),
        _ => td_string!(locale, names.min_age_none),
    }
}

/// A part of a consultation still to be written in Welsh, as the person who must write it reads it.
pub fn part_name(locale: Locale, part: crate::domain::bilingual::PartName) -> String {
    use crate::domain::bilingual::PartName;
    match part {
        PartName::Title => td_string!(locale, names.part_title).to_string(),
        PartName::Summary => td_string!(locale, names.part_summary).to_string(),
        PartName::Background => td_string!(locale, names.part_background).to_string(),
        PartName::Question(n) => td_string!(locale, names.part_question, n = n).to_string(),
        PartName::QuestionHint(n) => td_string!(locale, names.part_question_hint, n = n).to_string(),
        PartName::Choices(n) => td_string!(locale, names.part_choices, n = n).to_string(),
    }
}

/// A date ("2026-12-01") in words: "1 December 2026", "1 Rhagfyr 2026"; as given if it is not one.
pub fn long_date(locale: Locale, iso: &str) -> String {
    let mut parts = iso.trim().splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return iso.to_string() };
    let (Ok(day), Ok(month)) = (d.parse::<u32>(), m.parse::<usize>()) else { return iso.to_string() };
    match month_name(locale, month) {
        Some(name) if (1..=31).contains(&day) && y.len() == 4 => format!("{day} {name} {y}"),
        _ => iso.to_string(),
    }
}

/// A month's name, January = 1.
pub fn month_name(locale: Locale, month: usize) -> Option<&'static str> {
    Some(match month {
        1 => td_string!(locale, names.month_1),
        2 => td_string!(locale, names.month_2),
        3 => td_string!(locale, names.month_3),
        4 => td_string!(locale, names.month_4),
        5 => td_string!(locale, names.month_5),
        6 => td_string!(locale, names.month_6),
        7 => td_string!(locale, names.month_7),
        8 => td_string!(locale, names.month_8),
        9 => td_string!(locale, names.month_9),
        10 => td_string!(locale, names.month_10),
        11 => td_string!(locale, names.month_11),
        12 => td_string!(locale, names.month_12),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn things_and_dates_are_named_in_each_language() {
        assert_eq!(Role::OutreachWorker.name(Locale::en), Role::OutreachWorker.label());
        assert_eq!(Role::OutreachWorker.name(Locale::cy), "Gweithiwr allgymorth");
        assert_eq!(InteractionKind::Phone.name(Locale::cy), "Dros y ffôn");
        assert_eq!(long_date(Locale::en, "2026-12-01"), "1 December 2026");
        assert_eq!(long_date(Locale::cy, "2027-03-20"), "20 Mawrth 2027");
        assert_eq!(long_date(Locale::cy, "2027-13-20"), "2027-13-20");
        assert_eq!(long_date(Locale::en, "not a date"), "not a date");
        assert_eq!(scale_point(Locale::cy, 5), "5 – Cytuno'n gryf");
    }

    #[test]
    fn a_records_columns_are_headed_in_the_readers_language() {
        assert_eq!(record_column(Locale::en, "created_at"), "Created");
        assert_eq!(record_column(Locale::cy, "id"), "Cyfeirnod");
        assert_eq!(record_column(Locale::en, "not_known_yet"), "not known yet");
        assert_eq!(record_section(Locale::cy, "consents"), "Penderfyniadau caniatâd");
        assert_eq!(record_kept(Locale::en, ""), "");
    }

    #[test]
    fn counts_of_residents_are_said_with_small_numbers_held_back() {
        assert_eq!(residents(Locale::en, 0), "No residents");
        assert_eq!(residents(Locale::en, 1), "Fewer than 5 residents");
        assert_eq!(residents(Locale::en, 4), "Fewer than 5 residents");
        assert_eq!(residents(Locale::en, 5), "5 residents");
        assert_eq!(residents(Locale::en, 23), "23 residents");
        assert_eq!(residents(Locale::cy, 23), "23 o drigolion");
        assert_eq!(compared(Locale::en, 14, 6), "up from 6");
        assert_eq!(compared(Locale::en, 14, 3), "up from fewer than 5");
        assert_eq!(compared(Locale::en, 10, 20), "down from 20");
        assert_eq!(compared(Locale::en, 10, 0), "none in the period before");
        assert_eq!(compared(Locale::en, 10, 10), "the same as the period before");
        assert_eq!(compared(Locale::cy, 14, 3), "i fyny o lai na 5");
        assert_eq!(cluster_summary(Locale::en, "Fly-tipping", "Mill Ward", 14, 30), "Fly-tipping, Mill Ward: 14 residents in 30 days");
        assert_eq!(
            cluster_summary(Locale::cy, "Tipio anghyfreithlon", "Ward y Felin", 14, 30),
            "Tipio anghyfreithlon, Ward y Felin: 14 o drigolion mewn 30 diwrnod"
        );
    }
}
