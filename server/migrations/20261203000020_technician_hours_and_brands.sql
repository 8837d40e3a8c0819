-- A technician's working hours (minutes from local midnight, on the
-- region's clock) and the brands they are authorised for (comma-separated,
-- validated by the domain's Brands; empty: every brand). Profiles made
-- before keep the day shift.
ALTER TABLE technicians ADD COLUMN working_from_minute BIGINT NOT NULL DEFAULT 480;
ALTER TABLE technicians ADD COLUMN working_until_minute BIGINT NOT NULL DEFAULT 1080;
ALTER TABLE technicians ADD COLUMN brands TEXT NOT NULL DEFAULT '';
