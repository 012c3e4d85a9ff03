-- +goose Up
-- The reference data's home. Codes are Kemendagri codes ("32", "32.73"); dates are pdate
-- (as precise as the source); every source_ids array names rows of source.
CREATE EXTENSION IF NOT EXISTS postgis;

-- A date as precise as its source: YYYY-MM-DD, YYYY-MM, YYYY, or <= one of those ("existed by").
-- Kept as text so "2024-08" is never turned into a day the source did not give (see data/pdate).
CREATE DOMAIN pdate AS text CHECK (VALUE ~ '^(<=)?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$');

-- One row per run of `mppmap import` that wrote anything.
CREATE TABLE import_run (
    id          bigserial PRIMARY KEY,
    data_dir    text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    summary     jsonb       NOT NULL
);

-- Provenance: which file of which folder, with which content, was imported when.
CREATE TABLE dataset_file (
    path        text PRIMARY KEY,             -- relative to the data folder, e.g. mpp/targets.csv
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    title       text        NOT NULL DEFAULT '',
    publisher   text        NOT NULL DEFAULT '',
    licence     text        NOT NULL DEFAULT '',
    attribution text        NOT NULL DEFAULT '',
    upstream    text        NOT NULL DEFAULT '',
    as_of       text        NOT NULL DEFAULT '',
    data_dir    text        NOT NULL,
    imported_at timestamptz NOT NULL,
    import_id   bigint      NOT NULL REFERENCES import_run (id)
);

CREATE TABLE source (
    id                text PRIMARY KEY CHECK (id ~ '^S[0-9]+$'),
    address           text NOT NULL,
    description       text NOT NULL,
    published         pdate,
    date_note         text NOT NULL DEFAULT ''
);

CREATE TABLE province (
    code            text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name            text NOT NULL,
    kabupaten_count int  NOT NULL CHECK (kabupaten_count >= 0),
    kota_count      int  NOT NULL CHECK (kota_count >= 0),
    geom            geometry(MultiPolygon, 4326)   -- as published; not edge-matched with region
);
CREATE INDEX province_geom_gist ON province USING gist (geom);

CREATE TABLE region (
    code          text PRIMARY KEY CHECK (code ~ '^[0-9]{2}\.[0-9]{2}$'),
    name          text NOT NULL,
    province_code text NOT NULL REFERENCES province (code),
    kind          text NOT NULL CHECK (kind IN ('kabupaten', 'kota')),
    geom          geometry(MultiPolygon, 4326) NOT NULL,  -- as published (repaired if invalid)
    geom_clean    geometry(MultiPolygon, 4326),           -- edge-matched coverage (no overlaps, slivers filled)
    area_km2      double precision                        -- of geom_clean, on the spheroid
);
CREATE INDEX region_province ON region (province_code);
CREATE INDEX region_geom_gist ON region USING gist (geom);
CREATE INDEX region_geom_clean_gist ON region USING gist (geom_clean);

-- The coverage simplified as a topology, once per detail level.
CREATE TABLE region_geom_level (
    region_code text NOT NULL REFERENCES region (code) ON DELETE CASCADE,
    level       text NOT NULL CHECK (level IN ('national', 'province', 'full')),
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    PRIMARY KEY (region_code, level)
);
CREATE INDEX region_geom_level_gist ON region_geom_level USING gist (geom);

-- Neighbours on the cleaned coverage: shared border length, or (for regions with no land
-- neighbour) the nearest regions by distance.
CREATE TABLE region_neighbour (
    region_code    text NOT NULL REFERENCES region (code) ON DELETE CASCADE,
    neighbour_code text NOT NULL REFERENCES region (code) ON DELETE CASCADE,
    relation       text NOT NULL CHECK (relation IN ('border', 'nearest')),
    border_km      double precision NOT NULL DEFAULT 0,
    distance_km    double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, neighbour_code),
    CHECK (region_code <> neighbour_code)
);

CREATE TABLE region_status (
    region_code          text PRIMARY KEY REFERENCES region (code) ON DELETE CASCADE,
    status               text NOT NULL CHECK (status IN ('yes', 'in_progress', 'no', 'unknown')),
    as_of                pdate,
    first_known          pdate,
    evidence             text NOT NULL,
    source_ids           text[] NOT NULL DEFAULT '{}',
    note                 text NOT NULL DEFAULT '',
    updated_at           timestamptz NOT NULL,
    -- unknown means "no source yet": it cannot carry one; every other status must.
    CHECK (status = 'unknown' OR cardinality(source_ids) > 0 OR evidence = 'covered_by_provincial_MPP')
);

-- Every change of a region's status, including the first one an import recorded.
CREATE TABLE status_history (
    id              bigserial PRIMARY KEY,
    region_code     text NOT NULL REFERENCES region (code) ON DELETE CASCADE,
    changed_at      timestamptz NOT NULL,
    old_status      text CHECK (old_status IN ('yes', 'in_progress', 'no', 'unknown')),
    new_status      text NOT NULL CHECK (new_status IN ('yes', 'in_progress', 'no', 'unknown')),
    as_of           pdate,
    evidence        text NOT NULL,
    source_ids      text[] NOT NULL DEFAULT '{}',
    note            text NOT NULL DEFAULT '',
    changed_by      text NOT NULL,           -- "import:<id>" or the steward's user name
    import_id       bigint REFERENCES import_run (id)
);
CREATE INDEX status_history_region ON status_history (region_code, changed_at);

-- Every MPP identified. DKI Jakarta's is one province-level site (region_code NULL) that serves
-- its six administrative kab/kota.
CREATE TABLE mpp_site (
    id                  bigserial PRIMARY KEY,
    province_code       text NOT NULL REFERENCES province (code),
    region_code         text REFERENCES region (code),
    name                text NOT NULL,
    inaugurated         pdate,  -- precision is in the notation; NULL for province-total rows without a date
    event_id            text NOT NULL DEFAULT '',
    evidence            text NOT NULL,
    source_ids          text[] NOT NULL DEFAULT '{}',
    note                text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX mpp_site_natural ON mpp_site (province_code, coalesce(region_code, ''), name);

-- Cumulative national counts as stated by officials; two figures for one day are both kept.
CREATE TABLE national_count (
    id               bigserial PRIMARY KEY,
    year             int  NOT NULL,
    as_of            pdate NOT NULL,
    cumulative       int CHECK (cumulative >= 0),  -- NULL: the source gives no figure
    value_type       text NOT NULL CHECK (value_type IN ('stated', 'stated_approx', 'derived', 'unknown')),
    is_year_end_best boolean NOT NULL,
    denominator_note text NOT NULL DEFAULT '',
    source_ids       text[] NOT NULL DEFAULT '{}',
    note             text NOT NULL DEFAULT ''
);

CREATE TABLE target (
    id                text PRIMARY KEY,
    set_by            text NOT NULL,
    stated_on         pdate,
    target_year       text NOT NULL DEFAULT '',
    target            text NOT NULL,
    scope             text NOT NULL DEFAULT '',
    outcome_note      text NOT NULL DEFAULT '',
    source_ids        text[] NOT NULL DEFAULT '{}'
);

-- Inhibiting factors as cited; `area` is the place as the source words it, region_codes the
-- kab/kota it could be resolved to (empty for national or unresolved statements).
CREATE TABLE inhibitor (
    id           bigserial PRIMARY KEY,
    category     text NOT NULL,
    finding      text NOT NULL,
    area         text NOT NULL,
    region_codes text[] NOT NULL DEFAULT '{}',
    date_text    text NOT NULL DEFAULT '',     -- as published ("c. 2020-2022")
    source_ids   text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE mpp_digital_fact (
    id         bigserial PRIMARY KEY,
    date_text  text NOT NULL,
    metric     text NOT NULL,
    value      text NOT NULL,
    source_ids text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE mpp_digital_pilot (
    id                bigserial PRIMARY KEY,
    name_as_published text NOT NULL,
    event_date        text NOT NULL DEFAULT '',
    source_ids        text[] NOT NULL DEFAULT '{}',
    note              text NOT NULL DEFAULT ''
);

CREATE TABLE mpp_digital_region (
    region_code text NOT NULL REFERENCES region (code),
    model       text NOT NULL,
    as_of       text NOT NULL DEFAULT '',
    source_ids  text[] NOT NULL DEFAULT '{}',
    note        text NOT NULL DEFAULT '',
    PRIMARY KEY (region_code, model)
);

-- Indicators per region and period: APBD lines and shares, population (Dukcapil and BPS kept
-- apart), area, IPM, poverty. `dataset` is the file the value came from (dataset_file.path).
CREATE TABLE indicator (
    id          text PRIMARY KEY,          -- e.g. pad_share_budget_pct
    label_id    text NOT NULL,
    label_en    text NOT NULL,
    unit        text NOT NULL,
    dataset     text NOT NULL,
    description text NOT NULL DEFAULT ''
);

CREATE TABLE indicator_value (
    region_code  text NOT NULL REFERENCES region (code) ON DELETE CASCADE,
    indicator_id text NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    period       text NOT NULL,            -- year, e.g. 2024
    value        double precision NOT NULL,
    PRIMARY KEY (region_code, indicator_id, period)
);

-- The Finance Ministry's fiscal-capacity category (PMK) where it is quoted; a full per-kab/kota
-- table can land here when one becomes available.
CREATE TABLE fiscal_capacity (
    id            bigserial PRIMARY KEY,
    level         text NOT NULL CHECK (level IN ('province', 'kabupaten', 'kota')),
    province_code text NOT NULL REFERENCES province (code),
    region_code   text REFERENCES region (code),
    regulation    text NOT NULL,
    regulation_date pdate,
    category      text NOT NULL,
    source_ids    text[] NOT NULL DEFAULT '{}',
    note          text NOT NULL DEFAULT ''
);

CREATE TABLE mpp_cost (
    id          bigserial PRIMARY KEY,
    region_name text NOT NULL,
    region_code text REFERENCES region (code),
    amount      text NOT NULL,
    what        text NOT NULL DEFAULT '',
    year_text   text NOT NULL DEFAULT '',
    source      text NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE mpp_cost, fiscal_capacity, indicator_value, indicator, mpp_digital_region,
    mpp_digital_pilot, mpp_digital_fact, inhibitor, target, national_count, mpp_site,
    status_history, region_status, region_neighbour, region_geom_level, region, province, source,
    dataset_file, import_run;
DROP DOMAIN pdate;
