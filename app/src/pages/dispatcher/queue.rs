use leptos::prelude::*;

use crate::components::load_failure::load_failure;
use crate::domain::complaint_clock::{ClockState, ComplaintStep};
use crate::domain::time::{format_local_date_time, UtcOffset};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::serverfns::complaints::{get_complaint_queue, record_complaint_step, QueueItem};

/// The follow-up queue: complaint steps due today or overdue, oldest
/// complaint first, each with its clock and what the wait costs (1:10:100);
/// the next step is recorded right there.
#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let queue = Resource::new(move || version.get(), |_| get_complaint_queue());
    let failure = RwSignal::new(None::<AppError>);
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
            <h1 id="queue-page-title">{move || i18n.t().follow_up_title}</h1>
            <div class="status status--error" role="alert" data-testid="queue-error"
                hidden=move || failure.with(Option::is_none)>
                {move || failure.get().map(|error| error.user_message(i18n.t()))}
            </div>
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
