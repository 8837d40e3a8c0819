//! The admin desk: people's accounts and their one-time password codes, the
//! checklist template's and the fee schedule's versions, and
//! the audit log of every admin change. Admins only.

mod create_person;
mod edit_person;
mod get_audit_log;
mod get_checklist_desk;
mod get_fee_desk;
mod get_people;
mod get_places;
mod issue_password_code;
mod publish_checklist;
mod publish_fee_schedule;
mod save_region;
mod save_service_point;
mod set_person_active;

pub use create_person::*;
pub use edit_person::*;
pub use get_audit_log::*;
pub use get_checklist_desk::*;
pub use get_fee_desk::*;
pub use get_people::*;
pub use get_places::*;
pub use issue_password_code::*;
pub use publish_checklist::*;
pub use publish_fee_schedule::*;
pub use save_region::*;
pub use save_service_point::*;
pub use set_person_active::*;

use serde::{Deserialize, Serialize};

use crate::domain::admin::PersonRecord;
use crate::domain::charges::FeeSchedule;
use crate::domain::checklist::ChecklistTemplate;
use crate::domain::time::Timestamp;

/// A region to choose for a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionChoice {
    pub id: String,
    pub name: String,
}

/// A service point to choose for a technician of its region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePointChoice {
    pub id: String,
    pub region_id: String,
    pub name: String,
}

/// The people page: every account, and the regions and service points to
/// place them in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleDesk {
    pub people: Vec<PersonRecord>,
    pub regions: Vec<RegionChoice>,
    pub points: Vec<ServicePointChoice>,
}

/// The checklist page: the template new visits run by, and every version
/// published (number and when), newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistDesk {
    pub current: ChecklistTemplate,
    pub versions: Vec<(u32, Timestamp)>,
}

/// The fee schedule page: the version new visits are charged by, each
/// category's items in it, and every version published, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeDesk {
    pub version: u32,
    pub schedules: Vec<FeeSchedule>,
    pub versions: Vec<(u32, Timestamp)>,
}

/// A one-time code for the admin to hand over, shown once and never stored
/// in the clear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub person_id: String,
    pub login: String,
    /// Grouped for reading out: `ABCD-EFGH-JKMN`.
    pub code: String,
    pub expires_at: Timestamp,
}

/// A new account and the code its owner sets their password with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCreated {
    pub person: PersonRecord,
    pub code: IssuedCode,
}

/// Makes a code, stores its hash through `store_it`, and returns it for
/// the admin to read out.
#[cfg(feature = "ssr")]
pub(crate) fn fresh_code(
    person_id: &str,
    login: &str,
    now: Timestamp,
) -> Result<(IssuedCode, String), crate::error::AppError> {
    use crate::domain::admin::password_code;
    let code = crate::auth::new_password_code()?;
    let hash = crate::auth::token_hash(&code);
    Ok((
        IssuedCode {
            person_id: person_id.to_owned(),
            login: login.to_owned(),
            code: password_code::display(&code),
            expires_at: password_code::expires_at(now),
        },
        hash,
    ))
}

/// A time zone the tz database knows, or the field named.
#[cfg(feature = "ssr")]
pub(crate) fn known_zone(name: &str) -> Result<(), crate::error::AppError> {
    crate::zone::ServiceZone::from_name(name)
        .map(|_| ())
        .map_err(|error| crate::error::AppError::InvalidInput {
            field: "time_zone".into(),
            message: error.to_string(),
        })
}

/// The record the form edits, or a new id when it makes one (`id` empty).
#[cfg(feature = "ssr")]
pub(crate) fn id_or_new(
    id: &str,
) -> Result<(crate::domain::ids::RecordId, bool), crate::error::AppError> {
    if id.trim().is_empty() {
        Ok((crate::sync::new_id(), true))
    } else {
        Ok((crate::domain::ids::RecordId::parse("id", id)?, false))
    }
}
