//! People: accounts of technicians, dispatchers and admins, switched on
//! and off, and the one-time codes they set their passwords with.

use super::*;

const PERSON_COLUMNS: &str = "u.id, u.login, u.display_name, u.role, u.active, u.region_id, \
     r.name AS region_name, t.employee_number, t.service_card_number, t.skills, t.service_point_id, \
     t.brands, t.working_from_minute, t.working_until_minute";
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
            let minute = |column: &str| -> Result<i64, StoreError> {
                row.try_get::<Option<i64>, _>(column)?
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
                brands: Brands::parse(&text("brands")?).map_err(|e| bad(&e))?,
                working_hours: crate::store::assignments::working_hours(
                    minute("working_from_minute")?,
                    minute("working_until_minute")?,
                )
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
    ) -> Result<PersonRecord, AdminError> {
        let mut tx = self.begin().await?;
        if let Some(refused) = refusal(&mut tx, person, id.as_str()).await? {
            return Err(refused.into());
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
                    brands: profile.brands.clone(),
                    working_hours: profile.working_hours,
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
        Ok(created)
    }

    /// Rewrites an account's login, name, region and technician profile.
    /// `NotFound` when there is no such account.
    pub async fn edit_person(
        &self,
        id: &str,
        person: &CheckedPerson,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<PersonRecord, AdminError> {
        let mut tx = self.begin().await?;
        let Some(before) = person_in(&mut *tx, id).await? else {
            return Err(AdminError::NotFound);
        };
        if let Some(refused) = refusal(&mut tx, person, id).await? {
            return Err(refused.into());
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
                 skills = $3, brands = $4, working_from_minute = $5, working_until_minute = $6 \
                 WHERE user_id = $7",
            )
            .bind(profile.employee_number.as_str())
            .bind(profile.service_card_number.as_str())
            .bind(profile.skills.to_text())
            .bind(profile.brands.to_text())
            .bind(i64::from(profile.working_hours.from_minute()))
            .bind(i64::from(profile.working_hours.until_minute()))
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
        Ok(after)
    }

    /// Switches an account on or off. Switching it off ends its sessions and
    /// voids its unused codes at once; its visits and history stay. `NotFound`
    /// when there is no such account.
    pub async fn set_person_active(
        &self,
        id: &str,
        active: bool,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<PersonRecord, AdminError> {
        let mut tx = self.begin().await?;
        let Some(before) = person_in(&mut *tx, id).await? else {
            return Err(AdminError::NotFound);
        };
        if before.active == active {
            return Ok(before);
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
        Ok(after)
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
}
