-- Answers are keyed by their position, not their text: free text can be long (and, in 3-byte
-- scripts, too long for a PostgreSQL index row), so it is no longer part of any index.
CREATE TABLE answers_new (
    response_id TEXT NOT NULL REFERENCES responses (id),
    question_id TEXT NOT NULL REFERENCES questions (id),
    ordinal     INTEGER NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id, ordinal)
);
INSERT INTO answers_new (response_id, question_id, ordinal, value)
    SELECT response_id, question_id, ROW_NUMBER() OVER (PARTITION BY response_id, question_id ORDER BY value), value FROM answers;
DROP TABLE answers;
ALTER TABLE answers_new RENAME TO answers;
CREATE INDEX answers_by_question ON answers (question_id);
