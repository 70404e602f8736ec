-- Schema 1 of the CX Maturity database.
-- Runs inside one transaction (rusqlite_migration); per-connection pragmas
-- (foreign_keys, journal_mode, synchronous, busy_timeout) are set by the store, not here.

-- "CXM1": marks the file as ours. Stored in the file header, rolled back with the
-- transaction if anything below fails.
PRAGMA application_id = 1129860401;

-- Every imported model version, with its TOML source (the source of truth: the store
-- parses it back into a Model). Rows are never updated, so a cache keyed by id stays
-- valid; AUTOINCREMENT keeps ids from ever being reused.
CREATE TABLE model_versions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id       TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    title          TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    question_count INTEGER NOT NULL CHECK (question_count >= 1),
    imported_at    TEXT    NOT NULL,
    UNIQUE (model_id, version)
) STRICT;

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at  TEXT NOT NULL,
    archived_at TEXT            -- NULL = active
) STRICT;

-- One assessment of one organisation, pinned to one model version. The summary
-- columns (phase … block_maturity) are rewritten by every write that changes the
-- round's respondents or answers, in the same transaction.
CREATE TABLE rounds (
    id                  INTEGER PRIMARY KEY,
    organisation_id     INTEGER NOT NULL REFERENCES organisations (id),
    title               TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    date                TEXT    NOT NULL CHECK (date IS date(date)),
    model_version_id    INTEGER NOT NULL REFERENCES model_versions (id),
    target_phase        INTEGER CHECK (target_phase IS NULL OR target_phase >= 1),
    status              TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at          TEXT    NOT NULL,
    -- organisation phase P; NULL while no answer has been given in the round
    phase               INTEGER CHECK (phase IS NULL OR phase >= 0),
    respondents         INTEGER NOT NULL DEFAULT 0 CHECK (respondents >= 0),
    interviews_complete INTEGER NOT NULL DEFAULT 0 CHECK (interviews_complete >= 0),
    -- [{"block": id, "reached_phase": R_b, "maturity": M_b}, …] in model order; [] when phase is NULL
    block_maturity      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(block_maturity))
) STRICT;

-- Organisations with their rounds in date order; an organisation's trend.
CREATE INDEX rounds_by_organisation ON rounds (organisation_id, date);
-- Rounds using a model version (models listing, foreign-key checks).
CREATE INDEX rounds_by_model_version ON rounds (model_version_id);

CREATE TABLE respondents (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    role_group     TEXT    NOT NULL,   -- role-group id of the round's model
    department     TEXT,
    interview_date TEXT    CHECK (interview_date IS NULL OR interview_date IS date(interview_date)),
    created_at     TEXT    NOT NULL,
    UNIQUE (round_id, name)
) STRICT;

-- One round's respondents, in creation (id) order: the first step of loading a round.
CREATE INDEX respondents_by_round ON respondents (round_id);

-- One row per respondent × question with an answer or a note. Clustered by
-- (respondent, question): a respondent's answers are one contiguous range.
CREATE TABLE answers (
    respondent_id INTEGER NOT NULL REFERENCES respondents (id) ON DELETE CASCADE,
    question_id   TEXT    NOT NULL,
    value         INTEGER CHECK (value IS NULL OR value >= -2),  -- Answer::code(); NULL = only a note
    note          TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (respondent_id, question_id),
    CHECK (value IS NOT NULL OR note IS NOT NULL)
) STRICT, WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
