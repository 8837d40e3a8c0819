-- The admin desk: one-time password codes and the audit log of admin
-- changes. Portable SQL (SQLite and PostgreSQL).

-- A code an admin hands to a person so they set their own password (a new
-- account, a forgotten password). Only its SHA-256 is stored; it works once,
-- until it expires, and issuing a new one voids the older ones.
CREATE TABLE password_codes (
    code_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    issued_by TEXT NOT NULL REFERENCES users (id),
    issued_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms BIGINT,
    CHECK (expires_at_ms > issued_at_ms)
);

CREATE INDEX password_codes_by_user ON password_codes (user_id);

-- Every admin change: who, when, what, and the record before and after (JSON,
-- never a password or a code). Rows are only ever added.
CREATE TABLE admin_audit (
    -- UUIDv7: ordering by id orders by the millisecond it was written.
    id TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users (id),
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);

CREATE INDEX admin_audit_by_time ON admin_audit (at_ms);
