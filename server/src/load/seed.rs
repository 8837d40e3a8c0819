//! The people and visits a load run plays: one region, its dispatchers, and
//! technicians each with today's visits, written through the store's own
//! inserts (as the demo is), all logging in with the demo password.

use app::domain::auth::{LoginName, Role};
use app::domain::ids::RecordId;
use app::domain::technician::{Brands, Region, Skills, Technician, WorkingHours};
use app::domain::time::{AppointmentWindow, Timestamp};
use app::domain::validation::{
    Address, Brand, EmployeeNumber, FaultDescription, ModelNumber, PersonName, PhoneNumber,
    RegionName, SerialNumber, ServiceCardNumber,
};
use app::domain::visit::Visit;
use app::domain::work_order::{
    Appliance, ApplianceCategory, Channel, Customer, FaultCategory, Priority, WorkOrder,
    WorkOrderStatus,
};
use app::store::accounts::{insert_user, NewUser};
use app::store::regions::{insert_region, insert_technician};
use app::store::visits::insert_visit;
use app::store::work_orders::{insert_appliance, insert_customer, insert_work_order};
use app::store::Store;
use app::zone::ServiceZone;

use super::LoadError;
use crate::demo::DEMO_PASSWORD;

const HOUR_MS: i64 = 3_600_000;

/// A technician of the run, with the visits they will work through.
pub struct SeededTechnician {
    pub login: String,
    pub visit_ids: Vec<String>,
}

pub struct Seeded {
    pub technicians: Vec<SeededTechnician>,
    pub dispatcher_logins: Vec<String>,
}

pub fn technician_login(number: usize) -> String {
    format!("load.tech.{number:04}")
}

pub fn dispatcher_login(number: usize) -> String {
    format!("load.dispatch.{number:04}")
}

fn new_id() -> RecordId {
    RecordId::parse("id", &uuid::Uuid::now_v7().to_string()).expect("uuid crate makes UUIDs")
}

pub async fn seed(
    store: &Store,
    technicians: usize,
    dispatchers: usize,
    visits_each: usize,
) -> Result<Seeded, LoadError> {
    let zone = ServiceZone::DEFAULT;
    let now = Timestamp::now();
    let password_hash = app::auth::hash_password(DEMO_PASSWORD)
        .map_err(|error| LoadError::Setup(format!("hashing the password: {error}")))?;
    let region = Region {
        id: new_id(),
        name: RegionName::parse("压测服务区")?,
    };
    let mut tx = store.begin().await?;
    insert_region(&mut *tx, &region, zone, now).await?;
    let mut dispatcher_logins = Vec::with_capacity(dispatchers);
    for number in 0..dispatchers {
        let login = dispatcher_login(number);
        insert_user(
            &mut *tx,
            &NewUser {
                id: new_id().to_string(),
                login: LoginName::parse(&login)?,
                display_name: format!("压测调度{number}"),
                role: Role::Dispatcher,
                region_id: Some(region.id.to_string()),
                password_hash: password_hash.clone(),
                created_at: now,
            },
        )
        .await?;
        dispatcher_logins.push(login);
    }
    tx.commit().await.map_err(app::store::StoreError::from)?;

    // Appointments from an hour ago to three hours ahead: every visit can be
    // worked through now.
    let appointment = AppointmentWindow::new(
        Timestamp::from_unix_millis(now.unix_millis() - HOUR_MS),
        Timestamp::from_unix_millis(now.unix_millis() + 3 * HOUR_MS),
    )?;
    let mut seeded = Vec::with_capacity(technicians);
    for number in 0..technicians {
        let mut tx = store.begin().await?;
        let user_id = new_id();
        let login = technician_login(number);
        insert_user(
            &mut *tx,
            &NewUser {
                id: user_id.to_string(),
                login: LoginName::parse(&login)?,
                display_name: format!("压测师傅{number}"),
                role: Role::Technician,
                region_id: Some(region.id.to_string()),
                password_hash: password_hash.clone(),
                created_at: now,
            },
        )
        .await?;
        insert_technician(
            &mut *tx,
            &Technician {
                user_id: user_id.clone(),
                employee_number: EmployeeNumber::parse(&format!("LT-{number:05}"))?,
                name: PersonName::parse(&format!("压测师傅{number}"))?,
                service_card_number: ServiceCardNumber::parse(&format!("LT-2026-{number:05}"))?,
                region_id: region.id.clone(),
                skills: Skills::new(vec![ApplianceCategory::WashingMachine])?,
                brands: Brands::default(),
                working_hours: WorkingHours::DAY_SHIFT,
            },
        )
        .await?;
        let mut visit_ids = Vec::with_capacity(visits_each);
        for _ in 0..visits_each {
            let customer = Customer {
                id: new_id(),
                name: PersonName::parse("压测客户")?,
                phone: PhoneNumber::parse("13800000000")?,
                address: Address::parse("压测路 1 号")?,
                coordinates: None,
            };
            let appliance = Appliance {
                id: new_id(),
                customer_id: customer.id.clone(),
                brand: Brand::parse("海尔")?,
                category: ApplianceCategory::WashingMachine,
                model: ModelNumber::parse("EG100")?,
                serial_number: SerialNumber::parse("SN-LOAD")?,
                purchase_date: None,
                warranty_end: None,
            };
            let order = WorkOrder {
                id: new_id(),
                region_id: region.id.clone(),
                customer_id: customer.id.clone(),
                appliance_id: appliance.id.clone(),
                reported_fault: FaultDescription::parse("不脱水")?,
                fault_category: FaultCategory::Drainage,
                channel: Channel::Phone,
                priority: Priority::Normal,
                registered_at: Timestamp::from_unix_millis(now.unix_millis() - 24 * HOUR_MS),
                appointment,
                status: WorkOrderStatus::Assigned,
            };
            let visit = Visit::dispatched(
                new_id(),
                order.id.clone(),
                Some(user_id.clone()),
                appointment,
                1,
                order.registered_at,
            );
            insert_customer(&mut *tx, &customer, order.registered_at).await?;
            insert_appliance(&mut *tx, &appliance).await?;
            insert_work_order(&mut *tx, &order, zone).await?;
            insert_visit(&mut *tx, &visit, zone, order.registered_at).await?;
            visit_ids.push(visit.id.to_string());
        }
        tx.commit().await.map_err(app::store::StoreError::from)?;
        seeded.push(SeededTechnician { login, visit_ids });
    }
    Ok(Seeded {
        technicians: seeded,
        dispatcher_logins,
    })
}
