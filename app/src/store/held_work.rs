//! Settling work held for the dispatcher (`domain::conflict`, rule 7):
//! each held operation once, in the audit log, shown in the visit's sync log.

use sqlx::Row;

use super::admin::{record_audit, AuditNote};
use super::{corrupt, Store, StoreError};
use crate::domain::admin::AdminAction;
use crate::domain::conflict::{
    settlement_turn, HeldReason, Settlement, SettlementOutcome, SettlementTurn,
};
use crate::domain::ids::RecordId;
use crate::domain::time::Timestamp;

/// A held operation as kept: whose, for which visit, and as the phone sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldRecord {
    pub technician_id: RecordId,
    pub visit_id: RecordId,
    /// The region of the visit's order: whose dispatchers settle it.
    pub region_id: String,
    pub reason: HeldReason,
    pub received_at: Timestamp,
    /// The operation as the phone sent it (JSON).
    pub payload: String,
}

/// Where a settlement stands against held work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This settlement may act (and then complete).
    Ours,
    /// Another settlement holds it and is under way.
    Taken,
    /// Settled already: by this settlement (Repeat) or another one.
    Settled(SettlementTurn, SettlementOutcome),
}

/// A settlement to write: its own id, the held operation, who settles and how.
pub struct HeldSettlement<'a> {
    pub settlement_id: &'a RecordId,
    pub operation_id: &'a RecordId,
    pub dispatcher_id: &'a RecordId,
    pub settlement: &'a Settlement,
    pub at: Timestamp,
}

impl Store {
    pub async fn held_operation(
        &self,
        operation_id: &RecordId,
    ) -> Result<Option<HeldRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT h.user_id, h.visit_id, w.region_id, h.reason, h.received_at_ms, h.payload \
             FROM held_operations h JOIN visits v ON v.id = h.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id WHERE h.operation_id = $1",
        )
        .bind(operation_id.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id = |column: &str| -> Result<RecordId, StoreError> {
            let text: String = row.try_get(column)?;
            RecordId::parse("id", &text)
                .map_err(|error| corrupt("held operation", operation_id.as_str(), error))
        };
        let reason: String = row.try_get("reason")?;
        Ok(Some(HeldRecord {
            technician_id: id("user_id")?,
            visit_id: id("visit_id")?,
            region_id: row.try_get("region_id")?,
            reason: HeldReason::parse(&reason)
                .ok_or_else(|| corrupt("held operation", operation_id.as_str(), &reason))?,
            received_at: Timestamp::from_unix_millis(row.try_get("received_at_ms")?),
            payload: row.try_get("payload")?,
        }))
    }

    /// Claims held work for a settlement before anything is done with it,
    /// so two settlements never both act: answers the first settlement's
    /// outcome when one is already made (this one again, or another), or
    /// None when this settlement holds the claim (claimed now, or by the
    /// same settlement sent again and still under way).
    pub async fn claim_held_work(
        &self,
        settlement_id: &RecordId,
        operation_id: &RecordId,
    ) -> Result<Claim, StoreError> {
        let _turn = self.write_turn().await;
        let claimed = sqlx::query(
            "UPDATE held_operations SET settlement_id = $1 \
             WHERE operation_id = $2 AND settlement_id IS NULL AND settled_at_ms IS NULL",
        )
        .bind(settlement_id.as_str())
        .bind(operation_id.as_str())
        .execute(self.pool())
        .await?
        .rows_affected();
        if claimed == 1 {
            return Ok(Claim::Ours);
        }
        let row = sqlx::query(
            "SELECT settlement_id, outcome FROM held_operations WHERE operation_id = $1",
        )
        .bind(operation_id.as_str())
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::Refused("no such held operation".into()))?;
        let first: Option<String> = row.try_get("settlement_id")?;
        let outcome: Option<String> = row.try_get("outcome")?;
        let outcome = outcome
            .map(|outcome| {
                SettlementOutcome::parse(&outcome)
                    .ok_or_else(|| corrupt("held operation", operation_id.as_str(), &outcome))
            })
            .transpose()?;
        Ok(
            match (
                settlement_turn(Some(first.as_deref().unwrap_or("")), settlement_id.as_str()),
                outcome,
            ) {
                (SettlementTurn::Repeat, Some(outcome)) => {
                    Claim::Settled(SettlementTurn::Repeat, outcome)
                }
                (SettlementTurn::Repeat, None) => Claim::Ours,
                (_, Some(outcome)) => Claim::Settled(SettlementTurn::AlreadySettled, outcome),
                (_, None) => Claim::Taken,
            },
        )
    }

    /// Lets go of a claim whose settlement did not happen (the visit
    /// refused the work): the work stays held for another try.
    pub async fn release_held_work(
        &self,
        settlement_id: &RecordId,
        operation_id: &RecordId,
    ) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE held_operations SET settlement_id = NULL \
             WHERE operation_id = $1 AND settlement_id = $2 AND outcome IS NULL",
        )
        .bind(operation_id.as_str())
        .bind(settlement_id.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Completes a claimed settlement with an audit line, in one
    /// transaction; the same settlement completed again changes nothing.
    pub async fn settle_held_work(&self, settling: HeldSettlement<'_>) -> Result<(), StoreError> {
        let outcome = settling.settlement.outcome();
        let note = settling.settlement.note().map(|note| note.as_str());
        let mut tx = self.begin().await?;
        let settled = sqlx::query(
            "UPDATE held_operations SET outcome = $1, settlement_note = $2, settled_at_ms = $3, \
             settled_by = $4 WHERE operation_id = $5 AND settlement_id = $6 AND outcome IS NULL",
        )
        .bind(outcome.as_str())
        .bind(note)
        .bind(settling.at.unix_millis())
        .bind(settling.dispatcher_id.as_str())
        .bind(settling.operation_id.as_str())
        .bind(settling.settlement_id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if settled == 0 {
            return Ok(());
        }
        let visit_id: String =
            sqlx::query("SELECT visit_id FROM held_operations WHERE operation_id = $1")
                .bind(settling.operation_id.as_str())
                .fetch_one(&mut *tx)
                .await?
                .try_get("visit_id")?;
        let after = serde_json::json!({
            "visit_id": visit_id,
            "outcome": outcome.as_str(),
            "note": note,
        });
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id: settling.dispatcher_id.as_str(),
                action: AdminAction::HeldWorkSettled,
                subject: format!("operation:{}", settling.operation_id),
                before: None,
                after: Some(after.to_string()),
                at: settling.at,
            },
        )
        .await?;
        self.commit_announcing(tx, &visit_id).await?;
        Ok(())
    }
}
