//! A fresh, migrated database per test, on either engine.

#![allow(dead_code)]

use app::store::Store;
use server::config::DatabaseUrl;
use sqlx::{Connection, Executor};

pub struct TestDb {
    pub store: Store,
    pub database: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(std::path::PathBuf),
    PostgresDatabase {
        admin_url: String,
        name: String,
    },
    /// Another handle on a database whose own `TestDb` cleans up.
    Nothing,
}

/// A name no other test uses: databases, temporary folders.
pub fn unique_name() -> String {
    format!("doorstep_test_{}", uuid::Uuid::now_v7().simple())
}

/// Errors the code logs show in a failing test's output.
fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
}

pub async fn fresh_sqlite() -> TestDb {
    let db = empty_sqlite().await;
    server::db::migrate(db.store.pool())
        .await
        .expect("migrate SQLite");
    db
}

/// A new SQLite database with no schema, for migration tests.
pub async fn empty_sqlite() -> TestDb {
    init_logs();
    let dir = std::env::temp_dir().join(unique_name());
    let url = format!("sqlite://{}/doorstep.db", dir.display());
    let database = DatabaseUrl::parse(&url).expect("test SQLite URL");
    let pool = server::db::connect(&database).await.expect("open SQLite");
    TestDb {
        store: Store::new(pool),
        database,
        cleanup: Cleanup::SqliteDir(dir),
    }
}

/// A new database on the PostgreSQL server named by DOORSTEP_TEST_PG_URL
/// (default: this machine's), dropped when the test ends.
pub async fn fresh_postgres() -> TestDb {
    let db = empty_postgres().await;
    server::db::migrate(db.store.pool())
        .await
        .expect("migrate PostgreSQL");
    server::change_feed::start_listener(db.store.clone(), db.database.url().to_string())
        .await
        .expect("listen for board changes");
    db
}

/// A new PostgreSQL database with no schema, for migration tests.
pub async fn empty_postgres() -> TestDb {
    init_logs();
    let admin_url = std::env::var("DOORSTEP_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = unique_name();
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for these tests: {e}"));
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("PostgreSQL URL with a database");
    let database = DatabaseUrl::parse(&format!("{base}/{name}")).expect("test PostgreSQL URL");
    let pool = server::db::connect(&database)
        .await
        .expect("connect PostgreSQL");
    TestDb {
        store: Store::new(pool),
        database,
        cleanup: Cleanup::PostgresDatabase { admin_url, name },
    }
}

impl TestDb {
    /// The same database through a pool of one connection, so every
    /// statement runs again on the connection that prepared it (as a busy
    /// server's connections do). Close it before the database's own.
    pub async fn one_connection(&self) -> TestDb {
        let pool = server::db::connect_sized(&self.database, Some(1))
            .await
            .expect("connect once more");
        TestDb {
            store: Store::new(pool),
            database: self.database.clone(),
            cleanup: Cleanup::Nothing,
        }
    }

    pub async fn close(self) {
        self.store.pool().close().await;
        match self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Nothing => {}
            Cleanup::PostgresDatabase { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            }
        }
    }
}

pub mod web;

/// Everything written to the log, at every level, while the test runs on
/// this thread (the tests' runtime has one).
#[derive(Clone, Default)]
pub struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    /// Captures this thread's log until the guard is dropped.
    pub fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer({
                let log = self.clone();
                move || log.clone()
            })
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// The lines logged at ERROR.
    pub fn errors(&self) -> Vec<String> {
        self.text()
            .lines()
            .filter(|line| line.contains(" ERROR "))
            .map(str::to_owned)
            .collect()
    }
}

/// A small deterministic generator (xorshift64*): the same data every run.
pub struct Dice(pub u64);

impl Dice {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Runs one async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let db = $crate::common::fresh_sqlite().await;
                    super::$name(&db).await;
                    db.close().await;
                }

                #[tokio::test]
                async fn postgres() {
                    let db = $crate::common::fresh_postgres().await;
                    super::$name(&db).await;
                    db.close().await;
                }
            }
        )*
    };
}

/// Records the tests build on, made through the store's own writes.
pub mod fixtures {
    use app::domain::auth::{LoginName, Role};
    use app::domain::ids::RecordId;
    use app::domain::technician::Region;
    use app::domain::time::{AppointmentWindow, Timestamp};
    use app::domain::validation::{
        Address, Brand, FaultDescription, ModelNumber, PersonName, PhoneNumber, RegionName,
        SerialNumber,
    };
    use app::domain::visit::Visit;
    use app::domain::work_order::{
        Appliance, ApplianceCategory, Channel, Customer, FaultCategory, Priority, WorkOrder,
        WorkOrderStatus,
    };
    use app::store::Store;
    use app::zone::ServiceZone;

    pub const HOUR: i64 = 3_600_000;
    /// 2026-11-25T00:00:00+08:00
    pub const SHANGHAI_MIDNIGHT: i64 = 1_795_536_000_000;

    pub fn id() -> RecordId {
        RecordId::parse("id", &uuid::Uuid::now_v7().to_string()).unwrap()
    }

    pub fn window(start_ms: i64, hours: i64) -> AppointmentWindow {
        AppointmentWindow::new(
            Timestamp::from_unix_millis(start_ms),
            Timestamp::from_unix_millis(start_ms + hours * HOUR),
        )
        .unwrap()
    }

    pub async fn region(store: &Store, name: &str) -> RecordId {
        let region = Region {
            id: id(),
            name: RegionName::parse(name).unwrap(),
        };
        app::store::regions::insert_region(
            store.pool(),
            &region,
            ServiceZone::DEFAULT,
            Timestamp::from_unix_millis(0),
        )
        .await
        .unwrap();
        region.id
    }

    pub async fn user(
        store: &Store,
        login: &str,
        role: Role,
        region: Option<&RecordId>,
    ) -> RecordId {
        let user_id = id();
        app::store::accounts::insert_user(
            store.pool(),
            &app::store::accounts::NewUser {
                id: user_id.to_string(),
                login: LoginName::parse(login).unwrap(),
                display_name: format!("{login} 的名字"),
                role,
                region_id: region.map(RecordId::to_string),
                password_hash: demo_password_hash(),
                created_at: Timestamp::from_unix_millis(0),
            },
        )
        .await
        .unwrap();
        user_id
    }

    /// A technician's account with a profile: trained for every appliance,
    /// every brand, working round the clock, so the assignment rules a test
    /// is not about never stand in its way.
    pub async fn technician(store: &Store, login: &str, region: &RecordId) -> RecordId {
        use app::domain::technician::{Brands, Skills, Technician, WorkingHours};
        use app::domain::validation::{EmployeeNumber, ServiceCardNumber};
        let user_id = user(store, login, Role::Technician, Some(region)).await;
        let number = &user_id.as_str()[24..];
        app::store::regions::insert_technician(
            store.pool(),
            &Technician {
                user_id: user_id.clone(),
                employee_number: EmployeeNumber::parse(&format!("T-{number}")).unwrap(),
                name: PersonName::parse(&format!("{login} 的名字")).unwrap(),
                service_card_number: ServiceCardNumber::parse(&format!("SC-{number}")).unwrap(),
                region_id: region.clone(),
                skills: Skills::new(ApplianceCategory::ALL.to_vec()).unwrap(),
                brands: Brands::default(),
                working_hours: WorkingHours::new(0, 24 * 60).unwrap(),
            },
        )
        .await
        .unwrap();
        user_id
    }

    /// Fixture accounts log in with the demo password; hashed once per run.
    fn demo_password_hash() -> String {
        static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        HASH.get_or_init(|| app::auth::hash_password(server::demo::DEMO_PASSWORD).unwrap())
            .clone()
    }

    /// A customer with one washing machine and a work order for it.
    pub async fn order(
        store: &Store,
        region: &RecordId,
        customer_name: &str,
        appointment: AppointmentWindow,
    ) -> WorkOrder {
        located_order(store, region, customer_name, appointment, None).await
    }

    /// [`order`] for a customer whose home is at `home`, when given.
    pub async fn located_order(
        store: &Store,
        region: &RecordId,
        customer_name: &str,
        appointment: AppointmentWindow,
        home: Option<app::domain::validation::Coordinates>,
    ) -> WorkOrder {
        let customer = Customer {
            id: id(),
            name: PersonName::parse(customer_name).unwrap(),
            phone: PhoneNumber::parse("13812345678").unwrap(),
            address: Address::parse(&format!("{customer_name} 的地址")).unwrap(),
            coordinates: home,
        };
        let appliance = Appliance {
            id: id(),
            customer_id: customer.id.clone(),
            brand: Brand::parse("海尔").unwrap(),
            category: ApplianceCategory::WashingMachine,
            model: ModelNumber::parse("EG100").unwrap(),
            serial_number: SerialNumber::parse("SN-1").unwrap(),
            purchase_date: None,
            warranty_end: None,
        };
        let order = WorkOrder {
            id: id(),
            region_id: region.clone(),
            customer_id: customer.id.clone(),
            appliance_id: appliance.id.clone(),
            reported_fault: FaultDescription::parse("不脱水").unwrap(),
            fault_category: FaultCategory::Drainage,
            channel: Channel::Phone,
            priority: Priority::Normal,
            registered_at: Timestamp::from_unix_millis(
                appointment.start().unix_millis() - 24 * HOUR,
            ),
            appointment,
            status: WorkOrderStatus::Assigned,
        };
        let pool = store.pool();
        app::store::work_orders::insert_customer(pool, &customer, order.registered_at)
            .await
            .unwrap();
        app::store::work_orders::insert_appliance(pool, &appliance)
            .await
            .unwrap();
        app::store::work_orders::insert_work_order(pool, &order, ServiceZone::DEFAULT)
            .await
            .unwrap();
        order
    }

    /// Another order for the same customer, appliance and fault, for an
    /// appointment of two hours from `start_ms`.
    pub async fn repeat_order(store: &Store, first: &WorkOrder, start_ms: i64) -> WorkOrder {
        let appointment = window(start_ms, 2);
        let order = WorkOrder {
            id: id(),
            registered_at: Timestamp::from_unix_millis(start_ms - HOUR),
            appointment,
            ..first.clone()
        };
        app::store::work_orders::insert_work_order(store.pool(), &order, ServiceZone::DEFAULT)
            .await
            .unwrap();
        order
    }

    /// A dispatched visit on the order's appointment.
    pub async fn visit(store: &Store, order: &WorkOrder, technician: Option<&RecordId>) -> Visit {
        let visit = Visit::dispatched(
            id(),
            order.id.clone(),
            technician.cloned(),
            order.appointment,
            1,
            order.registered_at,
        );
        app::store::visits::insert_visit(
            store.pool(),
            &visit,
            ServiceZone::DEFAULT,
            order.registered_at,
        )
        .await
        .unwrap();
        visit
    }

    /// The five ratings in the dimensions' order: skill, attitude,
    /// timeliness, parts supply, overall.
    pub fn ratings(scores: [u8; 5]) -> app::domain::signoff::Ratings {
        let score = |value| app::domain::signoff::Score::new("rating", value).unwrap();
        app::domain::signoff::Ratings {
            skill: score(scores[0]),
            attitude: score(scores[1]),
            timeliness: score(scores[2]),
            parts_supply: score(scores[3]),
            overall: score(scores[4]),
        }
    }

    /// A content customer's sign-off with these ratings: fixed, every rule
    /// of conduct kept, no comment.
    pub fn content_sign_off(
        ratings: app::domain::signoff::Ratings,
    ) -> app::domain::signoff::SignOff {
        use app::domain::signoff::{ConductConfirmations, SignOff, Signature};
        SignOff {
            signer: PersonName::parse("王秀英").unwrap(),
            signature: Signature::new(vec![vec![(1.0, 1.0), (9.0, 4.0)]]).unwrap(),
            customer_says_fixed: true,
            ratings,
            conduct: ConductConfirmations {
                no_arguing: true,
                no_eating_drinking_smoking: true,
                no_gifts: true,
                no_extra_charges: true,
            },
            comment: None,
            arrival_confirmed: Some(true),
            position: None,
        }
    }

    /// The technician's finished visit signed off at `at` by a content
    /// customer giving fives throughout.
    pub async fn sign_content(
        store: &Store,
        visit_id: &RecordId,
        technician: &RecordId,
        at: Timestamp,
    ) {
        store
            .sign_off(
                &id(),
                visit_id,
                technician,
                &content_sign_off(ratings([5, 5, 5, 5, 5])),
                at,
            )
            .await
            .unwrap();
    }

    /// The next visit change the store announces. On PostgreSQL the notice
    /// comes back through the LISTEN connection after the commit, so it is
    /// awaited rather than expected to be there already.
    pub async fn next_change(changes: &mut tokio::sync::broadcast::Receiver<String>) -> String {
        tokio::time::timeout(std::time::Duration::from_secs(10), changes.recv())
            .await
            .expect("a change announced within 10 s")
            .expect("the change feed is open")
    }

    /// Rows in a table, for "nothing was written" checks.
    pub async fn count(store: &Store, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get::<i64, _>("n")
            .unwrap()
    }

    /// Customers, appliances and work orders, for "an intake wrote this
    /// much and no more" checks.
    pub async fn intake_counts(db: &super::TestDb) -> [i64; 3] {
        let store = &db.store;
        [
            count(store, "customers").await,
            count(store, "appliances").await,
            count(store, "work_orders").await,
        ]
    }
}
