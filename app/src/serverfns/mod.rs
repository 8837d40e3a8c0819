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

/// Who reads a follow-up queue and over which regions: a dispatcher their
/// own (Some), an admin every region (None); anyone else is refused.
#[cfg(feature = "ssr")]
pub(crate) struct QueueScope {
    pub viewer_id: String,
    pub region: Option<String>,
}

#[cfg(feature = "ssr")]
pub(crate) async fn queue_scope() -> Result<QueueScope, crate::api::error::AppError> {
    use crate::api::error::AppError;
    use crate::domain::auth::Role;
    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let region = match user.role {
        Role::Admin => None,
        _ => Some(user.region_id.clone().ok_or(AppError::Forbidden)?),
    };
    Ok(QueueScope {
        viewer_id: user.id,
        region,
    })
}
