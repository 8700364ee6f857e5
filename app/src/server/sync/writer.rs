//! Committing batches: one device's alone, or several in one transaction (SQLite's single writer
//! task groups the batches that arrive together).

use super::*;
use crate::domain::sync::{ItemResult, SyncItem};
use crate::server::db::Db;
use sqlx::{Acquire, Any, Transaction};
use tokio::sync::{mpsc, oneshot};

/// One device's batch, applied behind its own savepoint inside a transaction that may hold
/// other devices' batches too: a failure rolls back this batch alone.
pub(super) async fn apply_alone(tx: &mut Transaction<'_, Any>, cx: &Context, items: &[SyncItem]) -> sqlx::Result<Vec<ItemResult>> {
    for mode in [Mode::Optimistic, Mode::Careful] {
        let mut savepoint = tx.begin().await?;
        match apply(&mut savepoint, cx, items, mode).await {
            Ok(Some(results)) => {
                savepoint.commit().await?;
                return Ok(results);
            }
            Ok(None) => savepoint.rollback().await?,
            Err(e) => {
                savepoint.rollback().await?;
                return Err(e);
            }
        }
    }
    Err(sqlx::Error::Protocol("the careful sync pass met a replay it had not found".into()))
}

/// Applies several devices' batches in one transaction with one commit. The outer result fails
/// when the transaction could not be committed (then nothing of any batch is stored); the inner
/// results are each batch's own. No outcome leaves here before the commit has succeeded.
pub async fn commit_group(db: &Db, batches: &[(&Context, &[SyncItem])]) -> sqlx::Result<Vec<sqlx::Result<Vec<ItemResult>>>> {
    if let [(cx, items)] = batches {
        // A batch alone has the transaction to itself: no savepoint is needed.
        for mode in [Mode::Optimistic, Mode::Careful] {
            let mut tx = db.begin_write().await?;
            match apply(&mut tx, cx, items, mode).await {
                Ok(Some(results)) => {
                    tx.commit().await?;
                    return Ok(vec![Ok(results)]);
                }
                Ok(None) => tx.rollback().await?,
                Err(e) => return Ok(vec![Err(e)]), // dropping `tx` rolls it back
            }
        }
        return Ok(vec![Err(sqlx::Error::Protocol("the careful sync pass met a replay it had not found".into()))]);
    }
    let mut tx = db.begin_write().await?;
    let mut answers = Vec::with_capacity(batches.len());
    for (cx, items) in batches {
        answers.push(apply_alone(&mut tx, cx, items).await);
    }
    if answers.iter().any(Result::is_err) {
        // Some failures (a full disk, an I/O error) end the whole transaction on SQLite, not
        // just the batch's savepoint. Rather than commit what may be nothing, start again with
        // each batch in its own transaction: the healthy ones are stored, the failure is its own.
        tx.rollback().await?;
        let mut alone = Vec::with_capacity(batches.len());
        for batch in batches {
            alone.push(Box::pin(commit_group(db, std::slice::from_ref(batch))).await.and_then(|mut a| a.remove(0)));
        }
        return Ok(alone);
    }
    tx.commit().await?;
    Ok(answers)
}

/// At most this many batches share a commit.
pub(super) const MAX_GROUP: usize = 32;

pub(super) struct Job {
    cx: Context,
    items: Vec<SyncItem>,
    reply: oneshot::Sender<sqlx::Result<Vec<ItemResult>>>,
}

/// SQLite's single writer, as a task. A SQLite database takes one write transaction at a time,
/// and each commit waits for the disk (`synchronous = FULL`): that wait, not the inserts, is
/// most of the cost of a batch. Batches that arrive while a commit is under way queue here and
/// are then committed together, each behind its own savepoint, so many tablets syncing at once
/// share disk waits instead of queueing for them (and no request sleeps in SQLite's busy
/// handler). A device hears "stored" only after the commit that holds its batch.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer task; it ends when the last handle is dropped.
    pub fn start(db: Db) -> Writer {
        let (jobs, mut queue) = mpsc::channel::<Job>(256);
        tokio::spawn(async move {
            while let Some(first) = queue.recv().await {
                let mut group = vec![first];
                while group.len() < MAX_GROUP {
                    match queue.try_recv() {
                        Ok(job) => group.push(job),
                        Err(_) => break,
                    }
                }
                // Each group runs in its own task: should it panic, its devices get an error
                // (and retry), and the writer carries on with the next group.
                let db = db.clone();
                let _ = tokio::spawn(async move {
                    let batches: Vec<(&Context, &[SyncItem])> = group.iter().map(|j| (&j.cx, j.items.as_slice())).collect();
                    match commit_group(&db, &batches).await {
                        Ok(answers) => {
                            for (job, answer) in group.into_iter().zip(answers) {
                                let _ = job.reply.send(answer);
                            }
                        }
                        Err(e) => {
                            let reason = e.to_string();
                            for job in group {
                                let _ = job.reply.send(Err(sqlx::Error::Protocol(format!("sync commit failed: {reason}"))));
                            }
                        }
                    }
                })
                .await;
            }
        });
        Writer { jobs }
    }

    /// Applies one batch, committed with whatever other batches are waiting.
    pub async fn apply(&self, cx: Context, items: Vec<SyncItem>) -> sqlx::Result<Vec<ItemResult>> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job { cx, items, reply }).await.map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::WorkerCrashed)?
    }
}
