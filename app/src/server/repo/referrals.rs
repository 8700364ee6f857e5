//! Referrals and the steps of their lives (`referrals`, `referral_steps`).

use crate::domain::outreach::ConsentPurpose;
use crate::domain::referral::{ReferralStatus, Step};
use crate::server::Db;
use crate::types::referrals::{ReferralView, StepView};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// What deciding a step needs to know about a referral.
pub struct Facts {
    pub organisation_id: String,
    pub owner_id: String,
    pub partner_id: Option<String>,
    pub status: ReferralStatus,
    pub sent_at: i64,
    /// Its resident was erased: no words about them are kept.
    pub erased: bool,
}

pub async fn facts(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<Facts>> {
    let row: Option<(String, String, Option<String>, String, i64, i64)> = sqlx::query_as(
        "SELECT r.organisation_id, r.owner_id, r.partner_id, r.status, r.sent_at, \
         CAST(CASE WHEN res.erased_at IS NULL THEN 0 ELSE 1 END AS BIGINT) \
         FROM referrals r JOIN interactions i ON i.id = r.interaction_id LEFT JOIN residents res ON res.id = i.resident_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(organisation_id, owner_id, partner_id, status, sent_at, erased)| {
        Some(Facts { organisation_id, owner_id, partner_id, status: ReferralStatus::parse(&status)?, sent_at, erased: erased == 1 })
    }))
}

/// What referring a follow-up on needs to know about it.
pub struct FollowUpFacts {
    pub owner_id: String,
    pub open: bool,
    /// When its conversation happened.
    pub occurred_at: i64,
    /// Referrals it has already (made in the conversation or since).
    pub referrals: i64,
    /// Its resident was erased: no words about them are kept.
    pub erased: bool,
}

/// Organisation `org`'s follow-up `id`, if it has one by that id.
pub async fn follow_up_facts(conn: &mut AnyConnection, id: &str, org: &str) -> sqlx::Result<Option<FollowUpFacts>> {
    let row: Option<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT f.owner_id, f.status, i.occurred_at, \
         CAST((SELECT COUNT(*) FROM referrals r WHERE r.interaction_id = f.id) AS BIGINT), \
         CAST(CASE WHEN res.erased_at IS NULL THEN 0 ELSE 1 END AS BIGINT) \
         FROM follow_ups f JOIN interactions i ON i.id = f.id LEFT JOIN residents res ON res.id = i.resident_id \
         WHERE f.id = $1 AND f.organisation_id = $2",
    )
    .bind(id)
    .bind(org)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(owner_id, status, occurred_at, referrals, erased)| FollowUpFacts {
        owner_id,
        open: status == "open",
        occurred_at,
        referrals,
        erased: erased == 1,
    }))
}

/// Whether `id` is a conversation's.
pub async fn names_a_conversation(conn: &mut AnyConnection, id: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM interactions WHERE id = $1").bind(id).fetch_one(conn).await?;
    Ok(n > 0)
}

/// A referral made from a follow-up after its conversation.
pub struct LaterReferral<'a> {
    pub id: &'a str,
    pub organisation_id: &'a str,
    pub follow_up_id: &'a str,
    pub owner_id: &'a str,
    pub service_id: Option<&'a str>,
    pub partner_id: Option<&'a str>,
    pub asked: &'a str,
    pub sent_at: i64,
    pub received_at: i64,
}

/// Stores a referral made later, with its conversation's area, kind and worker (for the
/// dashboard's filters, as a referral made in the conversation has them).
pub async fn insert_later(conn: &mut AnyConnection, r: &LaterReferral<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO referrals (id, organisation_id, interaction_id, owner_id, service_id, partner_id, asked, status, sent_at, \
         occurred_at, area_id, kind, worker_id, created_at) \
         SELECT $1, $2, i.id, $3, $4, $5, $6, 'sent', $7, i.occurred_at, i.area_id, i.kind, i.worker_id, $8 \
         FROM interactions i WHERE i.id = $9 AND i.organisation_id = $2",
    )
    .bind(r.id)
    .bind(r.organisation_id)
    .bind(r.owner_id)
    .bind(r.service_id)
    .bind(r.partner_id)
    .bind(r.asked)
    .bind(r.sent_at)
    .bind(r.received_at)
    .bind(r.follow_up_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One step, already allowed by `domain::referral::after` (from `from` to `to`).
pub struct NewStep<'a> {
    pub id: &'a str,
    pub referral_id: &'a str,
    pub organisation_id: &'a str,
    pub step: Step,
    pub note: &'a str,
    pub made_by: &'a str,
    pub occurred_at: i64,
    pub received_at: i64,
}

/// Writes a step and what it does to the referral, if the referral is still at `from`. Returns
/// whether it was (if not, nothing was written: someone else took a step meanwhile).
pub async fn write_step(conn: &mut AnyConnection, s: &NewStep<'_>, from: ReferralStatus, to: ReferralStatus) -> sqlx::Result<bool> {
    let changed = match s.step {
        Step::Chased => 1,
        Step::Accepted => sqlx::query("UPDATE referrals SET status = $1, accepted_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(s.occurred_at)
            .bind(s.referral_id)
            .bind(from.as_str())
            .execute(&mut *conn)
            .await?
            .rows_affected(),
        Step::Answered | Step::Declined => {
            sqlx::query("UPDATE referrals SET status = $1, answer = $2, closed_at = $3 WHERE id = $4 AND status = $5")
                .bind(to.as_str())
                .bind(s.note)
                .bind(s.occurred_at)
                .bind(s.referral_id)
                .bind(from.as_str())
                .execute(&mut *conn)
                .await?
                .rows_affected()
        }
    };
    if changed != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO referral_steps (id, organisation_id, referral_id, step, note, made_by, occurred_at, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(s.id)
    .bind(s.organisation_id)
    .bind(s.referral_id)
    .bind(s.step.as_str())
    .bind(s.note)
    .bind(s.made_by)
    .bind(s.occurred_at)
    .bind(s.received_at)
    .execute(&mut *conn)
    .await?;
    // Its conversation's counts carry what became of it (a chase, or an acceptance, leaves it
    // waiting as before). The caller holds the organisation's counts lock.
    if !matches!(s.step, Step::Answered | Step::Declined) {
        return Ok(true);
    }
    let conversation: Option<String> =
        sqlx::query_scalar("SELECT interaction_id FROM referrals WHERE id = $1").bind(s.referral_id).fetch_optional(&mut *conn).await?;
    if let Some(conversation) = conversation {
        crate::server::repo::intelligence::after_conversation_changed(conn, s.organisation_id, &conversation).await?;
    }
    Ok(true)
}

/// Whose referrals to read.
pub enum Which<'a> {
    /// A member of staff's: every one still waiting, and those closed since `closed_since`.
    Owner { organisation_id: &'a str, owner_id: &'a str, closed_since: i64 },
    /// Those sent to a partner by its host: every one still waiting, and those closed since
    /// `closed_since`. The resident's details only where they agree to them being shared.
    Partner { host_id: &'a str, partner_id: &'a str, closed_since: i64 },
    /// Those made in a resident's conversations (the timeline).
    Resident { organisation_id: &'a str, resident_id: &'a str },
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    interaction_id: String,
    to_name: String,
    partner_id: Option<String>,
    from_name: String,
    status: String,
    asked: String,
    answer: String,
    sent_at: i64,
    owner_name: String,
    area_name: String,
    resident_id: Option<String>,
    resident_name: String,
    resident_contact: String,
}

/// The referrals `which` names, with their issues and steps: waiting ones first, then newest
/// first. At most 500.
pub async fn list(db: &Db, which: Which<'_>) -> sqlx::Result<Vec<ReferralView>> {
    let (filter, texts, since): (&str, Vec<&str>, Option<i64>) = match which {
        Which::Owner { organisation_id, owner_id, closed_since } => (
            "r.organisation_id = $1 AND r.owner_id = $2 AND (r.status IN ('sent', 'accepted') OR r.closed_at >= $3)",
            vec![organisation_id, owner_id],
            Some(closed_since),
        ),
        Which::Partner { host_id, partner_id, closed_since } => (
            "r.organisation_id = $1 AND r.partner_id = $2 AND (r.status IN ('sent', 'accepted') OR r.closed_at >= $3)",
            vec![host_id, partner_id],
            Some(closed_since),
        ),
        Which::Resident { organisation_id, resident_id } => (
            "r.organisation_id = $1 AND r.interaction_id IN (SELECT id FROM interactions WHERE organisation_id = $1 AND resident_id = $2)",
            vec![organisation_id, resident_id],
            None,
        ),
    };
    let for_partner = matches!(which, Which::Partner { .. });
    let sql = format!(
        "SELECT r.id, r.interaction_id, COALESCE(s.name, p.name, '') AS to_name, r.partner_id, host.name AS from_name, r.status, r.asked, \
         r.answer, r.sent_at, COALESCE(o.display_name, '') AS owner_name, COALESCE(a.name, '') AS area_name, i.resident_id, \
         COALESCE(res.name, '') AS resident_name, COALESCE(res.contact, '') AS resident_contact \
         FROM referrals r JOIN interactions i ON i.id = r.interaction_id JOIN organisations host ON host.id = r.organisation_id \
         LEFT JOIN services s ON s.id = r.service_id LEFT JOIN organisations p ON p.id = r.partner_id \
         LEFT JOIN users o ON o.id = r.owner_id LEFT JOIN areas a ON a.id = r.area_id LEFT JOIN residents res ON res.id = i.resident_id \
         WHERE {filter} ORDER BY CASE WHEN r.status IN ('sent', 'accepted') THEN 0 ELSE 1 END, r.sent_at DESC, r.id LIMIT 500"
    );
    let rows = bind(sqlx::query_as::<_, Row>(&sql), &texts, since).fetch_all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Issues and steps of the same referrals: one query each.
    let of_these = format!("SELECT r.id FROM referrals r WHERE {filter}");
    let issues_sql = format!(
        "SELECT r.id, t.name FROM referrals r JOIN interaction_issues ii ON ii.interaction_id = r.interaction_id \
         JOIN themes t ON t.id = ii.theme_id WHERE r.id IN ({of_these}) ORDER BY t.name"
    );
    // Steps taken in the same second keep the order they can only have happened in.
    let steps_sql = format!(
        "SELECT rs.referral_id, rs.step, rs.note, COALESCE(u.display_name, ''), rs.occurred_at FROM referral_steps rs \
         LEFT JOIN users u ON u.id = rs.made_by WHERE rs.referral_id IN ({of_these}) ORDER BY rs.occurred_at, rs.received_at, \
         CASE rs.step WHEN 'accepted' THEN 1 WHEN 'answered' THEN 2 WHEN 'declined' THEN 2 ELSE 0 END, rs.id"
    );
    let mut issues: HashMap<String, Vec<String>> = HashMap::new();
    for (id, name) in bind(sqlx::query_as::<_, (String, String)>(&issues_sql), &texts, since).fetch_all(db).await? {
        issues.entry(id).or_default().push(name);
    }
    let mut steps: HashMap<String, Vec<StepView>> = HashMap::new();
    let step_rows = bind(sqlx::query_as::<_, (String, String, String, String, i64)>(&steps_sql), &texts, since).fetch_all(db).await?;
    for (id, step, note, by, at) in step_rows {
        if let Some(step) = Step::parse(&step) {
            steps.entry(id).or_default().push(StepView { step, note, by, at });
        }
    }
    let mut shares: HashMap<String, bool> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(status) = ReferralStatus::parse(&r.status) else { continue };
        // An erased resident's name is blank: nothing to show anyone.
        let known = r.resident_id.is_some() && !r.resident_name.is_empty();
        let shown = if !known {
            false
        } else if for_partner {
            let resident = r.resident_id.clone().unwrap_or_default();
            match shares.get(&resident) {
                Some(&agreed) => agreed,
                None => {
                    let ledger = crate::server::repo::privacy::consent_ledger(db, &resident).await?;
                    let agreed = crate::domain::privacy::consent_state(&ledger, ConsentPurpose::ShareWithReferredService).granted();
                    shares.insert(resident, agreed);
                    agreed
                }
            }
        } else {
            true
        };
        out.push(ReferralView {
            issues: issues.remove(&r.id).unwrap_or_default(),
            steps: steps.remove(&r.id).unwrap_or_default(),
            id: r.id,
            interaction_id: r.interaction_id,
            to_name: r.to_name,
            to_partner: r.partner_id.is_some(),
            from_name: r.from_name,
            status,
            asked: r.asked,
            answer: r.answer,
            sent_at: r.sent_at,
            owner_name: r.owner_name,
            area_name: r.area_name,
            resident_id: if for_partner { None } else { r.resident_id },
            resident_name: shown.then_some(r.resident_name),
            resident_contact: shown.then_some(r.resident_contact).filter(|c| !c.is_empty()),
        });
    }
    Ok(out)
}

type Query<'q, O> = sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>;

/// Binds a list's parameters: its ids, then the time closed ones are shown from.
fn bind<'q, O>(q: Query<'q, O>, texts: &[&'q str], since: Option<i64>) -> Query<'q, O> {
    let q = texts.iter().fold(q, |q, t| q.bind(*t));
    match since {
        Some(since) => q.bind(since),
        None => q,
    }
}

/// The organisation whose partner `organisation_id` is, if it is one.
pub async fn host_of(db: &Db, organisation_id: &str) -> sqlx::Result<Option<String>> {
    let host: Option<Option<String>> =
        sqlx::query_scalar("SELECT host_id FROM organisations WHERE id = $1").bind(organisation_id).fetch_optional(db).await?;
    Ok(host.flatten())
}
