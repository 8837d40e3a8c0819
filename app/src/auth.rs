//! Server-side authentication: password hashing, session tokens, the session
//! cookie, and who is asking. Server functions call `current_user()` first.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use leptos::prelude::use_context;

use crate::api::auth::CurrentUser;
use crate::api::error::AppError;
use crate::context;
use crate::domain::auth::{Role, SessionPolicy, SessionVerdict};
use crate::domain::time::Timestamp;
use crate::hashing::{to_hex, token_hash};

pub const SESSION_COOKIE: &str = "doorstep_session";

/// Whether cookies carry `Secure`; on when the site is served over HTTPS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CookieSecurity {
    pub secure: bool,
}

/// The cookie settings the server was started with.
pub fn cookie_security() -> CookieSecurity {
    use_context::<CookieSecurity>().unwrap_or_default()
}

/// Argon2id at OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("fixed Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes).map_err(|error| {
        tracing::error!(%error, "no randomness for a password salt");
        AppError::Internal
    })?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|error| {
        tracing::error!(%error, "salt encoding failed");
        AppError::Internal
    })?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            AppError::Internal
        })
}

/// Verifies against a stored PHC string; parameters come from the string,
/// so hashes made with older settings still verify.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(error) => {
            tracing::error!(%error, "a stored password hash does not parse");
            false
        }
    }
}

/// Spends the same time as a real verification, so a login for an unknown
/// account cannot be told apart by its speed.
pub fn burn_verification_time(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(hash) = DUMMY.get_or_init(|| hash_password("doorstep-timing-equaliser").ok()) {
        let _ = verify_password(password, hash);
    }
}

/// A new session token for the cookie and the hash to store.
pub fn new_session_token() -> Result<(String, String), AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness for a session token");
        AppError::Internal
    })?;
    let token = to_hex(&bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// A one-time password code for an admin to hand over (shown grouped).
pub fn new_password_code() -> Result<String, AppError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness for a password code");
        AppError::Internal
    })?;
    Ok(crate::domain::admin::password_code::from_random(bytes))
}

/// Hashes a password off the async workers: Argon2 takes tens of
/// milliseconds of CPU and 19 MiB.
pub async fn hash_password_in_background(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|error| {
            tracing::error!(%error, "password hashing task failed");
            AppError::Internal
        })?
}

/// A password nobody knows, for an account made by an admin: it cannot be
/// logged in to until its one-time code sets a real one.
pub async fn unusable_password_hash() -> Result<String, AppError> {
    let (random, _) = new_session_token()?;
    hash_password_in_background(random).await
}

/// Takes one password or code check for `login` from `address`, or 429
/// while this login or this address has failed too often lately: for
/// passwords and one-time codes alike, so neither can be guessed faster.
/// The attempt is written down before the check runs and counted against
/// the others already written, so concurrent attempts cannot all pass the
/// count while each one's slow hash runs; a check that then fails leaves
/// its row as the failure, and a login that succeeds clears them.
pub async fn reserve_attempt(
    store: &crate::store::Store,
    login: &crate::domain::auth::LoginName,
    address: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    use crate::domain::auth::{LoginDecision, ThrottlePolicy};
    let policy = ThrottlePolicy::DEFAULT;
    let since = Timestamp::from_unix_millis(now.unix_millis() - policy.window_ms);
    let (attempt_id, _) = new_session_token()?;
    let others = store
        .reserve_login_attempt(&attempt_id, login.as_str(), address, now, since)
        .await?;
    match policy.decide(others, now) {
        LoginDecision::Throttled {
            retry_after_seconds,
        } => {
            store.release_login_attempt(&attempt_id).await?;
            tracing::warn!(login = login.as_str(), %address, "login throttled");
            Err(AppError::TooManyAttempts {
                retry_after_seconds,
            })
        }
        LoginDecision::Allowed => Ok(()),
    }
}

/// Starts a fresh session for `user` (ending the one the browser came with,
/// so a planted session id never survives) and sets its cookie.
pub async fn begin_session(
    store: &crate::store::Store,
    user: crate::store::accounts::StoredUser,
    now: Timestamp,
) -> Result<CurrentUser, AppError> {
    let (token, token_hash) = new_session_token()?;
    let replaced = request_session_token().map(|t| self::token_hash(&t));
    store
        .start_session(&token_hash, &user.id, &user.login, replaced.as_deref(), now)
        .await?;
    context::set_cookie(&session_cookie(&token, cookie_security()));
    tracing::info!(user = %user.id, role = user.role.as_str(), "logged in");
    Ok(CurrentUser {
        id: user.id,
        login: user.login,
        display_name: user.display_name,
        role: user.role,
        region_id: user.region_id,
    })
}

pub fn session_cookie(token: &str, security: CookieSecurity) -> String {
    let secure = if security.secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

pub fn expired_session_cookie(security: CookieSecurity) -> String {
    let secure = if security.secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The session token the request carries, if any.
pub fn request_session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    session_token_in(&parts.headers)
}

/// The session token in a request's cookies, if any.
pub fn session_token_in(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, value)| name.trim() == SESSION_COOKIE && !value.trim().is_empty())
        .map(|(_, value)| value.trim().to_string())
}

/// The address of the person behind a request: the connection's, or,
/// for a connection from a trusted reverse proxy, the one the proxy
/// forwarded. The server sets it on every request
/// (`server::http::client_address`) before anything reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The address a request came from, for login throttling and the logs.
pub fn request_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            let extensions = &parts.extensions;
            extensions
                .get::<ClientAddress>()
                .map(|client| client.0)
                .or_else(|| {
                    extensions
                        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                        .map(|info| info.0.ip())
                })
                .map(|address| address.to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// Used sessions are touched at most this often, to spare the database a
/// write on every request.
const TOUCH_INTERVAL_MS: i64 = 60_000;

/// The signed-in user, or 401. Expired sessions are removed on sight.
pub async fn current_user() -> Result<CurrentUser, AppError> {
    let token = request_session_token();
    let store = context::store()?;
    user_of_session(&store, token).await
}

/// The user a session token belongs to, or 401: for routes outside the
/// server functions (the photo route) as well as inside them.
pub async fn user_of_session(
    store: &crate::store::Store,
    token: Option<String>,
) -> Result<CurrentUser, AppError> {
    let token = token.ok_or(AppError::Unauthorized)?;
    let hash = token_hash(&token);
    let session = store
        .session_by_token_hash(&hash)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let now = Timestamp::now();
    match SessionPolicy::DEFAULT.verdict(session.created_at, session.last_seen, now) {
        SessionVerdict::Valid if session.user.active => {}
        _ => {
            store.end_session(&hash).await?;
            return Err(AppError::Unauthorized);
        }
    }
    if now.unix_millis() - session.last_seen.unix_millis() >= TOUCH_INTERVAL_MS {
        store.touch_session(&hash, now).await?;
    }
    Ok(CurrentUser {
        id: session.user.id,
        login: session.user.login,
        display_name: session.user.display_name,
        role: session.user.role,
        region_id: session.user.region_id,
    })
}

/// The signed-in user if their role is one of `roles`; 401 or 403 otherwise.
pub async fn require_role(roles: &[Role]) -> Result<CurrentUser, AppError> {
    let user = current_user().await?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(
            hash,
            hash_password("correct horse battery").unwrap(),
            "salted"
        );
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (token, hash) = new_session_token().unwrap();
        let (other, _) = new_session_token().unwrap();
        assert_eq!(token.len(), 64);
        assert_ne!(token, other);
        assert_eq!(hash, token_hash(&token));
        assert_ne!(hash, token);
    }

    #[test]
    fn cookies_are_http_only_and_same_site() {
        let plain = session_cookie("abc", CookieSecurity { secure: false });
        assert_eq!(
            plain,
            "doorstep_session=abc; Path=/; HttpOnly; SameSite=Lax"
        );
        assert!(session_cookie("abc", CookieSecurity { secure: true }).ends_with("; Secure"));
        assert!(expired_session_cookie(CookieSecurity::default()).contains("Max-Age=0"));
    }
}
