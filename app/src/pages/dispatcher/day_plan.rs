//! "Plan the rest of the day" on the desk: the planner's proposal for every
//! technician of the region, each change to today's assignments with its
//! own Accept, Accept all, and pins that keep a visit with its technician
//! when the dispatcher plans again. Taking a change is an assignment like
//! any other, with its refusal or second press beside the change.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::desk::{DayPlan, NotPlannedWork, PlannedStop};
use crate::api::error::AppError;
use crate::components::load_failure::load_failure;
use crate::domain::assignment::{AssignmentWarning, WarningKind};
use crate::domain::planning::day::{Change, PlanWhich};
use crate::domain::time::format_minute_of_day;
use crate::i18n::use_i18n;

/// One change as the dispatcher takes it: ids made once per change, so a
/// second press or a retry is the same assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acceptance {
    operation_id: String,
    new_visit_id: String,
    work_order_id: String,
    technician_id: String,
    confirmed: Vec<WarningKind>,
}

/// The answer to taking one change, by work order.
#[derive(Clone, Debug, PartialEq)]
enum Answer {
    Accepted,
    Warned(Vec<AssignmentWarning>),
    Refused(AppError),
}

/// The desk's plan of the rest of the day: asked for by the button, kept
/// across the board's reloads, and closed by the dispatcher.
#[derive(Clone, Copy)]
pub struct DayPlanState {
    plan: Action<(PlanWhich, Vec<String>), Result<DayPlan, AppError>>,
    pins: RwSignal<Vec<String>>,
    open: RwSignal<bool>,
    which: RwSignal<PlanWhich>,
}

impl DayPlanState {
    /// `region`: an admin's pick (None: the desk's own).
    pub fn new(region: RwSignal<Option<String>>) -> Self {
        let plan = Action::new(move |(which, pins): &(PlanWhich, Vec<String>)| {
            let pins = pins.join(",");
            let which = which.as_str().to_string();
            let region = region.get_untracked();
            async move {
                crate::serverfns::desk::get_day_plan(
                    region,
                    Some(which),
                    (!pins.is_empty()).then_some(pins),
                )
                .await
            }
        });
        DayPlanState {
            plan,
            pins: RwSignal::new(Vec::new()),
            open: RwSignal::new(false),
            which: RwSignal::new(PlanWhich::RestOfToday),
        }
    }

    pub fn ask(self) {
        self.open.set(true);
        self.plan
            .dispatch((self.which.get_untracked(), self.pins.get_untracked()));
    }

    pub fn pending(self) -> Signal<bool> {
        self.plan.pending().into()
    }
}

/// The proposal, when asked for. `on_changed`: an assignment was taken,
/// so the board reloads.
#[component]
pub fn DayPlanPanel(state: DayPlanState, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let answers = RwSignal::new(HashMap::<String, Answer>::new());
    // A new proposal starts with nothing taken.
    Effect::new(move |_| {
        state.plan.version().track();
        answers.set(HashMap::new());
    });
    let accept = Action::new(move |wanted: &Vec<Acceptance>| {
        let wanted = wanted.clone();
        async move {
            // One after another: each assignment counts the ones before it
            // in the technician's load.
            let mut answered = Vec::with_capacity(wanted.len());
            for acceptance in wanted {
                let answer = crate::sync::assign_once(
                    acceptance.operation_id,
                    acceptance.new_visit_id,
                    acceptance.work_order_id.clone(),
                    acceptance.technician_id,
                    acceptance.confirmed,
                )
                .await;
                answered.push((acceptance.work_order_id, answer));
            }
            answered
        }
    });
    Effect::new(move |_| {
        let Some(answered) = accept.value().get() else {
            return;
        };
        let any_taken = answered.iter().any(|(_, answer)| answer.is_ok());
        answers.update(|answers| {
            for (order, answer) in answered {
                answers.insert(
                    order,
                    match answer {
                        Ok(_) => Answer::Accepted,
                        Err(AppError::AssignmentNeedsConfirmation { warnings }) => {
                            Answer::Warned(warnings)
                        }
                        Err(error) => Answer::Refused(error),
                    },
                );
            }
        });
        if any_taken {
            on_changed.run(());
        }
    });

    view! {
        <Show when=move || state.open.get()>
            <section class="day-plan" aria-labelledby="day-plan-title" data-testid="day-plan">
                <div class="day-plan__head">
                    <h2 id="day-plan-title">{move || (i18n.t().day_plan.title)(state.which.get())}</h2>
                    <div class="day-plan__which" role="group" aria-label=move || i18n.t().day_plan.which_label>
                        {[PlanWhich::RestOfToday, PlanWhich::Tomorrow].into_iter().map(|which| view! {
                            <button type="button" class="toggle" data-testid=format!("day-plan-{}", which.as_str())
                                aria-pressed=move || (state.which.get() == which).to_string()
                                disabled=move || state.plan.pending().get()
                                on:click=move |_| {
                                    if state.which.get_untracked() != which {
                                        state.which.set(which);
                                        state.pins.set(Vec::new());
                                        state.ask();
                                    }
                                }>
                                {move || (i18n.t().day_plan.which)(which)}
                            </button>
                        }).collect_view()}
                    </div>
                    <button type="button" class="button button--quiet" data-testid="day-plan-close"
                        on:click=move |_| state.open.set(false)>
                        {move || i18n.t().day_plan.close}
                    </button>
                </div>
                {move || {
                    if state.plan.pending().get() {
                        return view! { <p class="status" role="status">{move || i18n.t().day_plan.planning}</p> }.into_any();
                    }
                    match state.plan.value().get() {
                        None => ().into_any(),
                        Some(Err(error)) => load_failure(error),
                        Some(Ok(plan)) => proposal(plan, state, answers, accept),
                    }
                }}
            </section>
        </Show>
    }
}

type AcceptAction = Action<Vec<Acceptance>, Vec<(String, Result<String, AppError>)>>;

fn proposal(
    plan: DayPlan,
    state: DayPlanState,
    answers: RwSignal<HashMap<String, Answer>>,
    accept: AcceptAction,
) -> AnyView {
    let i18n = use_i18n();
    let (now, proposed) = (plan.now, plan.proposed);
    // Each change's ids, made once for this proposal.
    let changes: Vec<Acceptance> = plan
        .lanes
        .iter()
        .flat_map(|lane| {
            lane.stops
                .iter()
                .filter(|stop| stop.change != Change::Keeps)
                .map(|stop| Acceptance {
                    operation_id: fresh_id(),
                    new_visit_id: fresh_id(),
                    work_order_id: stop.work.work_order_id.clone(),
                    technician_id: lane.technician_id.clone(),
                    confirmed: Vec::new(),
                })
        })
        .collect();
    let change_count = changes.len();
    let by_order: HashMap<String, Acceptance> = changes
        .iter()
        .map(|acceptance| (acceptance.work_order_id.clone(), acceptance.clone()))
        .collect();
    // The changes not taken yet, for Accept all.
    let waiting = Signal::derive({
        let changes = changes.clone();
        move || -> Vec<Acceptance> {
            answers.with(|answers| {
                changes
                    .iter()
                    .filter(|change| {
                        !matches!(answers.get(&change.work_order_id), Some(Answer::Accepted))
                    })
                    .cloned()
                    .collect()
            })
        }
    });
    let not_planned = plan.not_planned;
    // Technicians with nothing to do that day are named in one line.
    let (lanes, idle): (Vec<_>, Vec<_>) = plan
        .lanes
        .into_iter()
        .partition(|lane| !lane.stops.is_empty());
    let idle: Vec<String> = idle.into_iter().map(|lane| lane.name).collect();
    view! {
        <div class="day-plan__summary">
            <p data-testid="day-plan-now">{move || (i18n.t().day_plan.figures_now)(&now)}</p>
            <p data-testid="day-plan-proposed"><strong>{move || (i18n.t().day_plan.figures_proposed)(&proposed)}</strong></p>
            <p class="field__hint">{move || i18n.t().day_plan.hint}</p>
        </div>
        <div class="day-plan__actions">
            {if change_count == 0 {
                view! { <p class="status status--ok" data-testid="day-plan-no-changes">{move || i18n.t().day_plan.no_changes}</p> }.into_any()
            } else {
                view! {
                    <button type="button" class="button button--primary" data-testid="day-plan-accept-all"
                        disabled=move || { accept.pending().get() || waiting.with(Vec::is_empty) }
                        on:click=move |_| { accept.dispatch(waiting.get()); }>
                        {move || (i18n.t().day_plan.accept_all)(waiting.with(Vec::len))}
                    </button>
                }.into_any()
            }}
            <button type="button" class="button" data-testid="day-plan-replan"
                disabled=move || accept.pending().get()
                on:click=move |_| state.ask()>
                {move || i18n.t().day_plan.replan}
            </button>
        </div>
        <div class="day-plan__lanes">
            {lanes.into_iter().map(|lane| {
                let by_order = by_order.clone();
                view! {
                    <article class="day-plan__lane" data-testid="day-plan-lane" data-technician=lane.technician_id.clone()>
                        <h3>{lane.name.clone()}</h3>
                        <ol class="day-plan__stops">
                            {lane.stops.into_iter().map(|stop| {
                                let acceptance = by_order.get(&stop.work.work_order_id).cloned();
                                view! { <PlanStop stop acceptance state answers accept/> }
                            }).collect_view()}
                        </ol>
                    </article>
                }
            }).collect_view()}
        </div>
        {(!idle.is_empty()).then(|| view! {
            <p class="day-plan__idle" data-testid="day-plan-idle">
                {move || (i18n.t().day_plan.idle)(&(i18n.t().list_in_words)(&idle.iter().map(String::as_str).collect::<Vec<_>>()))}
            </p>
        })}
        {(!not_planned.is_empty()).then(|| not_planned_list(not_planned))}
    }
    .into_any()
}

fn fresh_id() -> String {
    crate::domain::ids::new_id()
        .map(|id| id.to_string())
        .unwrap_or_default()
}

/// One stop of a proposed route: when the technician would be at the door,
/// the change with its Accept, and the pin.
#[component]
fn PlanStop(
    stop: PlannedStop,
    acceptance: Option<Acceptance>,
    state: DayPlanState,
    answers: RwSignal<HashMap<String, Answer>>,
    accept: AcceptAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let work = stop.work;
    let arrives = format_minute_of_day(stop.arrives);
    let window = work.window.format_local(work.utc_offset);
    let change = stop.change;
    let holder = work.holder_name.clone();
    let order = work.work_order_id.clone();
    let answer = move || answers.with(|answers| answers.get(&order).cloned());
    let accepted = {
        let answer = answer.clone();
        move || matches!(answer(), Some(Answer::Accepted))
    };
    // A pin for assigned work the technician has not set off for.
    let pin = work
        .visit_id
        .clone()
        .filter(|visit| !work.kept || state.pins.with_untracked(|pins| pins.contains(visit)));
    let set_off = work.kept && pin.is_none();
    let change_text = {
        let holder = holder.clone();
        move || (i18n.t().day_plan.change)(change, holder.as_deref())
    };
    view! {
        <li class="day-plan__stop" class:day-plan__stop--change=change != Change::Keeps
            data-testid="day-plan-stop" data-change=change_tag(change) data-order=work.work_order_id.clone()
            data-visit=work.visit_id.clone().unwrap_or_default()>
            <p class="day-plan__when">
                <strong>{move || (i18n.t().day_plan.arrives)(&arrives)}</strong>
                {stop.late.then(|| view! { <span class="chip chip--danger chip--small" data-testid="day-plan-late">{move || i18n.t().day_plan.late}</span> })}
            </p>
            <p class="day-plan__what">
                <span class="day-plan__customer" translate="no">{work.customer_name.clone()}</span>
                " · " <time>{window}</time>
                " · " <span class="chip chip--small" class:chip--info=change != Change::Keeps data-testid="day-plan-change">{change_text}</span>
            </p>
            {set_off.then(|| view! { <p class="day-plan__note">{move || i18n.t().day_plan.set_off}</p> })}
            <div class="day-plan__buttons">
                {acceptance.clone().map(|acceptance| {
                    let accepted = accepted.clone();
                    view! {
                        <button type="button" class="button button--small button--primary" data-testid="day-plan-accept"
                            hidden=accepted
                            disabled=move || accept.pending().get()
                            on:click=move |_| { accept.dispatch(vec![acceptance.clone()]); }>
                            {move || i18n.t().day_plan.accept}
                        </button>
                    }
                })}
                {pin.map(|visit| {
                    let name = holder.clone().unwrap_or_default();
                    let pinned = {
                        let visit = visit.clone();
                        move || state.pins.with(|pins| pins.contains(&visit))
                    };
                    view! {
                        <button type="button" class="toggle" data-testid="day-plan-pin"
                            aria-pressed=move || pinned().to_string()
                            on:click=move |_| state.pins.update(|pins| {
                                if let Some(at) = pins.iter().position(|pin| *pin == visit) {
                                    pins.remove(at);
                                } else {
                                    pins.push(visit.clone());
                                }
                            })>
                            {move || (i18n.t().day_plan.pin)(&name)}
                        </button>
                    }
                })}
            </div>
            {move || answer().map(|answer| stop_answer(answer, acceptance.clone(), accept))}
        </li>
    }
}

fn change_tag(change: Change) -> &'static str {
    match change {
        Change::Keeps => "keeps",
        Change::Takes => "takes",
        Change::TakesOver { .. } => "takes_over",
    }
}

/// Taken, or the refusal, or the warnings with the second press, under the
/// change they answer.
fn stop_answer(answer: Answer, acceptance: Option<Acceptance>, accept: AcceptAction) -> AnyView {
    let i18n = use_i18n();
    match answer {
        Answer::Accepted => view! {
            <p class="day-plan__answer status status--ok" role="status" data-testid="day-plan-accepted">
                {move || i18n.t().day_plan.accepted}
            </p>
        }
        .into_any(),
        Answer::Warned(warnings) => {
            let again = acceptance.map(|acceptance| Acceptance {
                confirmed: warnings.iter().map(AssignmentWarning::kind).collect(),
                ..acceptance
            });
            view! {
                <div class="day-plan__answer lane__answer lane__answer--warning" role="alert" data-testid="day-plan-confirm">
                    <p>{move || i18n.t().assignment_confirm_intro}</p>
                    <ul>
                        {warnings.into_iter().map(|warning| view! {
                            <li>{move || (i18n.t().assignment_warning)(&warning)}</li>
                        }).collect_view()}
                    </ul>
                    {again.map(|again| view! {
                        <button type="button" class="button button--small button--primary" data-testid="day-plan-accept-anyway"
                            disabled=move || accept.pending().get()
                            on:click=move |_| { accept.dispatch(vec![again.clone()]); }>
                            {move || i18n.t().day_plan.accept_anyway}
                        </button>
                    })}
                </div>
            }
            .into_any()
        }
        Answer::Refused(error) => view! {
            <p class="day-plan__answer lane__answer lane__answer--refused" role="alert" data-testid="day-plan-refusal">
                {move || error.user_message(i18n.t())}
            </p>
        }
        .into_any(),
    }
}

fn not_planned_list(not_planned: Vec<NotPlannedWork>) -> AnyView {
    let i18n = use_i18n();
    let count = not_planned.len();
    view! {
        <details class="day-plan__left-out" data-testid="day-plan-left-out">
            <summary>{move || (i18n.t().day_plan.not_planned_title)(count)}</summary>
            <ul>
                {not_planned.into_iter().map(|left_out| {
                    let window = left_out.work.window.format_local(left_out.work.utc_offset);
                    let why = left_out.why;
                    view! {
                        <li data-testid="day-plan-left-out-item">
                            <strong translate="no">{left_out.work.customer_name}</strong> " · " <time>{window}</time>
                            " · " {move || (i18n.t().day_plan.not_planned)(why)}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </details>
    }
    .into_any()
}
