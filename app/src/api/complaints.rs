//! Following complaints up: the dispatchers' queue of complaint steps due
//! today or overdue, and recording each step.

use serde::{Deserialize, Serialize};

use crate::domain::complaint::ComplaintSource;
use crate::domain::complaint_clock::{ClockState, ComplaintStep};
use crate::domain::time::Timestamp;

/// A step done, by whom, and what was said or done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoneStep {
    pub step: ComplaintStep,
    pub done_at: Timestamp,
    pub done_by: String,
    pub details: String,
}

/// A complaint with a step still to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenComplaint {
    pub id: String,
    pub source: ComplaintSource,
    pub received_at: Timestamp,
    pub description: String,
    pub customer_name: String,
    pub customer_phone: String,
    /// Who received it; None: the region's dispatchers (a sign-off complaint).
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub done: Vec<DoneStep>,
    /// The service region of the order, for an admin's filter.
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub region_name: String,
}

/// One line of the queue: the complaint, its next step and that step's
/// clock, and the 1:10:100 weight of the wait so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub complaint: OpenComplaint,
    pub next: ComplaintStep,
    pub due_at: Timestamp,
    pub clock: ClockState,
    pub cost_weight: u32,
    /// Due before today ends (or overdue): the queue's first part.
    pub due_today: bool,
    /// Owned by whoever reads the queue.
    pub mine: bool,
}
