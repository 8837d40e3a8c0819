//! The admin desk's writes: accounts, one-time password codes, and the
//! audit log every one of them adds to in its own transaction, so no admin
//! change is ever stored without its audit entry or the other way round.

use sqlx::{Any, Executor, Row};

use super::accounts::{insert_user, NewUser, StoredUser};
use super::regions::insert_technician;
use super::{corrupt, flag, Store, StoreError};
use crate::domain::admin::{
    AdminAction, AuditEntry, CheckedPerson, CheckedRegion, CheckedServicePoint, PersonRecord,
    PersonRefused, PlaceRefused, RegionRecord, ServicePointRecord, TechnicianProfile,
};
use crate::domain::auth::{LoginName, Role};
use crate::domain::callback::ServicePointLevel;
use crate::domain::ids::RecordId;
use crate::domain::technician::{Skills, Technician};
use crate::domain::time::Timestamp;
use crate::domain::validation::{
    EmployeeNumber, PersonName, RegionName, ServiceCardNumber, ServicePointName,
};

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

fn subject_of_user(id: &str) -> String {
    format!("user:{id}")
}

const PERSON_COLUMNS: &str = "u.id, u.login, u.display_name, u.role, u.active, u.region_id, \
     r.name AS region_name, t.employee_number, t.service_card_number, t.skills, t.service_point_id";
const PERSON_FROM: &str = "FROM users u LEFT JOIN regions r ON r.id = u.region_id \
     LEFT JOIN technicians t ON t.user_id = u.id";

fn person_from_row(row: &sqlx::any::AnyRow) -> Result<PersonRecord, StoreError> {
    let id: String = row.try_get("id")?;
    let bad = |e: &dyn std::fmt::Display| corrupt("user", &id, e);
    let role_text: String = row.try_get("role")?;
    let role = Role::parse(&role_text).ok_or_else(|| bad(&"unknown role"))?;
    let region_id: Option<String> = row.try_get("region_id")?;
    let technician = match role {
        Role::Technician => {
            let text = |column: &str| -> Result<String, StoreError> {
                row.try_get::<Option<String>, _>(column)?
                    .ok_or_else(|| bad(&format!("technician without {column}")))
            };
            Some(TechnicianProfile {
                employee_number: EmployeeNumber::parse(&text("employee_number")?)
                    .map_err(|e| bad(&e))?,
                service_card_number: ServiceCardNumber::parse(&text("service_card_number")?)
                    .map_err(|e| bad(&e))?,
                skills: Skills::parse(&text("skills")?).map_err(|e| bad(&e))?,
                service_point_id: row
                    .try_get::<Option<String>, _>("service_point_id")?
                    .map(|id| RecordId::parse("service_point_id", &id))
                    .transpose()
                    .map_err(|e| bad(&e))?,
            })
        }
        Role::Dispatcher | Role::Admin => None,
    };
    let person = CheckedPerson {
        login: LoginName::parse(&row.try_get::<String, _>("login")?).map_err(|e| bad(&e))?,
        name: PersonName::parse(&row.try_get::<String, _>("display_name")?).map_err(|e| bad(&e))?,
        role,
        region_id: region_id
            .as_deref()
            .map(|region| RecordId::parse("region_id", region))
            .transpose()
            .map_err(|e| bad(&e))?,
        technician,
    };
    Ok(PersonRecord {
        active: flag(row, "active")?,
        region_name: row.try_get("region_name")?,
        person,
        id,
    })
}

async fn person_in<'c>(
    db: impl Executor<'c, Database = Any>,
    id: &str,
) -> Result<Option<PersonRecord>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} {PERSON_FROM} WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(person_from_row).transpose()
}

/// Whether the person's unique values or region clash with the database,
/// `own_id` being the account itself when it is edited.
async fn refusal(
    tx: &mut sqlx::AnyConnection,
    person: &CheckedPerson,
    own_id: &str,
) -> Result<Option<PersonRefused>, StoreError> {
    let taken = sqlx::query("SELECT 1 AS x FROM users WHERE login = $1 AND id <> $2")
        .bind(person.login.as_str())
        .bind(own_id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Ok(Some(PersonRefused::Taken(LoginName::FIELD)));
    }
    if let Some(profile) = &person.technician {
        for (column, value) in [
            ("service_card_number", profile.service_card_number.as_str()),
            ("employee_number", profile.employee_number.as_str()),
        ] {
            let taken = sqlx::query(&format!(
                "SELECT 1 AS x FROM technicians WHERE {column} = $1 AND user_id <> $2"
            ))
            .bind(value)
            .bind(own_id)
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Ok(Some(PersonRefused::Taken(column)));
            }
        }
    }
    if let Some(region) = &person.region_id {
        let found = sqlx::query("SELECT 1 AS x FROM regions WHERE id = $1")
            .bind(region.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Ok(Some(PersonRefused::NoSuchRegion));
        }
    }
    let point = person
        .technician
        .as_ref()
        .and_then(|profile| profile.service_point_id.as_ref());
    if let Some(point) = point {
        let in_region =
            sqlx::query("SELECT 1 AS x FROM service_points WHERE id = $1 AND region_id = $2")
                .bind(point.as_str())
                .bind(person.region_id.as_ref().map(|r| r.as_str().to_owned()))
                .fetch_optional(&mut *tx)
                .await?;
        if in_region.is_none() {
            return Ok(Some(PersonRefused::ServicePointElsewhere));
        }
    }
    Ok(None)
}

async fn set_service_point(
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    profile: &TechnicianProfile,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE technicians SET service_point_id = $1 WHERE user_id = $2")
        .bind(
            profile
                .service_point_id
                .as_ref()
                .map(|id| id.as_str().to_owned()),
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn region_in(
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

async fn point_in(
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

/// A one-time code to write with the account or on its own.
pub struct NewPasswordCode<'a> {
    pub code_hash: &'a str,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
}

async fn insert_password_code(
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    issued_by: &str,
    code: &NewPasswordCode<'_>,
) -> Result<(), StoreError> {
    // A new code voids the ones handed out before it.
    sqlx::query(
        "UPDATE password_codes SET used_at_ms = $1 WHERE user_id = $2 AND used_at_ms IS NULL",
    )
    .bind(code.issued_at.unix_millis())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO password_codes (code_hash, user_id, issued_by, issued_at_ms, expires_at_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(code.code_hash)
    .bind(user_id)
    .bind(issued_by)
    .bind(code.issued_at.unix_millis())
    .bind(code.expires_at.unix_millis())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Store {
    /// Every account, admins first, then by name.
    pub async fn people(&self) -> Result<Vec<PersonRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} {PERSON_FROM} ORDER BY CASE u.role WHEN 'admin' THEN 0 \
             WHEN 'dispatcher' THEN 1 ELSE 2 END, u.display_name, u.login"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(person_from_row).collect()
    }

    pub async fn person(&self, id: &str) -> Result<Option<PersonRecord>, StoreError> {
        person_in(self.pool(), id).await
    }

    /// Creates an account that nobody can log in to until its first
    /// one-time code sets a password, with the code and the audit entry.
    pub async fn create_person(
        &self,
        id: &RecordId,
        person: &CheckedPerson,
        unusable_password_hash: &str,
        code: &NewPasswordCode<'_>,
        actor_id: &str,
    ) -> Result<Result<PersonRecord, PersonRefused>, StoreError> {
        let mut tx = self.begin().await?;
        if let Some(refused) = refusal(&mut tx, person, id.as_str()).await? {
            return Ok(Err(refused));
        }
        insert_user(
            &mut *tx,
            &NewUser {
                id: id.as_str().to_owned(),
                login: person.login.clone(),
                display_name: person.name.as_str().to_owned(),
                role: person.role,
                region_id: person.region_id.as_ref().map(|r| r.as_str().to_owned()),
                password_hash: unusable_password_hash.to_owned(),
                created_at: code.issued_at,
            },
        )
        .await?;
        if let (Some(profile), Some(region_id)) = (&person.technician, &person.region_id) {
            insert_technician(
                &mut *tx,
                &Technician {
                    user_id: id.clone(),
                    employee_number: profile.employee_number.clone(),
                    name: person.name.clone(),
                    service_card_number: profile.service_card_number.clone(),
                    region_id: region_id.clone(),
                    skills: profile.skills.clone(),
                },
            )
            .await?;
            set_service_point(&mut tx, id.as_str(), profile).await?;
        }
        insert_password_code(&mut tx, id.as_str(), actor_id, code).await?;
        let created = person_in(&mut *tx, id.as_str())
            .await?
            .ok_or_else(|| corrupt("user", id.as_str(), "not there after its insert"))?;
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id,
                action: AdminAction::PersonCreated,
                subject: subject_of_user(id.as_str()),
                before: None,
                after: Some(person_json(&created)),
                at: code.issued_at,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(created))
    }

    /// Rewrites an account's login, name, region and technician profile.
    /// None when there is no such account.
    pub async fn edit_person(
        &self,
        id: &str,
        person: &CheckedPerson,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<Option<Result<PersonRecord, PersonRefused>>, StoreError> {
        let mut tx = self.begin().await?;
        let Some(before) = person_in(&mut *tx, id).await? else {
            return Ok(None);
        };
        if let Some(refused) = refusal(&mut tx, person, id).await? {
            return Ok(Some(Err(refused)));
        }
        sqlx::query("UPDATE users SET login = $1, display_name = $2, region_id = $3 WHERE id = $4")
            .bind(person.login.as_str())
            .bind(person.name.as_str())
            .bind(person.region_id.as_ref().map(|r| r.as_str().to_owned()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if let Some(profile) = &person.technician {
            sqlx::query(
                "UPDATE technicians SET employee_number = $1, service_card_number = $2, \
                 skills = $3 WHERE user_id = $4",
            )
            .bind(profile.employee_number.as_str())
            .bind(profile.service_card_number.as_str())
            .bind(profile.skills.to_text())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            set_service_point(&mut tx, id, profile).await?;
        }
        let after = person_in(&mut *tx, id)
            .await?
            .ok_or_else(|| corrupt("user", id, "gone during its edit"))?;
        if after != before {
            record_audit(
                &mut *tx,
                &AuditNote {
                    actor_id,
                    action: AdminAction::PersonEdited,
                    subject: subject_of_user(id),
                    before: Some(person_json(&before)),
                    after: Some(person_json(&after)),
                    at: now,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Some(Ok(after)))
    }

    /// Switches an account on or off. Switching it off ends its sessions and
    /// voids its unused codes at once; its visits and history stay. None
    /// when there is no such account.
    pub async fn set_person_active(
        &self,
        id: &str,
        active: bool,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<Option<PersonRecord>, StoreError> {
        let mut tx = self.begin().await?;
        let Some(before) = person_in(&mut *tx, id).await? else {
            return Ok(None);
        };
        if before.active == active {
            return Ok(Some(before));
        }
        sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(i32::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE password_codes SET used_at_ms = $1 WHERE user_id = $2 \
                 AND used_at_ms IS NULL",
            )
            .bind(now.unix_millis())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let after = PersonRecord {
            active,
            ..before.clone()
        };
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id,
                action: if active {
                    AdminAction::PersonReactivated
                } else {
                    AdminAction::PersonDeactivated
                },
                subject: subject_of_user(id),
                before: Some(person_json(&before)),
                after: Some(person_json(&after)),
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(after))
    }

    /// Stores a new one-time code for an active account, voiding older
    /// ones. False when there is no such active account.
    pub async fn issue_password_code(
        &self,
        user_id: &str,
        code: &NewPasswordCode<'_>,
        actor_id: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let Some(person) = person_in(&mut *tx, user_id).await? else {
            return Ok(false);
        };
        if !person.active {
            return Ok(false);
        }
        insert_password_code(&mut tx, user_id, actor_id, code).await?;
        record_audit(
            &mut *tx,
            &AuditNote {
                actor_id,
                action: AdminAction::PasswordCodeIssued,
                subject: subject_of_user(user_id),
                before: None,
                after: Some(
                    serde_json::json!({ "expires_at_ms": code.expires_at.unix_millis() })
                        .to_string(),
                ),
                at: code.issued_at,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Sets the password of the active account `login` when `code_hash` is
    /// its unused, unexpired code, uses the code up and ends the account's
    /// sessions. None when the code does not fit.
    pub async fn redeem_password_code(
        &self,
        login: &LoginName,
        code_hash: &str,
        new_password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<StoredUser>, StoreError> {
        let mut tx = self.begin().await?;
        let found = sqlx::query(
            "SELECT u.id FROM password_codes c JOIN users u ON u.id = c.user_id \
             WHERE c.code_hash = $1 AND u.login = $2 AND u.active = 1 \
             AND c.used_at_ms IS NULL AND c.expires_at_ms > $3",
        )
        .bind(code_hash)
        .bind(login.as_str())
        .bind(now.unix_millis())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = found else {
            return Ok(None);
        };
        let user_id: String = row.try_get("id")?;
        sqlx::query("UPDATE password_codes SET used_at_ms = $1 WHERE code_hash = $2")
            .bind(now.unix_millis())
            .bind(code_hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(new_password_hash)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.user_by_login(login).await
    }

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
    /// None when `id` names no region and `create` is false.
    pub async fn save_region(
        &self,
        id: &RecordId,
        create: bool,
        region: &CheckedRegion,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<Option<Result<CheckedRegion, PlaceRefused>>, StoreError> {
        let mut tx = self.begin().await?;
        let before = region_in(&mut tx, id.as_str()).await?;
        if before.is_none() && !create {
            return Ok(None);
        }
        let taken = sqlx::query("SELECT 1 AS x FROM regions WHERE name = $1 AND id <> $2")
            .bind(region.name.as_str())
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Ok(Some(Err(PlaceRefused::NameTaken(RegionName::FIELD))));
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
        Ok(Some(Ok(region.clone())))
    }

    /// Creates a service point (`create`) or rewrites one, with the audit
    /// entry. None when `id` names no point and `create` is false.
    pub async fn save_service_point(
        &self,
        id: &RecordId,
        create: bool,
        point: &CheckedServicePoint,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<Option<Result<CheckedServicePoint, PlaceRefused>>, StoreError> {
        let mut tx = self.begin().await?;
        let before = point_in(&mut tx, id.as_str()).await?;
        if before.is_none() && !create {
            return Ok(None);
        }
        if region_in(&mut tx, point.region_id.as_str())
            .await?
            .is_none()
        {
            return Ok(Some(Err(PlaceRefused::NoSuchRegion)));
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
            return Ok(Some(Err(PlaceRefused::NameTaken(ServicePointName::FIELD))));
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
        Ok(Some(Ok(point.clone())))
    }

    /// The newest `limit` audit entries, newest first, with who made them.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.at_ms, a.actor_id, u.display_name AS actor_name, a.action, \
             a.subject, a.before_json, a.after_json FROM admin_audit a \
             JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let action_text: String = row.try_get("action")?;
                Ok(AuditEntry {
                    action: AdminAction::parse(&action_text)
                        .ok_or_else(|| corrupt("audit entry", &id, "unknown action"))?,
                    at: Timestamp::from_unix_millis(row.try_get("at_ms")?),
                    actor_id: row.try_get("actor_id")?,
                    actor_name: row.try_get("actor_name")?,
                    subject: row.try_get("subject")?,
                    before: row.try_get("before_json")?,
                    after: row.try_get("after_json")?,
                    id,
                })
            })
            .collect()
    }
}
