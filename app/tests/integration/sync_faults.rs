//! Fault injection for the sync protocol: the real outbox state machine on one side, the real
//! router and database on the other, and between them a network and a server that fail in every
//! way we know of. At the end the server must hold exactly what the worker recorded.
//!
//! `MOBILISE_FAULT_ROUNDS` (default 1000) and `MOBILISE_FAULT_SEED` change the run.

use crate::common::*;
use app::domain::outbox::Outbox;
use app::domain::sync::{ItemResult, SyncItem, SyncResponse};
use app::domain::Role;
use app::server::{repo, sync, Db};
use http::StatusCode;
use std::collections::HashSet;

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

#[derive(Default, Debug)]
struct Faults {
    clean: u32,
    dropped_before_commit: u32,
    dropped_after_commit: u32,
    duplicated: u32,
    delayed_and_reordered: u32,
    late_deliveries: u32,
    restarted_mid_batch: u32,
    device_reloads: u32,
}

async fn push(client: &mut Client, batch: &[SyncItem]) -> Option<Vec<ItemResult>> {
    let items = batch.iter().map(|i| serde_json::to_value(i).unwrap()).collect();
    let r = client.push(items).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let response: SyncResponse = serde_json::from_str(&r.body).unwrap();
    Some(response.results)
}

#[tokio::test]
async fn nothing_is_lost_or_duplicated_whatever_the_network_and_server_do() {
    let rounds: u32 = std::env::var("MOBILISE_FAULT_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let seed: u64 = std::env::var("MOBILISE_FAULT_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_CAFE_F00D);
    for app in apps().await {
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
        let mut faults = Faults::default();

        for _ in 0..rounds {
            for _ in 0..rng.below(4) {
                let id = new_id();
                let item: SyncItem = serde_json::from_value(item(&id, "interaction", doorstep(&lists.area))).unwrap();
                outbox.enqueue(item).unwrap();
                created.push(id);
            }
            if rng.below(25) == 0 {
                // The tab is closed or the battery dies: the outbox comes back from storage.
                outbox = serde_json::from_str(&serde_json::to_string(&outbox).unwrap()).unwrap();
                outbox.recover();
                faults.device_reloads += 1;
            }
            let batch = outbox.next_batch();
            if !batch.is_empty() {
                match rng.below(8) {
                    0 => {
                        // The connection drops before the request reaches the server.
                        outbox.transport_failed();
                        faults.dropped_before_commit += 1;
                    }
                    1 => {
                        // The server commits; the answer is lost on the way back.
                        push(&mut client, &batch).await;
                        outbox.transport_failed();
                        faults.dropped_after_commit += 1;
                    }
                    2 => {
                        // A retry races its original: the server gets the batch twice.
                        push(&mut client, &batch).await;
                        let results = push(&mut client, &batch).await.unwrap();
                        outbox.apply(&results);
                        faults.duplicated += 1;
                    }
                    3 => {
                        // The request stalls in the network; the client gives up; it arrives later,
                        // after newer batches.
                        in_the_network.push(batch);
                        outbox.transport_failed();
                        faults.delayed_and_reordered += 1;
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
                        faults.restarted_mid_batch += 1;
                    }
                    _ => {
                        let results = push(&mut client, &batch).await.unwrap();
                        outbox.apply(&results);
                        faults.clean += 1;
                    }
                }
            }
            if !in_the_network.is_empty() && rng.below(3) == 0 {
                let late = in_the_network.remove(rng.below(in_the_network.len() as u64) as usize);
                push(&mut client, &late).await; // nobody is waiting for this answer
                faults.late_deliveries += 1;
            }
        }

        // The network heals: stragglers arrive, and the outbox drains.
        for late in std::mem::take(&mut in_the_network) {
            push(&mut client, &late).await;
            faults.late_deliveries += 1;
        }
        for _ in 0..1000 {
            let batch = outbox.next_batch();
            if batch.is_empty() {
                break;
            }
            let results = push(&mut client, &batch).await.unwrap();
            outbox.apply(&results);
        }
        assert_eq!(outbox.pending(), 0, "the outbox drains");
        assert_eq!(outbox.needs_attention(), 0);

        let held: Vec<String> = sqlx::query_scalar("SELECT id FROM interactions").fetch_all(&db).await.unwrap();
        let held_set: HashSet<&String> = held.iter().collect();
        let created_set: HashSet<&String> = created.iter().collect();
        let lost = created_set.difference(&held_set).count();
        let unexpected = held_set.difference(&created_set).count();
        let duplicated = held.len() - held_set.len();
        println!(
            "{}: {rounds} rounds (seed {seed}): {} interactions created, {} held by the server, \
             {lost} lost, {duplicated} duplicated, {unexpected} unexpected; faults {faults:?}",
            app.backend,
            created.len(),
            held.len()
        );
        assert_eq!((lost, duplicated, unexpected), (0, 0, 0), "{}", app.backend);
        assert_eq!(held.len(), created.len());
        assert!(faults.restarted_mid_batch > 0 && faults.dropped_after_commit > 0 && faults.late_deliveries > 0);
    }
}
