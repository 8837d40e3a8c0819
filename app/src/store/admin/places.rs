//! Places: regions (each with its time zone) and their service points.

use super::*;

pub(super) async fn region_in(
    tx: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Option<CheckedRegion>, StoreError> {
    let row = sqlx::query("SELECT name, time_zone, service_point_level FROM regions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    row.map(|row| {
        let level: String = row.try_get("service_point_level")?;
        Ok(CheckedRegion {
            name: RegionName::parse(&row.try_get::<String, _>("name")?)
                .map_err(|e| corrupt("region", id, e))?,
            time_zone: row.try_get("time_zone")?,
            level: ServicePointLevel::parse(&level)
                .ok_or_else(|| corrupt("region", id, "unknown level"))?,
        })
    })
    .transpose()
}

pub(super) async fn point_in(
    tx: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Option<CheckedServicePoint>, StoreError> {
    let row =
        sqlx::query("SELECT region_id, name, level, time_zone FROM service_points WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    row.map(|row| {
        let bad = |e: &dyn std::fmt::Display| corrupt("service point", id, e);
        let level: String = row.try_get("level")?;
        Ok(CheckedServicePoint {
            region_id: RecordId::parse("region_id", &row.try_get::<String, _>("region_id")?)
                .map_err(|e| bad(&e))?,
            name: ServicePointName::parse(&row.try_get::<String, _>("name")?)
                .map_err(|e| bad(&e))?,
            level: ServicePointLevel::parse(&level).ok_or_else(|| bad(&"unknown level"))?,
            time_zone: row.try_get("time_zone")?,
        })
    })
    .transpose()
}

impl Store {
    /// Every region with its service points, by name.
    pub async fn places(&self) -> Result<Vec<RegionRecord>, StoreError> {
        let regions = sqlx::query(
            "SELECT id, name, time_zone, service_point_level FROM regions ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        let points = sqlx::query(
            "SELECT id, region_id, name, level, time_zone FROM service_points ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        let level_of = |id: &str, text: String| {
            ServicePointLevel::parse(&text).ok_or_else(|| corrupt("place", id, "unknown level"))
        };
        let mut records = Vec::with_capacity(regions.len());
        for row in &regions {
            let id: String = row.try_get("id")?;
            records.push(RegionRecord {
                region: CheckedRegion {
                    name: RegionName::parse(&row.try_get::<String, _>("name")?)
                        .map_err(|e| corrupt("region", &id, e))?,
                    time_zone: row.try_get("time_zone")?,
                    level: level_of(&id, row.try_get("service_point_level")?)?,
                },
                points: Vec::new(),
                id,
            });
        }
        for row in &points {
            let id: String = row.try_get("id")?;
            let region_id: String = row.try_get("region_id")?;
            let point = ServicePointRecord {
                point: CheckedServicePoint {
                    region_id: RecordId::parse("region_id", &region_id)
                        .map_err(|e| corrupt("service point", &id, e))?,
                    name: ServicePointName::parse(&row.try_get::<String, _>("name")?)
                        .map_err(|e| corrupt("service point", &id, e))?,
                    level: level_of(&id, row.try_get("level")?)?,
                    time_zone: row.try_get("time_zone")?,
                },
                id,
            };
            if let Some(region) = records.iter_mut().find(|r| r.id == region_id) {
                region.points.push(point);
            }
        }
        Ok(records)
    }

    /// Creates a region (`id` new) or rewrites one, with the audit entry.
    /// `NotFound` when `id` names no region and `create` is false.
    pub async fn save_region(
        &self,
        id: &RecordId,
        create: bool,
        region: &CheckedRegion,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<CheckedRegion, AdminError> {
        let mut tx = self.begin().await?;
        let before = region_in(&mut tx, id.as_str()).await?;
        if before.is_none() && !create {
            return Err(AdminError::NotFound);
        }
        let taken = sqlx::query("SELECT 1 AS x FROM regions WHERE name = $1 AND id <> $2")
            .bind(region.name.as_str())
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(PlaceRefused::NameTaken(RegionName::FIELD).into());
        }
        // Both statements take the same five values; an edit keeps the
        // region's creation time (`$5` only fills it in for a new one).
        sqlx::query(if before.is_some() {
            "UPDATE regions SET name = $1, time_zone = $2, service_point_level = $3, \
             created_at_ms = COALESCE(created_at_ms, $5) WHERE id = $4"
        } else {
            "INSERT INTO regions (name, time_zone, service_point_level, id, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5)"
        })
        .bind(region.name.as_str())
        .bind(&region.time_zone)
        .bind(region.level.as_str())
        .bind(id.as_str())
        .bind(now.unix_millis())
        .execute(&mut *tx)
        .await?;
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id,
                action: AdminAction::RegionSaved,
                subject: format!("region:{}", id.as_str()),
                before: before.as_ref().and_then(|b| serde_json::to_string(b).ok()),
                after: serde_json::to_string(region).ok(),
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(region.clone())
    }

    /// Creates a service point (`create`) or rewrites one, with the audit
    /// entry. `NotFound` when `id` names no point and `create` is false.
    pub async fn save_service_point(
        &self,
        id: &RecordId,
        create: bool,
        point: &CheckedServicePoint,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<CheckedServicePoint, AdminError> {
        let mut tx = self.begin().await?;
        let before = point_in(&mut tx, id.as_str()).await?;
        if before.is_none() && !create {
            return Err(AdminError::NotFound);
        }
        if region_in(&mut tx, point.region_id.as_str())
            .await?
            .is_none()
        {
            return Err(PlaceRefused::NoSuchRegion.into());
        }
        let taken = sqlx::query(
            "SELECT 1 AS x FROM service_points WHERE region_id = $1 AND name = $2 AND id <> $3",
        )
        .bind(point.region_id.as_str())
        .bind(point.name.as_str())
        .bind(id.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(PlaceRefused::NameTaken(ServicePointName::FIELD).into());
        }
        sqlx::query(if before.is_some() {
            "UPDATE service_points SET region_id = $1, name = $2, level = $3, time_zone = $4, \
             created_at_ms = COALESCE(created_at_ms, $6) WHERE id = $5"
        } else {
            "INSERT INTO service_points (region_id, name, level, time_zone, id, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        })
        .bind(point.region_id.as_str())
        .bind(point.name.as_str())
        .bind(point.level.as_str())
        .bind(&point.time_zone)
        .bind(id.as_str())
        .bind(now.unix_millis())
        .execute(&mut *tx)
        .await?;
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id,
                action: AdminAction::ServicePointSaved,
                subject: format!("service_point:{}", id.as_str()),
                before: before.as_ref().and_then(|b| serde_json::to_string(b).ok()),
                after: serde_json::to_string(point).ok(),
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(point.clone())
    }
}
