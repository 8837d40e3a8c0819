use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::api::work_orders::WorkOrderIntake;

/// Takes a new work order for a new customer and appliance, in one
/// transaction: all of it is written, or (on any bad field) none of it.
/// JSON in, as the intake is one structured record.
#[server(prefix = "/api/work_orders", endpoint = "create", input = Json)]
pub async fn create_work_order(intake: WorkOrderIntake) -> Result<String, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::{AppointmentWindow, Timestamp};
    use crate::domain::validation::{
        Address, Brand, FaultDescription, ModelNumber, PersonName, PhoneNumber, SerialNumber,
        ValidationError,
    };
    use crate::domain::work_order::{
        Appliance, ApplianceCategory, CalendarDate, Channel, Customer, FaultCategory, Priority,
        WorkOrder, WorkOrderStatus,
    };
    use crate::store::dashboard_cache::{forget_counted_days, Touched};
    use crate::store::{is_unique_violation, work_orders};

    fn choice<T>(field: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T, AppError> {
        parse(value.trim()).ok_or_else(|| AppError::InvalidInput {
            field: field.into(),
            message: format!("unknown value {:?}", value.trim()),
            problem: None,
        })
    }

    fn optional_date(field: &'static str, value: &str) -> Result<Option<CalendarDate>, AppError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(CalendarDate::parse(field, value)?))
    }

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

    let no_such = |field: &str, message: &str| AppError::InvalidInput {
        field: field.into(),
        message: message.into(),
        problem: None,
    };
    let customer_id = RecordId::parse("customer_id", &intake.customer_id)?;
    let customer = if intake.existing_customer {
        let customer = store
            .customer(&customer_id)
            .await?
            .ok_or_else(|| no_such("customer_id", "no such customer"))?;
        crate::serverfns::customers::check_customer_in_scope(&store, &user, &customer_id).await?;
        customer
    } else {
        Customer {
            id: customer_id,
            // Named as the intake form names them.
            name: PersonName::parse(&intake.customer_name)
                .map_err(|e| ValidationError::new("customer_name", e.problem))?,
            phone: PhoneNumber::parse(&intake.customer_phone)
                .map_err(|e| ValidationError::new("customer_phone", e.problem))?,
            address: Address::parse(&intake.customer_address)
                .map_err(|e| ValidationError::new("customer_address", e.problem))?,
            coordinates: None,
        }
    };
    let appliance_id = RecordId::parse("appliance_id", &intake.appliance_id)?;
    let appliance = if intake.existing_appliance {
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
    } else {
        let appliance = Appliance {
            id: appliance_id,
            customer_id: customer.id.clone(),
            brand: Brand::parse(&intake.brand)?,
            category: choice("category", &intake.category, ApplianceCategory::parse)?,
            model: ModelNumber::parse(&intake.model)?,
            serial_number: SerialNumber::parse(&intake.serial_number)?,
            purchase_date: optional_date("purchase_date", &intake.purchase_date)?,
            warranty_end: optional_date("warranty_end", &intake.warranty_end)?,
        };
        appliance.check_dates()?;
        appliance
    };
    let window = AppointmentWindow::new(
        zone.parse_local("appointment_start", &intake.appointment_start)?,
        zone.parse_local("appointment_end", &intake.appointment_end)?,
    )
    .map_err(|error| AppError::InvalidInput {
        field: "appointment_end".into(),
        message: error.to_string(),
        problem: None,
    })?;
    let order = WorkOrder {
        id: RecordId::parse("work_order_id", &intake.work_order_id)?,
        region_id,
        customer_id: customer.id.clone(),
        appliance_id: appliance.id.clone(),
        reported_fault: FaultDescription::parse(&intake.reported_fault)?,
        fault_category: choice(
            "fault_category",
            &intake.fault_category,
            FaultCategory::parse,
        )?,
        channel: choice("channel", &intake.channel, Channel::parse)?,
        priority: choice("priority", &intake.priority, Priority::parse)?,
        registered_at: Timestamp::now(),
        appointment: window,
        status: WorkOrderStatus::Open,
    };

    let write = async {
        let mut tx = store.begin().await?;
        if !intake.existing_customer {
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
