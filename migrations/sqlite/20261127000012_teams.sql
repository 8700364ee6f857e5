-- Teams: an admin names the team each member of staff works in. Outreach workers see their
-- own figures and their team's; admins filter the dashboard by team.
ALTER TABLE users ADD COLUMN team TEXT NOT NULL DEFAULT '';
CREATE INDEX users_by_team ON users (organisation_id, team);
