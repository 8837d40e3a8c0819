-- The calls after a service (issue 8): the callback (3 days), the user
-- tracking call (7 days) and the month's phone survey, one table so that
-- one queue and one answer form serve them. Replaces callback_tasks, whose
-- kinds could not grow a third.
CREATE TABLE follow_up_calls (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    kind TEXT NOT NULL CHECK (kind IN ('callback', 'tracking', 'survey')),
    due_at_ms BIGINT NOT NULL,
    -- A customer is surveyed at most once a month: "<customer id>/YYYY-MM"
    -- for survey calls, null for the others.
    survey_key TEXT UNIQUE,
    done_at_ms BIGINT,
    done_by TEXT REFERENCES users (id),
    -- The answer (null until done): "was it fixed?" and the five ratings.
    customer_says_fixed INTEGER,
    rating_skill INTEGER CHECK (rating_skill BETWEEN 1 AND 5),
    rating_attitude INTEGER CHECK (rating_attitude BETWEEN 1 AND 5),
    rating_timeliness INTEGER CHECK (rating_timeliness BETWEEN 1 AND 5),
    rating_parts_supply INTEGER CHECK (rating_parts_supply BETWEEN 1 AND 5),
    rating_overall INTEGER CHECK (rating_overall BETWEEN 1 AND 5),
    comment TEXT,
    -- What the call opened, if anything.
    complaint_id TEXT REFERENCES complaints (id),
    repeat_work_order_id TEXT REFERENCES work_orders (id),
    PRIMARY KEY (visit_id, kind)
);
INSERT INTO follow_up_calls (visit_id, kind, due_at_ms, done_at_ms)
    SELECT visit_id, kind, due_at_ms, done_at_ms FROM callback_tasks;
DROP TABLE callback_tasks;
CREATE INDEX follow_up_calls_open ON follow_up_calls (done_at_ms, due_at_ms);

-- The sampling rates in thousandths (app/src/domain/callback.rs), one row;
-- the service standard's rates to begin with.
CREATE TABLE callback_sampling (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    contracted_permille INTEGER NOT NULL CHECK (contracted_permille BETWEEN 0 AND 1000),
    company_run_permille INTEGER NOT NULL CHECK (company_run_permille BETWEEN 0 AND 1000),
    headquarters_permille INTEGER NOT NULL CHECK (headquarters_permille BETWEEN 0 AND 1000),
    phone_survey_permille INTEGER NOT NULL CHECK (phone_survey_permille BETWEEN 0 AND 1000)
);
INSERT INTO callback_sampling VALUES (1, 1000, 500, 200, 200);
