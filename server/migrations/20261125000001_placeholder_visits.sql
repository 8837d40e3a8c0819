-- Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Times are UTC milliseconds; the service region's IANA time zone sits beside
-- them so each visit is shown on its customer's clock.
CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    customer_name TEXT NOT NULL,
    customer_address TEXT NOT NULL,
    appliance TEXT NOT NULL,
    reported_fault TEXT NOT NULL,
    window_start_ms BIGINT NOT NULL,
    window_end_ms BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    CHECK (window_end_ms > window_start_ms)
);

CREATE INDEX visits_by_window_start ON visits (window_start_ms);
