-- +goose Up
-- Accounts of the data stewards who edit the ledger, their browser sessions and API tokens, and
-- the audit log every write appends to. No secret is stored in clear: passwords as argon2id
-- hashes, session ids, CSRF secrets and API tokens as sha256 hex of the value (package auth).

CREATE TABLE app_user (
    id            bigserial PRIMARY KEY,
    -- lower-cased so one mailbox is one account whatever its spelling
    email         text        NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
    role          text        NOT NULL CHECK (role IN ('steward', 'admin')),
    unit          text        NOT NULL DEFAULT '',  -- ministry unit shown publicly instead of the e-mail
    password_hash text        NOT NULL,             -- PHC-encoded argon2id
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz                       -- accounts are disabled, never deleted: the audit log names them
);

CREATE TABLE app_session (
    id_hash      text PRIMARY KEY,  -- sha256 hex of the cookie value; the value itself is never stored
    user_id      bigint      NOT NULL REFERENCES app_user (id),
    csrf_hash    text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    client       text        NOT NULL DEFAULT ''
);
CREATE INDEX app_session_user ON app_session (user_id);

CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES app_user (id),
    name         text        NOT NULL,
    token_hash   text        NOT NULL UNIQUE,  -- sha256 hex of the token value
    prefix       text        NOT NULL,         -- first 8 chars, to recognise it in lists
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz,
    UNIQUE (user_id, name)
);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,            -- "user:<id>", "import:<id>", "cli"
    actor_email text        NOT NULL DEFAULT '',
    action      text        NOT NULL,            -- e.g. "user.add", "status.update"
    target      text        NOT NULL DEFAULT '', -- e.g. "user:3", "region:32.73"
    before      jsonb,
    after       jsonb,
    request_id  text        NOT NULL DEFAULT '',
    client      text        NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_target_at ON audit_log (target, at);

-- The audit log is append-only for everyone who can write to it through the application: a
-- trail that its subject can edit proves nothing. (A superuser can still drop the trigger; that
-- is a DDL change, visible in the migration history and the server log.)
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Row triggers do not fire for TRUNCATE.
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE api_token, app_session, app_user;
