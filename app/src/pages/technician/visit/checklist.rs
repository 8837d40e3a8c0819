//! The service standard's checklist: each item done (with a photo where
//! asked) or not applicable with its reason, inline; answered items fold
//! to one line with a tick, and open again on "change". The item the
//! customer's signature completes has no button.

use leptos::prelude::*;

use super::refusal::Refusal;
use super::{use_visit, Place, VisitAction, VisitContext};
use crate::api::sync::Change;
use crate::domain::checklist::{ItemAnswer, SIGNED_BY_CUSTOMER};
use crate::domain::record::VisitRecord;
use crate::domain::visit::VisitStatus;
use crate::i18n::{use_i18n, Locale};
use crate::sync::{use_sync, SyncState};

#[component]
pub(super) fn Checklist(record: VisitRecord) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let visit = use_visit();
    let busy = move || visit.busy();
    let drafts = visit.drafts;
    let waiting_photos: Vec<String> = sync.outbox.with_untracked(|outbox| {
        outbox
            .waiting()
            .filter_map(|pending| match &pending.change.change {
                Change::Photo { photo_id, .. } => Some(photo_id.clone()),
                _ => None,
            })
            .collect()
    });
    let open = record.visit.status.accepts_work_records();
    // A photo completes an item at work, and after signing it is added as a
    // new revision of the record.
    let photos_allowed = open || record.visit.status == VisitStatus::Signed;
    // One item is open for answering at a time: the one the technician
    // chose, else the first still to do. The rest fold to one line each,
    // so the whole list fits on a phone's screen and a half.
    let first_open = record
        .checklist
        .items
        .iter()
        .find(|item| item.key != SIGNED_BY_CUSTOMER && record.answer(&item.key).is_none())
        .map(|item| item.key.clone());
    let current = Signal::derive(move || drafts.reopened.get().or_else(|| first_open.clone()));
    let items = record
        .checklist
        .items
        .iter()
        .map(|item| {
            let key = item.key.clone();
            let (text_zh, text_en) = (item.text_zh.clone(), item.text_en.clone());
            let state = record.answer(&item.key).cloned();
            let by_signature = item.key == SIGNED_BY_CUSTOMER;
            let photo_required = item.photo_required;
            let state_name = match &state {
                None => "open",
                Some(ItemAnswer::Done { .. }) => "done",
                Some(ItemAnswer::NotApplicable { .. }) => "not_applicable",
            };
            let answered = state.is_some();
            let photo = match &state {
                Some(ItemAnswer::Done { photo: Some(photo), .. }) => Some(photo.to_string()),
                _ => None,
            };
            // A photo still on the phone has no address on the server yet.
            let (photo, photo_waiting) = match photo {
                Some(id) if waiting_photos.contains(&id) => (None, true),
                other => (other, false),
            };
            let (done_key, na_key, photo_key, reopen_key, shown_key) =
                (key.clone(), key.clone(), key.clone(), key.clone(), key.clone());
            // Answered items fold to a line with a tick; "change" opens them.
            let is_current = Signal::derive(move || {
                current.with(|current| current.as_deref() == Some(shown_key.as_str()))
            });
            let actions_shown = move || open && !by_signature && is_current.get();
            let na_open = {
                let key = key.clone();
                Signal::derive(move || drafts.not_applicable.with(|open| open.as_deref() == Some(key.as_str())))
            };
            let open_na = {
                let key = key.clone();
                move |_| {
                    drafts.not_applicable_reason.set(String::new());
                    drafts.not_applicable.set(Some(key.clone()));
                }
            };
            view! {
                <li class="check-item" id=format!("item-{key}") data-testid="checklist-item"
                    data-key=key.clone() data-state=state_name>
                    <div class="check-item__line">
                        <span class="check-item__mark" aria-hidden="true">
                            {match state_name { "done" => "✓", "not_applicable" => "–", _ => "" }}
                        </span>
                        <p class="check-item__text">
                            {move || if i18n.locale() == Locale::ZhCn { text_zh.clone() } else { text_en.clone() }}
                            {(item.required && !answered).then(|| view! {
                                <span class="chip chip--small">{move || i18n.t().required_item}</span>
                            })}
                        </p>
                        {(open && !by_signature).then(|| view! {
                            <button type="button" class="button button--quiet button--small" data-testid="reopen-item"
                                hidden=move || is_current.get()
                                on:click=move |_| drafts.reopened.set(Some(reopen_key.clone()))>
                                {move || if answered { i18n.t().visit.reopen_item } else { i18n.t().visit.do_item }}
                            </button>
                        })}
                    </div>
                    {match state {
                        Some(ItemAnswer::NotApplicable { reason, .. }) => view! {
                            <p class="check-item__answer">
                                {move || (i18n.t().visit.labelled)(i18n.t().visit.not_applicable_chip, reason.as_str())}
                            </p>
                        }.into_any(),
                        _ => ().into_any(),
                    }}
                    {by_signature.then(|| view! {
                        <p class="check-item__answer" data-testid="signed-by-customer">
                            {move || i18n.t().visit.signed_by_customer}
                        </p>
                    })}
                    {photo_waiting.then(|| view! {
                        <p class="check-item__answer" data-testid="photo-waiting">{move || i18n.t().photo_waiting}</p>
                    })}
                    {photo.map(|id| view! {
                        <img class="check-item__photo" data-testid="item-photo" loading="lazy"
                            src=format!("/api/photos/{id}") alt=move || i18n.t().photo_attached/>
                    })}
                    <Show when=actions_shown>
                        <div class="check-item__actions">
                            {(!photo_required).then(|| {
                                let done_key = done_key.clone();
                                view! {
                                    <button type="button" class="button button--primary button--small" data-testid="mark-done"
                                        disabled=busy
                                        on:click=move |_| visit.act(VisitAction::Answer { item_key: done_key.clone(), reason: None })>
                                        {move || i18n.t().mark_done}
                                    </button>
                                }
                            })}
                            {photos_allowed.then(|| view! { <TakePhoto item_key=photo_key.clone()/> })}
                            <button type="button" class="button button--small" data-testid="open-not-applicable"
                                aria-expanded=move || na_open.get().to_string()
                                on:click=open_na.clone()>
                                {move || i18n.t().mark_not_applicable}
                            </button>
                        </div>
                    </Show>
                    // Photos go on after signing too, as a new revision.
                    {(!open && photos_allowed && record.visit.status == VisitStatus::Signed).then(|| view! {
                        <div class="check-item__actions"><TakePhoto item_key=key.clone()/></div>
                    })}
                    <Show when=move || na_open.get()>
                        <div class="check-item__not-applicable">
                            <label class="field">
                                <span class="field__label">{move || i18n.t().not_applicable_reason}</span>
                                <input type="text" class="field__input" maxlength="2000" data-testid="na-reason"
                                    prop:value=move || drafts.not_applicable_reason.get()
                                    on:input=move |event| drafts.not_applicable_reason.set(event_target_value(&event))/>
                            </label>
                            <div class="check-item__actions">
                                <button type="button" class="button button--primary button--small" data-testid="confirm-na"
                                    disabled=busy
                                    on:click={
                                        let na_key = na_key.clone();
                                        move |_| visit.act(VisitAction::Answer {
                                            item_key: na_key.clone(),
                                            reason: Some(drafts.not_applicable_reason.get_untracked()),
                                        })
                                    }>
                                    {move || i18n.t().visit.confirm_not_applicable}
                                </button>
                                <button type="button" class="button button--quiet button--small"
                                    on:click=move |_| drafts.not_applicable.set(None)>
                                    {move || i18n.t().visit.cancel}
                                </button>
                            </div>
                        </div>
                    </Show>
                    <Refusal at=Place::Item(key.clone())/>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{move || i18n.t().checklist_title}</h2>
            <ol class="checklist__items">{items}</ol>
        </section>
    }
}

/// An item's camera button: the photo is made small on the phone and
/// completes the item (once signed, it is added as a revision).
#[component]
fn TakePhoto(item_key: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let visit = use_visit();
    let uploading = visit.uploading;
    view! {
        <label class="button button--small check-item__take-photo">
            {move || if uploading.get() { i18n.t().uploading_photo } else { i18n.t().take_photo }}
            <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                data-testid="photo-input" disabled=move || visit.busy()
                on:change=move |event| upload_photo(event, visit, sync, item_key.clone())/>
        </label>
    }
}

/// Reads the chosen photo, makes it small on the phone, keeps it there and
/// queues the change that attaches it; the result settles like any other
/// action.
fn upload_photo(event: leptos::ev::Event, visit: VisitContext, sync: SyncState, item_key: String) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let visit_id = visit.visit_id.get_untracked();
        let current = visit.current();
        let key = item_key.clone();
        visit.uploading.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let data = crate::sync::device::photo_as_jpeg_base64(file).await?;
                let photo_id = sync.keep_photo(data).await?;
                sync.act(current, visit_id, Change::Photo { item_key, photo_id })
                    .await
            }
            .await;
            visit.uploading.set(false);
            visit.settle_photo(key, result);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, visit.visit_id, visit.current(), sync, item_key);
}
