//! Inviting residents to a consultation: who may be invited, and recording that they were (at
//! most once per consultation). Every query takes the organisation id.

use crate::domain::outreach::ConsentPurpose;
use crate::domain::privacy::{consent_state, ConsentEntry};
use crate::domain::validation::contact_email;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// Someone who can be invited, and where to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    pub resident_id: String,
    pub name: String,
    pub email: String,
    /// The language they chose on their account ("" for none) and the one they asked for at the door.
    pub saved_language: String,
    pub preferred_language: String,
}

/// Residents of the organisation who may be invited to this consultation now, one per person
/// (a door record linked to an account is invited as the account: see `repo::people`):
/// - not erased, and not invited to it before (as any of their records);
/// - with an email address: their confirmed account's, or one in the contact details given at
///   the door;
/// - whose newest decision on consultation invitations, on any of their records, is "yes" (the
///   ledger's own rule, `domain::privacy::consent_state`);
/// - if the consultation names areas, met in one of them; if it names themes, raised one of them.
///
/// In a stable order (by record id), so a count and the send that follows agree.
pub async fn invitable(conn: &mut AnyConnection, organisation_id: &str, consultation_id: &str) -> sqlx::Result<Vec<Invitee>> {
    // The person's records, for a record `r` that stands for a person (it is linked to nothing).
    const PERSON: &str = "(SELECT p.id FROM residents p WHERE p.id = r.id OR p.linked_to = r.id)";
    type Row = (String, String, String, Option<String>, Option<String>, String);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT r.id, r.name, r.contact, CASE WHEN u.email_verified_at IS NOT NULL AND u.active = 1 THEN u.email END, u.language, r.preferred_language \
         FROM residents r LEFT JOIN users u ON u.id = r.user_id \
         WHERE r.organisation_id = $1 AND r.erased_at IS NULL AND r.linked_to IS NULL \
         AND EXISTS (SELECT 1 FROM consents k WHERE k.resident_id IN {PERSON} AND k.purpose = $3 AND k.granted = 1) \
         AND NOT EXISTS (SELECT 1 FROM consultation_invitations i WHERE i.consultation_id = $2 AND i.resident_id IN {PERSON}) \
         AND (NOT EXISTS (SELECT 1 FROM consultation_areas ca WHERE ca.consultation_id = $2) \
              OR EXISTS (SELECT 1 FROM interactions x JOIN consultation_areas ca ON ca.area_id = x.area_id \
                         WHERE ca.consultation_id = $2 AND x.resident_id IN {PERSON})) \
         AND (NOT EXISTS (SELECT 1 FROM consultation_themes ct WHERE ct.consultation_id = $2) \
              OR EXISTS (SELECT 1 FROM interactions x JOIN interaction_issues it ON it.interaction_id = x.id \
                         JOIN consultation_themes ct ON ct.theme_id = it.theme_id \
                         WHERE ct.consultation_id = $2 AND x.resident_id IN {PERSON})) \
         ORDER BY r.id"
    ))
    .bind(organisation_id)
    .bind(consultation_id)
    .bind(ConsentPurpose::ConsultationInvitations.as_str())
    .fetch_all(&mut *conn)
    .await?;
    // Everyone's decisions on this purpose in one read, by person, then the ledger's rule.
    let decisions: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT COALESCE(r.linked_to, r.id), k.granted, k.occurred_at FROM consents k JOIN residents r ON r.id = k.resident_id \
         WHERE k.organisation_id = $1 AND k.purpose = $2",
    )
    .bind(organisation_id)
    .bind(ConsentPurpose::ConsultationInvitations.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut ledgers: HashMap<String, Vec<ConsentEntry>> = HashMap::new();
    for (person, granted, occurred_at) in decisions {
        ledgers.entry(person).or_default().push(ConsentEntry {
            purpose: ConsentPurpose::ConsultationInvitations,
            granted: granted == 1,
            occurred_at,
        });
    }
    Ok(rows
        .into_iter()
        .filter(|(id, ..)| ledgers.get(id).is_some_and(|l| consent_state(l, ConsentPurpose::ConsultationInvitations).granted()))
        .filter_map(|(resident_id, name, contact, account_email, saved_language, preferred_language)| {
            let email = account_email.or_else(|| contact_email(&contact))?;
            Some(Invitee { resident_id, name, email, saved_language: saved_language.unwrap_or_default(), preferred_language })
        })
        .collect())
}

/// Records the invitation; false if this resident was already invited to it (by anyone, at any
/// time: the primary key decides, so two senders at once cannot both invite).
pub async fn record(
    conn: &mut AnyConnection,
    organisation_id: &str,
    consultation_id: &str,
    resident_id: &str,
    by: &str,
    at: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO consultation_invitations (consultation_id, resident_id, organisation_id, invited_by, invited_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(consultation_id)
    .bind(resident_id)
    .bind(organisation_id)
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many residents have been invited to the consultation.
pub async fn invited(conn: &mut AnyConnection, organisation_id: &str, consultation_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM consultation_invitations WHERE organisation_id = $1 AND consultation_id = $2")
        .bind(organisation_id)
        .bind(consultation_id)
        .fetch_one(&mut *conn)
        .await
}

/// Who sent the resident's invitation to the consultation (for recording their "no" when they
/// unsubscribe from it).
pub async fn invited_by(conn: &mut AnyConnection, consultation_id: &str, resident_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT invited_by FROM consultation_invitations WHERE consultation_id = $1 AND resident_id = $2")
        .bind(consultation_id)
        .bind(resident_id)
        .fetch_optional(&mut *conn)
        .await
}
