-- Schema 2 (issue 13): the round's inbox, and where an accepted or imported respondent
-- came from.

-- Submissions from outside the app (a participant's phone in workshop mode), waiting
-- until the person running the round accepts or rejects them. An accepted submission
-- becomes a respondent (its `source_key` is the submission id); accepted or rejected,
-- the entry stays as a marker without its content, so the same submission sent again
-- is not stored again.
CREATE TABLE inbox (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    submission_id TEXT    NOT NULL,   -- the client-made UUID, lowercase
    source        TEXT    NOT NULL CHECK (source IN ('workshop')),
    received_at   TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    name          TEXT,
    role_group    TEXT    NOT NULL,   -- role-group id of the round's model
    department    TEXT,
    -- {"STR-1.1": "3", "VOC-2.2": "dk", …}; '{}' once accepted or rejected
    answers       TEXT    NOT NULL CHECK (json_valid(answers)),
    UNIQUE (round_id, submission_id)
) STRICT;

-- Where a respondent came from when not typed in: the submission id of an accepted
-- inbox entry, or the instance id of an ODK Central / KoboToolbox submission. A later
-- export of the same survey imports only the submissions not seen before.
ALTER TABLE respondents ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX respondents_by_source_key ON respondents (round_id, source_key)
    WHERE source_key IS NOT NULL;
