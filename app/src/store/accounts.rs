use sqlx::{Any, Executor, Row};

use super::{Store, StoreError};
use crate::domain::auth::{LoginName, RecentFailures, Role};
use crate::domain::time::Timestamp;

#[derive(Clone, Debug)]
pub struct NewUser {
    pub id: String,
    pub login: LoginName,
    pub display_name: String,
    pub role: Role,
    /// Required for technicians and dispatchers; None for admins (all regions).
    pub region_id: Option<String>,
    pub password_hash: String,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredUser {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub active: bool,
    pub region_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSession {
    pub user: StoredUser,
    pub created_at: Timestamp,
    pub last_seen: Timestamp,
}

const USER_COLUMNS: &str =
    "u.id, u.login, u.display_name, u.role, u.password_hash, u.active, u.region_id";

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<StoredUser, StoreError> {
    let role_text: String = row.try_get("role")?;
    let id: String = row.try_get("id")?;
    let role = Role::parse(&role_text)
        .ok_or_else(|| StoreError::Corrupt(format!("user {id}: unknown role {role_text:?}")))?;
    Ok(StoredUser {
        login: row.try_get("login")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        active: super::flag(row, "active")?,
        region_id: row.try_get("region_id")?,
        role,
        id,
    })
}

pub async fn insert_user<'c>(
    db: impl Executor<'c, Database = Any>,
    user: &NewUser,
) -> Result<(), StoreError> {
    if user.role != Role::Admin && user.region_id.is_none() {
        return Err(StoreError::Refused(format!(
            "user {}: a {} needs a region",
            user.login.as_str(),
            user.role.as_str()
        )));
    }
    sqlx::query(
        "INSERT INTO users (id, login, display_name, role, password_hash, active, created_at_ms, \
         region_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&user.id)
    .bind(user.login.as_str())
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(&user.password_hash)
    .bind(1_i32)
    .bind(user.created_at.unix_millis())
    .bind(&user.region_id)
    .execute(db)
    .await?;
    Ok(())
}

impl Store {
    pub async fn user_by_login(&self, login: &LoginName) -> Result<Option<StoredUser>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.login = $1"
        ))
        .bind(login.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn set_user_active(&self, user_id: &str, active: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(i32::from(active))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if !active {
            // A deactivated account loses its sessions at once.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Reserves one password or code check for `login` from `address`
    /// before it runs, and answers the attempts made since `since` besides
    /// this one. The row is written first and the others counted after, so
    /// of any number of attempts in flight at once, on any number of server
    /// processes, the k-th to be written sees at least k - 1 others: at most
    /// the limit are ever let through to the check. A checked attempt that
    /// fails keeps its row (it is the failure); a login that succeeds clears
    /// the account's rows (`start_session`); an attempt turned away takes
    /// its row back out with `release_login_attempt`.
    pub async fn reserve_login_attempt(
        &self,
        attempt_id: &str,
        login: &str,
        address: &str,
        now: Timestamp,
        since: Timestamp,
    ) -> Result<RecentFailures, StoreError> {
        {
            let _turn = self.write_turn().await;
            sqlx::query(
                "INSERT INTO login_failures (login, address, at_ms, attempt_id) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(login)
            .bind(address)
            .bind(now.unix_millis())
            .bind(attempt_id)
            .execute(self.pool())
            .await?;
        }
        let row = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at_ms >= $3 AND (attempt_id IS NULL OR attempt_id <> $4)) AS for_account, \
               (SELECT MIN(at_ms) FROM login_failures WHERE login = $1 AND at_ms >= $3 AND (attempt_id IS NULL OR attempt_id <> $4)) AS oldest_for_account, \
               (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at_ms >= $3 AND (attempt_id IS NULL OR attempt_id <> $4)) AS for_address, \
               (SELECT MIN(at_ms) FROM login_failures WHERE address = $2 AND at_ms >= $3 AND (attempt_id IS NULL OR attempt_id <> $4)) AS oldest_for_address",
        )
        .bind(login)
        .bind(address)
        .bind(since.unix_millis())
        .bind(attempt_id)
        .fetch_one(self.pool())
        .await?;
        let count = |name: &str| -> Result<u32, StoreError> {
            Ok(u32::try_from(row.try_get::<i64, _>(name)?).unwrap_or(u32::MAX))
        };
        let oldest = |name: &str| -> Result<Option<Timestamp>, StoreError> {
            Ok(row
                .try_get::<Option<i64>, _>(name)?
                .map(Timestamp::from_unix_millis))
        };
        Ok(RecentFailures {
            for_account: count("for_account")?,
            oldest_for_account: oldest("oldest_for_account")?,
            for_address: count("for_address")?,
            oldest_for_address: oldest("oldest_for_address")?,
        })
    }

    /// Takes back the reservation of an attempt that was turned away
    /// before its check: a throttled attempt is not a failure of its own.
    pub async fn release_login_attempt(&self, attempt_id: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM login_failures WHERE attempt_id = $1")
            .bind(attempt_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Starts a session for `user_id`, first ending `replaced` (the session
    /// the browser came with, if any) so a planted session id never survives
    /// a login. Clears the account's failed attempts: they were the owner's.
    pub async fn start_session(
        &self,
        token_hash: &str,
        user_id: &str,
        login: &str,
        replaced: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        if let Some(old) = replaced {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at_ms, last_seen_ms) VALUES ($1, $2, $3, $3)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now.unix_millis())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM login_failures WHERE login = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<StoredSession>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.created_at_ms, s.last_seen_ms \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(StoredSession {
                user: user_from_row(&row)?,
                created_at: Timestamp::from_unix_millis(row.try_get("created_at_ms")?),
                last_seen: Timestamp::from_unix_millis(row.try_get("last_seen_ms")?),
            })
        })
        .transpose()
    }

    pub async fn touch_session(&self, token_hash: &str, now: Timestamp) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
            .bind(now.unix_millis())
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }

    pub async fn count_sessions_of(&self, user_id: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }
}
