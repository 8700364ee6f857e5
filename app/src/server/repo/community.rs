//! Clusters of one issue in one area, and the rule an organisation counts them by.

use crate::domain::cluster::{Rule, Tally};
use crate::server::Db;

/// The organisation's rule (the defaults until an admin changes it).
pub async fn rule(db: &Db, org: &str) -> sqlx::Result<Rule> {
    let row: Option<(i64, i64)> = sqlx::query_as("SELECT cluster_threshold, cluster_window_days FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(threshold, window_days)| Rule { threshold, window_days }).unwrap_or_default())
}

pub async fn save_rule(db: &Db, org: &str, rule: &Rule) -> sqlx::Result<()> {
    sqlx::query("UPDATE organisations SET cluster_threshold = $2, cluster_window_days = $3 WHERE id = $1")
        .bind(org)
        .bind(rule.threshold)
        .bind(rule.window_days)
        .execute(db)
        .await?;
    Ok(())
}

/// How many residents raised each theme in each area in `rule`'s window ending on UK day
/// `today`, and in the window before, from the people kept per day ([`refresh_dirty`] first, for
/// the days that synced since). A resident is a person (door records linked to one account
/// count once); a conversation with nobody named counts as one resident of its own.
///
/// [`refresh_dirty`]: crate::server::repo::intelligence::refresh_dirty
pub async fn tallies(db: &Db, org: &str, rule: &Rule, today: i64) -> sqlx::Result<Vec<Tally>> {
    let (first, last) = rule.window(today);
    let (before, _) = rule.previous_window(today);
    let count = |cmp: &str| {
        format!(
            "CAST(SUM(CASE WHEN day {cmp} $3 AND person = '' THEN n ELSE 0 END) AS BIGINT) \
             + CAST(COUNT(DISTINCT CASE WHEN day {cmp} $3 AND person <> '' THEN person END) AS BIGINT)"
        )
    };
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT area_id, theme_id, {}, {} FROM theme_people WHERE organisation_id = $1 AND day >= $2 AND day <= $4 GROUP BY area_id, theme_id",
        count(">="),
        count("<")
    ))
    .bind(org)
    .bind(before)
    .bind(first)
    .bind(last)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(area_id, theme_id, residents, before)| Tally { area_id, theme_id, residents, before }).collect())
}

/// A response as it is stored and shown.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ResponseRow {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub area_id: String,
    pub area_name: String,
    pub theme_id: String,
    pub theme_name: String,
    pub title: String,
    pub we_will: String,
    pub you_can: String,
    pub event_name: String,
    pub event_place: String,
    pub event_on: Option<String>,
    pub window_days: i64,
    pub residents_at_opening: i64,
    pub status: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
}

const RESPONSE_SELECT: &str = "SELECT c.id, c.organisation_id, o.name AS organisation_name, c.area_id, a.name AS area_name, c.theme_id, \
     t.name AS theme_name, c.title, c.we_will, c.you_can, c.event_name, c.event_place, c.event_on, c.window_days, c.residents_at_opening, \
     c.status, c.opened_at, c.closed_at FROM community_responses c JOIN organisations o ON o.id = c.organisation_id JOIN areas a ON a.id = c.area_id \
     JOIN themes t ON t.id = c.theme_id";

/// A new response on a cluster of `residents` residents.
pub struct NewResponse<'a> {
    pub organisation_id: &'a str,
    pub area_id: &'a str,
    pub theme_id: &'a str,
    pub response: &'a crate::domain::community_response::Response,
    pub window_days: i64,
    pub residents: i64,
    pub opened_by: &'a str,
}

/// Stores a response (in the caller's transaction), unless one on the same area and theme is
/// open: then `None`.
pub async fn open_response(conn: &mut sqlx::AnyConnection, n: &NewResponse<'_>, now: i64) -> sqlx::Result<Option<String>> {
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM community_responses WHERE organisation_id = $1 AND area_id = $2 AND theme_id = $3 AND status = 'open'",
    )
    .bind(n.organisation_id)
    .bind(n.area_id)
    .bind(n.theme_id)
    .fetch_one(&mut *conn)
    .await?;
    if open > 0 {
        return Ok(None);
    }
    let id = uuid::Uuid::new_v4().to_string();
    let meeting = n.response.meeting.as_ref();
    sqlx::query(
        "INSERT INTO community_responses (id, organisation_id, area_id, theme_id, title, we_will, you_can, event_name, event_place, event_on, \
         window_days, residents_at_opening, opened_by, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&id)
    .bind(n.organisation_id)
    .bind(n.area_id)
    .bind(n.theme_id)
    .bind(&n.response.title)
    .bind(&n.response.we_will)
    .bind(&n.response.you_can)
    .bind(meeting.map(|m| m.name.clone()).unwrap_or_default())
    .bind(meeting.map(|m| m.place.clone()).unwrap_or_default())
    .bind(meeting.map(|m| m.on.clone()))
    .bind(n.window_days)
    .bind(n.residents)
    .bind(n.opened_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(Some(id))
}

/// A person behind a cluster who may be invited: their record, name and email address.
pub struct Invitee {
    pub resident_id: String,
    pub name: String,
    pub email: String,
    /// The language saved on their account ('' if none), and the one they said at the door:
    /// what they are written to in (`language::choice::for_letters`).
    pub saved_language: String,
    pub preferred_language: String,
}

impl Invitee {
    /// The language to write to them in: their account's, else what they said at the door,
    /// else the sender's page's.
    pub fn writes_in(&self) -> crate::i18n::Locale {
        crate::language::choice::for_letters(Some(&self.saved_language), Some(&self.preferred_language), crate::language::page_locale())
    }
}

/// The people who raised `theme` in `area` from `from` to `to` (seconds) and may be told about
/// it now: not erased, with an email address (their confirmed account's, or one given at the
/// door), and whose newest decision on being contacted about their issue is "yes". One per
/// person (door records linked to an account are the account's), in a stable order.
pub async fn invitees(
    conn: &mut sqlx::AnyConnection,
    org: &str,
    (area, theme): (&str, &str),
    (from, to): (i64, i64),
) -> sqlx::Result<Vec<Invitee>> {
    let people: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT COALESCE(r.linked_to, r.id) FROM interactions i JOIN interaction_issues x ON x.interaction_id = i.id \
         JOIN residents r ON r.id = i.resident_id WHERE i.organisation_id = $1 AND i.area_id = $2 AND x.theme_id = $3 \
         AND i.occurred_at >= $4 AND i.occurred_at < $5 AND i.outcome = 'talked' ORDER BY 1",
    )
    .bind(org)
    .bind(area)
    .bind(theme)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut found = Vec::new();
    for person in people {
        found.extend(reachable(&mut *conn, org, &person).await?);
    }
    Ok(found)
}

/// Person `person` of `org` as someone who may be told about their issue now: not erased, with
/// an email address (their confirmed account's, or one given at the door), and whose newest
/// decision on being contacted about their issue is "yes". `None` otherwise.
pub async fn reachable(conn: &mut sqlx::AnyConnection, org: &str, person: &str) -> sqlx::Result<Option<Invitee>> {
    use crate::domain::outreach::ConsentPurpose;
    // Name, contact, a confirmed account's address, its saved language, the language said at the door.
    type Row = (String, String, Option<String>, Option<String>, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT r.name, r.contact, CASE WHEN u.email_verified_at IS NOT NULL AND u.active = 1 THEN u.email END, u.language, r.preferred_language \
         FROM residents r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1 AND r.organisation_id = $2 AND r.erased_at IS NULL",
    )
    .bind(person)
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((name, contact, account_email, saved_language, preferred_language)) = row else { return Ok(None) };
    let Some(email) = account_email.or_else(|| crate::domain::validation::contact_email(&contact)) else { return Ok(None) };
    let ledger = crate::server::repo::privacy::consent_ledger(&mut *conn, person).await?;
    let agreed = crate::domain::privacy::consent_state(&ledger, ConsentPurpose::ContactAboutIssue).granted();
    let saved_language = saved_language.unwrap_or_default();
    Ok(agreed.then(|| Invitee { resident_id: person.to_string(), name, email, saved_language, preferred_language }))
}

/// Records an invitation by the hash of its link's secret; false if they were invited already.
pub async fn record_invitation(
    conn: &mut sqlx::AnyConnection,
    (org, response_id, resident_id): (&str, &str, &str),
    token_hash: &str,
    at: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO community_invitations (response_id, resident_id, organisation_id, token_hash, invited_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(response_id)
    .bind(resident_id)
    .bind(org)
    .bind(token_hash)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the link's secret (by its hash) is an invitation to this response, and if so whether
/// they have signed up.
pub async fn invitation(db: &Db, response_id: &str, token_hash: &str) -> sqlx::Result<Option<bool>> {
    let row: Option<Option<i64>> =
        sqlx::query_scalar("SELECT signed_up_at FROM community_invitations WHERE response_id = $1 AND token_hash = $2")
            .bind(response_id)
            .bind(token_hash)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|at| at.is_some()))
}

/// Signs the invited person up for the meeting; false if the link is not this response's or
/// they already had.
pub async fn sign_up(db: &Db, response_id: &str, token_hash: &str, at: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE community_invitations SET signed_up_at = $3 WHERE response_id = $1 AND token_hash = $2 AND signed_up_at IS NULL",
    )
    .bind(response_id)
    .bind(token_hash)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// (invited, signed up) for a response.
pub async fn invitation_counts(db: &Db, response_id: &str) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN signed_up_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) \
         FROM community_invitations WHERE response_id = $1",
    )
    .bind(response_id)
    .fetch_one(db)
    .await
}

/// The organisation's responses, newest first.
pub async fn responses(db: &Db, org: &str) -> sqlx::Result<Vec<ResponseRow>> {
    sqlx::query_as(&format!("{RESPONSE_SELECT} WHERE c.organisation_id = $1 ORDER BY c.opened_at DESC, c.id")).bind(org).fetch_all(db).await
}

/// One response, whoever's (residents read them).
pub async fn response(db: &Db, id: &str) -> sqlx::Result<Option<ResponseRow>> {
    sqlx::query_as(&format!("{RESPONSE_SELECT} WHERE c.id = $1")).bind(id).fetch_optional(db).await
}

/// The residents invited to a response, in a stable order.
pub async fn invited(conn: &mut sqlx::AnyConnection, response_id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT resident_id FROM community_invitations WHERE response_id = $1 ORDER BY resident_id")
        .bind(response_id)
        .fetch_all(&mut *conn)
        .await
}

/// A progress update to store.
pub struct NewUpdate<'a> {
    pub organisation_id: &'a str,
    pub response_id: &'a str,
    pub update: &'a crate::domain::community_response::Update,
    pub sent_to: i64,
    pub posted_by: &'a str,
}

/// Stores an update on an open response (in the caller's transaction), closing the response if
/// the update says so; false (and nothing stored) if the response is not open.
pub async fn post_update(conn: &mut sqlx::AnyConnection, u: &NewUpdate<'_>, at: i64) -> sqlx::Result<bool> {
    let still_open = if u.update.closes {
        sqlx::query(
            "UPDATE community_responses SET status = 'closed', closed_at = $3 WHERE id = $1 AND organisation_id = $2 AND status = 'open'",
        )
        .bind(u.response_id)
        .bind(u.organisation_id)
        .bind(at)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1
    } else {
        // Writes the row (changing nothing) so that a closing update at the same moment waits
        // for this one, or this one finds it closed.
        sqlx::query("UPDATE community_responses SET status = status WHERE id = $1 AND organisation_id = $2 AND status = 'open'")
            .bind(u.response_id)
            .bind(u.organisation_id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 1
    };
    if !still_open {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO community_updates (id, response_id, organisation_id, body, closing, sent_to, posted_by, posted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(u.response_id)
    .bind(u.organisation_id)
    .bind(&u.update.body)
    .bind(i64::from(u.update.closes))
    .bind(u.sent_to)
    .bind(u.posted_by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// A response's updates, newest first: (words, closed it, sent to how many, when).
pub async fn updates(db: &Db, response_id: &str) -> sqlx::Result<Vec<(String, i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT body, closing, sent_to, posted_at FROM community_updates WHERE response_id = $1 ORDER BY posted_at DESC, id DESC",
    )
    .bind(response_id)
    .fetch_all(db)
    .await
}

/// The open opportunities linked to a response: (id, title, who posted it), by title.
pub async fn linked_opportunities(db: &Db, response_id: &str) -> sqlx::Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT o.id, o.title, o.title_cy, g.name FROM community_response_opportunities l JOIN opportunities o ON o.id = l.opportunity_id \
         JOIN organisations g ON g.id = o.organisation_id WHERE l.response_id = $1 AND o.status = 'open' ORDER BY o.title, o.id",
    )
    .bind(response_id)
    .fetch_all(db)
    .await
}

/// Takes opportunity `opportunity_id` off response `response_id` while it is open: whether it
/// was linked, or `None` if the response is closed (then nothing changes).
pub async fn unlink_opportunity(db: &Db, response_id: &str, opportunity_id: &str) -> sqlx::Result<Option<bool>> {
    let done = sqlx::query(
        "DELETE FROM community_response_opportunities WHERE response_id = $1 AND opportunity_id = $2 \
         AND EXISTS (SELECT 1 FROM community_responses c WHERE c.id = $1 AND c.status = 'open')",
    )
    .bind(response_id)
    .bind(opportunity_id)
    .execute(db)
    .await?;
    if done.rows_affected() > 0 {
        return Ok(Some(true));
    }
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM community_responses WHERE id = $1 AND status = 'open'")
        .bind(response_id)
        .fetch_one(db)
        .await?;
    Ok((open > 0).then_some(false))
}

/// The open opportunities offered to `org`'s residents (its own, and its groups') that are not
/// linked to the response yet: (id, title), by title.
pub async fn linkable(db: &Db, org: &str, response_id: &str) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT o.id, o.title FROM opportunities o WHERE o.network_id = $1 AND o.status = 'open' AND NOT EXISTS \
         (SELECT 1 FROM community_response_opportunities l WHERE l.response_id = $2 AND l.opportunity_id = o.id) ORDER BY o.title, o.id LIMIT 500",
    )
    .bind(org)
    .bind(response_id)
    .fetch_all(db)
    .await
}

/// Links an open opportunity offered to `org`'s residents to one of its open responses: false if
/// the opportunity is not one of those (linking one twice is no change, and true).
pub async fn link_opportunity(db: &Db, org: &str, (response_id, opportunity_id): (&str, &str), by: &str, at: i64) -> sqlx::Result<bool> {
    let offered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM opportunities WHERE id = $1 AND network_id = $2 AND status = 'open'")
        .bind(opportunity_id)
        .bind(org)
        .fetch_one(db)
        .await?;
    if offered == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO community_response_opportunities (response_id, opportunity_id, linked_by, linked_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(response_id)
    .bind(opportunity_id)
    .bind(by)
    .bind(at)
    .execute(db)
    .await?;
    Ok(true)
}
