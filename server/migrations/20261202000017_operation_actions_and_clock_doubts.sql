-- Each applied operation keeps the action it was (its kind as the sync
-- names it, or "assign"), so an operation id sent again for another action,
-- or by someone else, is refused instead of taken as a repeat. NULL on rows
-- written before.
ALTER TABLE applied_operations ADD COLUMN action TEXT;

-- Why the phone's time for a step was not believed (earlier than the
-- visit's assignment or previous step, than the phone's previous
-- operation, ahead of the server, or a clock measured far off): the step
-- then counts at the server's receive time. NULL when it was believed.
ALTER TABLE applied_operations ADD COLUMN device_clock_doubt TEXT;
ALTER TABLE visits ADD COLUMN arrival_clock_doubt TEXT;

-- The technician's previous operation, for the check above.
CREATE INDEX applied_operations_by_user ON applied_operations (user_id, applied_at_ms);
