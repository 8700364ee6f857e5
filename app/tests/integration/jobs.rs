//! Background work shared by several instances: a singleton is held by one instance at a time
//! (and let go even if its holder dies), and a scheduled run is claimed once per period.

use crate::common::apps;
use app::server::jobs::{claim_run, finish_run};

const DAY: i64 = 86_400;

#[tokio::test]
async fn a_scheduled_run_is_claimed_once_per_period_and_a_failed_one_is_tried_again_sooner() {
    for app in apps().await {
        let db = &app.db;
        let t = 1_800_000_000;
        // Two instances asking at the same moment: one has it.
        let (a, b) = tokio::join!(claim_run(db, "retention", DAY, 900, t, "a:1"), claim_run(db, "retention", DAY, 900, t, "b:2"));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a ^ b, "{}: exactly one claim of two ({a}, {b})", app.backend);
        let by: String = sqlx::query_scalar("SELECT run_by FROM scheduled_jobs WHERE name = 'retention'").fetch_one(db).await.unwrap();
        assert_eq!(by, if a { "a:1" } else { "b:2" });
        // Not again the same day, on any instance; again the next.
        finish_run(db, "retention", true, t + 60, DAY, 900).await.unwrap();
        assert!(!claim_run(db, "retention", DAY, 900, t + DAY - 1, "b:2").await.unwrap(), "{}", app.backend);
        assert!(!claim_run(db, "retention", DAY, 900, t + 3600, "b:2").await.unwrap());
        assert!(claim_run(db, "retention", DAY, 900, t + DAY, "b:2").await.unwrap(), "{}", app.backend);
        // A run that failed is tried again in 15 minutes, not the next day.
        finish_run(db, "retention", false, t + DAY + 60, DAY, 900).await.unwrap();
        assert!(!claim_run(db, "retention", DAY, 900, t + DAY + 60 + 899, "a:1").await.unwrap(), "{}", app.backend);
        assert!(claim_run(db, "retention", DAY, 900, t + DAY + 60 + 900, "a:1").await.unwrap(), "{}", app.backend);
        // A run whose instance died mid-run (started, never finished) is taken up again after
        // 15 minutes, not the next day.
        assert!(!claim_run(db, "retention", DAY, 900, t + DAY + 960 + 899, "b:2").await.unwrap(), "{}", app.backend);
        assert!(claim_run(db, "retention", DAY, 900, t + DAY + 960 + 900, "b:2").await.unwrap(), "{}", app.backend);
        // Jobs are claimed separately.
        assert!(claim_run(db, "another", DAY, 900, t, "a:1").await.unwrap());
    }
}

/// Whether singleton `name` is free as seen from another session (a connection of its own, as
/// another instance has): PostgreSQL's advisory locks are re-entrant within one session, so the
/// pool's own connections could not tell a lock leaked back into the pool.
async fn free_elsewhere(url: &str, name: &str) -> bool {
    use sqlx::Connection;
    let mut other = sqlx::AnyConnection::connect(url).await.unwrap();
    let key = app::server::jobs::lock_key(name);
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut other).await.unwrap();
    other.close().await.unwrap();
    free
}

#[tokio::test]
async fn a_singleton_is_held_by_one_instance_at_a_time_and_let_go_if_its_holder_dies() {
    for app in apps().await {
        let (db, url) = (&app.db, app.config.database_url.as_str());
        let first = db.try_singleton("counts").await.unwrap().expect("free at first");
        if app.backend == "postgres" {
            // Another instance passes its turn; a different job is free.
            assert!(db.try_singleton("counts").await.unwrap().is_none(), "held");
            assert!(!free_elsewhere(url, "counts").await, "held, as another session sees it");
            let other = db.try_singleton("housekeeping").await.unwrap().expect("another job is free");
            other.release().await;
            assert!(free_elsewhere(url, "housekeeping").await, "released");
        }
        first.release().await;
        let again = db.try_singleton("counts").await.unwrap().expect("free once released");
        // A holder that dies without releasing (a panic, a cancelled task): its connection is
        // closed, not put back in the pool, and the lock goes with it.
        drop(again);
        if app.backend == "postgres" {
            let mut freed = false;
            for _ in 0..50 {
                if free_elsewhere(url, "counts").await {
                    freed = true;
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            assert!(freed, "the lock went with the dropped holder");
        }
        // Waiting for a held singleton: it is had as soon as the holder lets go.
        let held = db.singleton("startup").await.unwrap();
        let db2 = db.clone();
        let waiter = tokio::spawn(async move { db2.singleton("startup").await.unwrap().release().await });
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        if app.backend == "postgres" {
            assert!(!waiter.is_finished(), "waits while another holds it");
        }
        held.release().await;
        tokio::time::timeout(std::time::Duration::from_secs(5), waiter).await.expect("had once let go").unwrap();
    }
}
