//! What a visit costs the customer: parts used and fees charged, only ever
//! against the unified fee schedule (二公开: no charge outside it, 四不准).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::checklist::TemplateRefused;
use super::ids::RecordId;
use super::validation::{FeeCode, FeeItemName, PartCode, PartName, Problem, ValidationError};
use super::work_order::ApplianceCategory;

/// An amount of money in fen (1/100 yuan), never negative. Integers, so
/// totals add up to the fen on every device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Money(i64);

impl Money {
    /// 1,000,000 yuan: far above any household repair, low enough that sums
    /// of many lines cannot overflow.
    pub const MAX_FEN: i64 = 100_000_000;

    pub fn from_fen(field: &'static str, fen: i64) -> Result<Money, ValidationError> {
        if (0..=Self::MAX_FEN).contains(&fen) {
            Ok(Money(fen))
        } else {
            Err(ValidationError::new(
                field,
                Problem::OutOfRange {
                    min: "0".into(),
                    max: Self::MAX_FEN.to_string(),
                },
            ))
        }
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// An amount typed in yuan: "12", "12.5" or "12.50" (a leading ¥ and
    /// spaces allowed); more than two decimals, a sign or anything else is
    /// refused rather than rounded.
    pub fn parse_yuan(text: &str) -> Result<Money, ValidationError> {
        const FIELD: &str = "unit_price";
        let bad = || {
            ValidationError::new(
                FIELD,
                Problem::BadFormat("an amount in yuan, e.g. 12 or 12.50"),
            )
        };
        let text = text.trim().trim_start_matches(['¥', '￥']).trim();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > 9
            || !digits(whole)
            || fraction.len() > 2
            || !digits(fraction)
        {
            return Err(bad());
        }
        if text.ends_with('.') {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
        Money::from_fen(FIELD, whole * 100 + fraction)
    }

    /// "¥12.50".
    pub fn format_yuan(self) -> String {
        format!("¥{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl TryFrom<i64> for Money {
    type Error = ValidationError;
    fn try_from(fen: i64) -> Result<Self, Self::Error> {
        Money::from_fen("amount", fen)
    }
}

impl From<Money> for i64 {
    fn from(money: Money) -> i64 {
        money.0
    }
}

/// How many of a part or fee item: 1 to 99.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Quantity(u32);

impl Quantity {
    pub const MAX: u32 = 99;

    pub fn new(value: u32) -> Result<Quantity, ValidationError> {
        if (1..=Self::MAX).contains(&value) {
            Ok(Quantity(value))
        } else {
            Err(ValidationError::new(
                "quantity",
                Problem::OutOfRange {
                    min: "1".into(),
                    max: Self::MAX.to_string(),
                },
            ))
        }
    }

    pub fn value(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Quantity {
    type Error = ValidationError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Quantity::new(value)
    }
}

impl From<Quantity> for u32 {
    fn from(quantity: Quantity) -> u32 {
        quantity.0
    }
}

fn line_total(unit: Money, quantity: Quantity) -> Money {
    // Both are bounded, so the product fits an i64 many times over.
    Money(unit.0 * i64::from(quantity.0))
}

/// One line of the unified fee schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeScheduleItem {
    pub code: FeeCode,
    pub name_zh: String,
    pub name_en: String,
    pub amount: Money,
}

/// The unified fee schedule (统一收费标准) one appliance category is charged
/// by, in one published version. A visit keeps the version in force when it
/// was dispatched, so the prices shown to the customer at sign-off are the
/// ones the technician charged by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSchedule {
    pub version: u32,
    pub category: ApplianceCategory,
    pub items: Vec<FeeScheduleItem>,
}

/// One row of the fee schedule editor, as typed: the amount in yuan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeItemForm {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub amount: String,
}

impl FeeItemForm {
    pub fn of(item: &FeeScheduleItem) -> FeeItemForm {
        let yuan = item.amount.format_yuan();
        FeeItemForm {
            code: item.code.as_str().to_owned(),
            name_zh: item.name_zh.clone(),
            name_en: item.name_en.clone(),
            amount: yuan.trim_start_matches('¥').to_owned(),
        }
    }
}

/// At most this many items per category: a list a customer can read.
pub const MAX_FEE_ITEMS: usize = 40;

/// An admin's edit of one category's schedule, checked: every code valid
/// and once, both names given, every amount whole fen in range. The first
/// bad row is named (`item_<n>_<field>`); an unchanged list is refused, as
/// publishing it would only add a version. An empty list is allowed: a
/// category may have nothing to charge.
pub fn check_fee_items(
    items: &[FeeItemForm],
    current: &FeeSchedule,
) -> Result<Vec<FeeScheduleItem>, TemplateRefused> {
    if items.len() > MAX_FEE_ITEMS {
        return Err(TemplateRefused {
            position: None,
            error: ValidationError::new("items", Problem::TooLong { max: MAX_FEE_ITEMS }),
        });
    }
    let mut checked: Vec<FeeScheduleItem> = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        let at = |field: &'static str, error: ValidationError| TemplateRefused {
            position: Some(position),
            error: ValidationError::new(field, error.problem),
        };
        let code = FeeCode::parse(&item.code).map_err(|e| at("code", e))?;
        if checked.iter().any(|earlier| earlier.code == code) {
            return Err(at(
                "code",
                ValidationError::new("code", Problem::BadFormat("this code is in the list twice")),
            ));
        }
        let name = |field: &'static str, value: &str| {
            FeeItemName::parse(value)
                .map(|name| name.as_str().to_owned())
                .map_err(|e| at(field, e))
        };
        checked.push(FeeScheduleItem {
            name_zh: name("name_zh", &item.name_zh)?,
            name_en: name("name_en", &item.name_en)?,
            amount: Money::parse_yuan(&item.amount).map_err(|e| at("amount", e))?,
            code,
        });
    }
    if checked == current.items {
        return Err(TemplateRefused {
            position: None,
            error: ValidationError::new(
                "items",
                Problem::BadFormat("nothing changed from the current version"),
            ),
        });
    }
    Ok(checked)
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ChargeError {
    /// 四不准: no charges outside the fee schedule.
    #[error("fee {0} is not on the fee schedule; only scheduled fees may be charged")]
    NotOnSchedule(FeeCode),
    /// In warranty a part is free unless the technician says why not.
    #[error(
        "the appliance is in warranty: a part is free to the customer unless a reason is given"
    )]
    InWarrantyNeedsReason,
}

/// In warranty a part is free to the customer, unless the technician gives
/// the reason it is charged; out of warranty (or unknown) any price goes.
pub fn check_part_charge(
    warranty: super::work_order::WarrantyStatus,
    part: &PartUsed,
) -> Result<(), ChargeError> {
    let charged = part.unit_price.fen() > 0;
    if warranty == super::work_order::WarrantyStatus::InWarranty
        && charged
        && part.charge_reason.is_none()
    {
        return Err(ChargeError::InWarrantyNeedsReason);
    }
    Ok(())
}

/// A fee charged on a visit, at the scheduled amount of the day it was
/// charged (a later schedule change does not rewrite it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeCharge {
    pub id: RecordId,
    pub code: FeeCode,
    pub quantity: Quantity,
    pub unit_amount: Money,
}

impl FeeCharge {
    pub fn total(&self) -> Money {
        line_total(self.unit_amount, self.quantity)
    }
}

impl FeeSchedule {
    pub fn item(&self, code: &FeeCode) -> Option<&FeeScheduleItem> {
        self.items.iter().find(|item| &item.code == code)
    }

    /// A charge at the scheduled amount, or a refusal for anything the
    /// schedule does not list: the amount never comes from the technician.
    pub fn charge(
        &self,
        id: RecordId,
        code: FeeCode,
        quantity: Quantity,
    ) -> Result<FeeCharge, ChargeError> {
        let item = self
            .item(&code)
            .ok_or_else(|| ChargeError::NotOnSchedule(code.clone()))?;
        Ok(FeeCharge {
            id,
            unit_amount: item.amount,
            code,
            quantity,
        })
    }

    /// The schedule a category ships with (version 1), until an admin
    /// edits it: the same five items for every category, and what only an
    /// air conditioner or a water heater needs.
    pub fn default_for(category: ApplianceCategory) -> FeeSchedule {
        let item = |code: &str, name_zh: &str, name_en: &str, fen: i64| FeeScheduleItem {
            code: FeeCode::parse(code).expect("fixed fee code"),
            name_zh: name_zh.into(),
            name_en: name_en.into(),
            amount: Money(fen),
        };
        let mut items = vec![
            item("VISIT", "上门费", "Call-out fee", 3_000),
            item(
                "LABOR-STD",
                "标准维修工时费",
                "Standard repair labour",
                8_000,
            ),
            item(
                "LABOR-CPLX",
                "复杂维修工时费",
                "Complex repair labour",
                15_000,
            ),
            item("CLEAN", "深度清洁保养", "Deep cleaning and care", 12_000),
            item("INSTALL", "安装调试费", "Installation and set-up", 10_000),
        ];
        match category {
            ApplianceCategory::AirConditioner => items.push(item(
                "REFRIGERANT",
                "补充制冷剂",
                "Refrigerant top-up",
                15_000,
            )),
            ApplianceCategory::WaterHeater => {
                items.push(item("DESCALE", "除垢保养", "Descaling", 8_000))
            }
            _ => {}
        }
        FeeSchedule {
            version: 1,
            category,
            items,
        }
    }
}

/// A spare part fitted on a visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartUsed {
    pub id: RecordId,
    pub code: PartCode,
    pub name: PartName,
    pub quantity: Quantity,
    /// What the customer pays for one; zero for a part under warranty.
    pub unit_price: Money,
    /// Why a part is charged although the appliance is in warranty (a part
    /// the warranty excludes, damage by misuse). Absent, and so outside
    /// the seal, when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_reason: Option<super::validation::Note>,
}

impl PartUsed {
    pub fn total(&self) -> Money {
        line_total(self.unit_price, self.quantity)
    }
}

/// What the customer pays for the visit: every part and fee line added up.
pub fn visit_total(parts: &[PartUsed], fees: &[FeeCharge]) -> Money {
    let parts = parts.iter().map(|p| p.total().0);
    let fees = fees.iter().map(|f| f.total().0);
    Money(parts.chain(fees).sum())
}

#[cfg(test)]
mod tests {
    #[test]
    fn in_warranty_a_part_is_free_unless_a_reason_is_given() {
        use super::*;
        use crate::domain::validation::Note;
        use crate::domain::work_order::WarrantyStatus::*;
        let part = |fen, reason: Option<&str>| PartUsed {
            id: RecordId::parse("id", "0193a5e2-7c4b-7d2e-9f00-000000000001").unwrap(),
            code: PartCode::parse("WM-BELT-01").unwrap(),
            name: PartName::parse("皮带").unwrap(),
            quantity: Quantity::new(1).unwrap(),
            unit_price: Money::from_fen("p", fen).unwrap(),
            charge_reason: reason.map(|r| Note::parse(r).unwrap()),
        };
        assert_eq!(check_part_charge(InWarranty, &part(0, None)), Ok(()));
        assert_eq!(
            check_part_charge(InWarranty, &part(4_500, None)),
            Err(ChargeError::InWarrantyNeedsReason)
        );
        assert_eq!(
            check_part_charge(InWarranty, &part(4_500, Some("人为损坏"))),
            Ok(())
        );
        assert_eq!(check_part_charge(Expired, &part(4_500, None)), Ok(()));
        assert_eq!(check_part_charge(Unknown, &part(4_500, None)), Ok(()));
    }

    #[test]
    fn yuan_parse_to_the_fen_and_nothing_is_rounded() {
        let fen = |text: &str| super::Money::parse_yuan(text).map(super::Money::fen);
        assert_eq!(fen("12"), Ok(1200));
        assert_eq!(fen(" ¥12.5 "), Ok(1250));
        assert_eq!(fen("0.05"), Ok(5));
        assert_eq!(fen("1000000"), Ok(super::Money::MAX_FEN));
        for refused in [
            "",
            "12.",
            ".5",
            "12.345",
            "-3",
            "1e3",
            "12,50",
            "abc",
            "1000000.01",
        ] {
            let error = fen(refused).unwrap_err();
            assert_eq!(error.field, "unit_price", "{refused:?}");
        }
    }

    use super::*;
    use proptest::prelude::*;

    fn id() -> RecordId {
        RecordId::parse("id", "0193a5e2-7c4b-7d2e-9f00-1234567890ab").unwrap()
    }

    #[test]
    fn money_is_whole_fen_and_never_negative() {
        assert_eq!(
            Money::from_fen("fee", 1250).unwrap().format_yuan(),
            "¥12.50"
        );
        assert_eq!(Money::from_fen("fee", 5).unwrap().format_yuan(), "¥0.05");
        assert_eq!(Money::from_fen("fee", -1).unwrap_err().field, "fee");
        assert!(Money::from_fen("fee", Money::MAX_FEN + 1).is_err());
        assert!(serde_json::from_str::<Money>("-5").is_err());
    }

    #[test]
    fn quantities_are_one_to_ninety_nine() {
        assert!(Quantity::new(0).is_err());
        assert!(Quantity::new(100).is_err());
        assert_eq!(Quantity::new(99).unwrap().value(), 99);
        assert_eq!(Quantity::new(0).unwrap_err().field, "quantity");
    }

    #[test]
    fn fees_come_only_from_the_schedule_at_its_amount() {
        let schedule = FeeSchedule::default_for(ApplianceCategory::WashingMachine);
        let charge = schedule
            .charge(
                id(),
                FeeCode::parse("labor-std").unwrap(),
                Quantity::new(2).unwrap(),
            )
            .unwrap();
        assert_eq!(charge.unit_amount.fen(), 8_000);
        assert_eq!(charge.total().fen(), 16_000);
        let refused = schedule
            .charge(
                id(),
                FeeCode::parse("TIP").unwrap(),
                Quantity::new(1).unwrap(),
            )
            .unwrap_err();
        assert_eq!(
            refused,
            ChargeError::NotOnSchedule(FeeCode::parse("TIP").unwrap())
        );
        assert!(refused.to_string().contains("not on the fee schedule"));
    }

    #[test]
    fn every_default_schedule_has_unique_codes_and_passes_the_editors_check() {
        for &category in ApplianceCategory::ALL {
            let schedule = FeeSchedule::default_for(category);
            let mut codes: Vec<&str> = schedule.items.iter().map(|i| i.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), schedule.items.len(), "{category:?}");
            let forms: Vec<FeeItemForm> = schedule.items.iter().map(FeeItemForm::of).collect();
            let empty = FeeSchedule {
                items: Vec::new(),
                ..schedule.clone()
            };
            assert_eq!(check_fee_items(&forms, &empty), Ok(schedule.items.clone()));
        }
        let air = FeeSchedule::default_for(ApplianceCategory::AirConditioner);
        assert!(air.item(&FeeCode::parse("REFRIGERANT").unwrap()).is_some());
        let washer = FeeSchedule::default_for(ApplianceCategory::WashingMachine);
        assert!(washer
            .item(&FeeCode::parse("REFRIGERANT").unwrap())
            .is_none());
    }

    fn form(code: &str, zh: &str, en: &str, amount: &str) -> FeeItemForm {
        FeeItemForm {
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            amount: amount.into(),
        }
    }

    #[test]
    fn an_edited_schedule_names_its_first_bad_row_and_field() {
        let current = FeeSchedule::default_for(ApplianceCategory::Dryer);
        let refused = |items: &[FeeItemForm]| check_fee_items(items, &current).unwrap_err().field();
        let good = form("VISIT", "上门费", "Call-out fee", "35");
        assert_eq!(
            refused(&[good.clone(), form("bad code", "x", "x", "1")]),
            "item_1_code"
        );
        assert_eq!(refused(&[good.clone(), good.clone()]), "item_1_code");
        assert_eq!(refused(&[form("A", "", "x", "1")]), "item_0_name_zh");
        assert_eq!(refused(&[form("A", "x", " ", "1")]), "item_0_name_en");
        assert_eq!(refused(&[form("A", "x", "x", "12.345")]), "item_0_amount");
        assert_eq!(refused(&[form("A", "x", "x", "-1")]), "item_0_amount");
        let too_many: Vec<FeeItemForm> = (0..=MAX_FEE_ITEMS)
            .map(|n| form(&format!("F{n}"), "x", "x", "1"))
            .collect();
        assert_eq!(refused(&too_many), "items");
        let unchanged: Vec<FeeItemForm> = current.items.iter().map(FeeItemForm::of).collect();
        assert_eq!(refused(&unchanged), "items");
        let checked =
            check_fee_items(&[form(" visit ", " 上门费 ", "Call-out", "35.5")], &current).unwrap();
        assert_eq!(checked[0].code.as_str(), "VISIT");
        assert_eq!(checked[0].name_zh, "上门费");
        assert_eq!(checked[0].amount.fen(), 3_550);
        assert_eq!(check_fee_items(&[], &current), Ok(Vec::new()));
    }

    proptest! {
        #[test]
        fn an_amount_shown_in_the_editor_reads_back_to_the_fen(fen in 0..=Money::MAX_FEN) {
            let item = FeeScheduleItem {
                code: FeeCode::parse("X").unwrap(),
                name_zh: "x".into(),
                name_en: "x".into(),
                amount: Money::from_fen("amount", fen).unwrap(),
            };
            let form = FeeItemForm::of(&item);
            prop_assert_eq!(Money::parse_yuan(&form.amount).unwrap().fen(), fen);
        }
    }

    proptest! {
        #[test]
        fn the_visit_total_is_the_sum_of_its_lines(
            parts in proptest::collection::vec((0..=Money::MAX_FEN, 1u32..=99), 0..10),
            fees in proptest::collection::vec((0..=Money::MAX_FEN, 1u32..=99), 0..10),
        ) {
            let parts: Vec<PartUsed> = parts.iter().map(|&(fen, qty)| PartUsed {
                id: id(),
                code: PartCode::parse("P-1").unwrap(),
                name: PartName::parse("门封圈").unwrap(),
                quantity: Quantity::new(qty).unwrap(),
                unit_price: Money::from_fen("p", fen).unwrap(),
                charge_reason: None,
            }).collect();
            let fees: Vec<FeeCharge> = fees.iter().map(|&(fen, qty)| FeeCharge {
                id: id(),
                code: FeeCode::parse("VISIT").unwrap(),
                quantity: Quantity::new(qty).unwrap(),
                unit_amount: Money::from_fen("f", fen).unwrap(),
            }).collect();
            let expected: i128 = parts.iter().map(|p| i128::from(p.unit_price.fen()) * i128::from(p.quantity.value()))
                .chain(fees.iter().map(|f| i128::from(f.unit_amount.fen()) * i128::from(f.quantity.value())))
                .sum();
            prop_assert_eq!(i128::from(visit_total(&parts, &fees).fen()), expected);
        }
    }
}
