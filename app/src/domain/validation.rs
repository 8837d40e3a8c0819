//! Newtypes that validate on construction, so bad data cannot exist past the
//! edge. Each error names the field, for the form that shows it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{field}: {problem}")]
pub struct ValidationError {
    pub field: &'static str,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum Problem {
    #[error("must not be empty")]
    Empty,
    /// A question only the person asked may answer, left unanswered.
    #[error("must be answered")]
    Unanswered,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    ControlCharacters,
    /// Right-to-left overrides and their kin: they make text display
    /// other than it reads (a name shown reversed in a list or a CSV file).
    #[error("must not contain hidden text-direction characters")]
    HiddenFormatting,
    #[error("{0}")]
    BadFormat(&'static str),
    #[error("must be between {min} and {max}")]
    OutOfRange { min: String, max: String },
}

impl ValidationError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        ValidationError { field, problem }
    }
}

/// Characters that show nothing and change nothing a reader sees (zero
/// width spaces and joiners, the byte-order mark, the soft hyphen): taken
/// out, so two names that look the same are the same.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Characters that change how the text around them is shown: direction
/// marks, embeddings, overrides and isolates, invisible operators and tags.
fn is_hidden_formatting(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2061}'..='\u{2069}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Takes out invisible characters, trims, then checks length in characters
/// (not bytes: Chinese text is three bytes a character), and refuses
/// control characters (except newlines where `multiline` allows them) and
/// hidden formatting characters.
fn bounded_text(
    field: &'static str,
    value: &str,
    max: usize,
    multiline: bool,
) -> Result<String, ValidationError> {
    let visible: String = value.chars().filter(|c| !is_invisible(*c)).collect();
    let trimmed = visible.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, Problem::Empty));
    }
    if trimmed.chars().count() > max {
        return Err(ValidationError::new(field, Problem::TooLong { max }));
    }
    let allowed_control = |c: char| multiline && (c == '\n' || c == '\r' || c == '\t');
    if trimmed
        .chars()
        .any(|c| c.is_control() && !allowed_control(c))
    {
        return Err(ValidationError::new(field, Problem::ControlCharacters));
    }
    if trimmed.chars().any(is_hidden_formatting) {
        return Err(ValidationError::new(field, Problem::HiddenFormatting));
    }
    Ok(trimmed.to_string())
}

/// A text newtype whose only way in is `check`: `parse`, serde and
/// `TryFrom<String>` all go through it.
macro_rules! validated_text_type {
    ($(#[$doc:meta])* $name:ident, field = $field:literal, check = $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const FIELD: &'static str = $field;

            pub fn parse(value: &str) -> Result<Self, ValidationError> {
                let check: fn(&str) -> Result<String, ValidationError> = $check;
                check(value).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

macro_rules! bounded_text_type {
    ($(#[$doc:meta])* $name:ident, field = $field:literal, max = $max:literal, multiline = $multiline:literal) => {
        validated_text_type!(
            $(#[$doc])* $name, field = $field,
            check = |value| bounded_text($field, value, $max, $multiline)
        );

        impl $name {
            pub const MAX_CHARS: usize = $max;
        }
    };
}

bounded_text_type!(
    /// A service point's name (网点), unique in its region.
    ServicePointName, field = "service_point_name", max = 50, multiline = false
);
bounded_text_type!(
    /// A checklist item's wording in one language, one line.
    ChecklistItemText, field = "text", max = 200, multiline = false
);
bounded_text_type!(
    /// A person's name as they give it (customer, technician, signer).
    PersonName, field = "name", max = 50, multiline = false
);
bounded_text_type!(
    /// A street address, door number included.
    Address, field = "address", max = 200, multiline = false
);
bounded_text_type!(
    /// The fault as the customer reported it.
    FaultDescription, field = "reported_fault", max = 1000, multiline = true
);
bounded_text_type!(
    /// A free-text note (checklist item, field insight, comment).
    Note, field = "note", max = 2000, multiline = true
);

bounded_text_type!(
    /// An appliance brand as printed on the machine (海尔, 小天鹅, …).
    Brand, field = "brand", max = 40, multiline = false
);
bounded_text_type!(
    /// A model designation (EG100, BCD-470, …).
    ModelNumber, field = "model", max = 60, multiline = false
);
bounded_text_type!(
    /// A serial number as printed on the rating plate.
    SerialNumber, field = "serial_number", max = 60, multiline = false
);
bounded_text_type!(
    /// A service region's name (浦东服务区, …).
    RegionName, field = "region_name", max = 50, multiline = false
);
bounded_text_type!(
    /// A fee schedule item's name in one language, as the customer reads it.
    FeeItemName, field = "name", max = 60, multiline = false
);
bounded_text_type!(
    /// A spare part's name as the technician reads it off the stock list.
    PartName, field = "part_name", max = 100, multiline = false
);
bounded_text_type!(
    /// Why a complaint changes hands from its named owner.
    OwnerChangeReason, field = "reason", max = 300, multiline = false
);
bounded_text_type!(
    /// Why a dispatcher closed work held from a phone without applying it.
    SettlementNote, field = "settlement_note", max = 300, multiline = false
);
bounded_text_type!(
    /// The service company's name, as printed on the service record.
    CompanyName, field = "company_name", max = 60, multiline = false
);

/// The company's service hotline: a 400 or 800 number (ten digits, shown
/// 400-XXX-XXXX) or any number `PhoneNumber` takes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Hotline(String);

impl Hotline {
    pub const FIELD: &'static str = "hotline";

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let only_number_characters = value
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-'));
        if only_number_characters
            && digits.len() == 10
            && (digits.starts_with("400") || digits.starts_with("800"))
        {
            return Ok(Hotline(format!(
                "{}-{}-{}",
                &digits[..3],
                &digits[3..6],
                &digits[6..]
            )));
        }
        PhoneNumber::parse(value)
            .map(|number| Hotline(number.as_str().to_string()))
            .map_err(|error| ValidationError::new(Self::FIELD, error.problem))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Hotline {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Hotline::parse(&value)
    }
}

impl From<Hotline> for String {
    fn from(value: Hotline) -> String {
        value.0
    }
}

/// Trims and upper-cases a short identifier typed from a card or a list:
/// ASCII letters, digits and `-` only, so it reads the same on every device.
fn bounded_code(field: &'static str, value: &str, max: usize) -> Result<String, ValidationError> {
    let normalised = value.trim().to_ascii_uppercase();
    if normalised.is_empty() {
        return Err(ValidationError::new(field, Problem::Empty));
    }
    if normalised.chars().count() > max {
        return Err(ValidationError::new(field, Problem::TooLong { max }));
    }
    if !normalised
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(ValidationError::new(
            field,
            Problem::BadFormat("may contain only letters A–Z, digits and -"),
        ));
    }
    Ok(normalised)
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident, field = $field:literal, max = $max:literal) => {
        validated_text_type!(
            $(#[$doc])* $name, field = $field,
            check = |value| bounded_code($field, value, $max)
        );
    };
}

code_type!(
    /// A technician's employee number (工号).
    EmployeeNumber, field = "employee_number", max = 20
);
code_type!(
    /// The number on the technician's service ID card (星级服务资格证), shown
    /// at the door and printed on the service record.
    ServiceCardNumber, field = "service_card_number", max = 32
);
code_type!(
    /// A spare part's stock code.
    PartCode, field = "part_code", max = 40
);
code_type!(
    /// An item of the unified fee schedule (统一收费标准).
    FeeCode, field = "fee_code", max = 40
);

/// A phone number the technician can call: a Chinese mobile (11 digits,
/// starting 13–19) or a landline with its area code. Stored normalised:
/// mobiles as 11 digits, landlines as `0AA-NNNNNNNN`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub const FIELD: &'static str = "phone";

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let bad = |why| ValidationError::new(Self::FIELD, Problem::BadFormat(why));
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(ValidationError::new(Self::FIELD, Problem::Empty));
        }
        if trimmed.chars().count() > 24 {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::TooLong { max: 24 },
            ));
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
        {
            return Err(bad("may contain only digits, spaces, +, - and brackets"));
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let national = match digits.strip_prefix("86") {
            Some(rest) if trimmed.starts_with('+') || rest.len() == 11 => rest,
            _ => digits.as_str(),
        };
        let is_mobile = national.len() == 11
            && national.starts_with('1')
            && matches!(national.as_bytes()[1], b'3'..=b'9');
        if is_mobile {
            return Ok(PhoneNumber(national.to_string()));
        }
        if national.starts_with('0') && (10..=12).contains(&national.len()) {
            // Area codes are 3 digits for the big cities (010, 020–029) and
            // 4 elsewhere; the local number is 7 or 8 digits.
            let area_len = if national.starts_with("01") || national.starts_with("02") {
                3
            } else {
                4
            };
            let local_len = national.len() - area_len;
            if (7..=8).contains(&local_len) {
                let (area, local) = national.split_at(area_len);
                return Ok(PhoneNumber(format!("{area}-{local}")));
            }
        }
        Err(bad("expected a mobile number (11 digits, e.g. 13812345678) or a landline with area code (e.g. 021-62345678)"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For `tel:` links.
    pub fn dial_string(&self) -> String {
        self.0.replace('-', "")
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> String {
        value.0
    }
}

/// A position on Earth in WGS-84 degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "(f64, f64)", into = "(f64, f64)")]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

impl Coordinates {
    /// 0°, 0°: a stand-in where no place is known, so every distance from
    /// it to itself is nought. Never stored or shown.
    pub const NOWHERE: Coordinates = Coordinates {
        latitude: 0.0,
        longitude: 0.0,
    };

    pub fn new(latitude: f64, longitude: f64) -> Result<Self, ValidationError> {
        let range = |field, max: f64| {
            ValidationError::new(
                field,
                Problem::OutOfRange {
                    min: format!("-{max}"),
                    max: format!("{max}"),
                },
            )
        };
        if !latitude.is_finite() || latitude.abs() > 90.0 {
            return Err(range("latitude", 90.0));
        }
        if !longitude.is_finite() || longitude.abs() > 180.0 {
            return Err(range("longitude", 180.0));
        }
        Ok(Coordinates {
            latitude,
            longitude,
        })
    }

    /// "31.2304, 121.4737" as a dispatcher types or pastes it from a map:
    /// latitude first, separated by a comma (half- or full-width), a space
    /// or both. `field` names the input in a refusal.
    pub fn parse_pair(field: &'static str, text: &str) -> Result<Self, ValidationError> {
        let bad = || {
            ValidationError::new(
                field,
                Problem::BadFormat("expected latitude, longitude as 31.2304, 121.4737"),
            )
        };
        let mut parts = text
            .split([',', '，', ' ', '\u{3000}'])
            .filter(|part| !part.is_empty());
        let (Some(latitude), Some(longitude), None) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let (Ok(latitude), Ok(longitude)) = (latitude.parse::<f64>(), longitude.parse::<f64>())
        else {
            return Err(bad());
        };
        Coordinates::new(latitude, longitude)
            .map_err(|error| ValidationError::new(field, error.problem))
    }

    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    pub fn longitude(&self) -> f64 {
        self.longitude
    }
}

// Equality is total: `new`, the only way in, refuses NaN and infinities.
impl Eq for Coordinates {}

impl TryFrom<(f64, f64)> for Coordinates {
    type Error = ValidationError;
    fn try_from((latitude, longitude): (f64, f64)) -> Result<Self, Self::Error> {
        Coordinates::new(latitude, longitude)
    }
}

impl From<Coordinates> for (f64, f64) {
    fn from(c: Coordinates) -> (f64, f64) {
        (c.latitude, c.longitude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_typed_place_is_latitude_then_longitude() {
        let at = Coordinates::parse_pair("customer_location", "31.2304, 121.4737").unwrap();
        assert_eq!((at.latitude(), at.longitude()), (31.2304, 121.4737));
        for typed in [
            "31.2304,121.4737",
            "31.2304 121.4737",
            "31.2304，121.4737",
            " 31.2304 , 121.4737 ",
        ] {
            assert_eq!(
                Coordinates::parse_pair("f", typed).unwrap(),
                at,
                "{typed:?}"
            );
        }
        for wrong in [
            "",
            "31.2304",
            "31.2304, 121.4737, 5",
            "北纬31度",
            "31.2304; 121.4737",
            "NaN, 1",
        ] {
            let error = Coordinates::parse_pair("customer_location", wrong).unwrap_err();
            assert_eq!(error.field, "customer_location", "{wrong:?}");
        }
        // Swapped by mistake: 121 is no latitude, and the refusal says the range.
        let swapped =
            Coordinates::parse_pair("customer_location", "121.4737, 31.2304").unwrap_err();
        assert_eq!(swapped.field, "customer_location");
        assert!(matches!(swapped.problem, Problem::OutOfRange { .. }));
    }

    #[test]
    fn text_that_would_display_other_than_it_reads_is_refused_or_cleaned() {
        // A right-to-left override shows "王秀英" reversed in every list.
        for hidden in ['\u{202E}', '\u{202D}', '\u{2066}', '\u{200F}', '\u{061C}'] {
            let name = format!("王{hidden}秀英");
            assert_eq!(
                PersonName::parse(&name).unwrap_err().problem,
                Problem::HiddenFormatting,
                "{hidden:?}"
            );
            assert!(Address::parse(&name).is_err());
            assert!(Note::parse(&name).is_err());
        }
        // Invisible characters are taken out: the name is the one it looks like.
        assert_eq!(
            PersonName::parse("\u{FEFF}王\u{200B}秀\u{200D}英\u{2060}")
                .unwrap()
                .as_str(),
            "王秀英"
        );
        assert_eq!(
            PersonName::parse("\u{200B}\u{FEFF}").unwrap_err().problem,
            Problem::Empty
        );
        // Codes take plain letters and digits only.
        assert!(PartCode::parse("P\u{200B}-1").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded_in_characters() {
        assert_eq!(PersonName::parse("  王秀英 ").unwrap().as_str(), "王秀英");
        assert_eq!(
            PersonName::parse("   ").unwrap_err().problem,
            Problem::Empty
        );
        let fifty_chinese = "王".repeat(50);
        assert!(
            PersonName::parse(&fifty_chinese).is_ok(),
            "50 characters, 150 bytes"
        );
        let error = PersonName::parse(&"王".repeat(51)).unwrap_err();
        assert_eq!(
            error,
            ValidationError::new("name", Problem::TooLong { max: 50 })
        );
        assert_eq!(error.to_string(), "name: must be at most 50 characters");
        assert_eq!(
            PersonName::parse("a\u{0}b").unwrap_err().problem,
            Problem::ControlCharacters
        );
        assert_eq!(
            PersonName::parse("a\nb").unwrap_err().problem,
            Problem::ControlCharacters
        );
    }

    #[test]
    fn multiline_texts_keep_newlines() {
        assert_eq!(
            FaultDescription::parse("不进水\n显示 E1").unwrap().as_str(),
            "不进水\n显示 E1"
        );
        assert!(FaultDescription::parse(&"x".repeat(1001)).is_err());
        assert_eq!(
            Address::parse(&"路".repeat(201)).unwrap_err().field,
            "address"
        );
        assert!(Note::parse("ok\u{7}").is_err());
    }

    #[test]
    fn bad_text_cannot_be_deserialised() {
        assert!(serde_json::from_str::<PersonName>("\"\"").is_err());
        assert_eq!(
            serde_json::from_str::<PersonName>("\" 李 \"")
                .unwrap()
                .as_str(),
            "李"
        );
    }

    #[test]
    fn mobile_numbers_are_normalised() {
        for input in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "8613812345678",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().as_str(),
                "13812345678",
                "{input}"
            );
        }
        assert_eq!(
            PhoneNumber::parse("19912345678").unwrap().dial_string(),
            "19912345678"
        );
    }

    #[test]
    fn landlines_keep_their_area_code() {
        assert_eq!(
            PhoneNumber::parse("021-62345678").unwrap().as_str(),
            "021-62345678"
        );
        assert_eq!(
            PhoneNumber::parse("(010) 8765 4321").unwrap().as_str(),
            "010-87654321"
        );
        assert_eq!(
            PhoneNumber::parse("0571-8888888").unwrap().as_str(),
            "0571-8888888"
        );
        assert_eq!(
            PhoneNumber::parse("0571-8888888").unwrap().dial_string(),
            "05718888888"
        );
    }

    #[test]
    fn bad_phone_numbers_are_refused_with_a_hint() {
        for input in [
            "12345",
            "12812345678",
            "1381234567",
            "138123456789",
            "abc",
            "138-1234-567x",
            "+1 212 555 0100",
        ] {
            let error = PhoneNumber::parse(input).unwrap_err();
            assert_eq!(error.field, "phone", "{input}");
        }
        assert_eq!(PhoneNumber::parse("").unwrap_err().problem, Problem::Empty);
        assert_eq!(
            PhoneNumber::parse(&"1".repeat(30)).unwrap_err().problem,
            Problem::TooLong { max: 24 }
        );
        assert!(PhoneNumber::parse("12345")
            .unwrap_err()
            .to_string()
            .contains("13812345678"));
    }

    #[test]
    fn coordinates_are_range_checked() {
        assert_eq!(
            Hotline::parse("4008008888").unwrap().as_str(),
            "400-800-8888"
        );
        assert_eq!(
            Hotline::parse(" 800 820 8820 ").unwrap().as_str(),
            "800-820-8820"
        );
        assert_eq!(
            Hotline::parse("021-62345678").unwrap().as_str(),
            "021-62345678"
        );
        assert_eq!(Hotline::parse("400-80").unwrap_err().field, "hotline");
        assert_eq!(Hotline::parse("").unwrap_err().problem, Problem::Empty);
        assert!(Coordinates::new(31.23, 121.47).is_ok());
        assert_eq!(Coordinates::new(90.5, 0.0).unwrap_err().field, "latitude");
        assert_eq!(
            Coordinates::new(0.0, -180.5).unwrap_err().field,
            "longitude"
        );
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(serde_json::from_str::<Coordinates>("[91.0, 0.0]").is_err());
    }

    #[test]
    fn codes_are_upper_cased_and_plain() {
        assert_eq!(
            EmployeeNumber::parse(" sh-0042 ").unwrap().as_str(),
            "SH-0042"
        );
        assert_eq!(
            EmployeeNumber::parse("").unwrap_err(),
            ValidationError::new("employee_number", Problem::Empty)
        );
        assert_eq!(
            ServiceCardNumber::parse(&"A".repeat(33))
                .unwrap_err()
                .problem,
            Problem::TooLong { max: 32 }
        );
        let error = PartCode::parse("门封 1").unwrap_err();
        assert_eq!(error.field, "part_code");
        assert!(matches!(error.problem, Problem::BadFormat(_)));
        assert!(FeeCode::parse("LABOR 1").is_err(), "no spaces");
        assert!(serde_json::from_str::<FeeCode>("\"x y\"").is_err());
    }

    #[test]
    fn appliance_and_part_texts_are_bounded() {
        assert_eq!(Brand::parse(" 海尔 ").unwrap().as_str(), "海尔");
        assert_eq!(Brand::parse(&"海".repeat(41)).unwrap_err().field, "brand");
        assert_eq!(ModelNumber::parse("").unwrap_err().field, "model");
        assert_eq!(
            SerialNumber::parse("SN\u{0}1").unwrap_err().problem,
            Problem::ControlCharacters
        );
        assert_eq!(
            PartName::parse(&"x".repeat(101)).unwrap_err().field,
            "part_name"
        );
        assert_eq!(
            RegionName::parse("浦东服务区").unwrap().as_str(),
            "浦东服务区"
        );
    }

    proptest! {
        #[test]
        fn any_accepted_phone_reparses_to_itself(input in "[0-9 +()-]{0,24}") {
            if let Ok(phone) = PhoneNumber::parse(&input) {
                prop_assert_eq!(PhoneNumber::parse(phone.as_str()), Ok(phone.clone()));
                prop_assert!(phone.dial_string().chars().all(|c| c.is_ascii_digit()));
            }
        }

        #[test]
        fn accepted_names_are_never_blank_or_too_long(input in "\\PC{0,80}") {
            match PersonName::parse(&input) {
                Ok(name) => {
                    prop_assert!(!name.as_str().is_empty());
                    prop_assert!(name.as_str().chars().count() <= 50);
                    prop_assert_eq!(name.as_str(), name.as_str().trim());
                }
                Err(error) => prop_assert_eq!(error.field, "name"),
            }
        }
    }
}
