use leptos::prelude::*;

use crate::api::callbacks::{CallAnswerInput, CallItem, CallRecorded};
use crate::api::complaints::QueueItem;
use crate::api::error::AppError;
use crate::components::choice::{StarRating, YesNo};
use crate::components::load_failure::load_failure;
use crate::domain::callback::SamplingForm;
use crate::domain::complaint_clock::{ClockState, ComplaintStep};
use crate::domain::time::{format_local_date_time, Span, Timestamp, UtcOffset};
use crate::i18n::queue::QueueMessages;
use crate::i18n::{use_i18n, Messages};
use crate::serverfns::callbacks::{
    get_call_queue, get_callback_sampling, record_follow_up_call, set_callback_sampling,
};
use crate::serverfns::complaints::{
    change_complaint_owner, get_complaint_owners, get_complaint_queue, record_complaint_step,
};

/// Cards to a page.
const PAGE_SIZE: usize = 25;

/// One card of the list: a call to make after a service, or a complaint's
/// next step.
#[derive(Clone, Debug)]
enum WorkItem {
    Call(CallItem),
    Complaint(QueueItem),
}

impl WorkItem {
    fn due_at(&self) -> Timestamp {
        match self {
            WorkItem::Call(item) => item.call.due_at,
            WorkItem::Complaint(item) => item.due_at,
        }
    }

    fn overdue(&self) -> bool {
        match self {
            WorkItem::Call(item) => item.overdue_by_ms.is_some(),
            WorkItem::Complaint(item) => matches!(item.clock, ClockState::Overdue { .. }),
        }
    }

    fn is_call(&self) -> bool {
        matches!(self, WorkItem::Call(_))
    }

    fn region_id(&self) -> &str {
        match self {
            WorkItem::Call(item) => &item.call.region_id,
            WorkItem::Complaint(item) => &item.complaint.region_id,
        }
    }

    fn region_name(&self) -> &str {
        match self {
            WorkItem::Call(item) => &item.call.region_name,
            WorkItem::Complaint(item) => &item.complaint.region_name,
        }
    }

    fn mine(&self) -> bool {
        match self {
            WorkItem::Call(_) => false,
            WorkItem::Complaint(item) => item.mine,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KindFilter {
    All,
    Calls,
    Complaints,
}

/// What the list shows and which card is open: kept by the page, so an
/// answer recorded (and the list read again) leaves the filters as they were.
#[derive(Clone, Copy)]
struct ListState {
    kind: RwSignal<KindFilter>,
    overdue_only: RwSignal<bool>,
    mine_only: RwSignal<bool>,
    /// One region's work only (an admin sees every region's).
    region: RwSignal<Option<String>>,
    page: RwSignal<usize>,
    open: RwSignal<Option<String>>,
}

impl ListState {
    fn new() -> Self {
        ListState {
            kind: RwSignal::new(KindFilter::All),
            overdue_only: RwSignal::new(false),
            mine_only: RwSignal::new(false),
            region: RwSignal::new(None),
            page: RwSignal::new(0),
            open: RwSignal::new(None),
        }
    }

    fn shows(self, item: &WorkItem) -> bool {
        let kind = match self.kind.get() {
            KindFilter::All => true,
            KindFilter::Calls => item.is_call(),
            KindFilter::Complaints => !item.is_call(),
        };
        kind && (!self.overdue_only.get() || item.overdue())
            && (!self.mine_only.get() || item.mine())
            && self
                .region
                .with(|region| region.as_deref().is_none_or(|id| id == item.region_id()))
    }

    fn is_open(self, card: &str) -> bool {
        self.open.with(|open| open.as_deref() == Some(card))
    }
}

/// The follow-up queue: the calls after service (callback, tracking,
/// survey) and the complaint steps in one list, the longest overdue first,
/// each a one-line card that opens to be answered there; filters, pages
/// of 25, and the 1:10:100 rule in plain words.
#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let queue = Resource::new(move || version.get(), |_| get_complaint_queue());
    let calls = Resource::new(move || version.get(), |_| get_call_queue());
    let owners = Resource::new(|| (), |_| get_complaint_owners());
    let failure = RwSignal::new(None::<AppError>);
    // A refused change of owner, shown beside the owner's controls.
    let owner_failure = RwSignal::new(None::<AppError>);
    let answered = RwSignal::new(None::<CallRecorded>);
    let sent_from = RwSignal::new(String::new());
    let state = ListState::new();
    let record_call = Action::new(move |input: &CallAnswerInput| {
        let input = input.clone();
        async move { record_follow_up_call(input).await }
    });
    Effect::new(move |_| match record_call.value().get() {
        Some(Ok(recorded)) => {
            failure.set(None);
            answered.set(Some(recorded));
            // The call leaves the list.
            state.open.set(None);
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
        // The card stays open at its next step.
        Some(Ok(())) => {
            failure.set(None);
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let change_owner: ChangeOwner = Action::new(
        move |(change_id, complaint_id, to, reason): &(
            String,
            String,
            Option<String>,
            Option<String>,
        )| {
            let (change_id, complaint_id, to, reason) = (
                change_id.clone(),
                complaint_id.clone(),
                to.clone(),
                reason.clone(),
            );
            async move { change_complaint_owner(change_id, complaint_id, to, reason).await }
        },
    );
    Effect::new(move |_| match change_owner.value().get() {
        Some(Ok(_)) => {
            owner_failure.set(None);
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => owner_failure.set(Some(error)),
        None => {}
    });
    // Another card opened: the last card's refusals were about it.
    Effect::new(move |_| {
        state.open.track();
        owner_failure.set(None);
    });
    view! {
        <section class="queue-page" aria-labelledby="queue-page-title">
            <h1 id="queue-page-title">{move || i18n.t().open_follow_up}</h1>
            <details class="queue-rule" data-testid="queue-rule">
                <summary>{move || i18n.t().queue.rule_title}</summary>
                <p>{move || i18n.t().queue.rule_text}</p>
            </details>
            <p class="status status--ok" role="status" data-testid="call-recorded"
                hidden=move || answered.with(Option::is_none)>
                {move || answered.get().map(|done| (i18n.t().call_recorded)(
                    done.complaint_id.is_some(), done.repeat_work_order_id.is_some()))}
            </p>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match (calls.await, queue.await, owners.await) {
                        (Ok(calls), Ok(complaints), Ok(owners)) => view! {
                            <WorkList calls complaints owners state record_call record change_owner failure owner_failure sent_from/>
                        }.into_any(),
                        (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => load_failure(error),
                    }
                })}
            </Transition>
            <SamplingSettings/>
        </section>
    }
}

type RecordStep =
    Action<(String, ComplaintStep, String, Option<Vec<String>>), Result<(), AppError>>;
type RecordCall = Action<CallAnswerInput, Result<CallRecorded, AppError>>;
/// The change's id (made once for the form, so a resend is one change), the
/// complaint's id, who to give it to (None: whoever asks) and why.
type ChangeOwner =
    Action<(String, String, Option<String>, Option<String>), Result<String, AppError>>;

/// The filters, one page of cards and the pager.
#[component]
fn WorkList(
    calls: Vec<CallItem>,
    complaints: Vec<QueueItem>,
    owners: Vec<(String, String)>,
    state: ListState,
    record_call: RecordCall,
    record: RecordStep,
    change_owner: ChangeOwner,
    failure: RwSignal<Option<AppError>>,
    owner_failure: RwSignal<Option<AppError>>,
    sent_from: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let owners = StoredValue::new(owners);
    let mut items: Vec<WorkItem> = calls
        .into_iter()
        .map(WorkItem::Call)
        .chain(complaints.into_iter().map(WorkItem::Complaint))
        .collect();
    // Overdue first, the longest overdue first; then the soonest due.
    items.sort_by_key(|item| (!item.overdue(), item.due_at()));
    // The regions the work is in, by name: a filter once there are two.
    let mut regions: Vec<(String, String)> = items
        .iter()
        .map(|item| (item.region_name().to_string(), item.region_id().to_string()))
        .collect();
    regions.sort();
    regions.dedup();
    let region_filter = (regions.len() > 1).then(|| {
        view! {
            <label class="field queue-filters__region">
                <span class="field__label">{move || i18n.t().queue.region_label}</span>
                <select class="field__input" data-testid="queue-filter-region"
                    on:change=move |event| {
                        let id = event_target_value(&event);
                        state.region.set((!id.is_empty()).then_some(id));
                        state.page.set(0);
                        state.open.set(None);
                    }>
                    <option value="" selected=move || state.region.with(Option::is_none)>
                        {move || i18n.t().queue.region_all}
                    </option>
                    {regions.into_iter().map(|(name, id)| {
                        let this = id.clone();
                        view! {
                            <option value=id translate="no" selected=move || state.region.with(|r| r.as_deref() == Some(this.as_str()))>
                                {name}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
        }
    });
    let all = items.len();
    let items = StoredValue::new(items);
    let shown = Memo::new(move |_| {
        items.with_value(|items| {
            (0..items.len())
                .filter(|n| state.shows(&items[*n]))
                .collect::<Vec<usize>>()
        })
    });
    let pages = move || shown.with(Vec::len).div_ceil(PAGE_SIZE).max(1);
    // A page past the end (fewer cards after an answer) shows the last one.
    let page = move || state.page.get().min(pages() - 1);
    let overdue = move || {
        shown.with(|shown| {
            items.with_value(|items| shown.iter().filter(|n| items[**n].overdue()).count())
        })
    };
    let refiltered = move || {
        state.page.set(0);
        state.open.set(None);
        failure.set(None);
    };
    let kind_option = move |kind: KindFilter, value: &'static str| {
        view! {
            <button type="button" role="radio" class="segmented__option" data-testid="queue-filter-kind"
                data-value=value aria-checked=move || (state.kind.get() == kind).to_string()
                on:click=move |_| { state.kind.set(kind); refiltered(); }>
                {move || {
                    let words = i18n.t().queue;
                    match kind {
                        KindFilter::All => words.kind_all,
                        KindFilter::Calls => words.kind_calls,
                        KindFilter::Complaints => words.kind_complaints,
                    }
                }}
            </button>
        }
    };
    let toggle = move |on: RwSignal<bool>,
                       testid: &'static str,
                       label: fn(&QueueMessages) -> &'static str| {
        view! {
            <button type="button" class="toggle" data-testid=testid
                aria-pressed=move || on.get().to_string()
                on:click=move |_| { on.update(|on| *on = !*on); refiltered(); }>
                {move || label(i18n.t().queue)}
            </button>
        }
    };
    let turn_to = move |to: usize| {
        state.page.set(to);
        state.open.set(None);
        failure.set(None);
    };
    view! {
        <div class="queue-filters" role="group" aria-label=move || i18n.t().queue.filters>
            <div class="segmented queue-filters__kind" role="radiogroup" aria-label=move || i18n.t().queue.filters>
                {kind_option(KindFilter::All, "all")}
                {kind_option(KindFilter::Calls, "calls")}
                {kind_option(KindFilter::Complaints, "complaints")}
            </div>
            {toggle(state.overdue_only, "queue-filter-overdue", |words| words.overdue_only)}
            {toggle(state.mine_only, "queue-filter-mine", |words| words.mine_only)}
            {region_filter}
            <p class="queue-filters__count" data-testid="queue-count">
                {move || (i18n.t().queue.count)(shown.with(Vec::len), all, overdue())}
            </p>
        </div>
        {move || shown.with(Vec::is_empty).then(|| view! {
            <p class="status" data-testid="queue-nothing">{move || i18n.t().queue.nothing_matches}</p>
        })}
        <ol class="work-list" data-testid="work-list">
            {move || {
                let from = page() * PAGE_SIZE;
                let cards: Vec<WorkItem> = shown.with(|shown| {
                    items.with_value(|items| {
                        shown.iter().skip(from).take(PAGE_SIZE).map(|n| items[*n].clone()).collect()
                    })
                });
                cards.into_iter().map(|item| match item {
                    WorkItem::Call(item) => view! {
                        <CallCard item record=record_call failure sent_from state/>
                    }.into_any(),
                    WorkItem::Complaint(item) => view! {
                        <ComplaintCard item record change_owner owners failure owner_failure state/>
                    }.into_any(),
                }).collect_view()
            }}
        </ol>
        <nav class="pager" aria-label=move || (i18n.t().queue.page_status)(page() + 1, pages())
            hidden=move || { pages() < 2 }>
            <button type="button" class="button button--small" data-testid="queue-page-prev"
                disabled=move || page() == 0
                on:click=move |_| turn_to(page().saturating_sub(1))>
                {move || i18n.t().queue.previous_page}
            </button>
            <span data-testid="queue-page-status" aria-live="polite">
                {move || (i18n.t().queue.page_status)(page() + 1, pages())}
            </span>
            <button type="button" class="button button--small" data-testid="queue-page-next"
                disabled=move || { page() + 1 >= pages() }
                on:click=move |_| turn_to(page() + 1)>
                {move || i18n.t().queue.next_page}
            </button>
        </nav>
    }
}

/// What a card's one line says.
struct Line {
    card: String,
    body_id: String,
    is_call: bool,
    who: String,
    what: String,
    due_at: Timestamp,
    late_by_ms: Option<i64>,
    /// Time left on a complaint step's clock.
    left_ms: Option<i64>,
    /// A complaint's owner (None inside: the region's dispatchers).
    owner: Option<Option<String>>,
}

/// The card's one line, a button: pressed, it opens this card and closes
/// any other.
fn card_line(line: Line, state: ListState, failure: RwSignal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let Line {
        card,
        body_id,
        is_call,
        who,
        what,
        due_at,
        late_by_ms,
        left_ms,
        owner,
    } = line;
    let due = format_local_date_time(due_at, UtcOffset::CHINA);
    let this = card.clone();
    view! {
        <button type="button" class="work-card__line" data-testid="open-card"
            aria-expanded=move || state.is_open(&this).to_string() aria-controls=body_id
            on:click=move |_| {
                failure.set(None);
                state.open.update(|open| {
                    *open = if open.as_deref() == Some(card.as_str()) { None } else { Some(card.clone()) };
                });
            }>
            <span class=if is_call { "chip chip--info" } else { "chip chip--warn" }>
                {move || if is_call { i18n.t().queue.call_badge } else { i18n.t().queue.complaint_badge }}
            </span>
            <span class="work-card__who" translate="no">{who}</span>
            <span class="work-card__what" translate="no">{what}</span>
            {owner.map(|owner| view! {
                <span class="work-card__owner" data-testid="complaint-owner">
                    {move || (i18n.t().complaint_owner)(owner.as_deref())}
                </span>
            })}
            <span class="work-card__due">{move || (i18n.t().queue.due)(&due)}</span>
            {match (late_by_ms, left_ms) {
                (Some(late), _) => view! {
                    <span class="chip chip--danger" data-testid="card-lateness">
                        {move || (i18n.t().queue.overdue_by)(Span::of_millis(late))}
                    </span>
                }.into_any(),
                (None, Some(left)) => view! {
                    <span class="chip" data-testid="card-lateness">
                        {move || (i18n.t().queue.left)(Span::of_millis(left))}
                    </span>
                }.into_any(),
                (None, None) => ().into_any(),
            }}
            <span class="work-card__chevron" aria-hidden="true"></span>
        </button>
    }
}

/// A refusal of the open card's answer, inside that card.
fn card_failure(failure: RwSignal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        failure.get().map(|error| {
            view! {
                <p class="status status--error" role="alert" data-testid="queue-error">
                    {error.user_message(i18n.t())}
                </p>
            }
        })
    }
}

fn body_id(card: &str) -> String {
    format!("card-{}", card.replace([':', '/'], "-"))
}

/// A complaint's next step: the line, and opened, the steps done, the
/// clock, the delay's weight and the form for the step.
#[component]
fn ComplaintCard(
    item: QueueItem,
    record: RecordStep,
    change_owner: ChangeOwner,
    owners: StoredValue<Vec<(String, String)>>,
    failure: RwSignal<Option<AppError>>,
    owner_failure: RwSignal<Option<AppError>>,
    state: ListState,
) -> impl IntoView {
    let i18n = use_i18n();
    let offset = UtcOffset::CHINA;
    let complaint = item.complaint;
    let owner_id = complaint.owner_id.clone();
    let next = item.next;
    let (state_name, late_by_ms, left_ms) = match item.clock {
        ClockState::Running { left_ms } => ("running", None, Some(left_ms)),
        ClockState::Overdue { by_ms } => ("overdue", Some(by_ms), None),
        ClockState::DoneOnTime | ClockState::DoneLate { .. } => ("done", None, None),
    };
    let weight = item.cost_weight;
    let card = format!("complaint:{}", complaint.id);
    let body = body_id(&card);
    let note = RwSignal::new(String::new());
    let sheet = [(); 5].map(|_| RwSignal::new(String::new()));
    let id = complaint.id.clone();
    let owner_complaint = complaint.id.clone();
    let submit = move |_| {
        let parts = (next == ComplaintStep::Rectification)
            .then(|| sheet.iter().map(|part| part.get_untracked()).collect());
        record.dispatch((id.clone(), next, note.get_untracked(), parts));
    };
    let line = Line {
        card: card.clone(),
        body_id: body.clone(),
        is_call: false,
        who: complaint.customer_name.clone(),
        what: complaint.description.clone(),
        due_at: item.due_at,
        late_by_ms,
        left_ms,
        owner: Some(complaint.owner_name.clone()),
    };
    let due = format_local_date_time(item.due_at, offset);
    let received = format_local_date_time(complaint.received_at, offset);
    let (phone, description, done) = (
        complaint.customer_phone,
        complaint.description,
        complaint.done,
    );
    let open = Memo::new(move |_| state.is_open(&card));
    view! {
        <li class="work-card" data-testid="follow-up-item" data-complaint=complaint.id.clone()
            data-next=next.as_str() data-state=state_name data-due-today=item.due_today.to_string()
            data-open=move || open.get().to_string()>
            {card_line(line, state, failure)}
            <div class="work-card__body" id=body hidden=move || !open.get()>
                {move || open.get().then(|| {
                    let (phone, received, description, due) =
                        (phone.clone(), received.clone(), description.clone(), due.clone());
                    view! {
                        <p class="work-card__meta">{phone} " · " {received}</p>
                        <p class="work-card__text">{description}</p>
                        <ol class="work-card__steps">
                            {done.clone().into_iter().map(|done| view! {
                                <li data-testid="follow-up-done" data-step=done.step.as_str()>
                                    "✓ " {move || (i18n.t().complaint_step)(done.step)} " · "
                                    {format_local_date_time(done.done_at, offset)} " · " {done.done_by}
                                </li>
                            }).collect_view()}
                        </ol>
                        <p class="work-card__clock" data-testid="follow-up-clock">
                            {move || (i18n.t().complaint_step)(next)} " · "
                            {move || (i18n.t().queue.due)(&due)} " · "
                            {move || match (late_by_ms, left_ms) {
                                (Some(late), _) => (i18n.t().queue.overdue_by)(Span::of_millis(late)),
                                (None, Some(left)) => (i18n.t().queue.left)(Span::of_millis(left)),
                                (None, None) => String::new(),
                            }}
                            {late_by_ms.map(|_| view! {
                                <span class="work-card__escalated">{move || i18n.t().escalated_to_admin}</span>
                            })}
                        </p>
                        <p class="work-card__weight" data-testid="cost-weight">{move || (i18n.t().queue.complaint_weight)(weight)}</p>
                        <OwnerChange complaint_id=owner_complaint.clone() owner_id=owner_id.clone()
                            change_owner owners failure=owner_failure/>
                        {if next == ComplaintStep::Rectification {
                            view! {
                                <div class="work-card__sheet">
                                    {sheet.into_iter().enumerate().map(|(n, part)| view! {
                                        <label class="field">
                                            <span class="field__label">{move || (i18n.t().rectification_part)(n)}</span>
                                            <textarea class="field__input" rows="2" maxlength="2000" data-testid="sheet-part"
                                                prop:value=move || part.get()
                                                on:input=move |event| part.set(event_target_value(&event))></textarea>
                                        </label>
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <label class="field">
                                    <span class="field__label">{move || i18n.t().step_note}</span>
                                    <textarea class="field__input" rows="2" maxlength="2000" data-testid="step-note"
                                        prop:value=move || note.get()
                                        on:input=move |event| note.set(event_target_value(&event))></textarea>
                                </label>
                            }.into_any()
                        }}
                        {card_failure(failure)}
                        <button type="button" class="button button--primary" data-testid="record-step"
                            disabled=move || record.pending().get() on:click=submit.clone()>
                            {move || (i18n.t().record_step)(next)}
                        </button>
                    }
                })}
            </div>
        </li>
    }
}

/// Who owns the complaint (谁受理谁负责): an unowned one is taken with a
/// press; handing it to someone, or taking it from its owner, asks why.
#[component]
fn OwnerChange(
    complaint_id: String,
    owner_id: Option<String>,
    change_owner: ChangeOwner,
    owners: StoredValue<Vec<(String, String)>>,
    failure: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let pending = change_owner.pending();
    let invalid = move |name: &'static str| {
        move || {
            failure
                .with(|error| matches!(error, Some(AppError::InvalidInput { field, .. }) if field == name))
                .to_string()
        }
    };
    let take_id = complaint_id.clone();
    // Made once for this form: a double press or a resend is one change.
    let new_id = || {
        crate::domain::ids::new_id()
            .map(|id| id.to_string())
            .unwrap_or_default()
    };
    let (take_change, hand_change) = (new_id(), new_id());
    let others: Vec<(String, String)> = owners.with_value(|owners| {
        owners
            .iter()
            .filter(|(id, _)| owner_id.as_deref() != Some(id.as_str()))
            .cloned()
            .collect()
    });
    let refusal = move || owner_failure_text(failure.get(), i18n.t());
    view! {
        <div class="work-card__owner-change" data-testid="owner-change">
            <p class="work-card__owner-title">{move || i18n.t().queue.owner_title}</p>
            {owner_id.is_none().then(|| view! {
                <button type="button" class="button button--small button--primary" data-testid="take-complaint-owner"
                    disabled=move || pending.get()
                    on:click=move |_| { change_owner.dispatch((take_change.clone(), take_id.clone(), None, None)); }>
                    {move || i18n.t().queue.take_owner}
                </button>
            })}
            <div class="field-row">
                <label class="field">
                    <span class="field__label">{move || i18n.t().queue.hand_to}</span>
                    <select class="field__input" data-testid="owner-to" aria-invalid=invalid("to")
                        on:change=move |event| to.set(event_target_value(&event))>
                        <option value="" selected>{move || i18n.t().queue.choose_owner}</option>
                        {others.into_iter().map(|(id, name)| view! { <option value=id translate="no">{name}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">{move || i18n.t().queue.hand_reason}</span>
                    <input class="field__input" type="text" maxlength="300" data-testid="owner-reason"
                        aria-invalid=invalid("reason")
                        prop:value=move || reason.get()
                        on:input=move |event| reason.set(event_target_value(&event))/>
                </label>
            </div>
            <button type="button" class="button button--small" data-testid="owner-change-submit"
                disabled=move || pending.get()
                on:click=move |_| {
                    let chosen = to.get_untracked();
                    if chosen.is_empty() {
                        failure.set(Some(AppError::InvalidInput {
                            field: "to".into(),
                            message: "choose who takes it over".into(),
                            problem: Some(crate::api::error::InputProblem::Unanswered),
                        }));
                        return;
                    }
                    change_owner.dispatch((
                        hand_change.clone(),
                        complaint_id.clone(),
                        Some(chosen),
                        Some(reason.get_untracked()),
                    ));
                }>
                {move || i18n.t().queue.hand_on}
            </button>
            {move || refusal().map(|text| view! {
                <p class="status status--error" role="alert" data-testid="owner-error">{text}</p>
            })}
        </div>
    }
}

/// A refused change of owner, naming what to put right.
fn owner_failure_text(error: Option<AppError>, words: &'static Messages) -> Option<String> {
    let error = error?;
    Some(match &error {
        AppError::InvalidInput { field, .. } if field == "reason" => {
            words.queue.reason_needed.to_string()
        }
        AppError::InvalidInput { field, .. } if field == "to" => {
            words.queue.owner_needed.to_string()
        }
        _ => error.user_message(words),
    })
}

/// A call to make: the line, and opened, who to ring about which service,
/// by when, and the answer: was it fixed, the five ratings (nothing chosen
/// until the dispatcher chooses what the customer said), and what it opens.
#[component]
fn CallCard(
    item: CallItem,
    record: RecordCall,
    failure: RwSignal<Option<AppError>>,
    sent_from: RwSignal<String>,
    state: ListState,
) -> impl IntoView {
    use crate::domain::callback::RATING_FIELDS;
    let i18n = use_i18n();
    let offset = UtcOffset::CHINA;
    let call = item.call;
    let kind = call.kind;
    let weight = item.cost_weight;
    let fixed = RwSignal::new(None::<bool>);
    let ratings = [(); 5].map(|_| RwSignal::new(None::<u8>));
    let [comment, complaint, repeat_fault, repeat_start, repeat_end] =
        [(); 5].map(|_| RwSignal::new(String::new()));
    let (visit_id, kind_name) = (call.visit_id.clone(), kind.as_str());
    let card = format!("call:{visit_id}/{kind_name}");
    let body = body_id(&card);
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
    let invalid =
        move |name: &'static str| move || bad_field.with(|field| field.as_deref() == Some(name));
    let sending = card.clone();
    let submit = move |_| {
        sent_from.set(sending.clone());
        let yes_no = |answer: Option<bool>| match answer {
            Some(true) => "yes".to_string(),
            Some(false) => "no".to_string(),
            None => String::new(),
        };
        record.dispatch(CallAnswerInput {
            visit_id: visit_id.clone(),
            kind: kind_name.to_string(),
            answer: crate::domain::callback::CallAnswerForm {
                fixed: yes_no(fixed.get_untracked()),
                ratings: ratings.map(|rating| {
                    rating
                        .get_untracked()
                        .map(|score| score.to_string())
                        .unwrap_or_default()
                }),
                comment: comment.get_untracked(),
                complaint: complaint.get_untracked(),
                repeat_fault: repeat_fault.get_untracked(),
            },
            repeat_start: repeat_start.get_untracked(),
            repeat_end: repeat_end.get_untracked(),
        });
    };
    let text_field = move |signal: RwSignal<String>,
                           label: fn(&Messages) -> &'static str,
                           testid: &'static str,
                           field: &'static str,
                           max: &'static str| {
        view! {
            <label class="field">
                <span class="field__label">{move || label(i18n.t())}</span>
                <textarea class="field__input" rows="2" maxlength=max data-testid=testid
                    aria-invalid=move || invalid(field)().to_string()
                    prop:value=move || signal.get()
                    on:input=move |event| signal.set(event_target_value(&event))></textarea>
            </label>
        }
    };
    let late_by_ms = item.overdue_by_ms;
    let what = format!("{} · {}", call.appliance, call.reported_fault);
    let line = Line {
        card: card.clone(),
        body_id: body.clone(),
        is_call: true,
        who: call.customer_name.clone(),
        what: what.clone(),
        due_at: call.due_at,
        late_by_ms,
        left_ms: None,
        owner: None,
    };
    let technician = call.technician_name.clone().unwrap_or_default();
    let signed = call
        .signed_at
        .map(|at| format_local_date_time(at, offset))
        .unwrap_or_default();
    let phone = call.customer_phone.clone();
    let due = format_local_date_time(call.due_at, offset);
    let open = Memo::new(move |_| state.is_open(&card));
    let pending = record.pending();
    view! {
        <li class="work-card" data-testid="call-item" data-visit=call.visit_id.clone()
            data-kind=kind_name data-overdue=late_by_ms.is_some().to_string()
            data-due-today=item.due_today.to_string() data-open=move || open.get().to_string()>
            {card_line(line, state, failure)}
            <div class="work-card__body" id=body hidden=move || !open.get()>
                {move || open.get().then(|| {
                    let (phone, what, technician, signed, due) =
                        (phone.clone(), what.clone(), technician.clone(), signed.clone(), due.clone());
                    view! {
                        <p class="work-card__meta">
                            <a class="link" href=format!("tel:{phone}")>{phone.clone()}</a>
                            " · " {move || (i18n.t().call_kind)(kind)}
                        </p>
                        <p class="work-card__text">{what}</p>
                        <p class="work-card__meta">{move || (i18n.t().call_service)(&technician, &signed)}</p>
                        <p class="work-card__clock" data-testid="call-clock">
                            {move || (i18n.t().queue.due)(&due)}
                            {late_by_ms.map(|late| view! {
                                " · " {move || (i18n.t().queue.overdue_by)(Span::of_millis(late))}
                                <span class="work-card__escalated">{move || i18n.t().escalated_to_admin}</span>
                            })}
                        </p>
                        <p class="work-card__weight" data-testid="cost-weight">{move || (i18n.t().queue.weight)(weight)}</p>
                        <YesNo question=Signal::derive(move || i18n.t().call_fixed_question.to_string())
                            answer=fixed key="call-fixed"
                            missing=Signal::derive(invalid("fixed"))
                            disabled=Signal::derive(move || pending.get())/>
                        {RATING_FIELDS.into_iter().zip(ratings).map(|(field, score)| {
                            let dimension = field.trim_start_matches("rating_");
                            view! {
                                <StarRating question=Signal::derive(move || (i18n.t().rating_dimension)(dimension).to_string())
                                    score key=field
                                    missing=Signal::derive(invalid(field))
                                    disabled=Signal::derive(move || pending.get())/>
                            }
                        }).collect_view()}
                        {text_field(comment, |words| words.call_comment, "call-comment", "comment", "2000")}
                        {text_field(complaint, |words| words.call_complaint, "call-complaint", "complaint", "2000")}
                        {text_field(repeat_fault, |words| words.call_repeat_fault, "call-repeat-fault", "repeat_fault", "1000")}
                        <div class="field-row">
                            <label class="field">
                                <span class="field__label">{move || i18n.t().call_repeat_start}</span>
                                <input class="field__input" type="datetime-local" data-testid="call-repeat-start"
                                    aria-invalid=move || invalid("repeat_start")().to_string()
                                    prop:value=move || repeat_start.get()
                                    on:input=move |event| repeat_start.set(event_target_value(&event))/>
                            </label>
                            <label class="field">
                                <span class="field__label">{move || i18n.t().call_repeat_end}</span>
                                <input class="field__input" type="datetime-local" data-testid="call-repeat-end"
                                    aria-invalid=move || invalid("repeat_end")().to_string()
                                    prop:value=move || repeat_end.get()
                                    on:input=move |event| repeat_end.set(event_target_value(&event))/>
                            </label>
                        </div>
                        {card_failure(failure)}
                        <button type="button" class="button button--primary" data-testid="record-call"
                            disabled=move || pending.get() on:click=submit.clone()>
                            {move || i18n.t().record_call}
                        </button>
                    }
                })}
            </div>
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
