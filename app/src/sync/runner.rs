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
use crate::api::sync::{
    AnsweredOperation, Change, KitAnswer, KitVisit, SentBatch, SentOperation, VisitOperation,
    BATCH_MAX_BYTES, BATCH_MAX_OPERATIONS,
};
use crate::domain::time::Timestamp;
use crate::serverfns::sync::{apply_operations, get_offline_kit, upload_photo_piece};

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
            // With changes waiting, the kit is fetched once they are sent.
            if state.outbox.with_untracked(Outbox::waiting_count) == 0 {
                refresh_kit(state);
            }
            flush(state);
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
            || state.outbox.with_untracked(next_batch),
            |answers| {
                // One update of the outbox per batch: the pages read the
                // record again once, not once per change.
                let settled = state
                    .outbox
                    .try_update(|outbox| outbox.settle_all(answers, now_ms()));
                let Some(settled) = settled else {
                    return 0;
                };
                state.note_applied(settled.applied);
                spawn_local(async move {
                    let _ = save_outbox(state).await;
                });
                settled.left
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
            // Everything sent: the kit once, for what the office did
            // meanwhile.
            None if settled > 0 => refresh_kit(state),
            None => {}
        }
    });
}

/// The oldest waiting changes that go in one request: at most
/// `BATCH_MAX_OPERATIONS`, and `BATCH_MAX_BYTES` of them (the first goes
/// whatever its size).
fn next_batch(outbox: &Outbox<VisitOperation>) -> Vec<Pending<VisitOperation>> {
    let mut bytes = 0;
    outbox
        .batch(BATCH_MAX_OPERATIONS)
        .into_iter()
        .enumerate()
        .take_while(|(n, pending)| {
            bytes += serde_json::to_string(pending).map_or(BATCH_MAX_BYTES, |text| text.len());
            *n == 0 || bytes <= BATCH_MAX_BYTES
        })
        .map(|(_, pending)| pending)
        .collect()
}

/// Sends a batch: first the bytes of its photos (a batch stops before a
/// photo whose bytes could not go up), then its changes in one request.
/// Answers each change the server answered, in order; a request that got
/// no answer answers for the first change alone.
async fn send(batch: Vec<Pending<VisitOperation>>) -> Vec<(String, Delivery)> {
    let Some(head) = batch.first().map(|pending| pending.operation_id.clone()) else {
        return Vec::new();
    };
    if !browser_online() {
        return vec![(head, Delivery::Unreachable)];
    }
    let mut ready = Vec::with_capacity(batch.len());
    let mut photos = Vec::new();
    for pending in batch {
        if let Change::Photo { photo_id, .. } = &pending.change.change {
            if let Some(data) = device_store::read(&keys::photo(photo_id)).await {
                if let Err(error) = upload_photo(photo_id, &data).await {
                    if ready.is_empty() {
                        return vec![(head, Delivery::of::<()>(&Err(error)))];
                    }
                    break;
                }
            }
            photos.push((pending.operation_id.clone(), photo_id.clone()));
        }
        ready.push(pending);
    }
    // The phone's clock as the request leaves, after the photos: the
    // server reads the phone's clock offset from it.
    let sent_at_ms = now_ms();
    let operations = ready
        .into_iter()
        .map(|pending| SentOperation {
            operation_id: pending.operation_id,
            made_at_ms: pending.made_at_ms,
            sent_at_ms,
            visit_id: pending.change.visit_id,
            change: pending.change.change,
        })
        .collect();
    let answers = match apply_operations(SentBatch { operations }).await {
        Ok(batch) => batch.answers,
        Err(error) => return vec![(head, Delivery::of::<()>(&Err(error)))],
    };
    let mut deliveries = Vec::with_capacity(answers.len());
    for AnsweredOperation {
        operation_id,
        answer,
    } in answers
    {
        let delivery = Delivery::of_answer(answer);
        if delivery == Delivery::Applied {
            if let Some((_, photo_id)) = photos.iter().find(|(id, _)| *id == operation_id) {
                let _ = device_store::remove(&keys::photo(photo_id)).await;
            }
        }
        deliveries.push((operation_id, delivery));
    }
    deliveries
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
/// worker keep their pages, so each opens with no network. Asks with the
/// version the phone has, so the visits come down only when they changed;
/// one fetch at a time.
pub(super) fn refresh_kit(state: SyncState) {
    if !browser_online() || state.kit_fetching.get_untracked() {
        return;
    }
    state.kit_fetching.set(true);
    spawn_local(async move {
        if keep_kit().await {
            state.synced.update(|n| *n += 1);
        }
        state.kit_fetching.set(false);
    });
}

/// Fetches the kit unless the phone's copy is still it, and keeps it;
/// answers whether a new kit came.
async fn keep_kit() -> bool {
    let have = device_store::read(keys::KIT_VERSION).await;
    let Ok(KitAnswer::Changed(kit)) = get_offline_kit(have).await else {
        return false;
    };
    let Ok(days) = serde_json::to_string(&kit.days) else {
        return false;
    };
    let mut kept = device_store::write(keys::DAYS, &days).await.is_ok();
    let mut pages = Vec::with_capacity(kit.visits.len());
    for visit in &kit.visits {
        let id = visit.visit_id.to_string();
        kept &= device_store::write(&keys::visit(&id), visit.kit.get())
            .await
            .is_ok();
        pages.push(format!("/visits/{id}"));
    }
    kept &= keep_pages(&pages).await;
    // Named as kept only once all of it is, the pages too: a kit kept in
    // part (a write refused, a page not kept because the service worker
    // was still installing) comes down whole next time.
    if kept {
        let _ = device_store::write(keys::KIT_VERSION, &kit.version).await;
    }
    true
}

/// Asks the service worker to keep these pages (it keeps pages as they are
/// opened; these may not have been yet), all at once; answers whether it
/// kept every one. With no service worker in control (a new phone, while
/// the worker installs) nothing can be kept.
async fn keep_pages(paths: &[String]) -> bool {
    use wasm_bindgen::JsCast;

    let Some(window) = web_sys::window() else {
        return false;
    };
    if window.navigator().service_worker().controller().is_none() {
        return false;
    }
    let asked: Vec<_> = paths
        .iter()
        .map(|path| {
            let init = web_sys::RequestInit::new();
            let headers = web_sys::Headers::new().ok()?;
            headers.set("X-Keep-Page", "1").ok()?;
            init.set_headers(&headers);
            let request = web_sys::Request::new_with_str_and_init(path, &init).ok()?;
            Some(window.fetch_with_request(&request))
        })
        .collect();
    let mut all = true;
    for promise in asked {
        let answer = match promise {
            Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.ok(),
            None => None,
        };
        all &= answer
            .and_then(|answer| answer.dyn_into::<web_sys::Response>().ok())
            .is_some_and(|response| response.ok() && !response.redirected());
    }
    all
}
