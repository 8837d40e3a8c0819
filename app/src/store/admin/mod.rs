//! The admin desk's writes, by aggregate: people with their one-time
//! password codes (`people`), regions and service points (`places`), and
//! the audit log every change adds to in its own transaction (`audit`), so
//! no admin change is ever stored without its audit entry or the other way
//! round.

mod audit;
mod company;
mod people;
mod places;

pub use audit::{person_json, record_audit, AuditNote};
pub use people::NewPasswordCode;

use audit::subject_of_user;

use sqlx::{Any, Executor, Row};

use super::accounts::{insert_user, NewUser, StoredUser};
use super::regions::insert_technician;
use super::{corrupt, flag, Store, StoreError};
use crate::domain::admin::{
    AdminAction, AuditEntry, CheckedPerson, CheckedRegion, CheckedServicePoint, PersonRecord,
    PersonRefused, PlaceRefused, RegionRecord, ServicePointRecord, TechnicianProfile,
};
use crate::domain::auth::{LoginName, Role};
use crate::domain::callback::ServicePointLevel;
use crate::domain::ids::RecordId;
use crate::domain::technician::{Brands, Skills, Technician};
use crate::domain::time::Timestamp;
use crate::domain::validation::{
    EmployeeNumber, PersonName, RegionName, ServiceCardNumber, ServicePointName,
};

/// Why an admin change was not written.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// No account, region or service point with that id.
    #[error("no such record")]
    NotFound,
    /// The account clashes with the database; names the form's field.
    #[error("account refused: {0:?}")]
    Person(PersonRefused),
    /// The region or service point clashes with the database.
    #[error("place refused: {0:?}")]
    Place(PlaceRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<PersonRefused> for AdminError {
    fn from(refused: PersonRefused) -> Self {
        AdminError::Person(refused)
    }
}

impl From<PlaceRefused> for AdminError {
    fn from(refused: PlaceRefused) -> Self {
        AdminError::Place(refused)
    }
}

impl From<sqlx::Error> for AdminError {
    fn from(error: sqlx::Error) -> Self {
        AdminError::Store(StoreError::from(error))
    }
}
