-- The language a conversation was held in, as the worker recorded it ('en', 'cy', 'other', or ''
-- when not recorded, as for every conversation before this), and how many conversations each
-- count row holds that were held in Welsh: the dashboard shows, by area, whether Welsh is met
-- where it is asked for. Conversations before this have none, so the counts need no rebuild.
ALTER TABLE interactions ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE intelligence_counts ADD COLUMN in_welsh INTEGER NOT NULL DEFAULT 0;
