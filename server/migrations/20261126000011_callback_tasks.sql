-- Callbacks after the service (issue 8): a region is one service point, of
-- a level that sets how many of its services are called back
-- (app/src/domain/callback.rs: contracted, company_run, headquarters).
ALTER TABLE regions ADD COLUMN service_point_level TEXT NOT NULL DEFAULT 'company_run';

-- A sampled service's callback (within 3 days) and user tracking (within
-- 7), made when the customer signs.
CREATE TABLE callback_tasks (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    kind TEXT NOT NULL CHECK (kind IN ('callback', 'tracking')),
    due_at_ms BIGINT NOT NULL,
    done_at_ms BIGINT,
    PRIMARY KEY (visit_id, kind)
);
CREATE INDEX callback_tasks_open ON callback_tasks (done_at_ms, due_at_ms);
