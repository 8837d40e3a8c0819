//! Customers, their appliances and the work orders they call in.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;
use super::time::{AppointmentWindow, Timestamp};
use super::validation::{
    Address, Brand, Coordinates, FaultDescription, ModelNumber, PersonName, PhoneNumber, Problem,
    SerialNumber, ValidationError,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: RecordId,
    pub name: PersonName,
    pub phone: PhoneNumber,
    pub address: Address,
    pub coordinates: Option<Coordinates>,
}

text_enum! {
    pub enum ApplianceCategory {
        WashingMachine = "washing_machine",
        Dryer = "dryer",
        Refrigerator = "refrigerator",
        AirConditioner = "air_conditioner",
        WaterHeater = "water_heater",
        Dishwasher = "dishwasher",
        Other = "other",
    }
}

text_enum! {
    /// What kind of fault, so a repeat call for the same fault on the same
    /// appliance can be recognised (first-visit fix).
    pub enum FaultCategory {
        NoPower = "no_power",
        Noise = "noise",
        Leak = "leak",
        NotCooling = "not_cooling",
        NotHeating = "not_heating",
        WaterSupply = "water_supply",
        Drainage = "drainage",
        ErrorCode = "error_code",
        Electrical = "electrical",
        Installation = "installation",
        Other = "other",
    }
}

/// A calendar date (purchase, warranty end), checked without a time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CalendarDate {
    pub fn new(
        field: &'static str,
        year: u16,
        month: u8,
        day: u8,
    ) -> Result<Self, ValidationError> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if !(1900..=2200).contains(&year) || day == 0 || day > days_in_month {
            return Err(ValidationError::new(
                field,
                Problem::BadFormat("not a real date between 1900 and 2200"),
            ));
        }
        Ok(CalendarDate { year, month, day })
    }

    /// (year, month, day)
    pub fn parts(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// `YYYY-MM-DD`.
    pub fn parse(field: &'static str, value: &str) -> Result<Self, ValidationError> {
        let bad =
            || ValidationError::new(field, Problem::BadFormat("expected a date as YYYY-MM-DD"));
        let mut parts = value.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) else {
            return Err(bad());
        };
        CalendarDate::new(field, y, m, d)
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CalendarDate::parse("date", &value)
    }
}

impl From<CalendarDate> for String {
    fn from(date: CalendarDate) -> String {
        format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarrantyStatus {
    InWarranty,
    Expired,
    /// No warranty end on record: the dispatcher must ask for the invoice.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appliance {
    pub id: RecordId,
    pub customer_id: RecordId,
    pub brand: Brand,
    pub category: ApplianceCategory,
    pub model: ModelNumber,
    pub serial_number: SerialNumber,
    pub purchase_date: Option<CalendarDate>,
    pub warranty_end: Option<CalendarDate>,
}

/// A warranty ending on `warranty_end` (its last day covered), on the local
/// day (at `offset`) of `at`.
pub fn warranty_on_day_of(
    warranty_end: Option<CalendarDate>,
    at: super::time::Timestamp,
    offset: super::time::UtcOffset,
) -> WarrantyStatus {
    let (year, month, day) = super::time::local_date(at, offset);
    let local_day = u16::try_from(year)
        .ok()
        .and_then(|year| CalendarDate::new("date", year, month, day).ok());
    match (warranty_end, local_day) {
        (None, _) => WarrantyStatus::Unknown,
        (Some(end), Some(local_day)) if local_day <= end => WarrantyStatus::InWarranty,
        (Some(_), Some(_)) => WarrantyStatus::Expired,
        (Some(_), None) => WarrantyStatus::Unknown,
    }
}

impl Appliance {
    /// The warranty covers its last day.
    pub fn warranty_status(&self, today: CalendarDate) -> WarrantyStatus {
        match self.warranty_end {
            Some(end) if today <= end => WarrantyStatus::InWarranty,
            Some(_) => WarrantyStatus::Expired,
            None => WarrantyStatus::Unknown,
        }
    }

    /// The warranty on the local day (at `offset`) of `at`: a visit's
    /// warranty is the one of the day it is booked for.
    pub fn warranty_at(
        &self,
        at: super::time::Timestamp,
        offset: super::time::UtcOffset,
    ) -> WarrantyStatus {
        warranty_on_day_of(self.warranty_end, at, offset)
    }

    pub fn check_dates(&self) -> Result<(), ValidationError> {
        match (self.purchase_date, self.warranty_end) {
            (Some(bought), Some(end)) if end < bought => Err(ValidationError::new(
                "warranty_end",
                Problem::BadFormat("the warranty cannot end before the purchase date"),
            )),
            _ => Ok(()),
        }
    }
}

text_enum! {
    pub enum Channel {
        Phone = "phone",
        App = "app",
        Dealer = "dealer",
        WalkIn = "walk_in",
    }
}

text_enum! {
    pub enum Priority {
        Normal = "normal",
        Urgent = "urgent",
    }
}

text_enum! {
    pub enum WorkOrderStatus {
        Open = "open",
        Assigned = "assigned",
        InProgress = "in_progress",
        Closed = "closed",
        Cancelled = "cancelled",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrder {
    pub id: RecordId,
    /// The service region that owns it: its dispatchers see it.
    pub region_id: RecordId,
    pub customer_id: RecordId,
    pub appliance_id: RecordId,
    pub reported_fault: FaultDescription,
    pub fault_category: FaultCategory,
    pub channel: Channel,
    pub priority: Priority,
    pub registered_at: Timestamp,
    pub appointment: AppointmentWindow,
    pub status: WorkOrderStatus,
}

/// Little Swan's rule: visit within one day of registration (登记后一天内上门).
pub const FIRST_VISIT_WITHIN_MS: i64 = 24 * 60 * 60 * 1000;

impl WorkOrder {
    /// When the first visit is due by the one-day rule.
    pub fn first_visit_due(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.registered_at.unix_millis() + FIRST_VISIT_WITHIN_MS)
    }

    /// An appointment agreed past the one-day rule is allowed (the customer
    /// may want a later day), but the intake screen must say so.
    pub fn appointment_meets_one_day_rule(&self) -> bool {
        self.appointment.start() <= self.first_visit_due()
    }
}

/// The order's number as it is read out to a customer on the phone: the
/// last ten hex digits of its id (random in a UUIDv7), in capitals, five
/// and five: "3F9A2-C71B0". The id stays the record's key; the number is
/// for people, who cannot read out 36 characters.
pub fn order_number(id: &RecordId) -> String {
    let digits: Vec<char> = id
        .as_str()
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let digits: String = digits[digits.len().saturating_sub(10)..].iter().collect();
    let (first, last) = digits.split_at(digits.len().min(5));
    format!("{first}-{last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> RecordId {
        RecordId::parse("id", &format!("0193a5e2-7c4b-7d2e-9f00-0000000000{n:02x}")).unwrap()
    }

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse("date", s).unwrap()
    }

    #[test]
    fn a_visits_warranty_is_the_one_of_its_local_day() {
        use crate::domain::time::{local_midnight, UtcOffset};
        let end = Some(date("2026-12-02"));
        // 23:30 in Shanghai on the last day covered: still in warranty; an
        // hour later it is the next day there, and the warranty is over.
        let last_evening = Timestamp::from_unix_millis(
            local_midnight(2026, 12, 2, UtcOffset::CHINA).unix_millis()
                + 23 * 3_600_000
                + 1_800_000,
        );
        assert_eq!(
            warranty_on_day_of(end, last_evening, UtcOffset::CHINA),
            WarrantyStatus::InWarranty
        );
        let next_morning = Timestamp::from_unix_millis(last_evening.unix_millis() + 3_600_000);
        assert_eq!(
            warranty_on_day_of(end, next_morning, UtcOffset::CHINA),
            WarrantyStatus::Expired
        );
        assert_eq!(
            warranty_on_day_of(None, next_morning, UtcOffset::CHINA),
            WarrantyStatus::Unknown
        );
    }

    #[test]
    fn enums_round_trip_through_their_stored_text() {
        for &category in ApplianceCategory::ALL {
            assert_eq!(ApplianceCategory::parse(category.as_str()), Some(category));
        }
        for &fault in FaultCategory::ALL {
            assert_eq!(FaultCategory::parse(fault.as_str()), Some(fault));
        }
        assert_eq!(Channel::parse("walk_in"), Some(Channel::WalkIn));
        assert_eq!(
            WorkOrderStatus::parse("in_progress"),
            Some(WorkOrderStatus::InProgress)
        );
        assert_eq!(Priority::parse("later"), None);
        assert_eq!(
            serde_json::to_string(&Channel::WalkIn).unwrap(),
            "\"walk_in\""
        );
    }

    #[test]
    fn an_order_number_is_the_ids_last_ten_digits_in_two_groups() {
        let random = RecordId::parse("id", "0193a5e2-7c4b-7d2e-9f00-3f9a2c71b0de").unwrap();
        assert_eq!(order_number(&random), "9A2C7-1B0DE");
        assert_eq!(order_number(&id(0xab)), "00000-000AB");
    }

    #[test]
    fn dates_are_real_dates() {
        assert!(CalendarDate::parse("d", "2024-02-29").is_ok());
        assert!(CalendarDate::parse("d", "2026-02-29").is_err());
        assert!(CalendarDate::parse("d", "2026-04-31").is_err());
        assert!(CalendarDate::parse("d", "2026-13-01").is_err());
        assert!(CalendarDate::parse("d", "26-1-1").is_err());
        assert!(CalendarDate::parse("d", "1899-12-31").is_err());
        assert_eq!(
            CalendarDate::parse("purchase_date", "x").unwrap_err().field,
            "purchase_date"
        );
        assert_eq!(String::from(date("2026-01-05")), "2026-01-05");
        assert!(date("2026-01-05") < date("2026-02-01"));
    }

    #[test]
    fn warranty_covers_its_last_day() {
        let mut appliance = Appliance {
            id: id(1),
            customer_id: id(2),
            brand: Brand::parse("海尔").unwrap(),
            category: ApplianceCategory::WashingMachine,
            model: ModelNumber::parse("EG100").unwrap(),
            serial_number: SerialNumber::parse("SN1").unwrap(),
            purchase_date: Some(date("2021-11-25")),
            warranty_end: Some(date("2026-11-25")),
        };
        assert_eq!(
            appliance.warranty_status(date("2026-11-25")),
            WarrantyStatus::InWarranty
        );
        assert_eq!(
            appliance.warranty_status(date("2026-11-26")),
            WarrantyStatus::Expired
        );
        assert!(appliance.check_dates().is_ok());
        appliance.warranty_end = Some(date("2020-01-01"));
        assert_eq!(appliance.check_dates().unwrap_err().field, "warranty_end");
        appliance.warranty_end = None;
        assert_eq!(
            appliance.warranty_status(date("2026-11-25")),
            WarrantyStatus::Unknown
        );
    }

    #[test]
    fn the_first_visit_is_due_a_day_after_registration() {
        let registered = Timestamp::from_unix_millis(1_000_000);
        let window = |start: i64| {
            AppointmentWindow::new(
                Timestamp::from_unix_millis(start),
                Timestamp::from_unix_millis(start + 7_200_000),
            )
            .unwrap()
        };
        let mut order = WorkOrder {
            id: id(3),
            region_id: id(9),
            customer_id: id(2),
            appliance_id: id(1),
            reported_fault: FaultDescription::parse("不脱水").unwrap(),
            fault_category: FaultCategory::Drainage,
            channel: Channel::Phone,
            priority: Priority::Normal,
            registered_at: registered,
            appointment: window(1_000_000 + FIRST_VISIT_WITHIN_MS),
            status: WorkOrderStatus::Open,
        };
        assert_eq!(
            order.first_visit_due().unix_millis(),
            1_000_000 + FIRST_VISIT_WITHIN_MS
        );
        assert!(order.appointment_meets_one_day_rule());
        order.appointment = window(1_000_001 + FIRST_VISIT_WITHIN_MS);
        assert!(!order.appointment_meets_one_day_rule());
    }
}
