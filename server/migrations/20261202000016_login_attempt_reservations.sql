-- A login or one-time-code attempt is written here before its password is
-- checked (a reservation), so that concurrent attempts see each other: the
-- id lets an attempt that was turned away take its own row back out.
-- Older rows (written after the check) have none. Portable SQL.
ALTER TABLE login_failures ADD COLUMN attempt_id TEXT;

CREATE INDEX login_failures_by_attempt ON login_failures (attempt_id);
