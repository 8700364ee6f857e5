-- An opportunity written in English and Welsh: its title and description. '' is "not written in
-- Welsh": a Welsh reader then sees the English, with a note saying so.
ALTER TABLE opportunities ADD COLUMN title_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE opportunities ADD COLUMN description_cy TEXT NOT NULL DEFAULT '';
