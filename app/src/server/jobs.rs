//! Work beside the requests, when several instances share one database.
//!
//! Every instance runs the same background loops; what must happen once is claimed in the
//! database, never in memory:
//! - a **singleton** (the counts' rebuild, housekeeping, the start-up seed) holds a PostgreSQL
//!   advisory lock while it works: an instance that cannot have it passes its turn
//!   ([`Db::try_singleton`]) or waits ([`Db::singleton`]);
//! - a **scheduled job** (retention, daily) is claimed for its period in `scheduled_jobs`
//!   ([`claim_run`]), so it runs once a day whichever instance gets there first, and a restart
//!   does not run it again;
//! - a **queue** (outgoing mail) is claimed row by row with `FOR UPDATE SKIP LOCKED` (`mail.rs`).
//!
//! One SQLite file is served by one process (README, "Running at scale"): there a singleton is
//! always granted, and the write lock orders the rest.

use super::db::{Backend, Db};
use sqlx::pool::PoolConnection;
use sqlx::Any;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The advisory lock's number for a singleton's name (FNV-1a, 64 bits, of `mobilise:<name>`):
/// the same in every instance and every build.
pub fn lock_key(name: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in "mobilise:".bytes().chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// Held while a singleton works; [`Singleton::release`] it when done. Dropped without that (a
/// panic, a cancelled task), its connection is closed rather than put back in the pool still
/// holding the lock, and PostgreSQL lets the lock go with the session.
#[must_use]
pub struct Singleton {
    conn: Option<PoolConnection<Any>>,
    key: i64,
}

impl Singleton {
    pub async fn release(mut self) {
        if let Some(mut conn) = self.conn.take() {
            if let Err(e) = sqlx::query("SELECT pg_advisory_unlock($1)").bind(self.key).execute(&mut *conn).await {
                tracing::warn!(%e, "could not release an advisory lock; closing its connection instead");
                drop(conn.detach());
            }
        }
    }
}

impl Drop for Singleton {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            drop(conn.detach());
        }
    }
}

impl Db {
    /// The singleton `name` if no instance holds it now; None if one does.
    pub async fn try_singleton(&self, name: &str) -> sqlx::Result<Option<Singleton>> {
        let key = lock_key(name);
        if self.backend == Backend::Sqlite {
            return Ok(Some(Singleton { conn: None, key }));
        }
        let mut conn = self.pool.acquire().await?;
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut *conn).await?;
        Ok(got.then_some(Singleton { conn: Some(conn), key }))
    }

    /// The singleton `name`, waiting for the instance that holds it to finish. Asked for again
    /// every quarter of a second rather than waited for in one statement, which a
    /// `statement_timeout` would cancel while another instance takes long to start.
    pub async fn singleton(&self, name: &str) -> sqlx::Result<Singleton> {
        loop {
            if let Some(held) = self.try_singleton(name).await? {
                return Ok(held);
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
}

/// Claims this period's run of scheduled job `name`: true, with the run marked as started now by
/// `by`, when no run of it started in the last `every` seconds on any instance, or when the last
/// one started over `stale_after` seconds ago and never finished (its instance stopped or died
/// mid-run: a run still going holds the job's singleton, so nobody asks meanwhile). False
/// otherwise. One conditional update, so two instances asking at once cannot both have it.
pub async fn claim_run(db: &Db, name: &str, every: i64, stale_after: i64, now: i64, by: &str) -> sqlx::Result<bool> {
    sqlx::query("INSERT INTO scheduled_jobs (name) VALUES ($1) ON CONFLICT (name) DO NOTHING").bind(name).execute(db).await?;
    let claimed = sqlx::query(
        "UPDATE scheduled_jobs SET last_started_at = $2, run_by = $3 \
         WHERE name = $1 AND (last_started_at IS NULL OR last_started_at <= $4 \
         OR (COALESCE(last_finished_at, 0) < last_started_at AND last_started_at <= $5))",
    )
    .bind(name)
    .bind(now)
    .bind(by)
    .bind(now - every)
    .bind(now - stale_after)
    .execute(db)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Records how a claimed run ended. A run that failed may be claimed again `retry_after` seconds
/// from now, not only in the next period (`every` as given to [`claim_run`]).
pub async fn finish_run(db: &Db, name: &str, ok: bool, now: i64, every: i64, retry_after: i64) -> sqlx::Result<()> {
    if ok {
        sqlx::query("UPDATE scheduled_jobs SET last_finished_at = $2 WHERE name = $1").bind(name).bind(now).execute(db).await?;
    } else {
        // Ended (so not taken for one cut off), with its start moved back so that the next
        // period begins `retry_after` from now.
        let started = (now + retry_after - every).min(now);
        sqlx::query("UPDATE scheduled_jobs SET last_started_at = $2, last_finished_at = $3 WHERE name = $1")
            .bind(name)
            .bind(started)
            .bind(now)
            .execute(db)
            .await?;
    }
    Ok(())
}

/// This instance's name in `scheduled_jobs.run_by` and the logs: the host and the process.
pub fn instance_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let host = std::env::var("HOSTNAME")
            .ok()
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .map(|h| h.trim().chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')).take(64).collect::<String>())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "host".into());
        format!("{host}:{}", std::process::id())
    })
}

/// Set when the instance has been asked to stop: `/readyz` then says "draining", so a load
/// balancer sends no new requests, and the loops here take no new work.
#[derive(Clone, Debug, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_singleton_has_its_own_lock_and_the_same_one_in_every_build() {
        assert_eq!(lock_key("retention"), lock_key("retention"));
        assert_ne!(lock_key("retention"), lock_key("counts"));
        // FNV-1a of "mobilise:" alone, computed outside Rust: changing the function would let an
        // old and a new instance run the same job side by side during an upgrade.
        assert_eq!(lock_key(""), 0x0738_3d6d_5a01_3abf);
    }

    #[test]
    fn an_instance_is_named_by_its_host_and_process() {
        let name = instance_name();
        assert!(name.ends_with(&format!(":{}", std::process::id())), "{name}");
        assert!(!name.chars().any(char::is_control));
    }
}
