-- The outgoing-message table becomes a real outbox. A sender claims due messages (a lease, so a
-- sender that dies mid-send leaves them to be tried again), sends them over SMTP, retries with
-- back-off and gives up after a number of tries, leaving the message failed where an admin sees it.
ALTER TABLE outgoing_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'outcome_update';
ALTER TABLE outgoing_messages ADD COLUMN to_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outgoing_messages ADD COLUMN html_body TEXT NOT NULL DEFAULT '';
ALTER TABLE outgoing_messages ADD COLUMN status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'sent', 'failed', 'cancelled'));
ALTER TABLE outgoing_messages ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outgoing_messages ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outgoing_messages ADD COLUMN claimed_until BIGINT;
ALTER TABLE outgoing_messages ADD COLUMN claimed_by TEXT;
ALTER TABLE outgoing_messages ADD COLUMN last_error TEXT;
ALTER TABLE outgoing_messages ADD COLUMN finished_at BIGINT;
-- Whom it is for in the consent ledger, and the purpose that must still be granted when it is
-- sent (not when it was queued): a withdrawal stops what has not gone yet.
ALTER TABLE outgoing_messages ADD COLUMN resident_id TEXT REFERENCES residents (id);
ALTER TABLE outgoing_messages ADD COLUMN consent_purpose TEXT;
-- One-click unsubscribe (RFC 8058): a hash of the link's secret finds the message; the link
-- itself (for the List-Unsubscribe header) is kept only until the message is finished with, like
-- the words of the message, which can carry a link that works.
ALTER TABLE outgoing_messages ADD COLUMN unsubscribe_hash TEXT;
ALTER TABLE outgoing_messages ADD COLUMN list_unsubscribe TEXT;
UPDATE outgoing_messages SET status = 'sent', finished_at = sent_at WHERE sent_at IS NOT NULL;
UPDATE outgoing_messages SET next_attempt_at = created_at;
DROP INDEX outgoing_messages_unsent;
CREATE INDEX outgoing_messages_due ON outgoing_messages (status, next_attempt_at);
CREATE INDEX outgoing_messages_by_organisation ON outgoing_messages (organisation_id, created_at);
CREATE UNIQUE INDEX outgoing_messages_by_unsubscribe ON outgoing_messages (unsubscribe_hash);

-- Links sent by email to prove an address: a new account's verification, a password reset, an
-- address left on a consultation response. Single use, time-limited, stored as a hash.
CREATE TABLE email_tokens (
    token_hash      TEXT PRIMARY KEY,
    purpose         TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'confirm_address')),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    user_id         TEXT REFERENCES users (id),
    email           TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);
CREATE INDEX email_tokens_by_user ON email_tokens (user_id, purpose);
CREATE INDEX email_tokens_by_email ON email_tokens (email);

-- An account's address is proven by the link it was sent (an invitation, or a verification).
-- Accounts that already have a password were made before this and chose it through an invitation.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at WHERE password_hash IS NOT NULL;
