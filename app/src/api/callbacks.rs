//! The calls after a service: the region's queue of callbacks, tracking
//! calls and survey calls, and recording what the customer said.

use serde::{Deserialize, Serialize};

use crate::domain::callback::{CallAnswerForm, FollowUpKind};
use crate::domain::time::Timestamp;

/// A call still to make, with the service it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpCall {
    pub visit_id: String,
    pub kind: FollowUpKind,
    pub due_at: Timestamp,
    pub customer_name: String,
    pub customer_phone: String,
    pub appliance: String,
    pub reported_fault: String,
    pub technician_name: Option<String>,
    pub signed_at: Option<Timestamp>,
    /// The service region of the visit, for an admin's filter.
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub region_name: String,
}

/// One line of the call queue: the call, whether it is late (and by how
/// much), and the 1:10:100 weight of the delay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallItem {
    pub call: FollowUpCall,
    pub overdue_by_ms: Option<i64>,
    pub cost_weight: u32,
    /// Due before today ends (or overdue).
    pub due_today: bool,
}

/// A call's answer as the queue's form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallAnswerInput {
    pub visit_id: String,
    pub kind: String,
    pub answer: CallAnswerForm,
    /// The repeat order's appointment, local date-times (only read when a
    /// repeat fault is given).
    pub repeat_start: String,
    pub repeat_end: String,
}

/// What recording the call opened.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecorded {
    pub complaint_id: Option<String>,
    pub repeat_work_order_id: Option<String>,
}
