//! The client action layer: every technician and customer action leaves the
//! screen through here. Each becomes an operation with an id and the time
//! made on the phone, checked against the record as the phone has it,
//! kept in the phone's own store, and sent from the outbox in order when
//! there is a connection (`runner`). The server applies each operation id
//! once, so a resend is harmless.

pub mod device;
pub mod device_store;
pub mod operation;
pub mod outbox;
#[cfg(feature = "hydrate")]
mod runner;

use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::sync::{Change, KitVisit, VisitOperation};
use crate::domain::ids::new_id;
use crate::domain::time::Timestamp;
use operation::with_waiting_changes;
use outbox::{Outbox, Pending};

/// The phone's sync, as every page sees it. Provided once by the app; on
/// the server it stays empty (there is no outbox there).
#[derive(Clone, Copy)]
pub struct SyncState {
    pub outbox: RwSignal<Outbox<VisitOperation>>,
    pub online: RwSignal<bool>,
    /// The outbox has been read back from the phone's store.
    pub ready: RwSignal<bool>,
    /// Counts the server's answers and kit refreshes: pages showing a
    /// record read it again when it moves.
    pub synced: RwSignal<u64>,
    /// Changes the server took lately, each with the `synced` count it
    /// raised: laid over a record read before that count, so a change never
    /// seems to vanish between its answer and the next read.
    applied: RwSignal<Vec<(u64, Pending<VisitOperation>)>>,
    // Read by the browser's runner only.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    sending: RwSignal<bool>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    kit_fetching: RwSignal<bool>,
}

pub fn provide_sync() -> SyncState {
    let state = SyncState {
        outbox: RwSignal::new(Outbox::default()),
        online: RwSignal::new(true),
        ready: RwSignal::new(false),
        synced: RwSignal::new(0),
        applied: RwSignal::new(Vec::new()),
        sending: RwSignal::new(false),
        kit_fetching: RwSignal::new(false),
    };
    provide_context(state);
    #[cfg(feature = "hydrate")]
    runner::start(state);
    state
}

pub fn use_sync() -> SyncState {
    use_context::<SyncState>().expect("the app provides the sync state")
}

impl SyncState {
    /// Checks `change` against the visit as this phone has it (the server's
    /// rules, run here), then keeps it in the outbox, on disk, and starts
    /// sending. A change the server would refuse is refused now, with the
    /// same reason.
    pub async fn act(
        self,
        current: Option<KitVisit>,
        visit_id: String,
        change: Change,
    ) -> Result<(), AppError> {
        let made_at = Timestamp::now();
        // The changes kept from before are read back first (a moment after
        // the page opens); until then a new one would be saved over them.
        if !self.ready.get_untracked() {
            return Err(AppError::Unavailable);
        }
        if let Some(kit) = current {
            if let Some(visit_change) =
                change.to_visit_change(&kit.history.fee_schedule, made_at)?
            {
                kit.record.clone().predict(&visit_change, made_at)?;
            }
        }
        let pending = Pending {
            operation_id: new_id()?.to_string(),
            made_at_ms: made_at.unix_millis(),
            change: VisitOperation { visit_id, change },
        };
        self.outbox.update(|outbox| outbox.push(pending));
        #[cfg(feature = "hydrate")]
        runner::save_outbox(self).await?;
        self.send_waiting();
        Ok(())
    }

    /// A photo made on the phone, kept on disk until the server has it;
    /// answers its id, for the change that attaches it.
    pub async fn keep_photo(self, data_base64: String) -> Result<String, AppError> {
        let photo_id = new_id()?.to_string();
        #[cfg(feature = "hydrate")]
        device_store::write(&device_store::keys::photo(&photo_id), &data_base64)
            .await
            .map_err(runner::not_kept)?;
        #[cfg(not(feature = "hydrate"))]
        let _ = data_base64;
        Ok(photo_id)
    }

    /// Sends what waits, unless a send is under way.
    pub fn send_waiting(self) {
        #[cfg(feature = "hydrate")]
        runner::flush(self);
    }

    /// Fetches the technician's visits of today and tomorrow for offline
    /// use, when online.
    pub fn refresh_kit(self) {
        #[cfg(feature = "hydrate")]
        runner::refresh_kit(self);
    }

    /// The technician has read a refusal.
    pub fn dismiss(self, operation_id: &str) {
        self.outbox
            .update(|outbox| outbox.dismiss_refused(operation_id));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let _ = runner::save_outbox(self).await;
        });
    }

    /// The visit as the server has it, or, with no network, as the phone
    /// kept it; with the sync count when it was read.
    pub async fn fetch_visit(self, visit_id: String) -> Result<(u64, KitVisit), AppError> {
        let read_at = self.synced.get_untracked();
        use crate::serverfns::visits::{get_visit_history, get_visit_record};
        let fetched = match get_visit_record(visit_id.clone()).await {
            Ok(record) => get_visit_history(visit_id.clone())
                .await
                .map(|history| KitVisit { record, history }),
            Err(error) => Err(error),
        };
        let kit = match fetched {
            Ok(kit) => {
                #[cfg(feature = "hydrate")]
                runner::keep_visit(&kit).await;
                kit
            }
            Err(error) if error.is_unreachable() => kept_visit(&visit_id).await.ok_or(error)?,
            Err(error) => return Err(error),
        };
        Ok((read_at, kit))
    }

    /// Notes the changes the server just took (one answer, or one batch's).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn note_applied(self, taken: Vec<Pending<VisitOperation>>) {
        const KEPT: usize = 200;
        if taken.is_empty() {
            return;
        }
        let count = self.synced.get_untracked() + 1;
        self.applied.update(|applied| {
            applied.extend(taken.into_iter().map(|pending| (count, pending)));
            let extra = applied.len().saturating_sub(KEPT);
            applied.drain(..extra);
        });
        self.synced.set(count);
    }

    /// `kit`, read when the sync count was `read_at`, with the changes the
    /// server took since and those still waiting laid over its record.
    pub fn with_waiting(self, (read_at, kit): (u64, KitVisit)) -> KitVisit {
        let later = self.applied.with_untracked(|applied| {
            applied
                .iter()
                .filter(|(count, _)| *count > read_at)
                .map(|(_, pending)| pending.clone())
                .collect::<Vec<_>>()
        });
        let record = self.outbox.with_untracked(|outbox| {
            with_waiting_changes(
                kit.record,
                &kit.history.fee_schedule,
                later.iter().chain(outbox.waiting()),
            )
        });
        KitVisit {
            record,
            history: kit.history,
        }
    }
}

/// The visit as this phone kept it, when it has.
async fn kept_visit(visit_id: &str) -> Option<KitVisit> {
    #[cfg(feature = "hydrate")]
    {
        let text = device_store::read(&device_store::keys::visit(visit_id)).await?;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = visit_id;
        None
    }
}

/// Settles work held from a phone. The settlement id is made once for the
/// held item on screen, so a double press or a resend is one settlement.
pub async fn settle_held(
    settlement_id: String,
    operation_id: String,
    outcome: crate::domain::conflict::SettlementOutcome,
    note: Option<String>,
) -> Result<crate::domain::conflict::SettlementOutcome, AppError> {
    crate::serverfns::desk::settle_held_work(
        settlement_id,
        operation_id,
        outcome.as_str().to_string(),
        note,
    )
    .await
}

/// A dispatcher puts a technician on a work order (its visit still to be
/// made changes hands, or a new one is made); answers the visit's id.
/// `confirmed`: the warnings the dispatcher was shown and pressed again
/// for. The desk works online only.
pub async fn assign(
    work_order_id: String,
    technician_id: String,
    confirmed: Vec<crate::domain::assignment::WarningKind>,
) -> Result<String, AppError> {
    assign_once(
        new_id()?.to_string(),
        new_id()?.to_string(),
        work_order_id,
        technician_id,
        confirmed,
    )
    .await
}

/// [`assign`] under ids made once by the caller, so pressing again or
/// retrying is the same assignment, applied once.
pub async fn assign_once(
    operation_id: String,
    new_visit_id: String,
    work_order_id: String,
    technician_id: String,
    confirmed: Vec<crate::domain::assignment::WarningKind>,
) -> Result<String, AppError> {
    let confirmed = confirmed
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(",");
    crate::serverfns::desk::assign_technician(
        operation_id,
        work_order_id,
        technician_id,
        new_visit_id,
        None,
        None,
        (!confirmed.is_empty()).then_some(confirmed),
    )
    .await
}
