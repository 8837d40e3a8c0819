//! The visit's five stages and the stepper that shows where the visit is:
//! arrive → the service norms → repair and charges → outcome → the
//! customer. One stage is in view at a time.

use leptos::prelude::*;

use super::use_visit;
use crate::domain::checklist::SIGNED_BY_CUSTOMER;
use crate::domain::record::VisitRecord;
use crate::domain::visit::VisitStatus;
use crate::i18n::use_i18n;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    Arrive,
    Norms,
    Repair,
    Outcome,
    Customer,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Arrive,
        Stage::Norms,
        Stage::Repair,
        Stage::Outcome,
        Stage::Customer,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stage::Arrive => "arrive",
            Stage::Norms => "norms",
            Stage::Repair => "repair",
            Stage::Outcome => "outcome",
            Stage::Customer => "customer",
        }
    }

    /// The stage a visit in `status` opens on.
    pub fn opens_on(status: VisitStatus) -> Stage {
        match status {
            VisitStatus::WorkStarted => Stage::Norms,
            VisitStatus::WorkFinished | VisitStatus::Signed | VisitStatus::ClosedUnsigned => {
                Stage::Customer
            }
            _ => Stage::Arrive,
        }
    }

    /// Whether a visit in `status` can show this stage: the work's stages
    /// once the technician is in, the customer's once the work is done.
    pub fn reachable(self, status: VisitStatus) -> bool {
        match self {
            Stage::Arrive => true,
            Stage::Norms | Stage::Repair | Stage::Outcome => {
                status.has_arrived() && status != VisitStatus::Cancelled
            }
            Stage::Customer => status == VisitStatus::WorkFinished || status.is_closed(),
        }
    }

    pub fn next(self) -> Option<Stage> {
        let index = Stage::ALL.iter().position(|stage| *stage == self)?;
        Stage::ALL.get(index + 1).copied()
    }

    /// Whether the stage's part of the work is done, for the stepper's tick.
    fn done(self, record: &VisitRecord) -> bool {
        let status = record.visit.status;
        match self {
            Stage::Arrive => status.has_arrived(),
            Stage::Norms => record
                .checklist_complete()
                .err()
                .is_none_or(|open| open.missing.iter().all(|key| key == SIGNED_BY_CUSTOMER)),
            Stage::Repair | Stage::Outcome => {
                record.visit.outcome.is_some()
                    && matches!(status, VisitStatus::WorkFinished | VisitStatus::Signed)
            }
            Stage::Customer => status == VisitStatus::Signed,
        }
    }
}

/// The five stages as a row of steps: the one shown, the done ones ticked,
/// the ones not reachable yet dimmed. Tapping a reachable one opens it.
#[component]
pub(super) fn Stepper(record: VisitRecord, #[prop(into)] shown: Signal<Stage>) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let status = record.visit.status;
    view! {
        <nav class="stepper" aria-label=move || i18n.t().visit.stages_label>
            <ol class="stepper__list">
                {Stage::ALL.into_iter().enumerate().map(|(index, stage)| {
                    let done = stage.done(&record);
                    let reachable = stage.reachable(status);
                    view! {
                        <li class="stepper__item">
                            <button type="button" class="stepper__step" data-testid="stage-tab"
                                data-stage=stage.key() data-done=done.to_string()
                                aria-current=move || (shown.get() == stage).then_some("step")
                                disabled=!reachable
                                on:click=move |_| visit.open_stage(stage, None)>
                                <span class="stepper__mark" aria-hidden="true">
                                    {if done { "✓".to_string() } else { (index + 1).to_string() }}
                                </span>
                                <span class="stepper__name">{move || (i18n.t().visit.stage)(stage.key())}</span>
                                {done.then(|| view! {
                                    <span class="visually-hidden">{move || i18n.t().visit.stage_done}</span>
                                })}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}
