use leptos::prelude::*;

use crate::api::error::AppError;

/// Records a complaint's next step: the reply (what was said), the handling
/// result, the rectification sheet (its five parts) or the customer's
/// callback. By the complaint's region's dispatchers and admins.
#[server(prefix = "/api/complaints", endpoint = "step")]
pub async fn record_complaint_step(
    complaint_id: String,
    step: String,
    note: String,
    sheet: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::complaint::RectificationSheet;
    use crate::domain::complaint_clock::ComplaintStep;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::{Note, ValidationError};

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let complaint_id = RecordId::parse("complaint_id", &complaint_id)?;
    let step = ComplaintStep::parse(step.trim()).ok_or_else(|| AppError::InvalidInput {
        field: "step".into(),
        message: format!(
            "expected reply, handling_result, rectification or customer_callback, not {step:?}"
        ),
        problem: None,
    })?;
    let store = context::store()?;
    super::check_complaint_region(&store, &user, &complaint_id).await?;
    let details = if step == ComplaintStep::Rectification {
        let parts = sheet.unwrap_or_default();
        let part = |n: usize| parts.get(n).map(String::as_str).unwrap_or_default();
        let sheet = RectificationSheet::parse([part(0), part(1), part(2), part(3), part(4)])?;
        serde_json::to_string(&sheet).map_err(|error| {
            tracing::error!(%error, "rectification sheet not serialisable");
            AppError::Internal
        })?
    } else {
        Note::parse(&note)
            .map_err(|error| ValidationError::new("note", error.problem))?
            .as_str()
            .to_string()
    };
    store
        .record_complaint_step(
            &complaint_id,
            step,
            &details,
            &RecordId::parse("user", &user.id)?,
            Timestamp::now(),
        )
        .await
        .map_err(AppError::from)
}
