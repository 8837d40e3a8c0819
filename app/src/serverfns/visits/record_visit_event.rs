use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::visit::VisitStatus;

/// A technician's step on their visit (set off, check in, …). Every call
/// carries an operation id made on the device; repeating it is harmless.
/// The device's clock comes with it, and at check-in the phone's position
/// when the technician allows it (latitude, longitude and accuracy in
/// metres, all three or none).
#[server(prefix = "/api/visits", endpoint = "event")]
pub async fn record_visit_event(
    operation_id: String,
    visit_id: String,
    event: String,
    device_time_ms: Option<String>,
    latitude: Option<String>,
    longitude: Option<String>,
    accuracy_m: Option<String>,
) -> Result<VisitStatus, AppError> {
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::time::Timestamp;
    use crate::domain::visit::{CheckInFix, VisitEvent};
    use crate::serverfns::input;
    use crate::store::visits::StepMoment;

    let number = |field: &'static str, value: &str| -> Result<f64, AppError> {
        value
            .trim()
            .parse::<f64>()
            .map_err(|_| AppError::InvalidInput {
                field: field.into(),
                message: format!("expected a number, not {:?}", value.trim()),
            })
    };
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let event = VisitEvent::parse(&event).ok_or_else(|| AppError::InvalidInput {
        field: "event".into(),
        message: format!("unknown step {event:?}"),
    })?;
    if !event.is_technicians_step() {
        tracing::warn!(user = %technician, %visit_id, event = event.as_str(), "a step that is not the technician's");
        return Err(AppError::Forbidden);
    }
    let device = given(device_time_ms)
        .map(|ms| input::whole_number::<i64>("device_time_ms", &ms))
        .transpose()?
        .map(Timestamp::from_unix_millis);
    let fix = match (given(latitude), given(longitude), given(accuracy_m)) {
        (None, None, None) => None,
        (Some(lat), Some(lon), Some(acc)) => Some(CheckInFix::new(
            number("latitude", &lat)?,
            number("longitude", &lon)?,
            number("accuracy_m", &acc)?,
        )?),
        _ => {
            return Err(AppError::InvalidInput {
                field: "latitude".into(),
                message: "a position needs latitude, longitude and accuracy".into(),
            })
        }
    };
    let moment = StepMoment {
        server: Timestamp::now(),
        device: context::device_clock(device),
        fix: fix.filter(|_| event == VisitEvent::CheckIn),
    };
    let store = context::store()?;
    store
        .apply_visit_event(
            operation_id.as_str(),
            visit_id.as_str(),
            technician.as_str(),
            event,
            moment,
        )
        .await
        .map_err(AppError::from)
}
