//! The dispatcher's desk: the day board of a region and assignment.

use serde::{Deserialize, Serialize};

use crate::api::today::TodayVisit;
use crate::domain::technician::WorkingHours;
use crate::domain::time::{AppointmentWindow, Timestamp, UtcOffset};
use crate::domain::work_order::{ApplianceCategory, Priority};

/// A work order no technician has yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedOrder {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_address: String,
    pub appliance: String,
    pub category: ApplianceCategory,
    pub reported_fault: String,
    pub priority: Priority,
    /// The window agreed with the customer.
    pub window: AppointmentWindow,
    pub utc_offset: UtcOffset,
    /// The one-day rule: visited by then.
    pub due: Timestamp,
    /// Where the customer lives, when known: the desk's map draws it.
    #[serde(default)]
    pub place: Option<crate::domain::validation::Coordinates>,
}

/// One technician's lane: who, what they can fix, and their day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub technician_id: String,
    pub name: String,
    pub skills: Vec<ApplianceCategory>,
    /// The brands they are authorised for; empty: every brand.
    pub brands: Vec<String>,
    pub working_hours: WorkingHours,
    pub visits: Vec<TodayVisit>,
    /// False: deactivated, shown only for the open visits to hand on.
    pub active: bool,
}

/// The region's day: the lanes and the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub region_id: String,
    /// The regions the viewer may switch between, id and name (an admin's
    /// every region; empty for a dispatcher, who has one).
    pub regions: Vec<(String, String)>,
    pub lanes: Vec<Lane>,
    pub queue: Vec<QueuedOrder>,
    /// Work phones sent for visits the office changed meanwhile, kept for
    /// the dispatcher (`domain::conflict`), newest first.
    pub held: Vec<HeldWork>,
}

/// One operation held for the dispatcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldWork {
    /// The operation's id: what a settlement names.
    pub operation_id: String,
    pub visit_id: String,
    pub customer_name: String,
    pub technician_name: String,
    pub kind: String,
    pub reason: crate::domain::conflict::HeldReason,
    pub device_at: Timestamp,
    pub received_at: Timestamp,
}

/// A technician proposed for a queued order, with the figures behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuggestedTechnician {
    pub technician_id: String,
    pub name: String,
    pub suggested: crate::domain::planning::suggest::Suggested,
}

/// A technician of the region not proposed, with the reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassedOverTechnician {
    pub technician_id: String,
    pub name: String,
    pub why: crate::domain::planning::suggest::PassedOver,
}

/// Who should take a queued order: the best few, then everyone else.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderSuggestions {
    pub work_order_id: String,
    pub best: Vec<SuggestedTechnician>,
    pub passed_over: Vec<PassedOverTechnician>,
    /// False: the customer's home has no location, so drives are not
    /// estimated and the ranking leans on load and record.
    pub order_located: bool,
}

/// The rest of a region's day planned again, as changes to take or leave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    pub region_id: String,
    pub which: crate::domain::planning::day::PlanWhich,
    /// Every technician of the region with their proposed route, in order.
    pub lanes: Vec<PlannedLane>,
    /// Work the plan leaves as it is, with why.
    pub not_planned: Vec<NotPlannedWork>,
    pub now: crate::domain::planning::day::DayFigures,
    pub proposed: crate::domain::planning::day::DayFigures,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedLane {
    pub technician_id: String,
    pub name: String,
    pub stops: Vec<PlannedStop>,
}

/// A piece of the day's work: a visit, or an order still in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedWork {
    pub work_order_id: String,
    /// None: an order in the queue.
    pub visit_id: Option<String>,
    pub customer_name: String,
    pub window: AppointmentWindow,
    pub utc_offset: UtcOffset,
    /// Kept by the dispatcher's pin or because the technician set off.
    pub kept: bool,
    /// Who has it now, by name.
    pub holder_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStop {
    pub work: PlannedWork,
    /// Minutes after local midnight at the door, by the travel model.
    pub arrives: crate::domain::planning::Minute,
    pub late: bool,
    pub change: crate::domain::planning::day::Change,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotPlannedWork {
    pub work: PlannedWork,
    pub why: crate::domain::planning::day::NotPlanned,
}
