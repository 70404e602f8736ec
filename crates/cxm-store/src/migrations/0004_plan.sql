-- Schema 4 (issue 15): the plan — what an organisation decided to do after an
-- assessment. It belongs to the organisation and outlives rounds; items merge between
-- laptops like respondents (a UUID, one change stamp for the item's fields, a tombstone
-- when deleted).

CREATE TABLE plan_items (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT    NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    title           TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    block           TEXT    NOT NULL,   -- block id
    question        TEXT,               -- question id; NULL for a free item
    owner           TEXT,
    due             TEXT,               -- "2027-Q1" or "2027-03-31"
    effort          TEXT    CHECK (effort IS NULL OR effort IN ('S', 'M', 'L')),
    status          TEXT    NOT NULL DEFAULT 'planned'
                            CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    notes           TEXT,
    planned_from    TEXT,               -- the UUID of the round it was planned from
    created_at      TEXT    NOT NULL,
    -- the register of every field above
    updated_at      TEXT    NOT NULL DEFAULT '',
    updated_by      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX plan_items_by_organisation ON plan_items (organisation_id);

-- Tombstones name plan items too.
CREATE TABLE tombstones_new (
    uuid              TEXT NOT NULL PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('round', 'respondent', 'plan_item')),
    organisation_uuid TEXT NOT NULL,
    deleted_at        TEXT NOT NULL,
    deleted_by        TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO tombstones_new SELECT uuid, kind, organisation_uuid, deleted_at, deleted_by FROM tombstones;
DROP TABLE tombstones;
ALTER TABLE tombstones_new RENAME TO tombstones;
CREATE INDEX tombstones_by_organisation ON tombstones (organisation_uuid);
