//! Erasure: removing a person's personal data everywhere, keeping what the figures and the law
//! need.

use crate::server::Db;
use sqlx::AnyConnection;

/// Removes a resident's personal data everywhere, keeping what the figures and the law need:
/// the row (as an anonymous id, so conversations stay linked and repeat contacts stay counted),
/// the conversations without their address, notes or preferences' content, consent decisions
/// (which say nothing about who they were), requests and the audit log. Their volunteer profile
/// is deleted and groups can no longer see them. Every record of the person is erased: the one
/// named and those linked with it (`repo::people`). Returns their ids, or none if there is no
/// such resident here.
pub async fn erase(conn: &mut AnyConnection, organisation_id: &str, resident_id: &str, now: i64) -> sqlx::Result<Vec<String>> {
    let records = crate::server::repo::people::member_ids(&mut *conn, organisation_id, resident_id).await?;
    for record in &records {
        erase_record(&mut *conn, organisation_id, record, now).await?;
        sqlx::query("DELETE FROM resident_link_declines WHERE resident_id = $1").bind(record).execute(&mut *conn).await?;
    }
    Ok(records)
}

pub(super) async fn erase_record(conn: &mut AnyConnection, organisation_id: &str, resident_id: &str, now: i64) -> sqlx::Result<bool> {
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
    // What each side agreed to do is about the resident: which side, and whether it was kept,
    // still count.
    sqlx::query(
        "UPDATE commitments SET text = '', outcome_reason = '' \
         WHERE follow_up_id IN (SELECT id FROM interactions WHERE resident_id = $1) AND organisation_id = $2",
    )
    .bind(resident_id)
    .bind(organisation_id)
    .execute(&mut *conn)
    .await?;
    // A referral's words (what was asked, the answer, each step's note) are about the resident;
    // where it went, its steps and how long it took still count.
    sqlx::query(
        "UPDATE referrals SET asked = '', answer = '' \
         WHERE interaction_id IN (SELECT id FROM interactions WHERE resident_id = $1) AND organisation_id = $2",
    )
    .bind(resident_id)
    .bind(organisation_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE referral_steps SET note = '' WHERE organisation_id = $2 AND referral_id IN \
         (SELECT r.id FROM referrals r JOIN interactions i ON i.id = r.interaction_id WHERE i.resident_id = $1)",
    )
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
pub(super) async fn erase_email(conn: &mut AnyConnection, organisation_id: &str, email: &str) -> sqlx::Result<()> {
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
pub(super) async fn erase_account(conn: &mut AnyConnection, organisation_id: &str, user_id: &str) -> sqlx::Result<()> {
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
    let person = crate::server::repo::people::person_of("$1");
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

/// Which of `ids` are residents of this organisation whose data was erased (for tablets that
/// still hold them).
pub async fn erased_among(db: &Db, organisation_id: &str, ids: &[String]) -> sqlx::Result<Vec<String>> {
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
        out.extend(q.fetch_all(db).await?);
    }
    Ok(out)
}

/// Whether a resident's data has been erased.
pub async fn is_erased(conn: &mut AnyConnection, resident_id: &str) -> sqlx::Result<bool> {
    let found: Option<Option<i64>> =
        sqlx::query_scalar("SELECT erased_at FROM residents WHERE id = $1").bind(resident_id).fetch_optional(conn).await?;
    Ok(matches!(found, Some(Some(_))))
}
