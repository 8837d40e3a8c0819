//! `GET /api/admin/audit.csv`: the whole audit log of admin changes as CSV,
//! oldest first, for admins. Times are in the server's service zone with
//! their UTC offset, so the file reads the same anywhere.

use std::collections::HashMap;

use app::api::error::AppError;
use app::auth::{session_token_in, user_of_session};
use app::domain::auth::Role;
use app::domain::time::format_local_date_time;
use app::store::Store;
use app::zone::ServiceZone;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::csv::csv_text;
use super::dashboard_export::{csv_answer, reader_locale};

/// Far above any real log's length; bounds one download's memory.
const MOST_ENTRIES: i64 = 1_000_000;

pub async fn export(
    State(store): State<Store>,
    State(zone): State<ServiceZone>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let locale = reader_locale(&params, &headers);
    csv_answer(csv(&store, zone, &headers).await, locale, "audit log")
}

async fn csv(
    store: &Store,
    zone: ServiceZone,
    headers: &HeaderMap,
) -> Result<(String, String), AppError> {
    let user = user_of_session(store, session_token_in(headers)).await?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let mut entries = store.audit_log(MOST_ENTRIES).await?;
    entries.reverse();
    let header = [
        "time",
        "actor_id",
        "actor_name",
        "action",
        "subject",
        "before",
        "after",
    ]
    .map(String::from);
    let rows = entries.iter().map(|entry| {
        let time = format!(
            "{} {}",
            format_local_date_time(entry.at, zone.offset_at(entry.at)),
            zone.offset_at(entry.at)
        );
        [
            time,
            entry.actor_id.clone(),
            entry.actor_name.clone(),
            entry.action.as_str().to_owned(),
            entry.subject.clone(),
            entry.before.clone().unwrap_or_default(),
            entry.after.clone().unwrap_or_default(),
        ]
    });
    let text = csv_text(std::iter::once(header).chain(rows), false).map_err(|error| {
        tracing::error!(%error, "audit CSV not written");
        AppError::Internal
    })?;
    Ok(("doorstep-audit-log.csv".to_owned(), text))
}
