-- Foundation: organisations, people, sessions, sign-in attempts, invitations.
-- Ids are UUIDs as text; times are seconds since the Unix epoch (UTC); flags are 0/1.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('council', 'housing_association', 'charity', 'community_group')),
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'outreach_worker', 'group_organiser', 'resident')),
    -- NULL until an invited person chooses a password.
    password_hash   TEXT,
    active          SMALLINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      BIGINT NOT NULL,
    created_by      TEXT REFERENCES users (id)
);
CREATE INDEX users_by_organisation ON users (organisation_id, display_name);

-- Invitation links: only a hash of the secret token is stored.
CREATE TABLE invitations (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX invitations_by_user ON invitations (user_id);

-- Server-side sessions, shared by every app instance that uses this database.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Failed and successful sign-ins, for throttling. Old rows are pruned.
CREATE TABLE login_attempts (
    email       TEXT NOT NULL,
    address     TEXT NOT NULL,
    at          BIGINT NOT NULL,
    succeeded   SMALLINT NOT NULL CHECK (succeeded IN (0, 1))
);
CREATE INDEX login_attempts_by_email ON login_attempts (email, at);
CREATE INDEX login_attempts_by_address ON login_attempts (address, at);
