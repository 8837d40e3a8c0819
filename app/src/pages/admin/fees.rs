use leptos::prelude::*;

use crate::api::admin::FeeDesk;
use crate::api::error::AppError;
use crate::components::load_failure::load_failure;
use crate::domain::charges::{FeeItemForm, FeeSchedule};
use crate::domain::work_order::ApplianceCategory;
use crate::i18n::use_i18n;
use crate::serverfns::admin::{get_fee_desk, publish_fee_schedule};

/// The unified fee schedule: edit one appliance category's items and
/// prices and publish them as a new version. Visits already dispatched keep
/// the version they have.
#[component]
pub fn FeesSection(changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let desk = Resource::new(move || changes.get(), |_| get_fee_desk());
    // Kept here, not in the editor, which the desk's reload after a publish
    // draws anew: the category stays chosen and the answer stays shown.
    let category = RwSignal::new(ApplianceCategory::WashingMachine);
    let publish = Action::new(
        move |(category, items): &(ApplianceCategory, Vec<FeeItemForm>)| {
            let (category, items) = (category.as_str().to_owned(), items.clone());
            async move { publish_fee_schedule(category, items).await }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(_)) = publish.value().get() {
            changes.update(|n| *n += 1);
        }
    });
    view! {
        <section class="admin__fees" aria-labelledby="fees-title">
            <h2 id="fees-title">{move || i18n.t().admin.fees_title}</h2>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match desk.await {
                        Ok(desk) => view! { <FeeEditor desk category publish/> }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Transition>
        </section>
    }
}

fn editor_rows(schedules: &[FeeSchedule], category: ApplianceCategory) -> Vec<FeeItemForm> {
    schedules
        .iter()
        .find(|schedule| schedule.category == category)
        .map(|schedule| schedule.items.iter().map(FeeItemForm::of).collect())
        .unwrap_or_default()
}

#[component]
fn FeeEditor(
    desk: FeeDesk,
    category: RwSignal<ApplianceCategory>,
    publish: Action<(ApplianceCategory, Vec<FeeItemForm>), Result<FeeSchedule, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    let schedules = StoredValue::new(desk.schedules);
    let items = RwSignal::new(editor_rows(
        &schedules.read_value(),
        category.get_untracked(),
    ));
    let result = publish.value();
    let bad_field = move || match result.get() {
        Some(Err(AppError::InvalidInput { field, .. })) => Some(field),
        _ => None,
    };
    let marked = move |name: String| (bad_field().as_deref() == Some(name.as_str())).to_string();
    let rows = Memo::new(move |_| items.with(Vec::len));
    let versions = desk.versions;
    let current_version = desk.version;
    view! {
        <p data-testid="fees-version">{move || (t().fees_current)(current_version)}</p>
        <form class="admin__form" data-testid="fees-form" novalidate=true
            on:submit=move |event| {
                event.prevent_default();
                publish.dispatch((category.get_untracked(), items.get_untracked()));
            }>
            <label>{move || t().fees_category}
                <select data-testid="fees-category"
                    on:change=move |event| {
                        if let Some(chosen) = ApplianceCategory::parse(&event_target_value(&event)) {
                            category.set(chosen);
                            items.set(editor_rows(&schedules.read_value(), chosen));
                        }
                    }>
                    {ApplianceCategory::ALL.iter().map(|&choice| view! {
                        <option value=choice.as_str() selected=move || category.get() == choice>
                            {move || (i18n.t().appliance_category)(choice)}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <ol class="admin__items">
                {move || (0..rows.get()).map(|n| {
                    let field = move |pick: fn(&FeeItemForm) -> &String| {
                        items.with(|list| list.get(n).map(|item| pick(item).clone()).unwrap_or_default())
                    };
                    let input = move |name: &'static str, label: String, pick: fn(&FeeItemForm) -> &String,
                                      write: fn(&mut FeeItemForm, String)| view! {
                        <label>{label}
                            <input type="text" data-testid=format!("fee-item-{name}")
                                aria-invalid=move || marked(format!("item_{n}_{name}"))
                                prop:value=move || field(pick)
                                on:input=move |event| items.update(|list| write(&mut list[n], event_target_value(&event)))/>
                        </label>
                    };
                    view! {
                        <li class="admin__item" data-testid="fee-item">
                            {input("code", t().fee_code.to_owned(), |item| &item.code, |item, value| item.code = value)}
                            {input("name_zh", t().text_in_chinese.to_owned(), |item| &item.name_zh, |item, value| item.name_zh = value)}
                            {input("name_en", t().text_in_english.to_owned(), |item| &item.name_en, |item, value| item.name_en = value)}
                            {input("amount", t().fee_amount.to_owned(), |item| &item.amount, |item, value| item.amount = value)}
                            <super::RowMoves items index=n rows testid="fee"/>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="admin__form-buttons">
                <button type="button" class="button button--quiet" data-testid="add-fee"
                    on:click=move |_| items.update(|list| list.push(FeeItemForm::default()))>
                    {move || t().item_add}</button>
                <button type="submit" class="button button--primary" data-testid="publish-fees"
                    disabled=move || publish.pending().get()>{move || t().publish}</button>
            </div>
            {move || result.get().map(|answer| match answer {
                Ok(published) => view! {
                    <p class="status status--ok" role="status" data-testid="fees-published">
                        {move || (t().fees_published)(published.version)}</p>
                }.into_any(),
                Err(error) => view! {
                    <p class="status status--error" role="alert" data-testid="fees-error">
                        {error.user_message(i18n.t())}</p>
                }.into_any(),
            })}
        </form>
        // The schedule as technicians will charge from it, read before publishing.
        <section class="admin__preview" data-testid="fees-preview" aria-labelledby="fees-preview-title">
            <h3 id="fees-preview-title">
                {move || t().preview_title} " · " {move || (i18n.t().appliance_category)(category.get())}
            </h3>
            <table class="dashboard__table">
                <tbody>
                    {move || items.get().into_iter().map(|item| view! {
                        <tr data-testid="preview-fee">
                            <td><code translate="no">{item.code}</code></td>
                            <td><span translate="no" lang="zh-CN">{item.name_zh}</span><span class="admin__preview-second" translate="no" lang="en">{item.name_en}</span></td>
                            <td class="admin__preview-amount">{format!("¥{}", item.amount.trim())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <super::VersionList versions/>
    }
}
