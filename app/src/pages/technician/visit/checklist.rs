//! The service standard's checklist: each item done (with a photo where
//! asked) or not applicable with a reason.

use leptos::html::Input;
use leptos::prelude::*;

use super::{use_visit, VisitAction, VisitContext};
use crate::api::sync::Change;
use crate::domain::checklist::ItemAnswer;
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
    let uploading = visit.uploading;
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
    let items = record
        .checklist
        .items
        .iter()
        .map(|item| {
            let key = item.key.clone();
            let (text_zh, text_en) = (item.text_zh.clone(), item.text_en.clone());
            let state = record.answer(&item.key).cloned();
            let reason_input = NodeRef::<Input>::new();
            let state_name = match &state {
                None => "open",
                Some(ItemAnswer::Done { .. }) => "done",
                Some(ItemAnswer::NotApplicable { .. }) => "not_applicable",
            };
            let (done_key, na_key, photo_key) = (key.clone(), key.clone(), key.clone());
            let photo = match &state {
                Some(ItemAnswer::Done { photo: Some(photo), .. }) => Some(photo.to_string()),
                _ => None,
            };
            // A photo still on the phone has no address on the server yet.
            let (photo, photo_waiting) = match photo {
                Some(id) if waiting_photos.contains(&id) => (None, true),
                other => (other, false),
            };
            view! {
                <li class="checklist__item" data-testid="checklist-item" data-key=key.clone()
                    data-state=state_name>
                    <p class="checklist__text">
                        {move || if i18n.locale() == Locale::ZhCn { text_zh.clone() } else { text_en.clone() }}
                        {item.required.then(|| view! { <span class="checklist__required">{move || i18n.t().required_item}</span> })}
                    </p>
                    {match state {
                        Some(ItemAnswer::Done { .. }) => view! {
                            <p class="checklist__answer">"✓ " {move || i18n.t().item_done}</p>
                        }.into_any(),
                        Some(ItemAnswer::NotApplicable { reason, .. }) => view! {
                            <p class="checklist__answer">
                                {move || i18n.t().mark_not_applicable} ": " {reason.as_str().to_string()}
                            </p>
                        }.into_any(),
                        None => ().into_any(),
                    }}
                    {photo_waiting.then(|| view! {
                        <p class="checklist__answer" data-testid="photo-waiting">{move || i18n.t().photo_waiting}</p>
                    })}
                    {photo.map(|id| view! {
                        <img class="checklist__photo" data-testid="item-photo" loading="lazy"
                            src=format!("/api/photos/{id}") alt=move || i18n.t().photo_attached/>
                    })}
                    {photos_allowed.then(|| view! {
                        <label class="button checklist__take-photo">
                            {move || if uploading.get() { i18n.t().uploading_photo } else { i18n.t().take_photo }}
                            <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                                data-testid="photo-input" disabled=busy
                                on:change=move |event| upload_photo(event, visit, sync, photo_key.clone())/>
                        </label>
                    })}
                    {open.then(|| view! {
                        <div class="checklist__actions">
                            <button type="button" class="button button--primary" data-testid="mark-done"
                                disabled=busy
                                on:click=move |_| visit.act(VisitAction::Answer { item_key: done_key.clone(), reason: None })>
                                {move || i18n.t().mark_done}
                            </button>
                            <details class="checklist__not-applicable">
                                <summary class="button">{move || i18n.t().mark_not_applicable}</summary>
                                <label>
                                    {move || i18n.t().not_applicable_reason}
                                    <input type="text" maxlength="2000" node_ref=reason_input data-testid="na-reason"/>
                                </label>
                                <button type="button" class="button" data-testid="confirm-na"
                                    disabled=busy
                                    on:click=move |_| {
                                        let reason = reason_input.get().map(|input| input.value()).unwrap_or_default();
                                        visit.act(VisitAction::Answer { item_key: na_key.clone(), reason: Some(reason) });
                                    }>
                                    {move || i18n.t().mark_not_applicable}
                                </button>
                            </details>
                        </div>
                    })}
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
            visit.settle(result.map(|()| None));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, visit.visit_id, visit.current(), sync, item_key);
}
