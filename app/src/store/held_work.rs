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
    /// The id and outcome of the settlement made, once settled.
    pub settlement: Option<(String, SettlementOutcome)>,
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
            "SELECT h.user_id, h.visit_id, w.region_id, h.reason, h.received_at_ms, h.payload, \
             h.settlement_id, h.outcome FROM held_operations h JOIN visits v ON v.id = h.visit_id \
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
        let settlement_id: Option<String> = row.try_get("settlement_id")?;
        let outcome: Option<String> = row.try_get("outcome")?;
        let settlement = settlement_id
            .zip(outcome)
            .map(|(id, outcome)| {
                SettlementOutcome::parse(&outcome)
                    .map(|outcome| (id, outcome))
                    .ok_or_else(|| corrupt("held operation", operation_id.as_str(), &outcome))
            })
            .transpose()?;
        Ok(Some(HeldRecord {
            technician_id: id("user_id")?,
            visit_id: id("visit_id")?,
            region_id: row.try_get("region_id")?,
            reason: HeldReason::parse(&reason)
                .ok_or_else(|| corrupt("held operation", operation_id.as_str(), &reason))?,
            received_at: Timestamp::from_unix_millis(row.try_get("received_at_ms")?),
            payload: row.try_get("payload")?,
            settlement,
        }))
    }

    /// Marks held work settled with an audit line, in one transaction,
    /// unless it is settled already: answers whether this was the first
    /// settlement, the same one again, or another after it, with the
    /// outcome stored.
    pub async fn settle_held_work(
        &self,
        settling: HeldSettlement<'_>,
    ) -> Result<(SettlementTurn, SettlementOutcome), StoreError> {
        let outcome = settling.settlement.outcome();
        let note = settling.settlement.note().map(|note| note.as_str());
        let mut tx = self.begin().await?;
        let settled = sqlx::query(
            "UPDATE held_operations SET settlement_id = $1, outcome = $2, settlement_note = $3, \
             settled_at_ms = $4, settled_by = $5 \
             WHERE operation_id = $6 AND settled_at_ms IS NULL",
        )
        .bind(settling.settlement_id.as_str())
        .bind(outcome.as_str())
        .bind(note)
        .bind(settling.at.unix_millis())
        .bind(settling.dispatcher_id.as_str())
        .bind(settling.operation_id.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let row = sqlx::query(
            "SELECT visit_id, settlement_id, outcome FROM held_operations WHERE operation_id = $1",
        )
        .bind(settling.operation_id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Refused("no such held operation".into()))?;
        if settled == 0 {
            let first: Option<String> = row.try_get("settlement_id")?;
            let stored: Option<String> = row.try_get("outcome")?;
            let stored = stored
                .as_deref()
                .and_then(SettlementOutcome::parse)
                .ok_or_else(|| {
                    corrupt(
                        "held operation",
                        settling.operation_id.as_str(),
                        "settled without an outcome",
                    )
                })?;
            let turn = settlement_turn(
                Some(first.as_deref().unwrap_or("")),
                settling.settlement_id.as_str(),
            );
            return Ok((turn, stored));
        }
        let visit_id: String = row.try_get("visit_id")?;
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
        Ok((SettlementTurn::Fresh, outcome))
    }
}
