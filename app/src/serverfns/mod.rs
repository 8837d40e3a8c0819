//! Server functions, grouped by area, one small file per action. Each checks
//! who is asking and their input, calls the store, and returns `AppError`.

pub mod admin;
pub mod auth;
pub mod callbacks;
pub mod complaints;
pub mod customers;
pub mod dashboard;
pub mod desk;
pub mod sync;
pub mod today;
pub mod visits;
pub mod work_orders;

/// Every server function's URL starts with this.
pub const PREFIX: &str = "/api/";

/// Reading the text fields a form sends into numbers, with the field named
/// when they are not.
#[cfg(feature = "ssr")]
pub mod input {
    use crate::error::AppError;

    pub fn whole_number<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, AppError> {
        value.trim().parse().map_err(|_| AppError::InvalidInput {
            field: field.into(),
            message: format!("expected a whole number, not {:?}", value.trim()),
        })
    }
}

/// What the server wiring provides to every server function.
#[cfg(feature = "ssr")]
pub mod context {
    use crate::auth::CookieSecurity;
    use crate::error::AppError;
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

    pub fn cookie_security() -> CookieSecurity {
        use_context::<CookieSecurity>().unwrap_or_default()
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

    /// The regions a follow-up queue's caller works on: a dispatcher their
    /// own (Some), an admin every region (None); anyone else is refused.
    pub async fn queue_scope() -> Result<Option<String>, AppError> {
        use crate::domain::auth::Role;
        let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
        match user.role {
            Role::Admin => Ok(None),
            _ => Ok(Some(user.region_id.clone().ok_or(AppError::Forbidden)?)),
        }
    }

    /// Every server function ends here, so each error answers with its own
    /// HTTP status.
    pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        result.map_err(AppError::into_response_error)
    }
}
