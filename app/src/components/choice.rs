//! The customer's own answers: a yes/no pair of segments and a row of five
//! stars. Nothing is chosen until the person taps; both are radio groups
//! to assistive technology, with 44 px targets.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// A yes/no question. `missing` marks it when a submit found it unanswered.
#[component]
pub fn YesNo(
    /// The question, shown and used as the group's name.
    #[prop(into)]
    question: Signal<String>,
    answer: RwSignal<Option<bool>>,
    /// The question's key, for tests and the refusal's link.
    key: &'static str,
    #[prop(into)] missing: Signal<bool>,
    /// The customer may not change it any more (being sent).
    #[prop(into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label_id = format!("question-{key}");
    let option = move |value: bool| {
        view! {
            <button type="button" role="radio" class="segmented__option"
                data-value=if value { "yes" } else { "no" }
                aria-checked=move || (answer.get() == Some(value)).to_string()
                disabled=disabled
                on:click=move |_| answer.set(Some(value))>
                {move || if value { i18n.t().visit.yes } else { i18n.t().visit.no }}
            </button>
        }
    };
    view! {
        <div class="question" id=format!("answer-{key}") data-testid="question" data-question=key
            data-answer=move || match answer.get() { Some(true) => "yes", Some(false) => "no", None => "" }
            data-missing=move || missing.get().to_string()>
            <p class="question__text" id=label_id.clone()>{question}</p>
            <div class="segmented" role="radiogroup" aria-labelledby=label_id>
                {option(true)}
                {option(false)}
            </div>
            <p class="question__missing" hidden=move || !missing.get()>{move || i18n.t().visit.choose_one}</p>
        </div>
    }
}

/// A 1–5 rating as five stars.
#[component]
pub fn StarRating(
    #[prop(into)] question: Signal<String>,
    score: RwSignal<Option<u8>>,
    key: &'static str,
    #[prop(into)] missing: Signal<bool>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label_id = format!("question-{key}");
    view! {
        <div class="question" id=format!("answer-{key}") data-testid="rating" data-question=key
            data-score=move || score.get().map(|s| s.to_string()).unwrap_or_default()
            data-missing=move || missing.get().to_string()>
            <p class="question__text" id=label_id.clone()>{question}</p>
            <div class="stars" role="radiogroup" aria-labelledby=label_id>
                {(1..=5u8).map(|n| view! {
                    <button type="button" role="radio" class="stars__star" data-value=n.to_string()
                        aria-checked=move || (score.get() == Some(n)).to_string()
                        data-lit=move || score.get().is_some_and(|s| s >= n).to_string()
                        aria-label=move || (i18n.t().visit.stars)(n)
                        disabled=disabled
                        on:click=move |_| score.set(Some(n))>
                        <span aria-hidden="true">"★"</span>
                    </button>
                }).collect_view()}
            </div>
            <p class="question__missing" hidden=move || !missing.get()>{move || i18n.t().visit.choose_one}</p>
        </div>
    }
}
