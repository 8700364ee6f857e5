-- Hardening after the security review.
-- Reports: who reported (an account, or a hash of the network address for someone not signed
-- in), so one person throwing away cookies counts once; and whether a moderator has already
-- decided on them, so a dismissed item needs new reports to come back to the queue.
ALTER TABLE reports ADD COLUMN reporter TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0;
UPDATE reports SET reporter = participant;
-- Reports a moderator has already decided on stay settled.
UPDATE reports SET cleared = 1 WHERE
    (target_kind = 'proposal' AND EXISTS (SELECT 1 FROM proposals p WHERE p.id = reports.target_id AND p.moderated_at IS NOT NULL AND reports.created_at <= p.moderated_at))
 OR (target_kind = 'comment' AND EXISTS (SELECT 1 FROM comments c WHERE c.id = reports.target_id AND c.moderated_at IS NOT NULL AND reports.created_at <= c.moderated_at));
CREATE INDEX reports_by_target ON reports (target_kind, target_id, cleared);
-- One open report per person and item, even when two arrive at once.
CREATE UNIQUE INDEX reports_one_open_per_reporter ON reports (target_kind, target_id, reporter) WHERE cleared = 0;

-- Sign-in attempts are reserved before the password is checked (so parallel guesses cannot all
-- pass the throttle): each reservation has an id, to be withdrawn when the attempt is refused.
ALTER TABLE login_attempts ADD COLUMN id TEXT;
CREATE INDEX login_attempts_by_id ON login_attempts (id);

-- Security events (failed sign-ins, lock-outs, refusals, privilege changes), kept for a year so
-- an incident can be traced after the fact. Who is named by account id, or by a masked email
-- address for a sign-in to an address that may not exist.
CREATE TABLE security_events (
    id       TEXT PRIMARY KEY,
    at       INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    user_id  TEXT,
    subject  TEXT NOT NULL DEFAULT '',
    address  TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_events_by_time ON security_events (at);
CREATE INDEX security_events_by_kind ON security_events (kind, at);

-- A second factor (TOTP, RFC 6238), required for administrators, optional for anyone else.
-- The last step used is kept so a code is accepted once; recovery codes are kept as hashes.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);
