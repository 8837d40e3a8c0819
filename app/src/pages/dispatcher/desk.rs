use leptos::prelude::*;

use super::board_axis;
use super::board_map::BoardMap;
use super::day_plan::{DayPlanPanel, DayPlanState};
use super::intake::IntakeForm;
use crate::api::desk::{
    Board, HeldWork, Lane, OrderSuggestions, PassedOverTechnician, QueuedOrder, SuggestedTechnician,
};
use crate::api::error::AppError;
use crate::api::today::TodayVisit;
use crate::components::load_failure::load_failure;
use crate::domain::assignment::{AssignmentRefused, AssignmentWarning, WarningKind};
use crate::domain::conflict::SettlementOutcome;
use crate::domain::planning::suggest::PassedOver;
use crate::domain::time::{format_local_date_time, format_minute_of_day};
use crate::domain::visit::{ArrivalRisk, VisitStatus};
use crate::i18n::suggest::suggestion_figures;
use crate::i18n::use_i18n;
use crate::serverfns::desk::{get_board, get_suggestions};

/// What the dispatcher has picked up to put on a lane: an order from the
/// queue, or a visit to move to another technician.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Picked {
    work_order_id: String,
    label: String,
    /// The lane a visit is picked from (None: an order from the queue).
    from_technician: Option<String>,
}

impl Picked {
    /// A visit on the board, to hand on.
    fn visit(visit: &TodayVisit) -> Picked {
        Picked {
            work_order_id: visit.work_order_id.clone(),
            label: visit.customer_name.clone(),
            from_technician: visit.technician_id.clone(),
        }
    }
}

/// An assignment as the dispatcher asks for it: the order, the lane's
/// technician, and the warnings they pressed again for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AssignRequest {
    work_order_id: String,
    technician_id: String,
    confirmed: Vec<WarningKind>,
}

/// The answer to the last assignment, kept with the lane it was asked on
/// so a refusal or a warning shows beside that lane's button.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LaneAnswer {
    technician_id: String,
    work_order_id: String,
    error: AppError,
}

/// Answers with its request, so the answer finds its lane.
type AssignAction = Action<AssignRequest, (AssignRequest, Result<String, AppError>)>;

/// The dispatcher's desk: take a work order, put a technician on it, and
/// watch the day; changes made on phones arrive without a reload.
#[component]
pub fn DeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    // An admin's pick of region; a dispatcher's is their own.
    let region = RwSignal::new(None::<String>);
    let board = Resource::new(
        move || (version.get(), region.get()),
        |(_, region)| get_board(region),
    );
    let picked = RwSignal::new(None::<Picked>);
    let answer = RwSignal::new(None::<LaneAnswer>);
    let reload = move || version.update(|v| *v += 1);
    let assign: AssignAction = Action::new(move |request: &AssignRequest| {
        let request = request.clone();
        async move {
            let result = crate::sync::assign(
                request.work_order_id.clone(),
                request.technician_id.clone(),
                request.confirmed.clone(),
            )
            .await;
            (request, result)
        }
    });
    Effect::new(move |_| match assign.value().get() {
        Some((_, Ok(_))) => {
            answer.set(None);
            picked.set(None);
            reload();
        }
        Some((request, Err(error))) => answer.set(Some(LaneAnswer {
            technician_id: request.technician_id,
            work_order_id: request.work_order_id,
            error,
        })),
        None => {}
    });
    // A new pick starts afresh: the last lane's answer was about another order.
    Effect::new(move |_| {
        picked.track();
        answer.set(None);
    });
    let live = RwSignal::new(false);
    listen_for_changes(reload, live);
    // The last settlement of held work: its item leaves the board.
    let settled_notice = RwSignal::new(None::<(SettlementOutcome, String)>);
    let day_plan = DayPlanState::new(region);
    let lane_order = RwSignal::new(LaneOrder::ByLoad);
    let opened = RwSignal::new(None::<String>);
    let on_settled = Callback::new(move |settled: (SettlementOutcome, String)| {
        settled_notice.set(Some(settled));
        reload();
    });

    view! {
        <section class="desk" aria-labelledby="desk-title">
            <div class="desk__heading">
                <h1 id="desk-title">{move || i18n.t().desk_title}</h1>
                <button type="button" class="button button--primary" data-testid="plan-day"
                    disabled=move || day_plan.pending().get()
                    on:click=move |_| day_plan.ask()>
                    {move || i18n.t().day_plan.open}
                </button>
                <a class="button button--quiet" href="/dashboard" data-testid="open-dashboard">{move || i18n.t().dashboard.title}</a>
                <a class="button button--quiet" href="/queue" data-testid="open-queue">{move || i18n.t().open_follow_up}</a>
                <p class="desk__live" data-testid="live-status" data-live=move || live.get().to_string()>
                    {move || if live.get() { i18n.t().live_on } else { i18n.t().live_off }}
                </p>
            </div>
            {move || settled_notice.get().map(|(outcome, customer)| view! {
                <p class="status status--ok" role="status" data-testid="settled-notice">
                    {move || (i18n.t().held_work.settled)(outcome, &customer)}
                </p>
            })}
            <DayPlanPanel state=day_plan on_changed=Callback::new(move |_| reload())/>
            <div class="desk__columns">
                <IntakeForm on_taken=Callback::new(move |_| reload())/>
                <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match board.await {
                            Ok(board) => view! { <BoardView board picked assign answer on_settled region lane_order opened/> }.into_any(),
                            Err(error) => load_failure(error),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn BoardView(
    board: Board,
    picked: RwSignal<Option<Picked>>,
    assign: AssignAction,
    answer: RwSignal<Option<LaneAnswer>>,
    on_settled: Callback<(SettlementOutcome, String)>,
    region: RwSignal<Option<String>>,
    lane_order: RwSignal<LaneOrder>,
    opened: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let queue_count = board.queue.len();
    let lanes = board.lanes;
    let held = board.held;
    let (map_lanes, map_queue) = (lanes.clone(), board.queue.clone());
    // The order picked from the queue, ringed on the map.
    let picked_order = Signal::derive(move || {
        picked.with(|picked| {
            picked
                .as_ref()
                .filter(|picked| picked.from_technician.is_none())
                .map(|picked| picked.work_order_id.clone())
        })
    });
    let shown_region = board.region_id.clone();
    let picker = (board.regions.len() > 1).then(|| {
        view! {
            <label class="field desk__region">
                <span class="field__label">{move || i18n.t().desk_region}</span>
                <select class="field__input" data-testid="desk-region"
                    on:change=move |event| region.set(Some(event_target_value(&event)))>
                    {board.regions.into_iter().map(|(id, name)| {
                        let selected = id == shown_region;
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    });
    view! {
        // One grid cell beside intake: held work, queue and lanes together.
        <div class="board">
        {picker}
        {(!held.is_empty()).then(|| view! { <HeldWorkList held on_settled/> })}
        <div class="board__top">
        <section class="queue" aria-labelledby="queue-title" data-testid="queue">
            <h2 id="queue-title">{move || (i18n.t().queue_title)(queue_count)}</h2>
            <ol class="queue__list">
                {board.queue.into_iter().map(|order| view! { <QueueCard order picked assign/> }).collect_view()}
            </ol>
        </section>
        <BoardMap lanes=map_lanes queue=map_queue picked=picked_order opened=Signal::from(opened)/>
        </div>
        <section class="lanes" aria-labelledby="lanes-title">
            <div class="lanes__head">
                <h2 id="lanes-title">{move || i18n.t().lanes_title}</h2>
                <div class="lanes__sort" role="group" aria-label=move || i18n.t().board.sort_label>
                    {[LaneOrder::ByLoad, LaneOrder::ByName].into_iter().map(|order| view! {
                        <button type="button" class="toggle" data-testid=format!("lanes-{}", order.as_str())
                            aria-pressed=move || (lane_order.get() == order).to_string()
                            on:click=move |_| lane_order.set(order)>
                            {move || match order {
                                LaneOrder::ByLoad => i18n.t().board.sort_by_load,
                                LaneOrder::ByName => i18n.t().board.sort_by_name,
                            }}
                        </button>
                    }).collect_view()}
                </div>
            </div>
            <p class="lanes__hint">
                {move || picked.get().map_or_else(
                    || i18n.t().board.move_hint.to_string(),
                    |p| (i18n.t().picked_hint)(&p.label),
                )}
            </p>
            <div class="lanes__list">
                <div class="lanes__axis" role="img" aria-label=move || i18n.t().board.axis_label>
                    <span class="lanes__axis-gap"></span>
                    <span class="lanes__axis-hours">
                        {board_axis::hour_marks().map(|minute| {
                            view! {
                                <span class="lanes__hour" data-slot=board_axis::slot_of(minute)>
                                    {format_minute_of_day(minute)}
                                </span>
                            }
                        }).collect_view()}
                    </span>
                </div>
                {move || {
                    // Each lane keeps its route's colour on the map, in
                    // whatever order the lanes are shown.
                    let mut lanes: Vec<(usize, Lane)> = lanes.iter().cloned().enumerate().collect();
                    lane_order.get().sort(&mut lanes, |(_, lane)| lane);
                    lanes.into_iter().map(|(colour, lane)| view! { <LaneView lane colour picked assign answer opened/> }).collect_view()
                }}
            </div>
        </section>
        </div>
    }
}

/// Work technicians did offline on visits the office changed meanwhile:
/// kept, for the dispatcher to settle with the technician and customer.
#[component]
fn HeldWorkList(
    held: Vec<HeldWork>,
    on_settled: Callback<(SettlementOutcome, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="held-work" aria-labelledby="held-work-title" data-testid="held-work">
            <h2 id="held-work-title">{move || i18n.t().held_work_title}</h2>
            <ul class="held-work__list">
                {held.into_iter().map(|work| view! { <HeldItem work on_settled/> }).collect_view()}
            </ul>
        </section>
    }
}

/// One held operation with its three settlements: apply it to the visit as
/// it stands, keep it as the technician's record, or close it with a reason.
#[component]
fn HeldItem(work: HeldWork, on_settled: Callback<(SettlementOutcome, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = crate::domain::time::UtcOffset::CHINA;
    // Made once for this item: a double press or a resend is one settlement.
    let settlement_id = crate::domain::ids::new_id()
        .map(|id| id.to_string())
        .unwrap_or_default();
    let reason = work.reason;
    let closing = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    // The refusal, and whether it is the visit's rules refusing the work as
    // it stands (said in the desk's own words).
    let refusal = RwSignal::new(None::<(bool, AppError)>);
    let customer = work.customer_name.clone();
    let operation_id = work.operation_id.clone();
    // Answers with the outcome asked for, so a refusal says what it refused.
    let settle = Action::new(
        move |(outcome, note): &(SettlementOutcome, Option<String>)| {
            let (outcome, note) = (*outcome, note.clone());
            let (settlement_id, operation_id) = (settlement_id.clone(), operation_id.clone());
            async move {
                let answer =
                    crate::sync::settle_held(settlement_id, operation_id, outcome, note).await;
                (outcome, answer)
            }
        },
    );
    Effect::new(move |_| match settle.value().get() {
        Some((_, Ok(stored))) => {
            refusal.set(None);
            on_settled.run((stored, customer.clone()));
        }
        Some((asked, Err(error))) => {
            // The visit's own rules refusing the work as it stands.
            let visit_refused = asked == SettlementOutcome::Applied
                && matches!(
                    error,
                    AppError::Conflict { .. }
                        | AppError::Forbidden
                        | AppError::NotReadyToFinish { .. }
                );
            refusal.set(Some((visit_refused, error)));
        }
        None => {}
    });
    let pending = settle.pending();
    let kind = work.kind.clone();
    let note_id = format!("held-note-{}", work.operation_id);
    let note_hint_id = format!("held-note-hint-{}", work.operation_id);
    view! {
        <li class="held-work__item" data-testid="held-work-item" data-reason=reason.as_str()
            data-operation=work.operation_id.clone()>
            <p class="held-work__what">
                <a class="link" href=format!("/visits/{}/record", work.visit_id) translate="no">{work.customer_name.clone()}</a>
                " · " <span translate="no">{work.technician_name.clone()}</span> " · " {move || (i18n.t().change_kind)(&kind)}
                " · " {move || (i18n.t().held_work.made_on_phone)(&crate::domain::time::format_local_date_time(work.device_at, offset))}
            </p>
            <p class="held-work__why">{move || (i18n.t().held_work.reason)(reason)}</p>
            <div class="held-work__actions" hidden=move || closing.get()>
                <button type="button" class="button button--small button--primary" data-testid="settle-apply"
                    disabled=move || pending.get()
                    on:click=move |_| { settle.dispatch((SettlementOutcome::Applied, None)); }>
                    {move || i18n.t().held_work.apply}
                </button>
                <button type="button" class="button button--small" data-testid="settle-record"
                    disabled=move || pending.get()
                    on:click=move |_| { settle.dispatch((SettlementOutcome::Recorded, None)); }>
                    {move || i18n.t().held_work.record}
                </button>
                <button type="button" class="button button--small button--quiet" data-testid="settle-close"
                    disabled=move || pending.get()
                    on:click=move |_| { refusal.set(None); closing.set(true); }>
                    {move || i18n.t().held_work.close}
                </button>
            </div>
            <form class="held-work__close" hidden=move || !closing.get()
                on:submit=move |event| {
                    event.prevent_default();
                    settle.dispatch((SettlementOutcome::Closed, Some(note.get_untracked())));
                }>
                <div class="field">
                    <label class="field__label" for=note_id.clone()>{move || i18n.t().held_work.note_label}</label>
                    <input class="field__input" id=note_id type="text" maxlength="300" data-testid="settle-note"
                        aria-describedby=note_hint_id.clone()
                        prop:value=move || note.get()
                        on:input=move |event| { refusal.set(None); note.set(event_target_value(&event)); }/>
                    <p class="field__hint" id=note_hint_id>{move || i18n.t().held_work.note_hint}</p>
                </div>
                <div class="held-work__actions">
                    <button type="submit" class="button button--small button--warning" data-testid="settle-close-confirm"
                        disabled=move || pending.get()>
                        {move || i18n.t().held_work.close_confirm}
                    </button>
                    <button type="button" class="button button--small button--quiet" data-testid="settle-close-cancel"
                        on:click=move |_| { refusal.set(None); closing.set(false); }>
                        {move || i18n.t().held_work.cancel}
                    </button>
                </div>
            </form>
            {move || refusal.get().map(|(visit_refused, error)| view! {
                <p class="held-work__refusal" role="alert" data-testid="settle-refusal">
                    {move || if visit_refused {
                        (i18n.t().held_work.apply_refused)(reason).to_string()
                    } else {
                        error.user_message(i18n.t())
                    }}
                </p>
            })}
        </li>
    }
}

#[component]
fn QueueCard(
    order: QueuedOrder,
    picked: RwSignal<Option<Picked>>,
    assign: AssignAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let window = order.window.format_local_with_date(order.utc_offset);
    let due = format_local_date_time(order.due, order.utc_offset);
    let number = crate::domain::ids::RecordId::parse("id", &order.id)
        .map(|id| crate::domain::work_order::order_number(&id))
        .unwrap_or_default();
    let category = order.category;
    let urgent = order.priority == crate::domain::work_order::Priority::Urgent;
    let this = Picked {
        work_order_id: order.id.clone(),
        label: order.customer_name.clone(),
        from_technician: None,
    };
    let is_picked = {
        let id = order.id.clone();
        move || picked.with(|p| p.as_ref().is_some_and(|p| p.work_order_id == id))
    };
    let picked_here = is_picked.clone();
    let order_id = order.id.clone();
    view! {
        <li class="queue__card" data-testid="queued-order" data-order=order.id.clone()>
            <p class="queue__customer">
                <a href=format!("/customers/{}", order.customer_id) data-testid="customer-link">
                    <strong translate="no">{order.customer_name.clone()}</strong>
                </a>
                {urgent.then(|| view! { <span class="queue__urgent">{move || i18n.t().urgent}</span> })}
            </p>
            <p>{move || (i18n.t().appliance_category)(category)} " " <span translate="no">{order.appliance}</span> " · " <span translate="no">{order.reported_fault}</span></p>
            <p><time>{window}</time></p>
            <p class="queue__number">
                {move || i18n.t().intake.order_number} " " <span data-testid="order-number">{number}</span>
            </p>
            <p class="queue__due" data-testid="order-due">{move || (i18n.t().due_by)(&due)}</p>
            <button type="button" class="button" data-testid="pick-order"
                aria-pressed=move || is_picked().to_string()
                on:click=move |_| picked.set(Some(this.clone()))>
                {move || i18n.t().pick}
            </button>
            {move || picked_here().then(|| view! { <Suggestions work_order_id=order_id.clone() assign/> })}
        </li>
    }
}

/// The technicians proposed for the picked order, best first, each with
/// the predicted arrival and the figures behind it and a button that
/// assigns (its answer shows in that technician's lane); then, folded, why
/// every other technician was passed over.
#[component]
fn Suggestions(work_order_id: String, assign: AssignAction) -> impl IntoView {
    let i18n = use_i18n();
    let order = work_order_id.clone();
    let found = Resource::new(|| (), move |_| get_suggestions(order.clone()));
    view! {
        <section class="suggestions" aria-labelledby=format!("suggestions-{work_order_id}") data-testid="suggestions">
            <h3 id=format!("suggestions-{work_order_id}")>{move || i18n.t().suggest.title}</h3>
            <Suspense fallback=move || view! { <p class="status">{move || i18n.t().suggest.loading}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(found) => suggestion_list(found, assign),
                        Err(error) => load_failure(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn suggestion_list(found: OrderSuggestions, assign: AssignAction) -> AnyView {
    let i18n = use_i18n();
    let order_id = found.work_order_id.clone();
    let others = found.passed_over.len();
    let nobody = found.best.is_empty();
    view! {
        {(!found.order_located).then(|| view! {
            <p class="suggestions__note" data-testid="suggestions-unlocated">{move || i18n.t().suggest.unlocated_order}</p>
        })}
        {nobody.then(|| view! { <p class="suggestions__note" data-testid="suggestions-none">{move || i18n.t().suggest.nobody}</p> })}
        <ol class="suggestions__list">
            {found.best.into_iter().map(|best| {
                let SuggestedTechnician { technician_id, name, suggested } = best;
                let arrives = format_minute_of_day(suggested.fit.arrives);
                let warnings = suggested.warnings.clone();
                let request = AssignRequest {
                    work_order_id: order_id.clone(),
                    technician_id: technician_id.clone(),
                    confirmed: Vec::new(),
                };
                let button_name = name.clone();
                view! {
                    <li class="suggestion" data-testid="suggestion" data-technician=technician_id.clone()>
                        <p class="suggestion__who">
                            <strong>{name.clone()}</strong>
                            <span class="suggestion__arrives" data-testid="suggestion-arrives">
                                {move || (i18n.t().suggest.arrives)(&arrives)}
                            </span>
                        </p>
                        <ul class="suggestion__why" data-testid="suggestion-why">
                            {move || {
                                suggestion_figures(i18n.t().suggest, &suggested).into_iter().map(|figure| view! { <li class="chip">{figure}</li> }).collect_view()
                            }}
                        </ul>
                        {(!warnings.is_empty()).then(|| view! {
                            <p class="suggestion__confirm" data-testid="suggestion-warnings">
                                {move || {
                                    let texts: Vec<String> = warnings.iter().map(|w| (i18n.t().assignment_warning)(w)).collect();
                                    format!("{}{}", i18n.t().suggest.needs_confirming, texts.join(" "))
                                }}
                            </p>
                        })}
                        <button type="button" class="button button--primary" data-testid="assign-suggested"
                            disabled=move || assign.pending().get()
                            on:click=move |_| { assign.dispatch(request.clone()); }>
                            {move || (i18n.t().suggest.assign_to)(&button_name)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ol>
        {(others > 0).then(|| view! {
            <details class="suggestions__others" data-testid="passed-over">
                <summary>{move || (i18n.t().suggest.passed_over_title)(others)}</summary>
                <ul>
                    {found.passed_over.into_iter().map(|other| {
                        let PassedOverTechnician { technician_id, name, why } = other;
                        view! {
                            <li data-testid="passed-over-technician" data-technician=technician_id>
                                <strong translate="no">{name}</strong> " " {move || {
                                    let typed = match &why {
                                        PassedOver::Refused(AssignmentRefused::OtherBrand(brand)) => vec![brand.clone()],
                                        _ => Vec::new(),
                                    };
                                    marking_typed(passed_over_reason(&why), &typed)
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        })}
    }
    .into_any()
}

/// A sentence in the desk's own words with what someone typed inside it (a
/// brand), each typed part marked so that no translator touches it.
fn marking_typed(sentence: String, typed: &[String]) -> impl IntoView {
    let mut pieces = Vec::new();
    let mut rest = sentence.as_str();
    // The earliest typed part next, the longest where two start together.
    while let Some((at, len)) = typed
        .iter()
        .filter(|part| !part.is_empty())
        .filter_map(|part| rest.find(part.as_str()).map(|at| (at, part.len())))
        .min_by_key(|&(at, len)| (at, std::cmp::Reverse(len)))
    {
        if at > 0 {
            pieces.push(rest[..at].to_string().into_any());
        }
        let part = rest[at..at + len].to_string();
        pieces.push(view! { <span translate="no">{part}</span> }.into_any());
        rest = &rest[at + len..];
    }
    if !rest.is_empty() {
        pieces.push(rest.to_string().into_any());
    }
    pieces.collect_view()
}

/// Why a technician was passed over, as a sentence in the page's language.
fn passed_over_reason(why: &PassedOver) -> String {
    let messages = use_i18n().t();
    match why {
        PassedOver::Refused(refused) => (messages.assignment_refused)(refused),
        PassedOver::NoArrivalInWindow { earliest } => {
            (messages.suggest.passed_over_no_time)(earliest.map(format_minute_of_day).as_deref())
        }
        PassedOver::RankedLower(lower) => {
            let mut figures = suggestion_figures(messages.suggest, lower);
            figures.insert(
                0,
                (messages.suggest.arrives)(&format_minute_of_day(lower.fit.arrives)),
            );
            figures.extend(
                lower
                    .warnings
                    .iter()
                    .map(|w| (messages.assignment_warning)(w)),
            );
            format!(
                "{}{}",
                messages.suggest.passed_over_lower,
                (messages.list_in_words)(&figures.iter().map(String::as_str).collect::<Vec<_>>())
            )
        }
    }
}

/// How the board orders its lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LaneOrder {
    /// The busiest first (open visits of the day), then by name.
    ByLoad,
    /// As the region lists them: active first, then by name.
    ByName,
}

impl LaneOrder {
    fn as_str(self) -> &'static str {
        match self {
            LaneOrder::ByLoad => "by-load",
            LaneOrder::ByName => "by-name",
        }
    }

    /// Sorts whatever carries a lane (`lane_of` finds it) in this order.
    fn sort<T>(self, items: &mut [T], lane_of: impl Fn(&T) -> &Lane) {
        if self == LaneOrder::ByLoad {
            // Stable: equal loads keep the region's order.
            items.sort_by_key(|item| {
                let lane = lane_of(item);
                (
                    !lane.active,
                    std::cmp::Reverse(lane.visits.iter().filter(|v| !v.status.is_final()).count()),
                )
            });
        }
    }
}

/// A visit's window in minutes after its local midnight.
fn visit_minutes(visit: &TodayVisit) -> (u32, u32) {
    let (hour, minute) =
        crate::domain::time::local_hour_minute(visit.window.start(), visit.utc_offset);
    let from = u32::from(hour) * 60 + u32::from(minute);
    let long = (visit.window.end().unix_millis() - visit.window.start().unix_millis()) / 60_000;
    (from, from + u32::try_from(long).unwrap_or(0))
}

#[component]
fn LaneView(
    lane: Lane,
    /// The lane's route colour on the map.
    colour: usize,
    picked: RwSignal<Option<Picked>>,
    assign: AssignAction,
    answer: RwSignal<Option<LaneAnswer>>,
    opened: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let skills = lane.skills.clone();
    let load = lane.visits.len();
    let technician = lane.technician_id.clone();
    let active = lane.active;
    let hours = lane.working_hours.format();
    let brands = lane.brands.clone();
    let assign_to = {
        let technician = technician.clone();
        move || {
            let Some(p) = picked.get_untracked() else {
                return;
            };
            // A visit dropped back on its own lane stays as it is.
            if p.from_technician.as_deref() == Some(technician.as_str()) {
                return;
            }
            assign.dispatch(AssignRequest {
                work_order_id: p.work_order_id,
                technician_id: technician.clone(),
                confirmed: Vec::new(),
            });
        }
    };
    let assign_here = {
        let assign_to = assign_to.clone();
        move |_| assign_to()
    };
    // This lane's answer to the last press, if it was pressed here.
    let here = {
        let technician = technician.clone();
        move || answer.get().filter(|a| a.technician_id == technician)
    };
    let windows: Vec<(u32, u32)> = lane.visits.iter().map(visit_minutes).collect();
    let (row_of, rows) = board_axis::rows(&windows);
    let visits = lane.visits.clone();
    // The opened visit's details, when it is on this lane.
    let detail = move || {
        let id = opened.get()?;
        visits.iter().find(|visit| visit.id == id).cloned()
    };
    view! {
        <article class="lane" class:lane--inactive=!active data-testid="lane"
            data-technician=lane.technician_id.clone() data-active=active.to_string()
            aria-label=lane.name.clone()>
            <header class="lane__head">
                <h3>
                    <span class=format!("lane__swatch board-map__route--{}", colour % super::board_map::ROUTE_COLOURS)
                        aria-hidden="true"></span>
                    <span translate="no">{lane.name.clone()}</span>
                </h3>
                <p class="lane__load" data-testid="lane-load">{move || (i18n.t().lane_load)(load)}</p>
                <p class="lane__skills">
                    {move || (i18n.t().list_in_words)(&skills.iter().map(|s| (i18n.t().appliance_category)(*s)).collect::<Vec<_>>())}
                </p>
                <p class="lane__hours" data-testid="lane-hours">{move || (i18n.t().lane_hours)(&hours)}</p>
                {(!brands.is_empty()).then(|| view! {
                    <p class="lane__brands" data-testid="lane-brands">
                        {move || {
                            let names: Vec<&str> = brands.iter().map(String::as_str).collect();
                            marking_typed((i18n.t().lane_brands)(&(i18n.t().list_in_words)(&names)), &brands)
                        }}
                    </p>
                })}
                {if active {
                    view! {
                        // Offered once something is picked: until then the
                        // lane heads stay short and the day's blocks show.
                        <button type="button" class="button button--primary button--small" data-testid="assign-here"
                            hidden=move || picked.with(Option::is_none)
                            disabled=move || assign.pending().get()
                            on:click=assign_here>
                            {move || i18n.t().assign_here}
                        </button>
                        {move || here().map(|answer| lane_answer(answer, assign))}
                    }.into_any()
                } else {
                    view! {
                        <p class="lane__inactive" role="note" data-testid="lane-inactive">
                            {move || i18n.t().lane_inactive}
                        </p>
                    }.into_any()
                }}
            </header>
            <div class="lane__track" data-testid="lane-track" data-rows=rows
                on:dragover=move |event| {
                    if active {
                        event.prevent_default();
                    }
                }
                on:drop=move |event| {
                    event.prevent_default();
                    if active {
                        assign_to();
                    }
                }>
                {lane.visits.into_iter().zip(row_of).map(|(visit, row)| view! { <LaneVisit visit row picked opened/> }).collect_view()}
            </div>
            {move || detail().map(|visit| view! { <VisitDetail visit picked opened/> })}
        </article>
    }
}

/// A refusal, or the warnings with the second press that confirms them,
/// under the button that was pressed.
fn lane_answer(answer: LaneAnswer, assign: AssignAction) -> AnyView {
    let i18n = use_i18n();
    // Into view as it appears: the lane's button may sit low on the screen.
    let node = NodeRef::<leptos::html::Div>::new();
    // Centred, clear of the screen's edges.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(element) = node.get() {
            request_animation_frame(move || {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Center);
                element.scroll_into_view_with_scroll_into_view_options(&options)
            });
        }
    });
    match answer.error {
        AppError::AssignmentNeedsConfirmation { warnings } => {
            let confirmed: Vec<WarningKind> =
                warnings.iter().map(AssignmentWarning::kind).collect();
            let kinds = confirmed
                .iter()
                .map(|kind| kind.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let request = AssignRequest {
                work_order_id: answer.work_order_id,
                technician_id: answer.technician_id,
                confirmed,
            };
            view! {
                <div class="lane__answer lane__answer--warning" role="alert" data-testid="lane-confirm"
                    node_ref=node
                    data-warnings=kinds>
                    <p>{move || i18n.t().assignment_confirm_intro}</p>
                    <ul>
                        {warnings.into_iter().map(|warning| view! {
                            <li data-testid="lane-warning">{move || (i18n.t().assignment_warning)(&warning)}</li>
                        }).collect_view()}
                    </ul>
                    <button type="button" class="button button--primary" data-testid="assign-anyway"
                        disabled=move || assign.pending().get()
                        on:click=move |_| { assign.dispatch(request.clone()); }>
                        {move || i18n.t().assign_anyway}
                    </button>
                </div>
            }
            .into_any()
        }
        error => view! {
            <div class="lane__answer lane__answer--refused" role="alert" data-testid="lane-refusal"
                node_ref=node>
                {move || error.user_message(i18n.t())}
            </div>
        }
        .into_any(),
    }
}

/// A visit as a block at its window on the lane's time axis, coloured by
/// status and at-risk; it opens the visit, and a visit not yet reached
/// can be dragged onto another lane.
#[component]
fn LaneVisit(
    visit: TodayVisit,
    row: usize,
    picked: RwSignal<Option<Picked>>,
    opened: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = visit.status;
    let risk = visit.risk;
    let movable = matches!(status, VisitStatus::Dispatched | VisitStatus::OnTheWay);
    let this = Picked::visit(&visit);
    let (slot, span) = board_axis::placement(visit_minutes(&visit));
    let id = visit.id.clone();
    let is_open = Signal::derive({
        let id = id.clone();
        move || opened.with(|opened| opened.as_deref() == Some(id.as_str()))
    });
    let customer = visit.customer_name.clone();
    let window = visit.window.format_local(visit.utc_offset);
    let starts = crate::domain::time::format_local_time(visit.window.start(), visit.utc_offset);
    view! {
        <div class="lane__block" data-testid="lane-visit" data-visit=visit.id.clone()
            data-status=status.as_str() data-risk=format!("{risk:?}")
            data-slot=slot data-span=span data-row=row
            title=format!("{window} {customer}")
            draggable=movable.then_some("true")
            on:dragstart=move |_| picked.set(Some(this.clone()))>
            <button type="button" class="lane__open" data-testid="open-visit"
                aria-expanded=move || is_open.get().to_string()
                aria-label={
                    let customer = customer.clone();
                    move || (i18n.t().board.open_visit)(&customer)
                }
                on:click=move |_| opened.set((!is_open.get_untracked()).then(|| id.clone()))>
                <strong class="lane__block-line" translate="no">{visit.customer_name.clone()}</strong>
                <span class="lane__block-line">
                    <time>{starts}</time> " "
                    <span data-testid="lane-visit-status">{move || (i18n.t().visit_status)(status)}</span>
                    {(risk != ArrivalRisk::None).then(|| view! {
                        <strong class="lane__risk" data-testid="board-risk">" " {move || (i18n.t().arrival_risk)(risk)}</strong>
                    })}
                </span>
            </button>
        </div>
    }
}

/// An opened visit under its lane: what it is, its record and history,
/// the customer's file, and Reassign for a visit not yet reached.
#[component]
fn VisitDetail(
    visit: TodayVisit,
    picked: RwSignal<Option<Picked>>,
    opened: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = visit.status;
    let category = visit.appliance_category;
    let movable = matches!(status, VisitStatus::Dispatched | VisitStatus::OnTheWay);
    let this = Picked::visit(&visit);
    let window = visit.window.format_local_with_date(visit.utc_offset);
    view! {
        <section class="lane__detail" data-testid="visit-detail" aria-label=visit.customer_name.clone()>
            <p class="lane__detail-who">
                <strong translate="no">{visit.customer_name.clone()}</strong> " · " {window}
                " · " {move || (i18n.t().visit_status)(status)}
            </p>
            <p class="lane__detail-what">
                <span translate="no">{visit.customer_address.clone()}</span> " · "
                {move || (i18n.t().appliance_category)(category)} " " <span translate="no">{visit.appliance.clone()}</span>
                " · " <span translate="no">{visit.reported_fault.clone()}</span>
            </p>
            <div class="lane__detail-actions">
                <a class="button button--small" data-testid="open-record" href=format!("/visits/{}/record", visit.id)>
                    {move || i18n.t().board.open_record}
                </a>
                {(!visit.customer_id.is_empty()).then(|| view! {
                    <a class="button button--small" data-testid="open-customer" href=format!("/customers/{}", visit.customer_id)>
                        {move || i18n.t().board.open_customer}
                    </a>
                })}
                {movable.then(|| view! {
                    <button type="button" class="button button--small" data-testid="pick-visit"
                        on:click=move |_| picked.set(Some(this.clone()))>
                        {move || i18n.t().reassign}
                    </button>
                })}
                <button type="button" class="button button--small button--quiet" data-testid="close-visit"
                    on:click=move |_| opened.set(None)>
                    {move || i18n.t().board.close_visit}
                </button>
            </div>
        </section>
    }
}

/// Reloads the board whenever the server says a visit of this region
/// changed (server-sent events), and after each reconnection (the browser
/// reconnects on its own, possibly to another server process).
fn listen_for_changes(reload: impl Fn() + Clone + 'static, live: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new("/api/desk/events") else {
            return;
        };
        let on_change = {
            let reload = reload.clone();
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| reload())
        };
        source.set_onmessage(Some(on_change.as_ref().unchecked_ref()));
        // Back after a lost connection (a server process restarted, say):
        // what changed meanwhile was not heard, so the board reloads.
        let opened_before = std::cell::Cell::new(false);
        let on_open = Closure::<dyn Fn()>::new(move || {
            live.set(true);
            if opened_before.replace(true) {
                reload();
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn Fn()>::new(move || live.set(false));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let source = send_wrapper::SendWrapper::new((source, on_change, on_open, on_error));
        on_cleanup(move || source.0.close());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (reload, live);
}
