use serde::{Deserialize, Serialize};

use crate::domain::validation::{
    Address, Brand, Coordinates, FaultDescription, ModelNumber, PersonName, PhoneNumber, Problem,
    SerialNumber, ValidationError,
};
use crate::domain::work_order::{
    ApplianceCategory, CalendarDate, Channel, FaultCategory, Priority,
};

/// A work order as the intake form sends it. Every field is text, parsed
/// into the domain's types on the server, so each bad field is named in a
/// clear error instead of failing the whole request's decoding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkOrderIntake {
    /// Ids made on the device (UUIDv7), so a repeated submission is
    /// recognised rather than doubled.
    pub work_order_id: String,
    pub customer_id: String,
    pub appliance_id: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_address: String,
    pub brand: String,
    pub category: String,
    pub model: String,
    pub serial_number: String,
    /// `YYYY-MM-DD`, or empty when unknown.
    pub purchase_date: String,
    /// `YYYY-MM-DD`, or empty when unknown.
    pub warranty_end: String,
    pub reported_fault: String,
    pub fault_category: String,
    pub channel: String,
    pub priority: String,
    /// Local `YYYY-MM-DDTHH:MM` on the region's clock.
    pub appointment_start: String,
    pub appointment_end: String,
    /// Empty for a dispatcher (their own region); an admin names one.
    pub region_id: String,
    /// Where the customer lives, "latitude, longitude", or empty when not
    /// known. For a customer on file it is kept only when their file has
    /// no place yet: a known place is not moved from the intake.
    pub customer_location: String,
    /// The customer found at intake: `customer_id` names them and the
    /// customer's fields are not read.
    pub existing_customer: bool,
    /// One of that customer's appliances: `appliance_id` names it.
    pub existing_appliance: bool,
}

/// A new customer as typed at intake.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCustomer {
    pub name: PersonName,
    pub phone: PhoneNumber,
    pub address: Address,
}

/// A new appliance as typed at intake.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAppliance {
    pub brand: Brand,
    pub category: ApplianceCategory,
    pub model: ModelNumber,
    pub serial_number: SerialNumber,
    pub purchase_date: Option<CalendarDate>,
    pub warranty_end: Option<CalendarDate>,
}

/// The intake's fields in the domain's types: what the form checks before
/// sending and the server before writing, so both refuse the same input.
/// The window stays local text here; only the server knows the region's
/// time zone that makes it an instant.
#[derive(Clone, Debug, PartialEq)]
pub struct IntakeFields {
    /// `None` when the customer is one on file.
    pub customer: Option<NewCustomer>,
    /// Where the customer lives, when typed or picked.
    pub location: Option<Coordinates>,
    /// `None` when the appliance is one on file.
    pub appliance: Option<NewAppliance>,
    pub reported_fault: FaultDescription,
    pub fault_category: FaultCategory,
    pub channel: Channel,
    pub priority: Priority,
}

impl WorkOrderIntake {
    /// Every field's problem at once, each named by the field it is in,
    /// in the form's order; or the fields, all of them good.
    pub fn fields(&self) -> Result<IntakeFields, Vec<ValidationError>> {
        let mut problems = Vec::new();
        // A field's value, or its problem kept beside the others.
        fn keep<T>(
            problems: &mut Vec<ValidationError>,
            result: Result<T, ValidationError>,
        ) -> Option<T> {
            result.map_err(|problem| problems.push(problem)).ok()
        }
        // Each newtype names itself ("name"); the form names the field.
        fn named<T>(
            field: &'static str,
            result: Result<T, ValidationError>,
        ) -> Result<T, ValidationError> {
            result.map_err(|error| ValidationError::new(field, error.problem))
        }
        fn choice<T>(
            field: &'static str,
            value: &str,
            parse: fn(&str) -> Option<T>,
        ) -> Result<T, ValidationError> {
            parse(value.trim())
                .ok_or_else(|| ValidationError::new(field, Problem::BadFormat("unknown value")))
        }
        fn optional_date(
            field: &'static str,
            value: &str,
        ) -> Result<Option<CalendarDate>, ValidationError> {
            match value.trim() {
                "" => Ok(None),
                value => CalendarDate::parse(field, value).map(Some),
            }
        }

        let customer = if self.existing_customer {
            None
        } else {
            let name = keep(
                &mut problems,
                named("customer_name", PersonName::parse(&self.customer_name)),
            );
            let phone = keep(
                &mut problems,
                named("customer_phone", PhoneNumber::parse(&self.customer_phone)),
            );
            let address = keep(
                &mut problems,
                named("customer_address", Address::parse(&self.customer_address)),
            );
            Some((name, phone, address))
        };
        let location = match self.customer_location.trim() {
            "" => Some(None),
            typed => keep(
                &mut problems,
                Coordinates::parse_pair("customer_location", typed).map(Some),
            ),
        };
        let appliance = if self.existing_appliance {
            None
        } else {
            let category = keep(
                &mut problems,
                choice("category", &self.category, ApplianceCategory::parse),
            );
            let brand = keep(&mut problems, named("brand", Brand::parse(&self.brand)));
            let model = keep(
                &mut problems,
                named("model", ModelNumber::parse(&self.model)),
            );
            let serial_number = keep(
                &mut problems,
                named("serial_number", SerialNumber::parse(&self.serial_number)),
            );
            let purchase_date = keep(
                &mut problems,
                optional_date("purchase_date", &self.purchase_date),
            );
            let warranty_end = keep(
                &mut problems,
                optional_date("warranty_end", &self.warranty_end),
            );
            if let (Some(Some(bought)), Some(Some(end))) = (purchase_date, warranty_end) {
                if end < bought {
                    keep(
                        &mut problems,
                        Err::<(), _>(ValidationError::new(
                            "warranty_end",
                            Problem::BadFormat("the warranty cannot end before the purchase date"),
                        )),
                    );
                }
            }
            Some((
                category,
                brand,
                model,
                serial_number,
                purchase_date,
                warranty_end,
            ))
        };
        let reported_fault = keep(
            &mut problems,
            named(
                "reported_fault",
                FaultDescription::parse(&self.reported_fault),
            ),
        );
        let fault_category = keep(
            &mut problems,
            choice("fault_category", &self.fault_category, FaultCategory::parse),
        );
        let channel = keep(
            &mut problems,
            choice("channel", &self.channel, Channel::parse),
        );
        let priority = keep(
            &mut problems,
            choice("priority", &self.priority, Priority::parse),
        );
        let start = keep(
            &mut problems,
            LocalMinute::parse("appointment_start", &self.appointment_start),
        );
        let end = keep(
            &mut problems,
            LocalMinute::parse("appointment_end", &self.appointment_end),
        );
        if let (Some(start), Some(end)) = (start, end) {
            if end <= start {
                keep(
                    &mut problems,
                    Err::<(), _>(ValidationError::new(
                        "appointment_end",
                        Problem::BadFormat(WINDOW_RULE),
                    )),
                );
            }
        }
        // Every `keep` gave a value exactly when no problem was kept.
        let fields = (|| {
            Some(IntakeFields {
                customer: match customer {
                    Some((name, phone, address)) => Some(NewCustomer {
                        name: name?,
                        phone: phone?,
                        address: address?,
                    }),
                    None => None,
                },
                location: location?,
                appliance: match appliance {
                    Some((category, brand, model, serial_number, purchase_date, warranty_end)) => {
                        Some(NewAppliance {
                            brand: brand?,
                            category: category?,
                            model: model?,
                            serial_number: serial_number?,
                            purchase_date: purchase_date?,
                            warranty_end: warranty_end?,
                        })
                    }
                    None => None,
                },
                reported_fault: reported_fault?,
                fault_category: fault_category?,
                channel: channel?,
                priority: priority?,
            })
        })();
        match fields {
            Some(fields) if problems.is_empty() => Ok(fields),
            _ => Err(problems),
        }
    }
}

/// What a window must be: the server says it of a window over a day too,
/// which only it can measure (the region's clock may change in between).
pub const WINDOW_RULE: &str = "the window must end after it starts and last at most a day";

/// A local `YYYY-MM-DDTHH:MM` (an `<input type="datetime-local">`),
/// checked for form and ordered, without a time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct LocalMinute(CalendarDate, u16);

impl LocalMinute {
    fn parse(field: &'static str, value: &str) -> Result<Self, ValidationError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(ValidationError::new(field, Problem::Empty));
        }
        let bad = || {
            ValidationError::new(
                field,
                Problem::BadFormat("expected a local date and time as YYYY-MM-DDTHH:MM"),
            )
        };
        let (date, time) = value.split_once('T').ok_or_else(bad)?;
        let date = CalendarDate::parse(field, date).map_err(|_| bad())?;
        let (hour, minute) = time.split_once(':').ok_or_else(bad)?;
        let two_digits = |text: &str, max: u16| {
            (text.len() == 2)
                .then(|| text.parse::<u16>().ok())
                .flatten()
                .filter(|n| *n <= max)
        };
        match (two_digits(hour, 23), two_digits(minute, 59)) {
            (Some(hour), Some(minute)) => Ok(LocalMinute(date, hour * 60 + minute)),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> WorkOrderIntake {
        WorkOrderIntake {
            customer_name: "林晓".into(),
            customer_phone: "139 1234 5678".into(),
            customer_address: "上海市浦东新区锦绣路 1500 号 12 号楼 502 室".into(),
            brand: "小天鹅".into(),
            category: "washing_machine".into(),
            model: "TG100V".into(),
            serial_number: "TG100V-2208-00917".into(),
            purchase_date: "2022-08-20".into(),
            warranty_end: "2027-08-20".into(),
            reported_fault: "脱水时剧烈晃动".into(),
            fault_category: "noise".into(),
            channel: "phone".into(),
            priority: "normal".into(),
            appointment_start: "2026-12-04T09:00".into(),
            appointment_end: "2026-12-04T11:00".into(),
            ..WorkOrderIntake::default()
        }
    }

    fn fields_refused(intake: &WorkOrderIntake) -> Vec<&'static str> {
        intake
            .fields()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|problem| problem.field)
            .collect()
    }

    #[test]
    fn a_whole_intake_is_taken() {
        let fields = good().fields().unwrap();
        assert_eq!(fields.customer.unwrap().name.as_str(), "林晓");
        assert_eq!(fields.location, None);
        assert_eq!(
            fields.appliance.unwrap().category,
            ApplianceCategory::WashingMachine
        );
        let located = WorkOrderIntake {
            customer_location: "31.2304, 121.4737".into(),
            ..good()
        };
        let at = located.fields().unwrap().location.unwrap();
        assert_eq!((at.latitude(), at.longitude()), (31.2304, 121.4737));
    }

    #[test]
    fn every_bad_field_is_named_at_once_in_the_forms_order() {
        let blank = WorkOrderIntake {
            channel: "phone".into(),
            priority: "normal".into(),
            category: "dryer".into(),
            fault_category: "leak".into(),
            ..WorkOrderIntake::default()
        };
        assert_eq!(
            fields_refused(&blank),
            [
                "customer_name",
                "customer_phone",
                "customer_address",
                "brand",
                "model",
                "serial_number",
                "reported_fault",
                "appointment_start",
                "appointment_end",
            ]
        );
        let wrong = WorkOrderIntake {
            customer_phone: "12345".into(),
            customer_location: "北纬 31 度".into(),
            warranty_end: "2020-01-01".into(),
            appointment_end: "2026-12-04T08:00".into(),
            ..good()
        };
        assert_eq!(
            fields_refused(&wrong),
            [
                "customer_phone",
                "customer_location",
                "warranty_end",
                "appointment_end"
            ]
        );
    }

    #[test]
    fn a_window_is_read_as_typed_and_must_end_after_it_starts() {
        for (start, end, refused) in [
            (
                "2026-12-04T09:00",
                "2026-12-04T09:00",
                vec!["appointment_end"],
            ),
            ("2026-12-04T23:00", "2026-12-05T01:00", vec![]),
            (
                "2026-12-04T9:00",
                "2026-12-04T11:00",
                vec!["appointment_start"],
            ),
            (
                "2026-12-04T24:00",
                "2026-12-04T11:00",
                vec!["appointment_start"],
            ),
            (
                "2026-02-30T09:00",
                "2026-12-04 11:00",
                vec!["appointment_start", "appointment_end"],
            ),
        ] {
            let intake = WorkOrderIntake {
                appointment_start: start.into(),
                appointment_end: end.into(),
                ..good()
            };
            assert_eq!(fields_refused(&intake), refused, "{start} {end}");
        }
    }

    #[test]
    fn a_customer_and_appliance_on_file_are_not_typed_again() {
        let on_file = WorkOrderIntake {
            existing_customer: true,
            existing_appliance: true,
            customer_name: String::new(),
            customer_phone: String::new(),
            customer_address: String::new(),
            brand: String::new(),
            model: String::new(),
            serial_number: String::new(),
            ..good()
        };
        let fields = on_file.fields().unwrap();
        assert_eq!((fields.customer, fields.appliance), (None, None));
    }
}
