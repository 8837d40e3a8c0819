//! Reference data the visits are checked against: checklist templates
//! (versioned) and the unified fee schedule.

use sqlx::Row;

use super::{corrupt, flag, Store, StoreError};
use crate::domain::charges::{FeeSchedule, FeeScheduleItem, Money};
use crate::domain::checklist::{ChecklistTemplate, TemplateItem};
use crate::domain::time::Timestamp;
use crate::domain::validation::FeeCode;

async fn insert_template_items(
    tx: &mut sqlx::AnyConnection,
    version: i64,
    items: &[TemplateItem],
) -> Result<(), StoreError> {
    for (position, item) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO checklist_template_items (version, position, item_key, text_zh, \
             text_en, required, photo_required) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(version)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&item.key)
        .bind(&item.text_zh)
        .bind(&item.text_en)
        .bind(i32::from(item.required))
        .bind(i32::from(item.photo_required))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

impl Store {
    /// Writes `template`'s items when its version has none yet: the domain
    /// holds the one definition of the default template, the database a
    /// copy that visits refer to. A version with items is never rewritten.
    pub async fn ensure_checklist_template(
        &self,
        template: &ChecklistTemplate,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let version = i64::from(template.version);
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM checklist_template_items WHERE version = $1")
                .bind(version)
                .fetch_one(&mut *tx)
                .await?;
        if row.try_get::<i64, _>("n")? > 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO checklist_templates (version, created_at_ms) SELECT $1, $2 \
             WHERE NOT EXISTS (SELECT 1 FROM checklist_templates WHERE version = $1)",
        )
        .bind(version)
        .bind(now.unix_millis())
        .execute(&mut *tx)
        .await?;
        insert_template_items(&mut tx, version, &template.items).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Publishes `items` as the next version, with the audit entry: visits
    /// dispatched from now on run by it; visits already dispatched keep the
    /// version they have.
    pub async fn publish_checklist_template(
        &self,
        items: &[TemplateItem],
        actor_id: &str,
        now: Timestamp,
    ) -> Result<ChecklistTemplate, StoreError> {
        let before_version = self.current_checklist_version().await?;
        let before = self.checklist_template(before_version).await?;
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT MAX(version) AS v FROM checklist_templates")
            .fetch_one(&mut *tx)
            .await?;
        let version = row.try_get::<Option<i64>, _>("v")?.unwrap_or(0) + 1;
        sqlx::query("INSERT INTO checklist_templates (version, created_at_ms) VALUES ($1, $2)")
            .bind(version)
            .bind(now.unix_millis())
            .execute(&mut *tx)
            .await?;
        insert_template_items(&mut tx, version, items).await?;
        let published = ChecklistTemplate {
            version: u32::try_from(version)
                .map_err(|_| StoreError::Corrupt(format!("template version {version}")))?,
            items: items.to_vec(),
        };
        super::admin::record_audit(
            &mut *tx,
            &super::admin::AuditNote {
                actor_id,
                action: crate::domain::admin::AdminAction::ChecklistPublished,
                subject: format!("checklist_template:{version}"),
                before: before.as_ref().and_then(|t| serde_json::to_string(t).ok()),
                after: serde_json::to_string(&published).ok(),
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(published)
    }

    /// Every item key any version has had.
    pub async fn checklist_keys_ever_used(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT item_key FROM checklist_template_items")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| Ok(row.try_get("item_key")?))
            .collect()
    }

    /// Every published version and when, newest first.
    pub async fn checklist_versions(&self) -> Result<Vec<(u32, Timestamp)>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, created_at_ms FROM checklist_templates t WHERE EXISTS \
             (SELECT 1 FROM checklist_template_items i WHERE i.version = t.version) \
             ORDER BY version DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let version: i64 = row.try_get("version")?;
                Ok((
                    u32::try_from(version)
                        .map_err(|_| StoreError::Corrupt(format!("template version {version}")))?,
                    Timestamp::from_unix_millis(row.try_get("created_at_ms")?),
                ))
            })
            .collect()
    }

    pub async fn checklist_template(
        &self,
        version: u32,
    ) -> Result<Option<ChecklistTemplate>, StoreError> {
        let rows = sqlx::query(
            "SELECT item_key, text_zh, text_en, required, photo_required \
             FROM checklist_template_items WHERE version = $1 ORDER BY position",
        )
        .bind(i64::from(version))
        .fetch_all(self.pool())
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let items = rows
            .iter()
            .map(|row| {
                Ok(TemplateItem {
                    key: row.try_get("item_key")?,
                    text_zh: row.try_get("text_zh")?,
                    text_en: row.try_get("text_en")?,
                    required: flag(row, "required")?,
                    photo_required: flag(row, "photo_required")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(ChecklistTemplate { version, items }))
    }

    /// The newest template version: new visits run by it.
    pub async fn current_checklist_version(&self) -> Result<u32, StoreError> {
        let row = sqlx::query(
            "SELECT MAX(version) AS v FROM checklist_templates t WHERE EXISTS \
             (SELECT 1 FROM checklist_template_items i WHERE i.version = t.version)",
        )
        .fetch_one(self.pool())
        .await?;
        let version: Option<i64> = row.try_get("v")?;
        version
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| StoreError::Corrupt("no checklist template with items".into()))
    }

    /// Writes the schedule when the database has none.
    pub async fn ensure_fee_schedule(&self, schedule: &FeeSchedule) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM fee_schedule")
            .fetch_one(&mut *tx)
            .await?;
        if row.try_get::<i64, _>("n")? > 0 {
            return Ok(false);
        }
        for item in &schedule.items {
            sqlx::query(
                "INSERT INTO fee_schedule (code, name_zh, name_en, amount_fen, active) \
                 VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(item.code.as_str())
            .bind(&item.name_zh)
            .bind(&item.name_en)
            .bind(item.amount.fen())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The fees that may be charged now.
    pub async fn fee_schedule(&self) -> Result<FeeSchedule, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name_zh, name_en, amount_fen FROM fee_schedule WHERE active = 1 \
             ORDER BY code",
        )
        .fetch_all(self.pool())
        .await?;
        let items = rows
            .iter()
            .map(|row| {
                let code: String = row.try_get("code")?;
                let bad = |e: crate::domain::validation::ValidationError| corrupt("fee", &code, e);
                Ok(FeeScheduleItem {
                    name_zh: row.try_get("name_zh")?,
                    name_en: row.try_get("name_en")?,
                    amount: Money::from_fen("amount_fen", row.try_get("amount_fen")?)
                        .map_err(bad)?,
                    code: FeeCode::parse(&code).map_err(bad)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(FeeSchedule { items })
    }
}
