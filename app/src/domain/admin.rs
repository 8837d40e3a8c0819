//! The admin desk's rules: what a person's account must hold for their role,
//! the one-time codes that let a person set their own password, and what the
//! audit log records. Pure, so the server and the admin's browser check a
//! form the same way.

use serde::{Deserialize, Serialize};

use super::auth::{LoginName, Role};
use super::callback::ServicePointLevel;
use super::ids::RecordId;
use super::technician::{Brands, Skills, WorkingHours};
use super::time::Timestamp;
use super::validation::{
    EmployeeNumber, PersonName, Problem, RegionName, ServiceCardNumber, ServicePointName,
    ValidationError,
};
use super::work_order::ApplianceCategory;

const HOUR_MS: i64 = 60 * 60 * 1000;

/// A person's account as the admin's form sends it: text as typed. The
/// technician's fields are read only for a technician.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    pub login: String,
    pub name: String,
    pub role: String,
    pub region_id: String,
    pub employee_number: String,
    pub service_card_number: String,
    /// Appliance categories, as their stored names.
    pub skills: Vec<String>,
    /// The technician's service point; empty for none (their region's level
    /// then sets how many of their services are called back).
    #[serde(default)]
    pub service_point_id: String,
    /// Working hours, `HH:MM` each; both empty: the day shift.
    #[serde(default)]
    pub working_from: String,
    #[serde(default)]
    pub working_until: String,
    /// Brands the technician is authorised for, separated by commas or 、;
    /// empty: every brand.
    #[serde(default)]
    pub brands: String,
}

/// A technician's working profile: the service ID card they show at the
/// door (亮证), their employee number and what they repair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnicianProfile {
    pub employee_number: EmployeeNumber,
    pub service_card_number: ServiceCardNumber,
    pub skills: Skills,
    pub service_point_id: Option<RecordId>,
    pub brands: Brands,
    pub working_hours: WorkingHours,
}

/// An account that holds together for its role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedPerson {
    pub login: LoginName,
    pub name: PersonName,
    pub role: Role,
    /// Technicians and dispatchers work in one region; admins in all (None).
    pub region_id: Option<RecordId>,
    /// Exactly for a technician.
    pub technician: Option<TechnicianProfile>,
}

impl PersonForm {
    /// Checks every field the role needs, naming the first one that fails.
    pub fn check(&self) -> Result<CheckedPerson, ValidationError> {
        let login = LoginName::parse(&self.login)?;
        let name = PersonName::parse(&self.name)?;
        let role = Role::parse(self.role.trim()).ok_or_else(|| {
            ValidationError::new(
                "role",
                Problem::BadFormat("choose technician, dispatcher or admin"),
            )
        })?;
        let region_id = match role {
            Role::Admin => None,
            Role::Technician | Role::Dispatcher => {
                if self.region_id.trim().is_empty() {
                    return Err(ValidationError::new("region_id", Problem::Empty));
                }
                Some(RecordId::parse("region_id", &self.region_id)?)
            }
        };
        let technician = match role {
            Role::Technician => Some(TechnicianProfile {
                employee_number: EmployeeNumber::parse(&self.employee_number)?,
                service_card_number: ServiceCardNumber::parse(&self.service_card_number)?,
                skills: Skills::new(
                    self.skills
                        .iter()
                        .map(|name| {
                            ApplianceCategory::parse(name.trim()).ok_or_else(|| {
                                ValidationError::new(
                                    Skills::FIELD,
                                    Problem::BadFormat("unknown appliance category"),
                                )
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                )?,
                service_point_id: match self.service_point_id.trim() {
                    "" => None,
                    id => Some(RecordId::parse("service_point_id", id)?),
                },
                brands: Brands::parse(&self.brands)?,
                working_hours: match (self.working_from.trim(), self.working_until.trim()) {
                    ("", "") => WorkingHours::DAY_SHIFT,
                    (from, until) => WorkingHours::parse(from, until)?,
                },
            }),
            Role::Dispatcher | Role::Admin => None,
        };
        Ok(CheckedPerson {
            login,
            name,
            role,
            region_id,
            technician,
        })
    }

    /// The form filled in from an account, for editing it.
    pub fn of(person: &CheckedPerson) -> PersonForm {
        let profile = person.technician.as_ref();
        PersonForm {
            login: person.login.as_str().to_owned(),
            name: person.name.as_str().to_owned(),
            role: person.role.as_str().to_owned(),
            region_id: person
                .region_id
                .as_ref()
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default(),
            employee_number: profile
                .map(|p| p.employee_number.as_str().to_owned())
                .unwrap_or_default(),
            service_card_number: profile
                .map(|p| p.service_card_number.as_str().to_owned())
                .unwrap_or_default(),
            skills: profile
                .map(|p| {
                    p.skills
                        .categories()
                        .iter()
                        .map(|c| c.as_str().to_owned())
                        .collect()
                })
                .unwrap_or_default(),
            service_point_id: profile
                .and_then(|p| p.service_point_id.as_ref())
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default(),
            working_from: profile
                .map(|p| p.working_hours.clock_times().0)
                .unwrap_or_default(),
            working_until: profile
                .map(|p| p.working_hours.clock_times().1)
                .unwrap_or_default(),
            brands: profile.map(|p| p.brands.to_text()).unwrap_or_default(),
        }
    }
}

/// An account as the admin desk lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub id: String,
    pub person: CheckedPerson,
    pub active: bool,
    pub region_name: Option<String>,
}

/// Why the store would not write an account that passed its own checks:
/// each names the form's field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonRefused {
    /// Another account already has this login, card number or employee number.
    Taken(&'static str),
    NoSuchRegion,
    /// The service point is not one of the person's region.
    ServicePointElsewhere,
}

impl PersonRefused {
    pub fn into_validation_error(self) -> ValidationError {
        match self {
            PersonRefused::Taken(field) => {
                ValidationError::new(field, Problem::BadFormat("already used by another account"))
            }
            PersonRefused::NoSuchRegion => {
                ValidationError::new("region_id", Problem::BadFormat("no such region"))
            }
            PersonRefused::ServicePointElsewhere => ValidationError::new(
                "service_point_id",
                Problem::BadFormat("choose a service point of the person's region"),
            ),
        }
    }
}

/// A region as the admin's form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionForm {
    pub name: String,
    /// IANA name, e.g. `Asia/Shanghai`; the server checks it exists.
    pub time_zone: String,
    /// The level of its services done from no particular service point.
    pub level: String,
}

/// A service point (网点) as the admin's form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePointForm {
    pub region_id: String,
    pub name: String,
    pub level: String,
    pub time_zone: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedRegion {
    pub name: RegionName,
    pub time_zone: String,
    pub level: ServicePointLevel,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedServicePoint {
    pub region_id: RecordId,
    pub name: ServicePointName,
    pub level: ServicePointLevel,
    pub time_zone: String,
}

fn level(text: &str) -> Result<ServicePointLevel, ValidationError> {
    ServicePointLevel::parse(text.trim()).ok_or_else(|| {
        ValidationError::new(
            "level",
            Problem::BadFormat("choose contracted, company-run or headquarters"),
        )
    })
}

/// The zone's name as given, trimmed; whether the tz database knows it is
/// the server's to check.
fn zone_name(text: &str) -> Result<String, ValidationError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(ValidationError::new("time_zone", Problem::Empty));
    }
    if name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
    {
        return Err(ValidationError::new(
            "time_zone",
            Problem::BadFormat("use an IANA name such as Asia/Shanghai"),
        ));
    }
    Ok(name.to_owned())
}

impl RegionForm {
    pub fn check(&self) -> Result<CheckedRegion, ValidationError> {
        Ok(CheckedRegion {
            name: RegionName::parse(&self.name)?,
            time_zone: zone_name(&self.time_zone)?,
            level: level(&self.level)?,
        })
    }
}

impl ServicePointForm {
    pub fn check(&self) -> Result<CheckedServicePoint, ValidationError> {
        Ok(CheckedServicePoint {
            region_id: RecordId::parse("region_id", &self.region_id)?,
            name: ServicePointName::parse(&self.name)?,
            level: level(&self.level)?,
            time_zone: zone_name(&self.time_zone)?,
        })
    }
}

/// A service point as the desk lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePointRecord {
    pub id: String,
    pub point: CheckedServicePoint,
}

/// A region with its service points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRecord {
    pub id: String,
    pub region: CheckedRegion,
    pub points: Vec<ServicePointRecord>,
}

/// Why the store would not write a region or a service point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceRefused {
    /// Another region, or another point of the region, has this name.
    NameTaken(&'static str),
    NoSuchRegion,
}

impl PlaceRefused {
    pub fn into_validation_error(self) -> ValidationError {
        match self {
            PlaceRefused::NameTaken(field) => {
                ValidationError::new(field, Problem::BadFormat("this name is already used"))
            }
            PlaceRefused::NoSuchRegion => {
                ValidationError::new("region_id", Problem::BadFormat("no such region"))
            }
        }
    }
}

/// An edit may change anything but the role: a technician's visits and a
/// dispatcher's follow-ups stay attached to the account they were made by,
/// so a new role means a new account.
pub fn check_edit(before: &CheckedPerson, after: &CheckedPerson) -> Result<(), ValidationError> {
    if before.role != after.role {
        return Err(ValidationError::new(
            "role",
            Problem::BadFormat("a role cannot change: deactivate this account and create another"),
        ));
    }
    Ok(())
}

/// Whether `actor` may switch `subject`'s account on or off: never their own,
/// so the last admin cannot lock everyone out by a slip.
pub fn check_activation(actor_id: &str, subject_id: &str) -> Result<(), ValidationError> {
    if actor_id == subject_id {
        return Err(ValidationError::new(
            "active",
            Problem::BadFormat("you cannot deactivate your own account"),
        ));
    }
    Ok(())
}

/// The one-time code an admin hands over so a person sets their own
/// password: 12 characters from an alphabet with no look-alikes (no 0/O,
/// 1/I/L), shown in groups of four, valid for a day and once.
pub mod password_code {
    use super::*;

    pub const ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    pub const LENGTH: usize = 12;
    pub const FIELD: &str = "code";
    /// Long enough to reach a technician starting tomorrow morning.
    pub const LIFETIME_MS: i64 = 24 * HOUR_MS;

    /// A code from 16 random bytes: 31^12 (about 2^59) codes, and the
    /// bytes' 2^128 values spread over them evenly to within 2^-69.
    pub fn from_random(random: [u8; 16]) -> String {
        let mut value = u128::from_be_bytes(random);
        let base = ALPHABET.len() as u128;
        (0..LENGTH)
            .map(|_| {
                let symbol = ALPHABET[(value % base) as usize];
                value /= base;
                char::from(symbol)
            })
            .collect()
    }

    /// The code as typed: any case, with or without spaces and dashes.
    pub fn normalise(typed: &str) -> Result<String, ValidationError> {
        let code: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.is_empty() {
            return Err(ValidationError::new(FIELD, Problem::Empty));
        }
        if code.chars().count() != LENGTH || !code.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(ValidationError::new(
                FIELD,
                Problem::BadFormat("a code is 12 letters and digits, as the admin gave it"),
            ));
        }
        Ok(code)
    }

    /// `ABCD-EFGH-JKMN`, for reading out or copying.
    pub fn display(code: &str) -> String {
        code.as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    pub fn expires_at(issued_at: Timestamp) -> Timestamp {
        Timestamp::from_unix_millis(issued_at.unix_millis() + LIFETIME_MS)
    }

    /// Whether a stored code still sets a password at `now`.
    pub fn usable(expires_at: Timestamp, used: bool, now: Timestamp) -> bool {
        !used && now < expires_at
    }
}

text_enum! {
    /// What an admin changed, as the audit log names it.
    pub enum AdminAction {
        PersonCreated = "person_created",
        PersonEdited = "person_edited",
        PersonDeactivated = "person_deactivated",
        PersonReactivated = "person_reactivated",
        PasswordCodeIssued = "password_code_issued",
        CallbackSamplingChanged = "callback_sampling_changed",
        ChecklistPublished = "checklist_published",
        FeeSchedulePublished = "fee_schedule_published",
        RegionSaved = "region_saved",
        ServicePointSaved = "service_point_saved",
        CompanyProfileSaved = "company_profile_saved",
        HeldWorkSettled = "held_work_settled",
        ComplaintOwnerChanged = "complaint_owner_changed",
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: Timestamp,
    pub actor_id: String,
    pub actor_name: String,
    pub action: AdminAction,
    /// What was changed, e.g. `user:<id>` or `callback_sampling`.
    pub subject: String,
    /// The subject's name where it has one (a person, a region, a service
    /// point, a complaint's customer), as it is now.
    #[serde(default)]
    pub subject_name: Option<String>,
    /// The record before and after, as JSON; None where there was none.
    pub before: Option<String>,
    pub after: Option<String>,
    /// What changed, field by field, read from the two.
    #[serde(default)]
    pub changes: Vec<super::audit::AuditChange>,
}

/// The company's name and service hotline as the admin's form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyForm {
    pub name: String,
    pub hotline: String,
}

/// The company as the service record and the customer's screens show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyProfile {
    pub name: super::validation::CompanyName,
    pub hotline: super::validation::Hotline,
}

impl CompanyForm {
    pub fn check(&self) -> Result<CompanyProfile, ValidationError> {
        Ok(CompanyProfile {
            name: super::validation::CompanyName::parse(&self.name)?,
            hotline: super::validation::Hotline::parse(&self.hotline)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::password_code;
    use super::*;
    use proptest::prelude::*;

    const REGION: &str = "0193a5e2-7c4b-7d2e-9f00-1234567890ab";

    fn technician_form() -> PersonForm {
        PersonForm {
            login: " Tech.Li ".into(),
            name: "李师傅".into(),
            role: "technician".into(),
            region_id: REGION.into(),
            employee_number: "T-0042".into(),
            service_card_number: "SC-2026-0042".into(),
            skills: vec!["dryer".into(), "washing_machine".into()],
            service_point_id: String::new(),
            working_from: "08:00".into(),
            working_until: "18:00".into(),
            brands: String::new(),
        }
    }

    #[test]
    fn a_technician_needs_region_card_number_and_skills() {
        let person = technician_form().check().unwrap();
        assert_eq!(person.login.as_str(), "tech.li");
        assert_eq!(person.role, Role::Technician);
        let profile = person.technician.as_ref().unwrap();
        assert_eq!(profile.skills.to_text(), "washing_machine,dryer");
        assert_eq!(PersonForm::of(&person).check().unwrap(), person);

        let missing = |change: fn(&mut PersonForm)| {
            let mut form = technician_form();
            change(&mut form);
            form.check().unwrap_err().field
        };
        assert_eq!(missing(|f| f.region_id.clear()), "region_id");
        assert_eq!(missing(|f| f.region_id = "north".into()), "region_id");
        assert_eq!(
            missing(|f| f.service_card_number.clear()),
            "service_card_number"
        );
        assert_eq!(missing(|f| f.employee_number.clear()), "employee_number");
        assert_eq!(missing(|f| f.skills.clear()), "skills");
        assert_eq!(missing(|f| f.skills = vec!["teleporter".into()]), "skills");
        assert_eq!(missing(|f| f.login = "x".into()), "login");
        assert_eq!(missing(|f| f.name = " ".into()), "name");
        assert_eq!(missing(|f| f.role = "owner".into()), "role");
        assert_eq!(
            missing(|f| f.working_until = "07:00".into()),
            "working_hours"
        );
        assert_eq!(missing(|f| f.working_from.clear()), "working_hours");
        assert_eq!(
            missing(|f| f.brands = (0..=Brands::MAX)
                .map(|n| format!("B{n}"))
                .collect::<Vec<_>>()
                .join(",")),
            "brands"
        );
    }

    #[test]
    fn a_technicians_hours_default_to_the_day_shift_and_brands_to_every_brand() {
        let mut form = technician_form();
        form.working_from.clear();
        form.working_until.clear();
        let profile = form.check().unwrap().technician.unwrap();
        assert_eq!(profile.working_hours, WorkingHours::DAY_SHIFT);
        assert!(profile.brands.is_empty());
        form.working_from = "10:00".into();
        form.working_until = "20:00".into();
        form.brands = "海尔、小天鹅".into();
        let person = form.check().unwrap();
        let profile = person.technician.as_ref().unwrap();
        assert_eq!(profile.working_hours.format(), "10:00–20:00");
        assert!(profile.brands.covers("小天鹅") && !profile.brands.covers("美的"));
        let again = PersonForm::of(&person);
        assert_eq!(again.brands, "海尔,小天鹅");
        assert_eq!(again.check().unwrap(), person);
    }

    #[test]
    fn only_a_technician_keeps_a_technicians_fields_and_an_admin_has_no_region() {
        let mut form = technician_form();
        form.role = "dispatcher".into();
        let dispatcher = form.check().unwrap();
        assert!(dispatcher.technician.is_none());
        assert!(dispatcher.region_id.is_some());
        form.role = "admin".into();
        form.region_id = "not even an id".into();
        let admin = form.check().unwrap();
        assert!(admin.region_id.is_none() && admin.technician.is_none());
    }

    #[test]
    fn places_name_their_bad_fields() {
        let point = ServicePointForm {
            region_id: REGION.into(),
            name: " 浦东金桥网点 ".into(),
            level: "contracted".into(),
            time_zone: "Asia/Shanghai".into(),
        };
        let checked = point.check().unwrap();
        assert_eq!(checked.name.as_str(), "浦东金桥网点");
        assert_eq!(checked.level, ServicePointLevel::Contracted);
        let field = |change: fn(&mut ServicePointForm)| {
            let mut form = point.clone();
            change(&mut form);
            form.check().unwrap_err().field
        };
        assert_eq!(field(|f| f.name.clear()), "service_point_name");
        assert_eq!(field(|f| f.level = "franchise".into()), "level");
        assert_eq!(field(|f| f.time_zone = " ".into()), "time_zone");
        assert_eq!(
            field(|f| f.time_zone = "Asia/Shang hai".into()),
            "time_zone"
        );
        assert_eq!(field(|f| f.region_id = "east".into()), "region_id");
        let region = RegionForm {
            name: "上海闵行服务区".into(),
            time_zone: "Asia/Shanghai".into(),
            level: "company_run".into(),
        };
        assert!(region.check().is_ok());
        let mut bad = region.clone();
        bad.name = "x".repeat(51);
        assert_eq!(bad.check().unwrap_err().field, "region_name");
    }

    #[test]
    fn a_technicians_service_point_is_optional_and_checked() {
        let mut form = technician_form();
        assert!(form
            .check()
            .unwrap()
            .technician
            .unwrap()
            .service_point_id
            .is_none());
        form.service_point_id = "0193a5e2-7c4b-7d2e-9f00-0000000000aa".into();
        let person = form.check().unwrap();
        assert!(person
            .technician
            .as_ref()
            .unwrap()
            .service_point_id
            .is_some());
        assert_eq!(PersonForm::of(&person), {
            let mut expected = form.clone();
            expected.login = "tech.li".into();
            expected.skills = vec!["washing_machine".into(), "dryer".into()];
            expected
        });
        form.service_point_id = "point seven".into();
        assert_eq!(form.check().unwrap_err().field, "service_point_id");
    }

    #[test]
    fn a_role_never_changes_and_nobody_switches_themselves_off() {
        let technician = technician_form().check().unwrap();
        let mut form = technician_form();
        form.role = "dispatcher".into();
        let dispatcher = form.check().unwrap();
        assert_eq!(
            check_edit(&technician, &dispatcher).unwrap_err().field,
            "role"
        );
        assert!(check_edit(&technician, &technician).is_ok());
        assert!(check_activation("a", "a").is_err());
        assert!(check_activation("a", "b").is_ok());
    }

    #[test]
    fn a_code_is_used_once_and_only_until_it_expires() {
        let issued = Timestamp::from_unix_millis(1_000_000);
        let expires = password_code::expires_at(issued);
        assert!(password_code::usable(expires, false, issued));
        let just_before = Timestamp::from_unix_millis(expires.unix_millis() - 1);
        assert!(password_code::usable(expires, false, just_before));
        assert!(!password_code::usable(expires, false, expires));
        assert!(!password_code::usable(expires, true, issued));
    }

    #[test]
    fn typed_codes_are_read_leniently_and_bad_ones_named() {
        let code = password_code::from_random([7; 16]);
        let shown = password_code::display(&code);
        assert_eq!(shown.len(), 14);
        assert_eq!(
            password_code::normalise(&shown.to_lowercase()).unwrap(),
            code
        );
        assert_eq!(
            password_code::normalise(&format!(" {} ", shown.replace('-', " "))).unwrap(),
            code
        );
        assert_eq!(
            password_code::normalise("").unwrap_err().problem,
            Problem::Empty
        );
        assert_eq!(
            password_code::normalise("ABCD-EFGH-JK0O")
                .unwrap_err()
                .field,
            "code"
        );
        assert!(password_code::normalise("ABCD-EFGH").is_err());
    }

    proptest! {
        #[test]
        fn every_code_reads_back_as_itself(random in any::<[u8; 16]>()) {
            let code = password_code::from_random(random);
            prop_assert_eq!(code.len(), password_code::LENGTH);
            prop_assert_eq!(password_code::normalise(&password_code::display(&code)).unwrap(), code);
        }

        #[test]
        fn distinct_randomness_gives_distinct_codes(a in any::<[u8; 16]>(), b in any::<[u8; 16]>()) {
            prop_assume!(a != b);
            // Distinct inputs below 31^12 map to distinct codes.
            let low = |r: [u8; 16]| u128::from_be_bytes(r) % 31u128.pow(12);
            prop_assume!(low(a) != low(b));
            prop_assert_ne!(password_code::from_random(a), password_code::from_random(b));
        }
    }
}
