//! Configuration from environment variables (documented in README.md).

use crate::domain::auth::{SessionPolicy, ThrottlePolicy};
use std::env;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default: `./data/mobilise.db`, created if missing) or `postgres://…`.
    pub database_url: String,
    /// Served over TLS (directly or behind a proxy): `Secure` + `__Host-` cookie and HSTS.
    pub secure_cookies: bool,
    /// The origin browsers use to reach the app, e.g. `https://mobilise.example.gov.uk`. Cross-site
    /// checks compare against it; when unset they compare against the request's `Host`.
    pub public_origin: Option<String>,
    /// Production mode never seeds demo data.
    pub production: bool,
    /// Seed the demo organisations and accounts when the database is empty.
    pub demo_data: bool,
    /// Take the client address from the last `X-Forwarded-For` hop (only behind a trusted proxy).
    pub trust_proxy: bool,
    pub session: SessionPolicy,
    pub throttle: ThrottlePolicy,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Administrators must sign in with a second factor (MOBILISE_REQUIRE_ADMIN_2FA, on unless
    /// turned off; only ever off for a private test setup).
    pub require_admin_second_factor: bool,
    /// Outgoing mail: where it goes and how hard the sender tries.
    pub mail: MailConfig,
    /// Running as one of several instances: the database pool, the background jobs, stopping.
    pub instance: InstanceConfig,
}

/// `MOBILISE_DB_POOL_SIZE`, `MOBILISE_JOBS_CHECK_SECONDS`, `MOBILISE_DRAIN_SECONDS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceConfig {
    /// Connections this instance keeps to the database at most (None: 8 for SQLite, 16 for
    /// PostgreSQL). Every instance's pool together must stay under PostgreSQL's `max_connections`.
    pub pool_size: Option<u32>,
    /// How often each instance looks for scheduled work that is due (retention), in seconds.
    pub jobs_check_secs: u64,
    /// After SIGTERM, how long `/readyz` says "draining" while requests are still served, so
    /// that a load balancer stops sending new ones before the instance stops, in seconds.
    pub drain_secs: u64,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        Self { pool_size: None, jobs_check_secs: 60, drain_secs: 5 }
    }
}

/// `MOBILISE_SMTP_URL`, `MOBILISE_MAIL_FROM`, `MOBILISE_MAIL_DIR`, `MOBILISE_MAIL_MAX_ATTEMPTS`.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// lettre's connection URL (`smtp://user:pass@host:587?tls=required`, `smtps://…`); `tls=starttls`
    /// is read as `required`. None: each message is written to `dir` as an `.eml` file.
    pub smtp_url: Option<String>,
    /// The From header: `Riverside Council <no-reply@riverside.gov.uk>`.
    pub from: String,
    /// Where messages go when no SMTP server is configured.
    pub dir: String,
    pub max_attempts: u32,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Mobilise <mobilise@localhost>".into(),
            dir: "data/mail".into(),
            max_attempts: crate::domain::mail::DEFAULT_MAX_ATTEMPTS,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/mobilise.db?mode=rwc".into(),
            secure_cookies: false,
            public_origin: None,
            production: false,
            demo_data: false,
            trust_proxy: false,
            session: SessionPolicy::default(),
            throttle: ThrottlePolicy::default(),
            max_body_bytes: 1024 * 1024,
            require_admin_second_factor: true,
            mail: MailConfig::default(),
            instance: InstanceConfig::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {name} {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

impl Config {
    /// A cookie's name: with `__Host-` in front when served over TLS (the browser then keeps it
    /// for this host only, `Secure`, on path `/`).
    pub fn cookie_name(&self, name: &str) -> String {
        if self.secure_cookies {
            format!("__Host-{name}")
        } else {
            name.to_string()
        }
    }

    /// Reads `MOBILISE_*` and `DATABASE_URL`; anything unset keeps its default.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| env::var(name).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut c = Config::default();
        if let Some(url) = get("DATABASE_URL").filter(|s| !s.is_empty()) {
            c.database_url = url;
        }
        c.production = match get("MOBILISE_ENV").as_deref() {
            None | Some("") | Some("development") => false,
            Some("production") => true,
            Some(other) => {
                return Err(ConfigError { name: "MOBILISE_ENV", problem: format!("must be development or production, not {other:?}") })
            }
        };
        c.secure_cookies = flag(&get, "MOBILISE_SECURE_COOKIES", c.production)?;
        c.demo_data = flag(&get, "MOBILISE_DEMO", false)?;
        c.trust_proxy = flag(&get, "MOBILISE_TRUST_PROXY", false)?;
        c.require_admin_second_factor = flag(&get, "MOBILISE_REQUIRE_ADMIN_2FA", true)?;
        if c.production && !c.require_admin_second_factor {
            return Err(ConfigError { name: "MOBILISE_REQUIRE_ADMIN_2FA", problem: "cannot be turned off in production".into() });
        }
        if let Some(origin) = get("MOBILISE_PUBLIC_ORIGIN").filter(|s| !s.is_empty()) {
            let origin = origin.trim_end_matches('/').to_string();
            if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                return Err(ConfigError { name: "MOBILISE_PUBLIC_ORIGIN", problem: "must start with http:// or https://".into() });
            }
            c.public_origin = Some(origin);
        }
        if c.production && c.public_origin.is_none() {
            // The cross-site guard compares each request's Origin with this; in production it is
            // never taken from the request's own Host header.
            return Err(ConfigError {
                name: "MOBILISE_PUBLIC_ORIGIN",
                problem: "must be set in production, to the address people use, like https://mobilise.example.gov.uk".into(),
            });
        }
        c.session.idle_secs = minutes(&get, "MOBILISE_SESSION_IDLE_MINUTES", c.session.idle_secs)?;
        c.session.absolute_secs = minutes(&get, "MOBILISE_SESSION_ABSOLUTE_MINUTES", c.session.absolute_secs)?;
        c.session.admin_idle_secs = minutes(&get, "MOBILISE_ADMIN_IDLE_MINUTES", c.session.admin_idle_secs)?;
        if let Some(v) = get("MOBILISE_MAX_BODY_BYTES") {
            c.max_body_bytes =
                v.parse().map_err(|_| ConfigError { name: "MOBILISE_MAX_BODY_BYTES", problem: "must be a number of bytes".into() })?;
        }
        c.mail = mail(&get, c.production)?;
        // At least 4: a background job holds one connection for its lock while its work uses
        // another, and start-up holds one while it seeds.
        if get("MOBILISE_DB_POOL_SIZE").is_some_and(|v| !v.trim().is_empty()) {
            c.instance.pool_size = Some(whole(&get, "MOBILISE_DB_POOL_SIZE", 4..=500, 16)? as u32);
        }
        c.instance.jobs_check_secs = whole(&get, "MOBILISE_JOBS_CHECK_SECONDS", 1..=3600, c.instance.jobs_check_secs)?;
        c.instance.drain_secs = whole(&get, "MOBILISE_DRAIN_SECONDS", 0..=300, c.instance.drain_secs)?;
        Ok(c)
    }
}

fn mail(get: &impl Fn(&str) -> Option<String>, production: bool) -> Result<MailConfig, ConfigError> {
    let mut m = MailConfig::default();
    if let Some(url) = get("MOBILISE_SMTP_URL").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(ConfigError { name: "MOBILISE_SMTP_URL", problem: "must start with smtp:// or smtps://".into() });
        }
        // lettre calls STARTTLS "required"; people (and providers' documentation) call it starttls.
        // Only the query is read for it: a password may contain anything.
        let (address, query) = url.split_once('?').unwrap_or((&url, ""));
        let query = query.split('&').map(|p| if p == "tls=starttls" { "tls=required" } else { p }).collect::<Vec<_>>().join("&");
        let authority = address.split("://").nth(1).unwrap_or("").rsplit('@').next().unwrap_or("");
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => authority.split([':', '/']).next().unwrap_or(""),
        };
        let loopback = matches!(host, "localhost" | "127.0.0.1" | "::1");
        let encrypted = url.starts_with("smtps://") || query.split('&').any(|p| p == "tls=required");
        let url = if query.is_empty() { address.to_string() } else { format!("{address}?{query}") };
        if production && !encrypted && !loopback {
            return Err(ConfigError {
                name: "MOBILISE_SMTP_URL",
                problem: "must use TLS in production (smtps://…, or ?tls=starttls) unless the server is on this machine".into(),
            });
        }
        m.smtp_url = Some(url);
    }
    match get("MOBILISE_MAIL_FROM").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        Some(from) => {
            if from.chars().any(char::is_control) || !from.contains('@') {
                return Err(ConfigError {
                    name: "MOBILISE_MAIL_FROM",
                    problem: "must be an address, like Riverside Council <no-reply@riverside.gov.uk>".into(),
                });
            }
            m.from = from;
        }
        None if production => {
            return Err(ConfigError {
                name: "MOBILISE_MAIL_FROM",
                problem: "must be set in production, like Riverside Council <no-reply@riverside.gov.uk>".into(),
            })
        }
        None => {}
    }
    let dir = get("MOBILISE_MAIL_DIR").filter(|s| !s.trim().is_empty());
    if production && m.smtp_url.is_none() && dir.is_none() {
        // In production nobody reads a folder of files by accident: invitations and password
        // resets would silently go nowhere.
        return Err(ConfigError {
            name: "MOBILISE_SMTP_URL",
            problem: "must be set in production (or set MOBILISE_MAIL_DIR to keep messages as files on purpose)".into(),
        });
    }
    if let Some(dir) = dir {
        m.dir = dir.trim().to_string();
    }
    m.max_attempts = whole(get, "MOBILISE_MAIL_MAX_ATTEMPTS", 1..=50, u64::from(m.max_attempts))? as u32;
    Ok(m)
}

fn flag(get: &impl Fn(&str) -> Option<String>, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match get(name).as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError { name, problem: format!("must be true or false, not {other:?}") }),
    }
}

/// A whole number in `range`, or `default` when unset.
fn whole(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
) -> Result<u64, ConfigError> {
    match get(name).as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => match v.parse::<u64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ConfigError { name, problem: format!("must be a whole number from {} to {}", range.start(), range.end()) }),
        },
    }
}

fn minutes(get: &impl Fn(&str) -> Option<String>, name: &'static str, default_secs: i64) -> Result<i64, ConfigError> {
    match get(name) {
        None => Ok(default_secs),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(m) if m > 0 => Ok(m * 60),
            _ => Err(ConfigError { name, problem: "must be a whole number of minutes above 0".into() }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_a_local_sqlite_development_setup() {
        let c = from(&[]).unwrap();
        assert!(c.database_url.starts_with("sqlite://data/"));
        assert!(!c.production && !c.secure_cookies && !c.demo_data);
    }

    #[test]
    fn production_implies_secure_cookies_unless_turned_off() {
        let origin = ("MOBILISE_PUBLIC_ORIGIN", "https://mobilise.example.gov.uk");
        let (smtp, sender) = (("MOBILISE_SMTP_URL", "smtps://mail.example"), ("MOBILISE_MAIL_FROM", "M <m@m.example>"));
        assert!(from(&[("MOBILISE_ENV", "production"), origin, smtp, sender]).unwrap().secure_cookies);
        assert!(
            !from(&[("MOBILISE_ENV", "production"), origin, smtp, sender, ("MOBILISE_SECURE_COOKIES", "false")]).unwrap().secure_cookies
        );
    }

    #[test]
    fn production_needs_its_public_origin() {
        let e = from(&[("MOBILISE_ENV", "production")]).unwrap_err().to_string();
        assert!(e.contains("MOBILISE_PUBLIC_ORIGIN"), "{e}");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = from(&[("MOBILISE_DEMO", "maybe")]).unwrap_err().to_string();
        assert!(e.contains("MOBILISE_DEMO"), "{e}");
        let e = from(&[("MOBILISE_SESSION_IDLE_MINUTES", "0")]).unwrap_err().to_string();
        assert!(e.contains("MOBILISE_SESSION_IDLE_MINUTES"), "{e}");
        assert!(from(&[("MOBILISE_PUBLIC_ORIGIN", "example.org")]).is_err());
        assert!(from(&[("MOBILISE_ENV", "prod")]).is_err());
    }

    #[test]
    fn mail_goes_to_files_unless_an_smtp_server_is_named() {
        let c = from(&[]).unwrap();
        assert!(c.mail.smtp_url.is_none());
        assert_eq!(c.mail.dir, "data/mail");
        let c = from(&[("MOBILISE_SMTP_URL", "smtp://u:p@mail.example:587?tls=starttls")]).unwrap();
        assert_eq!(c.mail.smtp_url.as_deref(), Some("smtp://u:p@mail.example:587?tls=required"));
        assert!(from(&[("MOBILISE_SMTP_URL", "mail.example:25")]).is_err());
        assert!(from(&[("MOBILISE_MAIL_MAX_ATTEMPTS", "0")]).is_err());
        assert!(from(&[("MOBILISE_MAIL_MAX_ATTEMPTS", "51")]).is_err());
        assert_eq!(from(&[("MOBILISE_MAIL_MAX_ATTEMPTS", " 12 ")]).unwrap().mail.max_attempts, 12);
        // Left empty, like the other numbers: the default.
        assert_eq!(from(&[("MOBILISE_MAIL_MAX_ATTEMPTS", "")]).unwrap().mail.max_attempts, crate::domain::mail::DEFAULT_MAX_ATTEMPTS);
        assert!(from(&[("MOBILISE_MAIL_FROM", "no address")]).is_err());
    }

    #[test]
    fn production_mail_is_encrypted_and_has_a_sender() {
        let base = [("MOBILISE_ENV", "production"), ("MOBILISE_PUBLIC_ORIGIN", "https://m.example")];
        let with = |extra: &[(&'static str, &'static str)]| from(&[&base[..], extra].concat());
        let e = with(&[("MOBILISE_MAIL_FROM", "M <m@m.example>")]).unwrap_err().to_string();
        assert!(e.contains("MOBILISE_SMTP_URL"), "{e}");
        let e = with(&[("MOBILISE_SMTP_URL", "smtps://mail.example")]).unwrap_err().to_string();
        assert!(e.contains("MOBILISE_MAIL_FROM"), "{e}");
        let e =
            with(&[("MOBILISE_SMTP_URL", "smtp://mail.example:25"), ("MOBILISE_MAIL_FROM", "M <m@m.example>")]).unwrap_err().to_string();
        assert!(e.contains("TLS"), "{e}");
        assert!(with(&[("MOBILISE_SMTP_URL", "smtp://127.0.0.1:25"), ("MOBILISE_MAIL_FROM", "M <m@m.example>")]).is_ok());
        assert!(with(&[("MOBILISE_SMTP_URL", "smtps://mail.example"), ("MOBILISE_MAIL_FROM", "M <m@m.example>")]).is_ok());
        assert!(with(&[("MOBILISE_SMTP_URL", "smtp://[::1]:25"), ("MOBILISE_MAIL_FROM", "M <m@m.example>")]).is_ok());
        // "tls=required" in a password is not encryption.
        let e = with(&[("MOBILISE_SMTP_URL", "smtp://u:tls=required@mail.example:25"), ("MOBILISE_MAIL_FROM", "M <m@m.example>")]);
        assert!(e.is_err());
    }

    #[test]
    fn session_lifetimes_are_given_in_minutes() {
        let c = from(&[("MOBILISE_SESSION_IDLE_MINUTES", "30"), ("MOBILISE_SESSION_ABSOLUTE_MINUTES", "600")]).unwrap();
        assert_eq!(c.session.idle_secs, 1800);
        assert_eq!(c.session.absolute_secs, 36000);
        assert_eq!(from(&[("MOBILISE_PUBLIC_ORIGIN", "https://x.example/")]).unwrap().public_origin.as_deref(), Some("https://x.example"));
    }

    #[test]
    fn an_instance_is_told_its_pool_its_job_checks_and_its_drain_in_whole_numbers() {
        let c = from(&[]).unwrap();
        assert_eq!(c.instance, InstanceConfig { pool_size: None, jobs_check_secs: 60, drain_secs: 5 });
        let c = from(&[("MOBILISE_DB_POOL_SIZE", "24"), ("MOBILISE_JOBS_CHECK_SECONDS", "1"), ("MOBILISE_DRAIN_SECONDS", "0")]).unwrap();
        assert_eq!(c.instance, InstanceConfig { pool_size: Some(24), jobs_check_secs: 1, drain_secs: 0 });
        assert_eq!(from(&[("MOBILISE_DB_POOL_SIZE", " ")]).unwrap().instance.pool_size, None, "empty is unset");
        for (name, bad) in [
            ("MOBILISE_DB_POOL_SIZE", "0"),
            ("MOBILISE_DB_POOL_SIZE", "3"),
            ("MOBILISE_DB_POOL_SIZE", "many"),
            ("MOBILISE_JOBS_CHECK_SECONDS", "0"),
            ("MOBILISE_JOBS_CHECK_SECONDS", "-5"),
            ("MOBILISE_DRAIN_SECONDS", "301"),
            ("MOBILISE_DRAIN_SECONDS", "1.5"),
        ] {
            let e = from(&[(name, bad)]).unwrap_err().to_string();
            assert!(e.contains(name) && e.contains("whole number"), "{name}={bad}: {e}");
        }
    }
}
