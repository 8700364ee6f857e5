//! Data protection: the audit log, finding a resident, everything held about them (subject
//! access), erasure, requests and retention settings. Every query takes the organisation id.

use crate::domain::outreach::{ConsentPurpose, LawfulBasis};
use crate::domain::privacy::{self, AuditAction, ConsentEntry, ConsentState, RetentionClass, RetentionPolicy};
use crate::domain::OrganisationKind;
use sqlx::{AnyConnection, AnyPool, Row};

/// One entry for the audit log.
pub struct AuditEntry<'a> {
    pub organisation_id: &'a str,
    /// The member of staff, or `None` for the server itself (the scheduled retention job).
    pub actor: Option<&'a str>,
    pub action: AuditAction,
    pub resident_id: Option<&'a str>,
    pub detail: &'a str,
    /// Where it was done from: a network address, or the tablet a synced change came from.
    pub address: &'a str,
    pub at: i64,
}

/// Writes one audit entry.
pub async fn audit(conn: &mut AnyConnection, entry: AuditEntry<'_>) -> sqlx::Result<()> {
    let AuditEntry { organisation_id, actor, action, resident_id, detail, address, at } = entry;
    sqlx::query(
        "INSERT INTO audit_log (id, organisation_id, at, actor_id, action, resident_id, detail, address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organisation_id)
    .bind(at)
    .bind(actor)
    .bind(action.as_str())
    .bind(resident_id)
    .bind(detail)
    .bind(address)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub resident_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Option<AuditAction>,
    /// UTC seconds, inclusive start and exclusive end.
    pub from: Option<i64>,
    pub until: Option<i64>,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AuditRow {
    pub at: i64,
    pub actor_name: Option<String>,
    pub action: String,
    pub resident_id: Option<String>,
    pub detail: String,
    pub address: String,
}

/// The newest entries first, at most `limit`.
pub async fn search_audit(pool: &AnyPool, organisation_id: &str, q: &AuditQuery, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    let mut sql = String::from(
        "SELECT a.at, u.display_name AS actor_name, a.action, a.resident_id, a.detail, a.address \
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE a.organisation_id = $1",
    );
    let mut n = 1;
    let mut next = |sql: &mut String, clause: &str| {
        n += 1;
        sql.push_str(&clause.replace("$?", &format!("${n}")));
    };
    if q.resident_id.is_some() {
        next(&mut sql, " AND a.resident_id = $?");
    }
    if q.actor_id.is_some() {
        next(&mut sql, " AND a.actor_id = $?");
    }
    if q.action.is_some() {
        next(&mut sql, " AND a.action = $?");
    }
    if q.from.is_some() {
        next(&mut sql, " AND a.at >= $?");
    }
    if q.until.is_some() {
        next(&mut sql, " AND a.at < $?");
    }
    next(&mut sql, " ORDER BY a.at DESC, a.id DESC LIMIT $?");
    let mut query = sqlx::query_as::<_, AuditRow>(&sql).bind(organisation_id);
    if let Some(r) = &q.resident_id {
        query = query.bind(r);
    }
    if let Some(a) = &q.actor_id {
        query = query.bind(a);
    }
    if let Some(a) = q.action {
        query = query.bind(a.as_str());
    }
    if let Some(f) = q.from {
        query = query.bind(f);
    }
    if let Some(u) = q.until {
        query = query.bind(u);
    }
    query.bind(limit).fetch_all(pool).await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ResidentRow {
    pub id: String,
    pub name: String,
    pub contact: String,
    pub created_at: i64,
    pub erased_at: Option<i64>,
    pub last_seen: Option<i64>,
}

const RESIDENT_SELECT: &str = "SELECT r.id, r.name, r.contact, r.created_at, r.erased_at, \
     (SELECT MAX(i.occurred_at) FROM interactions i WHERE i.resident_id = r.id) AS last_seen FROM residents r";

/// Residents whose name or contact details contain `text` (any case), or whose id it is.
pub async fn find_residents(pool: &AnyPool, organisation_id: &str, text: &str, limit: i64) -> sqlx::Result<Vec<ResidentRow>> {
    let pattern = format!("%{}%", text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    sqlx::query_as(&format!(
        "{RESIDENT_SELECT} WHERE r.organisation_id = $1 AND r.erased_at IS NULL \
         AND (LOWER(r.name) LIKE LOWER($2) ESCAPE '\\' OR LOWER(r.contact) LIKE LOWER($2) ESCAPE '\\' OR r.id = $3) \
         ORDER BY r.name, r.created_at LIMIT $4"
    ))
    .bind(organisation_id)
    .bind(pattern)
    .bind(text.trim())
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn resident(pool: &AnyPool, organisation_id: &str, id: &str) -> sqlx::Result<Option<ResidentRow>> {
    sqlx::query_as(&format!("{RESIDENT_SELECT} WHERE r.organisation_id = $1 AND r.id = $2"))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// The consent ledger of the person record `resident_id` belongs to (every record linked as
/// them: see `repo::people`), oldest first.
pub async fn consent_ledger<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, resident_id: &str) -> sqlx::Result<Vec<ConsentEntry>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT purpose, granted, occurred_at FROM consents WHERE resident_id IN {} ORDER BY occurred_at, received_at, id",
        super::people::person_of("$1")
    ))
    .bind(resident_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(purpose, granted, occurred_at)| {
            let purpose = ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == purpose)?;
            Some(ConsentEntry { purpose, granted: granted == 1, occurred_at })
        })
        .collect())
}

pub fn current_consents(ledger: &[ConsentEntry]) -> Vec<(ConsentPurpose, ConsentState)> {
    ConsentPurpose::ALL.into_iter().map(|p| (p, privacy::consent_state(ledger, p))).collect()
}

pub use crate::types::privacy::RecordTable as Section;

/// What each section reads: key, title, retention class, column names and a query whose every
/// column is text (`$1`: the resident, `$2`: the organisation).
struct Source {
    key: &'static str,
    title: &'static str,
    class: Option<RetentionClass>,
    /// How long it is kept, for a source outside the retention classes.
    kept: &'static str,
    columns: &'static [&'static str],
    sql: &'static str,
}

const SOURCES: &[Source] = &[
    Source {
        key: "resident",
        title: "Resident record",
        class: Some(RetentionClass::ResidentDetails),
        kept: "",
        columns: &["id", "name", "contact", "preferred_language", "recorded_by", "created_at", "erased_at", "linked_to_account_record", "linked_at"],
        sql: "SELECT r.id, r.name, r.contact, r.preferred_language, u.display_name, CAST(r.created_at AS TEXT), CAST(r.erased_at AS TEXT), \
              r.linked_to, CAST(r.linked_at AS TEXT) FROM residents r LEFT JOIN users u ON u.id = r.created_by WHERE r.id = $1 AND r.organisation_id = $2",
    },
    Source {
        key: "consents",
        title: "Consent decisions",
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
        title: "Conversations",
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
        title: "Issues raised in conversations",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["conversation", "theme"],
        sql: "SELECT ii.interaction_id, t.name FROM interaction_issues ii JOIN interactions i ON i.id = ii.interaction_id \
              JOIN themes t ON t.id = ii.theme_id WHERE i.resident_id = $1 AND i.organisation_id = $2 ORDER BY i.occurred_at, t.name",
    },
    Source {
        key: "follow_ups",
        title: "Follow-ups",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["conversation", "owner", "due_on", "status", "resolution_note", "resolved_by", "resolved_at", "created_at"],
        sql: "SELECT f.id, o.display_name, f.due_on, f.status, f.resolution_note, rb.display_name, CAST(f.resolved_at AS TEXT), CAST(f.created_at AS TEXT) \
              FROM follow_ups f JOIN interactions i ON i.id = f.id LEFT JOIN users o ON o.id = f.owner_id \
              LEFT JOIN users rb ON rb.id = f.resolved_by WHERE i.resident_id = $1 AND f.organisation_id = $2 ORDER BY f.created_at, f.id",
    },
    Source {
        key: "follow_up_updates",
        title: "Follow-up updates",
        class: Some(RetentionClass::ConversationNotes),
        kept: "",
        columns: &["follow_up", "made_by", "note", "received_at"],
        sql: "SELECT fu.follow_up_id, u.display_name, fu.note, CAST(fu.received_at AS TEXT) FROM follow_up_updates fu \
              JOIN interactions i ON i.id = fu.follow_up_id LEFT JOIN users u ON u.id = fu.made_by \
              WHERE i.resident_id = $1 AND fu.organisation_id = $2 ORDER BY fu.received_at, fu.id",
    },
    Source {
        key: "volunteer_profile",
        title: "Volunteer profile",
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
        title: "Volunteering: interest in opportunities",
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
        title: "Their online account",
        class: Some(RetentionClass::ResidentDetails),
        kept: "",
        columns: &["id", "name", "email", "role", "created_at", "active"],
        sql: "SELECT u.id, u.display_name, u.email, u.role, CAST(u.created_at AS TEXT), CAST(u.active AS TEXT) FROM users u \
              JOIN residents r ON r.user_id = u.id WHERE r.id = $1 AND r.organisation_id = $2",
    },
    Source {
        key: "consultation_responses",
        title: "Consultation responses",
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
        title: "Answers in consultation responses",
        class: None,
        kept: "Kept with the consultation; answers in their own words are removed if they are erased",
        columns: &["response", "question", "answer"],
        sql: "SELECT resp.id, q.prompt, an.value FROM answers an JOIN responses resp ON resp.id = an.response_id JOIN questions q ON q.id = an.question_id \
              JOIN residents r ON (resp.participant = 'user:' || r.user_id OR (r.contact LIKE '%@%' AND LOWER(resp.email) = LOWER(r.contact))) \
              WHERE r.id = $1 AND resp.organisation_id = $2 ORDER BY resp.created_at, q.position, an.value",
    },
    Source {
        key: "ideas",
        title: "Ideas they proposed",
        class: None,
        kept: "Kept with the consultation; removed if they are erased",
        columns: &["id", "consultation", "name_shown", "title", "idea", "status", "created_at"],
        sql: "SELECT p.id, c.title, p.author_name, p.title, p.body, p.status, CAST(p.created_at AS TEXT) FROM proposals p \
              JOIN consultations c ON c.id = p.consultation_id JOIN residents r ON p.participant = 'user:' || r.user_id \
              WHERE r.id = $1 AND p.organisation_id = $2 ORDER BY p.created_at, p.id",
    },
    Source {
        key: "comments",
        title: "Comments on ideas",
        class: None,
        kept: "Kept with the consultation; removed if they are erased",
        columns: &["id", "idea", "name_shown", "comment", "status", "created_at"],
        sql: "SELECT cm.id, pr.title, cm.author_name, cm.body, cm.status, CAST(cm.created_at AS TEXT) FROM comments cm \
              JOIN proposals pr ON pr.id = cm.proposal_id JOIN residents r ON cm.participant = 'user:' || r.user_id \
              WHERE r.id = $1 AND cm.organisation_id = $2 ORDER BY cm.created_at, cm.id",
    },
    Source {
        key: "supports",
        title: "Ideas they supported",
        class: None,
        kept: "Kept with the consultation, as a count",
        columns: &["idea", "created_at"],
        sql: "SELECT pr.title, CAST(s.created_at AS TEXT) FROM supports s JOIN proposals pr ON pr.id = s.proposal_id \
              JOIN residents r ON s.participant = 'user:' || r.user_id WHERE r.id = $1 AND pr.organisation_id = $2 ORDER BY s.created_at",
    },
    Source {
        key: "messages",
        title: "Emails sent or waiting to be sent to them",
        class: Some(RetentionClass::ConsultationContact),
        kept: "",
        columns: &["to", "subject", "created_at", "sent_at"],
        sql: "SELECT m.to_address, m.subject, CAST(m.created_at AS TEXT), CAST(m.sent_at AS TEXT) FROM outgoing_messages m \
              JOIN residents r ON m.resident_id = r.id OR (r.contact LIKE '%@%' AND LOWER(m.to_address) = LOWER(r.contact)) \
              WHERE r.id = $1 AND m.organisation_id = $2 ORDER BY m.created_at, m.id",
    },
    Source {
        key: "invitations",
        title: "Consultations they were invited to",
        class: None,
        kept: "Kept with the consultation, so that nobody is invited to it twice",
        columns: &["consultation", "invited_at"],
        sql: "SELECT c.title, CAST(i.invited_at AS TEXT) FROM consultation_invitations i JOIN consultations c ON c.id = i.consultation_id \
              WHERE i.resident_id = $1 AND i.organisation_id = $2 ORDER BY i.invited_at, c.id",
    },
    Source {
        key: "reports",
        title: "Ideas and comments they reported to moderators",
        class: None,
        kept: "Kept while the consultation is; the reason they gave is removed if they are erased",
        columns: &["what", "reported", "reason", "created_at"],
        sql: "SELECT rp.target_kind, rp.target_id, rp.reason, CAST(rp.created_at AS TEXT) FROM reports rp \
              JOIN residents r ON rp.participant = 'user:' || r.user_id WHERE r.id = $1 AND r.organisation_id = $2 ORDER BY rp.created_at",
    },
    Source {
        key: "requests",
        title: "Requests about their data",
        class: None,
        kept: "Kept as a record of how their data was handled",
        columns: &["kind", "received_on", "due_on", "status", "completed_at"],
        sql: "SELECT kind, received_on, due_on, status, CAST(completed_at AS TEXT) FROM privacy_requests \
              WHERE resident_id = $1 AND organisation_id = $2 ORDER BY received_on, created_at",
    },
    Source {
        key: "audit",
        title: "Who has viewed, exported, changed or erased their data",
        class: None,
        kept: "Kept as a record of how their data was handled",
        columns: &["at", "who", "action", "detail"],
        sql: "SELECT CAST(a.at AS TEXT), u.display_name, a.action, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
              WHERE a.resident_id = $1 AND a.organisation_id = $2 ORDER BY a.at, a.id",
    },
];

/// Columns that hold seconds since the epoch, shown as UTC date-times.
fn is_time(column: &str) -> bool {
    column.ends_with("_at") || column == "at"
}

fn time_text(secs: &str) -> String {
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
pub async fn subject_access(pool: &AnyPool, organisation_id: &str, resident_id: &str) -> sqlx::Result<Option<Vec<Section>>> {
    let records = {
        let mut conn = pool.acquire().await?;
        super::people::member_ids(&mut conn, organisation_id, resident_id).await?
    };
    if records.is_empty() {
        return Ok(None);
    }
    let policies = policies(pool, organisation_id).await?;
    let mut sections = Vec::with_capacity(SOURCES.len() + 1);
    for source in SOURCES {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for record in &records {
            for row in sqlx::query(source.sql).bind(record).bind(organisation_id).fetch_all(pool).await? {
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
            title: source.title.to_string(),
            lawful_basis: Some(basis.map_or("legal_obligation", |p| p.lawful_basis.as_str()).to_string()),
            retention: Some(match (source.class, policy) {
                (Some(class), Some(p)) => {
                    format!("{}: {} months. {}", class.label(), p.months, class.effect())
                }
                _ => source.kept.to_string(),
            }),
            columns: source.columns.iter().map(|c| c.to_string()).collect(),
            rows,
        });
    }
    let ledger = consent_ledger(pool, resident_id).await?;
    sections.insert(
        2,
        Section {
            key: "current_consents".into(),
            title: "What they agree to now".into(),
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

/// Removes a resident's personal data everywhere, keeping what the figures and the law need:
/// the row (as an anonymous id, so conversations stay linked and repeat contacts stay counted),
/// the conversations without their address, notes or preferences' content, consent decisions
/// (which say nothing about who they were), requests and the audit log. Their volunteer profile
/// is deleted and groups can no longer see them. Every record of the person is erased: the one
/// named and those linked with it (`repo::people`). Returns their ids, or none if there is no
/// such resident here.
pub async fn erase(conn: &mut AnyConnection, organisation_id: &str, resident_id: &str, now: i64) -> sqlx::Result<Vec<String>> {
    let records = super::people::member_ids(&mut *conn, organisation_id, resident_id).await?;
    for record in &records {
        erase_record(&mut *conn, organisation_id, record, now).await?;
        sqlx::query("DELETE FROM resident_link_declines WHERE resident_id = $1").bind(record).execute(&mut *conn).await?;
    }
    Ok(records)
}

async fn erase_record(conn: &mut AnyConnection, organisation_id: &str, resident_id: &str, now: i64) -> sqlx::Result<bool> {
    let contact: Option<String> = sqlx::query_scalar("SELECT contact FROM residents WHERE id = $1 AND organisation_id = $2")
        .bind(resident_id)
        .bind(organisation_id)
        .fetch_optional(&mut *conn)
        .await?;
    let done = sqlx::query(
        "UPDATE residents SET name = '', contact = '', preferred_language = '', erased_at = COALESCE(erased_at, $3) \
         WHERE id = $1 AND organisation_id = $2",
    )
    .bind(resident_id)
    .bind(organisation_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    // '{}': "preferences were given" still counts in the involvement funnel; what they were goes.
    sqlx::query(
        "UPDATE interactions SET address = '', notes = '', \
         involvement = CASE WHEN involvement IS NULL OR involvement = '' THEN involvement ELSE '{}' END \
         WHERE resident_id = $1 AND organisation_id = $2",
    )
    .bind(resident_id)
    .bind(organisation_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE follow_ups SET resolution_note = '' WHERE id IN (SELECT id FROM interactions WHERE resident_id = $1) AND organisation_id = $2")
        .bind(resident_id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE follow_up_updates SET note = '' WHERE follow_up_id IN (SELECT id FROM interactions WHERE resident_id = $1) AND organisation_id = $2")
        .bind(resident_id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE volunteer_interests SET message = '', share_contact = 0 WHERE resident_id = $1")
        .bind(resident_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM volunteer_profiles WHERE resident_id = $1").bind(resident_id).execute(&mut *conn).await?;
    let account: Option<Option<String>> =
        sqlx::query_scalar("SELECT user_id FROM residents WHERE id = $1").bind(resident_id).fetch_optional(&mut *conn).await?;
    if let Some(Some(user_id)) = account {
        erase_account(conn, organisation_id, &user_id).await?;
    }
    // Every email sent to them as this record (invitations), whatever address it went to.
    sqlx::query("DELETE FROM outgoing_messages WHERE resident_id = $1 AND organisation_id = $2")
        .bind(resident_id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    // Responses given without an account under their email address, and emails to it.
    if let Some(email) = contact.filter(|c| c.contains('@')) {
        erase_email(conn, organisation_id, &email).await?;
    }
    Ok(true)
}

/// Everything kept under an email address alone (responses given without an account, and the
/// messages to it): their own words go, the address goes, the rows stay for the counts.
async fn erase_email(conn: &mut AnyConnection, organisation_id: &str, email: &str) -> sqlx::Result<()> {
    for sql in [
        "UPDATE answers SET value = '' WHERE response_id IN (SELECT id FROM responses WHERE LOWER(email) = LOWER($1) AND organisation_id = $2) \
         AND question_id IN (SELECT id FROM questions WHERE kind = 'free_text')",
        "UPDATE responses SET email = NULL, notify_consent = 0, email_confirmed_at = NULL WHERE LOWER(email) = LOWER($1) AND organisation_id = $2",
        "DELETE FROM outgoing_messages WHERE LOWER(to_address) = LOWER($1) AND organisation_id = $2",
        "DELETE FROM email_tokens WHERE LOWER(email) = LOWER($1) AND organisation_id = $2 AND purpose = 'confirm_address'",
    ] {
        sqlx::query(sql).bind(email).bind(organisation_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Someone who responded to a consultation without an account, known only by the email address
/// they left for its outcome: given a resident record (named by that address) the first time an
/// admin looks for the address, so their request can be answered like anyone else's. Returns
/// whether a record was made.
pub async fn ensure_email_resident(
    conn: &mut AnyConnection,
    organisation_id: &str,
    email: &str,
    admin_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let email = email.trim();
    if !email.contains('@') {
        return Ok(false);
    }
    let held: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM responses WHERE organisation_id = $1 AND LOWER(email) = LOWER($2)) \
              + (SELECT COUNT(*) FROM outgoing_messages WHERE organisation_id = $1 AND LOWER(to_address) = LOWER($2))",
    )
    .bind(organisation_id)
    .bind(email)
    .fetch_one(&mut *conn)
    .await?;
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM residents WHERE organisation_id = $1 AND LOWER(contact) = LOWER($2) AND erased_at IS NULL",
    )
    .bind(organisation_id)
    .bind(email)
    .fetch_one(&mut *conn)
    .await?;
    if held == 0 || known > 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO residents (id, organisation_id, name, contact, preferred_language, created_by, created_at) VALUES ($1, $2, $3, $4, '', $5, $6)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organisation_id)
    .bind("Consultation respondent (no account)")
    .bind(email.to_lowercase())
    .bind(admin_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// The online side of an erasure, within the organisation: what the resident did with their
/// account (responses, ideas, comments, volunteering) loses everything that identifies them, and
/// the account is closed and anonymised. Rows stay, so counts of answers, ideas, support and
/// comments stay true.
async fn erase_account(conn: &mut AnyConnection, organisation_id: &str, user_id: &str) -> sqlx::Result<()> {
    let participant = format!("user:{user_id}");
    let mut emails: Vec<String> =
        sqlx::query_scalar("SELECT email FROM responses WHERE participant = $1 AND organisation_id = $2 AND email IS NOT NULL")
            .bind(&participant)
            .bind(organisation_id)
            .fetch_all(&mut *conn)
            .await?;
    if let Some(own) =
        sqlx::query_scalar::<_, String>("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_optional(&mut *conn).await?
    {
        emails.push(own);
    }
    for sql in [
        "UPDATE answers SET value = '' WHERE response_id IN (SELECT id FROM responses WHERE participant = $1 AND organisation_id = $2) \
         AND question_id IN (SELECT id FROM questions WHERE kind = 'free_text')",
        "UPDATE responses SET email = NULL, notify_consent = 0, email_confirmed_at = NULL WHERE participant = $1 AND organisation_id = $2",
        "DELETE FROM response_drafts WHERE participant = $1 AND consultation_id IN (SELECT id FROM consultations WHERE organisation_id = $2)",
        "UPDATE proposals SET author_name = '', title = 'Removed at the author''s request', body = '' WHERE participant = $1 AND organisation_id = $2",
        "UPDATE comments SET author_name = '', body = 'Removed at the author''s request.' WHERE participant = $1 AND organisation_id = $2",
        "UPDATE reports SET reason = '' WHERE participant = $1 AND target_id IN \
         (SELECT id FROM proposals WHERE organisation_id = $2 UNION SELECT id FROM comments WHERE organisation_id = $2)",
    ] {
        sqlx::query(sql).bind(&participant).bind(organisation_id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM volunteer_profiles WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE volunteer_interests SET message = '', share_contact = 0 WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for email in emails {
        sqlx::query("DELETE FROM outgoing_messages WHERE organisation_id = $1 AND LOWER(to_address) = LOWER($2)")
            .bind(organisation_id)
            .bind(&email)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM login_attempts WHERE LOWER(email) = LOWER($1)").bind(&email).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM email_tokens WHERE organisation_id = $1 AND LOWER(email) = LOWER($2)")
            .bind(organisation_id)
            .bind(&email)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM email_tokens WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM resident_link_declines WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    // Closed: its sessions end at their next request and it can never sign in again.
    sqlx::query(
        "UPDATE users SET display_name = 'Erased resident', email = 'erased-' || id || '@erased.invalid', password_hash = NULL, active = 0, \
         totp_secret = NULL, totp_enabled_at = NULL WHERE id = $1 AND organisation_id = $2",
    )
    .bind(user_id)
    .bind(organisation_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A resident said no to volunteering: groups may no longer suggest them or see how to reach
/// them, whether they were met at the door or signed up online (or both).
pub async fn withdraw_volunteering(conn: &mut AnyConnection, resident_id: &str) -> sqlx::Result<()> {
    // Every record of the person (`repo::people`), and the account among them.
    let person = super::people::person_of("$1");
    let whose = format!(
        "resident_id IN {person} OR user_id IN (SELECT w.user_id FROM residents w WHERE w.id IN {person} AND w.user_id IS NOT NULL)"
    );
    sqlx::query(&format!("UPDATE volunteer_profiles SET open_to_suggestions = 0 WHERE {whose}"))
        .bind(resident_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!("UPDATE volunteer_interests SET share_contact = 0 WHERE {whose}")).bind(resident_id).execute(&mut *conn).await?;
    Ok(())
}

/// Every resident account of the organisation has a resident record (linked by `user_id`), so
/// an admin finds it, and everything it did, like anyone met at the door.
pub async fn ensure_account_residents(conn: &mut AnyConnection, organisation_id: &str, now: i64) -> sqlx::Result<()> {
    let missing: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email FROM users u WHERE u.organisation_id = $1 AND u.role = 'resident' \
         AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.user_id = u.id)",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    for (user_id, name, email) in missing {
        insert_account_resident(conn, organisation_id, &user_id, &name, &email, now).await?;
    }
    Ok(())
}

async fn insert_account_resident(
    conn: &mut AnyConnection,
    organisation_id: &str,
    user_id: &str,
    name: &str,
    email: &str,
    now: i64,
) -> sqlx::Result<String> {
    sqlx::query(
        "INSERT INTO residents (id, organisation_id, name, contact, preferred_language, created_by, created_at, user_id) \
         VALUES ($1, $2, $3, $4, '', $5, $6, $5) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(organisation_id)
    .bind(name)
    .bind(email)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT id FROM residents WHERE user_id = $1").bind(user_id).fetch_one(conn).await
}

/// Which of `ids` are residents of this organisation whose data was erased (for tablets that
/// still hold them).
pub async fn erased_among(pool: &AnyPool, organisation_id: &str, ids: &[String]) -> sqlx::Result<Vec<String>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(200) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|n| format!("${}", n + 2)).collect();
        let sql = format!(
            "SELECT id FROM residents WHERE organisation_id = $1 AND erased_at IS NOT NULL AND id IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(organisation_id);
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(pool).await?);
    }
    Ok(out)
}

/// Whether a resident's data has been erased.
pub async fn is_erased(conn: &mut AnyConnection, resident_id: &str) -> sqlx::Result<bool> {
    let found: Option<Option<i64>> =
        sqlx::query_scalar("SELECT erased_at FROM residents WHERE id = $1").bind(resident_id).fetch_optional(conn).await?;
    Ok(matches!(found, Some(Some(_))))
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RequestRow {
    pub id: String,
    pub resident_id: String,
    pub kind: String,
    pub received_on: String,
    pub due_on: String,
    pub status: String,
    pub completed_at: Option<i64>,
}

/// A subject access or erasure request, as logged.
pub struct NewRequest<'a> {
    pub organisation_id: &'a str,
    pub resident_id: &'a str,
    pub kind: privacy::RequestKind,
    /// The day it arrived, and the day it must be answered by (`YYYY-MM-DD`).
    pub received_on: &'a str,
    pub due_on: &'a str,
    pub recorded_by: &'a str,
}

pub async fn insert_request<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    request: NewRequest<'_>,
    now: i64,
) -> sqlx::Result<String> {
    let NewRequest { organisation_id, resident_id, kind, received_on, due_on, recorded_by } = request;
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO privacy_requests (id, organisation_id, resident_id, kind, received_on, due_on, status, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(resident_id)
    .bind(kind.as_str())
    .bind(received_on)
    .bind(due_on)
    .bind(recorded_by)
    .bind(now)
    .execute(db)
    .await?;
    Ok(id)
}

/// Marks a request answered. Returns its resident when it was open here.
pub async fn close_request(conn: &mut AnyConnection, organisation_id: &str, id: &str, by: &str, now: i64) -> sqlx::Result<Option<String>> {
    let resident: Option<String> =
        sqlx::query_scalar("SELECT resident_id FROM privacy_requests WHERE id = $1 AND organisation_id = $2 AND status = 'open'")
            .bind(id)
            .bind(organisation_id)
            .fetch_optional(&mut *conn)
            .await?;
    if resident.is_some() {
        sqlx::query(
            "UPDATE privacy_requests SET status = 'done', completed_at = $3, completed_by = $4 WHERE id = $1 AND organisation_id = $2",
        )
        .bind(id)
        .bind(organisation_id)
        .bind(now)
        .bind(by)
        .execute(conn)
        .await?;
    }
    Ok(resident)
}

/// Open requests soonest due first, then those answered most recently.
pub async fn requests(pool: &AnyPool, organisation_id: &str, resident_id: Option<&str>) -> sqlx::Result<Vec<RequestRow>> {
    let filter = if resident_id.is_some() { " AND resident_id = $2" } else { "" };
    let sql = format!(
        "SELECT id, resident_id, kind, received_on, due_on, status, completed_at FROM privacy_requests \
         WHERE organisation_id = $1{filter} ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_on, completed_at DESC LIMIT 200"
    );
    let mut q = sqlx::query_as::<_, RequestRow>(&sql).bind(organisation_id);
    if let Some(r) = resident_id {
        q = q.bind(r);
    }
    q.fetch_all(pool).await
}

/// The organisation's retention settings: what it saved, and the defaults for the rest.
pub async fn policies<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, organisation_id: &str) -> sqlx::Result<Vec<RetentionPolicy>> {
    // (class, lawful basis, months, organisation kind): one row per saved class, or one with
    // only the kind when none is saved.
    type Row = (Option<String>, Option<String>, Option<i64>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.class, p.lawful_basis, p.months, o.kind FROM organisations o \
         LEFT JOIN retention_policies p ON p.organisation_id = o.id WHERE o.id = $1",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    let kind = rows.first().and_then(|r| OrganisationKind::parse(&r.3)).unwrap_or(OrganisationKind::Council);
    let mut out = privacy::default_policies(kind);
    for (class, basis, months, _) in rows {
        let (Some(class), Some(basis), Some(months)) =
            (class.as_deref().and_then(RetentionClass::parse), basis.as_deref().and_then(parse_basis), months)
        else {
            continue;
        };
        if let Some(p) = out.iter_mut().find(|p| p.class == class) {
            p.lawful_basis = basis;
            p.months = months.clamp(0, i64::from(privacy::MAX_RETENTION_MONTHS)) as u32;
        }
    }
    Ok(out)
}

pub fn parse_basis(s: &str) -> Option<LawfulBasis> {
    [LawfulBasis::Consent, LawfulBasis::PublicTask, LawfulBasis::LegitimateInterests].into_iter().find(|b| b.as_str() == s)
}

/// What one class of record came to in a retention run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RetentionCount {
    pub class: RetentionClass,
    pub months: u32,
    /// Kept until this UK day (inclusive): anything last touched before it is due.
    pub kept_from: String,
    pub records: i64,
}

/// Runs the retention policy of one organisation as of UK day `today`: records past their
/// period are anonymised (see [`RetentionClass::effect`]). With `dry_run` nothing changes and
/// the counts say what would. Every run is logged (`retention_runs`) and audited, with `actor`
/// `None` for the scheduled job.
pub async fn run_retention(
    db: &crate::server::db::Db,
    organisation_id: &str,
    today: i64,
    dry_run: bool,
    actor: Option<&str>,
    address: &str,
) -> sqlx::Result<Vec<RetentionCount>> {
    use crate::domain::calendar::uk_day_start;
    let started = crate::server::now();
    let mut tx = db.begin_write().await?;
    let policies = policies(&mut *tx, organisation_id).await?;
    let network = super::volunteering::network_of(&mut *tx, organisation_id).await?;
    let mut out = Vec::new();
    // First every class is counted, then (unless this is a dry run) everything is changed: the
    // classes overlap (a resident's erasure clears their conversation notes too), so counting
    // as it goes would make a real run report less than its dry run.
    for apply in [false, true] {
        if apply && dry_run {
            break;
        }
        for &p in &policies {
            let kept_from = privacy::months_before(today, p.months);
            let cutoff = uk_day_start(kept_from);
            let records = match p.class {
                RetentionClass::ResidentDetails => {
                    // People not in touch since the cutoff, on any of their records (a record
                    // made at the door and linked to an account is the same person: see
                    // `repo::people`): no record made or linked, conversation, consent decision or
                    // volunteering interest on or after it, and no open online account.
                    let person = "(SELECT l.id FROM residents l WHERE l.id = r.id OR l.linked_to = r.id)";
                    let ids: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT r.id FROM residents r WHERE r.organisation_id = $1 AND r.erased_at IS NULL AND r.linked_to IS NULL AND r.created_at < $2 \
                         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id AND u.active = 1) \
                         AND NOT EXISTS (SELECT 1 FROM residents l WHERE l.linked_to = r.id AND (l.created_at >= $2 OR l.linked_at >= $2)) \
                         AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.resident_id IN {person} AND i.occurred_at >= $2) \
                         AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.resident_id IN {person} AND c.occurred_at >= $2) \
                         AND NOT EXISTS (SELECT 1 FROM volunteer_interests v WHERE v.resident_id IN {person} AND v.created_at >= $2)",
                    ))
                    .bind(organisation_id)
                    .bind(cutoff)
                    .fetch_all(&mut *tx)
                    .await?;
                    let mut records = 0;
                    for id in &ids {
                        if apply {
                            let detail = format!("retention: not in touch for {} months", p.months);
                            for record in erase(&mut tx, organisation_id, id, started).await? {
                                audit(
                                    &mut tx,
                                    AuditEntry {
                                        organisation_id,
                                        actor,
                                        action: AuditAction::Erased,
                                        resident_id: Some(&record),
                                        detail: &detail,
                                        address,
                                        at: started,
                                    },
                                )
                                .await?;
                                records += 1;
                            }
                        } else {
                            records += super::people::member_ids(&mut tx, organisation_id, id).await?.len() as i64;
                        }
                    }
                    records
                }
                RetentionClass::ConversationNotes => {
                    let due = "FROM interactions WHERE organisation_id = $1 AND occurred_at < $2 AND (address <> '' OR notes <> '')";
                    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {due}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    if apply && n > 0 {
                        for table_sql in [
                        "UPDATE follow_ups SET resolution_note = '' WHERE organisation_id = $1 AND resolution_note <> '' \
                         AND id IN (SELECT id FROM interactions WHERE organisation_id = $1 AND occurred_at < $2)",
                        "UPDATE follow_up_updates SET note = '' WHERE organisation_id = $1 AND note <> '' \
                         AND follow_up_id IN (SELECT id FROM interactions WHERE organisation_id = $1 AND occurred_at < $2)",
                        "UPDATE interactions SET address = '', notes = '' WHERE organisation_id = $1 AND occurred_at < $2 AND (address <> '' OR notes <> '')",
                    ] {
                        sqlx::query(table_sql).bind(organisation_id).bind(cutoff).execute(&mut *tx).await?;
                    }
                    }
                    n
                }
                RetentionClass::Volunteering if network == organisation_id => {
                    let profiles: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM volunteer_profiles WHERE network_id = $1 AND updated_at < $2")
                            .bind(&network)
                            .bind(cutoff)
                            .fetch_one(&mut *tx)
                            .await?;
                    let messages = "FROM volunteer_interests WHERE message <> '' AND created_at < $2 \
                     AND opportunity_id IN (SELECT id FROM opportunities WHERE network_id = $1)";
                    let n: i64 =
                        sqlx::query_scalar(&format!("SELECT COUNT(*) {messages}")).bind(&network).bind(cutoff).fetch_one(&mut *tx).await?;
                    if apply {
                        sqlx::query("DELETE FROM volunteer_profiles WHERE network_id = $1 AND updated_at < $2")
                            .bind(&network)
                            .bind(cutoff)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(
                            "UPDATE volunteer_interests SET message = '' WHERE message <> '' AND created_at < $2 \
                         AND opportunity_id IN (SELECT id FROM opportunities WHERE network_id = $1)",
                        )
                        .bind(&network)
                        .bind(cutoff)
                        .execute(&mut *tx)
                        .await?;
                    }
                    profiles + n
                }
                // A group's volunteering records follow its host's policy.
                RetentionClass::Volunteering => 0,
                RetentionClass::ConsultationContact => {
                    let due = "FROM responses WHERE organisation_id = $1 AND email IS NOT NULL AND updated_at < $2";
                    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {due}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    // The outcome emails sent to those addresses go too.
                    let sent = "FROM outgoing_messages WHERE organisation_id = $1 AND created_at < $2 AND sent_at IS NOT NULL";
                    let m: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {sent}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    if apply {
                        sqlx::query(
                            "UPDATE responses SET email = NULL, notify_consent = 0, email_confirmed_at = NULL WHERE organisation_id = $1 AND email IS NOT NULL AND updated_at < $2",
                        )
                        .bind(organisation_id)
                        .bind(cutoff)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(&format!("DELETE {sent}")).bind(organisation_id).bind(cutoff).execute(&mut *tx).await?;
                    }
                    n + m
                }
                RetentionClass::PartnerRequests => {
                    let due = "FROM partner_requests WHERE host_id = $1 AND status <> 'waiting' AND decided_at < $2 \
                               AND (organiser_name <> '' OR organiser_email <> '' OR about <> '' OR reason <> '')";
                    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {due}"))
                        .bind(organisation_id)
                        .bind(cutoff)
                        .fetch_one(&mut *tx)
                        .await?;
                    if apply && n > 0 {
                        sqlx::query(&format!("UPDATE partner_requests SET organiser_name = '', organiser_email = '', about = '', reason = '' WHERE id IN (SELECT id {due})"))
                            .bind(organisation_id)
                            .bind(cutoff)
                            .execute(&mut *tx)
                            .await?;
                    }
                    n
                }
            };
            if !apply {
                let (y, m, d) = crate::domain::calendar::civil_from_days(kept_from);
                out.push(RetentionCount { class: p.class, months: p.months, kept_from: format!("{y:04}-{m:02}-{d:02}"), records });
            }
        }
    }
    let summary = serde_json::to_string(&out).unwrap_or_default();
    let finished = crate::server::now();
    sqlx::query("INSERT INTO retention_runs (id, organisation_id, dry_run, summary, run_by, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(organisation_id)
        .bind(i64::from(dry_run))
        .bind(&summary)
        .bind(actor)
        .bind(started)
        .bind(finished)
        .execute(&mut *tx)
        .await?;
    let total: i64 = out.iter().map(|c| c.records).sum();
    let detail =
        format!("{}: {total} records {}", if dry_run { "dry run" } else { "run" }, if dry_run { "would change" } else { "changed" });
    audit(
        &mut tx,
        AuditEntry { organisation_id, actor, action: AuditAction::RetentionRun, resident_id: None, detail: &detail, address, at: finished },
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RetentionRunRow {
    pub dry_run: i64,
    pub summary: String,
    pub run_by: Option<String>,
    pub started_at: i64,
}

/// The organisation's most recent retention runs, newest first.
pub async fn retention_runs(pool: &AnyPool, organisation_id: &str, limit: i64) -> sqlx::Result<Vec<RetentionRunRow>> {
    sqlx::query_as(
        "SELECT r.dry_run, r.summary, u.display_name AS run_by, r.started_at FROM retention_runs r LEFT JOIN users u ON u.id = r.run_by \
         WHERE r.organisation_id = $1 ORDER BY r.started_at DESC, r.id DESC LIMIT $2",
    )
    .bind(organisation_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Saves one class's period and lawful basis.
pub async fn save_policy<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    organisation_id: &str,
    policy: RetentionPolicy,
    by: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO retention_policies (organisation_id, class, lawful_basis, months, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (organisation_id, class) DO UPDATE SET lawful_basis = excluded.lawful_basis, months = excluded.months, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(organisation_id)
    .bind(policy.class.as_str())
    .bind(policy.lawful_basis.as_str())
    .bind(i64::from(policy.months))
    .bind(now)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

/// Runs retention for every organisation, as the scheduled job and the `server retention`
/// command do: (organisation name, what it came to).
pub async fn run_retention_everywhere(db: &crate::server::db::Db, dry_run: bool) -> sqlx::Result<Vec<(String, Vec<RetentionCount>)>> {
    let today = crate::domain::calendar::uk_day(crate::server::now());
    let orgs: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM organisations ORDER BY name").fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(orgs.len());
    for (id, name) in orgs {
        out.push((name, run_retention(db, &id, today, dry_run, None, "").await?));
    }
    Ok(out)
}

/// The resident record of a resident's own account, made the first time they need one.
pub async fn account_resident(conn: &mut AnyConnection, user: &crate::server::repo::users::UserRow, now: i64) -> sqlx::Result<String> {
    if let Some(id) =
        sqlx::query_scalar::<_, String>("SELECT id FROM residents WHERE user_id = $1").bind(&user.id).fetch_optional(&mut *conn).await?
    {
        return Ok(id);
    }
    insert_account_resident(conn, &user.organisation_id, &user.id, &user.display_name, &user.email, now).await
}

pub async fn find_account_resident(pool: &AnyPool, user_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM residents WHERE user_id = $1").bind(user_id).fetch_optional(pool).await
}

/// A person's consent decisions (every record linked as them), newest first: (purpose, granted,
/// how, when).
pub async fn consent_history(pool: &AnyPool, resident_id: &str) -> sqlx::Result<Vec<(String, i64, String, i64)>> {
    sqlx::query_as(&format!(
        "SELECT purpose, granted, method, occurred_at FROM consents WHERE resident_id IN {} ORDER BY occurred_at DESC, received_at DESC, id DESC",
        super::people::person_of("$1")
    ))
    .bind(resident_id)
        .fetch_all(pool)
        .await
}
