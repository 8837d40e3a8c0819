//! The demo's people, homes and machines: fixed lists, so every demo
//! database tells the same story.

use app::domain::technician::{Brands, Skills, WorkingHours};
use app::domain::work_order::{ApplianceCategory as A, FaultCategory as F};

/// Each category is covered by at least two technicians, so an absence or a
/// second opinion always has someone to go.
pub fn skills_of(technician_number: usize) -> Skills {
    let categories: &[A] = match technician_number % 8 {
        0 => &[
            A::WashingMachine,
            A::Dryer,
            A::Refrigerator,
            A::WaterHeater,
            A::AirConditioner,
        ],
        1 => &[A::WashingMachine, A::Dishwasher, A::Dryer],
        2 => &[A::Refrigerator, A::AirConditioner],
        3 => &[A::WaterHeater, A::Dishwasher, A::Other],
        4 => &[A::WashingMachine, A::Dryer],
        5 => &[A::AirConditioner, A::Refrigerator, A::Other],
        6 => &[A::WaterHeater, A::WashingMachine],
        _ => &[
            A::Dishwasher,
            A::Refrigerator,
            A::AirConditioner,
            A::WaterHeater,
        ],
    };
    Skills::new(categories.to_vec()).expect("each list names at least one category")
}

/// Most work the day shift; two start later and stay for the evening
/// appointments of customers who work.
pub fn working_hours_of(technician_number: usize) -> WorkingHours {
    match technician_number % 8 {
        5 | 7 => WorkingHours::parse("10:00", "20:00"),
        _ => Ok(WorkingHours::DAY_SHIFT),
    }
    .expect("fixed hours are valid")
}

/// Most service every brand; one is authorised by 小天鹅 (a brand's own
/// network) and one by 海尔 only.
pub fn brands_of(technician_number: usize) -> Brands {
    match technician_number % 8 {
        4 => Brands::parse("小天鹅、美的"),
        7 => Brands::parse("海尔"),
        _ => Ok(Brands::default()),
    }
    .expect("fixed brand lists are valid")
}

/// A customer of today's demo day: (technician login, name, address, brand,
/// category, model, reported fault, fault category, local start hour).
pub type TodayCustomer = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    A,
    &'static str,
    &'static str,
    F,
    i64,
);

pub const TODAY: [TodayCustomer; 8] = [
    (
        "tech.wang",
        "王秀英",
        "上海市浦东新区张杨路 1280 弄 5 号 602 室",
        "海尔",
        A::WashingMachine,
        "EG100",
        "脱水时噪音大，机身晃动",
        F::Noise,
        9,
    ),
    (
        "tech.wang",
        "李建国",
        "上海市浦东新区东方路 398 号 1101 室",
        "小天鹅",
        A::WashingMachine,
        "TB80",
        "不进水，显示 E1",
        F::WaterSupply,
        10,
    ),
    (
        "tech.wang",
        "张丽",
        "上海市浦东新区浦电路 767 弄 12 号",
        "海尔",
        A::Refrigerator,
        "BCD-470",
        "冷藏室不制冷",
        F::NotCooling,
        13,
    ),
    (
        "tech.wang",
        "刘洋",
        "上海市浦东新区沁春路 88 号 3 楼",
        "海尔",
        A::WaterHeater,
        "EC6002",
        "漏电保护器频繁跳闸",
        F::Electrical,
        14,
    ),
    (
        "tech.wang",
        "陈静",
        "上海市浦东新区国权路 525 号 801 室",
        "小天鹅",
        A::Dryer,
        "TH90",
        "烘干后衣物仍潮湿",
        F::NotHeating,
        16,
    ),
    (
        "tech.wang",
        "赵伟",
        "上海市浦东新区世纪大道 99 号 20 楼",
        "海尔",
        A::AirConditioner,
        "KFR-35GW",
        "制热效果差，外机结霜",
        F::NotHeating,
        17,
    ),
    (
        "tech.li",
        "孙磊",
        "上海市浦东新区杨高中路 1040 弄 3 号",
        "海尔",
        A::Dishwasher,
        "EYW13",
        "洗完餐具有残渣",
        F::Drainage,
        9,
    ),
    (
        "tech.li",
        "周敏",
        "上海市浦东新区锦绣路 1325 号",
        "小天鹅",
        A::WashingMachine,
        "TG100",
        "门锁打不开",
        F::Other,
        15,
    ),
];

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗",
];
const GIVEN_NAMES: [&str; 24] = [
    "伟", "芳", "娜", "秀兰", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀珍", "霞", "平", "刚", "桂英", "建华",
];
const STREETS: [&str; 16] = [
    "张杨路",
    "东方路",
    "浦电路",
    "世纪大道",
    "杨高中路",
    "锦绣路",
    "金桥路",
    "川沙路",
    "周浦镇年家浜路",
    "高行镇东靖路",
    "花木路",
    "蓝村路",
    "源深路",
    "潍坊路",
    "崂山路",
    "博山路",
];

/// The n-th generated customer (n ≥ 8: the first eight are today's).
pub fn customer(n: usize) -> (String, String, String) {
    let name = format!(
        "{}{}",
        SURNAMES[n % SURNAMES.len()],
        GIVEN_NAMES[(n / SURNAMES.len() + n * 7) % GIVEN_NAMES.len()]
    );
    let address = format!(
        "上海市浦东新区{}{} 弄 {} 号 {} 室",
        STREETS[(n * 5) % STREETS.len()],
        100 + (n * 37) % 1800,
        1 + (n * 11) % 30,
        101 + (n * 13) % 20 * 100 + n % 4
    );
    (name, phone(n), address)
}

/// A mobile number that passes validation and is unique per customer.
pub fn phone(n: usize) -> String {
    format!("139{:08}", 20_250_000 + n * 7_919)
}

/// (brand, category, model)
pub const MODELS: [(&str, A, &str); 12] = [
    ("海尔", A::WashingMachine, "EG100"),
    ("小天鹅", A::WashingMachine, "TG100"),
    ("小天鹅", A::WashingMachine, "TB80"),
    ("海尔", A::Refrigerator, "BCD-470"),
    ("海尔", A::Refrigerator, "BCD-216"),
    ("海尔", A::AirConditioner, "KFR-35GW"),
    ("海尔", A::AirConditioner, "KFR-50LW"),
    ("海尔", A::WaterHeater, "EC6002"),
    ("海尔", A::WaterHeater, "JSQ25"),
    ("小天鹅", A::Dryer, "TH90"),
    ("海尔", A::Dishwasher, "EYW13"),
    ("海尔", A::Other, "XQG-M1"),
];

/// What customers report, per category: (fault category, their words).
pub fn faults(category: A) -> &'static [(F, &'static str)] {
    match category {
        A::WashingMachine => &[
            (F::Noise, "脱水时噪音大，机身晃动"),
            (F::WaterSupply, "不进水，显示 E1"),
            (F::Drainage, "不排水，桶里积水"),
            (F::Leak, "洗衣时底部漏水"),
        ],
        A::Dryer => &[
            (F::NotHeating, "烘干后衣物仍潮湿"),
            (F::Noise, "滚筒转动有异响"),
        ],
        A::Refrigerator => &[
            (F::NotCooling, "冷藏室不制冷"),
            (F::Noise, "压缩机声音很大"),
            (F::Leak, "冷藏室底部积水"),
        ],
        A::AirConditioner => &[
            (F::NotCooling, "制冷效果差"),
            (F::NotHeating, "制热效果差，外机结霜"),
            (F::Leak, "室内机滴水"),
            (F::ErrorCode, "显示故障代码 E4"),
        ],
        A::WaterHeater => &[
            (F::Electrical, "漏电保护器频繁跳闸"),
            (F::NotHeating, "水不热"),
            (F::Leak, "进水口漏水"),
        ],
        A::Dishwasher => &[
            (F::Drainage, "洗完餐具有残渣"),
            (F::ErrorCode, "显示 E3 无法启动"),
        ],
        A::Other => &[
            (F::NoPower, "通电后没有反应"),
            (F::Installation, "需要移机重新安装"),
        ],
    }
}

/// (part code, name, price in fen out of warranty) per category.
pub fn part_for(category: A) -> (&'static str, &'static str, i64) {
    match category {
        A::WashingMachine => ("WM-BELT-01", "洗衣机皮带", 4_500),
        A::Dryer => ("DR-HEAT-02", "烘干加热管", 12_000),
        A::Refrigerator => ("RF-THERM-03", "温控器", 8_500),
        A::AirConditioner => ("AC-CAP-04", "压缩机启动电容", 6_000),
        A::WaterHeater => ("WH-ROD-05", "镁棒", 5_500),
        A::Dishwasher => ("DW-PUMP-06", "排水泵", 15_000),
        A::Other => ("GEN-FUSE-07", "保险管", 1_500),
    }
}
