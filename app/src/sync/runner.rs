//! The outbox at work in the browser: read back from the phone's store when
//! the app starts, saved on every change, and sent in order on app start,
//! when the network returns, when the page becomes visible, after each new
//! change, and on a timer that backs off while the server can't be reached.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::device_store::{self, keys};

use super::outbox::{self, Delivery, Outbox, Pending};
use super::SyncState;
use crate::api::error::AppError;
use crate::api::sync::{Change, KitVisit, SentOperation, VisitOperation};
use crate::domain::time::Timestamp;
use crate::serverfns::sync::{apply_operation, get_offline_kit, upload_photo_piece};

/// Base64 characters per piece of a photo: a piece a slow uplink sends in
/// a few seconds, so a broken-off upload loses little.
const PHOTO_PIECE: usize = 48 * 1024;

pub(super) fn not_kept(detail: String) -> AppError {
    leptos::logging::error!("the phone's store refused a write: {detail}");
    AppError::Conflict {
        message: "this phone could not keep the change (its storage is full or blocked)".into(),
    }
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

pub(super) fn start(state: SyncState) {
    // Effects run in the browser only, after hydration.
    Effect::new(move |started: Option<()>| {
        if started.is_some() {
            return;
        }
        state.online.set(browser_online());
        spawn_local(async move {
            if let Some(text) = device_store::read(keys::OUTBOX).await {
                match serde_json::from_str::<Outbox<_>>(&text) {
                    Ok(kept) => state.outbox.set(kept),
                    Err(error) => {
                        // Never written over: kept aside whole for support
                        // to recover, rather than lost to an empty outbox.
                        leptos::logging::error!("kept outbox unreadable: {error}");
                        let aside = format!("{}-unreadable-{}", keys::OUTBOX, now_ms());
                        if device_store::write(&aside, &text).await.is_err() {
                            return;
                        }
                    }
                }
            }
            state.ready.set(true);
            flush(state);
        });
        let back = window_event_listener(leptos::ev::online, move |_| {
            state.online.set(true);
            state.outbox.update(Outbox::connection_returned);
            flush(state);
            refresh_kit(state);
        });
        let gone = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
        let shown = window_event_listener_untyped("visibilitychange", move |_| {
            let visible = document().visibility_state() == web_sys::VisibilityState::Visible;
            if visible {
                state.online.set(browser_online());
                state.outbox.update(Outbox::connection_returned);
                flush(state);
            }
        });
        on_cleanup(move || {
            back.remove();
            gone.remove();
            shown.remove();
        });
    });
}

pub(super) async fn save_outbox(state: SyncState) -> Result<(), AppError> {
    // Before the kept outbox is read back, writing would put an empty one
    // over it.
    if !state.ready.get_untracked() {
        return Err(AppError::Unavailable);
    }
    let text = state
        .outbox
        .with_untracked(serde_json::to_string)
        .map_err(|error| not_kept(error.to_string()))?;
    device_store::write(keys::OUTBOX, &text)
        .await
        .map_err(not_kept)
}

fn now_ms() -> i64 {
    Timestamp::now().unix_millis()
}

pub(super) fn flush(state: SyncState) {
    if !state.ready.get_untracked() || state.sending.get_untracked() {
        return;
    }
    // The server said it was busy: the timer set then sends at its time.
    if state
        .outbox
        .with_untracked(|outbox| outbox.server_wait_ms(now_ms()))
        > 0
    {
        return;
    }
    state.sending.set(true);
    spawn_local(async move {
        let settled = outbox::flush(
            || state.outbox.with_untracked(Outbox::head),
            |operation_id, delivery| {
                let head = state.outbox.with_untracked(Outbox::head);
                let applied = delivery == Delivery::Applied;
                state
                    .outbox
                    .update(|outbox| outbox.settle(operation_id, delivery, now_ms()));
                if let Some(pending) =
                    head.filter(|head| applied && head.operation_id == operation_id)
                {
                    state.note_applied(pending);
                }
                spawn_local(async move {
                    let _ = save_outbox(state).await;
                });
            },
            send,
        )
        .await;
        state.sending.set(false);
        match state
            .outbox
            .with_untracked(|outbox| outbox.retry_in_ms(now_ms()))
        {
            // A change made while the last send was under way.
            Some(0) => flush(state),
            Some(wait) => set_timeout(
                move || flush(state),
                Duration::from_millis(u64::try_from(wait).unwrap_or(1_000)),
            ),
            None if settled > 0 => refresh_kit(state),
            None => {}
        }
    });
}

async fn send(pending: Pending<VisitOperation>) -> Delivery {
    if !browser_online() {
        return Delivery::Unreachable;
    }
    let photo_id = match &pending.change.change {
        Change::Photo { photo_id, .. } => Some(photo_id.clone()),
        _ => None,
    };
    if let Some(photo_id) = &photo_id {
        if let Some(data) = device_store::read(&keys::photo(photo_id)).await {
            if let Err(error) = upload_photo(photo_id, &data).await {
                return Delivery::of::<()>(&Err(error));
            }
        }
    }
    let answer = apply_operation(SentOperation {
        operation_id: pending.operation_id,
        made_at_ms: pending.made_at_ms,
        sent_at_ms: now_ms(),
        visit_id: pending.change.visit_id,
        change: pending.change.change,
    })
    .await;
    let delivery = Delivery::of_sync(&answer);
    if let (Some(photo_id), Delivery::Applied) = (&photo_id, &delivery) {
        let _ = device_store::remove(&keys::photo(photo_id)).await;
    }
    delivery
}

/// Sends the photo in pieces, going on from wherever the server says it
/// got to: after a broken connection only the rest goes up.
async fn upload_photo(photo_id: &str, data: &str) -> Result<(), AppError> {
    let mut offset = 0;
    while offset < data.len() {
        let end = (offset + PHOTO_PIECE).min(data.len());
        let received =
            upload_photo_piece(photo_id.to_string(), offset, data[offset..end].to_string()).await?;
        if received == offset {
            return Err(AppError::Conflict {
                message: "the server took no more of the photo".into(),
            });
        }
        offset = received;
    }
    Ok(())
}

pub(super) async fn keep_visit(kit: &KitVisit) {
    if let Ok(text) = serde_json::to_string(kit) {
        let _ = device_store::write(&keys::visit(&kit.record.visit.id.to_string()), &text).await;
    }
}

/// Keeps today's and tomorrow's visits on the phone, and has the service
/// worker keep their pages, so each opens with no network.
pub(super) fn refresh_kit(state: SyncState) {
    if !browser_online() {
        return;
    }
    spawn_local(async move {
        let Ok(kit) = get_offline_kit().await else {
            return;
        };
        if let Ok(days) = serde_json::to_string(&kit.days) {
            let _ = device_store::write(keys::DAYS, &days).await;
        }
        for visit in &kit.visits {
            let id = visit.visit_id.to_string();
            let _ = device_store::write(&keys::visit(&id), visit.kit.get()).await;
            keep_page(&format!("/visits/{id}"));
        }
        state.synced.update(|n| *n += 1);
    });
}

/// Asks the service worker to keep a page (it keeps pages as they are
/// opened; this one may not have been yet).
fn keep_page(path: &str) {
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new().ok();
    if let Some(headers) = &headers {
        let _ = headers.set("X-Keep-Page", "1");
        init.set_headers(headers);
    }
    if let (Some(window), Ok(request)) = (
        web_sys::window(),
        web_sys::Request::new_with_str_and_init(path, &init),
    ) {
        let _ = window.fetch_with_request(&request);
    }
}
