//! Facilities, severities, and how levels map to severities: the numbers
//! and names of Python's `SysLogHandler` (`facility_names`,
//! `priority_names`, `mapPriority`, `encodePriority`).

use std::fmt;
use std::str::FromStr;

use crate::level::Level;

/// A syslog facility: which part of the system a message comes from.
/// The numbers and names are Python's (`SysLogHandler.LOG_*`,
/// `facility_names`), which are those of `<sys/syslog.h>`.
///
/// ```
/// use lumber::SysLogFacility;
/// assert_eq!(SysLogFacility::Local0.code(), 16);
/// assert_eq!("authpriv".parse::<SysLogFacility>().unwrap(), SysLogFacility::AuthPriv);
/// assert_eq!(SysLogFacility::SolarisCron.name(), "solaris-cron");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum SysLogFacility {
    /// 0, `kern`: kernel messages.
    Kern,
    /// 1, `user`: user-level messages (Python's default).
    #[default]
    User,
    /// 2, `mail`.
    Mail,
    /// 3, `daemon`: system daemons.
    Daemon,
    /// 4, `auth`: security/authorization messages.
    Auth,
    /// 5, `syslog`: messages of the syslog daemon itself.
    Syslog,
    /// 6, `lpr`: line printer subsystem.
    Lpr,
    /// 7, `news`.
    News,
    /// 8, `uucp`.
    Uucp,
    /// 9, `cron`: clock daemon.
    Cron,
    /// 10, `authpriv`: private security/authorization messages.
    AuthPriv,
    /// 11, `ftp`.
    Ftp,
    /// 12, `ntp`.
    Ntp,
    /// 13, `security`: log audit.
    Security,
    /// 14, `console`: log alert.
    Console,
    /// 15, `solaris-cron`: Solaris' scheduling daemon.
    SolarisCron,
    /// 16, `local0`.
    Local0,
    /// 17, `local1`.
    Local1,
    /// 18, `local2`.
    Local2,
    /// 19, `local3`.
    Local3,
    /// 20, `local4`.
    Local4,
    /// 21, `local5`.
    Local5,
    /// 22, `local6`.
    Local6,
    /// 23, `local7`.
    Local7,
}

const FACILITIES: [(SysLogFacility, &str); 24] = [
    (SysLogFacility::Kern, "kern"),
    (SysLogFacility::User, "user"),
    (SysLogFacility::Mail, "mail"),
    (SysLogFacility::Daemon, "daemon"),
    (SysLogFacility::Auth, "auth"),
    (SysLogFacility::Syslog, "syslog"),
    (SysLogFacility::Lpr, "lpr"),
    (SysLogFacility::News, "news"),
    (SysLogFacility::Uucp, "uucp"),
    (SysLogFacility::Cron, "cron"),
    (SysLogFacility::AuthPriv, "authpriv"),
    (SysLogFacility::Ftp, "ftp"),
    (SysLogFacility::Ntp, "ntp"),
    (SysLogFacility::Security, "security"),
    (SysLogFacility::Console, "console"),
    (SysLogFacility::SolarisCron, "solaris-cron"),
    (SysLogFacility::Local0, "local0"),
    (SysLogFacility::Local1, "local1"),
    (SysLogFacility::Local2, "local2"),
    (SysLogFacility::Local3, "local3"),
    (SysLogFacility::Local4, "local4"),
    (SysLogFacility::Local5, "local5"),
    (SysLogFacility::Local6, "local6"),
    (SysLogFacility::Local7, "local7"),
];

impl SysLogFacility {
    /// The facility's number (0–23).
    ///
    /// ```
    /// assert_eq!(lumber::SysLogFacility::User.code(), 1);
    /// assert_eq!(lumber::SysLogFacility::Local7.code(), 23);
    /// ```
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The facility with this number, if there is one.
    ///
    /// ```
    /// use lumber::SysLogFacility;
    /// assert_eq!(SysLogFacility::from_code(3), Some(SysLogFacility::Daemon));
    /// assert_eq!(SysLogFacility::from_code(24), None);
    /// ```
    pub fn from_code(code: u8) -> Option<SysLogFacility> {
        FACILITIES.get(usize::from(code)).map(|(f, _)| *f)
    }

    /// Python's name for it (a key of `SysLogHandler.facility_names`).
    ///
    /// ```
    /// assert_eq!(lumber::SysLogFacility::Local3.name(), "local3");
    /// ```
    pub fn name(self) -> &'static str {
        FACILITIES[usize::from(self.code())].1
    }

    /// The facility of one of Python's `facility_names` (exact, lower
    /// case, as Python looks them up).
    ///
    /// ```
    /// use lumber::SysLogFacility;
    /// assert_eq!(SysLogFacility::from_name("daemon"), Some(SysLogFacility::Daemon));
    /// assert_eq!(SysLogFacility::from_name("DAEMON"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<SysLogFacility> {
        FACILITIES.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }

    /// The PRI value of a message of this facility and `severity`:
    /// Python's `encodePriority`, `(facility << 3) | priority`.
    ///
    /// ```
    /// use lumber::{SysLogFacility, SysLogSeverity};
    /// assert_eq!(SysLogFacility::Local4.priority(SysLogSeverity::Notice), 165);
    /// assert_eq!(SysLogFacility::User.priority(SysLogSeverity::Warning), 12);
    /// ```
    pub fn priority(self, severity: SysLogSeverity) -> u8 {
        (self.code() << 3) | severity.code()
    }
}

impl fmt::Display for SysLogFacility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The error of parsing an unknown facility or severity name.
///
/// ```
/// let e = "nope".parse::<lumber::SysLogFacility>().unwrap_err();
/// assert_eq!(e.to_string(), "unknown syslog facility 'nope'");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseSysLogError {
    what: &'static str,
    name: String,
}

impl fmt::Display for ParseSysLogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown syslog {} '{}'", self.what, self.name)
    }
}

impl std::error::Error for ParseSysLogError {}

impl FromStr for SysLogFacility {
    type Err = ParseSysLogError;

    /// A name of Python's `facility_names`, in any case, or a number.
    fn from_str(s: &str) -> Result<SysLogFacility, ParseSysLogError> {
        let lower = s.trim().to_ascii_lowercase();
        SysLogFacility::from_name(&lower)
            .or_else(|| lower.parse().ok().and_then(SysLogFacility::from_code))
            .ok_or_else(|| ParseSysLogError {
                what: "facility",
                name: s.to_owned(),
            })
    }
}

/// A syslog severity (Python calls it a priority): 0, `emerg`, is the
/// most severe; 7, `debug`, the least.
///
/// Which severity a record gets is decided by the handler's severity map:
/// [`SysLogSeverity::from_level`] by default, or Python's exact
/// `mapPriority`, [`SysLogSeverity::python`].
///
/// ```
/// use lumber::{Level, SysLogSeverity};
/// assert_eq!(SysLogSeverity::from_level(Level::ERROR), SysLogSeverity::Error);
/// assert_eq!("crit".parse::<SysLogSeverity>().unwrap(), SysLogSeverity::Critical);
/// assert_eq!(SysLogSeverity::Warning.code(), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SysLogSeverity {
    /// 0, `emerg`: the system is unusable.
    Emergency,
    /// 1, `alert`: action must be taken immediately.
    Alert,
    /// 2, `crit`: critical conditions.
    Critical,
    /// 3, `err`: error conditions.
    Error,
    /// 4, `warning`: warning conditions.
    Warning,
    /// 5, `notice`: normal but significant.
    Notice,
    /// 6, `info`: informational.
    Info,
    /// 7, `debug`: debug-level messages.
    Debug,
}

const SEVERITIES: [SysLogSeverity; 8] = [
    SysLogSeverity::Emergency,
    SysLogSeverity::Alert,
    SysLogSeverity::Critical,
    SysLogSeverity::Error,
    SysLogSeverity::Warning,
    SysLogSeverity::Notice,
    SysLogSeverity::Info,
    SysLogSeverity::Debug,
];

impl SysLogSeverity {
    /// The severity's number (0–7).
    ///
    /// ```
    /// assert_eq!(lumber::SysLogSeverity::Debug.code(), 7);
    /// ```
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The severity with this number, if there is one.
    ///
    /// ```
    /// use lumber::SysLogSeverity;
    /// assert_eq!(SysLogSeverity::from_code(6), Some(SysLogSeverity::Info));
    /// assert_eq!(SysLogSeverity::from_code(8), None);
    /// ```
    pub fn from_code(code: u8) -> Option<SysLogSeverity> {
        SEVERITIES.get(usize::from(code)).copied()
    }

    /// The usual keyword (`emerg`, `alert`, `crit`, `err`, `warning`,
    /// `notice`, `info`, `debug`).
    ///
    /// ```
    /// assert_eq!(lumber::SysLogSeverity::Error.name(), "err");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SysLogSeverity::Emergency => "emerg",
            SysLogSeverity::Alert => "alert",
            SysLogSeverity::Critical => "crit",
            SysLogSeverity::Error => "err",
            SysLogSeverity::Warning => "warning",
            SysLogSeverity::Notice => "notice",
            SysLogSeverity::Info => "info",
            SysLogSeverity::Debug => "debug",
        }
    }

    /// The severity of one of Python's `priority_names`, deprecated
    /// aliases included (`error`, `panic`, `warn`, `critical`); exact and
    /// lower case, as Python looks them up.
    ///
    /// ```
    /// use lumber::SysLogSeverity;
    /// assert_eq!(SysLogSeverity::from_name("panic"), Some(SysLogSeverity::Emergency));
    /// assert_eq!(SysLogSeverity::from_name("critical"), Some(SysLogSeverity::Critical));
    /// assert_eq!(SysLogSeverity::from_name("fatal"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<SysLogSeverity> {
        Some(match name {
            "alert" => SysLogSeverity::Alert,
            "crit" | "critical" => SysLogSeverity::Critical,
            "debug" => SysLogSeverity::Debug,
            "emerg" | "panic" => SysLogSeverity::Emergency,
            "err" | "error" => SysLogSeverity::Error,
            "info" => SysLogSeverity::Info,
            "notice" => SysLogSeverity::Notice,
            "warn" | "warning" => SysLogSeverity::Warning,
            _ => return None,
        })
    }

    /// The default map from levels to severities: Python's for the
    /// standard levels, and by range for the others.
    ///
    /// | level                          | severity        |
    /// |--------------------------------|-----------------|
    /// | below 20 (`TRACE`, `DEBUG`, …) | `debug` (7)     |
    /// | 20 (`INFO`)                    | `info` (6)      |
    /// | 21–29 (e.g. a custom `NOTICE`) | `notice` (5)    |
    /// | 30–39 (`WARNING`)              | `warning` (4)   |
    /// | 40–49 (`ERROR`)                | `err` (3)       |
    /// | 50 and above (`CRITICAL`, …)   | `crit` (2)      |
    ///
    /// `alert` and `emerg` are never chosen: daemons commonly broadcast
    /// `emerg` to every terminal. Map to them with
    /// [`crate::SysLogBuilder::severity_map`]. This is the map lumber's
    /// structured formatters use for their syslog severities too.
    ///
    /// Python maps by level *name*, and anything it does not know to
    /// `warning`; [`SysLogSeverity::python`] does exactly that.
    ///
    /// ```
    /// use lumber::{Level, SysLogSeverity};
    /// assert_eq!(SysLogSeverity::from_level(Level::TRACE), SysLogSeverity::Debug);
    /// assert_eq!(SysLogSeverity::from_level(Level::INFO), SysLogSeverity::Info);
    /// assert_eq!(SysLogSeverity::from_level(Level::new(25)), SysLogSeverity::Notice);
    /// assert_eq!(SysLogSeverity::from_level(Level::CRITICAL), SysLogSeverity::Critical);
    /// assert_eq!(SysLogSeverity::from_level(Level::new(70)), SysLogSeverity::Critical);
    /// ```
    pub fn from_level(level: Level) -> SysLogSeverity {
        SEVERITIES
            .get(usize::from(crate::handler::syslog_severity(level)))
            .copied()
            .unwrap_or(SysLogSeverity::Critical)
    }

    /// Python's `SysLogHandler.mapPriority`: by the level's name, `DEBUG`,
    /// `INFO`, `WARNING`, `ERROR` and `CRITICAL` to `debug`, `info`,
    /// `warning`, `error` and `critical`; any other name (`TRACE`,
    /// `Level 25`, a custom name) to `warning`.
    ///
    /// ```
    /// use lumber::{Level, SysLogSeverity};
    /// assert_eq!(SysLogSeverity::python(Level::DEBUG), SysLogSeverity::Debug);
    /// assert_eq!(SysLogSeverity::python(Level::TRACE), SysLogSeverity::Warning);
    /// assert_eq!(SysLogSeverity::python(Level::new(45)), SysLogSeverity::Warning);
    /// ```
    pub fn python(level: Level) -> SysLogSeverity {
        match &*level.name() {
            "DEBUG" => SysLogSeverity::Debug,
            "INFO" => SysLogSeverity::Info,
            "ERROR" => SysLogSeverity::Error,
            "CRITICAL" => SysLogSeverity::Critical,
            _ => SysLogSeverity::Warning,
        }
    }
}

impl fmt::Display for SysLogSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for SysLogSeverity {
    type Err = ParseSysLogError;

    /// A name of Python's `priority_names`, in any case, or a number.
    fn from_str(s: &str) -> Result<SysLogSeverity, ParseSysLogError> {
        let lower = s.trim().to_ascii_lowercase();
        SysLogSeverity::from_name(&lower)
            .or_else(|| lower.parse().ok().and_then(SysLogSeverity::from_code))
            .ok_or_else(|| ParseSysLogError {
                what: "severity",
                name: s.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facility_table_matches_python() {
        // python3 -c 'import logging.handlers as h; print(sorted(h.SysLogHandler.facility_names.items(), key=lambda x: x[1]))'
        let python = [
            ("kern", 0),
            ("user", 1),
            ("mail", 2),
            ("daemon", 3),
            ("auth", 4),
            ("syslog", 5),
            ("lpr", 6),
            ("news", 7),
            ("uucp", 8),
            ("cron", 9),
            ("authpriv", 10),
            ("ftp", 11),
            ("ntp", 12),
            ("security", 13),
            ("console", 14),
            ("solaris-cron", 15),
            ("local0", 16),
            ("local1", 17),
            ("local2", 18),
            ("local3", 19),
            ("local4", 20),
            ("local5", 21),
            ("local6", 22),
            ("local7", 23),
        ];
        for (name, code) in python {
            let f = SysLogFacility::from_name(name).unwrap();
            assert_eq!(f.code(), code, "{name}");
            assert_eq!(f.name(), name);
            assert_eq!(SysLogFacility::from_code(code), Some(f));
        }
    }

    #[test]
    fn severity_names_match_python() {
        let python = [
            ("alert", 1),
            ("crit", 2),
            ("critical", 2),
            ("debug", 7),
            ("emerg", 0),
            ("err", 3),
            ("error", 3),
            ("info", 6),
            ("notice", 5),
            ("panic", 0),
            ("warn", 4),
            ("warning", 4),
        ];
        for (name, code) in python {
            assert_eq!(
                SysLogSeverity::from_name(name).unwrap().code(),
                code,
                "{name}"
            );
        }
        for code in 0..8 {
            let s = SysLogSeverity::from_code(code).unwrap();
            assert_eq!(SysLogSeverity::from_name(s.name()), Some(s));
        }
    }

    #[test]
    fn parsing_accepts_numbers_and_any_case() {
        assert_eq!(
            "LOCAL0".parse::<SysLogFacility>(),
            Ok(SysLogFacility::Local0)
        );
        assert_eq!("16".parse::<SysLogFacility>(), Ok(SysLogFacility::Local0));
        assert!("99".parse::<SysLogFacility>().is_err());
        assert_eq!("Err".parse::<SysLogSeverity>(), Ok(SysLogSeverity::Error));
        assert_eq!("0".parse::<SysLogSeverity>(), Ok(SysLogSeverity::Emergency));
        assert!("".parse::<SysLogSeverity>().is_err());
    }

    #[test]
    fn python_map_priority() {
        assert_eq!(SysLogSeverity::python(Level::INFO), SysLogSeverity::Info);
        assert_eq!(
            SysLogSeverity::python(Level::WARNING),
            SysLogSeverity::Warning
        );
        assert_eq!(SysLogSeverity::python(Level::ERROR), SysLogSeverity::Error);
        assert_eq!(
            SysLogSeverity::python(Level::CRITICAL),
            SysLogSeverity::Critical
        );
        assert_eq!(
            SysLogSeverity::python(Level::NOTSET),
            SysLogSeverity::Warning
        );
        assert_eq!(SysLogSeverity::python(Level::MAX), SysLogSeverity::Warning);
    }

    #[test]
    fn range_map_covers_every_level() {
        let mut last = SysLogSeverity::Debug;
        for v in (0..200).chain([u32::MAX - 1]) {
            let s = SysLogSeverity::from_level(Level::new(v));
            assert!(s <= last, "severity must not get milder as the level rises");
            last = s;
        }
        assert_eq!(
            SysLogSeverity::from_level(Level::WARNING),
            SysLogSeverity::Warning
        );
        assert_eq!(
            SysLogSeverity::from_level(Level::new(35)),
            SysLogSeverity::Warning
        );
        assert_eq!(
            SysLogSeverity::from_level(Level::new(65)),
            SysLogSeverity::Critical
        );
    }
}
