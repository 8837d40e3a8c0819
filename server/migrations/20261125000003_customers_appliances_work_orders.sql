-- Customers, their appliances and work orders. Portable SQL (SQLite and
-- PostgreSQL). The CHECK lists mirror the text enums in
-- app/src/domain/work_order.rs.
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Normalised by the domain: 11-digit mobile or 0AA-NNNNNNNN landline.
    phone TEXT NOT NULL,
    address TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    created_at_ms BIGINT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

CREATE INDEX customers_by_phone ON customers (phone);
CREATE INDEX customers_by_name ON customers (name);

CREATE TABLE appliances (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    brand TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('washing_machine', 'dryer', 'refrigerator',
        'air_conditioner', 'water_heater', 'dishwasher', 'other')),
    model TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    -- ISO dates (YYYY-MM-DD) sort and compare correctly as text.
    purchase_date TEXT,
    warranty_end TEXT,
    CHECK (purchase_date IS NULL OR warranty_end IS NULL OR warranty_end >= purchase_date)
);

CREATE INDEX appliances_by_customer ON appliances (customer_id);

CREATE TABLE work_orders (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    appliance_id TEXT NOT NULL REFERENCES appliances (id),
    reported_fault TEXT NOT NULL,
    fault_category TEXT NOT NULL CHECK (fault_category IN ('no_power', 'noise', 'leak',
        'not_cooling', 'not_heating', 'water_supply', 'drainage', 'error_code', 'electrical',
        'installation', 'other')),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'app', 'dealer', 'walk_in')),
    priority TEXT NOT NULL CHECK (priority IN ('normal', 'urgent')),
    registered_at_ms BIGINT NOT NULL,
    appointment_start_ms BIGINT NOT NULL,
    appointment_end_ms BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'in_progress', 'closed', 'cancelled')),
    CHECK (appointment_end_ms > appointment_start_ms)
);

-- Repeat calls: same appliance, same fault, by registration time.
CREATE INDEX work_orders_by_appliance_fault ON work_orders (appliance_id, fault_category, registered_at_ms);
CREATE INDEX work_orders_by_customer ON work_orders (customer_id);
