-- Accounts, sessions and login throttling. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('technician', 'dispatcher', 'admin')),
    -- Argon2id PHC string; the password itself is never stored.
    password_hash TEXT NOT NULL,
    -- Flags are INTEGER 0/1 on both engines: sqlx's Any driver cannot decode
    -- SQLite's BOOLEAN.
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at_ms BIGINT NOT NULL
);

-- The cookie carries a random token; only its SHA-256 is stored, so a copy
-- of this table cannot be replayed as live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);

CREATE INDEX login_failures_by_login ON login_failures (login, at_ms);
CREATE INDEX login_failures_by_address ON login_failures (address, at_ms);

ALTER TABLE visits ADD COLUMN technician_id TEXT REFERENCES users (id);

CREATE INDEX visits_by_technician ON visits (technician_id, window_start_ms);
