-- The seal of a signed visit record: SHA-256 (hex) over the record as it
-- stood when the customer signed (app/src/store/visit_records.rs says what
-- it covers). A record whose seal no longer matches has been changed since.
ALTER TABLE visits ADD COLUMN seal_sha256 TEXT;
