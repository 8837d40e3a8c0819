//! Reference data the visits are checked against: checklist templates
//! (versioned) and the unified fee schedule.

use sqlx::Row;

use super::{corrupt, flag, Store, StoreError};
use crate::domain::charges::{FeeSchedule, FeeScheduleItem, Money};
use crate::domain::checklist::{ChecklistTemplate, TemplateItem};
use crate::domain::time::Timestamp;
use crate::domain::validation::FeeCode;

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
        for (position, item) in template.items.iter().enumerate() {
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
        tx.commit().await?;
        Ok(true)
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
