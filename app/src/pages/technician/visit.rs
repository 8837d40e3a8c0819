use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::load_failure::load_failure;
use crate::components::signature_pad::SignaturePad;
use crate::domain::checklist::ItemAnswer;
use crate::domain::metrics::{punctuality, Grace};
use crate::domain::record::VisitRecord;
use crate::domain::signoff::{NotFixedReason, VisitOutcome};
use crate::domain::time::{Timestamp, UtcOffset};
use crate::domain::visit::{VisitEvent, VisitStatus};
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::serverfns::visits::{get_visit_record, SignOffInput};
use crate::sync;

/// One visit, run step by step at the customer's home: the next step's
/// button, the arrival verdict, the checklist and the outcome.
#[component]
pub fn VisitPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let visit_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let record = Resource::new(
        move || (visit_id.get(), version.get()),
        |(id, _)| get_visit_record(id),
    );
    let failure = RwSignal::new(None::<AppError>);
    // Every action ends here: a success reloads the record, a refusal is shown.
    let settle = move |result: Result<(), AppError>| match result {
        Ok(()) => {
            failure.set(None);
            version.update(|v| *v += 1);
        }
        Err(error) => failure.set(Some(error)),
    };
    let step = Action::new(move |event: &VisitEvent| {
        let (id, event) = (visit_id.get_untracked(), *event);
        async move { sync::visit_step(id, event).await.map(|_| ()) }
    });
    let answer = Action::new(move |(key, reason): &(String, Option<String>)| {
        let (id, key, reason) = (visit_id.get_untracked(), key.clone(), reason.clone());
        async move {
            match reason {
                None => sync::checklist_done(id, key).await,
                Some(reason) => sync::checklist_not_applicable(id, key, reason).await,
            }
        }
    });
    let sign = Action::new(move |input: &SignOffInput| {
        let (id, input) = (visit_id.get_untracked(), input.clone());
        async move { sync::sign_off(id, input).await }
    });
    let outcome = Action::new(move |(fixed, reason, detail): &(bool, String, String)| {
        let (id, fixed, reason, detail) = (
            visit_id.get_untracked(),
            *fixed,
            reason.clone(),
            detail.clone(),
        );
        async move { sync::outcome(id, fixed, reason, detail).await }
    });
    Effect::new(move |_| step.value().get().map(settle));
    Effect::new(move |_| answer.value().get().map(settle));
    Effect::new(move |_| outcome.value().get().map(settle));
    Effect::new(move |_| sign.value().get().map(settle));
    let busy = move || {
        step.pending().get()
            || answer.pending().get()
            || outcome.pending().get()
            || sign.pending().get()
    };

    view! {
        <section class="visit" aria-labelledby="visit-title">
            <p class="visit__back"><a href="/">{move || i18n.t().back_to_today}</a></p>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match record.await {
                        Ok(record) => view! {
                            <VisitDetails record=record.clone()/>
                            // A div, not a p: the open items are a list.
                            <div class="status status--error" role="alert" data-testid="visit-error"
                                hidden=move || failure.with(Option::is_none)>
                                <p class="visit__error-text">
                                    {move || failure.get().map(|error| error.user_message(i18n.t()))}
                                </p>
                                <OpenItems failure checklist=record.checklist.clone()/>
                            </div>
                            <NextStep status=record.visit.status step busy/>
                            {(record.visit.status == VisitStatus::WorkFinished).then(|| view! {
                                <SignOffForm record=record.clone() sign busy/>
                            })}
                            {(record.visit.status == VisitStatus::Signed).then(|| view! {
                                <a class="button button--primary visit__step" data-testid="open-record"
                                    href=format!("/visits/{}/record", record.visit.id)>
                                    {move || i18n.t().open_record}
                                </a>
                            })}
                            <Checklist record=record.clone() answer busy/>
                            <Outcome record outcome busy/>
                        }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The required items a refused "finish" names, by their text in the
/// reader's language.
#[component]
fn OpenItems(
    failure: RwSignal<Option<AppError>>,
    checklist: crate::domain::checklist::ChecklistTemplate,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = move || match failure.get() {
        Some(AppError::NotReadyToFinish { missing_items, .. }) => checklist
            .items
            .iter()
            .filter(|item| missing_items.contains(&item.key))
            .map(|item| {
                if i18n.locale() == Locale::ZhCn {
                    item.text_zh.clone()
                } else {
                    item.text_en.clone()
                }
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    view! {
        <ul class="visit__open-items" data-testid="open-items">
            {move || names().into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
        </ul>
    }
}

#[component]
fn VisitDetails(record: VisitRecord) -> impl IntoView {
    let i18n = use_i18n();
    // The window is shown on the region's clock; China has one offset all year.
    let offset = UtcOffset::CHINA;
    let window = record.visit.window.format_local(offset);
    let status = record.visit.status;
    let verdict = record.visit.times.arrived.map(|arrived| {
        punctuality(
            record.visit.window,
            Some(arrived),
            Grace::NONE,
            Timestamp::now(),
        )
    });
    let address = record.customer.address.as_str().to_string();
    let map_link = format!("https://uri.amap.com/search?keyword={}", encode(&address));
    let phone = record.customer.phone.clone();
    let appliance = record.appliance.clone();
    view! {
        <h1 id="visit-title">{record.customer.name.as_str().to_string()}</h1>
        <p class="visit__status" data-testid="visit-status">
            {move || (i18n.t().visit_status)(status)}
        </p>
        {verdict.map(|verdict| view! {
            <p class="visit__verdict" data-testid="arrival-verdict"
                data-verdict=format!("{verdict:?}")>
                {move || (i18n.t().arrival_verdict)(verdict)}
            </p>
        })}
        <dl class="visit__facts">
            <dt>{move || i18n.t().appointment_window}</dt>
            <dd><time>{window}</time></dd>
            <dt>{move || i18n.t().address}</dt>
            <dd>{address.clone()} " " <a href=map_link>{move || i18n.t().open_map}</a></dd>
            <dt>{move || i18n.t().customer}</dt>
            <dd>
                <a href=format!("tel:{}", phone.dial_string())>
                    {phone.as_str().to_string()} " · " {move || i18n.t().call_customer}
                </a>
            </dd>
            <dt>{move || i18n.t().appliance}</dt>
            <dd>
                {move || (i18n.t().appliance_category)(appliance.category)} " "
                {format!("{} {}", appliance.brand, appliance.model)}
            </dd>
            <dt>{move || i18n.t().reported_fault}</dt>
            <dd>{record.work_order.reported_fault.as_str().to_string()}</dd>
        </dl>
    }
}

/// Percent-encodes text for a URL query (UTF-8, unreserved characters kept).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn NextStep(
    status: VisitStatus,
    step: Action<VisitEvent, Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let next = match status {
        VisitStatus::Dispatched => Some(VisitEvent::SetOff),
        VisitStatus::OnTheWay => Some(VisitEvent::CheckIn),
        VisitStatus::Arrived => Some(VisitEvent::StartWork),
        VisitStatus::WorkStarted => Some(VisitEvent::FinishWork),
        _ => None,
    };
    view! {
        {next.map(|event| view! {
            <button type="button" class="button button--primary visit__step" data-testid="next-step"
                disabled=busy
                on:click=move |_| { step.dispatch(event); }>
                {move || (i18n.t().step_button)(event)}
            </button>
        })}
        {(status == VisitStatus::WorkFinished).then(|| view! {
            <p class="status" data-testid="awaiting-signature">{move || i18n.t().awaiting_signature}</p>
        })}

    }
}

#[component]
fn Checklist(
    record: VisitRecord,
    answer: Action<(String, Option<String>), Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = record.visit.status.accepts_work_records();
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
            let (done_key, na_key) = (key.clone(), key.clone());
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
                    {open.then(|| view! {
                        <div class="checklist__actions">
                            <button type="button" class="button button--primary" data-testid="mark-done"
                                disabled=busy
                                on:click=move |_| { answer.dispatch((done_key.clone(), None)); }>
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
                                        answer.dispatch((na_key.clone(), Some(reason)));
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

#[component]
fn Outcome(
    record: VisitRecord,
    outcome: Action<(bool, String, String), Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = record.visit.status.accepts_work_records();
    let recorded = record.visit.outcome.clone().map(|outcome| match outcome {
        VisitOutcome::Fixed => (true, String::new()),
        VisitOutcome::NotFixed { reason } => (
            false,
            match reason {
                NotFixedReason::PartsUnavailable => "parts_unavailable".to_string(),
                NotFixedReason::Skill => "skill".into(),
                NotFixedReason::TimeRanOut => "time_ran_out".into(),
                NotFixedReason::Other(note) => format!("other: {note}"),
            },
        ),
    });
    let fixed = RwSignal::new(true);
    let reason = RwSignal::new("parts_unavailable".to_string());
    let detail = NodeRef::<Input>::new();
    let reasons = ["parts_unavailable", "skill", "time_ran_out", "other"];
    view! {
        <section class="outcome" aria-labelledby="outcome-title">
            <h2 id="outcome-title">{move || i18n.t().outcome_title}</h2>
            {recorded.map(|(was_fixed, reason)| view! {
                <p class="outcome__recorded" data-testid="outcome-recorded">
                    {move || if was_fixed { i18n.t().outcome_fixed } else { i18n.t().outcome_not_fixed }}
                    {(!reason.is_empty()).then(|| format!(" ({reason})"))}
                </p>
            })}
            {open.then(|| view! {
                <div class="outcome__form">
                    <label class="outcome__choice">
                        <input type="radio" name="outcome" checked=move || fixed.get()
                            on:change=move |_| fixed.set(true) data-testid="outcome-fixed"/>
                        {move || i18n.t().outcome_fixed}
                    </label>
                    <label class="outcome__choice">
                        <input type="radio" name="outcome" checked=move || !fixed.get()
                            on:change=move |_| fixed.set(false) data-testid="outcome-not-fixed"/>
                        {move || i18n.t().outcome_not_fixed}
                    </label>
                    <div hidden=move || fixed.get()>
                        <select on:change=move |event| reason.set(event_target_value(&event))>
                            {reasons.into_iter().map(|key| view! {
                                <option value=key>{move || (i18n.t().not_fixed_reason)(key)}</option>
                            }).collect_view()}
                        </select>
                        <label>
                            {move || i18n.t().outcome_detail}
                            <input type="text" maxlength="2000" node_ref=detail/>
                        </label>
                    </div>
                    <button type="button" class="button button--primary" data-testid="save-outcome"
                        disabled=busy
                        on:click=move |_| {
                            let is_fixed = fixed.get_untracked();
                            let reason = if is_fixed { String::new() } else { reason.get_untracked() };
                            let detail = detail.get().map(|input| input.value()).unwrap_or_default();
                            outcome.dispatch((is_fixed, reason, detail));
                        }>
                        {move || i18n.t().save_outcome}
                    </button>
                </div>
            })}
        </section>
    }
}

const CONDUCT_RULES: [&str; 4] = [
    "no_arguing",
    "no_eating_drinking_smoking",
    "no_gifts",
    "no_extra_charges",
];
const RATING_DIMENSIONS: [&str; 5] = ["skill", "attitude", "timeliness", "parts_supply", "overall"];

/// Handed to the customer: what was done and what it costs, "is it fixed?",
/// the four prohibitions, five ratings, a comment and the signature.
#[component]
fn SignOffForm(
    record: VisitRecord,
    sign: Action<SignOffInput, Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let fixed = RwSignal::new(record.visit.outcome == Some(VisitOutcome::Fixed));
    let kept = CONDUCT_RULES.map(|_| RwSignal::new(true));
    let ratings = RATING_DIMENSIONS.map(|_| RwSignal::new(5u8));
    let strokes = RwSignal::new(Vec::<Vec<(f32, f32)>>::new());
    let comment = NodeRef::<leptos::html::Textarea>::new();
    let signer = NodeRef::<Input>::new();
    let customer_name = record.customer.name.as_str().to_string();
    let lines = record
        .parts
        .iter()
        .map(|part| {
            (
                format!("{} × {}", part.name, part.quantity.value()),
                part.total().format_yuan(),
            )
        })
        .chain(record.fees.iter().map(|fee| {
            (
                format!("{} × {}", fee.code, fee.quantity.value()),
                fee.total().format_yuan(),
            )
        }))
        .collect::<Vec<_>>();
    let total = record.total().format_yuan();
    let submit = move |_| {
        let [skill, attitude, timeliness, parts_supply, overall] =
            ratings.map(|r| r.get_untracked());
        let [no_arguing, no_eating_drinking_smoking, no_gifts, no_extra_charges] =
            kept.map(|k| k.get_untracked());
        sign.dispatch(SignOffInput {
            signer_name: signer.get().map(|input| input.value()).unwrap_or_default(),
            strokes: strokes.get_untracked(),
            customer_says_fixed: fixed.get_untracked(),
            skill,
            attitude,
            timeliness,
            parts_supply,
            overall,
            no_arguing,
            no_eating_drinking_smoking,
            no_gifts,
            no_extra_charges,
            comment: comment.get().map(|area| area.value()).unwrap_or_default(),
        });
    };
    view! {
        <section class="sign-off" aria-labelledby="sign-off-title" data-testid="sign-off">
            <h2 id="sign-off-title">{move || i18n.t().sign_off_title}</h2>
            <h3>{move || i18n.t().work_summary}</h3>
            <ul class="sign-off__lines">
                {lines.into_iter().map(|(what, amount)| view! {
                    <li><span>{what}</span><span>{amount}</span></li>
                }).collect_view()}
                <li class="sign-off__total">
                    <span>{move || i18n.t().total_label}</span>
                    <span data-testid="sign-off-total">{total}</span>
                </li>
            </ul>
            <label class="sign-off__check">
                <input type="checkbox" prop:checked=move || fixed.get()
                    on:change=move |event| fixed.set(event_target_checked(&event))/>
                {move || i18n.t().customer_confirms_fixed}
            </label>
            <fieldset class="sign-off__group">
                <legend>{move || i18n.t().conduct_title}</legend>
                {CONDUCT_RULES.into_iter().zip(kept).map(|(rule, kept)| view! {
                    <label class="sign-off__check">
                        <input type="checkbox" prop:checked=move || kept.get() data-rule=rule
                            on:change=move |event| kept.set(event_target_checked(&event))/>
                        {move || (i18n.t().conduct_rule)(rule)}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="sign-off__group">
                <legend>{move || i18n.t().ratings_title}</legend>
                {RATING_DIMENSIONS.into_iter().zip(ratings).map(|(dimension, rating)| view! {
                    <label class="sign-off__rating">
                        <span>{move || (i18n.t().rating_dimension)(dimension)}</span>
                        <select data-dimension=dimension
                            on:change=move |event| rating.set(event_target_value(&event).parse().unwrap_or(5))>
                            {(1..=5u8).rev().map(|score| view! {
                                <option value=score.to_string() selected={score == 5}>{score.to_string()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="sign-off__field">
                {move || i18n.t().comment_label}
                <textarea node_ref=comment maxlength="2000" rows="3"></textarea>
            </label>
            <label class="sign-off__field">
                {move || i18n.t().signer_label}
                <input type="text" node_ref=signer value=customer_name maxlength="50"/>
            </label>
            <p class="sign-off__pad-label">{move || i18n.t().signature_label}</p>
            <SignaturePad strokes/>
            <div class="sign-off__pad-actions">
                <button type="button" class="button" data-testid="undo-stroke"
                    on:click=move |_| strokes.update(|all| { all.pop(); })>
                    {move || i18n.t().undo_stroke}
                </button>
                <button type="button" class="button" data-testid="clear-signature"
                    on:click=move |_| strokes.set(Vec::new())>
                    {move || i18n.t().clear_signature}
                </button>
            </div>
            <button type="button" class="button button--primary visit__step" data-testid="submit-signature"
                disabled=busy on:click=submit>
                {move || i18n.t().submit_signature}
            </button>
        </section>
    }
}
