-- Volunteering: groups post opportunities, residents keep a profile and express interest.

-- A community group that works with a council or housing association uses its host's areas and
-- interests, and its opportunities reach the host's residents. NULL: it stands alone.
ALTER TABLE organisations ADD COLUMN host_id TEXT REFERENCES organisations (id);

CREATE TABLE opportunities (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    -- Whose residents, areas and interests it serves: the group's host, or the group itself.
    network_id      TEXT NOT NULL REFERENCES organisations (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    -- JSON arrays: interest ids, skills (lower case), area ids (empty: anywhere).
    interests       TEXT NOT NULL DEFAULT '[]',
    skills          TEXT NOT NULL DEFAULT '[]',
    areas           TEXT NOT NULL DEFAULT '[]',
    place           TEXT NOT NULL DEFAULT '',
    regular         INTEGER NOT NULL DEFAULT 1 CHECK (regular IN (0, 1)),
    on_date         TEXT,
    -- Weekly slots as bits (day * 3 + part); 0: any time that suits.
    times           INTEGER NOT NULL DEFAULT 0,
    hours_per_week  INTEGER,
    minimum_age     INTEGER NOT NULL DEFAULT 0,
    dbs_required    INTEGER NOT NULL DEFAULT 0 CHECK (dbs_required IN (0, 1)),
    capacity        INTEGER,
    accessibility   TEXT NOT NULL DEFAULT '',
    contact         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('draft', 'open', 'filled', 'closed')),
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX opportunities_by_network ON opportunities (network_id, status);
CREATE INDEX opportunities_by_organisation ON opportunities (organisation_id, updated_at);

-- One per person: a resident's own account (user_id) or a resident met at the door (resident_id).
CREATE TABLE volunteer_profiles (
    id                  TEXT PRIMARY KEY,
    network_id          TEXT NOT NULL REFERENCES organisations (id),
    user_id             TEXT UNIQUE REFERENCES users (id),
    resident_id         TEXT UNIQUE REFERENCES residents (id),
    interests           TEXT NOT NULL DEFAULT '[]',
    skills              TEXT NOT NULL DEFAULT '[]',
    areas               TEXT NOT NULL DEFAULT '[]',
    availability        INTEGER NOT NULL DEFAULT 0,
    age_band            TEXT NOT NULL,
    has_dbs             INTEGER NOT NULL DEFAULT 0 CHECK (has_dbs IN (0, 1)),
    -- The person agreed that groups may suggest them for opportunities and see how to reach them.
    open_to_suggestions INTEGER NOT NULL DEFAULT 0 CHECK (open_to_suggestions IN (0, 1)),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX volunteer_profiles_by_network ON volunteer_profiles (network_id, open_to_suggestions);

-- An expression of interest. Its id is made by whoever records it (a tablet's outbox item id
-- for one registered at the door), so a repeated delivery is the same row.
CREATE TABLE volunteer_interests (
    id              TEXT PRIMARY KEY,
    opportunity_id  TEXT NOT NULL REFERENCES opportunities (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    user_id         TEXT REFERENCES users (id),
    resident_id     TEXT REFERENCES residents (id),
    -- The group may see the person's name and how to reach them.
    share_contact   INTEGER NOT NULL DEFAULT 0 CHECK (share_contact IN (0, 1)),
    message         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('new', 'contacted', 'placed', 'declined')),
    recorded_by     TEXT REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    status_changed_at INTEGER,
    UNIQUE (opportunity_id, user_id),
    UNIQUE (opportunity_id, resident_id)
);
CREATE INDEX volunteer_interests_by_organisation ON volunteer_interests (organisation_id, status, created_at);
CREATE INDEX volunteer_interests_by_user ON volunteer_interests (user_id);
CREATE INDEX volunteer_interests_by_resident ON volunteer_interests (resident_id);
