-- The people behind each theme raised in each area on each UK day (issue 18's clusters): one row
-- per named person (door records linked to an account are the account's), and one row per day,
-- area and theme for every conversation with nobody named (person '', counted in `n`: each is a
-- resident of its own). Rebuilt with the day's counts, so the clusters query reads these rows
-- rather than every conversation and its issues (656 ms at a million conversations). The counts
-- are emptied here and rebuilt, with these rows, at the next start.
CREATE TABLE theme_people (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    day             BIGINT NOT NULL,
    area_id         TEXT NOT NULL,
    theme_id        TEXT NOT NULL,
    person          TEXT NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, day, area_id, theme_id, person)
) WITHOUT ROWID;
DELETE FROM intelligence_counts;
DELETE FROM intelligence_dirty;
