//! The one way a technician's work record reaches a visit (a checklist
//! answer, a photo, the outcome, a part, a fee, a field insight, a
//! sign-off complaint). Every such write begins a transaction, answers a
//! repeat of its operation id without writing, reads the visit in the
//! transaction and checks it may take the work, runs the change, keeps a
//! new revision when the record is already signed, marks the operation
//! applied, forgets the dashboard's counted days of the visit and commits.
//! A write cannot skip a step by omission: its caller writes only the
//! change itself, between `begin_visit_work` and `finish`.

use sqlx::AnyConnection;

use super::dashboard_cache::{forget_counted_days, Touched};
use super::visit_records::{already_applied, mark_applied, technicians_visit, WorkRecordError};
use super::{Store, WriteTransaction};
use crate::domain::ids::RecordId;
use crate::domain::record::Amendment;
use crate::domain::time::Timestamp;
use crate::domain::visit::{Visit, VisitStatus};

/// The visit states a work record may be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Only while the technician is at work on the visit.
    AtWork,
    /// At work, or signed: the change then becomes the record's next
    /// revision.
    AtWorkOrSigned,
    /// Once the work is finished or signed (the customer's complaint).
    AtSignOff,
    /// At work, or finished but not yet signed: what the customer has not
    /// confirmed yet (a charge taken back).
    UntilSigned,
    /// In any state, by the visit's technician (a field insight).
    AnyStatus,
}

/// Which write: the operation, who makes it, on which visit, which action
/// (its kind as the sync names it), when, and in what states.
pub(crate) struct VisitWork<'a> {
    operation_id: &'a RecordId,
    visit_id: &'a RecordId,
    technician_id: &'a RecordId,
    action: &'static str,
    at: Timestamp,
    reach: Reach,
}

impl<'a> VisitWork<'a> {
    /// The write of `action` by the technician's operation on the visit
    /// (`ids`: operation, visit, technician), at `at`, in the states `reach`
    /// allows.
    pub(crate) fn new(
        (operation_id, visit_id, technician_id): (&'a RecordId, &'a RecordId, &'a RecordId),
        action: &'static str,
        at: Timestamp,
        reach: Reach,
    ) -> Self {
        VisitWork {
            operation_id,
            visit_id,
            technician_id,
            action,
            at,
            reach,
        }
    }
}

/// A work write under way: the transaction, and the visit as read in it.
/// Only `finish` commits, and it always keeps the revision, marks the
/// operation applied and forgets the counted days; dropped unfinished, the
/// transaction rolls back and nothing is written.
pub(crate) struct WorkWrite<'a> {
    store: &'a Store,
    tx: WriteTransaction,
    visit: Visit,
    work: VisitWork<'a>,
}

impl Store {
    /// Begins one piece of work on a visit (see the module's text). None
    /// for a repeat of the operation, which writes nothing.
    pub(crate) async fn begin_visit_work<'a>(
        &'a self,
        work: VisitWork<'a>,
    ) -> Result<Option<WorkWrite<'a>>, WorkRecordError> {
        let mut tx = self.begin().await?;
        if already_applied(
            &mut tx,
            (work.operation_id, work.technician_id, work.action),
        )
        .await?
        {
            return Ok(None);
        }
        let visit = technicians_visit(&mut tx, work.visit_id, work.technician_id).await?;
        // Signed or closed unsigned: the record is sealed either way.
        let signed = visit.status.is_closed();
        let at_work = visit.status.accepts_work_records();
        match work.reach {
            Reach::AtWork if !at_work => return Err(WorkRecordError::NotAtWork(visit.status)),
            Reach::AtWorkOrSigned if !at_work && !signed => {
                return Err(WorkRecordError::NotAtWork(visit.status))
            }
            Reach::AtSignOff if visit.status != VisitStatus::WorkFinished && !signed => {
                return Err(WorkRecordError::NotAtSignOff(visit.status))
            }
            Reach::UntilSigned if signed => {
                return Err(WorkRecordError::AlreadySigned(visit.status))
            }
            Reach::UntilSigned if !at_work && visit.status != VisitStatus::WorkFinished => {
                return Err(WorkRecordError::NotAtWork(visit.status))
            }
            _ => {}
        }
        Ok(Some(WorkWrite {
            store: self,
            tx,
            visit,
            work,
        }))
    }
}

impl WorkWrite<'_> {
    /// The visit as read in this write's transaction.
    pub(crate) fn visit(&self) -> &Visit {
        &self.visit
    }

    /// The transaction, for the change itself.
    pub(crate) fn tx(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Ends the write: on a signed record the change (`amendment`) becomes
    /// its next revision; the operation is marked applied, the visit's
    /// counted days forgotten, and everything committed at once.
    pub(crate) async fn finish(
        mut self,
        amendment: Option<Amendment>,
    ) -> Result<(), WorkRecordError> {
        let work = &self.work;
        if let (true, Some(amendment)) = (self.visit.status.is_closed(), &amendment) {
            self.store
                .add_revision(
                    &mut self.tx,
                    work.visit_id,
                    amendment,
                    work.technician_id,
                    work.at,
                )
                .await?;
        }
        mark_applied(
            &mut self.tx,
            (work.operation_id, work.technician_id, work.action),
            work.at,
        )
        .await?;
        forget_counted_days(&mut self.tx, Touched::Visit(work.visit_id.as_str())).await?;
        self.tx.commit().await?;
        Ok(())
    }
}
