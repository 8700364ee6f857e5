//! The demo's referrals: each one the conversations made to the council's services has a life
//! (chased, accepted, answered), and the garden group has a few of its own waiting for it.

use crate::domain::referral::{after, Recipient, ReferralStatus, Step, Taker};
use crate::server::{db::Db, now, repo};

type Result = std::result::Result<(), Box<dyn std::error::Error + Send + Sync>>;

pub(super) async fn seed_referrals(db: &Db, council: &str, group: &str) -> Result {
    let t = now();
    sqlx::query(
        "INSERT INTO referrals (id, organisation_id, interaction_id, owner_id, service_id, status, sent_at, occurred_at, area_id, kind, worker_id, created_at) \
         SELECT i.id, i.organisation_id, i.id, i.worker_id, i.service_id, 'sent', i.occurred_at, i.occurred_at, i.area_id, i.kind, i.worker_id, i.received_at \
         FROM interactions i WHERE i.organisation_id = $1 AND i.action = 'referred_to_service' AND i.service_id IS NOT NULL",
    )
    .bind(council)
    .execute(db)
    .await?;
    let made: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT id, owner_id, sent_at FROM referrals WHERE organisation_id = $1 ORDER BY sent_at, id")
            .bind(council)
            .fetch_all(db)
            .await?;
    for (n, (id, owner, sent_at)) in made.iter().enumerate() {
        // In turn: still waiting; chased and accepted; chased, then answered; answered at once.
        let steps: &[(&str, i64, &str)] = match n % 4 {
            0 => &[],
            1 => &[("chased", 2, "Phoned the team, left a message"), ("accepted", 3, "")],
            2 => &[("chased", 3, "Emailed the duty officer"), ("answered", 6, "Visit booked; they will write to the resident")],
            _ => &[("answered", 1, "Done the next day")],
        };
        let mut status = ReferralStatus::Sent;
        for (step, days, note) in steps {
            let at = sent_at + days * 86_400;
            if at > t {
                break;
            }
            let step = Step::parse(step).ok_or("unknown step")?;
            let to = after(status, step, Taker::Owner, Recipient::Service)?;
            let step_id = uuid::Uuid::new_v4().to_string();
            let new = repo::referrals::NewStep {
                id: &step_id,
                referral_id: id,
                organisation_id: council,
                step,
                note,
                made_by: owner,
                occurred_at: at,
                received_at: at,
            };
            let mut conn = db.acquire().await?;
            repo::referrals::write_step(&mut conn, &new, status, to).await?;
            status = to;
        }
    }
    // A small demo: five residents raising one issue in one area within 30 days make a cluster.
    repo::community::save_rule(db, council, &crate::domain::cluster::Rule { threshold: 5, window_days: 30 }).await?;
    // Three referred to the garden group by Sam this week, waiting for Dee.
    let sam = repo::users::find_by_email(db, "sam@riverside.example").await?.ok_or("demo worker missing")?;
    let area: String = sqlx::query_scalar("SELECT id FROM areas WHERE organisation_id = $1 AND name = 'Northside Ward'")
        .bind(council)
        .fetch_one(db)
        .await?;
    let theme: String = sqlx::query_scalar("SELECT id FROM themes WHERE organisation_id = $1 AND name = 'Health and wellbeing'")
        .bind(council)
        .fetch_one(db)
        .await?;
    for (days_ago, asked) in [
        (2, "Could one of your volunteers help clear an overgrown back garden? The resident uses a wheelchair."),
        (4, "Somewhere to meet people: the resident has been on their own since moving here."),
        (5, "A raised bed for growing vegetables, if you have one spare."),
    ] {
        let id = uuid::Uuid::new_v4().to_string();
        let at = t - days_ago * 86_400;
        sqlx::query(
            "INSERT INTO interactions (id, organisation_id, worker_id, kind, area_id, occurred_at, outcome, action, partner_id, felt_heard, \
             schema_version, device_id, created_on_device_at, received_at) \
             VALUES ($1, $2, $3, 'doorstep', $4, $5, 'talked', 'referred_to_partner', $6, 4, 2, 'demo', $5, $5)",
        )
        .bind(&id)
        .bind(council)
        .bind(&sam.id)
        .bind(&area)
        .bind(at)
        .bind(group)
        .execute(db)
        .await?;
        sqlx::query("INSERT INTO interaction_issues (interaction_id, theme_id) VALUES ($1, $2)").bind(&id).bind(&theme).execute(db).await?;
        sqlx::query(
            "INSERT INTO referrals (id, organisation_id, interaction_id, owner_id, partner_id, asked, status, sent_at, occurred_at, area_id, kind, worker_id, created_at) \
             VALUES ($1, $2, $1, $3, $4, $5, 'sent', $6, $6, $7, 'doorstep', $3, $6)",
        )
        .bind(&id)
        .bind(council)
        .bind(&sam.id)
        .bind(group)
        .bind(asked)
        .bind(at)
        .bind(&area)
        .execute(db)
        .await?;
    }
    Ok(())
}
