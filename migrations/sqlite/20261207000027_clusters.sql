-- Clusters (issue 18): how many residents raising one theme in one area within how many days
-- the organisation's admins count as a cluster to answer together.
ALTER TABLE organisations ADD COLUMN cluster_threshold INTEGER NOT NULL DEFAULT 10;
ALTER TABLE organisations ADD COLUMN cluster_window_days INTEGER NOT NULL DEFAULT 30;
-- Finding clusters reads the conversations of two periods: this index holds all it needs of
-- them, so it is read in order without visiting a single row (656 ms at a million without).
CREATE INDEX interactions_for_clusters ON interactions (organisation_id, occurred_at, outcome, area_id, resident_id, id);
