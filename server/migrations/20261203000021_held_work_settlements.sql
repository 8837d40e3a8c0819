-- How a dispatcher settled work held from a phone: the settlement's own id
-- (the same settlement sent again answers as the first), what was done, and
-- for a closing the reason. settled_at_ms and settled_by were there already.
ALTER TABLE held_operations ADD COLUMN settlement_id TEXT;
ALTER TABLE held_operations ADD COLUMN outcome TEXT
    CHECK (outcome IN ('applied', 'recorded', 'closed'));
ALTER TABLE held_operations ADD COLUMN settlement_note TEXT;
CREATE UNIQUE INDEX held_operations_by_settlement ON held_operations (settlement_id);
