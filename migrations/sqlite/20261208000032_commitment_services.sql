-- A commitment may name the organisation's service it concerns (issue 18): for "we will…", the
-- service that will act, which its owner chases; for "you can…", the service the resident will
-- use. The dashboard counts commitments kept by that service. Commitments made before have none,
-- so the counts already kept stay true and need no rebuild.
ALTER TABLE commitments ADD COLUMN service_id TEXT REFERENCES services (id);
