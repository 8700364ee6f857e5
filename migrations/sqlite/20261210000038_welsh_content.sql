-- Content in English and Welsh: a consultation's title, summary and background, its questions
-- (their prompts and hints here; each choice's Welsh label travels in the options' JSON as
-- "label_cy") and its outcome updates. '' is "not written in Welsh": a Welsh reader then sees the
-- English, with a note saying so. An organisation can require both before a consultation is
-- published (`welsh_required`).
ALTER TABLE consultations ADD COLUMN title_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN summary_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN background_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN prompt_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN hint_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE outcome_updates ADD COLUMN reason_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE outcome_updates ADD COLUMN body_cy TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN welsh_required INTEGER NOT NULL DEFAULT 0;
