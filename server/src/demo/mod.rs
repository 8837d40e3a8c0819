//! Demo data for a first look at the product: a region with its dispatchers
//! and technicians, 200 customers with their appliances, six months of visit
//! history and today's visits. Written only into an empty database, so a
//! real one is never touched.

mod history;
mod people;

use app::api::error::AppError;
use app::domain::auth::{LoginName, Role};
use app::domain::ids::RecordId;
use app::domain::technician::{Region, Technician};
use app::domain::time::Timestamp;
use app::domain::validation::{EmployeeNumber, PersonName, RegionName, ServiceCardNumber};
use app::store::accounts::{insert_user, NewUser};
use app::store::regions::{insert_region, insert_technician};
use app::store::{Store, StoreError};
use app::zone::ServiceZone;
use thiserror::Error;

pub use history::History;

/// Everyone's demo password; printed at start, never for a real install.
pub const DEMO_PASSWORD: &str = "doorstep-demo";

pub const DEMO_REGION: &str = "上海浦东服务区";

/// (login, display name, role)
pub const DEMO_USERS: [(&str, &str, Role); 11] = [
    ("tech.wang", "王师傅", Role::Technician),
    ("tech.li", "李师傅", Role::Technician),
    ("tech.zhang", "张师傅", Role::Technician),
    ("tech.liu", "刘师傅", Role::Technician),
    ("tech.chen", "陈师傅", Role::Technician),
    ("tech.yang", "杨师傅", Role::Technician),
    ("tech.huang", "黄师傅", Role::Technician),
    ("tech.zhou", "周师傅", Role::Technician),
    ("dispatch.zhao", "赵调度", Role::Dispatcher),
    ("dispatch.qian", "钱调度", Role::Dispatcher),
    ("admin", "管理员", Role::Admin),
];

#[derive(Debug, Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("demo data: {0}")]
    Invalid(String),
    #[error("demo password hashing failed")]
    Hashing(AppError),
}

impl From<app::domain::validation::ValidationError> for DemoError {
    fn from(error: app::domain::validation::ValidationError) -> Self {
        DemoError::Invalid(error.to_string())
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub users: usize,
    /// Today's visits.
    pub visits: usize,
    /// Work orders of the past months.
    pub history_orders: usize,
}

pub(crate) fn new_id() -> RecordId {
    RecordId::parse("id", &uuid::Uuid::now_v7().to_string()).expect("uuid crate makes UUIDs")
}

/// Seeds the demo accounts when there are no accounts at all (so a known
/// password never lands beside real ones), and visits (today's, plus the
/// past months' when `history` asks) when there are no visits at all;
/// returns what it wrote.
pub async fn seed_if_empty(
    store: &Store,
    zone: ServiceZone,
    history: History,
) -> Result<Seeded, DemoError> {
    let mut seeded = Seeded::default();
    let now = Timestamp::now();
    if store.count_users().await? == 0 {
        seed_accounts(store, zone, now).await?;
        seeded.users = DEMO_USERS.len();
        let logins: Vec<&str> = DEMO_USERS.iter().map(|(login, _, _)| *login).collect();
        tracing::info!(
            logins = %logins.join(", "),
            password = DEMO_PASSWORD,
            "seeded demo accounts: log in with any of these logins and the demo password"
        );
    }
    if store.count_visits().await? > 0 {
        return Ok(seeded);
    }
    let written = history::seed_visits(store, zone, now, history).await?;
    seeded.visits = written.today_visits;
    seeded.history_orders = written.history_orders;
    tracing::info!(
        today = written.today_visits,
        history_orders = written.history_orders,
        "seeded demo visits"
    );
    Ok(seeded)
}

async fn seed_accounts(store: &Store, zone: ServiceZone, now: Timestamp) -> Result<(), DemoError> {
    let password_hash = app::auth::hash_password(DEMO_PASSWORD).map_err(DemoError::Hashing)?;
    let region = Region {
        id: new_id(),
        name: RegionName::parse(DEMO_REGION)?,
    };
    let mut tx = store.begin().await?;
    insert_region(&mut *tx, &region, zone, now).await?;
    let mut admin_id = None;
    for (number, (login, display_name, role)) in DEMO_USERS.into_iter().enumerate() {
        let user_id = new_id();
        if role == Role::Admin {
            admin_id.get_or_insert(user_id.to_string());
        }
        insert_user(
            &mut *tx,
            &NewUser {
                id: user_id.to_string(),
                login: LoginName::parse(login)?,
                display_name: display_name.into(),
                role,
                region_id: (role != Role::Admin).then(|| region.id.to_string()),
                password_hash: password_hash.clone(),
                created_at: now,
            },
        )
        .await?;
        if role == Role::Technician {
            insert_technician(
                &mut *tx,
                &Technician {
                    user_id,
                    employee_number: EmployeeNumber::parse(&format!("PD-{:04}", 101 + number))?,
                    name: PersonName::parse(display_name)?,
                    service_card_number: ServiceCardNumber::parse(&format!(
                        "XJ-2024-{:05}",
                        31_001 + number
                    ))?,
                    region_id: region.id.clone(),
                    skills: people::skills_of(number),
                    brands: people::brands_of(number),
                    working_hours: people::working_hours_of(number),
                },
            )
            .await?;
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    // The company the printed service records name, as an admin sets it.
    if let Some(admin_id) = admin_id {
        let company = app::domain::admin::CompanyProfile {
            name: app::domain::validation::CompanyName::parse(DEMO_COMPANY)?,
            hotline: app::domain::validation::Hotline::parse(DEMO_HOTLINE)?,
        };
        store
            .save_company_profile(&company, &admin_id, now)
            .await
            .map_err(|error| DemoError::Invalid(error.to_string()))?;
    }
    Ok(())
}

/// The demo company on the service records.
const DEMO_COMPANY: &str = "浦东家电售后服务中心";
const DEMO_HOTLINE: &str = "400-820-8820";
