//! Demo accounts and visits for a first look at the product, written only
//! into an empty database so a real one is never touched.

use app::domain::auth::{LoginName, Role};
use app::domain::time::{AppointmentWindow, Timestamp};
use app::error::AppError;
use app::store::accounts::NewUser;
use app::store::visits::NewVisit;
use app::store::{Store, StoreError};
use app::zone::ServiceZone;
use thiserror::Error;

const HOUR_MS: i64 = 3_600_000;

/// Everyone's demo password; printed at start, never for a real install.
pub const DEMO_PASSWORD: &str = "doorstep-demo";

/// (login, display name, role)
pub const DEMO_USERS: [(&str, &str, Role); 4] = [
    ("tech.wang", "王师傅", Role::Technician),
    ("tech.li", "李师傅", Role::Technician),
    ("dispatch.zhao", "赵调度", Role::Dispatcher),
    ("admin", "管理员", Role::Admin),
];

/// (technician login, customer, address, appliance, fault, local start hour)
const DEMO_VISITS: [(&str, &str, &str, &str, &str, i64); 8] = [
    (
        "tech.wang",
        "王秀英",
        "上海市浦东新区张杨路 1280 弄 5 号 602 室",
        "海尔滚筒洗衣机 EG100",
        "脱水时噪音大，机身晃动",
        9,
    ),
    (
        "tech.wang",
        "李建国",
        "上海市徐汇区漕溪北路 398 号 1101 室",
        "小天鹅波轮洗衣机 TB80",
        "不进水，显示 E1",
        10,
    ),
    (
        "tech.wang",
        "张丽",
        "上海市静安区万航渡路 767 弄 12 号",
        "海尔冰箱 BCD-470",
        "冷藏室不制冷",
        13,
    ),
    (
        "tech.wang",
        "刘洋",
        "上海市闵行区莘庄镇沁春路 88 号 3 楼",
        "海尔热水器 EC6002",
        "漏电保护器频繁跳闸",
        14,
    ),
    (
        "tech.wang",
        "陈静",
        "上海市杨浦区国权路 525 号 801 室",
        "小天鹅干衣机 TH90",
        "烘干后衣物仍潮湿",
        16,
    ),
    (
        "tech.wang",
        "赵伟",
        "上海市长宁区仙霞路 99 号 20 楼",
        "海尔空调 KFR-35GW",
        "制热效果差，外机结霜",
        17,
    ),
    (
        "tech.li",
        "孙磊",
        "上海市普陀区曹杨路 1040 弄 3 号",
        "海尔洗碗机 EYW13",
        "洗完餐具有残渣",
        9,
    ),
    (
        "tech.li",
        "周敏",
        "上海市宝山区牡丹江路 1325 号",
        "小天鹅洗衣机 TG100",
        "门锁打不开",
        15,
    ),
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

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub users: usize,
    pub visits: usize,
}

/// Seeds the demo accounts when there are no accounts at all (so a known
/// password never lands beside real ones) and today's visits when there are
/// no visits at all; returns what it wrote.
pub async fn seed_if_empty(store: &Store, zone: ServiceZone) -> Result<Seeded, DemoError> {
    let mut seeded = Seeded::default();
    let now = Timestamp::now();
    if store.count_users().await? == 0 {
        let password_hash = app::auth::hash_password(DEMO_PASSWORD).map_err(DemoError::Hashing)?;
        for (login, display_name, role) in DEMO_USERS {
            let login = LoginName::parse(login).map_err(|e| DemoError::Invalid(e.to_string()))?;
            store
                .insert_user(&NewUser {
                    id: uuid::Uuid::now_v7().to_string(),
                    login,
                    display_name: display_name.into(),
                    role,
                    password_hash: password_hash.clone(),
                    created_at: now,
                })
                .await?;
        }
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

    let (day_start, _) = zone.day_containing(now);
    for (technician, customer, address, appliance, fault, hour) in DEMO_VISITS {
        let start = Timestamp::from_unix_millis(day_start.unix_millis() + hour * HOUR_MS);
        let end = Timestamp::from_unix_millis(start.unix_millis() + 2 * HOUR_MS);
        let window =
            AppointmentWindow::new(start, end).map_err(|e| DemoError::Invalid(e.to_string()))?;
        let login = LoginName::parse(technician).map_err(|e| DemoError::Invalid(e.to_string()))?;
        let technician_id = store.user_by_login(&login).await?.map(|user| user.id);
        store
            .insert_visit(&NewVisit {
                id: uuid::Uuid::now_v7().to_string(),
                customer_name: customer.into(),
                customer_address: address.into(),
                appliance: appliance.into(),
                reported_fault: fault.into(),
                window,
                time_zone: zone,
                technician_id,
                created_at: now,
            })
            .await?;
    }
    tracing::info!(visits = DEMO_VISITS.len(), "seeded today's demo visits");
    seeded.visits = DEMO_VISITS.len();
    Ok(seeded)
}
