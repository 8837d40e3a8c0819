-- Every change of a complaint's owner (谁受理谁负责): who had it (NULL: the
-- region's dispatchers, nobody by name), who has it now, who changed it,
-- when, and why (required when a named owner's complaint changes hands).
CREATE TABLE complaint_owner_changes (
    id TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    from_id TEXT REFERENCES users (id),
    to_id TEXT NOT NULL REFERENCES users (id),
    by_id TEXT NOT NULL REFERENCES users (id),
    reason TEXT,
    at_ms BIGINT NOT NULL
);
CREATE INDEX complaint_owner_changes_by_complaint ON complaint_owner_changes (complaint_id);
