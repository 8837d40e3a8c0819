use leptos::prelude::*;

use crate::api::error::AppError;

/// Puts a technician of the order's region on it, inside the window agreed
/// with the customer (or a narrower one: local `YYYY-MM-DDTHH:MM`, both or
/// neither). The order's visit still to be made changes hands; otherwise a
/// visit is made with the id the screen sends. Answers the visit's id.
/// A full day, a crowded window or hours off shift answer
/// `AssignmentNeedsConfirmation` until `confirmed` names each of them
/// (comma-separated: `busy_day`, `crowded_window`, `outside_working_hours`).
#[server(prefix = "/api/desk", endpoint = "assign")]
pub async fn assign_technician(
    operation_id: String,
    work_order_id: String,
    technician_id: String,
    visit_id: String,
    window_start: Option<String>,
    window_end: Option<String>,
    confirmed: Option<String>,
) -> Result<String, AppError> {
    use crate::context;
    use crate::domain::assignment::WarningKind;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::{AppointmentWindow, Timestamp};
    use crate::store::assignments::Assignment;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let dispatcher = RecordId::parse("user", &user.id)?;
    let operation_id = RecordId::parse("operation_id", &operation_id)?;
    let work_order_id = RecordId::parse("work_order_id", &work_order_id)?;
    let technician_id = RecordId::parse("technician_id", &technician_id)?;
    let visit_id = RecordId::parse("visit_id", &visit_id)?;
    let zone = context::service_zone();
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let window = match (given(window_start), given(window_end)) {
        (None, None) => None,
        (Some(start), Some(end)) => Some(
            AppointmentWindow::new(
                zone.parse_local("window_start", &start)?,
                zone.parse_local("window_end", &end)?,
            )
            .map_err(|error| AppError::InvalidInput {
                field: "window_end".into(),
                message: error.to_string(),
                problem: None,
            })?,
        ),
        (None, Some(_)) | (Some(_), None) => {
            return Err(AppError::InvalidInput {
                field: "window_end".into(),
                message: "a window needs its start and its end".into(),
                problem: None,
            })
        }
    };
    let confirmed = confirmed
        .unwrap_or_default()
        .split(',')
        .filter(|kind| !kind.trim().is_empty())
        .map(|kind| {
            WarningKind::parse(kind).ok_or_else(|| AppError::InvalidInput {
                field: "confirmed".into(),
                message: format!("unknown warning {kind:?}"),
                problem: None,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let store = context::store()?;
    // A dispatcher manages their own region's orders only.
    let region = store
        .work_order(&work_order_id)
        .await?
        .ok_or(AppError::NotFound)?
        .region_id;
    if !user.viewer().may_manage_region(region.as_str()) {
        return Err(AppError::Forbidden);
    }
    let visit = store
        .assign(&Assignment {
            operation_id: &operation_id,
            dispatcher_id: &dispatcher,
            work_order_id: &work_order_id,
            technician_id: &technician_id,
            new_visit_id: &visit_id,
            window,
            confirmed: &confirmed,
            at: Timestamp::now(),
        })
        .await?;
    tracing::info!(work_order = %work_order_id, technician = %technician_id, user = %user.id, "technician assigned");
    Ok(visit.to_string())
}
