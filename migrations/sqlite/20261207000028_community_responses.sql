-- Community responses (issue 18): an admin answers a cluster (one theme raised by many residents
-- in one area) together with the community: what the organisation will do, what residents can
-- do, and a time and place to meet. One open response per area and theme. How many residents
-- made the cluster when it was opened is kept, to show later whether it is shrinking.
CREATE TABLE community_responses (
    id                   TEXT PRIMARY KEY,
    organisation_id      TEXT NOT NULL REFERENCES organisations (id),
    area_id              TEXT NOT NULL REFERENCES areas (id),
    theme_id             TEXT NOT NULL REFERENCES themes (id),
    title                TEXT NOT NULL,
    we_will              TEXT NOT NULL,
    you_can              TEXT NOT NULL DEFAULT '',
    event_name           TEXT NOT NULL DEFAULT '',
    event_place          TEXT NOT NULL DEFAULT '',
    event_on             TEXT,
    window_days          INTEGER NOT NULL,
    residents_at_opening INTEGER NOT NULL,
    status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_by            TEXT NOT NULL REFERENCES users (id),
    opened_at            INTEGER NOT NULL
);
CREATE INDEX community_responses_by_organisation ON community_responses (organisation_id, opened_at);
CREATE UNIQUE INDEX community_responses_open_once ON community_responses (organisation_id, area_id, theme_id) WHERE status = 'open';

-- The residents behind the cluster who agreed to be contacted about their issue are invited,
-- each by a link of their own (only its hash is kept) with which they sign up for the meeting.
CREATE TABLE community_invitations (
    response_id     TEXT NOT NULL REFERENCES community_responses (id),
    resident_id     TEXT NOT NULL REFERENCES residents (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    token_hash      TEXT NOT NULL UNIQUE,
    invited_at      INTEGER NOT NULL,
    signed_up_at    INTEGER,
    PRIMARY KEY (response_id, resident_id)
);
CREATE INDEX community_invitations_by_resident ON community_invitations (resident_id);
