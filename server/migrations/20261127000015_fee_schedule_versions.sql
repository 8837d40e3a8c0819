-- The unified fee schedule (统一收费标准), per appliance category and
-- versioned like the checklist template: an admin publishes a new version,
-- and a visit keeps the version in force when it was dispatched, so what the
-- customer is shown at sign-off is what the technician charged by.
-- Portable SQL (SQLite and PostgreSQL).
CREATE TABLE fee_schedule_versions (
    version INTEGER PRIMARY KEY,
    published_at_ms BIGINT NOT NULL,
    -- NULL for the version the product shipped with.
    published_by TEXT REFERENCES users (id)
);

CREATE TABLE fee_schedule_items (
    version INTEGER NOT NULL REFERENCES fee_schedule_versions (version),
    category TEXT NOT NULL CHECK (category IN ('washing_machine', 'dryer', 'refrigerator',
        'air_conditioner', 'water_heater', 'dishwasher', 'other')),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (version, category, code),
    UNIQUE (version, category, position)
);

-- A database that already has the flat schedule keeps it as version 1, the
-- same for every category, dated when the checklist was first installed.
INSERT INTO fee_schedule_versions (version, published_at_ms, published_by)
SELECT 1, COALESCE((SELECT MIN(created_at_ms) FROM checklist_templates), 0), NULL
WHERE EXISTS (SELECT 1 FROM fee_schedule WHERE active = 1);

INSERT INTO fee_schedule_items (version, category, position, code, name_zh, name_en, amount_fen)
SELECT 1, c.category, ROW_NUMBER() OVER (PARTITION BY c.category ORDER BY f.code) - 1,
       f.code, f.name_zh, f.name_en, f.amount_fen
FROM fee_schedule f
CROSS JOIN (
    SELECT 'washing_machine' AS category UNION ALL SELECT 'dryer'
    UNION ALL SELECT 'refrigerator' UNION ALL SELECT 'air_conditioner'
    UNION ALL SELECT 'water_heater' UNION ALL SELECT 'dishwasher' UNION ALL SELECT 'other'
) c
WHERE f.active = 1;

-- The flat table becomes the register of every fee code ever published,
-- which the charges on visits refer to; names and prices live per version.
ALTER TABLE fee_schedule DROP COLUMN amount_fen;
ALTER TABLE fee_schedule DROP COLUMN active;
ALTER TABLE fee_schedule DROP COLUMN name_zh;
ALTER TABLE fee_schedule DROP COLUMN name_en;
ALTER TABLE fee_schedule RENAME TO fee_codes;

ALTER TABLE visits ADD COLUMN fee_schedule_version INTEGER NOT NULL DEFAULT 1;
