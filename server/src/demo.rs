//! Demo visits for a first look at the product, written only into an empty
//! database so a real one is never touched.

use app::domain::time::{AppointmentWindow, Timestamp};
use app::store::visits::NewVisit;
use app::store::{Store, StoreError};
use app::zone::ServiceZone;

const HOUR_MS: i64 = 3_600_000;

/// (customer, address, appliance, fault, local start hour)
const DEMO_VISITS: [(&str, &str, &str, &str, i64); 6] = [
    (
        "王秀英",
        "上海市浦东新区张杨路 1280 弄 5 号 602 室",
        "海尔滚筒洗衣机 EG100",
        "脱水时噪音大，机身晃动",
        9,
    ),
    (
        "李建国",
        "上海市徐汇区漕溪北路 398 号 1101 室",
        "小天鹅波轮洗衣机 TB80",
        "不进水，显示 E1",
        10,
    ),
    (
        "张丽",
        "上海市静安区万航渡路 767 弄 12 号",
        "海尔冰箱 BCD-470",
        "冷藏室不制冷",
        13,
    ),
    (
        "刘洋",
        "上海市闵行区莘庄镇沁春路 88 号 3 楼",
        "海尔热水器 EC6002",
        "漏电保护器频繁跳闸",
        14,
    ),
    (
        "陈静",
        "上海市杨浦区国权路 525 号 801 室",
        "小天鹅干衣机 TH90",
        "烘干后衣物仍潮湿",
        16,
    ),
    (
        "赵伟",
        "上海市长宁区仙霞路 99 号 20 楼",
        "海尔空调 KFR-35GW",
        "制热效果差，外机结霜",
        17,
    ),
];

/// Seeds today's demo visits when there are no visits at all; returns how many
/// it wrote.
pub async fn seed_if_empty(store: &Store, zone: ServiceZone) -> Result<usize, StoreError> {
    if store.count_visits().await? > 0 {
        return Ok(0);
    }
    let now = Timestamp::from_unix_millis(chrono::Utc::now().timestamp_millis());
    let (day_start, _) = zone.day_containing(now);
    for (customer, address, appliance, fault, hour) in DEMO_VISITS {
        let start = Timestamp::from_unix_millis(day_start.unix_millis() + hour * HOUR_MS);
        let end = Timestamp::from_unix_millis(start.unix_millis() + 2 * HOUR_MS);
        let window = AppointmentWindow::new(start, end)
            .map_err(|e| StoreError::Corrupt(format!("demo window: {e}")))?;
        store
            .insert_visit(&NewVisit {
                id: uuid::Uuid::now_v7().to_string(),
                customer_name: customer.into(),
                customer_address: address.into(),
                appliance: appliance.into(),
                reported_fault: fault.into(),
                window,
                time_zone: zone,
                created_at: now,
            })
            .await?;
    }
    tracing::info!(visits = DEMO_VISITS.len(), "seeded demo visits for today");
    Ok(DEMO_VISITS.len())
}
