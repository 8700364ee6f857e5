-- Residents invited to a consultation: at most once each (the primary key), whoever sends and
-- however often. The message itself is in outgoing_messages; the sender checks the resident
-- still agrees to be invited when it goes.
CREATE TABLE consultation_invitations (
    consultation_id TEXT NOT NULL REFERENCES consultations (id),
    resident_id     TEXT NOT NULL REFERENCES residents (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    invited_by      TEXT NOT NULL REFERENCES users (id),
    invited_at      INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, resident_id)
);
CREATE INDEX consultation_invitations_by_resident ON consultation_invitations (resident_id);
CREATE INDEX outgoing_messages_by_resident ON outgoing_messages (resident_id);
