//! Fault injection for the sync protocol: the real outbox state machine on one side, the real
//! router and database on the other, and between them a network, a server and a device that fail
//! in every way we know of. At the end the server must hold exactly what the worker recorded:
//! nothing lost, nothing twice, reported fault by fault.
//!
//! Every run has the network's faults (dropped before and after the commit, duplicated, delayed
//! and reordered), the server dying mid-batch, the device reloading, the device's clock jumping
//! (back three days, ahead half an hour, ten years ahead, back to 1970: the last two are refused
//! and the worker puts the date right), and a tablet that was offline for 30 days across an app
//! upgrade (its outbox as the older version left it, in the previous schema). The soak
//! (`scripts/bench.sh soak`: 10,000 rounds) adds two faults that cannot run beside other tests:
//! - `MOBILISE_SOAK_PG_RESTART=1`: the PostgreSQL server (`MOBILISE_PG_DIR`) restarted while a
//!   batch is in flight;
//! - `MOBILISE_SOAK_TMPFS=<dir>`: the SQLite file on a small tmpfs, filled up while a batch is sent.
//!
//! `MOBILISE_FAULT_ROUNDS` (default 1000) and `MOBILISE_FAULT_SEED` change the run.

use crate::common::*;
use app::domain::outbox::Outbox;
use app::domain::sync::{ItemResult, SyncItem, SyncResponse, SCHEMA_VERSION};
use app::domain::Role;
use app::server::{repo, sync, Db};
use http::StatusCode;
use std::collections::{BTreeMap, HashMap, HashSet};

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    Clean,
    DroppedBeforeCommit,
    DroppedAfterCommit,
    Duplicated,
    DelayedAndReordered,
    LateDelivery,
    ServerDiedMidBatch,
    DeviceReload,
    ClockJump,
    OfflineAcrossUpgrade,
    PostgresRestarted,
    DiskFull,
}

/// How often each fault happened, and the conversations each touched.
#[derive(Default)]
struct Tally {
    times: BTreeMap<Fault, u32>,
    touched: BTreeMap<Fault, HashSet<String>>,
}

impl Tally {
    fn hit<'a>(&mut self, fault: Fault, ids: impl IntoIterator<Item = &'a String>) {
        *self.times.entry(fault).or_default() += 1;
        self.touched.entry(fault).or_default().extend(ids.into_iter().cloned());
    }
}

/// The batch's answer, or the status and words of a server that did not answer 200 (the
/// device keeps the batch).
async fn try_push(client: &mut Client, batch: &[SyncItem]) -> Result<Vec<ItemResult>, String> {
    let items = batch.iter().map(|i| serde_json::to_value(i).unwrap()).collect();
    let r = client.push(items).await;
    if r.status != StatusCode::OK {
        assert!(r.status.is_server_error(), "only the server's own failure may refuse a good batch: {} {}", r.status, r.body);
        return Err(format!("{} {}", r.status, r.body));
    }
    let response: SyncResponse = serde_json::from_str(&r.body).unwrap();
    Ok(response.results)
}

async fn push(client: &mut Client, batch: &[SyncItem]) -> Option<Vec<ItemResult>> {
    match try_push(client, batch).await {
        Ok(results) => Some(results),
        Err(e) => panic!("a healthy server answers: {e}"),
    }
}

/// A conversation as the device records it at `at` on its own clock, in payload schema `schema`.
fn conversation(id: &str, area: &str, at: i64, schema: u32) -> SyncItem {
    let mut payload = doorstep(area);
    payload["occurred_at"] = at.into();
    serde_json::from_value(
        serde_json::json!({ "id": id, "kind": "interaction", "schema": schema, "payload": payload, "created_on_device_at": at }),
    )
    .unwrap()
}

/// Restarts the test PostgreSQL cluster (`scripts/postgres.sh`'s), as its own user when run as root.
async fn restart_postgres(dir: String) {
    tokio::task::spawn_blocking(move || {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path().join("bin/pg_ctl")))
            .filter(|p| p.exists())
            .max()
            .expect("pg_ctl");
        let root = std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
        let mut cmd = if root {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&bin);
            c
        } else {
            std::process::Command::new(&bin)
        };
        // The server it starts keeps whatever pipes it is given: its log goes to the file, and
        // pg_ctl is waited for by its exit alone.
        let status = cmd
            .args(["-D", &format!("{dir}/data"), "-l", &format!("{dir}/log"), "-m", "fast", "-w", "restart"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "pg_ctl restart: {status} (see {dir}/log)");
    })
    .await
    .unwrap();
}

/// Fills the disk under `dir` to the last byte; returns the filler to remove.
fn fill_disk(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let mut byte = [0u8; 1];
    while f.write_all(&byte).is_ok() {
        byte[0] = 1;
    }
    path
}

#[tokio::test]
async fn nothing_is_lost_or_duplicated_whatever_the_network_the_server_and_the_device_do() {
    if let Ok(filter) = std::env::var("MOBILISE_TEST_LOG") {
        let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).try_init();
    }
    let rounds: u32 = std::env::var("MOBILISE_FAULT_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let seed: u64 = std::env::var("MOBILISE_FAULT_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_CAFE_F00D);
    let pg_restart = std::env::var("MOBILISE_SOAK_PG_RESTART").as_deref() == Ok("1");
    let pg_dir = std::env::var("MOBILISE_PG_DIR").ok().filter(|_| pg_restart);
    assert!(!pg_restart || pg_dir.is_some(), "MOBILISE_SOAK_PG_RESTART=1 needs MOBILISE_PG_DIR (scripts/postgres.sh start)");
    let tmpfs = std::env::var("MOBILISE_SOAK_TMPFS").ok().map(std::path::PathBuf::from);
    let apps = match &tmpfs {
        Some(dir) => apps_on_sqlite_in(dir).await,
        None => apps().await,
    };
    for app in apps {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let lists = app.lists(&org).await;
        let mut db = app.db.clone();
        let mut client = app.client();
        assert_eq!(client.sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK);

        let mut rng = Rng(seed);
        let mut outbox = Outbox::default();
        let mut created: Vec<String> = Vec::new();
        let mut in_the_network: Vec<Vec<SyncItem>> = Vec::new();
        let mut tally = Tally::default();
        let now = app::server::now();
        // Recorded on a clock that had jumped, refused, and waiting for the worker to put right.
        let mut wrong_dates: Vec<String> = Vec::new();
        // A tablet last used 30 days ago, before an upgrade: its outbox as the old version stored it.
        let mut old_tablet = Outbox::default();
        let mut old_ids = Vec::new();
        for _ in 0..(5 + rng.below(20)) {
            let id = new_id();
            old_tablet.enqueue(conversation(&id, &lists.area, now - 30 * 86_400, SCHEMA_VERSION - 1)).unwrap();
            old_ids.push(id);
        }
        let old_tablet_stored = serde_json::to_string(&old_tablet).unwrap();
        created.extend(old_ids.iter().cloned());

        for round in 0..rounds {
            for _ in 0..rng.below(4) {
                let id = new_id();
                if rng.below(40) == 0 {
                    // The device's clock jumps (a flat battery, a wrong time zone, a bad NTP
                    // answer): what is plausible is kept; what is not is refused, and put right.
                    let jump = [-3 * 86_400, 30 * 60, 10 * 365 * 86_400, 86_400 - now][rng.below(4) as usize];
                    outbox.enqueue(conversation(&id, &lists.area, now + jump, SCHEMA_VERSION)).unwrap();
                    tally.hit(Fault::ClockJump, [&id]);
                    if jump > 3600 || now + jump < app::domain::outreach::EARLIEST {
                        wrong_dates.push(id.clone());
                    }
                } else {
                    let item: SyncItem = serde_json::from_value(item(&id, "interaction", doorstep(&lists.area))).unwrap();
                    outbox.enqueue(item).unwrap();
                }
                created.push(id);
            }
            // The worker puts right the dates the server refused (the same record, same id).
            wrong_dates.retain(|id| outbox.enqueue(conversation(id, &lists.area, now - 600, SCHEMA_VERSION)).is_err());
            if rng.below(25) == 0 {
                // The tab is closed or the battery dies: the outbox comes back from storage.
                outbox = serde_json::from_str(&serde_json::to_string(&outbox).unwrap()).unwrap();
                outbox.recover();
                tally.hit(Fault::DeviceReload, []);
            }
            if round == rounds / 2 {
                // The old tablet is switched on, updated, and signed in again: its outbox, as the
                // older version left it, goes up in the previous schema.
                let mut tablet: Outbox = serde_json::from_str(&old_tablet_stored).unwrap();
                tablet.recover();
                let mut c = app.client().on(TestApp::router_for(&db, &app.config).await);
                c.sign_in("sam@riverside.example", PASSWORD).await;
                loop {
                    let batch = tablet.next_batch();
                    if batch.is_empty() {
                        break;
                    }
                    let results = push(&mut c, &batch).await.unwrap();
                    tablet.apply(&results);
                }
                assert_eq!((tablet.pending(), tablet.needs_attention()), (0, 0), "{}: the old tablet's outbox drains", app.backend);
                tally.hit(Fault::OfflineAcrossUpgrade, &old_ids);
            }
            let batch = outbox.next_batch();
            if batch.is_empty() {
                continue;
            }
            let ids: Vec<String> = batch.iter().map(|i| i.id.clone()).collect();
            if let (Some(dir), "postgres", 0) = (&pg_dir, app.backend, rng.below(100)) {
                // The database server restarts while the batch is on its way in.
                let pause = std::time::Duration::from_millis(rng.below(20));
                let (results, ()) = tokio::join!(try_push(&mut client, &batch), async {
                    tokio::time::sleep(pause).await;
                    restart_postgres(dir.clone()).await;
                });
                match results {
                    Ok(results) => outbox.apply(&results),
                    Err(_) => outbox.transport_failed(),
                }
                tally.hit(Fault::PostgresRestarted, &ids);
                continue;
            }
            if let (Some(dir), "sqlite", 0) = (&tmpfs, app.backend, rng.below(50)) {
                // The disk fills up while the batch is written.
                let filler = fill_disk(dir);
                match try_push(&mut client, &batch).await {
                    Ok(results) => outbox.apply(&results),
                    Err(_) => outbox.transport_failed(),
                }
                std::fs::remove_file(filler).unwrap();
                tally.hit(Fault::DiskFull, &ids);
                continue;
            }
            match rng.below(8) {
                0 => {
                    // The connection drops before the request reaches the server.
                    outbox.transport_failed();
                    tally.hit(Fault::DroppedBeforeCommit, &ids);
                }
                1 => {
                    // The server commits; the answer is lost on the way back.
                    push(&mut client, &batch).await;
                    outbox.transport_failed();
                    tally.hit(Fault::DroppedAfterCommit, &ids);
                }
                2 => {
                    // A retry races its original: the server gets the batch twice.
                    push(&mut client, &batch).await;
                    let results = push(&mut client, &batch).await.unwrap();
                    outbox.apply(&results);
                    tally.hit(Fault::Duplicated, &ids);
                }
                3 => {
                    // The request stalls in the network; the client gives up; it arrives later,
                    // after newer batches.
                    in_the_network.push(batch);
                    outbox.transport_failed();
                    tally.hit(Fault::DelayedAndReordered, &ids);
                }
                4 => {
                    // The server dies mid-batch: its transaction never commits. It restarts.
                    let user = repo::users::find_by_email(&db, "sam@riverside.example").await.unwrap().unwrap();
                    let reference = repo::outreach::reference_data(&db, &org, "2000-01-01").await.unwrap();
                    let cx = sync::Context {
                        user,
                        device_id: "tablet-1".into(),
                        reference,
                        is_admin: false,
                        backend: db.backend,
                        link_base: "http://mobilise.test".into(),
                        locale: Default::default(),
                    };
                    let mut tx = db.pool.begin().await.unwrap();
                    sync::apply(&mut tx, &cx, &batch, sync::Mode::Optimistic).await.unwrap();
                    drop(tx); // killed before COMMIT
                    db.pool.close().await;
                    db = Db::connect(&app.config.database_url).await.unwrap();
                    client = client.on(TestApp::router_for(&db, &app.config).await);
                    outbox.transport_failed();
                    tally.hit(Fault::ServerDiedMidBatch, &ids);
                }
                _ => {
                    let results = push(&mut client, &batch).await.unwrap();
                    outbox.apply(&results);
                    tally.hit(Fault::Clean, &ids);
                }
            }
            if !in_the_network.is_empty() && rng.below(3) == 0 {
                let late = in_the_network.remove(rng.below(in_the_network.len() as u64) as usize);
                let ids: Vec<String> = late.iter().map(|i| i.id.clone()).collect();
                push(&mut client, &late).await; // nobody is waiting for this answer
                tally.hit(Fault::LateDelivery, &ids);
            }
        }

        // The network heals: stragglers arrive, the last wrong dates are put right, and the
        // outbox drains.
        for late in std::mem::take(&mut in_the_network) {
            let ids: Vec<String> = late.iter().map(|i| i.id.clone()).collect();
            push(&mut client, &late).await;
            tally.hit(Fault::LateDelivery, &ids);
        }
        for _ in 0..1000 {
            wrong_dates.retain(|id| outbox.enqueue(conversation(id, &lists.area, now - 600, SCHEMA_VERSION)).is_err());
            let batch = outbox.next_batch();
            if batch.is_empty() {
                if wrong_dates.is_empty() {
                    break;
                }
                continue;
            }
            let results = push(&mut client, &batch).await.unwrap();
            outbox.apply(&results);
        }
        assert_eq!(outbox.pending(), 0, "the outbox drains");
        assert_eq!(outbox.needs_attention(), 0);

        let held: Vec<String> = sqlx::query_scalar("SELECT id FROM interactions").fetch_all(&db).await.unwrap();
        let mut copies: HashMap<&String, usize> = HashMap::new();
        for id in &held {
            *copies.entry(id).or_default() += 1;
        }
        let created_set: HashSet<&String> = created.iter().collect();
        let lost: HashSet<&String> = created_set.iter().filter(|id| !copies.contains_key(**id)).copied().collect();
        let unexpected = copies.keys().filter(|id| !created_set.contains(*id)).count();
        let duplicated = held.len() - copies.len();
        println!(
            "{}: {rounds} rounds (seed {seed}): {} conversations recorded, {} held by the server, {} lost, {duplicated} duplicated, \
             {unexpected} unexpected",
            app.backend,
            created.len(),
            held.len(),
            lost.len()
        );
        for (fault, times) in &tally.times {
            let touched = tally.touched.get(fault).map(|t| t.len()).unwrap_or(0);
            let lost_here = tally.touched.get(fault).map(|t| t.iter().filter(|id| lost.contains(id)).count()).unwrap_or(0);
            let twice_here =
                tally.touched.get(fault).map(|t| t.iter().filter(|id| copies.get(id).is_some_and(|&n| n > 1)).count()).unwrap_or(0);
            println!(
                "  {:<22} {times:>6} times, {touched:>6} conversations: {lost_here} lost, {twice_here} duplicated",
                format!("{fault:?}")
            );
        }
        assert_eq!((lost.len(), duplicated, unexpected), (0, 0, 0), "{}", app.backend);
        assert_eq!(held.len(), created.len());
        for fault in
            [Fault::ServerDiedMidBatch, Fault::DroppedAfterCommit, Fault::LateDelivery, Fault::ClockJump, Fault::OfflineAcrossUpgrade]
        {
            assert!(tally.times.contains_key(&fault), "{}: {fault:?} never happened in {rounds} rounds", app.backend);
        }
        if pg_dir.is_some() && app.backend == "postgres" {
            assert!(tally.times.contains_key(&Fault::PostgresRestarted), "the PostgreSQL server was never restarted");
        }
        if tmpfs.is_some() && app.backend == "sqlite" {
            assert!(tally.times.contains_key(&Fault::DiskFull), "the disk never filled up");
        }
    }
}
