use leptos::prelude::*;

use crate::api::error::AppError;

/// A checklist item ticked done (with an optional note and photo) or marked
/// not applicable with a reason, by the technician at the customer's home.
/// Empty text means "none"; every call carries an operation id made on the
/// device, and a repeat of it changes nothing.
#[server(prefix = "/api/visits", endpoint = "checklist")]
pub async fn record_checklist_answer(
    operation_id: String,
    visit_id: String,
    item_key: String,
    answer: String,
    note: String,
    photo_id: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::domain::checklist::ItemAnswer;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::Note;

    let step = super::technician_step(&operation_id, &visit_id).await?;
    let optional = |value: &str| !value.trim().is_empty();
    let at = Timestamp::now();
    let answer = match answer.trim() {
        "done" => ItemAnswer::Done {
            at,
            note: optional(&note).then(|| Note::parse(&note)).transpose()?,
            photo: optional(&photo_id)
                .then(|| RecordId::parse("photo_id", &photo_id))
                .transpose()?,
        },
        "not_applicable" => ItemAnswer::NotApplicable {
            at,
            reason: crate::api::visits::parse_not_applicable_reason(&reason)?,
        },
        other => {
            return Err(AppError::InvalidInput {
                field: "answer".into(),
                message: format!("expected done or not_applicable, not {other:?}"),
                problem: None,
            })
        }
    };
    record_checklist_answer_typed(&crate::context::store()?, &step, item_key.trim(), &answer).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn record_checklist_answer_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    item_key: &str,
    answer: &crate::domain::checklist::ItemAnswer,
) -> Result<(), AppError> {
    Ok(store
        .record_checklist_answer(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            item_key,
            answer,
        )
        .await?)
}
