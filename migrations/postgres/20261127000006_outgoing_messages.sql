-- Messages waiting to be sent (outcome updates to participants who asked for them). A mail
-- transport drains this table; without one (development) each message is logged and marked.
CREATE TABLE outgoing_messages (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    consultation_id TEXT REFERENCES consultations (id),
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    sent_by         TEXT
);
CREATE INDEX outgoing_messages_unsent ON outgoing_messages (sent_at, created_at);
