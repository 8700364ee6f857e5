-- Data protection: erasure, retention settings and runs, residents' requests, the audit log.

-- Set when a resident's personal data was erased (at their request, or when its retention
-- period ended). The row stays, without anything that identifies them, so conversations keep
-- their links and the figures stay true; a tablet that sends a record for them later is told.
ALTER TABLE residents ADD COLUMN erased_at INTEGER;

-- How long the organisation keeps each class of personal record, and why it holds it.
CREATE TABLE retention_policies (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    class           TEXT NOT NULL,
    lawful_basis    TEXT NOT NULL CHECK (lawful_basis IN ('consent', 'public_task', 'legitimate_interests')),
    months          INTEGER NOT NULL CHECK (months >= 0),
    updated_at      INTEGER NOT NULL,
    updated_by      TEXT REFERENCES users (id),
    PRIMARY KEY (organisation_id, class)
);

-- Every run of the retention job, real or dry: what it found per class.
CREATE TABLE retention_runs (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    dry_run         INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    -- JSON: [{"class", "months", "records"}].
    summary         TEXT NOT NULL,
    run_by          TEXT REFERENCES users (id),
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER NOT NULL
);
CREATE INDEX retention_runs_by_organisation ON retention_runs (organisation_id, started_at);

-- Subject access and erasure requests, with the date they must be answered by.
CREATE TABLE privacy_requests (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    resident_id     TEXT NOT NULL REFERENCES residents (id),
    kind            TEXT NOT NULL CHECK (kind IN ('access', 'erasure')),
    received_on     TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'done')),
    recorded_by     TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    completed_at    INTEGER,
    completed_by    TEXT REFERENCES users (id)
);
CREATE INDEX privacy_requests_by_organisation ON privacy_requests (organisation_id, status, due_on);
CREATE INDEX privacy_requests_by_resident ON privacy_requests (resident_id);

-- Who viewed, exported, changed or erased which resident's data, from where and when.
-- Append-only: nothing in the app edits or deletes it, and the database refuses to.
CREATE TABLE audit_log (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    at              INTEGER NOT NULL,
    actor_id        TEXT REFERENCES users (id),
    action          TEXT NOT NULL,
    resident_id     TEXT,
    detail          TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, at);
CREATE INDEX audit_log_by_resident ON audit_log (resident_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
