-- What the technician's visit screen adds to the record: photos of
-- checklist items, field-insight notes, the check-in's device time and
-- position, the follow-up visit a "not fixed" opens, and the revisions of a
-- signed record. Portable SQL (SQLite and PostgreSQL).

-- Photos are kept as the base64 text the phone sent (a JPEG, PNG or WebP
-- checked on arrival): TEXT is one column type on both engines, where bytes
-- would be BLOB on one and BYTEA on the other.
CREATE TABLE photos (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    item_key TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    byte_size BIGINT NOT NULL CHECK (byte_size > 0),
    sha256 TEXT NOT NULL,
    data_base64 TEXT NOT NULL,
    taken_by TEXT NOT NULL REFERENCES users (id),
    stored_at_ms BIGINT NOT NULL
);

CREATE INDEX photos_by_visit ON photos (visit_id);

-- 信息增值: what the technician saw that design and service should hear.
CREATE TABLE field_insights (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    category TEXT NOT NULL CHECK (category IN ('product_defect', 'user_suggestion')),
    note TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES users (id),
    written_at_ms BIGINT NOT NULL
);

CREATE INDEX field_insights_by_visit ON field_insights (visit_id);

-- The check-in as the phone saw it, beside the server's arrived_at_ms:
-- the device clock (judged offline later) and the position if allowed.
ALTER TABLE visits ADD COLUMN arrived_device_at_ms BIGINT;
ALTER TABLE visits ADD COLUMN arrived_latitude DOUBLE PRECISION;
ALTER TABLE visits ADD COLUMN arrived_longitude DOUBLE PRECISION;
ALTER TABLE visits ADD COLUMN arrived_accuracy_m DOUBLE PRECISION;

-- A visit that ended "not fixed" opens the next one on the same order.
ALTER TABLE visits ADD COLUMN follow_up_of TEXT REFERENCES visits (id);

-- Every operation's device time, beside the server's applied_at_ms.
ALTER TABLE applied_operations ADD COLUMN device_at_ms BIGINT;

-- The signed record is never edited: revision 1 is the record as the
-- customer signed it (its SHA-256 is the visit's seal); each later change
-- writes the next revision, with who made it and why.
CREATE TABLE visit_record_revisions (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    revision BIGINT NOT NULL CHECK (revision >= 1),
    content_json TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    change TEXT NOT NULL,
    changed_by TEXT NOT NULL REFERENCES users (id),
    changed_at_ms BIGINT NOT NULL,
    PRIMARY KEY (visit_id, revision)
);
