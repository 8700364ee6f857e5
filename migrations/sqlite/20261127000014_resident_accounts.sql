-- A resident with an online account keeps their consent decisions in the same ledger as those
-- taken at the door: their account gets a resident record the first time they make one.
ALTER TABLE residents ADD COLUMN user_id TEXT REFERENCES users (id);
CREATE UNIQUE INDEX residents_by_user ON residents (user_id);
