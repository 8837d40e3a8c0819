-- Work done with no network (issue 7).

-- What each applied operation was and which visit it touched, so a visit's
-- sync log can be read; and the device clock's distance from the server's
-- when the operation was sent (server minus device; null when not known).
ALTER TABLE applied_operations ADD COLUMN visit_id TEXT;
ALTER TABLE applied_operations ADD COLUMN kind TEXT;
ALTER TABLE applied_operations ADD COLUMN device_clock_skew_ms BIGINT;
CREATE INDEX applied_operations_by_visit ON applied_operations (visit_id);

-- A step made offline is timed by the phone's clock (arrived_at_ms is then
-- the device's); the moment the server received the check-in stays beside
-- it, and a phone clock far from the server's is flagged (0 or 1).
ALTER TABLE visits ADD COLUMN arrived_received_at_ms BIGINT;
ALTER TABLE visits ADD COLUMN arrival_clock_flagged INTEGER NOT NULL DEFAULT 0;
UPDATE visits SET arrived_received_at_ms = arrived_at_ms;

-- Who had a visit before it changed hands: a technician who did work on it
-- offline before hearing of the change may have that work held (below).
CREATE TABLE visit_handovers (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    technician_id TEXT NOT NULL REFERENCES users (id),
    handed_over_at_ms BIGINT NOT NULL,
    PRIMARY KEY (visit_id, technician_id, handed_over_at_ms)
);

-- Work a technician did offline on a visit that meanwhile was given to
-- someone else or cancelled: never dropped, kept whole for the region's
-- dispatchers to settle. The operation id is the client's, so a repeat
-- finds it here and gets the same answer.
CREATE TABLE held_operations (
    operation_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    visit_id TEXT NOT NULL REFERENCES visits (id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('reassigned', 'cancelled')),
    device_at_ms BIGINT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    -- The operation as the phone sent it (JSON).
    payload TEXT NOT NULL,
    settled_at_ms BIGINT,
    settled_by TEXT REFERENCES users (id)
);
CREATE INDEX held_operations_by_visit ON held_operations (visit_id);

-- A photo arriving in pieces, so a dropped connection resumes where it
-- stopped: base64 text received so far, in order.
CREATE TABLE photo_uploads (
    photo_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    received TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
