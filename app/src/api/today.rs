use serde::{Deserialize, Serialize};

use crate::domain::time::{AppointmentWindow, UtcOffset};
use crate::domain::validation::PhoneNumber;
use crate::domain::visit::{ArrivalRisk, VisitStatus};
use crate::domain::work_order::{ApplianceCategory, WarrantyStatus};

/// One line of the technician's day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayVisit {
    pub id: String,
    pub work_order_id: String,
    pub technician_id: Option<String>,
    pub status: VisitStatus,
    /// Empty in a phone's copy written before it was sent.
    #[serde(default)]
    pub customer_id: String,
    pub customer_name: String,
    pub customer_address: String,
    pub customer_phone: PhoneNumber,
    /// Brand and model, e.g. "海尔 EG100".
    pub appliance: String,
    pub appliance_category: ApplianceCategory,
    pub reported_fault: String,
    pub window: AppointmentWindow,
    /// The region's offset at the window's start, so the phone shows the
    /// customer's clock without a tz database of its own.
    pub utc_offset: UtcOffset,
    /// Judged by the server's clock when the list was read.
    pub risk: ArrivalRisk,
    /// On the day of the visit.
    #[serde(default = "unknown_warranty")]
    pub warranty: WarrantyStatus,
    /// What casts doubt on the arrival, once checked in.
    #[serde(default)]
    pub arrival_flags: Vec<crate::domain::arrival::ArrivalFlag>,
    /// Where the customer lives, when known: the desk's map draws it.
    #[serde(default)]
    pub place: Option<crate::domain::validation::Coordinates>,
}

fn unknown_warranty() -> WarrantyStatus {
    WarrantyStatus::Unknown
}
