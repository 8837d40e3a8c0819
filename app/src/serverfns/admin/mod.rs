//! The admin desk: people's accounts and their one-time password codes, the
//! checklist template's and the fee schedule's versions, and
//! the audit log of every admin change. Admins only.

mod create_person;
mod edit_person;
mod get_audit_log;
mod get_checklist_desk;
mod get_company_profile;
mod get_fee_desk;
mod get_people;
mod get_places;
mod issue_password_code;
mod publish_checklist;
mod publish_fee_schedule;
mod save_company_profile;
mod save_region;
mod save_service_point;
mod set_person_active;

pub use create_person::*;
pub use edit_person::*;
pub use get_audit_log::*;
pub use get_checklist_desk::*;
pub use get_company_profile::*;
pub use get_fee_desk::*;
pub use get_people::*;
pub use get_places::*;
pub use issue_password_code::*;
pub use publish_checklist::*;
pub use publish_fee_schedule::*;
pub use save_company_profile::*;
pub use save_region::*;
pub use save_service_point::*;
pub use set_person_active::*;

#[cfg(feature = "ssr")]
use crate::api::admin::IssuedCode;
#[cfg(feature = "ssr")]
use crate::domain::time::Timestamp;

/// Makes a code, stores its hash through `store_it`, and returns it for
/// the admin to read out.
#[cfg(feature = "ssr")]
pub(crate) fn fresh_code(
    person_id: &str,
    login: &str,
    now: Timestamp,
) -> Result<(IssuedCode, String), crate::api::error::AppError> {
    use crate::domain::admin::password_code;
    let code = crate::auth::new_password_code()?;
    let hash = crate::hashing::token_hash(&code);
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
pub(crate) fn known_zone(name: &str) -> Result<(), crate::api::error::AppError> {
    crate::zone::ServiceZone::from_name(name)
        .map(|_| ())
        .map_err(|error| crate::api::error::AppError::InvalidInput {
            field: "time_zone".into(),
            message: error.to_string(),
            problem: None,
        })
}

/// The record the form edits, or a new id when it makes one (`id` empty).
#[cfg(feature = "ssr")]
pub(crate) fn id_or_new(
    id: &str,
) -> Result<(crate::domain::ids::RecordId, bool), crate::api::error::AppError> {
    if id.trim().is_empty() {
        Ok((crate::domain::ids::new_id()?, true))
    } else {
        Ok((crate::domain::ids::RecordId::parse("id", id)?, false))
    }
}
