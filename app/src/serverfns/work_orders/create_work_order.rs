use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::api::work_orders::WorkOrderIntake;

/// Takes a new work order for a new customer and appliance, in one
/// transaction: all of it is written, or (on any bad field) none of it.
/// JSON in, as the intake is one structured record.
#[server(prefix = "/api/work_orders", endpoint = "create", input = Json)]
pub async fn create_work_order(intake: WorkOrderIntake) -> Result<String, AppError> {
    use crate::api::work_orders::WINDOW_RULE;
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::{AppointmentWindow, Timestamp};
    use crate::domain::validation::{Problem, ValidationError};
    use crate::domain::work_order::{Appliance, Customer, WorkOrder, WorkOrderStatus};
    use crate::store::dashboard_cache::{forget_counted_days, Touched};
    use crate::store::{is_unique_violation, work_orders};

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let zone = context::service_zone();
    let region_id = match (user.role, intake.region_id.trim()) {
        (Role::Dispatcher, "") => user.region_id.clone().unwrap_or_default(),
        (_, given) => given.to_string(),
    };
    let region_id = RecordId::parse("region_id", &region_id)?;
    if !user.viewer().may_manage_region(region_id.as_str()) {
        return Err(AppError::Forbidden);
    }
    let store = context::store()?;
    if store.region(&region_id).await?.is_none() {
        return Err(AppError::InvalidInput {
            field: "region_id".into(),
            message: "no such region".into(),
            problem: None,
        });
    }

    // The form has shown every problem already; a caller that skipped it
    // hears of the first.
    let fields = intake
        .fields()
        .map_err(|problems| match problems.into_iter().next() {
            Some(problem) => AppError::from(problem),
            None => AppError::Internal,
        })?;
    let no_such = |field: &str, message: &str| AppError::InvalidInput {
        field: field.into(),
        message: message.into(),
        problem: None,
    };
    let customer_id = RecordId::parse("customer_id", &intake.customer_id)?;
    let customer = match fields.customer {
        None => {
            let customer = store
                .customer(&customer_id)
                .await?
                .ok_or_else(|| no_such("customer_id", "no such customer"))?;
            crate::serverfns::customers::check_customer_in_scope(&store, &user, &customer_id)
                .await?;
            customer
        }
        Some(new) => Customer {
            id: customer_id,
            name: new.name,
            phone: new.phone,
            address: new.address,
            coordinates: fields.location,
        },
    };
    let appliance_id = RecordId::parse("appliance_id", &intake.appliance_id)?;
    let appliance = match fields.appliance {
        None => {
            let appliance = store
                .appliance(&appliance_id)
                .await?
                .ok_or_else(|| no_such("appliance_id", "no such appliance"))?;
            if appliance.customer_id != customer.id {
                return Err(no_such(
                    "appliance_id",
                    "the appliance is another customer's",
                ));
            }
            appliance
        }
        Some(new) => Appliance {
            id: appliance_id,
            customer_id: customer.id.clone(),
            brand: new.brand,
            category: new.category,
            model: new.model,
            serial_number: new.serial_number,
            purchase_date: new.purchase_date,
            warranty_end: new.warranty_end,
        },
    };
    let window = AppointmentWindow::new(
        zone.parse_local("appointment_start", &intake.appointment_start)?,
        zone.parse_local("appointment_end", &intake.appointment_end)?,
    )
    .map_err(|_| ValidationError::new("appointment_end", Problem::BadFormat(WINDOW_RULE)))?;
    let order = WorkOrder {
        id: RecordId::parse("work_order_id", &intake.work_order_id)?,
        region_id,
        customer_id: customer.id.clone(),
        appliance_id: appliance.id.clone(),
        reported_fault: fields.reported_fault,
        fault_category: fields.fault_category,
        channel: fields.channel,
        priority: fields.priority,
        registered_at: Timestamp::now(),
        appointment: window,
        status: WorkOrderStatus::Open,
    };

    let write = async {
        let mut tx = store.begin().await?;
        if intake.existing_customer {
            if let Some(place) = fields.location {
                work_orders::place_customer_if_unplaced(&mut *tx, &customer.id, place).await?;
            }
        } else {
            work_orders::insert_customer(&mut *tx, &customer, order.registered_at).await?;
        }
        if !intake.existing_appliance {
            work_orders::insert_appliance(&mut *tx, &appliance).await?;
        }
        work_orders::insert_work_order(&mut *tx, &order, zone).await?;
        forget_counted_days(&mut tx, Touched::WorkOrder(order.id.as_str())).await?;
        tx.commit().await?;
        Ok::<(), crate::store::StoreError>(())
    };
    match write.await {
        Ok(()) => {
            tracing::info!(work_order = %order.id, user = %user.id, "work order taken");
            Ok(order.id.to_string())
        }
        Err(error) if is_unique_violation(&error) => Err(AppError::Conflict {
            message: "a record with one of these ids already exists".into(),
        }),
        Err(error) => Err(error.into()),
    }
}
