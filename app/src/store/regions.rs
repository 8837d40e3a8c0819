//! Service regions and technicians' profiles.

use sqlx::{Any, Executor, Row};

use super::{corrupt, Store, StoreError};
use crate::domain::ids::RecordId;
use crate::domain::technician::{Brands, Region, Skills, Technician};
use crate::domain::time::Timestamp;
use crate::domain::validation::{EmployeeNumber, PersonName, RegionName, ServiceCardNumber};
use crate::zone::ServiceZone;

pub async fn insert_region<'c>(
    db: impl Executor<'c, Database = Any>,
    region: &Region,
    zone: ServiceZone,
    created_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO regions (id, name, time_zone, created_at_ms) VALUES ($1, $2, $3, $4)")
        .bind(region.id.as_str())
        .bind(region.name.as_str())
        .bind(zone.name())
        .bind(created_at.unix_millis())
        .execute(db)
        .await?;
    Ok(())
}

/// The profile beside an account that already exists with the technician role.
pub async fn insert_technician<'c>(
    db: impl Executor<'c, Database = Any>,
    technician: &Technician,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO technicians (user_id, employee_number, service_card_number, skills, \
         brands, working_from_minute, working_until_minute) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(technician.user_id.as_str())
    .bind(technician.employee_number.as_str())
    .bind(technician.service_card_number.as_str())
    .bind(technician.skills.to_text())
    .bind(technician.brands.to_text())
    .bind(i64::from(technician.working_hours.from_minute()))
    .bind(i64::from(technician.working_hours.until_minute()))
    .execute(db)
    .await?;
    Ok(())
}

fn region_from_row(row: &sqlx::any::AnyRow) -> Result<(Region, ServiceZone), StoreError> {
    let id: String = row.try_get("id")?;
    let bad = |e: &dyn std::fmt::Display| corrupt("region", &id, e);
    let zone =
        ServiceZone::from_name(&row.try_get::<String, _>("time_zone")?).map_err(|e| bad(&e))?;
    let region = Region {
        name: RegionName::parse(&row.try_get::<String, _>("name")?).map_err(|e| bad(&e))?,
        id: RecordId::parse("id", &id).map_err(|e| bad(&e))?,
    };
    Ok((region, zone))
}

impl Store {
    pub async fn region(&self, id: &RecordId) -> Result<Option<(Region, ServiceZone)>, StoreError> {
        let row = sqlx::query("SELECT id, name, time_zone FROM regions WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(region_from_row).transpose()
    }

    pub async fn count_regions(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM regions")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }

    pub async fn technician(&self, user_id: &RecordId) -> Result<Option<Technician>, StoreError> {
        let row = sqlx::query(
            "SELECT t.user_id, t.employee_number, t.service_card_number, t.skills, t.brands, \
             t.working_from_minute, t.working_until_minute, \
             u.display_name, u.region_id FROM technicians t JOIN users u ON u.id = t.user_id \
             WHERE t.user_id = $1",
        )
        .bind(user_id.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let id: String = row.try_get("user_id")?;
            let bad = |e: &dyn std::fmt::Display| corrupt("technician", &id, e);
            let text = |column: &str| row.try_get::<String, _>(column);
            let region: Option<String> = row.try_get("region_id")?;
            Ok(Technician {
                employee_number: EmployeeNumber::parse(&text("employee_number")?)
                    .map_err(|e| bad(&e))?,
                name: PersonName::parse(&text("display_name")?).map_err(|e| bad(&e))?,
                service_card_number: ServiceCardNumber::parse(&text("service_card_number")?)
                    .map_err(|e| bad(&e))?,
                region_id: RecordId::parse("region_id", region.as_deref().unwrap_or_default())
                    .map_err(|e| bad(&e))?,
                skills: Skills::parse(&text("skills")?).map_err(|e| bad(&e))?,
                brands: Brands::parse(&text("brands")?).map_err(|e| bad(&e))?,
                working_hours: super::assignments::working_hours(
                    row.try_get("working_from_minute")?,
                    row.try_get("working_until_minute")?,
                )
                .map_err(|e| bad(&e))?,
                user_id: RecordId::parse("user_id", &id).map_err(|e| bad(&e))?,
            })
        })
        .transpose()
    }
}
