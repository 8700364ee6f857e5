-- One name per partner group of a host, whatever its case: the page checks first, and this
-- closes the race between two admins (or an approval and an invitation) at the same moment.
CREATE UNIQUE INDEX organisations_group_name ON organisations (host_id, LOWER(name)) WHERE host_id IS NOT NULL;
