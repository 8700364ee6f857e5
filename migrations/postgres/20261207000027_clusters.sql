-- Clusters (issue 18): how many residents raising one theme in one area within how many days
-- the organisation's admins count as a cluster to answer together.
ALTER TABLE organisations ADD COLUMN cluster_threshold BIGINT NOT NULL DEFAULT 10;
ALTER TABLE organisations ADD COLUMN cluster_window_days BIGINT NOT NULL DEFAULT 30;
