-- Anti-abuse: what each network address has posted recently (responses, ideas, comments,
-- reports), so one address cannot flood a consultation by throwing away its cookie. Pruned
-- after a day; no participant is identified here.
CREATE TABLE participation_events (
    address TEXT NOT NULL,
    kind    TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX participation_events_by_address ON participation_events (address, kind, at);
