-- "What you can do" (issue 18): short self-help guidance an organisation keeps for each theme.
-- What a resident can do themselves (steps, one per line, in order) and the local groups and
-- contacts that help. Tablets carry it offline; residents read it on the public pages. It names
-- nobody: it is the organisation's own advice.
CREATE TABLE theme_guidance (
    theme_id        TEXT PRIMARY KEY REFERENCES themes (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    steps           TEXT NOT NULL DEFAULT '',
    help            TEXT NOT NULL DEFAULT '',
    updated_by      TEXT NOT NULL REFERENCES users (id),
    updated_at      BIGINT NOT NULL
);
CREATE INDEX theme_guidance_by_organisation ON theme_guidance (organisation_id);
