-- +goose Up
-- What `mppmap export` needs to write the ledger back byte for byte, and the import used to drop.

-- The province column of mpp_locations.csv as the file writes it. It is not always the
-- province's name: DKI Jakarta's provincial MPP is listed under "DKI Jakarta", codes/provinces.csv
-- says "Daerah Khusus Ibukota Jakarta". NULL (a site a steward added): write the province's name.
ALTER TABLE mpp_site ADD COLUMN province_name text;

-- The line of datasets.csv that describes the file: datasets.csv lists the files in an order of
-- its own (codes, boundaries, mpp, fiscal, demography), which no other column gives back.
-- NULL: datasets.csv does not describe the file.
ALTER TABLE dataset_file ADD COLUMN datasets_line int CHECK (datasets_line > 0);

-- Sites imported before this migration lack their province as written, and the importer skips
-- a file whose sha256 it has seen: give mpp_locations.csv a hash no file has, so the next
-- import rewrites its rows (as 0002 did). datasets_line is filled by the next import anyway:
-- every dataset_file row whose datasets_line differs is updated.
UPDATE dataset_file SET sha256 = repeat('0', 64) WHERE path = 'mpp/mpp_locations.csv';

-- +goose Down
ALTER TABLE dataset_file DROP COLUMN datasets_line;
ALTER TABLE mpp_site DROP COLUMN province_name;
