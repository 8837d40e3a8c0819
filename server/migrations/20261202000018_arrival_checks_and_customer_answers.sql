-- The customer's own answers at sign-off, and where the phone was then.
-- Sign-offs taken before the customer chose every answer were given on a
-- screen that preset each rating and confirmation: answers_preset = 1
-- marks them, so the dashboard can show their ratings apart. New
-- sign-offs write 0.
ALTER TABLE sign_offs ADD COLUMN answers_preset INTEGER NOT NULL DEFAULT 1;
-- "The technician arrived at …, is that true?": 1 yes, 0 no, NULL when
-- the question was not asked.
ALTER TABLE sign_offs ADD COLUMN arrival_confirmed INTEGER;
-- The phone's position when the customer signed, if allowed: the place of
-- the visit, from which the customer's location is learned.
ALTER TABLE sign_offs ADD COLUMN signed_latitude DOUBLE PRECISION;
ALTER TABLE sign_offs ADD COLUMN signed_longitude DOUBLE PRECISION;
ALTER TABLE sign_offs ADD COLUMN signed_accuracy_m DOUBLE PRECISION;

-- Why a part is charged although the appliance is in warranty; NULL when
-- it is not charged, or out of warranty.
ALTER TABLE visit_parts ADD COLUMN charge_reason TEXT;

-- The arrival's check (domain::arrival), kept current at check-in and at
-- sign-off: the position check, the distance when both positions are
-- known, the flags (comma-separated, NULL for none) and whether the
-- arrival is verified. Arrivals before it count as not verified.
ALTER TABLE visits ADD COLUMN arrival_position_check TEXT;
ALTER TABLE visits ADD COLUMN arrival_distance_m BIGINT;
ALTER TABLE visits ADD COLUMN arrival_flags TEXT;
ALTER TABLE visits ADD COLUMN arrival_verified INTEGER NOT NULL DEFAULT 0;

-- The dashboard's kept days gain the two new counts; they are counted
-- again on the next read.
ALTER TABLE dashboard_day_slices ADD COLUMN verified_on_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dashboard_day_slices ADD COLUMN preset_ratings BIGINT NOT NULL DEFAULT 0;
DELETE FROM dashboard_day_items;
DELETE FROM dashboard_day_slices;
DELETE FROM dashboard_days;

-- The company's name and service hotline, set on the admin desk and
-- printed on every service record. One row, once an admin has saved it.
CREATE TABLE company_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    hotline TEXT NOT NULL
);
