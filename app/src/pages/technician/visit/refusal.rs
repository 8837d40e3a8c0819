//! A refusal, shown next to the control that caused it, in the reader's
//! language, and brought into view when it appears; a refused "finish"
//! names the open items as links that open them.

use leptos::html::Div;
use leptos::prelude::*;

use super::stages::Stage;
use super::{use_visit, Place};
use crate::api::error::AppError;
use crate::domain::checklist::ChecklistTemplate;
use crate::i18n::{use_i18n, Locale};

/// The refusal of the action started at `at`, if the last one was.
#[component]
pub(super) fn Refusal(at: Place) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let shown = {
        let at = at.clone();
        Signal::derive(move || visit.failure_at(&at))
    };
    let node = NodeRef::<Div>::new();
    // Into view as it appears: above the bottom bar, below the header
    // (the refusal's scroll margins in style/main.css).
    Effect::new(move |_| {
        if shown.with(Option::is_some) {
            if let Some(element) = node.get() {
                request_animation_frame(move || element.scroll_into_view_with_bool(false));
            }
        }
    });
    let testid = match at {
        Place::Step => "step-refusal",
        Place::SignOff => "sign-off-refusal",
        Place::NoSignature => "no-signature-refusal",
        _ => "refusal",
    };
    view! {
        <div class="refusal" role="alert" node_ref=node data-testid=testid
            hidden=move || shown.with(Option::is_none)>
            {move || shown.get().map(|error| error.user_message(i18n.t()))}
        </div>
    }
}

/// What a refused "finish" still needs, each a link that opens it: the
/// required items by their text in the reader's language, and the outcome.
#[component]
pub(super) fn OpenItems(checklist: ChecklistTemplate) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let open = move || match visit.failure_at(&Place::Step) {
        Some(AppError::NotReadyToFinish {
            missing_items,
            outcome_missing,
        }) => Some((missing_items, outcome_missing)),
        _ => None,
    };
    let checklist = StoredValue::new(checklist);
    view! {
        {move || open().map(|(missing, outcome_missing)| {
            let items = checklist.with_value(|checklist| {
                checklist
                    .items
                    .iter()
                    .filter(|item| missing.contains(&item.key))
                    .map(|item| (item.key.clone(), item.text_zh.clone(), item.text_en.clone()))
                    .collect::<Vec<_>>()
            });
            view! {
                <ul class="refusal__items" data-testid="open-items">
                    {items.into_iter().map(|(key, zh, en)| {
                        let target = format!("item-{key}");
                        view! {
                            <li>
                                <a class="link" href=format!("#{target}") data-key=key.clone()
                                    on:click=move |event| {
                                        event.prevent_default();
                                        visit.open_stage(Stage::Norms, Some(target.clone()));
                                    }>
                                    {move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                    {outcome_missing.then(|| view! {
                        <li>
                            <a class="link" href="#outcome-title" data-key="outcome"
                                on:click=move |event| {
                                    event.prevent_default();
                                    visit.open_stage(Stage::Outcome, Some("outcome-title".into()));
                                }>
                                {move || i18n.t().visit.outcome_missing_link}
                            </a>
                        </li>
                    })}
                </ul>
            }
        })}
    }
}
