//! Demo data for trying Mobilise out: only into an empty database, never in production.

use super::{auth::hash_password, config::Config, db::Db, now, repo};
use crate::domain::{OrganisationKind, Role};

mod consultations;
mod referrals;

/// Every demo account signs in with this password (printed in README.md).
pub const DEMO_PASSWORD: &str = "mobilise-demo-2026";
/// The demo administrator's two-step verification key (printed in README.md): add it to an
/// authenticator app to sign in as them. Administrators must use two-step verification.
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

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
    (
        "themes",
        &[
            "Antisocial behaviour",
            "Cost of living",
            "Damp and mould",
            "Health and wellbeing",
            "Housing repairs",
            "Parks and green spaces",
            "Transport",
        ],
    ),
    ("services", &["Benefits advice", "Citizens Advice", "Community safety team", "Environmental health", "Housing repairs team"]),
    ("interests", &["Befriending", "Community events", "Food bank", "Gardening", "Litter picking", "Youth activities"]),
];

/// Seeds when asked, allowed and the database is empty. Returns whether it seeded.
/// Links in the demo's queued messages (the address `scripts/run.sh` serves on).
const DEMO_LINK_BASE: &str = "http://127.0.0.1:3000";

pub async fn seed_demo_if_empty(db: &Db, config: &Config) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    if !config.demo_data || config.production {
        return Ok(false);
    }
    if repo::organisations::count(db).await? > 0 {
        return Ok(false);
    }
    let t = now();
    let council = repo::organisations::insert(db, "Riverside Borough Council", OrganisationKind::Council, t).await?;
    let group = repo::organisations::insert(db, "Northside Community Garden", OrganisationKind::CommunityGroup, t).await?;
    for (table, names) in DEMO_LISTS {
        for name in *names {
            repo::outreach::insert_named(db, table, &council, name).await?;
        }
    }
    let hash = hash_password(DEMO_PASSWORD.to_string()).await.map_err(|e| e.to_string())?;
    for (email, name, role, in_group) in DEMO_ACCOUNTS {
        let organisation_id = if *in_group { &group } else { &council };
        let id = repo::users::insert(
            db,
            repo::users::NewUser {
                organisation_id,
                email,
                display_name: name,
                role: *role,
                password_hash: Some(&hash),
                created_by: None,
                email_verified: true,
            },
            t,
        )
        .await?;
        if *role == Role::Admin {
            let mut conn = db.acquire().await?;
            repo::users::enable_totp(&mut conn, &id, DEMO_TOTP_SECRET, 0, &[], t).await?;
        }
    }
    consultations::seed_consultations(db, &council).await?;
    seed_volunteering(db, &council, &group).await?;
    seed_outreach(db, &council).await?;
    referrals::seed_referrals(db, &council, &group).await?;
    // Written straight into the tables: count them for the dashboard.
    repo::intelligence::rebuild_organisation(db, &council).await?;
    seed_guidance(db, &council).await?;
    Ok(true)
}

/// "What you can do" about damp and repairs, as a council would write it.
async fn seed_guidance(db: &Db, council: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use crate::domain::guidance::Guidance;
    let admin = repo::users::find_by_email(db, "admin@riverside.example").await?.ok_or("demo admin missing")?;
    let themes: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM themes WHERE organisation_id = $1").bind(council).fetch_all(db).await?;
    let theme = |name: &str| themes.iter().find(|t| t.1 == name).map(|t| t.0.clone()).ok_or("demo theme missing");
    let all = [
        ("Damp and mould", "Open a window for an hour a day, even in winter\nWipe condensation off windows and sills every morning\nKeep furniture a hand's width from outside walls\nReport mould that comes back to your landlord in writing, with photos", "Riverside Tenants' Association helps with repair complaints: Tuesdays 10 to 12 at Mill Library."),
        ("Housing repairs", "Report the repair online or by phone and note the reference number\nKeep a diary and photos of the problem and every call", "Citizens Advice can help if a repair is not done: drop in at the Town Hall on weekdays."),
    ];
    for (name, steps, help) in all {
        let guidance = Guidance { theme_id: theme(name)?, steps: steps.lines().map(str::to_string).collect(), help: help.to_string() };
        repo::guidance::save(db, council, &guidance, &admin.id, now()).await?;
    }
    Ok(())
}

/// The garden group works with the council: three opportunities, one a one-off.
async fn seed_volunteering(db: &Db, council: &str, group: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use crate::domain::matching::Week;
    use crate::domain::volunteering::{CheckedOpportunity, OpportunityStatus};
    repo::volunteering::set_host(db, group, council).await?;
    let dee = repo::users::find_by_email(db, "dee@northside-garden.example").await?.ok_or("demo organiser missing")?;
    let id_of = |list: &[crate::types::Named], name: &str| list.iter().find(|n| n.name == name).map(|n| n.id.clone()).unwrap_or_default();
    let areas = repo::volunteering::named(db, "areas", council).await?;
    let interests = repo::volunteering::named(db, "interests", council).await?;
    let in_a_month = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let opportunities = [
        CheckedOpportunity {
            title: "Saturday garden crew".into(),
            description: "Help grow vegetables and flowers for the neighbourhood: weeding, planting, watering and tea. No experience needed; we lend gloves and tools.".into(),
            title_cy: "Criw garddio dydd Sadwrn".into(),
            description_cy: "Helpwch i dyfu llysiau a blodau i'r gymdogaeth: chwynnu, plannu, dyfrio a phaned. Does dim angen profiad; rydyn ni'n benthyg menig ac offer.".into(),
            interests: vec![id_of(&interests, "Gardening")],
            skills: vec!["gardening".into()],
            areas: vec![id_of(&areas, "Northside Ward")],
            place: "Northside Community Garden, Elm Road".into(),
            regular: true,
            on_date: None,
            times: Week::slot(5, 0),
            hours_per_week: Some(3),
            minimum_age: 0,
            dbs_required: false,
            capacity: Some(12),
            accessibility: "Level paths and raised beds; an accessible toilet on site.".into(),
            contact: "dee@northside-garden.example".into(),
        },
        CheckedOpportunity {
            title: "Tea and chat befriending".into(),
            description: "Visit an older neighbour for a cup of tea and a chat once a week. We match you with someone nearby and support you throughout.".into(),
            title_cy: "Paned a sgwrs: cyfeillio".into(),
            description_cy: "Ymwelwch â chymydog hŷn am baned a sgwrs unwaith yr wythnos. Rydyn ni'n eich paru â rhywun gerllaw ac yn eich cefnogi drwy'r amser.".into(),
            interests: vec![id_of(&interests, "Befriending")],
            skills: vec!["listening".into()],
            areas: vec![],
            place: "In residents' homes".into(),
            regular: true,
            on_date: None,
            times: Week::slot(2, 1).with(3, 1),
            hours_per_week: Some(2),
            minimum_age: 18,
            dbs_required: true,
            capacity: None,
            accessibility: "".into(),
            contact: "dee@northside-garden.example".into(),
        },
        CheckedOpportunity {
            title: "Mill Ward winter litter pick".into(),
            description: "One morning clearing litter along the river path. Pickers, bags and hot drinks provided.".into(),
            // Written in English only: a Welsh reader sees it in English, with a note saying so.
            title_cy: String::new(),
            description_cy: String::new(),
            interests: vec![id_of(&interests, "Litter picking"), id_of(&interests, "Community events")],
            skills: vec![],
            areas: vec![id_of(&areas, "Mill Ward")],
            place: "Meet at Mill Bridge".into(),
            regular: false,
            on_date: Some(in_a_month),
            times: Week::default(),
            hours_per_week: None,
            minimum_age: 0,
            dbs_required: false,
            capacity: Some(30),
            accessibility: "The path is flat but can be muddy.".into(),
            contact: "dee@northside-garden.example".into(),
        },
    ];
    for o in &opportunities {
        repo::volunteering::insert_opportunity(db, group, council, o, OpportunityStatus::Open, &dee.id, now()).await?;
    }
    Ok(())
}

/// Six weeks of conversations by Sam and Jo, so the intelligence dashboard has something to
/// say: varied areas and themes, some residents met more than once, follow-ups open and done.
async fn seed_outreach(db: &Db, council: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let sam = repo::users::find_by_email(db, "sam@riverside.example").await?.ok_or("demo worker missing")?;
    let jo = repo::users::find_by_email(db, "jo@riverside.example").await?.ok_or("demo worker missing")?;
    let areas = repo::volunteering::named(db, "areas", council).await?;
    let themes: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM themes WHERE organisation_id = $1 ORDER BY name").bind(council).fetch_all(db).await?;
    let services: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM services WHERE organisation_id = $1 ORDER BY name").bind(council).fetch_all(db).await?;
    let t = now();
    // A small deterministic generator: the same demo every time.
    let mut seed: u64 = 2026;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let residents: Vec<String> = (0..12).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    for (i, r) in residents.iter().enumerate() {
        // The first eight left an email address and said yes to being invited to have their say.
        let invitable = i < 8;
        let contact = if invitable { format!("demo.resident{}@residents.example", i + 1) } else { String::new() };
        sqlx::query("INSERT INTO residents (id, organisation_id, name, contact, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(r)
            .bind(council)
            .bind(format!("Demo resident {}", i + 1))
            .bind(&contact)
            .bind(&sam.id)
            .bind(t)
            .execute(db)
            .await?;
        if invitable {
            let purpose = crate::domain::outreach::ConsentPurpose::ConsultationInvitations;
            sqlx::query(
                "INSERT INTO consents (id, organisation_id, resident_id, purpose, granted, lawful_basis, wording, method, recorded_by, source_item_id, occurred_at, received_at) \
                 VALUES ($1, $2, $3, $4, 1, 'consent', $5, 'doorstep', $6, $1, $7, $7)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(council)
            .bind(r)
            .bind(purpose.as_str())
            .bind(purpose.wording())
            .bind(&sam.id)
            .bind(t - 30 * 86_400)
            .execute(db)
            .await?;
        }
    }
    for n in 0..180u64 {
        let id = uuid::Uuid::new_v4().to_string();
        let worker = if n % 3 == 0 { &jo.id } else { &sam.id };
        let area = &areas[next(areas.len() as u64) as usize].id;
        let at = t - (next(42 * 24) as i64) * 3_600 - 3_600;
        let talked = next(10) < 7;
        let action = match (talked, next(10)) {
            (false, _) => "no_action",
            (true, 0..=3) => "resolved_on_the_spot",
            (true, 4..=5) => "follow_up",
            (true, 6..=7) => "referred_to_service",
            _ => "no_action",
        };
        let service = (action == "referred_to_service").then(|| services[next(services.len() as u64) as usize].0.clone());
        let resident = (talked && next(3) == 0).then(|| residents[next(residents.len() as u64) as usize].clone());
        let felt_heard = (talked && next(4) != 0).then(|| 2 + next(4) as i64);
        // Most at the door; some at the counter, by phone, on a home visit or online (chosen
        // without drawing, so the rest of the demo stays as it was).
        let kind = match (talked, n % 10) {
            (true, 3) => "phone",
            (true, 6) => "counter",
            (true, 8) => "home_visit",
            (true, 9) => "online",
            _ => "doorstep",
        };
        // About one conversation in six in Welsh, most of the rest recorded as English (again
        // without drawing).
        let language = match (talked, n % 6) {
            (true, 1) => "cy",
            (true, 0 | 2 | 4) => "en",
            _ => "",
        };
        sqlx::query(
            "INSERT INTO interactions (id, organisation_id, worker_id, kind, area_id, occurred_at, outcome, action, felt_heard, resident_id, \
             service_id, schema_version, device_id, created_on_device_at, received_at, language) \
             VALUES ($1, $2, $3, $11, $4, $5, $6, $7, $8, $9, $10, 1, 'demo', $5, $5, $12)",
        )
        .bind(&id)
        .bind(council)
        .bind(worker)
        .bind(area)
        .bind(at)
        .bind(if talked { "talked" } else { "no_one_home" })
        .bind(action)
        .bind(felt_heard)
        .bind(resident.as_deref())
        .bind(service.as_deref())
        .bind(kind)
        .bind(language)
        .execute(db)
        .await?;
        if talked {
            // Damp and housing repairs come up most, as they do.
            let pick = next(10) as usize;
            let theme = &themes[if pick < 3 {
                2
            } else if pick < 5 {
                4
            } else {
                pick % themes.len()
            }]
            .0;
            sqlx::query("INSERT INTO interaction_issues (interaction_id, theme_id) VALUES ($1, $2)")
                .bind(&id)
                .bind(theme)
                .execute(db)
                .await?;
        }
        if action == "follow_up" {
            let resolved = next(2) == 0;
            let due = crate::domain::calendar::uk_date(at + 7 * 86_400);
            sqlx::query(
                "INSERT INTO follow_ups (id, organisation_id, owner_id, due_on, status, resolved_by, resolved_at, version, created_at, occurred_at, area_id, kind, worker_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8, $9, $10, $3)",
            )
            .bind(&id)
            .bind(council)
            .bind(worker)
            .bind(due)
            .bind(if resolved { "resolved" } else { "open" })
            .bind(resolved.then_some(worker.as_str()))
            .bind(resolved.then_some(at + (1 + next(10) as i64) * 86_400))
            .bind(at)
            .bind(area)
            .bind(kind)
            .execute(db)
            .await?;
            // What each side agreed: settled with the follow-up when it was resolved.
            let settled = |kept: bool| {
                if !resolved {
                    "open"
                } else if kept {
                    "kept"
                } else {
                    "not_kept"
                }
            };
            let (we_kept, you_kept) = (next(4) != 0, next(3) != 0);
            // Two in three name the service that will act (chosen without drawing from `next`,
            // so the rest of the demo stays as it was).
            let acting = (n % 3 != 0).then(|| services[n as usize % services.len()].0.as_str());
            for (position, side, text, owner, service, status, reason) in [
                (
                    1,
                    "we",
                    "Chase it with the service and ring back",
                    Some(worker.as_str()),
                    acting,
                    settled(we_kept),
                    "The service had no slot before the due date",
                ),
                (2, "you", "Keep a note of when it happens", None, None, settled(you_kept), "They were away that week"),
            ] {
                sqlx::query(
                    "INSERT INTO commitments (id, organisation_id, follow_up_id, position, side, text, owner_id, due_on, status, outcome_reason, settled_by, settled_at, created_at, service_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(format!("{id}:{position}"))
                .bind(council)
                .bind(&id)
                .bind(position as i64)
                .bind(side)
                .bind(text)
                .bind(owner)
                .bind(owner.map(|_| crate::domain::calendar::uk_date(at + 7 * 86_400)))
                .bind(status)
                .bind(if status == "not_kept" { reason } else { "" })
                .bind(resolved.then_some(worker.as_str()))
                .bind(resolved.then_some(at + 86_400))
                .bind(at)
                .bind(service)
                .execute(db)
                .await?;
            }
        }
    }
    Ok(())
}
