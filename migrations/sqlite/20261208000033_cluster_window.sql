-- A cluster's window is at most 90 days (issue 18): a cluster is a recent rise, and a longer
-- window made the clusters page read a year and the year before (over the dashboard's 200 ms at
-- a million conversations). A longer window saved before becomes 90 days.
UPDATE organisations SET cluster_window_days = 90 WHERE cluster_window_days > 90;
