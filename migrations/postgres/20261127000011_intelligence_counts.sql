-- Intelligence at scale. The dashboard reads counts kept per UK day and per calendar month,
-- maintained as conversations arrive, instead of scanning every conversation; and each issue
-- raised carries whether it repeated an earlier contact (same resident, same theme) within 30
-- and 90 days, and whether the same resident came back about it within 30 and 90 days.

ALTER TABLE interaction_issues ADD COLUMN repeat_30 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE interaction_issues ADD COLUMN repeat_90 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE interaction_issues ADD COLUMN came_back_30 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE interaction_issues ADD COLUMN came_back_90 BIGINT NOT NULL DEFAULT 0;

-- A resident's contacts in time order (repeat contact).
CREATE INDEX interactions_by_resident_time ON interactions (resident_id, occurred_at);
DROP INDEX interactions_by_resident;

-- One row per (worker, day or month, area, kind, theme, service). worker_id '' is the whole
-- organisation (every worker's rows added up); theme_id '' is the
-- conversation as a whole (every conversation once); a theme's rows count the conversations
-- that raised it. service_id '' is "not referred". Rows are rebuilt from the conversations of
-- their day whenever one of them changes, so they can always be checked against them.
CREATE TABLE intelligence_counts (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    grain           BIGINT NOT NULL CHECK (grain IN (0, 1)), -- 0: a UK day; 1: a calendar month
    day             BIGINT NOT NULL,                         -- days since 1970-01-01 (a month: its first day)
    area_id         TEXT NOT NULL,
    worker_id       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    theme_id        TEXT NOT NULL,
    service_id      TEXT NOT NULL,
    conversations   BIGINT NOT NULL,
    talked          BIGINT NOT NULL,
    with_issues     BIGINT NOT NULL,
    resolved        BIGINT NOT NULL,
    referred        BIGINT NOT NULL,
    issues          BIGINT NOT NULL,
    repeats_30      BIGINT NOT NULL,
    repeats_90      BIGINT NOT NULL,
    came_back_30    BIGINT NOT NULL,
    came_back_90    BIGINT NOT NULL,
    heard_1         BIGINT NOT NULL,
    heard_2         BIGINT NOT NULL,
    heard_3         BIGINT NOT NULL,
    heard_4         BIGINT NOT NULL,
    heard_5         BIGINT NOT NULL,
    -- The involvement funnel: conversations where preferences were captured, where the
    -- resident said yes to volunteering or consultation invitations, and whose resident has
    -- (at any time) been put forward for a volunteering opportunity, and been placed.
    preferences     BIGINT NOT NULL,
    consented       BIGINT NOT NULL,
    interested      BIGINT NOT NULL,
    placed          BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, worker_id, grain, day, area_id, kind, theme_id, service_id)
);
-- Follow-ups carry their conversation's date, area, kind and worker (which never change), so
-- the dashboard's follow-up figures are read from one index, whatever the filters.
ALTER TABLE follow_ups ADD COLUMN occurred_at BIGINT;
ALTER TABLE follow_ups ADD COLUMN area_id TEXT;
ALTER TABLE follow_ups ADD COLUMN kind TEXT;
ALTER TABLE follow_ups ADD COLUMN worker_id TEXT;
UPDATE follow_ups SET
    occurred_at = (SELECT i.occurred_at FROM interactions i WHERE i.id = follow_ups.id),
    area_id = (SELECT i.area_id FROM interactions i WHERE i.id = follow_ups.id),
    kind = (SELECT i.kind FROM interactions i WHERE i.id = follow_ups.id),
    worker_id = (SELECT i.worker_id FROM interactions i WHERE i.id = follow_ups.id);
CREATE INDEX follow_ups_figures ON follow_ups (organisation_id, owner_id, status, due_on, resolved_at, created_at, occurred_at, area_id, kind, worker_id);

-- Consultation responses by area and date: the influencing gap.
CREATE INDEX responses_by_organisation ON responses (organisation_id, created_at);

-- Days whose counts must be rebuilt: noted by the sync transaction, rebuilt before a dashboard
-- reads them and every few seconds in the background.
CREATE TABLE intelligence_dirty (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    day             BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day)
);

-- Rebuilding a day or a month touches every worker's rows of it.
CREATE INDEX intelligence_counts_by_day ON intelligence_counts (organisation_id, grain, day);
