-- A visit whose customer is absent or refuses to sign closes unsigned:
-- a new status. The status's CHECK is a column constraint, which neither
-- engine can widen in place in the same SQL, so the column is made again
-- with the wider list, filled, and put in the old one's place (dropping a
-- column drops its own CHECK on both engines). The DEFAULT only lets the
-- column be added to a table with rows; every insert names the status.
ALTER TABLE visits ADD COLUMN status_with_unsigned TEXT NOT NULL DEFAULT 'dispatched'
    CHECK (status_with_unsigned IN ('dispatched', 'on_the_way', 'arrived', 'work_started',
        'work_finished', 'signed', 'closed_unsigned', 'cancelled'));
UPDATE visits SET status_with_unsigned = status;
ALTER TABLE visits DROP COLUMN status;
ALTER TABLE visits RENAME COLUMN status_with_unsigned TO status;

-- When it closed unsigned (server time).
ALTER TABLE visits ADD COLUMN closed_unsigned_at_ms BIGINT;

-- Which of the two, and the technician's account of it; sealed with the
-- record.
CREATE TABLE unsigned_closes (
    visit_id TEXT PRIMARY KEY REFERENCES visits (id),
    why TEXT NOT NULL CHECK (why IN ('customer_absent', 'customer_refused')),
    reason TEXT NOT NULL,
    closed_by TEXT NOT NULL REFERENCES users (id),
    closed_at_ms BIGINT NOT NULL
);

-- The dashboard's kept days gain the count of visits closed unsigned;
-- they are counted again on the next read.
ALTER TABLE dashboard_day_slices ADD COLUMN closed_unsigned BIGINT NOT NULL DEFAULT 0;
DELETE FROM dashboard_day_items;
DELETE FROM dashboard_day_slices;
DELETE FROM dashboard_days;
