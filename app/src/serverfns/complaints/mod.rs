//! Following complaints up: the dispatchers' queue of complaint steps due
//! today or overdue, recording each step, and who owns each complaint.

mod change_complaint_owner;
mod get_complaint_owners;
mod get_complaint_queue;
mod record_complaint_step;
mod take_phone_complaint;

pub use change_complaint_owner::*;
pub use get_complaint_owners::*;
pub use get_complaint_queue::*;
pub use record_complaint_step::*;
pub use take_phone_complaint::*;

/// Every complaint action's check: the complaint is there (404 if not),
/// and it is of the caller's region, or the caller is an admin (403 if not).
#[cfg(feature = "ssr")]
pub(crate) async fn check_complaint_region(
    store: &crate::store::Store,
    user: &crate::api::auth::CurrentUser,
    complaint_id: &crate::domain::ids::RecordId,
) -> Result<(), crate::api::error::AppError> {
    use crate::api::error::AppError;
    let region = store
        .complaint_region(complaint_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.viewer().may_manage_region(&region) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
