//! What the server wiring provides to server functions and the session
//! checks: the store, the service zone, the response's
//! cookies, and the phone's clock for the operation being applied.

use crate::api::error::AppError;
use crate::store::Store;
use crate::zone::ServiceZone;
use leptos::prelude::use_context;

pub fn store() -> Result<Store, AppError> {
    use_context::<Store>().ok_or_else(|| {
        tracing::error!("Store missing from the server function context");
        AppError::Internal
    })
}

pub fn service_zone() -> ServiceZone {
    use_context::<ServiceZone>().unwrap_or(ServiceZone::DEFAULT)
}

pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The phone's clock for the operation being applied: the sync's, which
/// knows how far the phone's clock is from ours, or else the time the
/// action itself sent.
pub fn device_clock(
    sent: Option<crate::domain::time::Timestamp>,
) -> crate::domain::device_clock::DeviceClock {
    use_context::<crate::domain::device_clock::DeviceClock>().unwrap_or(
        crate::domain::device_clock::DeviceClock {
            made_at: sent,
            skew_ms: None,
        },
    )
}
