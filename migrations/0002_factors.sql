-- +goose Up
-- Factors read beside a region's MPP status: the PMK fiscal capacity per kab/kota, what an
-- inhibiting factor is about, and the citation of a reported cost split into ids or address.

-- The Finance Ministry's fiscal-capacity ratio (RKFD) and category per kab/kota and PMK period
-- (fiscal/kapasitas_fiskal_kabkota_partial.csv). Only the periods a region has a value for have
-- a row: missing is "no data", never the lowest category. Ratios of different periods are on
-- different scales and must not be compared; categories may be. regulation and year repeat the
-- period (the file's header defines it) so a reader needs no second table.
CREATE TABLE region_fiscal_capacity (
    region_code text NOT NULL REFERENCES region (code) ON DELETE CASCADE,
    period      text NOT NULL CHECK (period ~ '^pmk_[0-9]+_[0-9]{4}$'),  -- pmk_65_2024
    regulation  text NOT NULL,                                           -- PMK 65/2024
    year        int  NOT NULL,
    ratio       double precision CHECK (ratio >= 0),
    category    text CHECK (category IN ('sangat rendah', 'rendah', 'sedang', 'tinggi', 'sangat tinggi')),
    source_ids  text[] NOT NULL DEFAULT '{}',
    note        text NOT NULL DEFAULT '',
    PRIMARY KEY (region_code, period),
    CHECK (ratio IS NOT NULL OR category IS NOT NULL)
);

-- What an inhibiting factor is about: kab/kota (region_codes), provinces (province_codes, drawn on
-- the province and never copied onto its kab/kota), the country, or a place that names neither
-- ("8 kabupaten").
ALTER TABLE inhibitor
    ADD COLUMN province_codes text[] NOT NULL DEFAULT '{}',
    ADD COLUMN scope text NOT NULL DEFAULT 'unresolved'
        CHECK (scope IN ('region', 'province', 'national', 'unresolved'));

-- A cost's citation, parsed: source ids or an address. `source` stays as the cell was written,
-- like inhibitor.area and mpp_digital_fact.date_text keep the published text beside what was
-- read from it; dropping it would lose rows an older importer let through that are neither.
ALTER TABLE mpp_cost
    ADD COLUMN source_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN address text NOT NULL DEFAULT '',
    ADD CHECK (cardinality(source_ids) = 0 OR address = '');
UPDATE mpp_cost SET source_ids = regexp_split_to_array(btrim(source), '\s*;\s*')
    WHERE source ~ '^\s*S[0-9]+(\s*;\s*S[0-9]+)*\s*$';
UPDATE mpp_cost SET address = source
    WHERE cardinality(source_ids) = 0 AND source ~* '^https?://[^/\s;]+[^\s;]*$';

-- Rows imported before this migration lack what only the importer can compute (an inhibitor's
-- scope needs the place names resolved). The importer skips files whose sha256 it has seen, so
-- give these two a hash no file has: the next import rewrites their rows, and records that it did.
UPDATE dataset_file SET sha256 = repeat('0', 64) WHERE path IN ('mpp/inhibitors.csv', 'mpp/mpp_costs.csv');

-- +goose Down
ALTER TABLE mpp_cost DROP COLUMN address, DROP COLUMN source_ids;
ALTER TABLE inhibitor DROP COLUMN scope, DROP COLUMN province_codes;
DROP TABLE region_fiscal_capacity;
-- The file's rows are gone with the table: forget its hash, so that an import after migrating up
-- again writes them back instead of skipping an unchanged file.
DELETE FROM dataset_file WHERE path = 'fiscal/kapasitas_fiskal_kabkota_partial.csv';
