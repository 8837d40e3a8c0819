//! What a visit looks like on this phone: the server's record with the
//! changes still waiting in the outbox applied.

use super::outbox::Pending;
use crate::api::sync::VisitOperation;
use crate::domain::charges::FeeSchedule;
use crate::domain::record::VisitRecord;
use crate::domain::time::Timestamp;

/// The record as it will stand once the server has the changes still
/// waiting for it on this phone: what the visit page shows, online or not.
/// A change the server already took (its answer not yet back) is skipped:
/// steps and sign-off refuse to happen twice, parts and fees are kept by
/// their ids, answers and outcomes replace themselves.
pub fn with_waiting_changes<'a>(
    mut record: VisitRecord,
    schedule: &FeeSchedule,
    waiting: impl IntoIterator<Item = &'a Pending<VisitOperation>>,
) -> VisitRecord {
    let visit_id = record.visit.id.to_string();
    for pending in waiting {
        if pending.change.visit_id != visit_id {
            continue;
        }
        let at = Timestamp::from_unix_millis(pending.made_at_ms);
        if let Ok(Some(change)) = pending.change.change.to_visit_change(schedule, at) {
            let _ = record.predict(&change, at);
        }
    }
    record
}
