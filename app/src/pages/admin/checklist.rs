use leptos::prelude::*;

use crate::api::admin::ChecklistDesk;
use crate::api::error::AppError;
use crate::components::load_failure::load_failure;
use crate::domain::checklist::{ChecklistTemplate, TemplateItemForm};
use crate::i18n::use_i18n;
use crate::serverfns::admin::{get_checklist_desk, publish_checklist};

/// The service-standard checklist: edit its items and publish them as a new
/// version. Visits already dispatched keep the version they have.
#[component]
pub fn ChecklistSection(changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let desk = Resource::new(move || changes.get(), |_| get_checklist_desk());
    // Kept here, not in the editor, which the desk's reload after a publish
    // draws anew: the answer stays shown.
    let publish = Action::new(move |items: &Vec<TemplateItemForm>| {
        let items = items.clone();
        async move { publish_checklist(items).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = publish.value().get() {
            changes.update(|n| *n += 1);
        }
    });
    view! {
        <section class="admin__checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{move || i18n.t().admin.checklist_title}</h2>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match desk.await {
                        Ok(desk) => view! { <ChecklistEditor desk publish/> }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ChecklistEditor(
    desk: ChecklistDesk,
    publish: Action<Vec<TemplateItemForm>, Result<ChecklistTemplate, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    let items = RwSignal::new(
        desk.current
            .items
            .iter()
            .map(TemplateItemForm::of)
            .collect::<Vec<_>>(),
    );
    let result = publish.value();
    let bad_field = move || match result.get() {
        Some(Err(AppError::InvalidInput { field, .. })) => Some(field),
        _ => None,
    };
    let marked = move |name: String| (bad_field().as_deref() == Some(name.as_str())).to_string();
    let current_version = desk.current.version;
    let versions = desk.versions.clone();
    // Only a change in the number of items redraws the rows: typing in one
    // keeps its input (and the focus).
    let rows = Memo::new(move |_| items.with(|list| list.len()));
    view! {
        <p data-testid="checklist-version">{move || (t().checklist_current)(current_version)}</p>
        <form class="admin__form" data-testid="checklist-form" novalidate=true
            on:submit=move |event| {
                event.prevent_default();
                publish.dispatch(items.get_untracked());
            }>
            <ol class="admin__items">
                {move || (0..rows.get()).map(|n| {
                    let text = move |zh: bool| items.with(|list| list.get(n).map(|item|
                        if zh { item.text_zh.clone() } else { item.text_en.clone() }).unwrap_or_default());
                    let flag = move |photo: bool| items.with(|list| list.get(n).map(|item|
                        if photo { item.photo_required } else { item.required }).unwrap_or_default());
                    view! {
                        <li class="admin__item" data-testid="checklist-item">
                            <div class="admin__item-texts">
                                <label>{move || t().text_in_chinese}
                                    <input type="text" data-testid="item-text_zh"
                                        aria-invalid=move || marked(format!("item_{n}_text_zh"))
                                        prop:value=move || text(true)
                                        on:input=move |event| items.update(|list| list[n].text_zh = event_target_value(&event))/>
                                </label>
                                <label>{move || t().text_in_english}
                                    <input type="text" data-testid="item-text_en"
                                        aria-invalid=move || marked(format!("item_{n}_text_en"))
                                        prop:value=move || text(false)
                                        on:input=move |event| items.update(|list| list[n].text_en = event_target_value(&event))/>
                                </label>
                            </div>
                            <label><input type="checkbox" data-testid="item-required"
                                prop:checked=move || flag(false)
                                on:change=move |event| items.update(|list| list[n].required = event_target_checked(&event))/>
                                {move || t().item_required}</label>
                            <label aria-invalid=move || marked(format!("item_{n}_photo_required"))>
                                <input type="checkbox" data-testid="item-photo"
                                    prop:checked=move || flag(true)
                                    on:change=move |event| items.update(|list| list[n].photo_required = event_target_checked(&event))/>
                                {move || t().item_photo}</label>
                            <super::RowMoves items index=n rows testid="item"/>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="admin__form-buttons">
                <button type="button" class="button button--quiet" data-testid="add-item"
                    on:click=move |_| items.update(|list| list.push(TemplateItemForm {
                        required: true,
                        ..TemplateItemForm::default()
                    }))>{move || t().item_add}</button>
                <button type="submit" class="button button--primary" data-testid="publish-checklist"
                    disabled=move || publish.pending().get()>{move || t().publish}</button>
            </div>
            {move || result.get().map(|answer| match answer {
                Ok(published) => view! {
                    <p class="status status--ok" role="status" data-testid="checklist-published">
                        {move || (t().published)(published.version)}</p>
                }.into_any(),
                Err(error) => view! {
                    <p class="status status--error" role="alert" data-testid="checklist-error">
                        {error.user_message(i18n.t())}</p>
                }.into_any(),
            })}
        </form>
        // What technicians will see, as it stands now: read before publishing.
        <section class="admin__preview" data-testid="checklist-preview" aria-labelledby="checklist-preview-title">
            <h3 id="checklist-preview-title">{move || t().preview_title}</h3>
            <ol>
                {move || items.get().into_iter().map(|item| view! {
                    <li data-testid="preview-item">
                        <span translate="no" lang="zh-CN">{item.text_zh}</span>
                        <span class="admin__preview-second" translate="no" lang="en">{item.text_en}</span>
                        {item.required.then(|| view! { <span class="chip">{move || t().item_required}</span> })}
                        {item.photo_required.then(|| view! { <span class="chip">{move || t().item_photo}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <super::VersionList versions/>
    }
}
