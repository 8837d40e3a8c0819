//! Reference data the visits are checked against: checklist templates
//! (versioned) and the unified fee schedule.

use sqlx::Row;

use super::{corrupt, flag, Store, StoreError};
use crate::domain::charges::{FeeSchedule, FeeScheduleItem, Money};
use crate::domain::checklist::{ChecklistTemplate, TemplateItem};
use crate::domain::time::Timestamp;
use crate::domain::validation::FeeCode;
use crate::domain::work_order::ApplianceCategory;

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

async fn insert_fee_version(
    tx: &mut sqlx::AnyConnection,
    version: i64,
    published_by: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO fee_schedule_versions (version, published_at_ms, published_by) \
         VALUES ($1, $2, $3)",
    )
    .bind(version)
    .bind(now.unix_millis())
    .bind(published_by)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A category's items in a version, and each code in the register of codes
/// ever published (which the charges on visits refer to).
async fn insert_fee_items(
    tx: &mut sqlx::AnyConnection,
    version: i64,
    category: ApplianceCategory,
    items: &[FeeScheduleItem],
) -> Result<(), StoreError> {
    for (position, item) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO fee_codes (code) SELECT $1 \
             WHERE NOT EXISTS (SELECT 1 FROM fee_codes WHERE code = $1)",
        )
        .bind(item.code.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO fee_schedule_items (version, category, position, code, name_zh, \
             name_en, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(version)
        .bind(category.as_str())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(item.code.as_str())
        .bind(&item.name_zh)
        .bind(&item.name_en)
        .bind(item.amount.fen())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

fn fee_item_from_row(row: &sqlx::any::AnyRow) -> Result<FeeScheduleItem, StoreError> {
    let code: String = row.try_get("code")?;
    let bad = |e: crate::domain::validation::ValidationError| corrupt("fee", &code, e);
    Ok(FeeScheduleItem {
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        amount: Money::from_fen("amount_fen", row.try_get("amount_fen")?).map_err(bad)?,
        code: FeeCode::parse(&code).map_err(bad)?,
    })
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
    /// version they have. `before` is the current template the edit was
    /// checked against, read once by the caller (the audit's "before").
    pub async fn publish_checklist_template(
        &self,
        before: &ChecklistTemplate,
        items: &[TemplateItem],
        actor_id: &str,
        now: Timestamp,
    ) -> Result<ChecklistTemplate, StoreError> {
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
                before: serde_json::to_string(before).ok(),
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

    /// Writes version 1 of the fee schedule, every category's default, when
    /// the database has no version yet.
    pub async fn ensure_fee_schedule(&self, now: Timestamp) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM fee_schedule_versions")
            .fetch_one(&mut *tx)
            .await?;
        if row.try_get::<i64, _>("n")? > 0 {
            return Ok(false);
        }
        insert_fee_version(&mut tx, 1, None, now).await?;
        for &category in ApplianceCategory::ALL {
            let schedule = FeeSchedule::default_for(category);
            insert_fee_items(&mut tx, 1, category, &schedule.items).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The version new visits are given.
    pub async fn current_fee_schedule_version(&self) -> Result<u32, StoreError> {
        let row = sqlx::query("SELECT MAX(version) AS v FROM fee_schedule_versions")
            .fetch_one(self.pool())
            .await?;
        let version: Option<i64> = row.try_get("v")?;
        version
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| StoreError::Corrupt("no fee schedule version".into()))
    }

    /// One category's schedule in one version.
    pub async fn fee_schedule(
        &self,
        version: u32,
        category: ApplianceCategory,
    ) -> Result<FeeSchedule, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name_zh, name_en, amount_fen FROM fee_schedule_items \
             WHERE version = $1 AND category = $2 ORDER BY position",
        )
        .bind(i64::from(version))
        .bind(category.as_str())
        .fetch_all(self.pool())
        .await?;
        Ok(FeeSchedule {
            version,
            category,
            items: rows
                .iter()
                .map(fee_item_from_row)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The schedule a visit is charged by: its appliance's category, in the
    /// version the visit was given when dispatched. `None`: no such visit.
    pub async fn fee_schedule_of_visit(
        &self,
        visit_id: &crate::domain::ids::RecordId,
    ) -> Result<Option<FeeSchedule>, StoreError> {
        let row = sqlx::query(
            "SELECT v.fee_schedule_version AS version, a.category FROM visits v \
             JOIN work_orders w ON w.id = v.work_order_id \
             JOIN appliances a ON a.id = w.appliance_id WHERE v.id = $1",
        )
        .bind(visit_id.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let version: i64 = row.try_get("version")?;
        let category: String = row.try_get("category")?;
        let category = ApplianceCategory::parse(&category)
            .ok_or_else(|| corrupt("appliance category of visit", visit_id.as_str(), &category))?;
        let version = u32::try_from(version)
            .map_err(|_| StoreError::Corrupt(format!("fee schedule version {version}")))?;
        self.fee_schedule(version, category).await.map(Some)
    }

    /// Publishes `items` as the schedule of `before`'s category in the next
    /// version, with the audit entry; every other category is carried over
    /// unchanged. Visits dispatched from now on are charged by it. `before`
    /// is the category's current schedule the edit was checked against, read
    /// once by the caller (the audit's "before").
    pub async fn publish_fee_schedule(
        &self,
        before: &FeeSchedule,
        items: &[FeeScheduleItem],
        actor_id: &str,
        now: Timestamp,
    ) -> Result<FeeSchedule, StoreError> {
        let category = before.category;
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT MAX(version) AS v FROM fee_schedule_versions")
            .fetch_one(&mut *tx)
            .await?;
        let previous = row.try_get::<Option<i64>, _>("v")?.unwrap_or(0);
        let version = previous + 1;
        insert_fee_version(&mut tx, version, Some(actor_id), now).await?;
        sqlx::query(
            "INSERT INTO fee_schedule_items (version, category, position, code, name_zh, \
             name_en, amount_fen) SELECT $1, category, position, code, name_zh, name_en, \
             amount_fen FROM fee_schedule_items WHERE version = $2 AND category <> $3",
        )
        .bind(version)
        .bind(previous)
        .bind(category.as_str())
        .execute(&mut *tx)
        .await?;
        insert_fee_items(&mut tx, version, category, items).await?;
        let published = FeeSchedule {
            version: u32::try_from(version)
                .map_err(|_| StoreError::Corrupt(format!("fee schedule version {version}")))?,
            category,
            items: items.to_vec(),
        };
        super::admin::record_audit(
            &mut *tx,
            &super::admin::AuditNote {
                actor_id,
                action: crate::domain::admin::AdminAction::FeeSchedulePublished,
                subject: format!("fee_schedule:{version}:{}", category.as_str()),
                before: serde_json::to_string(before).ok(),
                after: serde_json::to_string(&published).ok(),
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(published)
    }

    /// Every published fee schedule version and when, newest first.
    pub async fn fee_schedule_versions(&self) -> Result<Vec<(u32, Timestamp)>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, published_at_ms FROM fee_schedule_versions ORDER BY version DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let version: i64 = row.try_get("version")?;
                Ok((
                    u32::try_from(version).map_err(|_| {
                        StoreError::Corrupt(format!("fee schedule version {version}"))
                    })?,
                    Timestamp::from_unix_millis(row.try_get("published_at_ms")?),
                ))
            })
            .collect()
    }
}
