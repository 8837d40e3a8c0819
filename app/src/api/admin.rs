//! The admin desk: people's accounts and their one-time password codes, the
//! checklist template's and the fee schedule's versions, and
//! the audit log of every admin change. Admins only.

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
    /// The admin reading the desk: their own row offers no switch.
    pub viewer_id: String,
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
