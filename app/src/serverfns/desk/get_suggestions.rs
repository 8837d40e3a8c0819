use leptos::prelude::*;

use crate::api::desk::OrderSuggestions;
use crate::api::error::AppError;

/// Who should take a queued order: the region's technicians ranked by the
/// assignment rules, the drive the order adds to their day (the travel
/// model), their load and their on-time record; the best three with the
/// predicted arrival, everyone else with the reason they were passed over.
/// Proposes only: assigning is `assign_technician`.
#[server(prefix = "/api/desk", endpoint = "suggestions")]
pub async fn get_suggestions(work_order_id: String) -> Result<OrderSuggestions, AppError> {
    use crate::api::desk::{PassedOverTechnician, SuggestedTechnician};
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::planning::suggest::suggest;
    use crate::domain::planning::travel::ModelledTravel;
    use crate::domain::time::Timestamp;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let work_order_id = RecordId::parse("work_order_id", &work_order_id)?;
    let store = context::store()?;
    let inputs = store
        .suggestion_inputs(&work_order_id, Timestamp::now())
        .await?;
    if !user.viewer().may_manage_region(inputs.region.as_str()) {
        return Err(AppError::Forbidden);
    }
    let candidates: Vec<_> = inputs
        .candidates
        .iter()
        .map(|technician| technician.candidate.clone())
        .collect();
    let found = suggest(inputs.order, &candidates, &ModelledTravel::default());
    let who = |index: usize| {
        let technician = &inputs.candidates[index];
        (technician.id.to_string(), technician.name.clone())
    };
    Ok(OrderSuggestions {
        work_order_id: work_order_id.to_string(),
        order_located: inputs.order.place.is_some(),
        best: found
            .best
            .into_iter()
            .map(|suggested| {
                let (technician_id, name) = who(suggested.technician);
                SuggestedTechnician {
                    technician_id,
                    name,
                    suggested,
                }
            })
            .collect(),
        passed_over: found
            .passed_over
            .into_iter()
            .map(|(index, why)| {
                let (technician_id, name) = who(index);
                PassedOverTechnician {
                    technician_id,
                    name,
                    why,
                }
            })
            .collect(),
    })
}
