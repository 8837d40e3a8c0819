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
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::ids::RecordId;
    use crate::domain::insight::{FieldInsight, InsightCategory};
    use crate::domain::time::Timestamp;
    use crate::domain::validation::{Note, ValidationError};

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let insight = FieldInsight {
        id: RecordId::parse("insight_id", &insight_id)?,
        visit_id,
        category: InsightCategory::parse(&category).ok_or_else(|| AppError::InvalidInput {
            field: "category".into(),
            message: format!("unknown category {category:?}"),
        })?,
        note: Note::parse(&note).map_err(|error| ValidationError::new("note", error.problem))?,
        written_at: Timestamp::now(),
    };
    context::store()?
        .add_field_insight(&operation_id, &technician, &insight)
        .await
        .map_err(AppError::from)
}
