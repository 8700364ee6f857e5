-- An admin can let an outreach worker run consultations (admins always can).
ALTER TABLE users ADD COLUMN consultation_rights INTEGER NOT NULL DEFAULT 0;
