-- The dashboard's counts of past days, kept so that a month at a million
-- visits reads a few thousand rows instead of recounting every visit.
--
-- Every write that can change a visit's figures raises the epoch of the UTC
-- days of the visits it can affect (store::dashboard_cache), in the same
-- transaction. A kept day is used only while the epochs it was counted
-- under are still the current ones, so a write committed while it was being
-- counted makes it stale instead of wrong.
CREATE TABLE dashboard_epochs (
    utc_day BIGINT PRIMARY KEY,
    epoch BIGINT NOT NULL
);

-- One local day (of the offset its start implies), counted under one grace
-- and recall window; the two UTC days it overlaps and their epochs then.
CREATE TABLE dashboard_days (
    day_start_ms BIGINT NOT NULL,
    grace_ms BIGINT NOT NULL,
    recall_ms BIGINT NOT NULL,
    first_epoch BIGINT NOT NULL,
    last_epoch BIGINT NOT NULL,
    counted_at_ms BIGINT NOT NULL,
    PRIMARY KEY (day_start_ms, grace_ms, recall_ms)
);

-- The day's counts by region and technician (NULL: nobody assigned), the
-- columns of domain::dashboard::FigureCounts.
CREATE TABLE dashboard_day_slices (
    day_start_ms BIGINT NOT NULL,
    grace_ms BIGINT NOT NULL,
    recall_ms BIGINT NOT NULL,
    region_id TEXT,
    technician_id TEXT,
    visits_due BIGINT NOT NULL,
    on_time BIGINT NOT NULL,
    untimely BIGINT NOT NULL,
    completed_services BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    rating_skill BIGINT NOT NULL,
    rating_attitude BIGINT NOT NULL,
    rating_timeliness BIGINT NOT NULL,
    rating_parts_supply BIGINT NOT NULL,
    rating_overall BIGINT NOT NULL,
    required_items_due BIGINT NOT NULL,
    required_items_missed BIGINT NOT NULL,
    first_visits_finished BIGINT NOT NULL,
    first_visit_fixes BIGINT NOT NULL,
    repeat_calls BIGINT NOT NULL,
    arrivals_timed BIGINT NOT NULL,
    to_arrival_ms BIGINT NOT NULL,
    fixes_timed BIGINT NOT NULL,
    to_fix_ms BIGINT NOT NULL,
    complaints BIGINT NOT NULL
);
CREATE INDEX dashboard_day_slices_by_day ON dashboard_day_slices (day_start_ms, grace_ms, recall_ms);

-- The day's required checklist items by region: due and answered.
CREATE TABLE dashboard_day_items (
    day_start_ms BIGINT NOT NULL,
    grace_ms BIGINT NOT NULL,
    recall_ms BIGINT NOT NULL,
    region_id TEXT,
    item_key TEXT NOT NULL,
    due BIGINT NOT NULL,
    answered BIGINT NOT NULL
);
CREATE INDEX dashboard_day_items_by_day ON dashboard_day_items (day_start_ms, grace_ms, recall_ms);
