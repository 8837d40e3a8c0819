//! The company's name and service hotline: one row, changed with its audit
//! entry in one transaction.

use super::*;
use crate::domain::admin::CompanyProfile;
use crate::domain::validation::{CompanyName, Hotline};

impl Store {
    /// The company as saved; None until an admin has saved it.
    pub async fn company_profile(&self) -> Result<Option<CompanyProfile>, StoreError> {
        let row = sqlx::query("SELECT name, hotline FROM company_profile WHERE id = 1")
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            let bad =
                |e: crate::domain::validation::ValidationError| corrupt("company profile", "1", e);
            Ok(CompanyProfile {
                name: CompanyName::parse(&row.try_get::<String, _>("name")?).map_err(bad)?,
                hotline: Hotline::parse(&row.try_get::<String, _>("hotline")?).map_err(bad)?,
            })
        })
        .transpose()
    }

    /// Saves the company's name and hotline, with its audit entry.
    pub async fn save_company_profile(
        &self,
        profile: &CompanyProfile,
        actor_id: &str,
        at: Timestamp,
    ) -> Result<(), AdminError> {
        let before = self.company_profile().await?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO company_profile (id, name, hotline) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, hotline = excluded.hotline",
        )
        .bind(profile.name.as_str())
        .bind(profile.hotline.as_str())
        .execute(&mut *tx)
        .await?;
        let json = |profile: &CompanyProfile| serde_json::to_string(profile).unwrap_or_default();
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id,
                action: AdminAction::CompanyProfileSaved,
                subject: "company".into(),
                before: before.as_ref().map(json),
                after: Some(json(profile)),
                at,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
