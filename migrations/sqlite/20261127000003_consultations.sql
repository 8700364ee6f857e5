-- Consultations: what residents are asked, their responses (one per participant), and the
-- organisation's "you said, we did" outcome updates.

CREATE TABLE consultations (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    -- Markdown as staff wrote it; rendered and sanitised on the way out.
    background      TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL,
    opens_on        TEXT,
    closes_on       TEXT,
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX consultations_by_organisation ON consultations (organisation_id, stage);

CREATE TABLE consultation_areas (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    area_id         TEXT NOT NULL REFERENCES areas (id),
    PRIMARY KEY (consultation_id, area_id)
);

CREATE TABLE consultation_themes (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    theme_id        TEXT NOT NULL REFERENCES themes (id),
    PRIMARY KEY (consultation_id, theme_id)
);

CREATE TABLE questions (
    id              TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    position        INTEGER NOT NULL,
    prompt          TEXT NOT NULL,
    hint            TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    required        INTEGER NOT NULL DEFAULT 0,
    -- JSON array of {"id", "label"} for choice questions.
    options         TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX questions_by_consultation ON questions (consultation_id, position);

-- One response per participant and consultation: `participant` is "user:<id>" for a signed-in
-- resident, "token:<sha-256 of their cookie>" for someone without an account, or
-- "assisted:<device item id>" for a response taken at the door.
CREATE TABLE responses (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    participant     TEXT NOT NULL,
    assisted        INTEGER NOT NULL DEFAULT 0,
    recorded_by     TEXT REFERENCES users (id),
    area_id         TEXT REFERENCES areas (id),
    email           TEXT,
    notify_consent  INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (consultation_id, participant)
);

CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id),
    question_id TEXT NOT NULL REFERENCES questions (id),
    value       TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id, value)
);
CREATE INDEX answers_by_question ON answers (question_id, value);

CREATE TABLE outcome_updates (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    status          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    progress        INTEGER NOT NULL DEFAULT 0,
    body            TEXT NOT NULL,
    published_on    TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX outcome_updates_by_consultation ON outcome_updates (consultation_id, published_on);

-- What a participant last submitted when it was refused (a missed required question, say), so
-- the form comes back with everything they typed, even without JavaScript. Deleted once saved.
CREATE TABLE response_drafts (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    participant     TEXT NOT NULL,
    answers         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, participant)
);
