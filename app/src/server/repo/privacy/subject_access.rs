//! Subject access: everything held about one person, section by section.

use super::*;
use crate::domain::privacy::{ConsentState, RetentionClass};
use crate::server::Db;
use sqlx::Row;

/// What each section reads: key (its title is `language::names::record_section`), retention
/// class, column names and a query whose every column is text (`$1`: the resident, `$2`: the
/// organisation).
pub(super) struct Source {
    key: &'static str,
    class: Option<RetentionClass>,
    /// How long it is kept, for a source outside the retention classes: a key of
    /// `language::names::record_kept` ('' for none).
    kept: &'static str,
    columns: &'static [&'static str],
    sql: &'static str,
}

pub(super) const SOURCES: &[Source] = &[
    Source {
        key: "resident",
        class: Some(RetentionClass::ResidentDetails),
        kept: "",
        columns: &["id", "name", "contact", "preferred_language", "recorded_by", "created_at", "erased_at", "linked_to_account_record", "linked_at"],
        sql: "SELECT r.id, r.name, r.contact, r.preferred_language, u.display_name, CAST(r.created_at AS TEXT), CAST(r.erased_at AS TEXT), \
              r.linked_to, CAST(r.linked_at AS TEXT) FROM residents r LEFT JOIN users u ON u.id = r.created_by WHERE r.id = $1 AND r.organisation_id = $2",
    },
    Source {
        key: "consents",
        class: Some(RetentionClass::ResidentDetails),
        kept: "",
        columns: &["purpose", "decision", "lawful_basis", "wording_shown", "how", "recorded_by", "occurred_at", "received_at"],
        sql: "SELECT c.purpose, CASE WHEN c.granted = 1 THEN 'yes' ELSE 'no' END, c.lawful_basis, c.wording, c.method, u.display_name, \
              CAST(c.occurred_at AS TEXT), CAST(c.received_at AS TEXT) \
              FROM consents c LEFT JOIN users u ON u.id = c.recorded_by WHERE c.resident_id = $1 AND c.organisation_id = $2 \
              ORDER BY c.occurred_at, c.received_at, c.id",
    },
    Source {
        key: "conversations",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &[
            "id",
            "occurred_at",
            "kind",
            "area",
            "address",
            "outcome",
            "action",
            "referred_to",
            "felt_heard",
            "notes",
            "involvement",
            "worker",
            "received_at",
        ],
        sql: "SELECT i.id, CAST(i.occurred_at AS TEXT), i.kind, a.name, i.address, i.outcome, i.action, s.name, CAST(i.felt_heard AS TEXT), \
              i.notes, i.involvement, u.display_name, CAST(i.received_at AS TEXT) \
              FROM interactions i JOIN areas a ON a.id = i.area_id LEFT JOIN services s ON s.id = i.service_id \
              LEFT JOIN users u ON u.id = i.worker_id WHERE i.resident_id = $1 AND i.organisation_id = $2 ORDER BY i.occurred_at, i.id",
    },
    Source {
        key: "issues",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["conversation", "theme"],
        sql: "SELECT ii.interaction_id, t.name FROM interaction_issues ii JOIN interactions i ON i.id = ii.interaction_id \
              JOIN themes t ON t.id = ii.theme_id WHERE i.resident_id = $1 AND i.organisation_id = $2 ORDER BY i.occurred_at, t.name",
    },
    Source {
        key: "follow_ups",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["conversation", "owner", "due_on", "status", "resolution_note", "resolved_by", "resolved_at", "created_at"],
        sql: "SELECT f.id, o.display_name, f.due_on, f.status, f.resolution_note, rb.display_name, CAST(f.resolved_at AS TEXT), CAST(f.created_at AS TEXT) \
              FROM follow_ups f JOIN interactions i ON i.id = f.id LEFT JOIN users o ON o.id = f.owner_id \
              LEFT JOIN users rb ON rb.id = f.resolved_by WHERE i.resident_id = $1 AND f.organisation_id = $2 ORDER BY f.created_at, f.id",
    },
    Source {
        key: "commitments",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["follow_up", "side", "text", "owner", "service", "due_on", "status", "outcome_reason", "created_at"],
        sql: "SELECT c.follow_up_id, c.side, c.text, o.display_name, s.name, c.due_on, c.status, c.outcome_reason, CAST(c.created_at AS TEXT) \
              FROM commitments c JOIN interactions i ON i.id = c.follow_up_id LEFT JOIN users o ON o.id = c.owner_id \
              LEFT JOIN services s ON s.id = c.service_id WHERE i.resident_id = $1 AND c.organisation_id = $2 ORDER BY c.follow_up_id, c.position",
    },
    Source {
        key: "referrals",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["referral", "conversation", "referred_to", "owner", "asked", "status", "answer", "sent_at", "accepted_at", "closed_at"],
        sql: "SELECT r.id, r.interaction_id, COALESCE(s.name, p.name), o.display_name, r.asked, r.status, r.answer, CAST(r.sent_at AS TEXT), \
              CAST(r.accepted_at AS TEXT), CAST(r.closed_at AS TEXT) \
              FROM referrals r JOIN interactions i ON i.id = r.interaction_id LEFT JOIN services s ON s.id = r.service_id \
              LEFT JOIN organisations p ON p.id = r.partner_id LEFT JOIN users o ON o.id = r.owner_id \
              WHERE i.resident_id = $1 AND r.organisation_id = $2 ORDER BY r.sent_at, r.id",
    },
    Source {
        key: "referral_steps",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["referral", "step", "note", "made_by", "occurred_at"],
        sql: "SELECT rs.referral_id, rs.step, rs.note, u.display_name, CAST(rs.occurred_at AS TEXT) FROM referral_steps rs \
              JOIN referrals r ON r.id = rs.referral_id JOIN interactions i ON i.id = r.interaction_id LEFT JOIN users u ON u.id = rs.made_by \
              WHERE i.resident_id = $1 AND r.organisation_id = $2 ORDER BY rs.occurred_at, rs.id",
    },
    Source {
        key: "community_invitations",
        class: None,
        kept: "community_response",
        columns: &["community_response", "about", "invited_at", "signed_up_at"],
        sql: "SELECT c.title, t.name || ', ' || a.name, CAST(ci.invited_at AS TEXT), CAST(ci.signed_up_at AS TEXT) FROM community_invitations ci \
              JOIN community_responses c ON c.id = ci.response_id JOIN themes t ON t.id = c.theme_id JOIN areas a ON a.id = c.area_id \
              WHERE ci.resident_id IN (SELECT p.id FROM residents p WHERE p.id = $1 OR p.linked_to = $1) AND ci.organisation_id = $2 ORDER BY ci.invited_at",
    },
    Source {
        key: "follow_up_updates",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["follow_up", "made_by", "note", "received_at"],
        sql: "SELECT fu.follow_up_id, u.display_name, fu.note, CAST(fu.received_at AS TEXT) FROM follow_up_updates fu \
              JOIN interactions i ON i.id = fu.follow_up_id LEFT JOIN users u ON u.id = fu.made_by \
              WHERE i.resident_id = $1 AND fu.organisation_id = $2 ORDER BY fu.received_at, fu.id",
    },
    Source {
        key: "volunteer_profile",
        class: Some(RetentionClass::Volunteering),
        kept: "",
        columns: &["interests", "skills", "areas", "availability", "age_band", "has_dbs", "open_to_suggestions", "created_at", "updated_at"],
        sql: "SELECT p.interests, p.skills, p.areas, CAST(p.availability AS TEXT), p.age_band, CAST(p.has_dbs AS TEXT), \
              CAST(p.open_to_suggestions AS TEXT), CAST(p.created_at AS TEXT), CAST(p.updated_at AS TEXT) \
              FROM volunteer_profiles p JOIN residents r ON (p.resident_id = r.id OR (r.user_id IS NOT NULL AND p.user_id = r.user_id)) \
              WHERE r.id = $1 AND r.organisation_id = $2",
    },
    Source {
        key: "volunteer_interests",
        class: Some(RetentionClass::Volunteering),
        kept: "",
        columns: &["id", "opportunity", "group", "status", "message", "contact_shared", "created_at", "status_changed_at"],
        sql: "SELECT v.id, o.title, g.name, v.status, v.message, CAST(v.share_contact AS TEXT), CAST(v.created_at AS TEXT), \
              CAST(v.status_changed_at AS TEXT) FROM volunteer_interests v JOIN opportunities o ON o.id = v.opportunity_id \
              JOIN organisations g ON g.id = v.organisation_id \
              JOIN residents r ON (v.resident_id = r.id OR (r.user_id IS NOT NULL AND v.user_id = r.user_id)) WHERE r.id = $1 AND r.organisation_id = $2 ORDER BY v.created_at, v.id",
    },
    Source {
        key: "account",
        class: Some(RetentionClass::ResidentDetails),
        kept: "",
        columns: &["id", "name", "email", "role", "created_at", "active"],
        sql: "SELECT u.id, u.display_name, u.email, u.role, CAST(u.created_at AS TEXT), CAST(u.active AS TEXT) FROM users u \
              JOIN residents r ON r.user_id = u.id WHERE r.id = $1 AND r.organisation_id = $2",
    },
    Source {
        key: "consultation_responses",
        class: Some(RetentionClass::ConsultationContact),
        kept: "",
        columns: &["id", "consultation", "area", "email", "wants_the_outcome", "created_at", "updated_at"],
        sql: "SELECT resp.id, c.title, a.name, resp.email, CAST(resp.notify_consent AS TEXT), CAST(resp.created_at AS TEXT), CAST(resp.updated_at AS TEXT) \
              FROM responses resp JOIN consultations c ON c.id = resp.consultation_id LEFT JOIN areas a ON a.id = resp.area_id \
              JOIN residents r ON (resp.participant = 'user:' || r.user_id OR (r.contact LIKE '%@%' AND LOWER(resp.email) = LOWER(r.contact))) \
              WHERE r.id = $1 AND resp.organisation_id = $2 ORDER BY resp.created_at, resp.id",
    },
    Source {
        key: "answers",
        class: None,
        kept: "answers",
        columns: &["response", "question", "answer"],
        sql: "SELECT resp.id, q.prompt, an.value FROM answers an JOIN responses resp ON resp.id = an.response_id JOIN questions q ON q.id = an.question_id \
              JOIN residents r ON (resp.participant = 'user:' || r.user_id OR (r.contact LIKE '%@%' AND LOWER(resp.email) = LOWER(r.contact))) \
              WHERE r.id = $1 AND resp.organisation_id = $2 ORDER BY resp.created_at, q.position, an.value",
    },
    Source {
        key: "ideas",
        class: None,
        kept: "removed_if_erased",
        columns: &["id", "consultation", "name_shown", "title", "idea", "status", "created_at"],
        sql: "SELECT p.id, c.title, p.author_name, p.title, p.body, p.status, CAST(p.created_at AS TEXT) FROM proposals p \
              JOIN consultations c ON c.id = p.consultation_id JOIN residents r ON p.participant = 'user:' || r.user_id \
              WHERE r.id = $1 AND p.organisation_id = $2 ORDER BY p.created_at, p.id",
    },
    Source {
        key: "comments",
        class: None,
        kept: "removed_if_erased",
        columns: &["id", "idea", "name_shown", "comment", "status", "created_at"],
        sql: "SELECT cm.id, pr.title, cm.author_name, cm.body, cm.status, CAST(cm.created_at AS TEXT) FROM comments cm \
              JOIN proposals pr ON pr.id = cm.proposal_id JOIN residents r ON cm.participant = 'user:' || r.user_id \
              WHERE r.id = $1 AND cm.organisation_id = $2 ORDER BY cm.created_at, cm.id",
    },
    Source {
        key: "supports",
        class: None,
        kept: "as_a_count",
        columns: &["idea", "created_at"],
        sql: "SELECT pr.title, CAST(s.created_at AS TEXT) FROM supports s JOIN proposals pr ON pr.id = s.proposal_id \
              JOIN residents r ON s.participant = 'user:' || r.user_id WHERE r.id = $1 AND pr.organisation_id = $2 ORDER BY s.created_at",
    },
    Source {
        key: "messages",
        class: Some(RetentionClass::ConsultationContact),
        kept: "",
        columns: &["to", "subject", "created_at", "sent_at"],
        sql: "SELECT m.to_address, m.subject, CAST(m.created_at AS TEXT), CAST(m.sent_at AS TEXT) FROM outgoing_messages m \
              JOIN residents r ON m.resident_id = r.id OR (r.contact LIKE '%@%' AND LOWER(m.to_address) = LOWER(r.contact)) \
              WHERE r.id = $1 AND m.organisation_id = $2 ORDER BY m.created_at, m.id",
    },
    Source {
        key: "invitations",
        class: None,
        kept: "nobody_twice",
        columns: &["consultation", "invited_at"],
        sql: "SELECT c.title, CAST(i.invited_at AS TEXT) FROM consultation_invitations i JOIN consultations c ON c.id = i.consultation_id \
              WHERE i.resident_id = $1 AND i.organisation_id = $2 ORDER BY i.invited_at, c.id",
    },
    Source {
        key: "reports",
        class: None,
        kept: "reports",
        columns: &["what", "reported", "reason", "created_at"],
        sql: "SELECT rp.target_kind, rp.target_id, rp.reason, CAST(rp.created_at AS TEXT) FROM reports rp \
              JOIN residents r ON rp.participant = 'user:' || r.user_id WHERE r.id = $1 AND r.organisation_id = $2 ORDER BY rp.created_at",
    },
    Source {
        key: "requests",
        class: None,
        kept: "how_handled",
        columns: &["kind", "received_on", "due_on", "status", "completed_at"],
        sql: "SELECT kind, received_on, due_on, status, CAST(completed_at AS TEXT) FROM privacy_requests \
              WHERE resident_id = $1 AND organisation_id = $2 ORDER BY received_on, created_at",
    },
    Source {
        key: "audit",
        class: None,
        kept: "how_handled",
        columns: &["at", "who", "action", "detail"],
        sql: "SELECT CAST(a.at AS TEXT), u.display_name, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
              WHERE a.resident_id = $1 AND a.organisation_id = $2 ORDER BY a.at, a.id",
    },
];

/// Columns that hold seconds since the epoch, shown as UTC date-times.
pub(super) fn is_time(column: &str) -> bool {
    column.ends_with("_at") || column == "at"
}

pub(super) fn time_text(secs: &str) -> String {
    secs.parse::<i64>()
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| secs.to_string())
}

/// Everything held about one person, section by section: the record `resident_id` and every
/// record linked with it as the same person (`repo::people`), each section's rows record by
/// record (the account's first), a row reached through two of them shown once. `None`: no such
/// resident here.
pub async fn subject_access(db: &Db, organisation_id: &str, resident_id: &str) -> sqlx::Result<Option<Vec<Section>>> {
    let records = {
        let mut conn = db.acquire().await?;
        crate::server::repo::people::member_ids(&mut conn, organisation_id, resident_id).await?
    };
    if records.is_empty() {
        return Ok(None);
    }
    let policies = policies(db, organisation_id).await?;
    use crate::i18n::td_string;
    use crate::language::names::{self, HasName};
    let locale = crate::language::page_locale();
    let mut sections = Vec::with_capacity(SOURCES.len() + 1);
    for source in SOURCES {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for record in &records {
            for row in sqlx::query(source.sql).bind(record).bind(organisation_id).fetch_all(db).await? {
                let row: Vec<String> = (0..source.columns.len())
                    .map(|i| {
                        let value: Option<String> = row.try_get(i).unwrap_or(None);
                        let value = value.unwrap_or_default();
                        if is_time(source.columns[i]) && !value.is_empty() {
                            time_text(&value)
                        } else {
                            value
                        }
                    })
                    .collect();
                if !rows.contains(&row) {
                    rows.push(row);
                }
            }
        }
        let policy = source.class.and_then(|c| policies.iter().find(|p| p.class == c));
        // Contributions to consultations are held on the same basis as the resident's record.
        let basis_class = source.class.or(match source.key {
            "answers" | "ideas" | "comments" | "supports" | "reports" => Some(RetentionClass::ResidentDetails),
            _ => None,
        });
        let basis = basis_class.and_then(|c| policies.iter().find(|p| p.class == c));
        sections.push(Section {
            key: source.key.to_string(),
            title: names::record_section(locale, source.key).to_string(),
            lawful_basis: Some(basis.map_or("legal_obligation", |p| p.lawful_basis.as_str()).to_string()),
            retention: Some(match (source.class, policy) {
                (Some(class), Some(p)) => td_string!(
                    locale,
                    resident_records.retention_line,
                    class = class.name(locale),
                    count = u64::from(p.months),
                    effect = names::retention_effect(locale, class)
                ),
                _ => names::record_kept(locale, source.kept).to_string(),
            }),
            columns: source.columns.iter().map(|c| c.to_string()).collect(),
            rows,
        });
    }
    let ledger = consent_ledger(db, resident_id).await?;
    sections.insert(
        2,
        Section {
            key: "current_consents".into(),
            title: names::record_section(locale, "current_consents").into(),
            lawful_basis: None,
            retention: None,
            columns: vec!["purpose".into(), "state".into(), "since".into()],
            rows: current_consents(&ledger)
                .into_iter()
                .map(|(p, s)| match s {
                    ConsentState::NotAsked => {
                        vec![p.as_str().to_string(), "not asked".into(), String::new()]
                    }
                    ConsentState::Granted { since } => vec![p.as_str().to_string(), "yes".into(), time_text(&since.to_string())],
                    ConsentState::Withdrawn { since } => vec![p.as_str().to_string(), "no".into(), time_text(&since.to_string())],
                })
                .collect(),
        },
    );
    Ok(Some(sections))
}
