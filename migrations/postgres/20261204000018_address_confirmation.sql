-- Double opt-in: an address left on a consultation response ("Email me when there is an update")
-- is confirmed by an emailed link before anything else is sent to it, so nobody can sign someone
-- else's address up. The link belongs to that one response: confirming it confirms nothing else.
-- Addresses left before this were never confirmed; they get nothing until confirmed.
ALTER TABLE responses ADD COLUMN email_confirmed_at BIGINT;
ALTER TABLE email_tokens ADD COLUMN response_id TEXT;
CREATE INDEX email_tokens_by_response ON email_tokens (response_id);
