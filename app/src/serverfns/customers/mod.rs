//! Customers for the dispatcher: found by phone or name at intake, and
//! their whole file.

mod find_customers;
mod get_customer_file;

pub use find_customers::*;
pub use get_customer_file::*;

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

/// The customer's appliances with their warranty today, for the dispatcher.
#[cfg(feature = "ssr")]
pub(crate) async fn appliances_on_file(
    store: &crate::store::Store,
    customer: &Customer,
) -> Result<Vec<ApplianceOnFile>, crate::error::AppError> {
    let today = crate::serverfns::context::service_zone()
        .calendar_date(Timestamp::now())
        .map_err(|_| crate::error::AppError::Internal)?;
    Ok(store
        .appliances_of(&customer.id)
        .await?
        .into_iter()
        .map(|appliance| ApplianceOnFile {
            warranty: appliance.warranty_status(today),
            appliance,
        })
        .collect())
}

/// 403 unless the customer is in the caller's scope: an admin's every
/// customer, a dispatcher's those with a work order in their region (as
/// the customer search decides). Intake with an existing customer and the
/// customer's file both ask it, so a dispatcher cannot reach another
/// region's customer by their id.
#[cfg(feature = "ssr")]
pub(crate) async fn check_customer_in_scope(
    store: &crate::store::Store,
    user: &crate::serverfns::auth::CurrentUser,
    customer_id: &crate::domain::ids::RecordId,
) -> Result<(), crate::error::AppError> {
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::error::AppError;
    match user.role {
        Role::Admin => Ok(()),
        Role::Dispatcher => {
            let region =
                RecordId::parse("region_id", user.region_id.as_deref().unwrap_or_default())
                    .map_err(|_| AppError::Forbidden)?;
            if store.customer_in_region(customer_id, &region).await? {
                Ok(())
            } else {
                tracing::warn!(user = %user.id, customer = %customer_id, "another region's customer");
                Err(AppError::Forbidden)
            }
        }
        Role::Technician => Err(AppError::Forbidden),
    }
}
