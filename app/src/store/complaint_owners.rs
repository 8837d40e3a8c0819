//! Who owns a complaint (谁受理谁负责) and every change of it, kept with
//! who made it, when and why, and a line in the audit log.

use sqlx::Row;

use super::admin::{record_audit, AuditNote};
use super::{corrupt, flag, Store, StoreError};
use crate::domain::admin::AdminAction;
use crate::domain::auth::Role;
use crate::domain::complaint::{change_owner, OwnerChangeRefused};
use crate::domain::ids::RecordId;
use crate::domain::time::Timestamp;
use crate::domain::validation::OwnerChangeReason;

#[derive(Debug, thiserror::Error)]
pub enum OwnerChangeError {
    #[error("complaint {0} not found")]
    NotFound(String),
    #[error(transparent)]
    Refused(#[from] OwnerChangeRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for OwnerChangeError {
    fn from(error: sqlx::Error) -> Self {
        OwnerChangeError::Store(StoreError::Database(error))
    }
}

/// A change of owner to write.
pub struct OwnerChange<'a> {
    pub id: &'a RecordId,
    pub complaint_id: &'a RecordId,
    pub to: &'a RecordId,
    pub by: &'a RecordId,
    pub reason: Option<&'a OwnerChangeReason>,
    pub at: Timestamp,
}

impl Store {
    /// Gives the complaint to `to`, by the rule in `domain::complaint`: to a
    /// dispatcher of its region or an admin, active; with the reason when a
    /// named owner had it. Answers the new owner's name.
    pub async fn change_complaint_owner(
        &self,
        change: OwnerChange<'_>,
    ) -> Result<String, OwnerChangeError> {
        let mut tx = self.begin().await?;
        // The same change sent again answers as the first did.
        if let Some(done) =
            sqlx::query("SELECT complaint_id, to_id FROM complaint_owner_changes WHERE id = $1")
                .bind(change.id.as_str())
                .fetch_optional(&mut *tx)
                .await?
        {
            let complaint: String = done.try_get("complaint_id")?;
            let to: String = done.try_get("to_id")?;
            if complaint != change.complaint_id.as_str() || to != change.to.as_str() {
                return Err(StoreError::IdInUse(format!("owner change {}", change.id)).into());
            }
            let name: String = sqlx::query("SELECT display_name FROM users WHERE id = $1")
                .bind(&to)
                .fetch_one(&mut *tx)
                .await?
                .try_get("display_name")?;
            return Ok(name);
        }
        let complaint = sqlx::query(
            "SELECT c.owner_id, w.region_id FROM complaints c \
             JOIN work_orders w ON w.id = c.work_order_id WHERE c.id = $1",
        )
        .bind(change.complaint_id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| OwnerChangeError::NotFound(change.complaint_id.to_string()))?;
        let current: Option<String> = complaint.try_get("owner_id")?;
        let region: String = complaint.try_get("region_id")?;
        let owner =
            sqlx::query("SELECT display_name, role, region_id, active FROM users WHERE id = $1")
                .bind(change.to.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(OwnerChangeRefused::NotAnOwner)?;
        let role: String = owner.try_get("role")?;
        let role = Role::parse(&role).ok_or_else(|| corrupt("user", change.to.as_str(), &role))?;
        let owner_region: Option<String> = owner.try_get("region_id")?;
        let may_own = flag(&owner, "active")?
            && match role {
                Role::Admin => true,
                Role::Dispatcher => owner_region.as_deref() == Some(region.as_str()),
                Role::Technician => false,
            };
        if !may_own {
            return Err(OwnerChangeRefused::NotAnOwner.into());
        }
        change_owner(current.as_deref(), change.to.as_str(), change.reason)?;
        // Only from the owner read above: on PostgreSQL another change may
        // have committed since.
        let changed = sqlx::query(
            "UPDATE complaints SET owner_id = $1 WHERE id = $2 \
             AND (owner_id = $3 OR (owner_id IS NULL AND $4 = 1))",
        )
        .bind(change.to.as_str())
        .bind(change.complaint_id.as_str())
        .bind(current.as_deref().unwrap_or(""))
        .bind(i32::from(current.is_none()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(OwnerChangeRefused::ChangedMeanwhile.into());
        }
        let reason = change.reason.map(OwnerChangeReason::as_str);
        sqlx::query(
            "INSERT INTO complaint_owner_changes (id, complaint_id, from_id, to_id, by_id, \
             reason, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(change.id.as_str())
        .bind(change.complaint_id.as_str())
        .bind(current.as_deref())
        .bind(change.to.as_str())
        .bind(change.by.as_str())
        .bind(reason)
        .bind(change.at.unix_millis())
        .execute(&mut *tx)
        .await?;
        let name: String = owner.try_get("display_name")?;
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id: change.by.as_str(),
                action: AdminAction::ComplaintOwnerChanged,
                subject: format!("complaint:{}", change.complaint_id),
                before: Some(serde_json::json!({ "owner_id": current }).to_string()),
                after: Some(
                    serde_json::json!({ "owner_id": change.to.as_str(), "owner": name, "reason": reason })
                        .to_string(),
                ),
                at: change.at,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(name)
    }

    /// Who may own a complaint of the region, by name: its active
    /// dispatchers (and, for every region, the admins).
    pub async fn complaint_owners(
        &self,
        region_id: Option<&str>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, display_name FROM users WHERE active = 1 AND \
             ((role = 'dispatcher' AND ($1 IS NULL OR region_id = $1)) OR role = 'admin') \
             ORDER BY display_name, id",
        )
        .bind(region_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("display_name")?)))
            .collect()
    }
}
