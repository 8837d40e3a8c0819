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
    use crate::api::visits::whole_number;
    use crate::domain::device_clock::DeviceClock;
    use crate::domain::time::Timestamp;
    use crate::domain::visit::{PositionFix, VisitEvent};

    let number = |field: &'static str, value: &str| -> Result<f64, AppError> {
        value
            .trim()
            .parse::<f64>()
            .map_err(|_| AppError::InvalidInput {
                field: field.into(),
                message: format!("expected a number, not {:?}", value.trim()),
                problem: None,
            })
    };
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());

    let step = super::technician_step(&operation_id, &visit_id).await?;
    let event = VisitEvent::parse(&event).ok_or_else(|| AppError::InvalidInput {
        field: "event".into(),
        message: format!("unknown step {event:?}"),
        problem: None,
    })?;
    let device = given(device_time_ms)
        .map(|ms| whole_number::<i64>("device_time_ms", &ms))
        .transpose()?
        .map(Timestamp::from_unix_millis);
    let fix = match (given(latitude), given(longitude), given(accuracy_m)) {
        (None, None, None) => None,
        (Some(lat), Some(lon), Some(acc)) => Some(PositionFix::new(
            number("latitude", &lat)?,
            number("longitude", &lon)?,
            number("accuracy_m", &acc)?,
        )?),
        _ => {
            return Err(AppError::InvalidInput {
                field: "latitude".into(),
                message: "a position needs latitude, longitude and accuracy".into(),
                problem: None,
            })
        }
    };
    let clock = DeviceClock {
        made_at: device,
        skew_ms: None,
    };
    record_visit_event_typed(&crate::context::store()?, &step, event, fix, clock).await
}

/// The action itself, for every caller (this server function, the sync,
/// which also knows how far the phone's clock is from ours). Only the
/// technician's own steps are theirs to take; a position is kept at
/// check-in only.
#[cfg(feature = "ssr")]
pub(crate) async fn record_visit_event_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    event: crate::domain::visit::VisitEvent,
    fix: Option<crate::domain::visit::PositionFix>,
    clock: crate::domain::device_clock::DeviceClock,
) -> Result<VisitStatus, AppError> {
    use crate::domain::visit::VisitEvent;
    use crate::store::visits::StepMoment;

    if !event.is_technicians_step() {
        tracing::warn!(user = %step.technician, visit_id = %step.visit_id, event = event.as_str(), "a step that is not the technician's");
        return Err(AppError::Forbidden);
    }
    let moment = StepMoment {
        server: crate::domain::time::Timestamp::now(),
        device: clock,
        fix: fix.filter(|_| event == VisitEvent::CheckIn),
    };
    Ok(store
        .apply_visit_event(
            step.operation_id.as_str(),
            step.visit_id.as_str(),
            step.technician.as_str(),
            event,
            moment,
        )
        .await?)
}
