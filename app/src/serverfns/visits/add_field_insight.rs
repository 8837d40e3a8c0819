use leptos::prelude::*;

use crate::api::error::AppError;

/// A field-insight note (product defect or user suggestion) on one of the
/// technician's visits, at any stage of it.
#[server(prefix = "/api/visits", endpoint = "insight")]
pub async fn add_field_insight(
    operation_id: String,
    visit_id: String,
    insight_id: String,
    category: String,
    note: String,
) -> Result<(), AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let insight_id = crate::domain::ids::RecordId::parse("insight_id", &insight_id)?;
    let (category, note) = crate::api::visits::parse_insight(&category, &note)?;
    add_field_insight_typed(&crate::context::store()?, &step, insight_id, category, note).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn add_field_insight_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    insight_id: crate::domain::ids::RecordId,
    category: crate::domain::insight::InsightCategory,
    note: crate::domain::validation::Note,
) -> Result<(), AppError> {
    let insight = crate::domain::insight::FieldInsight {
        id: insight_id,
        visit_id: step.visit_id.clone(),
        category,
        note,
        written_at: crate::domain::time::Timestamp::now(),
    };
    Ok(store
        .add_field_insight(&step.operation_id, &step.technician, &insight)
        .await?)
}
