//! Time zones as glibc's `localtime_r`/`gmtime_r` see them: [`Zone`], the
//! process's local zone resolved from `TZ`, and the zone's state at an instant.

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::Tm;
use super::civil::{Civil, mktime};
use super::posix::{DefaultRules, default_rules, parse_tzname};

/// Which clock a formatter renders in.
#[derive(Debug, Clone)]
pub enum Zone {
    /// The process's local time zone, like Python's `time.localtime`.
    ///
    /// Resolved the way glibc does on first use: the `TZ` environment variable
    /// (an optional leading `:` is ignored; a TZif file under `TZDIR` or
    /// `/usr/share/zoneinfo`, or an absolute path, else a POSIX TZ string such
    /// as `EST5EDT,M3.2.0,M11.1.0`, else UTC under the name glibc parses out of
    /// it), or `/etc/localtime` when `TZ` is unset, or UTC.  The result is
    /// cached for the life of the process: changes to `TZ` after the first use
    /// are not seen (Python only sees them after `time.tzset()`).
    Local,
    /// UTC, like Python's `time.gmtime`: abbreviation `"GMT"`, offset
    /// `+0000`, and for `%s` what glibc's `mktime` makes of the UTC fields in
    /// the local zone (see [`Tm::unix_seconds`]).
    Utc,
    /// Any jiff time zone (e.g. `TimeZone::get("Europe/Berlin")`), rendered as
    /// Python's `time.localtime` would render it with `TZ` set to that zone.
    Fixed(TimeZone),
}

impl Zone {
    /// Broken-down time of `unix_seconds` (+ `nanos`) in this zone.
    ///
    /// Never panics: instants so far away that the year would not fit in an
    /// `i32` are clamped, `nanos` above 999 999 999 are clamped, and instants
    /// outside jiff's range (years beyond ±9999) use the zone's rules carried
    /// over whole 400-year Gregorian cycles, which is what glibc computes.
    pub fn tm(&self, unix_seconds: i64, nanos: u32) -> Tm {
        let t = unix_seconds.clamp(-MAX_ABS_SECONDS, MAX_ABS_SECONDS);
        let nanos = nanos.min(999_999_999);
        match self {
            Zone::Local => local_zone().tm(t, nanos),
            Zone::Fixed(tz) => {
                // See `LocalZone::info` for POSIX rules before 1970.
                let at = if t < 0 && is_posix_rule_zone(tz) {
                    0
                } else {
                    t
                };
                broken_down(jiff_info(tz, at), t, nanos)
            }
            Zone::Utc => utc_tm(local_zone(), t, nanos),
        }
    }
}

/// Instants are clamped to about ±1.9 billion years so that every year fits
/// in an `i32` even after adding an offset.
pub(super) const MAX_ABS_SECONDS: i64 = 60_000_000_000_000_000;

/// Seconds in a 400-year Gregorian cycle (a whole number of weeks too).
const CYCLE_SECONDS: i64 = 146_097 * 86_400;

/// A time zone as glibc's `localtime_r` sees it.
#[derive(Debug, Clone)]
pub(super) enum LocalZone {
    /// TZif data, or a POSIX TZ string (`posix_rule`): glibc then never
    /// applies daylight saving time rules before 1970 (see
    /// [`LocalZone::info`]).
    Jiff { tz: TimeZone, posix_rule: bool },
    /// glibc's UTC fallback for a `TZ` it cannot use, under the name it
    /// parsed from it (`TZ=Foo/Bar` is UTC called `Foo`).
    Named(String),
    /// A POSIX TZ string with a DST name but no rule (`TZ=GMT0BST`).
    DefaultRules(Box<DefaultRules>),
}

/// Offset, DST flag and abbreviation in force at an instant.
pub(super) struct ZoneInfo {
    pub(super) offset: i32,
    pub(super) dst: bool,
    pub(super) abbrev: String,
}

impl LocalZone {
    fn of(tz: TimeZone) -> LocalZone {
        LocalZone::Jiff {
            posix_rule: is_posix_rule_zone(&tz),
            tz,
        }
    }

    /// What glibc's `__tz_convert` finds for the instant `t`.
    fn info(&self, t: i64) -> ZoneInfo {
        match self {
            LocalZone::Jiff { tz, posix_rule } => {
                // glibc's `compute_change` counts the days of a POSIX rule
                // from 1970 for every year up to 1970, so before 1970 such a
                // zone stays in its state of 1970-01-01 (standard time north
                // of the equator).
                let t = if *posix_rule && t < 0 { 0 } else { t };
                jiff_info(tz, t)
            }
            LocalZone::Named(name) => ZoneInfo {
                offset: 0,
                dst: false,
                abbrev: name.clone(),
            },
            LocalZone::DefaultRules(rules) => rules.info(t),
        }
    }

    /// glibc's `localtime_r`.
    pub(super) fn tm(&self, t: i64, nanos: u32) -> Tm {
        broken_down(self.info(t), t, nanos)
    }

    /// `localtime_r` reduced to what `mktime` compares.
    pub(super) fn convert(&self, t: i64) -> (Civil, bool) {
        let info = self.info(t);
        (
            Civil::from_seconds(t.saturating_add(i64::from(info.offset))),
            info.dst,
        )
    }
}

/// The `Tm` of instant `t` in a zone whose state at `t` is `info`.
fn broken_down(info: ZoneInfo, t: i64, nanos: u32) -> Tm {
    let civil = Civil::from_seconds(t.saturating_add(i64::from(info.offset)));
    civil.into_tm(nanos, info.offset, info.abbrev, t)
}

pub(super) fn jiff_info(tz: &TimeZone, t: i64) -> ZoneInfo {
    let info = tz.to_offset_info(jiff_timestamp(t));
    ZoneInfo {
        offset: info.offset().seconds(),
        dst: info.dst().is_dst(),
        abbrev: info.abbreviation().to_string(),
    }
}

/// Converts seconds to a jiff timestamp, moving instants outside jiff's range
/// by whole 400-year cycles (beyond the last transition the POSIX footer rule
/// repeats every 400 years; before the first one nothing changes).
fn jiff_timestamp(t: i64) -> Timestamp {
    let lo = Timestamp::MIN.as_second() + 86_400;
    let hi = Timestamp::MAX.as_second() - 86_400;
    let t = if t > hi {
        t - ((t - hi) / CYCLE_SECONDS + 1) * CYCLE_SECONDS
    } else if t < lo {
        t + ((lo - t) / CYCLE_SECONDS + 1) * CYCLE_SECONDS
    } else {
        t
    };
    Timestamp::from_second(t).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// True for a zone built from a POSIX TZ string with daylight saving time:
/// only such a zone has transitions in the year 1500 (TZif data starts with
/// local mean time in the 19th century).
fn is_posix_rule_zone(tz: &TimeZone) -> bool {
    const YEAR_1500: i64 = -14_831_769_600;
    const YEAR_1501: i64 = YEAR_1500 + 365 * 86_400;
    let Ok(start) = Timestamp::from_second(YEAR_1500) else {
        return false;
    };
    tz.following(start)
        .next()
        .is_some_and(|tr| tr.timestamp().as_second() < YEAR_1501)
}

/// The process's local zone, resolved once.
fn local_zone() -> &'static LocalZone {
    static LOCAL: OnceLock<LocalZone> = OnceLock::new();
    LOCAL.get_or_init(|| {
        let tz_env = std::env::var("TZ").ok();
        let tzdir = std::env::var("TZDIR").ok();
        resolve_tz(tz_env.as_deref(), tzdir.as_deref())
    })
}

/// glibc's `tzset_internal` for `TZ` set to `tz_env` (`None`: unset) and
/// `TZDIR` set to `tzdir`: a TZif file, else a POSIX TZ string, else UTC.
pub(super) fn resolve_tz(tz_env: Option<&str>, tzdir: Option<&str>) -> LocalZone {
    const TZDEFAULT: &str = "/etc/localtime";
    let spec = match tz_env {
        None => TZDEFAULT,
        Some("") => "Universal",
        Some(v) => v.strip_prefix(':').unwrap_or(v),
    };
    let tzdir = tzdir
        .filter(|d| !d.is_empty())
        .unwrap_or("/usr/share/zoneinfo");
    let utc = || LocalZone::Named("UTC".to_string());
    if spec.is_empty() {
        return utc();
    }
    if spec == TZDEFAULT {
        return read_tzif(TZDEFAULT, spec).map_or_else(utc, LocalZone::of);
    }
    let path = if spec.starts_with('/') {
        spec.to_string()
    } else {
        format!("{tzdir}/{spec}")
    };
    if let Some(tz) = read_tzif(&path, spec) {
        return LocalZone::of(tz);
    }
    if let Ok(tz) = TimeZone::posix(spec) {
        return LocalZone::of(tz);
    }
    if let Some(rules) = default_rules(spec, tzdir) {
        return LocalZone::DefaultRules(Box::new(rules));
    }
    // Without a `posixrules` file glibc falls back to the US rules.
    let trimmed = spec.strip_suffix(',').unwrap_or(spec);
    if let Ok(tz) = TimeZone::posix(&format!("{trimmed},M3.2.0,M11.1.0")) {
        return LocalZone::of(tz);
    }
    LocalZone::Named(parse_tzname(spec).map_or_else(String::new, |(name, _)| name.to_string()))
}

fn read_tzif(path: &str, name: &str) -> Option<TimeZone> {
    let data = std::fs::read(path).ok()?;
    TimeZone::tzif(name, &data).ok()
}

/// glibc's `gmtime_r`, plus the `mktime` of its fields for `%s`.
pub(super) fn utc_tm(local: &LocalZone, t: i64, nanos: u32) -> Tm {
    let civil = Civil::from_seconds(t);
    let mktime = mktime(local, &civil, 0);
    civil.into_tm(nanos, 0, "GMT".to_string(), mktime)
}
