-- The visit lifecycle: status per the state machine in
-- app/src/domain/visit.rs, the moment of each step, the work order it
-- belongs to, and the operations already applied (each client operation id
-- takes effect once, forever).
ALTER TABLE visits ADD COLUMN work_order_id TEXT REFERENCES work_orders (id);
ALTER TABLE visits ADD COLUMN status TEXT NOT NULL DEFAULT 'dispatched'
    CHECK (status IN ('dispatched', 'on_the_way', 'arrived', 'work_started', 'work_finished',
        'signed', 'cancelled'));
ALTER TABLE visits ADD COLUMN on_the_way_at_ms BIGINT;
ALTER TABLE visits ADD COLUMN arrived_at_ms BIGINT;
ALTER TABLE visits ADD COLUMN work_started_at_ms BIGINT;
ALTER TABLE visits ADD COLUMN work_finished_at_ms BIGINT;
ALTER TABLE visits ADD COLUMN signed_at_ms BIGINT;
ALTER TABLE visits ADD COLUMN cancelled_at_ms BIGINT;

CREATE INDEX visits_by_work_order ON visits (work_order_id);

CREATE TABLE applied_operations (
    operation_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    applied_at_ms BIGINT NOT NULL,
    -- The first answer, sent again to a repeat of the same operation.
    answer TEXT NOT NULL
);
