//! Service regions and the technicians who work in them.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;
use super::time::{format_minute_of_day, local_hour_minute, AppointmentWindow, UtcOffset};
use super::validation::{
    Brand, EmployeeNumber, PersonName, Problem, RegionName, ServiceCardNumber, ValidationError,
};
use super::work_order::ApplianceCategory;

/// A service region: its dispatchers see its work orders, its technicians
/// take its visits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub id: RecordId,
    pub name: RegionName,
}

/// What a technician is trained to repair: at least one appliance category,
/// each once, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<ApplianceCategory>", into = "Vec<ApplianceCategory>")]
pub struct Skills(Vec<ApplianceCategory>);

impl Skills {
    pub const FIELD: &'static str = "skills";

    pub fn new(categories: Vec<ApplianceCategory>) -> Result<Skills, ValidationError> {
        let mut categories: Vec<ApplianceCategory> = ApplianceCategory::ALL
            .iter()
            .copied()
            .filter(|category| categories.contains(category))
            .collect();
        categories.dedup();
        if categories.is_empty() {
            return Err(ValidationError::new(Self::FIELD, Problem::Empty));
        }
        Ok(Skills(categories))
    }

    /// From the stored text, e.g. `washing_machine,dryer`.
    pub fn parse(text: &str) -> Result<Skills, ValidationError> {
        let categories = text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                ApplianceCategory::parse(part).ok_or_else(|| {
                    ValidationError::new(
                        Self::FIELD,
                        Problem::BadFormat("unknown appliance category"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Skills::new(categories)
    }

    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|category| category.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn covers(&self, category: ApplianceCategory) -> bool {
        self.0.contains(&category)
    }

    pub fn categories(&self) -> &[ApplianceCategory] {
        &self.0
    }
}

impl TryFrom<Vec<ApplianceCategory>> for Skills {
    type Error = ValidationError;
    fn try_from(categories: Vec<ApplianceCategory>) -> Result<Self, Self::Error> {
        Skills::new(categories)
    }
}

impl From<Skills> for Vec<ApplianceCategory> {
    fn from(skills: Skills) -> Self {
        skills.0
    }
}

/// The hours of the day a technician takes visits, on the region's clock:
/// from `from` up to `until`, within one day (until may be 24:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "(u16, u16)", into = "(u16, u16)")]
pub struct WorkingHours {
    from_minute: u16,
    until_minute: u16,
}

impl WorkingHours {
    pub const FIELD: &'static str = "working_hours";
    const MINUTES_PER_DAY: u16 = 24 * 60;
    /// A day shift, for a profile that names no hours.
    pub const DAY_SHIFT: WorkingHours = WorkingHours {
        from_minute: 8 * 60,
        until_minute: 18 * 60,
    };

    pub fn new(from_minute: u16, until_minute: u16) -> Result<WorkingHours, ValidationError> {
        if until_minute > Self::MINUTES_PER_DAY || from_minute >= until_minute {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::BadFormat("the working day must end after it starts, by 24:00"),
            ));
        }
        Ok(WorkingHours {
            from_minute,
            until_minute,
        })
    }

    /// From two clock times as a form gives them, `HH:MM` each.
    pub fn parse(from: &str, until: &str) -> Result<WorkingHours, ValidationError> {
        let minute = |text: &str| -> Result<u16, ValidationError> {
            let bad =
                || ValidationError::new(Self::FIELD, Problem::BadFormat("a time is written HH:MM"));
            let (hour, minute) = text.trim().split_once(':').ok_or_else(bad)?;
            let (hour, minute): (u16, u16) = (
                hour.parse().map_err(|_| bad())?,
                minute.parse().map_err(|_| bad())?,
            );
            if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
                return Err(bad());
            }
            Ok(hour * 60 + minute)
        };
        WorkingHours::new(minute(from)?, minute(until)?)
    }

    pub fn from_minute(self) -> u16 {
        self.from_minute
    }

    pub fn until_minute(self) -> u16 {
        self.until_minute
    }

    /// `HH:MM` of each end, for a form.
    pub fn clock_times(self) -> (String, String) {
        let clock = |minute: u16| format_minute_of_day(u32::from(minute));
        (clock(self.from_minute), clock(self.until_minute))
    }

    /// "08:00–18:00".
    pub fn format(self) -> String {
        let (from, until) = self.clock_times();
        format!("{from}–{until}")
    }

    /// Whether every minute of the window lies inside these hours on its own
    /// local day. A window that runs past midnight needs hours that run to
    /// 24:00 and start again at 00:00, that is, round the clock.
    pub fn cover(self, window: AppointmentWindow, offset: UtcOffset) -> bool {
        if self.from_minute == 0 && self.until_minute == Self::MINUTES_PER_DAY {
            return true;
        }
        let (hour, minute) = local_hour_minute(window.start(), offset);
        let start = i64::from(hour) * 60 + i64::from(minute);
        let millis = window.end().unix_millis() - window.start().unix_millis();
        let length = (millis + 59_999) / 60_000;
        start >= i64::from(self.from_minute) && start + length <= i64::from(self.until_minute)
    }
}

impl TryFrom<(u16, u16)> for WorkingHours {
    type Error = ValidationError;
    fn try_from((from, until): (u16, u16)) -> Result<Self, Self::Error> {
        WorkingHours::new(from, until)
    }
}

impl From<WorkingHours> for (u16, u16) {
    fn from(hours: WorkingHours) -> Self {
        (hours.from_minute, hours.until_minute)
    }
}

/// The brands a technician is authorised to service, where the profile
/// lists any (a brand's own service network); none listed: every brand.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Brands(Vec<Brand>);

impl Brands {
    pub const FIELD: &'static str = "brands";
    pub const MAX: usize = 20;

    pub fn new(brands: Vec<String>) -> Result<Brands, ValidationError> {
        let mut kept: Vec<Brand> = Vec::new();
        for text in brands.iter().filter(|text| !text.trim().is_empty()) {
            let brand = Brand::parse(text).map_err(|error| ValidationError {
                field: Self::FIELD,
                ..error
            })?;
            if !kept
                .iter()
                .any(|known| same_brand(known.as_str(), brand.as_str()))
            {
                kept.push(brand);
            }
        }
        if kept.len() > Self::MAX {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::OutOfRange {
                    min: "0".into(),
                    max: Self::MAX.to_string(),
                },
            ));
        }
        Ok(Brands(kept))
    }

    /// From a form's or the database's text: brands split by commas (either
    /// width), 、 or semicolons.
    pub fn parse(text: &str) -> Result<Brands, ValidationError> {
        Brands::new(
            text.split([',', '，', '、', ';', '；', '\n'])
                .map(str::to_string)
                .collect(),
        )
    }

    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(Brand::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn covers(&self, brand: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|known| same_brand(known.as_str(), brand))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(Brand::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Brands as people type them: Latin letters in any case, spaces around.
fn same_brand(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl TryFrom<Vec<String>> for Brands {
    type Error = ValidationError;
    fn try_from(brands: Vec<String>) -> Result<Self, Self::Error> {
        Brands::new(brands)
    }
}

impl From<Brands> for Vec<String> {
    fn from(brands: Brands) -> Self {
        brands.0.into_iter().map(String::from).collect()
    }
}

/// A technician's profile beside their login account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Technician {
    /// The account's id.
    pub user_id: RecordId,
    pub employee_number: EmployeeNumber,
    pub name: PersonName,
    pub service_card_number: ServiceCardNumber,
    pub region_id: RecordId,
    pub skills: Skills,
    pub brands: Brands,
    pub working_hours: WorkingHours,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ApplianceCategory as A;

    #[test]
    fn skills_are_a_non_empty_ordered_set() {
        let skills = Skills::new(vec![A::Dryer, A::WashingMachine, A::Dryer]).unwrap();
        assert_eq!(skills.categories(), [A::WashingMachine, A::Dryer]);
        assert_eq!(skills.to_text(), "washing_machine,dryer");
        assert!(skills.covers(A::Dryer) && !skills.covers(A::Refrigerator));
        assert_eq!(Skills::new(vec![]).unwrap_err().problem, Problem::Empty);
        assert_eq!(Skills::parse("").unwrap_err().field, "skills");
        assert!(Skills::parse("washing_machine,teleporter").is_err());
        assert!(serde_json::from_str::<Skills>("[]").is_err());
    }

    fn window(from: &str, until: &str) -> AppointmentWindow {
        use crate::domain::time::{local_midnight, Timestamp};
        let midnight = local_midnight(2026, 6, 1, UtcOffset::CHINA).unix_millis();
        let at = |clock: &str| {
            let (hour, minute) = clock.split_once(':').unwrap();
            let minutes: i64 = hour.parse::<i64>().unwrap() * 60 + minute.parse::<i64>().unwrap();
            Timestamp::from_unix_millis(midnight + minutes * 60_000)
        };
        AppointmentWindow::new(at(from), at(until)).unwrap()
    }

    #[test]
    fn working_hours_cover_a_window_only_when_it_fits_inside_them() {
        let hours = WorkingHours::parse("08:00", "18:00").unwrap();
        assert_eq!(hours, WorkingHours::DAY_SHIFT);
        assert_eq!(hours.format(), "08:00–18:00");
        let china = UtcOffset::CHINA;
        assert!(hours.cover(window("08:00", "10:00"), china));
        assert!(hours.cover(window("16:00", "18:00"), china));
        assert!(!hours.cover(window("07:30", "09:30"), china));
        assert!(!hours.cover(window("17:00", "19:00"), china));
        assert!(!hours.cover(window("19:00", "21:00"), china));
        // The same instant is another hour on another region's clock.
        let utc = UtcOffset::from_minutes(0).unwrap();
        assert!(!hours.cover(window("08:00", "10:00"), utc));
        let late = WorkingHours::parse("12:00", "24:00").unwrap();
        assert!(late.cover(window("22:00", "24:00"), china));
        assert!(!late.cover(window("23:00", "25:00"), china));
        // Round the clock covers a window across midnight too.
        let always = WorkingHours::parse("00:00", "24:00").unwrap();
        assert!(always.cover(window("23:00", "25:00"), china));
        assert!(always.cover(window("23:54", "25:54"), china));
    }

    #[test]
    fn working_hours_refuse_a_day_that_ends_before_it_starts_or_a_bad_clock() {
        for (from, until) in [
            ("18:00", "08:00"),
            ("09:00", "09:00"),
            ("8", "18:00"),
            ("08:00", "24:30"),
            ("08:60", "18:00"),
            ("", "18:00"),
            ("xx:00", "18:00"),
        ] {
            let error = WorkingHours::parse(from, until).unwrap_err();
            assert_eq!(error.field, "working_hours", "{from}–{until}");
        }
        assert!(serde_json::from_str::<WorkingHours>("[600, 540]").is_err());
        assert_eq!(
            serde_json::from_str::<WorkingHours>("[480, 1080]").unwrap(),
            WorkingHours::DAY_SHIFT
        );
    }

    #[test]
    fn brands_none_listed_cover_every_brand_else_only_those_listed() {
        let any = Brands::parse("").unwrap();
        assert!(any.is_empty() && any.covers("海尔") && any.covers("Bosch"));
        let listed = Brands::parse("海尔、美的， bosch ;海尔").unwrap();
        assert_eq!(listed.to_text(), "海尔,美的,bosch");
        assert!(listed.covers("海尔") && listed.covers("BOSCH ") && !listed.covers("格力"));
        assert_eq!(
            Brands::parse(&"很长的牌子".repeat(10)).unwrap_err().field,
            "brands"
        );
        let too_many = (0..=Brands::MAX)
            .map(|n| format!("B{n}"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(Brands::parse(&too_many).unwrap_err().field, "brands");
    }

    proptest! {
        #[test]
        fn working_hours_survive_their_clock_times(from in 0u16..1440, length in 1u16..1440) {
            let until = (from + length).min(1440);
            prop_assume!(until > from);
            let hours = WorkingHours::new(from, until).unwrap();
            let (a, b) = hours.clock_times();
            prop_assert_eq!(WorkingHours::parse(&a, &b).unwrap(), hours);
        }

        #[test]
        fn brands_survive_their_stored_text(names in proptest::collection::vec("[a-zA-Z海尔美的格力]{1,8}", 0..6)) {
            let brands = Brands::new(names.clone()).unwrap();
            prop_assert_eq!(Brands::parse(&brands.to_text()).unwrap(), brands.clone());
            for name in &names {
                prop_assert!(brands.covers(name));
            }
        }

        #[test]
        fn skills_survive_their_stored_text(picks in proptest::collection::vec(0usize..7, 1..10)) {
            let categories: Vec<A> = picks.iter().map(|&i| A::ALL[i]).collect();
            let skills = Skills::new(categories.clone()).unwrap();
            prop_assert_eq!(Skills::parse(&skills.to_text()).unwrap(), skills.clone());
            for category in categories {
                prop_assert!(skills.covers(category));
            }
        }
    }
}
