//! Demo data for trying Mobilise out: only into an empty database, never in production.

use super::{auth::hash_password, config::Config, db::Db, now, repo};
use crate::domain::{OrganisationKind, Role};

/// Every demo account signs in with this password (printed in README.md).
pub const DEMO_PASSWORD: &str = "mobilise-demo-2026";

pub const DEMO_ACCOUNTS: &[(&str, &str, Role, bool)] = &[
    // (email, name, role, in the community group rather than the council)
    ("admin@riverside.example", "Priya Shah", Role::Admin, false),
    ("sam@riverside.example", "Sam Okafor", Role::OutreachWorker, false),
    ("jo@riverside.example", "Jo Evans", Role::OutreachWorker, false),
    ("dee@northside-garden.example", "Dee Campbell", Role::GroupOrganiser, true),
    ("alex@resident.example", "Alex Morgan", Role::Resident, false),
];

/// The council's lists: wards, issue themes, services to refer to, volunteering interests.
pub const DEMO_LISTS: &[(&str, &[&str])] = &[
    ("areas", &["Castle Ward", "Mill Ward", "Northside Ward", "River Ward"]),
    ("themes", &["Antisocial behaviour", "Cost of living", "Damp and mould", "Health and wellbeing", "Housing repairs", "Parks and green spaces", "Transport"]),
    ("services", &["Benefits advice", "Citizens Advice", "Community safety team", "Environmental health", "Housing repairs team"]),
    ("interests", &["Befriending", "Community events", "Food bank", "Gardening", "Litter picking", "Youth activities"]),
];

/// Seeds when asked, allowed and the database is empty. Returns whether it seeded.
pub async fn seed_demo_if_empty(db: &Db, config: &Config) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    if !config.demo_data || config.production {
        return Ok(false);
    }
    if repo::organisations::count(&db.pool).await? > 0 {
        return Ok(false);
    }
    let t = now();
    let council = repo::organisations::insert(&db.pool, "Riverside Borough Council", OrganisationKind::Council, t).await?;
    let group = repo::organisations::insert(&db.pool, "Northside Community Garden", OrganisationKind::CommunityGroup, t).await?;
    for (table, names) in DEMO_LISTS {
        for name in *names {
            repo::outreach::insert_named(&db.pool, table, &council, name).await?;
        }
    }
    let hash = hash_password(DEMO_PASSWORD.to_string()).await.map_err(|e| e.to_string())?;
    for (email, name, role, in_group) in DEMO_ACCOUNTS {
        let organisation_id = if *in_group { &group } else { &council };
        repo::users::insert(
            &db.pool,
            repo::users::NewUser { organisation_id, email, display_name: name, role: *role, password_hash: Some(&hash), created_by: None },
            t,
        )
        .await?;
    }
    Ok(true)
}
