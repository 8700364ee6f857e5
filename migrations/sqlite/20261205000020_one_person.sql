-- One resident, not two: a record made at the door can be linked to the resident record of an
-- online account (the resident confirmed it is them, or an administrator linked them). The
-- account's record stands for the person; every door record linked to it points at it. Subject
-- access, erasure, consent decisions and the involvement funnel read the person's records together.
-- Unlinking clears the pointer; nothing else was moved, so nothing has to be moved back.
ALTER TABLE residents ADD COLUMN linked_to TEXT REFERENCES residents (id);
ALTER TABLE residents ADD COLUMN linked_at INTEGER;
CREATE INDEX residents_by_link ON residents (linked_to);

-- A resident who said a door record with their email address is not them is not asked again.
CREATE TABLE resident_link_declines (
    resident_id TEXT NOT NULL REFERENCES residents (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    declined_at INTEGER NOT NULL,
    PRIMARY KEY (resident_id, user_id)
);
