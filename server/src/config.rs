//! Environment → validated configuration. Every bad value stops the start
//! with a message naming the variable, the value and what would be accepted.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use app::zone::ServiceZone;
use thiserror::Error;
use tracing_subscriber::EnvFilter;

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/doorstep.db";

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub database: DatabaseUrl,
    pub log_filter: String,
    pub log_format: LogFormat,
    /// Fill an empty database with demo visits (the README's run command).
    pub demo_data: bool,
    pub service_zone: ServiceZone,
    /// Mark cookies `Secure`: on when users reach the site over HTTPS.
    pub secure_cookies: bool,
    /// Database connections this process may hold (`db::default_pool_size`
    /// when not set).
    pub pool_size: Option<u32>,
    /// Requests worked on at once before more are answered 503
    /// (`http::hardening::DEFAULT_MAX_REQUESTS_IN_PROGRESS` when not set).
    pub max_requests_in_progress: Option<usize>,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name
    /// the client (none when not set: the headers are then ignored).
    pub trusted_proxies: crate::http::client_address::TrustedProxies,
    /// Milliseconds to move the server's clock by, for running the product
    /// as if on another day (the browser tests do); 0 in production.
    pub clock_shift_ms: i64,
    /// How far from the customer a check-in may be before it is flagged.
    pub arrival_radius: app::domain::arrival::ArrivalRadius,
}

/// Its `Debug` shows the URL redacted: a config printed whole, in a log or
/// a panic, never shows the database password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// The embedded default; `path` is the file (created on first start).
    Sqlite {
        url: String,
        path: Option<PathBuf>,
    },
    Postgres {
        url: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("{variable}={value:?} is not valid: {reason}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub value: String,
    pub reason: String,
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// `lookup` answers a variable's value; tests pass a map instead of the
    /// process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        // cargo-leptos passes the address it serves on as LEPTOS_SITE_ADDR.
        let (addr_var, addr_value) = match lookup("DOORSTEP_ADDR") {
            Some(value) => ("DOORSTEP_ADDR", value),
            None => (
                "LEPTOS_SITE_ADDR",
                lookup("LEPTOS_SITE_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_string()),
            ),
        };
        let addr = addr_value
            .trim()
            .parse::<SocketAddr>()
            .map_err(|_| ConfigError {
                variable: addr_var,
                value: addr_value.clone(),
                reason: "expected an IP address and port, such as 127.0.0.1:3000".into(),
            })?;

        let database_value =
            lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let database = DatabaseUrl::parse(&database_value).map_err(|reason| ConfigError {
            variable: "DATABASE_URL",
            value: redact_url(&database_value),
            reason,
        })?;

        let (log_var, log_filter) = match lookup("DOORSTEP_LOG") {
            Some(value) => ("DOORSTEP_LOG", value),
            None => (
                "RUST_LOG",
                lookup("RUST_LOG").unwrap_or_else(|| "info".to_string()),
            ),
        };
        EnvFilter::try_new(&log_filter).map_err(|e| ConfigError {
            variable: log_var,
            value: log_filter.clone(),
            reason: format!("not a log filter ({e}); try info, debug or server=debug,info"),
        })?;

        let format_value = lookup("DOORSTEP_LOG_FORMAT").unwrap_or_else(|| "text".into());
        let log_format = match format_value.trim().to_ascii_lowercase().as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => {
                return Err(ConfigError {
                    variable: "DOORSTEP_LOG_FORMAT",
                    value: format_value,
                    reason: "expected text or json".into(),
                })
            }
        };

        let demo_value = lookup("DOORSTEP_DEMO_DATA").unwrap_or_else(|| "false".into());
        let demo_data = parse_bool(&demo_value).ok_or_else(|| ConfigError {
            variable: "DOORSTEP_DEMO_DATA",
            value: demo_value.clone(),
            reason: "expected true or false (1 or 0)".into(),
        })?;

        let zone_value =
            lookup("DOORSTEP_TIME_ZONE").unwrap_or_else(|| ServiceZone::DEFAULT.name().into());
        let service_zone = ServiceZone::from_name(zone_value.trim()).map_err(|e| ConfigError {
            variable: "DOORSTEP_TIME_ZONE",
            value: zone_value.clone(),
            reason: e.to_string(),
        })?;

        let secure_value = lookup("DOORSTEP_SECURE_COOKIES").unwrap_or_else(|| "false".into());
        let secure_cookies = parse_bool(&secure_value).ok_or_else(|| ConfigError {
            variable: "DOORSTEP_SECURE_COOKIES",
            value: secure_value.clone(),
            reason: "expected true or false (1 or 0)".into(),
        })?;

        let count = |variable: &'static str, what: &str, max: u32| match lookup(variable) {
            None => Ok(None),
            Some(value) => value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .map(Some)
                .ok_or_else(|| ConfigError {
                    variable,
                    value: value.clone(),
                    reason: format!("expected a number of {what} from 1 to {max}"),
                }),
        };
        let pool_size = count("DOORSTEP_DB_POOL", "connections", 1000)?;
        let max_requests_in_progress =
            count("DOORSTEP_MAX_REQUESTS", "requests", 100_000)?.map(|n| n as usize);

        let proxies_value = lookup("DOORSTEP_TRUSTED_PROXIES").unwrap_or_default();
        let trusted_proxies = crate::http::client_address::TrustedProxies::parse(&proxies_value)
            .map_err(|reason| ConfigError {
                variable: "DOORSTEP_TRUSTED_PROXIES",
                value: proxies_value.clone(),
                reason: format!("{reason}; list addresses or networks, separated by commas"),
            })?;

        // Ten years either way is more than any test needs.
        const MAX_SHIFT_MS: i64 = 10 * 366 * 24 * 3_600_000;
        let clock_shift_ms = match lookup("DOORSTEP_CLOCK_SHIFT_MS") {
            None => 0,
            Some(value) => value
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|ms| ms.abs() <= MAX_SHIFT_MS)
                .ok_or_else(|| ConfigError {
                    variable: "DOORSTEP_CLOCK_SHIFT_MS",
                    value: value.clone(),
                    reason: "expected whole milliseconds, at most ten years either way".into(),
                })?,
        };

        use app::domain::arrival::ArrivalRadius;
        let arrival_radius = match lookup("DOORSTEP_ARRIVAL_RADIUS_M") {
            None => ArrivalRadius::DEFAULT,
            Some(value) => value
                .trim()
                .parse::<u32>()
                .ok()
                .and_then(ArrivalRadius::from_metres)
                .ok_or_else(|| ConfigError {
                    variable: "DOORSTEP_ARRIVAL_RADIUS_M",
                    value: value.clone(),
                    reason: format!(
                        "expected whole metres from {} to {}",
                        ArrivalRadius::MIN_METRES,
                        ArrivalRadius::MAX_METRES
                    ),
                })?,
        };

        Ok(Config {
            arrival_radius,
            clock_shift_ms,
            trusted_proxies,
            max_requests_in_progress,
            pool_size,
            secure_cookies,
            addr,
            database,
            log_filter,
            log_format,
            demo_data,
            service_zone,
        })
    }

    pub fn init_tracing(&self) {
        // Validated in `from_lookup`, so the fallback is never reached.
        let filter =
            EnvFilter::try_new(&self.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
        let builder = tracing_subscriber::fmt().with_env_filter(filter);
        let _ = match self.log_format {
            LogFormat::Text => builder.try_init(),
            LogFormat::Json => builder.json().try_init(),
        };
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

impl DatabaseUrl {
    pub fn parse(value: &str) -> Result<DatabaseUrl, String> {
        let value = value.trim();
        if let Some(rest) = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"))
        {
            let file = rest.split('?').next().unwrap_or_default();
            if file.is_empty() {
                return Err("the SQLite URL names no file; use sqlite://data/doorstep.db".into());
            }
            let path = (file != ":memory:").then(|| PathBuf::from(file));
            return Ok(DatabaseUrl::Sqlite {
                url: value.to_string(),
                path,
            });
        }
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            let after_scheme = value
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or_default();
            if after_scheme.is_empty() || after_scheme.starts_with('/') {
                return Err(
                    "the PostgreSQL URL names no host; use postgres://user@host:5432/db".into(),
                );
            }
            return Ok(DatabaseUrl::Postgres {
                url: value.to_string(),
            });
        }
        Err("expected a sqlite:// or postgres:// URL".into())
    }

    pub fn url(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite { url, .. } | DatabaseUrl::Postgres { url } => url,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite { .. })
    }

    /// The URL with any password blanked, for logs and error messages.
    pub fn redacted(&self) -> Redacted<'_> {
        Redacted(self.url())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

pub struct Redacted<'a>(&'a str);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(self.0))
    }
}

fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_serve_locally_on_embedded_sqlite() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(
            config.database,
            DatabaseUrl::Sqlite {
                url: DEFAULT_DATABASE_URL.into(),
                path: Some(PathBuf::from("data/doorstep.db")),
            }
        );
        assert_eq!(config.log_filter, "info");
        assert_eq!(config.log_format, LogFormat::Text);
        assert!(!config.demo_data);
        assert_eq!(config.service_zone, ServiceZone::DEFAULT);
        assert!(!config.secure_cookies);
        assert_eq!(config.pool_size, None);
        assert_eq!(config.max_requests_in_progress, None);
    }

    #[test]
    fn pool_size_is_a_bounded_count() {
        assert_eq!(
            config(&[("DOORSTEP_DB_POOL", " 24 ")]).unwrap().pool_size,
            Some(24)
        );
        for bad in ["0", "1001", "many", "-3"] {
            let error = config(&[("DOORSTEP_DB_POOL", bad)]).unwrap_err();
            assert_eq!(error.variable, "DOORSTEP_DB_POOL", "{bad}");
            assert!(error.reason.contains("1 to 1000"), "{error}");
        }
        assert_eq!(
            config(&[("DOORSTEP_MAX_REQUESTS", "64")])
                .unwrap()
                .max_requests_in_progress,
            Some(64)
        );
        assert_eq!(
            config(&[("DOORSTEP_MAX_REQUESTS", "0")])
                .unwrap_err()
                .variable,
            "DOORSTEP_MAX_REQUESTS"
        );
    }

    #[test]
    fn the_clock_shift_is_bounded_milliseconds() {
        assert_eq!(config(&[]).unwrap().clock_shift_ms, 0);
        assert_eq!(
            config(&[("DOORSTEP_CLOCK_SHIFT_MS", "-86400000")])
                .unwrap()
                .clock_shift_ms,
            -86_400_000
        );
        for bad in ["tomorrow", "1e9", "999999999999999"] {
            assert_eq!(
                config(&[("DOORSTEP_CLOCK_SHIFT_MS", bad)])
                    .unwrap_err()
                    .variable,
                "DOORSTEP_CLOCK_SHIFT_MS"
            );
        }
    }

    #[test]
    fn the_arrival_radius_is_bounded_metres() {
        assert_eq!(config(&[]).unwrap().arrival_radius.metres(), 300);
        assert_eq!(
            config(&[("DOORSTEP_ARRIVAL_RADIUS_M", "500")])
                .unwrap()
                .arrival_radius
                .metres(),
            500
        );
        for bad in ["300m", "10", "99999", "-1"] {
            assert_eq!(
                config(&[("DOORSTEP_ARRIVAL_RADIUS_M", bad)])
                    .unwrap_err()
                    .variable,
                "DOORSTEP_ARRIVAL_RADIUS_M"
            );
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        let proxies = config(&[("DOORSTEP_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")])
            .unwrap()
            .trusted_proxies;
        assert!(proxies.trusts("10.1.2.3".parse().unwrap()));
        assert!(proxies.trusts("127.0.0.1".parse().unwrap()));
        assert!(!proxies.trusts("192.0.2.1".parse().unwrap()));
        let error = config(&[("DOORSTEP_TRUSTED_PROXIES", "10.0.0.0/8 127.0.0.1")]).unwrap_err();
        assert_eq!(error.variable, "DOORSTEP_TRUSTED_PROXIES");
    }

    #[test]
    fn bad_address_names_the_variable() {
        let error = config(&[("DOORSTEP_ADDR", "localhost")]).unwrap_err();
        assert_eq!(error.variable, "DOORSTEP_ADDR");
        assert!(
            error.to_string().contains("DOORSTEP_ADDR=\"localhost\""),
            "{error}"
        );
        let error = config(&[("LEPTOS_SITE_ADDR", "1.2.3.4")]).unwrap_err();
        assert_eq!(error.variable, "LEPTOS_SITE_ADDR");
        assert_eq!(
            config(&[
                ("DOORSTEP_ADDR", "0.0.0.0:8080"),
                ("LEPTOS_SITE_ADDR", "bad")
            ])
            .unwrap()
            .addr
            .port(),
            8080
        );
    }

    #[test]
    fn database_url_must_be_sqlite_or_postgres() {
        assert_eq!(
            config(&[("DATABASE_URL", "mysql://x/y")])
                .unwrap_err()
                .variable,
            "DATABASE_URL"
        );
        assert!(config(&[("DATABASE_URL", "sqlite://")]).is_err());
        assert!(config(&[("DATABASE_URL", "postgres:///test")]).is_err());
        let pg = config(&[("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")]).unwrap();
        assert!(!pg.database.is_sqlite());
        let memory = config(&[("DATABASE_URL", "sqlite::memory:")]).unwrap();
        assert_eq!(
            memory.database,
            DatabaseUrl::Sqlite {
                url: "sqlite::memory:".into(),
                path: None
            }
        );
    }

    #[test]
    fn passwords_never_reach_messages() {
        let error = config(&[("DATABASE_URL", "mysql://me:s3cret@db/x")]).unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
        let url = DatabaseUrl::parse("postgres://me:s3cret@db:5432/x").unwrap();
        assert_eq!(url.redacted().to_string(), "postgres://me:***@db:5432/x");
        assert_eq!(
            format!("{url:?}"),
            "DatabaseUrl(postgres://me:***@db:5432/x)"
        );
        let whole = config(&[("DATABASE_URL", "postgres://me:s3cret@db:5432/x")]).unwrap();
        assert!(!format!("{whole:?}").contains("s3cret"));
        let plain = DatabaseUrl::parse("postgres://me@db/x").unwrap();
        assert_eq!(plain.redacted().to_string(), "postgres://me@db/x");
    }

    #[test]
    fn log_settings_are_validated() {
        assert_eq!(
            config(&[("DOORSTEP_LOG", "server=debug,info")])
                .unwrap()
                .log_filter,
            "server=debug,info"
        );
        assert_eq!(
            config(&[("RUST_LOG", "=[")]).unwrap_err().variable,
            "RUST_LOG"
        );
        assert_eq!(
            config(&[("DOORSTEP_LOG_FORMAT", "xml")])
                .unwrap_err()
                .variable,
            "DOORSTEP_LOG_FORMAT"
        );
        assert_eq!(
            config(&[("DOORSTEP_LOG_FORMAT", "JSON")])
                .unwrap()
                .log_format,
            LogFormat::Json
        );
    }

    #[test]
    fn demo_flag_and_zone_are_validated() {
        assert!(config(&[("DOORSTEP_DEMO_DATA", "1")]).unwrap().demo_data);
        assert!(!config(&[("DOORSTEP_DEMO_DATA", "off")]).unwrap().demo_data);
        assert_eq!(
            config(&[("DOORSTEP_DEMO_DATA", "maybe")])
                .unwrap_err()
                .variable,
            "DOORSTEP_DEMO_DATA"
        );
        assert!(
            config(&[("DOORSTEP_SECURE_COOKIES", "true")])
                .unwrap()
                .secure_cookies
        );
        assert_eq!(
            config(&[("DOORSTEP_SECURE_COOKIES", "https")])
                .unwrap_err()
                .variable,
            "DOORSTEP_SECURE_COOKIES"
        );
        let error = config(&[("DOORSTEP_TIME_ZONE", "Asia/Nowhere")]).unwrap_err();
        assert_eq!(error.variable, "DOORSTEP_TIME_ZONE");
        assert!(error.reason.contains("Asia/Nowhere"));
        assert_eq!(
            config(&[("DOORSTEP_TIME_ZONE", "Europe/Berlin")])
                .unwrap()
                .service_zone
                .name(),
            "Europe/Berlin"
        );
    }
}
