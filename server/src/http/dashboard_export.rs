//! `GET /api/dashboard/export.csv?table=…`: a table of the dashboard as CSV,
//! with the page's filters and the reader's language. Outside the server
//! functions because the answer is a file; the same session, role and
//! region rules decide what it holds.

use std::collections::HashMap;

use app::api::dashboard::DashboardQuery;
use app::api::error::AppError;
use app::auth::{session_token_in, user_of_session};
use app::domain::auth::Role;
use app::domain::time::Timestamp;
use app::i18n::Locale;
use app::serverfns::dashboard::load_dashboard;
use app::store::Store;
use app::zone::ServiceZone;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::dashboard_tables::dashboard_csv;

pub async fn export(
    State(store): State<Store>,
    State(zone): State<ServiceZone>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let locale = reader_locale(&params, &headers);
    csv_answer(
        csv(&store, zone, &params, &headers, locale).await,
        locale,
        "dashboard",
    )
}

/// The reader's language: `?lang=`, else their locale cookie.
pub(super) fn reader_locale(params: &HashMap<String, String>, headers: &HeaderMap) -> Locale {
    params
        .get("lang")
        .and_then(|tag| Locale::from_tag(tag))
        .or_else(|| {
            headers
                .get(header::COOKIE)
                .and_then(|value| value.to_str().ok())
                .and_then(Locale::from_cookie_header)
        })
        .unwrap_or_default()
}

/// A CSV download (file name, text), or the error in the reader's language
/// with its own status.
pub(super) fn csv_answer(
    result: Result<(String, String), AppError>,
    locale: Locale,
    what: &str,
) -> Response {
    match result {
        Ok((filename, text)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
                        .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            text,
        )
            .into_response(),
        Err(error) => {
            if error.status_code() >= 500 {
                tracing::error!(%error, what, "CSV export failed");
            }
            let status = StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                )],
                match &error {
                    // The field named, as the server functions' errors do.
                    AppError::InvalidInput { field, .. } => {
                        format!("{field}: {}", error.user_message(locale.messages()))
                    }
                    _ => error.user_message(locale.messages()),
                },
            )
                .into_response()
        }
    }
}

async fn csv(
    store: &Store,
    zone: ServiceZone,
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    locale: Locale,
) -> Result<(String, String), AppError> {
    let user = user_of_session(store, session_token_in(headers)).await?;
    if !matches!(user.role, Role::Dispatcher | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let field = |name: &str| params.get(name).cloned().unwrap_or_default();
    let query = DashboardQuery {
        period: field("period"),
        date: field("date"),
        to: field("to"),
        region: field("region"),
        technician: field("technician"),
    };
    let table = field("table");
    let dashboard = load_dashboard(store, &user, query, zone, Timestamp::now()).await?;
    let text = dashboard_csv(&dashboard, &table, locale)?;
    let filename = format!(
        "doorstep-{table}-{}-{}.csv",
        dashboard.query.period, dashboard.query.date
    );
    Ok((filename, text))
}
