//! One visit, run stage by stage at the customer's home: arrive, the
//! service norms, repair and charges, the outcome, and the customer's own
//! sign-off. Every part of the page reads what it shares (the visit, the
//! one action, the refusal, the drafts, the stage shown) from
//! `VisitContext`; everything a person does is a `VisitAction`, sent
//! through the phone's outbox by `VisitContext::act`.

mod bar;
mod checklist;
mod details;
mod drafts;
mod outcome;
mod refusal;
mod sign_off;
mod stages;
mod unsigned;
pub mod work;

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use self::bar::{ArrivalSheet, BottomBar};
use self::checklist::Checklist;
use self::details::{VisitDetails, VisitFacts};
use self::drafts::Drafts;
use self::outcome::Outcome;
use self::sign_off::{CustomerMode, CustomerStage};
use self::stages::{Stage, Stepper};
use self::work::{FieldInsights, OtherVisits, PartInput, PartsAndFees};
use crate::api::error::AppError;
use crate::api::sync::{Change, KitVisit};
use crate::api::visits::SignOffInput;
use crate::components::load_failure::load_failure;
use crate::domain::charges::Money;
use crate::domain::ids::new_id;
use crate::domain::record::VisitChange;
use crate::domain::visit::VisitEvent;
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
    /// A part or fee taken back before the customer signs, by its id.
    RemoveCharge(String),
    Insight {
        category: String,
        note: String,
    },
    /// The customer's complaint at sign-off, its text.
    Complain(String),
    SignOff(SignOffInput),
    /// Closed without the customer's signature: which of the two, and why.
    CloseUnsigned {
        why: crate::domain::signoff::NoSignature,
        reason: String,
    },
}

/// Where on the page an action was started: its refusal is shown there,
/// next to the control that caused it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// The bottom bar's step.
    Step,
    Item(String),
    Outcome,
    Part,
    Fee,
    Charge(String),
    Insight,
    Complaint,
    SignOff,
    NoSignature,
}

impl VisitAction {
    fn place(&self) -> Place {
        match self {
            VisitAction::Step(_) => Place::Step,
            VisitAction::Answer { item_key, .. } => Place::Item(item_key.clone()),
            VisitAction::Outcome { .. } => Place::Outcome,
            VisitAction::Part(_) => Place::Part,
            VisitAction::Fee { .. } => Place::Fee,
            VisitAction::RemoveCharge(id) => Place::Charge(id.clone()),
            VisitAction::Insight { .. } => Place::Insight,
            VisitAction::Complain(_) => Place::Complaint,
            VisitAction::SignOff(_) => Place::SignOff,
            VisitAction::CloseUnsigned { .. } => Place::NoSignature,
        }
    }
}

/// The visit as the page shows it: not read yet, read (with the changes
/// waiting on the phone laid over it), or not readable.
type ShownVisit = Memo<Option<Result<KitVisit, AppError>>>;

/// How long every control waits after an action settles: the second tap
/// of a double tap (about 100 ms) lands on nothing, never on the control
/// that has just taken the first one's place.
const SETTLE_HOLD: Duration = Duration::from_millis(600);

/// What the visit page's parts share, provided once by `VisitPage`.
#[derive(Clone, Copy)]
pub(super) struct VisitContext {
    pub visit_id: Memo<String>,
    shown: ShownVisit,
    /// The one action every button dispatches; its answer is the filed
    /// complaint's id, for a complaint.
    action: Action<VisitAction, Result<Option<String>, AppError>>,
    /// Where the action in flight was started.
    acting: RwSignal<Option<Place>>,
    /// The last refusal, and where it belongs.
    pub failure: RwSignal<Option<(Place, AppError)>>,
    /// A photo is being made small and kept.
    pub uploading: RwSignal<bool>,
    /// Controls wait a moment after an action settles (`SETTLE_HOLD`).
    holding: RwSignal<bool>,
    pub drafts: Drafts,
    /// The complaint filed on this page, once the phone has it.
    pub filed_complaint: RwSignal<Option<String>>,
    /// The stage the technician opened; `None` follows the visit's status.
    pub chosen_stage: RwSignal<Option<Stage>>,
    /// The phone is the customer's: only the sign-off shows.
    pub customer_mode: RwSignal<bool>,
    pub arrival_sheet: RwSignal<bool>,
    /// An element to bring into view once the stage shown has drawn it.
    pub scroll_to: RwSignal<Option<String>>,
}

pub(super) fn use_visit() -> VisitContext {
    expect_context::<VisitContext>()
}

impl VisitContext {
    /// Sends what a person did; refused or kept, it settles on the page.
    pub fn act(self, action: VisitAction) {
        self.acting.set(Some(action.place()));
        self.action.dispatch(action);
    }

    /// Something is under way or has just settled: every button waits, so
    /// a double tap lands on nothing.
    pub fn busy(self) -> bool {
        self.action.pending().get() || self.uploading.get() || self.holding.get()
    }

    /// Holds every control for a moment, as after an action.
    pub fn hold(self) {
        self.holding.set(true);
        set_timeout(move || self.holding.set(false), SETTLE_HOLD);
    }

    /// The visit as the page shows it now.
    pub fn current(self) -> Option<KitVisit> {
        self.shown.get_untracked().and_then(Result::ok)
    }

    /// The refusal of the action started at `place`, if the last one was.
    pub fn failure_at(self, place: &Place) -> Option<AppError> {
        self.failure.with(|failure| match failure {
            Some((at, error)) if at == place => Some(error.clone()),
            _ => None,
        })
    }

    /// Shows `stage` and, once drawn, brings the element `target` into view.
    pub fn open_stage(self, stage: Stage, target: Option<String>) {
        self.chosen_stage.set(Some(stage));
        self.scroll_to.set(target);
    }

    /// Every action ends here: a refusal is shown where it was started; a
    /// change kept shows at once through the outbox and empties its form.
    pub fn settle(self, result: Result<Option<String>, AppError>) {
        let place = self.acting.get_untracked().unwrap_or(Place::Step);
        match result {
            Ok(filed) => {
                self.failure.set(None);
                if filed.is_some() {
                    self.filed_complaint.set(filed);
                }
                match &place {
                    Place::Part => self.drafts.part.clear(),
                    Place::Item(_) => {
                        self.drafts.not_applicable.set(None);
                        self.drafts.not_applicable_reason.set(String::new());
                        self.drafts.reopened.set(None);
                    }
                    Place::Step => self.chosen_stage.set(None),
                    Place::SignOff => {
                        self.customer_mode.set(false);
                        self.chosen_stage.set(None);
                    }
                    Place::NoSignature => {
                        self.drafts.no_signature.clear();
                        self.chosen_stage.set(None);
                    }
                    _ => {}
                }
            }
            Err(error) => self.failure.set(Some((place, error))),
        }
        self.hold();
    }

    /// A photo's upload settles like an action of its item.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn settle_photo(self, item_key: String, result: Result<(), AppError>) {
        self.acting.set(Some(Place::Item(item_key)));
        self.settle(result.map(|()| None));
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
        VisitAction::Part(part) => {
            let change = Change::Part {
                unit_price_fen: Money::parse_yuan(&part.price)?.fen().to_string(),
                part_id: new_id()?.to_string(),
                code: part.code,
                name: part.name,
                quantity: part.quantity,
                charge_reason: part.reason,
            };
            // The server's warranty rule, here too: the refusal then comes
            // at once, next to the form, not later from the sync.
            if let Some(kit) = &current {
                let at = crate::domain::time::Timestamp::now();
                if let Some(VisitChange::Part(part)) =
                    change.to_visit_change(&kit.history.fee_schedule, at)?
                {
                    let booked = kit.record.visit.window.start();
                    let warranty = kit
                        .record
                        .appliance
                        .warranty_at(booked, crate::domain::time::UtcOffset::CHINA);
                    crate::domain::charges::check_part_charge(warranty, &part)?;
                }
            }
            change
        }
        VisitAction::Fee { code, quantity } => Change::Fee {
            charge_id: new_id()?.to_string(),
            code,
            quantity,
        },
        VisitAction::RemoveCharge(charge_id) => Change::RemoveCharge { charge_id },
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
        VisitAction::SignOff(mut sign_off) => {
            // Checked before the position is asked for: a refusal comes at
            // once, and the customer's phone is not asked twice.
            sign_off.check()?;
            // The phone is in the customer's home as the customer signs.
            sign_off.position = crate::sync::device::current_position().await;
            Change::SignOff { sign_off }
        }
        VisitAction::CloseUnsigned { why, reason } => Change::CloseUnsigned {
            why: why.as_str().to_string(),
            reason,
        },
    };
    sync.act(current, visit_id, change).await?;
    Ok(None)
}

/// One visit, stage by stage: who and what, the stepper, the stage shown,
/// and the bottom bar with the stage's next action.
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
        acting: RwSignal::new(None),
        failure: RwSignal::new(None),
        uploading: RwSignal::new(false),
        holding: RwSignal::new(false),
        drafts: Drafts::new(),
        filed_complaint: RwSignal::new(None),
        chosen_stage: RwSignal::new(None),
        customer_mode: RwSignal::new(false),
        arrival_sheet: RwSignal::new(false),
        scroll_to: RwSignal::new(None),
    };
    provide_context(visit);
    Effect::new(move |_| action.value().get().map(|result| visit.settle(result)));
    // A stage opened from a link or the bar: its target (an open item, the
    // stage's top) into view once the stage has drawn it.
    Effect::new(move |_| {
        if let Some(id) = visit.scroll_to.get() {
            visit.scroll_to.set(None);
            request_animation_frame(move || {
                #[cfg(feature = "hydrate")]
                if let Some(element) = document().get_element_by_id(&id) {
                    element.scroll_into_view();
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = id;
            });
        }
    });
    // The router keeps this page when it moves to another visit (a
    // follow-up): that visit's forms start empty, on its own stage.
    Effect::new(move |shown_before: Option<String>| {
        let id = visit_id.get();
        if shown_before.is_some_and(|before| before != id) {
            visit.drafts.clear();
            visit.chosen_stage.set(None);
            visit.customer_mode.set(false);
            visit.failure.set(None);
        }
        id
    });

    view! {
        <section class="visit" aria-labelledby="visit-title">
            {move || match shown.get() {
                None => view! { <p class="status">{move || i18n.t().loading}</p> }.into_any(),
                Some(Ok(KitVisit { record, history })) => {
                    let status = record.visit.status;
                    let stage = move || visit.chosen_stage.get()
                        .filter(|stage| stage.reachable(status))
                        .unwrap_or_else(|| Stage::opens_on(status));
                    let signed_waiting = status.is_closed() && waiting_here();
                    let (for_stage, for_bar) = (record.clone(), record.clone());
                    let schedule = history.fee_schedule.clone();
                    let history = StoredValue::new(history);
                    view! {
                        <VisitDetails record=record.clone()/>
                        <Stepper record=record.clone() shown=Signal::derive(stage)/>
                        <div class="stage" data-testid="stage" data-stage=move || stage().key()>
                            {move || {
                                // The customer's screen covers the page: nothing of
                                // the technician's is drawn under it.
                                if visit.customer_mode.get() {
                                    return ().into_any();
                                }
                                let record = for_stage.clone();
                                match stage() {
                                    Stage::Arrive => view! {
                                        <VisitFacts record/>
                                        <OtherVisits visits=history.with_value(|h| h.other_visits.clone())/>
                                    }.into_any(),
                                    Stage::Norms => view! { <Checklist record/> }.into_any(),
                                    Stage::Repair => view! {
                                        <PartsAndFees record schedule=schedule.clone()/>
                                        <FieldInsights insights=history.with_value(|h| h.insights.clone())/>
                                    }.into_any(),
                                    Stage::Outcome => view! { <Outcome record/> }.into_any(),
                                    Stage::Customer => view! {
                                        <CustomerStage record schedule=schedule.clone()/>
                                    }.into_any(),
                                }
                            }}
                        </div>
                        <BottomBar record=for_bar stage=Signal::derive(stage) signed_waiting/>
                        <ArrivalSheet/>
                        <self::unsigned::NoSignatureSheet/>
                    }.into_any()
                }
                Some(Err(error)) => load_failure(error),
            }}
        </section>
        // The customer's screen, drawn once as it opens: a sync landing
        // meanwhile does not redraw it under the customer's finger.
        <Show when=move || visit.customer_mode.get()>
            {move || visit.current().map(|KitVisit { record, history }| view! {
                <CustomerMode record schedule=history.fee_schedule/>
            })}
        </Show>
    }
}
