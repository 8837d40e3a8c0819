//! Outbox operations as they reach the server (`apply_operation`, and in
//! batches `apply_operations`) and as the phone reads its kept outbox back:
//! decoded, then checked the way the server checks them before they touch
//! a record, their clocks read as the server reads them.
#![no_main]

use app::api::sync::{SentBatch, SentOperation, VisitOperation, BATCH_MAX_OPERATIONS};
use app::domain::charges::FeeSchedule;
use app::domain::ids::RecordId;
use app::domain::time::{format_local_time, Timestamp, UtcOffset};
use app::sync::outbox::Outbox;
use libfuzzer_sys::fuzz_target;

fn check(operation: &SentOperation) {
    let _ = RecordId::parse("operation_id", &operation.operation_id);
    let _ = RecordId::parse("visit_id", &operation.visit_id);
    let made_at = Timestamp::from_unix_millis(operation.made_at_ms);
    let _ = format_local_time(made_at, UtcOffset::CHINA);
    let _ = operation.change.to_visit_change(
        &FeeSchedule::default_for(app::domain::work_order::ApplianceCategory::WashingMachine),
        made_at,
    );
}

fuzz_target!(|data: &[u8]| {
    if let Ok(operation) = serde_json::from_slice::<SentOperation>(data) {
        check(&operation);
    }
    if let Ok(batch) = serde_json::from_slice::<SentBatch>(data) {
        batch
            .operations
            .iter()
            .take(BATCH_MAX_OPERATIONS)
            .for_each(check);
    }
    if let Ok(outbox) = serde_json::from_slice::<Outbox<VisitOperation>>(data) {
        let _ = outbox.retry_in_ms(0);
        let _ = outbox.retry_in_ms(i64::MAX);
        let _ = outbox.server_wait_ms(i64::MIN);
        let _ = outbox.head();
        let _ = outbox.batch(BATCH_MAX_OPERATIONS);
    }
});
