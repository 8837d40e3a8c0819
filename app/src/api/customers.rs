//! Customers for the dispatcher: found by phone or name at intake, and
//! their whole file.

use serde::{Deserialize, Serialize};

use crate::domain::time::{AppointmentWindow, Timestamp, UtcOffset};
use crate::domain::visit::VisitStatus;
use crate::domain::work_order::{Appliance, Customer, WarrantyStatus};

/// An appliance with its warranty as of today in the region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplianceOnFile {
    pub appliance: Appliance,
    pub warranty: WarrantyStatus,
}

/// A customer found at intake, with what they own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerMatch {
    pub customer: Customer,
    pub appliances: Vec<ApplianceOnFile>,
    /// For a customer with no place on file: where they signed on visits
    /// whose arrival was verified, newest first, for the dispatcher to
    /// take as the customer's place.
    #[serde(default)]
    pub verified_places: Vec<VerifiedPlace>,
}

/// Where the customer signed on a visit whose arrival was verified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifiedPlace {
    pub signed_at: Timestamp,
    pub utc_offset: UtcOffset,
    pub place: crate::domain::validation::Coordinates,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerVisit {
    pub id: String,
    pub work_order_id: String,
    pub window: AppointmentWindow,
    pub utc_offset: UtcOffset,
    pub status: VisitStatus,
    pub fixed: Option<bool>,
    pub reported_fault: String,
    pub appliance: String,
    pub technician_name: Option<String>,
    /// Skill, attitude, timeliness, parts supply, overall, when signed.
    pub ratings: Option<[u8; 5]>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerComplaint {
    pub id: String,
    pub source: String,
    pub received_at: Timestamp,
    pub description: String,
}

/// Everything about one customer in one place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerFile {
    pub customer: Customer,
    pub appliances: Vec<ApplianceOnFile>,
    pub visits: Vec<CustomerVisit>,
    pub complaints: Vec<CustomerComplaint>,
}
