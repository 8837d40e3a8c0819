//! Accounts' rules: roles, session lifetimes and login throttling. Pure, so
//! the policies are tested without a clock or a database.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;
use super::validation::{Problem, ValidationError};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

text_enum! {
    pub enum Role {
        Technician = "technician",
        Dispatcher = "dispatcher",
        Admin = "admin",
    }
}

/// The name a person logs in with: 3–32 of a–z, 0–9, `.`, `_`, `-`,
/// compared case-insensitively (stored lower-case).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LoginName(String);

impl LoginName {
    pub const FIELD: &'static str = "login";

    pub fn parse(value: &str) -> Result<LoginName, ValidationError> {
        let normalised = value.trim().to_ascii_lowercase();
        if normalised.is_empty() {
            return Err(ValidationError::new(Self::FIELD, Problem::Empty));
        }
        if normalised.chars().count() > 32 {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::TooLong { max: 32 },
            ));
        }
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
        if normalised.len() < 3 || !normalised.chars().all(allowed) {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::BadFormat("use 3 to 32 letters, digits, dots, dashes or underscores"),
            ));
        }
        Ok(LoginName(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LoginName {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        LoginName::parse(&value)
    }
}

impl From<LoginName> for String {
    fn from(value: LoginName) -> String {
        value.0
    }
}

/// A password as typed at login. Bounded so that hashing cost cannot be
/// driven up by a megabyte of "password".
pub fn check_password_input(password: &str) -> Result<(), ValidationError> {
    if password.is_empty() {
        return Err(ValidationError::new("password", Problem::Empty));
    }
    if password.chars().count() > 128 {
        return Err(ValidationError::new(
            "password",
            Problem::TooLong { max: 128 },
        ));
    }
    Ok(())
}

/// A new password: at least 10 characters (and the login bound above).
pub fn check_new_password(password: &str) -> Result<(), ValidationError> {
    check_password_input(password)?;
    if password.chars().count() < 10 {
        return Err(ValidationError::new(
            "password",
            Problem::BadFormat("must be at least 10 characters"),
        ));
    }
    Ok(())
}

/// How long a session lives. Idle: a technician's pause between two
/// customers must not log them out, a phone left on a counter overnight
/// must. Absolute: one working day at most, then log in again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

impl SessionPolicy {
    pub const DEFAULT: SessionPolicy = SessionPolicy {
        idle_ms: 4 * HOUR_MS,
        absolute_ms: 14 * HOUR_MS,
    };

    pub fn verdict(
        &self,
        created: Timestamp,
        last_seen: Timestamp,
        now: Timestamp,
    ) -> SessionVerdict {
        if now.unix_millis() - created.unix_millis() >= self.absolute_ms {
            SessionVerdict::AbsoluteExpired
        } else if now.unix_millis() - last_seen.unix_millis() >= self.idle_ms {
            SessionVerdict::IdleExpired
        } else {
            SessionVerdict::Valid
        }
    }

    /// When the session ends if it is used now and then left alone.
    pub fn expires_at(&self, created: Timestamp, now: Timestamp) -> Timestamp {
        Timestamp::from_unix_millis(
            (now.unix_millis() + self.idle_ms).min(created.unix_millis() + self.absolute_ms),
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionVerdict {
    Valid,
    IdleExpired,
    AbsoluteExpired,
}

/// Failed logins allowed within a sliding window, per account (someone
/// guessing one technician's password) and per address (someone trying many
/// accounts from one place).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window_ms: i64,
    pub per_account: u32,
    pub per_address: u32,
}

impl ThrottlePolicy {
    pub const DEFAULT: ThrottlePolicy = ThrottlePolicy {
        window_ms: 15 * MINUTE_MS,
        per_account: 5,
        per_address: 20,
    };

    /// `oldest_*` is the oldest failure still inside the window; the wait
    /// ends when it leaves the window.
    pub fn decide(&self, recent: RecentFailures, now: Timestamp) -> LoginDecision {
        let wait_for = |oldest: Option<Timestamp>| {
            let oldest = oldest.map_or(now.unix_millis(), Timestamp::unix_millis);
            let ms = (oldest + self.window_ms - now.unix_millis()).max(1_000);
            ((ms + 999) / 1_000) as u32
        };
        let account_wait =
            (recent.for_account >= self.per_account).then(|| wait_for(recent.oldest_for_account));
        let address_wait =
            (recent.for_address >= self.per_address).then(|| wait_for(recent.oldest_for_address));
        match account_wait.into_iter().chain(address_wait).max() {
            Some(retry_after_seconds) => LoginDecision::Throttled {
                retry_after_seconds,
            },
            None => LoginDecision::Allowed,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecentFailures {
    pub for_account: u32,
    pub oldest_for_account: Option<Timestamp>,
    pub for_address: u32,
    pub oldest_for_address: Option<Timestamp>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginDecision {
    Allowed,
    Throttled { retry_after_seconds: u32 },
}

/// Who is asking, as the access rules see them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer<'a> {
    pub role: Role,
    pub user_id: &'a str,
    /// Technicians and dispatchers work in one region; admins in all.
    pub region_id: Option<&'a str>,
}

/// Which visits a list shows a viewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VisitScope {
    AssignedTo(String),
    Region(String),
    All,
    /// A dispatcher with no region: an account set up wrongly sees nothing
    /// rather than everything.
    Nothing,
}

/// Where a visit belongs, as the access rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisitPlace<'a> {
    pub technician_id: Option<&'a str>,
    pub region_id: &'a str,
}

impl Viewer<'_> {
    pub fn visit_scope(&self) -> VisitScope {
        match (self.role, self.region_id) {
            (Role::Technician, _) => VisitScope::AssignedTo(self.user_id.to_string()),
            (Role::Dispatcher, Some(region)) => VisitScope::Region(region.to_string()),
            (Role::Dispatcher, None) => VisitScope::Nothing,
            (Role::Admin, _) => VisitScope::All,
        }
    }

    /// A technician reads only the visits assigned to them; a dispatcher
    /// those of their region; an admin every one.
    pub fn may_read_visit(&self, visit: VisitPlace<'_>) -> bool {
        match self.visit_scope() {
            VisitScope::AssignedTo(me) => visit.technician_id == Some(me.as_str()),
            VisitScope::Region(region) => visit.region_id == region,
            VisitScope::All => true,
            VisitScope::Nothing => false,
        }
    }

    /// The work at the customer's home is the assigned technician's alone:
    /// nobody else ticks their checklist or checks in for them.
    pub fn may_work_on_visit(&self, visit: VisitPlace<'_>) -> bool {
        self.role == Role::Technician && visit.technician_id == Some(self.user_id)
    }

    /// Work orders are taken by dispatchers for their own region, or by an
    /// admin for any region.
    pub fn may_manage_region(&self, region_id: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Dispatcher => self.region_id == Some(region_id),
            Role::Technician => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(ms)
    }

    #[test]
    fn roles_round_trip() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn login_names_are_normalised_and_checked() {
        assert_eq!(
            LoginName::parse(" Tech.Wang ").unwrap().as_str(),
            "tech.wang"
        );
        assert_eq!(LoginName::parse("").unwrap_err().problem, Problem::Empty);
        assert!(LoginName::parse("ab").is_err());
        assert!(LoginName::parse("王师傅").is_err());
        assert!(LoginName::parse("a b c").is_err());
        assert_eq!(
            LoginName::parse(&"a".repeat(33)).unwrap_err().problem,
            Problem::TooLong { max: 32 }
        );
    }

    #[test]
    fn passwords_are_bounded() {
        assert!(check_password_input("").is_err());
        assert!(check_password_input(&"x".repeat(129)).is_err());
        assert!(check_password_input("short").is_ok());
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("long enough pw").is_ok());
    }

    #[test]
    fn sessions_expire_idle_and_absolute_at_the_exact_edge() {
        let p = SessionPolicy::DEFAULT;
        let created = ts(0);
        assert_eq!(
            p.verdict(created, created, ts(p.idle_ms - 1)),
            SessionVerdict::Valid
        );
        assert_eq!(
            p.verdict(created, created, ts(p.idle_ms)),
            SessionVerdict::IdleExpired
        );
        let active = ts(p.absolute_ms - 10);
        assert_eq!(
            p.verdict(created, active, ts(p.absolute_ms - 1)),
            SessionVerdict::Valid
        );
        assert_eq!(
            p.verdict(created, active, ts(p.absolute_ms)),
            SessionVerdict::AbsoluteExpired
        );
        assert_eq!(p.expires_at(created, ts(0)), ts(p.idle_ms));
        assert_eq!(
            p.expires_at(created, ts(p.absolute_ms - 1)),
            ts(p.absolute_ms)
        );
    }

    #[test]
    fn throttling_per_account_and_per_address() {
        let p = ThrottlePolicy::DEFAULT;
        let now = ts(10 * 60_000);
        let four = RecentFailures {
            for_account: 4,
            oldest_for_account: Some(ts(0)),
            ..Default::default()
        };
        assert_eq!(p.decide(four, now), LoginDecision::Allowed);
        let five = RecentFailures {
            for_account: 5,
            ..four
        };
        // Oldest failure at 0 leaves the 15-minute window at 15:00; now is 10:00.
        assert_eq!(
            p.decide(five, now),
            LoginDecision::Throttled {
                retry_after_seconds: 300
            }
        );
        let address = RecentFailures {
            for_address: 20,
            oldest_for_address: Some(ts(9 * 60_000)),
            ..Default::default()
        };
        assert_eq!(
            p.decide(address, now),
            LoginDecision::Throttled {
                retry_after_seconds: 840
            }
        );
    }

    #[test]
    fn each_role_reads_its_own_scope_of_visits() {
        let wang = Viewer {
            role: Role::Technician,
            user_id: "wang",
            region_id: Some("east"),
        };
        let li = Viewer {
            role: Role::Technician,
            user_id: "li",
            region_id: Some("east"),
        };
        let zhao = Viewer {
            role: Role::Dispatcher,
            user_id: "zhao",
            region_id: Some("east"),
        };
        let qian = Viewer {
            role: Role::Dispatcher,
            user_id: "qian",
            region_id: Some("west"),
        };
        let lost = Viewer {
            role: Role::Dispatcher,
            user_id: "lost",
            region_id: None,
        };
        let admin = Viewer {
            role: Role::Admin,
            user_id: "root",
            region_id: None,
        };
        let visit = VisitPlace {
            technician_id: Some("wang"),
            region_id: "east",
        };
        assert!(wang.may_read_visit(visit));
        assert!(!li.may_read_visit(visit));
        assert!(zhao.may_read_visit(visit));
        assert!(!qian.may_read_visit(visit));
        assert!(!lost.may_read_visit(visit));
        assert!(admin.may_read_visit(visit));
        assert!(wang.may_work_on_visit(visit));
        for other in [li, zhao, qian, lost, admin] {
            assert!(!other.may_work_on_visit(visit), "{other:?}");
        }
        let unassigned = VisitPlace {
            technician_id: None,
            region_id: "east",
        };
        assert!(!wang.may_read_visit(unassigned));
        assert!(zhao.may_read_visit(unassigned));
        assert_eq!(lost.visit_scope(), VisitScope::Nothing);
        assert_eq!(zhao.visit_scope(), VisitScope::Region("east".into()));
        assert!(zhao.may_manage_region("east") && !zhao.may_manage_region("west"));
        assert!(admin.may_manage_region("west") && !wang.may_manage_region("east"));
    }

    proptest! {
        #[test]
        fn throttled_exactly_when_a_limit_is_reached(account in 0u32..10, address in 0u32..30, age_ms in 0i64..15 * 60_000) {
            let p = ThrottlePolicy::DEFAULT;
            let now = ts(20 * 60_000);
            let oldest = Some(ts(now.unix_millis() - age_ms));
            let recent = RecentFailures { for_account: account, oldest_for_account: oldest, for_address: address, oldest_for_address: oldest };
            let throttled = matches!(p.decide(recent, now), LoginDecision::Throttled { .. });
            prop_assert_eq!(throttled, account >= p.per_account || address >= p.per_address);
            if let LoginDecision::Throttled { retry_after_seconds } = p.decide(recent, now) {
                prop_assert!(retry_after_seconds >= 1 && i64::from(retry_after_seconds) <= p.window_ms / 1000);
            }
        }

        #[test]
        fn a_session_is_never_valid_past_its_absolute_end(created in 0i64..1_000_000, seen in 0i64..100_000_000, now in 0i64..200_000_000) {
            let p = SessionPolicy::DEFAULT;
            let (created, seen) = (ts(created), ts(created + seen));
            let now = ts(seen.unix_millis() + now);
            if p.verdict(created, seen, now) == SessionVerdict::Valid {
                prop_assert!(now.unix_millis() < created.unix_millis() + p.absolute_ms);
                prop_assert!(now.unix_millis() < seen.unix_millis() + p.idle_ms);
            }
        }
    }
}
