-- Schema 3 (issue 14): identities that survive a copy, so engagement files from several
-- installations merge by id instead of duplicating: a UUID on organisations, rounds and
-- respondents; a last-writer-wins register (changed at, changed by) on every field that
-- can change; every answer's earlier versions; tombstones for deleted rounds and
-- respondents; the installations seen; the team folder's shares.
--
-- A register's "version" is (at, by): at = RFC 3339 UTC with milliseconds, by = the
-- installation's id. ('', '') is the value a row was created with: every copy of a row
-- starts from its creator's values, so the creation needs no stamp to converge.
--
-- organisations, rounds and respondents are rebuilt (SQLite's table-rebuild procedure;
-- foreign keys are off while migrating) to give the UUID a random default and, for
-- respondents, to drop UNIQUE (round_id, name): two interviewers can each add an `R-01`
-- offline; a merge keeps both and says so, and the app still refuses a duplicate typed in.

-- Each installation of the app that wrote data this database holds; `this` = 1 is this one.
CREATE TABLE installations (
    id      TEXT    NOT NULL PRIMARY KEY,
    name    TEXT    NOT NULL,                  -- "Anna's laptop"; '' = not named yet
    name_at TEXT    NOT NULL DEFAULT '',       -- the name's register
    this    INTEGER NOT NULL DEFAULT 0 CHECK (this IN (0, 1))
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX installations_this ON installations (this) WHERE this = 1;
INSERT INTO installations (id, name, this) VALUES (
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
    '', 1);

CREATE TABLE organisations_new (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at  TEXT NOT NULL,
    archived_at TEXT,           -- NULL = active (local: not merged)
    name_at     TEXT NOT NULL DEFAULT '',
    name_by     TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO organisations_new (id, name, created_at, archived_at)
    SELECT id, name, created_at, archived_at FROM organisations;
DROP TABLE organisations;
ALTER TABLE organisations_new RENAME TO organisations;

CREATE TABLE rounds_new (
    id                  INTEGER PRIMARY KEY,
    uuid                TEXT    NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    organisation_id     INTEGER NOT NULL REFERENCES organisations (id),
    title               TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    date                TEXT    NOT NULL CHECK (date IS date(date)),
    model_version_id    INTEGER NOT NULL REFERENCES model_versions (id),
    target_phase        INTEGER CHECK (target_phase IS NULL OR target_phase >= 1),
    status              TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at          TEXT    NOT NULL,
    phase               INTEGER CHECK (phase IS NULL OR phase >= 0),
    respondents         INTEGER NOT NULL DEFAULT 0 CHECK (respondents >= 0),
    interviews_complete INTEGER NOT NULL DEFAULT 0 CHECK (interviews_complete >= 0),
    block_maturity      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(block_maturity)),
    status_at           TEXT    NOT NULL DEFAULT '',
    status_by           TEXT    NOT NULL DEFAULT '',
    target_at           TEXT    NOT NULL DEFAULT '',
    target_by           TEXT    NOT NULL DEFAULT ''
) STRICT;
INSERT INTO rounds_new (id, organisation_id, title, date, model_version_id, target_phase, status,
                        created_at, phase, respondents, interviews_complete, block_maturity)
    SELECT id, organisation_id, title, date, model_version_id, target_phase, status,
           created_at, phase, respondents, interviews_complete, block_maturity FROM rounds;
DROP TABLE rounds;
ALTER TABLE rounds_new RENAME TO rounds;
CREATE INDEX rounds_by_organisation ON rounds (organisation_id, date);
CREATE INDEX rounds_by_model_version ON rounds (model_version_id);

CREATE TABLE respondents_new (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT    NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    role_group     TEXT    NOT NULL,
    department     TEXT,
    interview_date TEXT    CHECK (interview_date IS NULL OR interview_date IS date(interview_date)),
    created_at     TEXT    NOT NULL,
    source_key     TEXT,
    -- the register of name, role group, department and interview date
    updated_at     TEXT    NOT NULL DEFAULT '',
    updated_by     TEXT    NOT NULL DEFAULT ''
) STRICT;
INSERT INTO respondents_new (id, round_id, name, role_group, department, interview_date, created_at, source_key,
                             updated_at, updated_by)
    SELECT id, round_id, name, role_group, department, interview_date, created_at, source_key,
           coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', created_at), ''), (SELECT id FROM installations WHERE this = 1)
    FROM respondents;
DROP TABLE respondents;
ALTER TABLE respondents_new RENAME TO respondents;
CREATE INDEX respondents_by_round ON respondents (round_id);
CREATE INDEX respondents_by_name ON respondents (round_id, name);
CREATE UNIQUE INDEX respondents_by_source_key ON respondents (round_id, source_key)
    WHERE source_key IS NOT NULL;

-- The current version of an answer: (updated_at, updated_by), and the version it
-- replaced (parent_at, parent_by; NULL for a first answer). Existing answers become
-- this installation's, at their time in the one format versions compare in.
ALTER TABLE answers ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE answers ADD COLUMN parent_at TEXT;
ALTER TABLE answers ADD COLUMN parent_by TEXT;
UPDATE answers SET updated_at = coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', updated_at), updated_at),
                   updated_by = (SELECT id FROM installations WHERE this = 1);

-- Every other version of every answer: the ones replaced (the answer's history, shown
-- in the app), and the current one when it is a cleared answer (value and note NULL),
-- which must stay to win over the older value on another laptop.
CREATE TABLE answer_versions (
    respondent_id INTEGER NOT NULL REFERENCES respondents (id) ON DELETE CASCADE,
    question_id   TEXT    NOT NULL,
    at            TEXT    NOT NULL,
    by            TEXT    NOT NULL,
    value         INTEGER CHECK (value IS NULL OR value >= -2),
    note          TEXT,
    parent_at     TEXT,
    parent_by     TEXT,
    PRIMARY KEY (respondent_id, question_id, at, by)
) STRICT, WITHOUT ROWID;

-- Deleted rounds and respondents: a merge never brings them back.
CREATE TABLE tombstones (
    uuid              TEXT NOT NULL PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('round', 'respondent')),
    organisation_uuid TEXT NOT NULL,
    deleted_at        TEXT NOT NULL,
    deleted_by        TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX tombstones_by_organisation ON tombstones (organisation_uuid);

-- The last engagement file merged here from each other installation, per organisation
-- (its `exported_at`): "where the data came from" on the organisation page.
CREATE TABLE exchanges (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    installation_id TEXT    NOT NULL,
    file_written_at TEXT    NOT NULL,
    merged_at       TEXT    NOT NULL,
    PRIMARY KEY (organisation_id, installation_id)
) STRICT, WITHOUT ROWID;

-- Organisations this installation shares in the team folder (Settings → Team folder).
CREATE TABLE team_shares (
    organisation_id INTEGER NOT NULL PRIMARY KEY REFERENCES organisations (id)
) STRICT;
