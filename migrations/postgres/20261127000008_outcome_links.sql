-- What each "you said, we did" update answers: residents' ideas and the consultation's questions.
CREATE TABLE outcome_links (
    outcome_id  TEXT NOT NULL REFERENCES outcome_updates (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('proposal', 'question')),
    target_id   TEXT NOT NULL,
    PRIMARY KEY (outcome_id, target_kind, target_id)
);
CREATE INDEX outcome_links_by_target ON outcome_links (target_kind, target_id);
