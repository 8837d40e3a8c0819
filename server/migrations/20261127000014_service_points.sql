-- Service points inside regions, each with its level (it sets how many of
-- its services are called back) and its time zone; a technician works from
-- one. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE service_points (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('contracted', 'company_run', 'headquarters')),
    -- IANA zone name.
    time_zone TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (region_id, name)
);

-- NULL: the technician's services are sampled at their region's level.
ALTER TABLE technicians ADD COLUMN service_point_id TEXT REFERENCES service_points (id);
