//! Customers, appliances and work orders. Rows are turned back into domain
//! types through their validating constructors, so corrupt rows surface as
//! errors instead of travelling on.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::{corrupt, Store, StoreError};
use crate::domain::ids::RecordId;
use crate::domain::time::{AppointmentWindow, Timestamp};
use crate::domain::validation::{
    Address, Brand, Coordinates, FaultDescription, ModelNumber, PersonName, PhoneNumber,
    SerialNumber,
};
use crate::domain::work_order::{
    Appliance, ApplianceCategory, CalendarDate, Channel, Customer, FaultCategory, Priority,
    WorkOrder, WorkOrderStatus,
};
use crate::zone::ServiceZone;

/// The customer's home from a row's `latitude` and `longitude`, if located;
/// `id` names the row in a corruption report.
pub(crate) fn customer_place(row: &AnyRow, id: &str) -> Result<Option<Coordinates>, StoreError> {
    let latitude: Option<f64> = row.try_get("latitude")?;
    let longitude: Option<f64> = row.try_get("longitude")?;
    match (latitude, longitude) {
        (Some(lat), Some(lon)) => Coordinates::new(lat, lon)
            .map(Some)
            .map_err(|e| corrupt("customer of", id, e)),
        _ => Ok(None),
    }
}

pub(crate) fn customer_from_row(row: &AnyRow) -> Result<Customer, StoreError> {
    let id: String = row.try_get("id")?;
    let bad = |e: crate::domain::validation::ValidationError| corrupt("customer", &id, e);
    let coordinates = customer_place(row, &id)?;
    Ok(Customer {
        name: PersonName::parse(&row.try_get::<String, _>("name")?).map_err(bad)?,
        phone: PhoneNumber::parse(&row.try_get::<String, _>("phone")?).map_err(bad)?,
        address: Address::parse(&row.try_get::<String, _>("address")?).map_err(bad)?,
        coordinates,
        id: RecordId::parse("id", &id).map_err(bad)?,
    })
}

fn optional_date(
    row: &AnyRow,
    column: &'static str,
    id: &str,
) -> Result<Option<CalendarDate>, StoreError> {
    row.try_get::<Option<String>, _>(column)?
        .map(|text| CalendarDate::parse(column, &text).map_err(|e| corrupt("appliance", id, e)))
        .transpose()
}

fn appliance_from_row(row: &AnyRow) -> Result<Appliance, StoreError> {
    let id: String = row.try_get("id")?;
    let category: String = row.try_get("category")?;
    let bad = |e: crate::domain::validation::ValidationError| corrupt("appliance", &id, e);
    let text = |column: &str| row.try_get::<String, _>(column);
    Ok(Appliance {
        customer_id: RecordId::parse("customer_id", &text("customer_id")?).map_err(bad)?,
        brand: Brand::parse(&text("brand")?).map_err(bad)?,
        category: ApplianceCategory::parse(&category)
            .ok_or_else(|| corrupt("appliance", &id, format!("category {category:?}")))?,
        model: ModelNumber::parse(&text("model")?).map_err(bad)?,
        serial_number: SerialNumber::parse(&text("serial_number")?).map_err(bad)?,
        purchase_date: optional_date(row, "purchase_date", &id)?,
        warranty_end: optional_date(row, "warranty_end", &id)?,
        id: RecordId::parse("id", &id).map_err(|e| corrupt("appliance", &id, e))?,
    })
}

fn work_order_from_row(row: &AnyRow) -> Result<WorkOrder, StoreError> {
    let id: String = row.try_get("id")?;
    let text = |column: &str| row.try_get::<String, _>(column);
    let window = AppointmentWindow::new(
        Timestamp::from_unix_millis(row.try_get("appointment_start_ms")?),
        Timestamp::from_unix_millis(row.try_get("appointment_end_ms")?),
    )
    .map_err(|e| corrupt("work order", &id, e))?;
    let fault_category = FaultCategory::parse(&text("fault_category")?);
    let channel = Channel::parse(&text("channel")?);
    let priority = Priority::parse(&text("priority")?);
    let status = WorkOrderStatus::parse(&text("status")?);
    let region: Option<String> = row.try_get("region_id")?;
    Ok(WorkOrder {
        region_id: RecordId::parse("region_id", region.as_deref().unwrap_or_default())
            .map_err(|e| corrupt("work order", &id, e))?,
        customer_id: RecordId::parse("customer_id", &text("customer_id")?)
            .map_err(|e| corrupt("work order", &id, e))?,
        appliance_id: RecordId::parse("appliance_id", &text("appliance_id")?)
            .map_err(|e| corrupt("work order", &id, e))?,
        reported_fault: FaultDescription::parse(&text("reported_fault")?)
            .map_err(|e| corrupt("work order", &id, e))?,
        fault_category: fault_category
            .ok_or_else(|| corrupt("work order", &id, "unknown fault_category"))?,
        channel: channel.ok_or_else(|| corrupt("work order", &id, "unknown channel"))?,
        priority: priority.ok_or_else(|| corrupt("work order", &id, "unknown priority"))?,
        status: status.ok_or_else(|| corrupt("work order", &id, "unknown status"))?,
        registered_at: Timestamp::from_unix_millis(row.try_get("registered_at_ms")?),
        appointment: window,
        id: RecordId::parse("id", &id).map_err(|e| corrupt("work order", &id, e))?,
    })
}

pub(crate) const CUSTOMER_COLUMNS: &str = "id, name, phone, address, latitude, longitude";
pub(crate) const APPLIANCE_COLUMNS: &str =
    "id, customer_id, brand, category, model, serial_number, purchase_date, warranty_end";
pub(crate) const WORK_ORDER_COLUMNS: &str =
    "id, region_id, customer_id, appliance_id, reported_fault, fault_category, channel, \
     priority, registered_at_ms, appointment_start_ms, appointment_end_ms, status";

/// Gives a customer on file the place typed or picked at intake, when
/// their file has none: a known place is moved only by correcting the
/// customer's file, never in passing by a new order.
pub async fn place_customer_if_unplaced<'c>(
    db: impl Executor<'c, Database = Any>,
    customer_id: &RecordId,
    place: Coordinates,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE customers SET latitude = $2, longitude = $3 \
         WHERE id = $1 AND latitude IS NULL",
    )
    .bind(customer_id.as_str())
    .bind(place.latitude())
    .bind(place.longitude())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_customer<'c>(
    db: impl Executor<'c, Database = Any>,
    customer: &Customer,
    created_at: Timestamp,
) -> Result<(), StoreError> {
    let (columns, placeholders) = super::dialect::optional_float_columns(
        customer.coordinates.is_some(),
        &["latitude", "longitude"],
        6,
    );
    let sql = format!(
        "INSERT INTO customers (id, name, phone, address, created_at_ms{columns}) \
         VALUES ($1, $2, $3, $4, $5{placeholders})"
    );
    let mut insert = sqlx::query(&sql)
        .bind(customer.id.as_str())
        .bind(customer.name.as_str())
        .bind(customer.phone.as_str())
        .bind(customer.address.as_str())
        .bind(created_at.unix_millis());
    if let Some(at) = customer.coordinates {
        insert = insert.bind(at.latitude()).bind(at.longitude());
    }
    insert.execute(db).await?;
    Ok(())
}

/// The appliance's dates are checked here too: a warranty ending before
/// the purchase never reaches the table.
pub async fn insert_appliance<'c>(
    db: impl Executor<'c, Database = Any>,
    appliance: &Appliance,
) -> Result<(), StoreError> {
    appliance
        .check_dates()
        .map_err(|e| StoreError::Refused(format!("appliance {}: {e}", appliance.id)))?;
    sqlx::query(
        "INSERT INTO appliances (id, customer_id, brand, category, model, serial_number, \
             purchase_date, warranty_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(appliance.id.as_str())
    .bind(appliance.customer_id.as_str())
    .bind(appliance.brand.as_str())
    .bind(appliance.category.as_str())
    .bind(appliance.model.as_str())
    .bind(appliance.serial_number.as_str())
    .bind(appliance.purchase_date.map(String::from))
    .bind(appliance.warranty_end.map(String::from))
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_work_order<'c>(
    db: impl Executor<'c, Database = Any>,
    order: &WorkOrder,
    zone: ServiceZone,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO work_orders (id, customer_id, appliance_id, reported_fault, fault_category, \
             channel, priority, registered_at_ms, appointment_start_ms, appointment_end_ms, \
             time_zone, status, region_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(order.id.as_str())
    .bind(order.customer_id.as_str())
    .bind(order.appliance_id.as_str())
    .bind(order.reported_fault.as_str())
    .bind(order.fault_category.as_str())
    .bind(order.channel.as_str())
    .bind(order.priority.as_str())
    .bind(order.registered_at.unix_millis())
    .bind(order.appointment.start().unix_millis())
    .bind(order.appointment.end().unix_millis())
    .bind(zone.name())
    .bind(order.status.as_str())
    .bind(order.region_id.as_str())
    .execute(db)
    .await?;
    Ok(())
}

impl Store {
    pub async fn customers_with_phone(
        &self,
        phone: &PhoneNumber,
    ) -> Result<Vec<Customer>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE phone = $1 ORDER BY created_at_ms, id"
        ))
        .bind(phone.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(customer_from_row).collect()
    }

    pub async fn appliances_of(
        &self,
        customer_id: &RecordId,
    ) -> Result<Vec<Appliance>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {APPLIANCE_COLUMNS} FROM appliances WHERE customer_id = $1 ORDER BY id"
        ))
        .bind(customer_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(appliance_from_row).collect()
    }

    pub async fn work_order(&self, id: &RecordId) -> Result<Option<WorkOrder>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {WORK_ORDER_COLUMNS} FROM work_orders WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(work_order_from_row).transpose()
    }

    pub async fn customer(&self, id: &RecordId) -> Result<Option<Customer>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(customer_from_row).transpose()
    }

    pub async fn appliance(&self, id: &RecordId) -> Result<Option<Appliance>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {APPLIANCE_COLUMNS} FROM appliances WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(appliance_from_row).transpose()
    }
}
