//! The phone's outbox meets the server here: operations applied once each
//! (or held for the dispatcher), photos in resumable pieces, and the kit of
//! visits the phone keeps for working offline.

mod apply_operation;
mod get_offline_kit;
mod get_sync_log;
mod upload_photo_piece;

pub use apply_operation::*;
pub use get_offline_kit::*;
pub use get_sync_log::*;
pub use upload_photo_piece::*;

use serde::{Deserialize, Serialize};

use crate::domain::conflict::HeldReason;
use crate::domain::record::VisitRecord;
use crate::domain::time::Timestamp;
use crate::serverfns::today::TodayVisit;
use crate::serverfns::visits::VisitHistory;

/// One visit as the phone keeps it for working offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KitVisit {
    pub record: VisitRecord,
    pub history: VisitHistory,
}

/// The technician's visits of today and tomorrow, with everything needed
/// to run them offline: customers, appliances, checklist templates (in
/// each record) and the fee schedule (in each history).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfflineKit {
    pub fetched_at_ms: i64,
    pub days: Vec<TodayVisit>,
    pub visits: Vec<KitVisit>,
}

/// One operation a phone sent for a visit, as the sync log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedOperation {
    pub operation_id: String,
    pub kind: String,
    pub made_by: String,
    /// The phone's clock when the change was made.
    pub device_at: Option<Timestamp>,
    /// When the server received it.
    pub received_at: Timestamp,
    /// Server minus phone clock when it was sent.
    pub clock_skew_ms: Option<i64>,
    pub clock_flagged: bool,
    /// Held for the dispatcher instead of applied.
    pub held: Option<HeldReason>,
}
