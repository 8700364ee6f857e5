-- A community group that finds Mobilise itself asks to join the site's host organisation; an
-- administrator of the host approves it (the group, the partnership and the organiser's account
-- are made then, and the invitation emailed) or declines it (the group is told, with the reason).
CREATE TABLE partner_requests (
    id                TEXT PRIMARY KEY,
    host_id           TEXT NOT NULL REFERENCES organisations (id),
    group_name        TEXT NOT NULL,
    organiser_name    TEXT NOT NULL,
    organiser_email   TEXT NOT NULL,
    about             TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'approved', 'declined')),
    reason            TEXT NOT NULL DEFAULT '',
    group_id          TEXT REFERENCES organisations (id),
    decided_by        TEXT REFERENCES users (id),
    decided_at        INTEGER,
    created_at        INTEGER NOT NULL
);
CREATE INDEX partner_requests_by_host ON partner_requests (host_id, status, created_at);
CREATE INDEX partner_requests_by_email ON partner_requests (organiser_email, created_at);
