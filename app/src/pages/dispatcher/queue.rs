use leptos::prelude::*;

use crate::api::callbacks::{CallAnswerInput, CallItem, CallRecorded};
use crate::api::complaints::QueueItem;
use crate::api::error::AppError;
use crate::components::load_failure::load_failure;
use crate::domain::callback::SamplingForm;
use crate::domain::complaint_clock::{ClockState, ComplaintStep};
use crate::domain::time::{format_local_date_time, UtcOffset};
use crate::i18n::use_i18n;
use crate::serverfns::callbacks::{
    get_call_queue, get_callback_sampling, record_follow_up_call, set_callback_sampling,
};
use crate::serverfns::complaints::{get_complaint_queue, record_complaint_step};

/// The follow-up queue: the calls after service (callback, tracking,
/// survey), then the complaint steps, due today and overdue first, oldest
/// first, each with its clock and what the delay costs (1:10:100); each is
/// answered or recorded right there.
#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let queue = Resource::new(move || version.get(), |_| get_complaint_queue());
    let calls = Resource::new(move || version.get(), |_| get_call_queue());
    let failure = RwSignal::new(None::<AppError>);
    let answered = RwSignal::new(None::<CallRecorded>);
    let sent_from = RwSignal::new(String::new());
    let record_call = Action::new(move |input: &CallAnswerInput| {
        let input = input.clone();
        async move { record_follow_up_call(input).await }
    });
    Effect::new(move |_| match record_call.value().get() {
        Some(Ok(recorded)) => {
            failure.set(None);
            answered.set(Some(recorded));
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => {
            answered.set(None);
            failure.set(Some(error));
        }
        None => {}
    });
    let record = Action::new(
        move |(id, step, note, sheet): &(String, ComplaintStep, String, Option<Vec<String>>)| {
            let (id, step, note, sheet) = (
                id.clone(),
                step.as_str().to_string(),
                note.clone(),
                sheet.clone(),
            );
            async move { record_complaint_step(id, step, note, sheet).await }
        },
    );
    Effect::new(move |_| match record.value().get() {
        Some(Ok(())) => {
            failure.set(None);
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    view! {
        <section class="queue-page" aria-labelledby="queue-page-title">
            <h1 id="queue-page-title">{move || i18n.t().open_follow_up}</h1>
            <div class="status status--error" role="alert" data-testid="queue-error"
                hidden=move || failure.with(Option::is_none)>
                {move || failure.get().map(|error| error.user_message(i18n.t()))}
            </div>
            <p class="status status--ok" role="status" data-testid="call-recorded"
                hidden=move || answered.with(Option::is_none)>
                {move || answered.get().map(|done| (i18n.t().call_recorded)(
                    done.complaint_id.is_some(), done.repeat_work_order_id.is_some()))}
            </p>
            <h2>{move || i18n.t().calls_title}</h2>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match calls.await {
                        Ok(items) if items.is_empty() => view! {
                            <p class="status" data-testid="calls-empty">{move || i18n.t().calls_empty}</p>
                        }.into_any(),
                        Ok(items) => view! {
                            <ol class="follow-up">
                                {items.into_iter().map(|item| view! { <CallCard item record=record_call failure sent_from/> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Transition>
            <h2>{move || i18n.t().follow_up_title}</h2>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(items) if items.is_empty() => view! {
                            <p class="status" data-testid="queue-empty">{move || i18n.t().follow_up_empty}</p>
                        }.into_any(),
                        Ok(items) => view! {
                            <ol class="follow-up">
                                {items.into_iter().map(|item| view! { <QueueCard item record/> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Transition>
            <SamplingSettings/>
        </section>
    }
}

type RecordStep =
    Action<(String, ComplaintStep, String, Option<Vec<String>>), Result<(), AppError>>;

#[component]
fn QueueCard(item: QueueItem, record: RecordStep) -> impl IntoView {
    let i18n = use_i18n();
    let offset = UtcOffset::CHINA;
    let complaint = item.complaint;
    let next = item.next;
    let (state, minutes) = match item.clock {
        ClockState::Running { left_ms } => ("running", left_ms / 60_000),
        ClockState::Overdue { by_ms } => ("overdue", (by_ms + 59_999) / 60_000),
        ClockState::DoneOnTime | ClockState::DoneLate { .. } => ("done", 0),
    };
    let overdue = state == "overdue";
    let weight = item.cost_weight;
    let note = RwSignal::new(String::new());
    let sheet = [(); 5].map(|_| RwSignal::new(String::new()));
    let id = complaint.id.clone();
    let submit = move |_| {
        let parts = (next == ComplaintStep::Rectification)
            .then(|| sheet.iter().map(|part| part.get_untracked()).collect());
        record.dispatch((id.clone(), next, note.get_untracked(), parts));
    };
    view! {
        <li class="follow-up__item" data-testid="follow-up-item" data-complaint=complaint.id.clone()
            data-next=next.as_str() data-state=state data-due-today=item.due_today.to_string()>
            <p class="follow-up__who">
                <strong>{complaint.customer_name}</strong> " " {complaint.customer_phone}
                " · " {format_local_date_time(complaint.received_at, offset)}
                " · " <span data-testid="complaint-owner">{
                    let owner = complaint.owner_name;
                    move || (i18n.t().complaint_owner)(owner.as_deref())
                }</span>
            </p>
            <p class="follow-up__what">{complaint.description}</p>
            <ol class="follow-up__steps">
                {complaint.done.into_iter().map(|done| view! {
                    <li data-testid="follow-up-done" data-step=done.step.as_str()>
                        "✓ " {move || (i18n.t().complaint_step)(done.step)} " · "
                        {format_local_date_time(done.done_at, offset)} " · " {done.done_by}
                    </li>
                }).collect_view()}
            </ol>
            <p class="follow-up__clock" data-testid="follow-up-clock">
                {move || (i18n.t().complaint_step)(next)} ": "
                {format_local_date_time(item.due_at, offset)} " · "
                {move || if overdue { (i18n.t().overdue_minutes)(minutes) } else { (i18n.t().minutes_left)(minutes) }}
                {overdue.then(|| view! { <span class="follow-up__escalated">{move || i18n.t().escalated_to_admin}</span> })}
                " · " <span data-testid="cost-weight">{move || (i18n.t().delay_cost)(weight)}</span>
            </p>
            {if next == ComplaintStep::Rectification {
                view! {
                    <div class="follow-up__sheet">
                        {sheet.into_iter().enumerate().map(|(n, part)| view! {
                            <label>{move || (i18n.t().rectification_part)(n)}
                                <textarea rows="2" maxlength="2000" data-testid="sheet-part"
                                    on:input=move |event| part.set(event_target_value(&event))></textarea>
                            </label>
                        }).collect_view()}
                    </div>
                }.into_any()
            } else {
                view! {
                    <label class="follow-up__note">{move || i18n.t().step_note}
                        <textarea rows="2" maxlength="2000" data-testid="step-note"
                            on:input=move |event| note.set(event_target_value(&event))></textarea>
                    </label>
                }.into_any()
            }}
            <button type="button" class="button button--primary" data-testid="record-step"
                disabled=move || record.pending().get() on:click=submit>
                {move || (i18n.t().record_step)(next)}
            </button>
        </li>
    }
}

type RecordCall = Action<CallAnswerInput, Result<CallRecorded, AppError>>;

/// A call to make: who to ring, about which service, by when, and the
/// answer form (was it fixed, the five ratings, and what it opens).
#[component]
fn CallCard(
    item: CallItem,
    record: RecordCall,
    failure: RwSignal<Option<AppError>>,
    sent_from: RwSignal<String>,
) -> impl IntoView {
    use crate::domain::callback::RATING_FIELDS;
    let i18n = use_i18n();
    let offset = UtcOffset::CHINA;
    let call = item.call;
    let kind = call.kind;
    let weight = item.cost_weight;
    let overdue_minutes = item.overdue_by_ms.map(|ms| (ms + 59_999) / 60_000);
    let fixed = RwSignal::new(String::new());
    let ratings = [(); 5].map(|_| RwSignal::new(String::new()));
    let [comment, complaint, repeat_fault, repeat_start, repeat_end] =
        [(); 5].map(|_| RwSignal::new(String::new()));
    let (visit_id, kind_name) = (call.visit_id.clone(), kind.as_str());
    let card = format!("{visit_id}/{kind_name}");
    let this_card = card.clone();
    // The field the server named, marked on the card that sent the answer.
    let bad_field = Memo::new(move |_| {
        if sent_from.with(|sent| *sent != this_card) {
            return None;
        }
        failure.with(|error| match error {
            Some(AppError::InvalidInput { field, .. }) => Some(field.clone()),
            _ => None,
        })
    });
    let invalid = move |name: &'static str| {
        move || {
            bad_field
                .with(|field| field.as_deref() == Some(name))
                .to_string()
        }
    };
    let submit = move |_| {
        sent_from.set(card.clone());
        record.dispatch(CallAnswerInput {
            visit_id: visit_id.clone(),
            kind: kind_name.to_string(),
            answer: crate::domain::callback::CallAnswerForm {
                fixed: fixed.get_untracked(),
                ratings: ratings.map(|rating| rating.get_untracked()),
                comment: comment.get_untracked(),
                complaint: complaint.get_untracked(),
                repeat_fault: repeat_fault.get_untracked(),
            },
            repeat_start: repeat_start.get_untracked(),
            repeat_end: repeat_end.get_untracked(),
        });
    };
    let text_input = move |signal: RwSignal<String>| {
        move |event: leptos::ev::Event| signal.set(event_target_value(&event))
    };
    view! {
        <li class="follow-up__item" data-testid="call-item" data-visit=call.visit_id.clone()
            data-kind=kind_name data-overdue=overdue_minutes.is_some().to_string()
            data-due-today=item.due_today.to_string()>
            <p class="follow-up__who">
                <strong>{call.customer_name}</strong> " "
                <a href=format!("tel:{}", call.customer_phone)>{call.customer_phone.clone()}</a>
                " · " {move || (i18n.t().call_kind)(kind)}
            </p>
            <p class="follow-up__what">{call.appliance} " · " {call.reported_fault}</p>
            <p class="follow-up__what">{
                let technician = call.technician_name.unwrap_or_default();
                let signed = call.signed_at.map(|at| format_local_date_time(at, offset)).unwrap_or_default();
                move || (i18n.t().call_service)(&technician, &signed)
            }</p>
            <p class="follow-up__clock" data-testid="call-clock">{
                let due = format_local_date_time(call.due_at, offset);
                move || (i18n.t().call_due)(&due)
            }
                {overdue_minutes.map(|minutes| view! {
                    " · " <span class="follow-up__late">{move || (i18n.t().call_overdue)(minutes)}</span>
                    <span class="follow-up__escalated">{move || i18n.t().escalated_to_admin}</span>
                })}
                " · " <span data-testid="cost-weight">{move || (i18n.t().delay_cost)(weight)}</span>
            </p>
            <fieldset class="follow-up__answer" aria-invalid=invalid("fixed")>
                <legend>{move || i18n.t().call_fixed_question}</legend>
                <label><input type="radio" name=format!("fixed-{}-{kind_name}", call.visit_id) value="yes"
                    data-testid="call-fixed-yes" on:change=move |_| fixed.set("yes".into())/>
                    {move || i18n.t().call_fixed_yes}</label>
                <label><input type="radio" name=format!("fixed-{}-{kind_name}", call.visit_id) value="no"
                    data-testid="call-fixed-no" on:change=move |_| fixed.set("no".into())/>
                    {move || i18n.t().call_fixed_no}</label>
            </fieldset>
            <fieldset class="follow-up__ratings">
                <legend>{move || i18n.t().ratings_title}</legend>
                {RATING_FIELDS.into_iter().zip(ratings).map(|(field, rating)| {
                    let dimension = field.trim_start_matches("rating_");
                    view! {
                        <label class="sign-off__rating">
                            <span>{move || (i18n.t().rating_dimension)(dimension)}</span>
                            <select data-testid="call-rating" data-dimension=dimension aria-invalid=invalid(field)
                                on:change=move |event| rating.set(event_target_value(&event))>
                                <option value="" selected>"—"</option>
                                {(1..=5u8).rev().map(|score| view! {
                                    <option value=score.to_string()>{score.to_string()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="follow-up__note">{move || i18n.t().call_comment}
                <textarea rows="2" maxlength="2000" data-testid="call-comment" aria-invalid=invalid("comment")
                    on:input=text_input(comment)></textarea>
            </label>
            <label class="follow-up__note">{move || i18n.t().call_complaint}
                <textarea rows="2" maxlength="2000" data-testid="call-complaint" aria-invalid=invalid("complaint")
                    on:input=text_input(complaint)></textarea>
            </label>
            <label class="follow-up__note">{move || i18n.t().call_repeat_fault}
                <textarea rows="2" maxlength="1000" data-testid="call-repeat-fault" aria-invalid=invalid("repeat_fault")
                    on:input=text_input(repeat_fault)></textarea>
            </label>
            <div class="follow-up__window">
                <label>{move || i18n.t().call_repeat_start}
                    <input type="datetime-local" data-testid="call-repeat-start" aria-invalid=invalid("repeat_start")
                        on:input=text_input(repeat_start)/>
                </label>
                <label>{move || i18n.t().call_repeat_end}
                    <input type="datetime-local" data-testid="call-repeat-end" aria-invalid=invalid("repeat_end")
                        on:input=text_input(repeat_end)/>
                </label>
            </div>
            <button type="button" class="button button--primary" data-testid="record-call"
                disabled=move || record.pending().get() on:click=submit>
                {move || i18n.t().record_call}
            </button>
        </li>
    }
}

/// The callback sampling rates, for admins to change (a dispatcher's page
/// has none of it).
#[component]
fn SamplingSettings() -> impl IntoView {
    let current = Resource::new(|| (), |_| get_callback_sampling());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match current.await {
                    Ok(Some(form)) => view! { <SamplingEditor form/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => load_failure(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn SamplingEditor(form: SamplingForm) -> impl IntoView {
    let i18n = use_i18n();
    let fields = [
        ("contracted", form.contracted),
        ("company_run", form.company_run),
        ("headquarters", form.headquarters),
        ("phone_survey", form.phone_survey),
    ]
    .map(|(name, value)| (name, RwSignal::new(value)));
    let save = Action::new(move |rates: &SamplingForm| {
        let rates = rates.clone();
        async move { set_callback_sampling(rates).await }
    });
    let result = save.value();
    let bad_field = move || match result.get() {
        Some(Err(AppError::InvalidInput { field, .. })) => Some(field),
        _ => None,
    };
    view! {
        <form class="sampling" data-testid="sampling" novalidate=true
            on:submit=move |event| {
                event.prevent_default();
                let [contracted, company_run, headquarters, phone_survey] =
                    fields.map(|(_, value)| value.get_untracked());
                save.dispatch(SamplingForm { contracted, company_run, headquarters, phone_survey });
            }>
            <h2>{move || i18n.t().sampling_title}</h2>
            {fields.into_iter().map(|(name, value)| view! {
                <label>{move || (i18n.t().sampling_label)(name)}
                    <input type="number" min="0" max="100" step="1" inputmode="numeric"
                        data-testid=format!("sampling-{name}")
                        aria-invalid=move || (bad_field().as_deref() == Some(name)).to_string()
                        prop:value=move || value.get()
                        on:input=move |event| value.set(event_target_value(&event))/>
                    " %"
                </label>
            }).collect_view()}
            <button type="submit" class="button" data-testid="save-sampling"
                disabled=move || save.pending().get()>{move || i18n.t().save_sampling}</button>
            {move || result.get().map(|answer| match answer {
                Ok(_) => view! { <p class="status status--ok" role="status" data-testid="sampling-saved">
                    {move || i18n.t().sampling_saved}</p> }.into_any(),
                Err(error) => view! { <p class="status status--error" role="alert" data-testid="sampling-error">
                    {error.user_message(i18n.t())}</p> }.into_any(),
            })}
        </form>
    }
}
