//! The audit log: every admin change, who made it and when, with the
//! record before and after as JSON.

use super::*;

/// An audit entry to add: the record before and after, as JSON.
pub struct AuditNote<'a> {
    pub actor_id: &'a str,
    pub action: AdminAction,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub at: Timestamp,
}

pub async fn record_audit<'c>(
    db: impl Executor<'c, Database = Any>,
    note: &AuditNote<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO admin_audit (id, at_ms, actor_id, action, subject, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(crate::domain::ids::new_id()?.as_str())
    .bind(note.at.unix_millis())
    .bind(note.actor_id)
    .bind(note.action.as_str())
    .bind(&note.subject)
    .bind(&note.before)
    .bind(&note.after)
    .execute(db)
    .await?;
    Ok(())
}

/// The JSON an audit entry keeps of an account: what the desk shows, never
/// the password hash.
pub fn person_json(record: &PersonRecord) -> String {
    serde_json::to_string(record).unwrap_or_default()
}

pub(super) fn subject_of_user(id: &str) -> String {
    format!("user:{id}")
}

impl Store {
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.at_ms, a.actor_id, u.display_name AS actor_name, a.action, \
             a.subject, a.before_json, a.after_json, \
             COALESCE(person.display_name, region.name, point.name, customer.name) \
             AS subject_name FROM admin_audit a \
             JOIN users u ON u.id = a.actor_id \
             LEFT JOIN users person ON a.subject = 'user:' || person.id \
             LEFT JOIN regions region ON a.subject = 'region:' || region.id \
             LEFT JOIN service_points point ON a.subject = 'service_point:' || point.id \
             LEFT JOIN complaints complaint ON a.subject = 'complaint:' || complaint.id \
             LEFT JOIN work_orders complained ON complained.id = complaint.work_order_id \
             LEFT JOIN customers customer ON customer.id = complained.customer_id \
             ORDER BY a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let before: Option<String> = row.try_get("before_json")?;
                let after: Option<String> = row.try_get("after_json")?;
                let action_text: String = row.try_get("action")?;
                Ok(AuditEntry {
                    action: AdminAction::parse(&action_text)
                        .ok_or_else(|| corrupt("audit entry", &id, "unknown action"))?,
                    at: Timestamp::from_unix_millis(row.try_get("at_ms")?),
                    actor_id: row.try_get("actor_id")?,
                    actor_name: row.try_get("actor_name")?,
                    subject: row.try_get("subject")?,
                    subject_name: row.try_get("subject_name")?,
                    changes: crate::domain::audit::audit_changes(
                        before.as_deref(),
                        after.as_deref(),
                    ),
                    before,
                    after,
                    id,
                })
            })
            .collect()
    }
}
