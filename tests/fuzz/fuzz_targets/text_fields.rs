//! Every validating text field, from any string: the first byte picks the
//! parser. A parser may refuse; it may not panic.
#![no_main]

use app::domain::admin::password_code;
use app::domain::auth::{check_password_input, LoginName};
use app::domain::charges::Money;
use app::domain::ids::RecordId;
use app::domain::technician::Skills;
use app::domain::validation::{
    Address, Brand, ChecklistItemText, EmployeeNumber, FaultDescription, FeeCode, FeeItemName,
    ModelNumber, Note, PartCode, PartName, PersonName, PhoneNumber, RegionName, SerialNumber,
    ServiceCardNumber, ServicePointName,
};
use app::domain::work_order::CalendarDate;
use libfuzzer_sys::fuzz_target;

const PARSERS: &[fn(&str)] = &[
    |text| drop(PersonName::parse(text)),
    |text| drop(Address::parse(text)),
    |text| drop(FaultDescription::parse(text)),
    |text| drop(Note::parse(text)),
    |text| drop(Brand::parse(text)),
    |text| drop(ModelNumber::parse(text)),
    |text| drop(SerialNumber::parse(text)),
    |text| drop(RegionName::parse(text)),
    |text| drop(PartName::parse(text)),
    |text| drop(EmployeeNumber::parse(text)),
    |text| drop(PartCode::parse(text)),
    |text| drop(FeeCode::parse(text)),
    |text| drop(PhoneNumber::parse(text)),
    |text| drop(LoginName::parse(text)),
    |text| drop(check_password_input(text)),
    |text| drop(RecordId::parse("id", text)),
    |text| drop(Money::parse_yuan(text)),
    |text| drop(Skills::parse(text)),
    |text| drop(CalendarDate::parse("date", text)),
    |text| drop(ServiceCardNumber::parse(text)),
    |text| drop(ChecklistItemText::parse(text)),
    |text| drop(password_code::normalise(text)),
    |text| drop(ServicePointName::parse(text)),
    |text| drop(FeeItemName::parse(text)),
    // A fee row typed into the admin's editor, every field the same text.
    |text| {
        let row = app::domain::charges::FeeItemForm {
            code: text.into(),
            name_zh: text.into(),
            name_en: text.into(),
            amount: text.into(),
        };
        let current = app::domain::charges::FeeSchedule::default_for(
            app::domain::work_order::ApplianceCategory::Other,
        );
        drop(app::domain::charges::check_fee_items(&[row], &current));
    },
];

fuzz_target!(|data: &[u8]| {
    if let Some((&which, rest)) = data.split_first() {
        if let Ok(text) = std::str::from_utf8(rest) {
            PARSERS[usize::from(which) % PARSERS.len()](text);
        }
    }
});
