//! One visit, run step by step at the customer's home. Every part of the
//! page reads what it shares (the visit, the one action, the refusal, the
//! drafts) from `VisitContext`; everything a person does is a
//! `VisitAction`, sent through the phone's outbox by `VisitContext::act`.

mod checklist;
mod details;
mod drafts;
mod outcome;
mod sign_off;
pub mod work;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use self::checklist::Checklist;
use self::details::{NextStep, OpenItems, VisitDetails};
use self::drafts::Drafts;
use self::outcome::Outcome;
use self::sign_off::SignOffForm;
use self::work::{ComplaintForm, FieldInsights, OtherVisits, PartInput, PartsAndFees};
use crate::api::error::AppError;
use crate::api::sync::{Change, KitVisit};
use crate::api::visits::SignOffInput;
use crate::components::load_failure::load_failure;
use crate::domain::charges::Money;
use crate::domain::ids::new_id;
use crate::domain::visit::{VisitEvent, VisitStatus};
use crate::i18n::use_i18n;
use crate::sync::{use_sync, SyncState};

/// Everything the technician or the customer does on the visit page.
#[derive(Clone, Debug)]
pub(super) enum VisitAction {
    Step(VisitEvent),
    /// A checklist item done (no reason) or not applicable (its reason).
    Answer {
        item_key: String,
        reason: Option<String>,
    },
    Outcome {
        fixed: bool,
        reason: String,
        detail: String,
    },
    Part(PartInput),
    Fee {
        code: String,
        quantity: String,
    },
    Insight {
        category: String,
        note: String,
    },
    /// The customer's complaint at sign-off, its text.
    Complain(String),
    SignOff(SignOffInput),
}

/// The visit as the page shows it: not read yet, read (with the changes
/// waiting on the phone laid over it), or not readable.
type ShownVisit = Memo<Option<Result<KitVisit, AppError>>>;

/// What the visit page's parts share, provided once by `VisitPage`.
#[derive(Clone, Copy)]
pub(super) struct VisitContext {
    pub visit_id: Memo<String>,
    shown: ShownVisit,
    /// The one action every button dispatches; its answer is the filed
    /// complaint's id, for a complaint.
    action: Action<VisitAction, Result<Option<String>, AppError>>,
    /// The last refusal, shown at the top of the page.
    pub failure: RwSignal<Option<AppError>>,
    /// A photo is being made small and kept.
    pub uploading: RwSignal<bool>,
    pub drafts: Drafts,
    /// The complaint filed on this page, once the phone has it.
    pub filed_complaint: RwSignal<Option<String>>,
}

pub(super) fn use_visit() -> VisitContext {
    expect_context::<VisitContext>()
}

impl VisitContext {
    /// Sends what a person did; refused or kept, it settles on the page.
    pub fn act(self, action: VisitAction) {
        self.action.dispatch(action);
    }

    /// Something is under way: every button waits, so a double tap lands
    /// on nothing.
    pub fn busy(self) -> bool {
        self.action.pending().get() || self.uploading.get()
    }

    /// The visit as the page shows it now.
    pub fn current(self) -> Option<KitVisit> {
        self.shown.get_untracked().and_then(Result::ok)
    }

    /// Every action ends here: a refusal is shown; a change kept shows at
    /// once through the outbox.
    pub fn settle(self, result: Result<Option<String>, AppError>) {
        match result {
            Ok(filed) => {
                self.failure.set(None);
                if filed.is_some() {
                    self.filed_complaint.set(filed);
                }
            }
            Err(error) => self.failure.set(Some(error)),
        }
    }
}

/// The change an action makes, checked as far as the phone can; ids of
/// records made here are made now, so a resend makes nothing twice.
async fn run(
    sync: SyncState,
    action: VisitAction,
    visit_id: String,
    current: Option<KitVisit>,
) -> Result<Option<String>, AppError> {
    let change = match action {
        VisitAction::Step(event) => {
            let position = if event == VisitEvent::CheckIn {
                crate::sync::device::current_position().await
            } else {
                None
            };
            Change::Step { event, position }
        }
        VisitAction::Answer {
            item_key,
            reason: None,
        } => Change::Done { item_key },
        VisitAction::Answer {
            item_key,
            reason: Some(reason),
        } => Change::NotApplicable { item_key, reason },
        VisitAction::Outcome {
            fixed,
            reason,
            detail,
        } => Change::Outcome {
            fixed,
            reason,
            detail,
        },
        VisitAction::Part((code, name, quantity, price)) => Change::Part {
            unit_price_fen: Money::parse_yuan(&price)?.fen().to_string(),
            part_id: new_id()?.to_string(),
            code,
            name,
            quantity,
        },
        VisitAction::Fee { code, quantity } => Change::Fee {
            charge_id: new_id()?.to_string(),
            code,
            quantity,
        },
        VisitAction::Insight { category, note } => Change::Insight {
            insight_id: new_id()?.to_string(),
            category,
            note,
        },
        VisitAction::Complain(description) => {
            crate::api::visits::parse_complaint(&description)?;
            let complaint_id = new_id()?.to_string();
            let change = Change::Complaint {
                complaint_id: complaint_id.clone(),
                description,
            };
            sync.act(current, visit_id, change).await?;
            return Ok(Some(complaint_id));
        }
        VisitAction::SignOff(sign_off) => Change::SignOff { sign_off },
    };
    sync.act(current, visit_id, change).await?;
    Ok(None)
}

/// One visit, run step by step at the customer's home: the next step's
/// button, the arrival verdict, the checklist and the outcome.
#[component]
pub fn VisitPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let sync = use_sync();
    let visit_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // Read in the browser only: from the server when it answers, else from
    // what the phone kept; a page kept by the service worker must never
    // show the record as it was when the page was kept.
    let fetched = LocalResource::new(move || {
        let id = visit_id.get();
        sync.synced.track();
        async move { sync.fetch_visit(id).await }
    });
    // The record with the changes still waiting on this phone laid over it.
    let shown = Memo::new(move |_| {
        sync.outbox.track();
        fetched
            .get()
            .map(|fetched| fetched.map(|kit| sync.with_waiting(kit)))
    });
    Effect::new(move |_| sync.refresh_kit());
    // Whether changes to this visit still wait on the phone.
    let waiting_here = move || {
        let id = visit_id.get_untracked();
        sync.outbox
            .with_untracked(|outbox| outbox.waiting().any(|p| p.change.visit_id == id))
    };
    // Unsync: the phone's store and geolocation are futures that stay on
    // the page's thread.
    let action = Action::new_unsync(move |action: &VisitAction| {
        let current = shown.get_untracked().and_then(Result::ok);
        run(sync, action.clone(), visit_id.get_untracked(), current)
    });
    let visit = VisitContext {
        visit_id,
        shown,
        action,
        failure: RwSignal::new(None),
        uploading: RwSignal::new(false),
        drafts: Drafts::new(),
        filed_complaint: RwSignal::new(None),
    };
    provide_context(visit);
    Effect::new(move |_| action.value().get().map(|result| visit.settle(result)));
    // The router keeps this page when it moves to another visit (a
    // follow-up): that visit's forms start empty.
    Effect::new(move |shown_before: Option<String>| {
        let id = visit_id.get();
        if shown_before.is_some_and(|before| before != id) {
            visit.drafts.clear();
        }
        id
    });
    let failure = visit.failure;

    view! {
        <section class="visit" aria-labelledby="visit-title">
            <p class="visit__back"><a href="/">{move || i18n.t().back_to_today}</a></p>
            {move || match shown.get() {
                None => view! { <p class="status">{move || i18n.t().loading}</p> }.into_any(),
                Some(Ok(KitVisit { record, history })) => view! {
                    <VisitDetails record=record.clone()/>
                    // A div, not a p: the open items are a list.
                    <div class="status status--error" role="alert" data-testid="visit-error"
                        hidden=move || failure.with(Option::is_none)>
                        <p class="visit__error-text">
                            {move || failure.get().map(|error| error.user_message(i18n.t()))}
                        </p>
                        <OpenItems checklist=record.checklist.clone()/>
                    </div>
                    <NextStep status=record.visit.status/>
                    {(record.visit.status == VisitStatus::WorkFinished).then(|| view! {
                        <SignOffForm record=record.clone() schedule=history.fee_schedule.clone()/>
                        <ComplaintForm/>
                    })}
                    // The sealed record is the server's: it opens once the
                    // signature has reached it.
                    {(record.visit.status == VisitStatus::Signed && !waiting_here()).then(|| view! {
                        <a class="button button--primary visit__step" data-testid="open-record"
                            href=format!("/visits/{}/record", record.visit.id)>
                            {move || i18n.t().open_record}
                        </a>
                    })}
                    {(record.visit.status == VisitStatus::Signed && waiting_here()).then(|| view! {
                        <p class="status" data-testid="signed-waiting">{move || i18n.t().signed_waiting}</p>
                    })}
                    <Checklist record=record.clone()/>
                    <PartsAndFees record=record.clone() schedule=history.fee_schedule/>
                    <Outcome record/>
                    <FieldInsights insights=history.insights/>
                    <OtherVisits visits=history.other_visits/>
                }.into_any(),
                Some(Err(error)) => load_failure(error),
            }}
        </section>
    }
}
