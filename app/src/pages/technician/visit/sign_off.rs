//! The customer's stage. The technician sees what will be shown and hands
//! the phone over; the customer's screen then covers everything else: the
//! work and its cost, the fee schedule, is it fixed, was the arrival time
//! true, the four prohibitions, five ratings, a complaint as prominent as
//! signing, a comment and the signature. Nothing is chosen for the
//! customer, and leaving unsigned forgets every answer, so the technician
//! can neither see nor change them.

use leptos::prelude::*;

use super::drafts::{CustomerAnswers, CONDUCT_RULES, RATING_DIMENSIONS};
use super::refusal::Refusal;
use super::work::{charge_lines, ChargeLine, ComplaintForm};
use super::{use_visit, Place, VisitAction};
use crate::api::visits::SignOffInput;
use crate::components::choice::{StarRating, YesNo};
use crate::components::sheet::Sheet;
use crate::components::signature_pad::SignaturePad;
use crate::domain::charges::FeeSchedule;
use crate::domain::record::VisitRecord;
use crate::domain::time::{format_local_time, UtcOffset};
use crate::i18n::{use_i18n, Locale};

/// The unified fee schedule the visit is charged by, open for the customer
/// to read before signing (二公开: 公开出示统一收费标准).
#[component]
fn FeeScheduleShown(schedule: FeeSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let (version, category) = (schedule.version, schedule.category);
    view! {
        <details class="disclosure sign-off__schedule" data-testid="fee-schedule">
            <summary class="button button--quiet">
                {move || (i18n.t().fee_schedule_heading)((i18n.t().appliance_category)(category), version)}
            </summary>
            <ul class="charges__lines">
                {schedule.items.into_iter().map(|item| {
                    let amount = item.amount.format_yuan();
                    view! {
                        <li class="charges__line" data-code=item.code.as_str().to_owned()>
                            <span class="charges__what">{move || match i18n.locale() {
                                Locale::ZhCn => item.name_zh.clone(),
                                Locale::En => item.name_en.clone(),
                            }}</span>
                            <span class="charges__amount">{amount}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="hint">{move || i18n.t().fee_schedule_promise}</p>
        </details>
    }
}

/// What was done and what it costs, line by line, with the total.
#[component]
fn WorkSummary(record: VisitRecord, schedule: FeeSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let lines = charge_lines(&record, &schedule, i18n.locale());
    let total = record.total().format_yuan();
    view! {
        <h3>{move || i18n.t().work_summary}</h3>
        <ul class="charges__lines" data-testid="sign-off-lines">
            {lines.into_iter().map(|ChargeLine { what, amount, .. }| view! {
                <li class="charges__line"><span class="charges__what">{what}</span><span class="charges__amount">{amount}</span></li>
            }).collect_view()}
            <li class="charges__total">
                <span>{move || i18n.t().total_label}</span>
                <span data-testid="sign-off-total">{total}</span>
            </li>
        </ul>
        <FeeScheduleShown schedule/>
    }
}

/// The technician's view of the customer's stage: what the customer will
/// be shown, and the complaint filed at this sign-off.
#[component]
pub(super) fn CustomerStage(record: VisitRecord, schedule: FeeSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let waiting = record.visit.status == crate::domain::visit::VisitStatus::WorkFinished;
    view! {
        <section class="customer-stage" aria-labelledby="sign-off-title">
            <h2 id="sign-off-title">{move || i18n.t().sign_off_title}</h2>
            {waiting.then(|| view! {
                <p class="hint" data-testid="awaiting-signature">{move || i18n.t().visit.hand_to_customer_hint}</p>
            })}
            <WorkSummary record schedule/>
            {waiting.then(|| view! { <super::unsigned::NoSignatureButton/> })}
            <p class="status status--ok" role="status" data-testid="complaint-filed"
                hidden=move || visit.filed_complaint.with(Option::is_none)>
                {move || visit.filed_complaint.get().map(|id| (i18n.t().complaint_filed)(&id))}
            </p>
        </section>
    }
}

/// The customer's questions as the form sends them, or the keys of those
/// not answered yet.
fn answers(customer: CustomerAnswers, signer: String, comment: String) -> SignOffInput {
    let [skill, attitude, timeliness, parts_supply, overall] =
        customer.ratings.map(|r| r.get_untracked());
    let [no_arguing, no_eating_drinking_smoking, no_gifts, no_extra_charges] =
        customer.conduct_kept.map(|k| k.get_untracked());
    SignOffInput {
        signer_name: signer,
        strokes: customer.strokes.get_untracked(),
        customer_says_fixed: customer.says_fixed.get_untracked(),
        skill,
        attitude,
        timeliness,
        parts_supply,
        overall,
        no_arguing,
        no_eating_drinking_smoking,
        no_gifts,
        no_extra_charges,
        arrival_confirmed: customer.arrival_confirmed.get_untracked(),
        comment,
        position: None,
    }
}

/// The phone in the customer's hands: only the customer's part, large,
/// over everything else.
#[component]
pub(super) fn CustomerMode(record: VisitRecord, schedule: FeeSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let customer = visit.drafts.customer;
    let tried = customer.tried;
    let leaving = RwSignal::new(false);
    let customer_name = StoredValue::new(record.customer.name.as_str().to_string());
    let signer = move || {
        customer
            .signer
            .get()
            .unwrap_or_else(|| customer_name.get_value())
    };
    let arrived_at = record
        .visit
        .times
        .arrived
        .map(|at| format_local_time(at, UtcOffset::CHINA))
        .unwrap_or_default();
    // A question is marked once a submit has found it unanswered.
    let missing =
        move |answered: Signal<bool>| Signal::derive(move || tried.get() && !answered.get());
    let unanswered = move || {
        let yes_no = [customer.says_fixed, customer.arrival_confirmed]
            .into_iter()
            .chain(customer.conduct_kept)
            .filter(|answer| answer.get().is_none())
            .count();
        yes_no
            + customer
                .ratings
                .iter()
                .filter(|score| score.get().is_none())
                .count()
    };
    let local_refusal = RwSignal::new(None::<String>);
    // Once refused for open questions, the count follows the answers.
    Effect::new(move |_| {
        let open = unanswered();
        if tried.get_untracked() && local_refusal.with_untracked(Option::is_some) {
            local_refusal.set((open > 0).then(|| (i18n.t().visit.unanswered)(open)));
        }
    });
    let submit = move |_| {
        tried.set(true);
        let input = answers(customer, untrack(signer), customer.comment.get_untracked());
        let open = input.unanswered();
        if let Some(first) = open.first() {
            local_refusal.set(Some((i18n.t().visit.unanswered)(open.len())));
            scroll_into_view(&format!("answer-{first}"));
            return;
        }
        if input.strokes.is_empty() {
            local_refusal.set(Some(i18n.t().visit.signature_missing.to_string()));
            scroll_into_view("signature-pad");
            return;
        }
        local_refusal.set(None);
        visit.act(VisitAction::SignOff(input));
    };
    let leave = move |_| {
        if customer.touched() {
            leaving.set(true);
        } else {
            visit.customer_mode.set(false);
        }
    };
    guard_back_button(visit.customer_mode, leaving, customer);
    let disabled = Signal::derive(busy);
    view! {
        <div class="customer-mode" data-testid="customer-mode" role="region" aria-labelledby="customer-title"
            lang=move || i18n.locale().tag()>
            <div class="customer-mode__top">
                <button type="button" class="button button--quiet button--small" data-testid="leave-customer-mode"
                    on:click=leave>
                    {move || i18n.t().visit.back_to_technician}
                </button>
            </div>
            <section class="sign-off" data-testid="sign-off">
                <h1 id="customer-title" class="sign-off__title">{move || i18n.t().visit.customer_title}</h1>
                <p class="hint">{move || i18n.t().visit.customer_intro}</p>
                <WorkSummary record=record.clone() schedule/>
                <YesNo key="customer_says_fixed" answer=customer.says_fixed disabled
                    question=Signal::derive(move || i18n.t().visit.fixed_question.to_string())
                    missing=missing(Signal::derive(move || customer.says_fixed.get().is_some()))/>
                <YesNo key="arrival_confirmed" answer=customer.arrival_confirmed disabled
                    question=Signal::derive(move || (i18n.t().visit.arrival_question)(&arrived_at))
                    missing=missing(Signal::derive(move || customer.arrival_confirmed.get().is_some()))/>
                <fieldset class="sign-off__group">
                    <legend>{move || i18n.t().conduct_title}</legend>
                    {CONDUCT_RULES.into_iter().zip(customer.conduct_kept).map(|(rule, kept)| view! {
                        <YesNo key=rule answer=kept disabled
                            question=Signal::derive(move || (i18n.t().conduct_rule)(rule).to_string())
                            missing=missing(Signal::derive(move || kept.get().is_some()))/>
                    }).collect_view()}
                </fieldset>
                <fieldset class="sign-off__group">
                    <legend>{move || i18n.t().ratings_title}</legend>
                    {RATING_DIMENSIONS.into_iter().zip(customer.ratings).map(|(dimension, score)| view! {
                        <StarRating key=dimension score disabled
                            question=Signal::derive(move || (i18n.t().rating_dimension)(dimension).to_string())
                            missing=missing(Signal::derive(move || score.get().is_some()))/>
                    }).collect_view()}
                </fieldset>
                <div class="sign-off__complaint">
                    <ComplaintForm/>
                </div>
                <label class="field">
                    <span class="field__label">{move || i18n.t().comment_label}</span>
                    <textarea class="field__input" maxlength="2000" rows="3" data-testid="comment"
                        prop:value=move || customer.comment.get()
                        on:input=move |event| customer.comment.set(event_target_value(&event))></textarea>
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t().signer_label}</span>
                    <input type="text" class="field__input" maxlength="50" data-testid="signer" prop:value=signer
                        on:input=move |event| customer.signer.set(Some(event_target_value(&event)))/>
                </label>
                <p class="sign-off__pad-label" id="signature-label">{move || i18n.t().signature_label}</p>
                <div id="signature-pad" class="sign-off__pad">
                    <SignaturePad strokes=customer.strokes/>
                </div>
                <div class="sign-off__pad-actions">
                    <button type="button" class="button button--quiet button--small" data-testid="undo-stroke"
                        on:click=move |_| customer.strokes.update(|all| { all.pop(); })>
                        {move || i18n.t().undo_stroke}
                    </button>
                    <button type="button" class="button button--quiet button--small" data-testid="clear-signature"
                        on:click=move |_| customer.strokes.set(Vec::new())>
                        {move || i18n.t().clear_signature}
                    </button>
                </div>
                // Kept at the bottom of the screen, so a refusal is in view
                // while the customer scrolls to what it names.
                <div class="customer-mode__bar">
                    <div class="refusal" role="alert" data-testid="sign-off-missing"
                        hidden=move || local_refusal.with(Option::is_none)>
                        {move || local_refusal.get()}
                    </div>
                    <Refusal at=Place::SignOff/>
                    <button type="button" class="button button--primary button--large button--block" data-testid="submit-signature"
                        disabled=busy on:click=submit>
                        {move || i18n.t().submit_signature}
                    </button>
                </div>
            </section>
            <Sheet open=leaving test_id="leave-sheet"
                title=Signal::derive(move || i18n.t().visit.leave_title.to_string())>
                <p class="sheet__body">{move || i18n.t().visit.leave_body}</p>
                <div class="sheet__actions">
                    <button type="button" class="button button--primary button--block" data-testid="keep-answering"
                        on:click=move |_| leaving.set(false)>
                        {move || i18n.t().visit.keep_answering}
                    </button>
                    <button type="button" class="button button--quiet button--block" data-testid="confirm-leave"
                        on:click=move |_| {
                            leaving.set(false);
                            customer.clear();
                            visit.customer_mode.set(false);
                        }>
                        {move || i18n.t().visit.leave}
                    </button>
                </div>
            </Sheet>
        </div>
    }
}

/// The phone's back button leaves the customer's screen as its own button
/// does, asking first once anything is answered; it never drops the
/// customer onto the technician's pages. The screen opens with a history
/// entry of its own, which going back takes; when the screen closes some
/// other way, the entry is taken back.
fn guard_back_button(
    customer_mode: RwSignal<bool>,
    leaving: RwSignal<bool>,
    customer: super::drafts::CustomerAnswers,
) {
    #[cfg(feature = "hydrate")]
    {
        let push = || {
            if let Ok(history) = window().history() {
                let _ = history.push_state(&wasm_bindgen::JsValue::NULL, "");
            }
        };
        push();
        let entry_kept = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let kept = entry_kept.clone();
        let listener = window_event_listener(leptos::ev::popstate, move |_| {
            if !customer_mode.get_untracked() {
                return;
            }
            if customer.touched() {
                push();
                leaving.set(true);
            } else {
                kept.store(false, std::sync::atomic::Ordering::Relaxed);
                customer_mode.set(false);
            }
        });
        on_cleanup(move || {
            listener.remove();
            if entry_kept.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(history) = window().history() {
                    let _ = history.back();
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (customer_mode, leaving, customer);
}

/// Brings the element with `id` into view, below the screen's top.
fn scroll_into_view(id: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(element) = document().get_element_by_id(id) {
        element.scroll_into_view();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
