-- Scheduled work (retention, daily) claimed once per period by whichever instance gets there
-- first (server/jobs.rs): when it last started and finished, and which instance ran it.
CREATE TABLE scheduled_jobs (
    name TEXT PRIMARY KEY,
    last_started_at BIGINT,
    last_finished_at BIGINT,
    run_by TEXT
);
