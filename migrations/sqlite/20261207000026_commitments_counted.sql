-- Commitments counted with the conversations they were made in (issue 18): each conversation's
-- counts carry how many of its commitments on each side are open, kept, not kept and not
-- needed, so the dashboard's commitments tables read the few thousand count rows like every
-- other figure instead of every commitment (1.5 s at a million conversations). A day's rows are
-- rebuilt when a follow-up settles its commitments, as when a conversation arrives. The counts
-- are emptied here and rebuilt from the conversations at the next start.
ALTER TABLE intelligence_counts ADD COLUMN we_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN we_kept INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN we_not_kept INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN we_not_needed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN you_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN you_kept INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN you_not_kept INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intelligence_counts ADD COLUMN you_not_needed INTEGER NOT NULL DEFAULT 0;
DELETE FROM intelligence_counts;
DELETE FROM intelligence_dirty;
