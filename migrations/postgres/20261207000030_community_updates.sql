-- Community responses carried through (issue 18): progress updates to the residents behind the
-- cluster ("you said, we did"), the last of which may close the response, and the volunteering
-- opportunities that help with it. Updates name nobody: they are what the organisation did.
ALTER TABLE community_responses ADD COLUMN closed_at BIGINT;

CREATE TABLE community_updates (
    id              TEXT PRIMARY KEY,
    response_id     TEXT NOT NULL REFERENCES community_responses (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    body            TEXT NOT NULL,
    -- Whether this update closed the response.
    closing         BIGINT NOT NULL DEFAULT 0 CHECK (closing IN (0, 1)),
    -- How many invited residents it was sent to.
    sent_to         BIGINT NOT NULL DEFAULT 0,
    posted_by       TEXT NOT NULL REFERENCES users (id),
    posted_at       BIGINT NOT NULL
);
CREATE INDEX community_updates_by_response ON community_updates (response_id, posted_at);

CREATE TABLE community_response_opportunities (
    response_id    TEXT NOT NULL REFERENCES community_responses (id),
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id),
    linked_by      TEXT NOT NULL REFERENCES users (id),
    linked_at      BIGINT NOT NULL,
    PRIMARY KEY (response_id, opportunity_id)
);
