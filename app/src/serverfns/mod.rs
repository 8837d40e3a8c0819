//! Server functions, grouped by area, one small file per action. Each checks
//! who is asking and their input, calls the store, and returns `AppError`;
//! its HTTP status comes from `AppError::status_code`, set in one place by
//! the server (`server/src/http/error.rs`).

pub mod admin;
pub mod auth;
pub mod callbacks;
pub mod complaints;
pub mod customers;
pub mod dashboard;
pub mod desk;
pub mod sync;
pub mod today;
pub mod visits;
pub mod work_orders;

/// Every server function's URL starts with this.
pub const PREFIX: &str = "/api/";

/// The regions a follow-up queue's caller works on: a dispatcher their
/// own (Some), an admin every region (None); anyone else is refused.
#[cfg(feature = "ssr")]
pub(crate) async fn queue_scope() -> Result<Option<String>, crate::api::error::AppError> {
    use crate::api::error::AppError;
    use crate::domain::auth::Role;
    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    match user.role {
        Role::Admin => Ok(None),
        _ => Ok(Some(user.region_id.clone().ok_or(AppError::Forbidden)?)),
    }
}
