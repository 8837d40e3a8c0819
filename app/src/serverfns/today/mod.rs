mod list_today_visits;

pub use list_today_visits::*;

use serde::{Deserialize, Serialize};

use crate::domain::time::{AppointmentWindow, UtcOffset};

/// One line of the technician's day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayVisit {
    pub id: String,
    pub customer_name: String,
    pub customer_address: String,
    pub appliance: String,
    pub reported_fault: String,
    pub window: AppointmentWindow,
    /// The region's offset at the window's start, so the phone shows the
    /// customer's clock without a tz database of its own.
    pub utc_offset: UtcOffset,
}
