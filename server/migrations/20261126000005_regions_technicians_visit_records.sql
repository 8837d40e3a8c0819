-- Regions, technicians' profiles, versioned checklist templates, and the
-- whole visit record: checklist results, outcome, parts, fees, sign-off,
-- complaints. Portable SQL (SQLite and PostgreSQL); CHECK lists mirror the
-- text enums in app/src/domain.

CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- IANA zone: "today" and local times of the region's visits.
    time_zone TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

-- Accounts made before regions existed keep working: they are placed in one
-- region made for them (only when there are such accounts or orders).
INSERT INTO regions (id, name, time_zone, created_at_ms)
SELECT '00000000-0000-7000-8000-000000000001', '默认服务区', 'Asia/Shanghai', 0
WHERE EXISTS (SELECT 1 FROM users WHERE role <> 'admin')
   OR EXISTS (SELECT 1 FROM work_orders);

-- Technicians and dispatchers belong to a region; admins (NULL) to all.
ALTER TABLE users ADD COLUMN region_id TEXT REFERENCES regions (id);
UPDATE users SET region_id = '00000000-0000-7000-8000-000000000001' WHERE role <> 'admin';

CREATE TABLE technicians (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    employee_number TEXT NOT NULL UNIQUE,
    service_card_number TEXT NOT NULL UNIQUE,
    -- Comma-separated appliance categories, validated by the domain's Skills.
    skills TEXT NOT NULL
);

ALTER TABLE work_orders ADD COLUMN region_id TEXT REFERENCES regions (id);
UPDATE work_orders SET region_id = '00000000-0000-7000-8000-000000000001';
CREATE INDEX work_orders_by_region ON work_orders (region_id, registered_at_ms);

CREATE TABLE checklist_templates (
    version BIGINT PRIMARY KEY,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE checklist_template_items (
    version BIGINT NOT NULL REFERENCES checklist_templates (version),
    position BIGINT NOT NULL,
    item_key TEXT NOT NULL,
    text_zh TEXT NOT NULL,
    text_en TEXT NOT NULL,
    required INTEGER NOT NULL CHECK (required IN (0, 1)),
    photo_required INTEGER NOT NULL CHECK (photo_required IN (0, 1)),
    PRIMARY KEY (version, item_key),
    UNIQUE (version, position)
);

-- Version 1, the service standard's default template; the server writes its
-- items at start from app/src/domain/checklist.rs (the one definition), and
-- a test checks the stored copy equals it.
INSERT INTO checklist_templates (version, created_at_ms) VALUES (1, 0);

-- Visits now hang off their work order; the customer and appliance are read
-- through it. The placeholder visits (no work order) were only ever written
-- by the demo seeder, which writes a complete set again on the next start.
CREATE TABLE visits_with_records (
    id TEXT PRIMARY KEY,
    work_order_id TEXT NOT NULL REFERENCES work_orders (id),
    technician_id TEXT REFERENCES users (id),
    window_start_ms BIGINT NOT NULL,
    window_end_ms BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    checklist_version BIGINT NOT NULL REFERENCES checklist_templates (version),
    status TEXT NOT NULL CHECK (status IN ('dispatched', 'on_the_way', 'arrived', 'work_started',
        'work_finished', 'signed', 'cancelled')),
    created_at_ms BIGINT NOT NULL,
    dispatched_at_ms BIGINT,
    on_the_way_at_ms BIGINT,
    arrived_at_ms BIGINT,
    work_started_at_ms BIGINT,
    work_finished_at_ms BIGINT,
    signed_at_ms BIGINT,
    cancelled_at_ms BIGINT,
    outcome TEXT CHECK (outcome IN ('fixed', 'not_fixed')),
    not_fixed_reason TEXT CHECK (not_fixed_reason IN ('parts_unavailable', 'skill',
        'time_ran_out', 'other')),
    not_fixed_detail TEXT,
    CHECK (window_end_ms > window_start_ms),
    -- A reason exactly when not fixed; a detail exactly when the reason is
    -- "other" (the IS NULL halves close the gaps a NULL comparison leaves).
    CHECK ((outcome = 'not_fixed') = (not_fixed_reason IS NOT NULL)),
    CHECK (outcome IS NOT NULL OR not_fixed_reason IS NULL),
    CHECK ((not_fixed_reason = 'other') = (not_fixed_detail IS NOT NULL)),
    CHECK (not_fixed_reason IS NOT NULL OR not_fixed_detail IS NULL)
);

INSERT INTO visits_with_records (id, work_order_id, technician_id, window_start_ms,
    window_end_ms, time_zone, checklist_version, status, created_at_ms, dispatched_at_ms,
    on_the_way_at_ms, arrived_at_ms, work_started_at_ms, work_finished_at_ms, signed_at_ms,
    cancelled_at_ms)
SELECT id, work_order_id, technician_id, window_start_ms, window_end_ms, time_zone, 1, status,
    created_at_ms, created_at_ms, on_the_way_at_ms, arrived_at_ms, work_started_at_ms,
    work_finished_at_ms, signed_at_ms, cancelled_at_ms
FROM visits WHERE work_order_id IS NOT NULL;

DROP TABLE visits;
ALTER TABLE visits_with_records RENAME TO visits;

CREATE INDEX visits_by_window_start ON visits (window_start_ms);
CREATE INDEX visits_by_technician ON visits (technician_id, window_start_ms);
CREATE INDEX visits_by_work_order ON visits (work_order_id);

CREATE TABLE checklist_results (
    visit_id TEXT NOT NULL REFERENCES visits (id),
    item_key TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('done', 'not_applicable')),
    answered_at_ms BIGINT NOT NULL,
    note TEXT,
    photo_id TEXT,
    -- Why the item did not apply; required exactly for "not applicable".
    reason TEXT,
    PRIMARY KEY (visit_id, item_key),
    CHECK ((answer = 'not_applicable') = (reason IS NOT NULL)),
    CHECK (answer = 'done' OR (note IS NULL AND photo_id IS NULL))
);

CREATE TABLE fee_schedule (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE visit_fees (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    fee_code TEXT NOT NULL REFERENCES fee_schedule (code),
    quantity BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    -- The scheduled amount when charged: a later schedule change does not
    -- rewrite what the customer was asked to pay.
    unit_amount_fen BIGINT NOT NULL CHECK (unit_amount_fen >= 0),
    charged_at_ms BIGINT NOT NULL
);

CREATE INDEX visit_fees_by_visit ON visit_fees (visit_id);

CREATE TABLE visit_parts (
    id TEXT PRIMARY KEY,
    visit_id TEXT NOT NULL REFERENCES visits (id),
    part_code TEXT NOT NULL,
    part_name TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen >= 0),
    recorded_at_ms BIGINT NOT NULL
);

CREATE INDEX visit_parts_by_visit ON visit_parts (visit_id);

CREATE TABLE sign_offs (
    visit_id TEXT PRIMARY KEY REFERENCES visits (id),
    signer_name TEXT NOT NULL,
    -- The strokes as drawn (JSON), so the signature can be redrawn at any size.
    signature TEXT NOT NULL,
    customer_says_fixed INTEGER NOT NULL CHECK (customer_says_fixed IN (0, 1)),
    rating_skill INTEGER NOT NULL CHECK (rating_skill BETWEEN 1 AND 5),
    rating_attitude INTEGER NOT NULL CHECK (rating_attitude BETWEEN 1 AND 5),
    rating_timeliness INTEGER NOT NULL CHECK (rating_timeliness BETWEEN 1 AND 5),
    rating_parts_supply INTEGER NOT NULL CHECK (rating_parts_supply BETWEEN 1 AND 5),
    rating_overall INTEGER NOT NULL CHECK (rating_overall BETWEEN 1 AND 5),
    no_arguing INTEGER NOT NULL CHECK (no_arguing IN (0, 1)),
    no_eating_drinking_smoking INTEGER NOT NULL CHECK (no_eating_drinking_smoking IN (0, 1)),
    no_gifts INTEGER NOT NULL CHECK (no_gifts IN (0, 1)),
    no_extra_charges INTEGER NOT NULL CHECK (no_extra_charges IN (0, 1)),
    comment TEXT,
    signed_at_ms BIGINT NOT NULL
);

CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    work_order_id TEXT NOT NULL REFERENCES work_orders (id),
    visit_id TEXT REFERENCES visits (id),
    source TEXT NOT NULL CHECK (source IN ('sign_off', 'phone', 'callback')),
    received_at_ms BIGINT NOT NULL,
    description TEXT NOT NULL
);

CREATE INDEX complaints_by_work_order ON complaints (work_order_id);
CREATE INDEX complaints_by_received ON complaints (received_at_ms);
