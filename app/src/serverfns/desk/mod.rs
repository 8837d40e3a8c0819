//! The dispatcher's desk: the day board of a region, assignment, and
//! settling work held from phones.

mod assign_technician;
mod get_board;
mod get_day_plan;
mod get_suggestions;
mod settle_held_work;

pub use assign_technician::*;
pub use get_board::*;
pub use get_day_plan::*;
pub use get_suggestions::*;
pub use settle_held_work::*;

/// The region a desk call works on, and for an admin the regions to pick
/// from: the one named; else a dispatcher's own, an admin's first by name.
/// Refused when the caller may not manage it.
#[cfg(feature = "ssr")]
pub(crate) async fn desk_region(
    user: &crate::api::auth::CurrentUser,
    given: Option<&str>,
) -> Result<(crate::domain::ids::RecordId, Vec<(String, String)>), crate::api::error::AppError> {
    use crate::api::error::AppError;
    use crate::domain::auth::Role;

    // An admin works any region: the list to pick from.
    let regions = if user.role == Role::Admin {
        crate::context::store()?.region_names().await?
    } else {
        Vec::new()
    };
    let given = given.map(str::trim).filter(|given| !given.is_empty());
    let region = match (given, user.role) {
        (Some(given), _) => given.to_string(),
        (None, Role::Admin) => regions
            .first()
            .map(|(id, _)| id.clone())
            .ok_or(AppError::NotFound)?,
        (None, _) => user.region_id.clone().unwrap_or_default(),
    };
    let region = crate::domain::ids::RecordId::parse("region_id", &region)?;
    if !user.viewer().may_manage_region(region.as_str()) {
        return Err(AppError::Forbidden);
    }
    Ok((region, regions))
}
