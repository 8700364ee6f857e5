-- What each side agreed to do in a conversation (issue 18): "we will…" (a member of staff owns
-- it, with the date it is due) and "you can…" (what the resident agreed to try). Kept track of
-- through the conversation's follow-up, and settled when it is resolved. A row's id is its
-- follow-up's id and its place in the list (`<follow-up id>:<position>`), so a replayed record
-- can never add a second copy.
CREATE TABLE commitments (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    follow_up_id    TEXT NOT NULL REFERENCES follow_ups (id),
    position        BIGINT NOT NULL,
    side            TEXT NOT NULL CHECK (side IN ('we', 'you')),
    text            TEXT NOT NULL,
    owner_id        TEXT REFERENCES users (id),
    due_on          TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'not_kept', 'not_needed')),
    -- Why a commitment was not kept, said when its follow-up is resolved.
    outcome_reason  TEXT NOT NULL DEFAULT '',
    settled_by      TEXT REFERENCES users (id),
    settled_at      BIGINT,
    created_at      BIGINT NOT NULL,
    CHECK ((side = 'we' AND owner_id IS NOT NULL AND due_on IS NOT NULL) OR (side = 'you' AND owner_id IS NULL)),
    UNIQUE (follow_up_id, position)
);
CREATE INDEX commitments_by_owner ON commitments (organisation_id, owner_id, status, due_on);
