use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::callbacks::{CallAnswerInput, CallRecorded};
use crate::api::error::AppError;

/// Records what the customer said on a callback, tracking or survey call:
/// "was it fixed?", the five ratings, a comment, and what it opens (a
/// complaint owned by the caller, a repeat work order for the same
/// appliance and fault). By the visit's region's dispatchers and admins.
#[server(prefix = "/api/callbacks", endpoint = "record", input = Json)]
pub async fn record_follow_up_call(input: CallAnswerInput) -> Result<CallRecorded, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::callback::FollowUpKind;
    use crate::domain::ids::RecordId;
    use crate::domain::time::{AppointmentWindow, Timestamp};
    use crate::store::follow_up_calls::OpenedIds;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let visit_id = RecordId::parse("visit_id", &input.visit_id)?;
    let kind = FollowUpKind::parse(input.kind.trim()).ok_or_else(|| AppError::InvalidInput {
        field: "kind".into(),
        message: format!(
            "expected callback, tracking or survey, not {:?}",
            input.kind
        ),
        problem: None,
    })?;
    let store = context::store()?;
    let region = store
        .follow_up_call_region(&visit_id, kind)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.viewer().may_manage_region(&region) {
        return Err(AppError::Forbidden);
    }
    let repeat_window = if input.answer.repeat_fault.trim().is_empty() {
        None
    } else {
        let zone = context::service_zone();
        Some(
            AppointmentWindow::new(
                zone.parse_local("repeat_start", &input.repeat_start)?,
                zone.parse_local("repeat_end", &input.repeat_end)?,
            )
            .map_err(|error| AppError::InvalidInput {
                field: "repeat_end".into(),
                message: error.to_string(),
                problem: None,
            })?,
        )
    };
    let answer = input.answer.check(repeat_window)?;
    let opened = store
        .record_follow_up_call(
            &visit_id,
            kind,
            &answer,
            (&RecordId::parse("user", &user.id)?, Timestamp::now()),
            OpenedIds {
                complaint_id: crate::domain::ids::new_id()?,
                work_order_id: crate::domain::ids::new_id()?,
            },
        )
        .await?;
    tracing::info!(visit = %visit_id, kind = kind.as_str(), user = %user.id,
        complaint = ?opened.complaint_id, repeat = ?opened.repeat_work_order_id,
        "follow-up call recorded");
    Ok(opened)
}
