-- Referrals with a life (issue 18). A worker refers a resident's issue to one of the
-- organisation's own services or to a partner organisation, and stays the resident's advocate
-- until it is answered. A referral made in a conversation has the conversation's id, so a
-- replayed record never makes a second one. Each step after it was sent (chased by its owner;
-- accepted, answered or declined by the partner, or recorded by the owner for one of the
-- organisation's own services) is a row of `referral_steps`, by the id its device gave it.

ALTER TABLE interactions ADD COLUMN partner_id TEXT REFERENCES organisations (id);

CREATE TABLE referrals (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    interaction_id  TEXT NOT NULL REFERENCES interactions (id),
    -- The member of staff who made it and chases it.
    owner_id        TEXT NOT NULL REFERENCES users (id),
    service_id      TEXT REFERENCES services (id),
    partner_id      TEXT REFERENCES organisations (id),
    -- What the service or partner is asked to do (they see it, and the issues raised).
    asked           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'answered', 'declined')),
    -- The answer, or why it was declined.
    answer          TEXT NOT NULL DEFAULT '',
    sent_at         BIGINT NOT NULL,
    accepted_at     BIGINT,
    closed_at       BIGINT,
    -- The conversation's, for the dashboard's filters (they never change).
    occurred_at     BIGINT NOT NULL,
    area_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    worker_id       TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    CHECK ((service_id IS NULL) <> (partner_id IS NULL))
);
CREATE INDEX referrals_by_owner ON referrals (organisation_id, owner_id, status);
CREATE INDEX referrals_to_partner ON referrals (partner_id, status, sent_at) WHERE partner_id IS NOT NULL;
CREATE INDEX referrals_figures ON referrals (organisation_id, occurred_at, area_id, kind, worker_id, service_id, partner_id, status, sent_at, closed_at);
CREATE INDEX referrals_by_interaction ON referrals (interaction_id);

CREATE TABLE referral_steps (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    referral_id     TEXT NOT NULL REFERENCES referrals (id),
    step            TEXT NOT NULL CHECK (step IN ('chased', 'accepted', 'answered', 'declined')),
    note            TEXT NOT NULL DEFAULT '',
    made_by         TEXT NOT NULL REFERENCES users (id),
    -- When it happened (a step taken on a tablet: its clock, never after it arrived).
    occurred_at     BIGINT NOT NULL,
    received_at     BIGINT NOT NULL
);
CREATE INDEX referral_steps_by_referral ON referral_steps (referral_id, occurred_at);

-- Every referral made so far, still waiting for its first step.
INSERT INTO referrals (id, organisation_id, interaction_id, owner_id, service_id, status, sent_at, occurred_at, area_id, kind, worker_id, created_at)
SELECT i.id, i.organisation_id, i.id, i.worker_id, i.service_id, 'sent', i.occurred_at, i.occurred_at, i.area_id, i.kind, i.worker_id, i.received_at
FROM interactions i WHERE i.action = 'referred_to_service' AND i.service_id IS NOT NULL;
