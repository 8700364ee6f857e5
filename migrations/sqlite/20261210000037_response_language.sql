-- The language a consultation response was given in ('' where not known, as at the door and
-- for every response before this): the updates its resident asked for are written in it.
ALTER TABLE responses ADD COLUMN language TEXT NOT NULL DEFAULT '';
