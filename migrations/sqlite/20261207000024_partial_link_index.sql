-- Almost every resident is linked to no one. A full index on `linked_to` is all NULLs, and with
-- statistics saying so the planner scans every resident to find the few who are linked (140 s for
-- the counts rebuild at 100k residents). A partial index holds only the links and is always used.
DROP INDEX residents_by_link;
CREATE INDEX residents_by_link ON residents (linked_to) WHERE linked_to IS NOT NULL;
