-- The language a person chose with the language switch while signed in ('' for none yet):
-- their pages and their emails are in it, on any device.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
