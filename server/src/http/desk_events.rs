//! `GET /api/desk/events`: server-sent events for the dispatcher's board.
//! Each event is a visit of the caller's region that changed (a step on a
//! phone, a sign-off, an assignment); the board reloads on it. Only
//! dispatchers and admins listen, and each hears only the visits they may
//! read. The session is checked again before each event: a logout, an
//! expiry or a deactivated account ends the stream.

use std::convert::Infallible;

use app::api::error::AppError;
use app::auth::{session_token_in, user_of_session};
use app::domain::auth::Role;
use app::store::Store;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::RecvError;

pub async fn desk_events(State(store): State<Store>, headers: HeaderMap) -> Response {
    let token = session_token_in(&headers);
    match user_of_session(&store, token.clone()).await {
        Ok(user) if matches!(user.role, Role::Dispatcher | Role::Admin) => {}
        Ok(_) => return StatusCode::FORBIDDEN.into_response(),
        Err(error) => return status_of(&error).into_response(),
    }
    let changes = store.subscribe();
    let events = futures::stream::unfold(
        (changes, store, token),
        |(mut changes, store, token)| async move {
            loop {
                let visit_id = match changes.recv().await {
                    Ok(visit_id) => visit_id,
                    // Missed some: an event with no visit makes the board reload anyway.
                    Err(RecvError::Lagged(_)) => String::new(),
                    Err(RecvError::Closed) => return None,
                };
                let Ok(user) = user_of_session(&store, token.clone()).await else {
                    return None;
                };
                let readable = visit_id.is_empty()
                    || match store.visit_place(&visit_id).await {
                        Ok(Some(place)) => user.viewer().may_read_visit(place.as_place()),
                        Ok(None) => false,
                        Err(error) => {
                            tracing::warn!(%error, "board event: visit place unreadable");
                            false
                        }
                    };
                if readable {
                    let event = Event::default().data(visit_id);
                    return Some((Ok::<_, Infallible>(event), (changes, store, token)));
                }
            }
        },
    );
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
