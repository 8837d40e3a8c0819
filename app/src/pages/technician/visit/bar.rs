//! The bar fixed to the bottom of the screen: the shown stage's next
//! action under the thumb, and the refusal of a step right above it. The
//! check-in is its own deliberate act, confirmed in a sheet.

use leptos::prelude::*;

use super::refusal::{OpenItems, Refusal};
use super::stages::Stage;
use super::{use_visit, Place, VisitAction};
use crate::components::sheet::Sheet;
use crate::domain::record::VisitRecord;
use crate::domain::time::{format_local_time, Timestamp, UtcOffset};
use crate::domain::visit::{VisitEvent, VisitStatus};
use crate::i18n::use_i18n;

/// What the bar's button does in a stage and status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BarAction {
    Step(VisitEvent),
    /// Opens the check-in's confirmation.
    Arrive,
    Open(Stage),
    HandToCustomer,
    OpenRecord,
    SignedWaiting,
    Nothing,
}

fn bar_action(stage: Stage, status: VisitStatus, signed_waiting: bool) -> BarAction {
    match (status, stage) {
        (VisitStatus::Dispatched, _) => BarAction::Step(VisitEvent::SetOff),
        (VisitStatus::OnTheWay, _) => BarAction::Arrive,
        (VisitStatus::Arrived, _) => BarAction::Step(VisitEvent::StartWork),
        (VisitStatus::WorkStarted, Stage::Outcome) => BarAction::Step(VisitEvent::FinishWork),
        (VisitStatus::WorkStarted, stage) => BarAction::Open(
            stage
                .next()
                .filter(|next| *next != Stage::Customer)
                .unwrap_or(Stage::Outcome),
        ),
        (VisitStatus::WorkFinished, Stage::Customer) => BarAction::HandToCustomer,
        (VisitStatus::WorkFinished, _) => BarAction::Open(Stage::Customer),
        (VisitStatus::Signed | VisitStatus::ClosedUnsigned, _) if signed_waiting => {
            BarAction::SignedWaiting
        }
        (VisitStatus::Signed | VisitStatus::ClosedUnsigned, _) => BarAction::OpenRecord,
        (VisitStatus::Cancelled, _) => BarAction::Nothing,
    }
}

#[component]
pub(super) fn BottomBar(
    record: VisitRecord,
    #[prop(into)] stage: Signal<Stage>,
    signed_waiting: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let status = record.visit.status;
    let record_href = format!("/visits/{}/record", record.visit.id);
    let action = move || bar_action(stage.get(), status, signed_waiting);
    let label = move || {
        let visit_messages = i18n.t().visit;
        match action() {
            BarAction::Step(event) => (i18n.t().step_button)(event).to_string(),
            BarAction::Arrive => visit_messages.arrived_button.to_string(),
            BarAction::Open(stage) => (visit_messages.next_stage)(stage.key()),
            BarAction::HandToCustomer => visit_messages.hand_to_customer.to_string(),
            _ => String::new(),
        }
    };
    let press = move |_| match action() {
        BarAction::Step(event) => visit.act(VisitAction::Step(event)),
        BarAction::Arrive => {
            // The sheet's own buttons wait a moment too: the second tap of
            // a double tap never confirms the arrival.
            visit.hold();
            visit.arrival_sheet.set(true);
        }
        BarAction::Open(stage) => {
            visit.failure.set(None);
            visit.open_stage(stage, Some("visit-title".into()));
        }
        BarAction::HandToCustomer => {
            visit.failure.set(None);
            visit.hold();
            visit.customer_mode.set(true);
        }
        _ => {}
    };
    view! {
        <div class="bottom-bar" data-testid="bottom-bar">
            <Refusal at=Place::Step/>
            <OpenItems checklist=record.checklist.clone()/>
            {move || match action() {
                BarAction::OpenRecord => view! {
                    <a class="button button--primary button--block" data-testid="open-record"
                        href=record_href.clone()>
                        {move || i18n.t().open_record}
                    </a>
                }.into_any(),
                BarAction::SignedWaiting => view! {
                    <p class="bottom-bar__note" data-testid="signed-waiting">{move || if status == VisitStatus::Signed {
                        i18n.t().signed_waiting
                    } else {
                        i18n.t().visit.closed_waiting
                    }}</p>
                }.into_any(),
                BarAction::Nothing => ().into_any(),
                _ => view! {
                    <button type="button" class="button button--primary button--block" data-testid="next-step"
                        data-action=move || format!("{:?}", action())
                        disabled=move || visit.busy()
                        on:click=press>
                        {label}
                    </button>
                }.into_any(),
            }}
        </div>
    }
}

/// "Are you at the customer's home?": the check-in, confirmed on its own.
/// Confirm sits above cancel, away from where the thumb pressed "arrived".
#[component]
pub(super) fn ArrivalSheet() -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let open = visit.arrival_sheet;
    // The time it will record, as the sheet opens.
    let now_text = move || {
        open.get();
        format_local_time(Timestamp::now(), UtcOffset::CHINA)
    };
    view! {
        <Sheet open title=Signal::derive(move || i18n.t().visit.arrival_sheet_title.to_string())
            test_id="arrival-sheet">
            <p class="sheet__body">{move || (i18n.t().visit.arrival_sheet_body)(&now_text())}</p>
            <div class="sheet__actions">
                <button type="button" class="button button--primary button--block" data-testid="confirm-arrival"
                    disabled=move || visit.busy()
                    on:click=move |_| {
                        visit.arrival_sheet.set(false);
                        visit.act(VisitAction::Step(VisitEvent::CheckIn));
                    }>
                    {move || i18n.t().visit.confirm_arrival}
                </button>
                <button type="button" class="button button--quiet button--block" data-testid="cancel-arrival"
                    on:click=move |_| visit.arrival_sheet.set(false)>
                    {move || i18n.t().visit.cancel}
                </button>
            </div>
        </Sheet>
    }
}
