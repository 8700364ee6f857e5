//! Opportunities, volunteer profiles and expressions of interest.
//!
//! Lists (interests, skills, areas) are stored as JSON arrays: matching reads whole rows and
//! ranks them in memory with the domain's engine, so nothing filters on them in SQL.

use crate::domain::volunteering::{CheckedOpportunity, CheckedProfile, InterestStatus, OpportunityStatus};
use crate::server::Db;
use crate::types::Named;

pub fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub fn from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The organisation whose residents, areas and interests `organisation_id` works with: its host
/// when it has one, else itself.
pub async fn network_of<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, organisation_id: &str) -> sqlx::Result<String> {
    let host: Option<Option<String>> =
        sqlx::query_scalar("SELECT host_id FROM organisations WHERE id = $1").bind(organisation_id).fetch_optional(db).await?;
    Ok(host.flatten().unwrap_or_else(|| organisation_id.to_string()))
}

pub async fn set_host(db: &Db, organisation_id: &str, host_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE organisations SET host_id = $2 WHERE id = $1").bind(organisation_id).bind(host_id).execute(db).await?;
    Ok(())
}

/// An organisation's active areas or interests, by name.
pub async fn named(db: &Db, table: &'static str, organisation_id: &str) -> sqlx::Result<Vec<Named>> {
    debug_assert!(table == "areas" || table == "interests");
    let rows: Vec<(String, String)> =
        sqlx::query_as(&format!("SELECT id, name FROM {table} WHERE organisation_id = $1 AND active = 1 ORDER BY name, id"))
            .bind(organisation_id)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(id, name)| Named { id, name }).collect())
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct OpportunityRow {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub network_id: String,
    pub title: String,
    pub description: String,
    pub title_cy: String,
    pub description_cy: String,
    pub interests: String,
    pub skills: String,
    pub areas: String,
    pub place: String,
    pub regular: i64,
    pub on_date: Option<String>,
    pub times: i64,
    pub hours_per_week: Option<i64>,
    pub minimum_age: i64,
    pub dbs_required: i64,
    pub capacity: Option<i64>,
    pub accessibility: String,
    pub contact: String,
    #[sqlx(try_from = "String")]
    pub status: OpportunityStatus,
    pub updated_at: i64,
}

impl OpportunityRow {
    /// Open, and not a one-off whose day has passed (`today`: UK date).
    pub fn takes_volunteers(&self, today: &str) -> bool {
        self.status == OpportunityStatus::Open && self.on_date.as_deref().is_none_or(|d| d >= today)
    }

    /// What the matching engine needs.
    pub fn for_matching(&self) -> crate::domain::matching::Opportunity {
        crate::domain::matching::Opportunity {
            id: self.id.clone(),
            interests: from_json(&self.interests),
            skills: from_json(&self.skills),
            areas: from_json(&self.areas),
            times: crate::domain::matching::Week(self.times as u32),
            minimum_age: self.minimum_age.clamp(0, 255) as u8,
            dbs_required: self.dbs_required == 1,
            open: self.status == OpportunityStatus::Open,
        }
    }
}

const OPPORTUNITY_SELECT: &str =
    "SELECT o.id, o.organisation_id, g.name AS organisation_name, o.network_id, o.title, o.description, o.title_cy, o.description_cy, \
     o.interests, o.skills, o.areas, o.place, o.regular, o.on_date, o.times, o.hours_per_week, o.minimum_age, o.dbs_required, \
     o.capacity, o.accessibility, o.contact, o.status, o.updated_at \
     FROM opportunities o JOIN organisations g ON g.id = o.organisation_id";

pub async fn insert_opportunity(
    db: &Db,
    organisation_id: &str,
    network_id: &str,
    o: &CheckedOpportunity,
    status: OpportunityStatus,
    created_by: &str,
    now: i64,
) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO opportunities (id, organisation_id, network_id, title, description, interests, skills, areas, place, regular, on_date, \
         times, hours_per_week, minimum_age, dbs_required, capacity, accessibility, contact, status, created_by, created_at, updated_at, \
         title_cy, description_cy) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, $22, $23)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(network_id)
    .bind(&o.title)
    .bind(&o.description)
    .bind(to_json(&o.interests))
    .bind(to_json(&o.skills))
    .bind(to_json(&o.areas))
    .bind(&o.place)
    .bind(o.regular as i64)
    .bind(o.on_date.as_deref())
    .bind(o.times.0 as i64)
    .bind(o.hours_per_week)
    .bind(o.minimum_age)
    .bind(o.dbs_required as i64)
    .bind(o.capacity)
    .bind(&o.accessibility)
    .bind(&o.contact)
    .bind(status.as_str())
    .bind(created_by)
    .bind(now)
    .bind(&o.title_cy)
    .bind(&o.description_cy)
    .execute(db)
    .await?;
    Ok(id)
}

/// Changes the details of one of `organisation_id`'s opportunities; false when it has none by that id.
pub async fn update_opportunity(db: &Db, organisation_id: &str, id: &str, o: &CheckedOpportunity, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE opportunities SET title = $3, description = $4, interests = $5, skills = $6, areas = $7, place = $8, regular = $9, \
         on_date = $10, times = $11, hours_per_week = $12, minimum_age = $13, dbs_required = $14, capacity = $15, accessibility = $16, \
         contact = $17, updated_at = $18, title_cy = $19, description_cy = $20 WHERE organisation_id = $1 AND id = $2",
    )
    .bind(organisation_id)
    .bind(id)
    .bind(&o.title)
    .bind(&o.description)
    .bind(to_json(&o.interests))
    .bind(to_json(&o.skills))
    .bind(to_json(&o.areas))
    .bind(&o.place)
    .bind(o.regular as i64)
    .bind(o.on_date.as_deref())
    .bind(o.times.0 as i64)
    .bind(o.hours_per_week)
    .bind(o.minimum_age)
    .bind(o.dbs_required as i64)
    .bind(o.capacity)
    .bind(&o.accessibility)
    .bind(&o.contact)
    .bind(now)
    .bind(&o.title_cy)
    .bind(&o.description_cy)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_opportunity_status(db: &Db, organisation_id: &str, id: &str, status: OpportunityStatus, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE opportunities SET status = $3, updated_at = $4 WHERE organisation_id = $1 AND id = $2")
        .bind(organisation_id)
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find_opportunity(db: &Db, id: &str) -> sqlx::Result<Option<OpportunityRow>> {
    sqlx::query_as(&format!("{OPPORTUNITY_SELECT} WHERE o.id = $1")).bind(id).fetch_optional(db).await
}

/// Open opportunities, newest first, leaving out one-offs whose day (UK) has passed: of one
/// network, or of every one.
pub async fn open_opportunities(db: &Db, network_id: Option<&str>, today: &str) -> sqlx::Result<Vec<OpportunityRow>> {
    const OPEN: &str = "o.status = 'open' AND (o.on_date IS NULL OR o.on_date >= $1)";
    match network_id {
        Some(n) => {
            sqlx::query_as(&format!("{OPPORTUNITY_SELECT} WHERE {OPEN} AND o.network_id = $2 ORDER BY o.updated_at DESC, o.id"))
                .bind(today)
                .bind(n)
                .fetch_all(db)
                .await
        }
        None => {
            sqlx::query_as(&format!("{OPPORTUNITY_SELECT} WHERE {OPEN} ORDER BY o.updated_at DESC, o.id")).bind(today).fetch_all(db).await
        }
    }
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct OwnOpportunityRow {
    pub id: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: OpportunityStatus,
    pub interests_new: i64,
    pub interests_total: i64,
    /// New for at least the chasing period.
    pub interests_waiting: i64,
}

/// A group's own opportunities, with how their inboxes stand.
pub async fn opportunities_of(db: &Db, organisation_id: &str, waiting_since: i64) -> sqlx::Result<Vec<OwnOpportunityRow>> {
    sqlx::query_as(
        "SELECT o.id, o.title, o.status, \
         (SELECT COUNT(*) FROM volunteer_interests i WHERE i.opportunity_id = o.id AND i.status = 'new') AS interests_new, \
         (SELECT COUNT(*) FROM volunteer_interests i WHERE i.opportunity_id = o.id) AS interests_total, \
         (SELECT COUNT(*) FROM volunteer_interests i WHERE i.opportunity_id = o.id AND i.status = 'new' AND i.created_at <= $2) AS interests_waiting \
         FROM opportunities o WHERE o.organisation_id = $1 ORDER BY o.updated_at DESC, o.id",
    )
    .bind(organisation_id)
    .bind(waiting_since)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ProfileRow {
    pub id: String,
    pub network_id: String,
    pub user_id: Option<String>,
    pub resident_id: Option<String>,
    pub interests: String,
    pub skills: String,
    pub areas: String,
    pub availability: i64,
    pub age_band: String,
    pub has_dbs: i64,
    pub open_to_suggestions: i64,
    /// The person's name and how to reach them (account e-mail, or what the worker noted).
    pub name: String,
    pub contact: String,
    /// `user:<id>` or `resident:<id>`.
    pub person: String,
}

impl ProfileRow {
    pub fn for_matching(&self) -> crate::domain::matching::Profile {
        use crate::domain::matching::{AgeBand, Profile, Week};
        Profile {
            interests: from_json(&self.interests),
            skills: from_json(&self.skills),
            areas: from_json(&self.areas),
            availability: Week(self.availability as u32),
            // An unknown band is treated as the youngest, so age rules never let it through.
            age: AgeBand::parse(&self.age_band).unwrap_or(AgeBand::Under16),
            has_dbs: self.has_dbs == 1,
        }
    }
}

const PROFILE_SELECT: &str =
    "SELECT p.id, p.network_id, p.user_id, p.resident_id, p.interests, p.skills, p.areas, p.availability, p.age_band, \
     p.has_dbs, p.open_to_suggestions, COALESCE(u.display_name, r.name, '') AS name, COALESCE(u.email, r.contact, '') AS contact, \
     COALESCE('user:' || p.user_id, 'resident:' || p.resident_id, '') AS person \
     FROM volunteer_profiles p LEFT JOIN users u ON u.id = p.user_id LEFT JOIN residents r ON r.id = p.resident_id";

pub async fn profile_of_user(db: &Db, user_id: &str) -> sqlx::Result<Option<ProfileRow>> {
    sqlx::query_as(&format!("{PROFILE_SELECT} WHERE p.user_id = $1")).bind(user_id).fetch_optional(db).await
}

/// A profile a worker made at the door for a resident of `network_id` whose recorded contact is
/// `email` (the resident's own account can start from it).
pub async fn door_profile_for(db: &Db, network_id: &str, email: &str) -> sqlx::Result<Option<ProfileRow>> {
    sqlx::query_as(&format!(
        "{PROFILE_SELECT} WHERE p.network_id = $1 AND p.resident_id IS NOT NULL AND LOWER(TRIM(r.contact)) = LOWER($2) ORDER BY p.updated_at DESC LIMIT 1"
    ))
    .bind(network_id)
    .bind(email.trim())
    .fetch_optional(db)
    .await
}

/// Saves a profile for a resident's account or for a resident met at the door (`owner` is
/// `("user_id", id)` or `("resident_id", id)`), replacing the one they had.
pub async fn save_profile<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    network_id: &str,
    owner: (&'static str, &str),
    p: &CheckedProfile,
    now: i64,
) -> sqlx::Result<()> {
    debug_assert!(owner.0 == "user_id" || owner.0 == "resident_id");
    let column = owner.0;
    sqlx::query(&format!(
        "INSERT INTO volunteer_profiles (id, network_id, {column}, interests, skills, areas, availability, age_band, has_dbs, \
         open_to_suggestions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
         ON CONFLICT ({column}) DO UPDATE SET interests = excluded.interests, skills = excluded.skills, areas = excluded.areas, \
         availability = excluded.availability, age_band = excluded.age_band, has_dbs = excluded.has_dbs, \
         open_to_suggestions = excluded.open_to_suggestions, updated_at = excluded.updated_at"
    ))
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(network_id)
    .bind(owner.1)
    .bind(to_json(&p.interests))
    .bind(to_json(&p.skills))
    .bind(to_json(&p.areas))
    .bind(p.availability.0 as i64)
    .bind(p.age_band.map(|b| b.as_str()).unwrap_or(""))
    .bind(p.has_dbs as i64)
    .bind(p.open_to_suggestions as i64)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Profiles in `network_id` whose owners agreed to be suggested to groups.
pub async fn suggestable_profiles(db: &Db, network_id: &str) -> sqlx::Result<Vec<ProfileRow>> {
    sqlx::query_as(&format!("{PROFILE_SELECT} WHERE p.network_id = $1 AND p.open_to_suggestions = 1 ORDER BY p.id"))
        .bind(network_id)
        .fetch_all(db)
        .await
}

pub struct NewInterest<'a> {
    pub id: &'a str,
    pub opportunity_id: &'a str,
    pub organisation_id: &'a str,
    pub user_id: Option<&'a str>,
    pub resident_id: Option<&'a str>,
    pub share_contact: bool,
    pub message: &'a str,
    pub recorded_by: Option<&'a str>,
}

/// Records an expression of interest once: false when this person (or this id) already has one
/// for the opportunity.
pub async fn insert_interest<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, n: &NewInterest<'_>, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO volunteer_interests (id, opportunity_id, organisation_id, user_id, resident_id, share_contact, message, status, \
         recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $9) ON CONFLICT DO NOTHING",
    )
    .bind(n.id)
    .bind(n.opportunity_id)
    .bind(n.organisation_id)
    .bind(n.user_id)
    .bind(n.resident_id)
    .bind(n.share_contact as i64)
    .bind(n.message)
    .bind(n.recorded_by)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct InboxRow {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub status: InterestStatus,
    pub share_contact: i64,
    pub message: String,
    pub created_at: i64,
    /// 1 when a worker registered it at the door.
    pub at_the_door: i64,
    pub name: String,
    pub contact: String,
    /// `user:<id>` or `resident:<id>`.
    pub person: String,
}

/// The interest in one of `organisation_id`'s opportunities, oldest first.
pub async fn inbox(db: &Db, organisation_id: &str, opportunity_id: &str) -> sqlx::Result<Vec<InboxRow>> {
    sqlx::query_as(&format!(
        // At the door, sharing follows the resident's newest answer about volunteering, on any
        // of their records (`repo::people`): a later "no" hides what an earlier "yes" shared.
        "SELECT i.id, i.status, CAST(CASE WHEN i.resident_id IS NULL THEN i.share_contact \
         WHEN (SELECT c.granted FROM consents c WHERE c.resident_id IN {} AND c.purpose = 'volunteering_opportunities' \
               ORDER BY c.occurred_at DESC, c.granted ASC, c.received_at DESC, c.id DESC LIMIT 1) = 1 THEN i.share_contact ELSE 0 END AS BIGINT) AS share_contact, \
         i.message, i.created_at, \
         CAST(CASE WHEN i.resident_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS at_the_door, \
         COALESCE(u.display_name, r.name, '') AS name, COALESCE(u.email, r.contact, '') AS contact, \
         COALESCE('user:' || i.user_id, 'resident:' || i.resident_id, '') AS person \
         FROM volunteer_interests i LEFT JOIN users u ON u.id = i.user_id LEFT JOIN residents r ON r.id = i.resident_id \
         WHERE i.organisation_id = $1 AND i.opportunity_id = $2 ORDER BY i.created_at, i.id",
        super::people::person_of("i.resident_id")
    ))
    .bind(organisation_id)
    .bind(opportunity_id)
    .fetch_all(db)
    .await
}

/// Moves an interest on. A resident put forward at the door counts in the dashboard's
/// involvement funnel, which follows in the same transaction.
pub async fn set_interest_status(
    db: &crate::server::Db,
    organisation_id: &str,
    id: &str,
    status: InterestStatus,
    now: i64,
) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    // The resident's organisation's counts lock comes before any write (see `Backend::lock_counts`).
    // At the door (a resident record), or online (an account, whose record door records may be
    // linked to).
    let found: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT v.resident_id, (SELECT r.id FROM residents r WHERE r.user_id = v.user_id) FROM volunteer_interests v WHERE v.organisation_id = $1 AND v.id = $2",
    )
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let resident = found.and_then(|(door, account)| door.or(account));
    if let Some(r) = &resident {
        let org: Option<(String,)> =
            sqlx::query_as("SELECT organisation_id FROM residents WHERE id = $1").bind(r).fetch_optional(&mut *tx).await?;
        if let Some((org,)) = org {
            db.backend.lock_counts(&mut tx, &org).await?;
        }
    }
    let done = sqlx::query("UPDATE volunteer_interests SET status = $3, status_changed_at = $4 WHERE organisation_id = $1 AND id = $2")
        .bind(organisation_id)
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(resident) = &resident {
        super::intelligence::after_resident_changed(&mut tx, db.backend, resident).await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct MyInterestRow {
    pub opportunity_id: String,
    pub title: String,
    pub title_cy: String,
    pub organisation_name: String,
    #[sqlx(try_from = "String")]
    pub status: InterestStatus,
    pub share_contact: i64,
    pub created_at: i64,
}

/// A resident's expressions of interest, newest first.
pub async fn interests_of_user(db: &Db, user_id: &str) -> sqlx::Result<Vec<MyInterestRow>> {
    sqlx::query_as(
        "SELECT i.opportunity_id, o.title, o.title_cy, g.name AS organisation_name, i.status, i.share_contact, i.created_at \
         FROM volunteer_interests i JOIN opportunities o ON o.id = i.opportunity_id JOIN organisations g ON g.id = i.organisation_id \
         WHERE i.user_id = $1 ORDER BY i.created_at DESC, i.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}
