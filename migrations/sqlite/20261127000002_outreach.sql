-- Outreach: the organisation's lists, residents and their consent ledger, events, interactions,
-- follow-ups. Records made on devices keep the device's id as their primary key: sending one
-- twice can never store it twice.

CREATE TABLE areas (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX areas_by_organisation ON areas (organisation_id, name);

CREATE TABLE themes (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX themes_by_organisation ON themes (organisation_id, name);

CREATE TABLE services (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX services_by_organisation ON services (organisation_id, name);

CREATE TABLE interests (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name            TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX interests_by_organisation ON interests (organisation_id, name);

CREATE TABLE residents (
    id                 TEXT PRIMARY KEY,
    organisation_id    TEXT NOT NULL REFERENCES organisations (id),
    name               TEXT NOT NULL,
    contact            TEXT NOT NULL DEFAULT '',
    preferred_language TEXT NOT NULL DEFAULT '',
    created_by         TEXT NOT NULL REFERENCES users (id),
    created_at         INTEGER NOT NULL
);
CREATE INDEX residents_by_organisation ON residents (organisation_id);

-- Append-only: the current state per purpose is derived (latest decision wins).
CREATE TABLE consents (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    resident_id     TEXT NOT NULL REFERENCES residents (id),
    purpose         TEXT NOT NULL,
    granted         INTEGER NOT NULL CHECK (granted IN (0, 1)),
    lawful_basis    TEXT NOT NULL,
    wording         TEXT NOT NULL,
    method          TEXT NOT NULL,
    recorded_by     TEXT NOT NULL REFERENCES users (id),
    source_item_id  TEXT NOT NULL,
    occurred_at     INTEGER NOT NULL,
    received_at     INTEGER NOT NULL
);
CREATE INDEX consents_by_resident ON consents (resident_id, purpose);

CREATE TABLE events (
    id                   TEXT PRIMARY KEY,
    organisation_id      TEXT NOT NULL REFERENCES organisations (id),
    created_by           TEXT NOT NULL REFERENCES users (id),
    name                 TEXT NOT NULL,
    place                TEXT NOT NULL DEFAULT '',
    area_id              TEXT REFERENCES areas (id),
    held_on              TEXT NOT NULL,
    device_id            TEXT NOT NULL,
    created_on_device_at INTEGER NOT NULL,
    received_at          INTEGER NOT NULL
);
CREATE INDEX events_by_organisation ON events (organisation_id, held_on);

CREATE TABLE interactions (
    id                   TEXT PRIMARY KEY,
    organisation_id      TEXT NOT NULL REFERENCES organisations (id),
    worker_id            TEXT NOT NULL REFERENCES users (id),
    kind                 TEXT NOT NULL,
    event_id             TEXT REFERENCES events (id),
    area_id              TEXT NOT NULL REFERENCES areas (id),
    address              TEXT NOT NULL DEFAULT '',
    occurred_at          INTEGER NOT NULL,
    outcome              TEXT NOT NULL,
    action               TEXT NOT NULL,
    service_id           TEXT REFERENCES services (id),
    felt_heard           INTEGER,
    notes                TEXT NOT NULL DEFAULT '',
    resident_id          TEXT REFERENCES residents (id),
    involvement          TEXT,
    schema_version       INTEGER NOT NULL,
    device_id            TEXT NOT NULL,
    created_on_device_at INTEGER NOT NULL,
    received_at          INTEGER NOT NULL
);
CREATE INDEX interactions_by_organisation ON interactions (organisation_id, occurred_at);
CREATE INDEX interactions_by_resident ON interactions (resident_id);
CREATE INDEX interactions_by_event ON interactions (event_id);

CREATE TABLE interaction_issues (
    interaction_id TEXT NOT NULL REFERENCES interactions (id),
    theme_id       TEXT NOT NULL REFERENCES themes (id),
    PRIMARY KEY (interaction_id, theme_id)
);

-- One per interaction that needs one; the interaction's id is the follow-up's id.
CREATE TABLE follow_ups (
    id              TEXT PRIMARY KEY REFERENCES interactions (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    owner_id        TEXT NOT NULL REFERENCES users (id),
    due_on          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    resolution_note TEXT NOT NULL DEFAULT '',
    resolved_by     TEXT REFERENCES users (id),
    resolved_at     INTEGER,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL
);
CREATE INDEX follow_ups_by_owner ON follow_ups (organisation_id, owner_id, status, due_on);

-- Every edit of a follow-up sent by a device, by the device's id for it: a replay is recognised.
CREATE TABLE follow_up_updates (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    follow_up_id    TEXT NOT NULL REFERENCES follow_ups (id),
    made_by         TEXT NOT NULL REFERENCES users (id),
    base_version    INTEGER NOT NULL,
    note            TEXT NOT NULL,
    received_at     INTEGER NOT NULL
);
