-- Residents' ideas (proposals), support for them, comments, and reports of either. A
-- contribution is "visible" or "held" (waiting for a moderator: auto-flagged, or reported by
-- enough people) or "hidden" (taken down by a moderator). Nothing is deleted here.

CREATE TABLE proposals (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    participant     TEXT NOT NULL,
    author_name     TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'visible',
    flag            TEXT NOT NULL DEFAULT '',
    report_count    BIGINT NOT NULL DEFAULT 0,
    -- Set when a moderator has decided; new reports after that queue it again.
    moderated_at    BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX proposals_by_consultation ON proposals (consultation_id, status);
CREATE INDEX proposals_by_participant ON proposals (participant, created_at);

CREATE TABLE supports (
    proposal_id TEXT NOT NULL REFERENCES proposals (id),
    participant TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, participant)
);

CREATE TABLE comments (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    proposal_id     TEXT NOT NULL REFERENCES proposals (id),
    participant     TEXT NOT NULL,
    author_name     TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'visible',
    flag            TEXT NOT NULL DEFAULT '',
    report_count    BIGINT NOT NULL DEFAULT 0,
    moderated_at    BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX comments_by_proposal ON comments (proposal_id, created_at);
CREATE INDEX comments_by_participant ON comments (participant, created_at);

-- One report per participant and contribution.
CREATE TABLE reports (
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    participant TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (target_kind, target_id, participant)
);
