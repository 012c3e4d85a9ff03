-- +goose Up
-- Stewards edit the ledger between reference releases. What that needs of the schema:
--   * where a row came from (a reference import or a steward's edit), so that a later import
--     replaces an edit only with a newer as-of date (data.Import reconciles, and reports the
--     rest as conflicts);
--   * a revision per edited row, so that a save made against an old revision is refused
--     (optimistic concurrency: a stale form gets a conflict page, never a silent overwrite);
--   * one ledger version, bumped by every write that changes what the public sees, which a
--     bulk update's dry run names as its base and its apply must still find.

ALTER TABLE region_status
    ADD COLUMN origin   text   NOT NULL DEFAULT 'import' CHECK (origin IN ('import', 'edit')),
    ADD COLUMN revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1);

-- Who recorded a change, for the public history: changed_by stays the public label
-- ("import:<id>", or the steward's unit and role); user_id links an edit to its account for the
-- audit log, which only stewards read.
ALTER TABLE status_history
    ADD COLUMN user_id bigint REFERENCES app_user (id);

ALTER TABLE mpp_site
    ADD COLUMN origin   text   NOT NULL DEFAULT 'import' CHECK (origin IN ('import', 'edit')),
    ADD COLUMN revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1);

-- A steward adds a source as address, title, publisher and date; description is what the
-- reference file's column holds ("Publisher - Title"), so an export writes the file as before.
ALTER TABLE source
    ADD COLUMN origin text NOT NULL DEFAULT 'import' CHECK (origin IN ('import', 'edit'));

CREATE TABLE ledger_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint  NOT NULL CHECK (version >= 1),
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ledger_version (version) VALUES (1);

-- +goose Down
DROP TABLE ledger_version;
ALTER TABLE source DROP COLUMN origin;
ALTER TABLE mpp_site DROP COLUMN origin, DROP COLUMN revision;
ALTER TABLE status_history DROP COLUMN user_id;
ALTER TABLE region_status DROP COLUMN origin, DROP COLUMN revision;
