-- +goose Up
-- Readers' submissions: a source for a region's MPP status, sent without an account and
-- reviewed by stewards. A submission is evidence offered, not a status: nothing public changes
-- until a steward accepts it, and then through the ordinary edit (validator, history, audit).
CREATE TABLE submission (
    id           bigserial PRIMARY KEY,
    region_code  text        NOT NULL REFERENCES region (code),
    status       text        NOT NULL CHECK (status IN ('yes', 'in_progress', 'no', 'unknown')),
    as_of        pdate,                          -- the date the reader gives for the status
    source_url   text        NOT NULL CHECK (source_url ~ '^https?://' AND length(source_url) <= 2000),
    source_key   text        NOT NULL,           -- the address normalised, for duplicate detection
    source_title text        NOT NULL DEFAULT '',
    note         text        NOT NULL DEFAULT '',
    -- Contact details are personal data: visible to stewards only, deleted when the submission
    -- is reviewed, never exported or written to the audit log.
    contact      text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    state        text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected', 'duplicate')),
    reviewed_at  timestamptz,
    reviewed_by  bigint REFERENCES app_user (id),
    reason       text        NOT NULL DEFAULT '',
    source_id    text,                           -- the source an accepted submission became
    duplicate_of bigint REFERENCES submission (id),
    CHECK ((state = 'open') = (reviewed_at IS NULL)),
    CHECK (state = 'open' OR contact IS NULL)
);
-- One region, one address: the same source sent twice is a duplicate, whatever its review.
CREATE UNIQUE INDEX submission_region_source ON submission (region_code, source_key) WHERE state <> 'duplicate';
CREATE INDEX submission_open ON submission (created_at) WHERE state = 'open';

-- Secrets the instances share (the submission form's token key): generated once by the first
-- instance, read by every one, so a form issued by one instance is accepted by another.
CREATE TABLE server_secret (
    name  text PRIMARY KEY,
    value bytea NOT NULL CHECK (length(value) >= 32)
);

-- +goose Down
DROP TABLE server_secret;
DROP TABLE submission;
