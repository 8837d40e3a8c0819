//! Customers for the dispatcher: found by phone or name at intake, and
//! their whole file.

mod find_customers;
mod get_customer_file;

pub use find_customers::*;
pub use get_customer_file::*;

#[cfg(feature = "ssr")]
use crate::api::customers::ApplianceOnFile;
#[cfg(feature = "ssr")]
use crate::domain::time::Timestamp;
#[cfg(feature = "ssr")]
use crate::domain::work_order::Customer;

/// The customer's appliances with their warranty today, for the dispatcher.
#[cfg(feature = "ssr")]
pub(crate) async fn appliances_on_file(
    store: &crate::store::Store,
    customer: &Customer,
) -> Result<Vec<ApplianceOnFile>, crate::api::error::AppError> {
    let today = crate::context::service_zone()
        .calendar_date(Timestamp::now())
        .map_err(|_| crate::api::error::AppError::Internal)?;
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
    user: &crate::api::auth::CurrentUser,
    customer_id: &crate::domain::ids::RecordId,
) -> Result<(), crate::api::error::AppError> {
    use crate::api::error::AppError;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
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
