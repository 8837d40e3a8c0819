-- Complaint handling (issue 8): whoever received the complaint owns it
-- (谁受理谁负责; null for complaints filed on a technician's phone at
-- sign-off: the region's dispatchers own those), and its four steps, each
-- recorded once, in order, against its clock (app/src/domain/complaint_clock.rs).
ALTER TABLE complaints ADD COLUMN owner_id TEXT REFERENCES users (id);

CREATE TABLE complaint_steps (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    step TEXT NOT NULL CHECK (step IN ('reply', 'handling_result', 'rectification',
        'customer_callback')),
    done_at_ms BIGINT NOT NULL,
    done_by TEXT NOT NULL REFERENCES users (id),
    -- What was said or done; for the rectification sheet, its five parts as JSON.
    details TEXT NOT NULL,
    PRIMARY KEY (complaint_id, step)
);
