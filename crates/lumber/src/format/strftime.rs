//! Timestamps rendered exactly like CPython 3.11's `time.strftime` on Linux.
//!
//! Python's `logging.Formatter.formatTime` calls
//! `time.strftime(datefmt, time.localtime(created))` (or `time.gmtime` when
//! the formatter's converter is `gmtime`).  On Linux that is glibc's
//! `strftime` in the C locale, fed the `struct tm` glibc's `localtime_r` or
//! `gmtime_r` produced.  This module reproduces both halves:
//!
//! * [`Zone::tm`] is `localtime_r`/`gmtime_r`: it breaks a Unix time down into
//!   a [`Tm`] the way glibc does, including the process's `TZ` handling, the
//!   `"GMT"` abbreviation of `gmtime`, and what glibc's `mktime` makes of the
//!   fields (which is what `%s` prints);
//! * [`Strftime`] is glibc's `wcsftime` (which Python calls) followed by
//!   Python's buffer loop: every conversion, the `_ - 0 ^ #` flags, field
//!   widths, the `E`/`O` modifiers, unknown conversions (copied through,
//!   padded and case-converted like glibc does), a trailing lone `%`, and
//!   Python's rule that an output of 256 times the pattern's length (in
//!   characters) or more comes out as an empty string.
//!
//! Not reproduced: Python raises `ValueError` for a pattern containing NUL,
//! where this module copies the NUL through; `%^` on a non-ASCII character
//! uppercases it as a UTF-8 `LC_CTYPE` does (Python's default), not as
//! `LC_ALL=C` would (no change); glibc's integer overflows for years beyond
//! about ±5.8 million; and glibc's own history-dependence for POSIX TZ
//! strings with a DST name but no rule (see `DefaultRules`).

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Broken-down time, like C's `struct tm` plus what `%z`, `%Z` and `%s` need.
///
/// [`Zone::tm`] fills it the way glibc's `localtime_r`/`gmtime_r` fill a
/// `struct tm`; it can also be built by hand.  [`Strftime::format`] never
/// panics whatever the fields hold: out-of-range weekdays and months print as
/// `?`, like glibc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tm {
    /// Full year (`tm_year + 1900`); may be below 1000, above 9999 or negative.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59 (60 for a leap second in a hand-made `Tm`).
    pub second: u8,
    /// Nanoseconds within the second; no glibc conversion prints it.
    pub nanosecond: u32,
    /// Day of the week, 0 = Sunday … 6 = Saturday.
    pub weekday: u8,
    /// Day of the year, 1–366 (one more than C's `tm_yday`).
    pub yday: u16,
    /// Offset from UTC in seconds, east positive (`tm_gmtoff`); `%z` prints it
    /// truncated to whole minutes.
    pub utc_offset: i32,
    /// Time zone abbreviation (`tm_zone`), printed by `%Z`: `"GMT"` for
    /// [`Zone::Utc`] (glibc's `gmtime`), `"UTC"` for a local zone of UTC.
    pub zone: String,
    /// What `%s` prints: the seconds since the epoch that glibc's `mktime`
    /// computes back from these fields in the process's local zone.  For
    /// [`Zone::Local`] and [`Zone::Fixed`] that is the instant itself.  For
    /// [`Zone::Utc`] it is the UTC wall clock read as local standard time, so
    /// when the process's zone is not UTC it is off by the local offset —
    /// exactly what Python prints for `time.strftime('%s', time.gmtime(t))`.
    pub unix_seconds: i64,
}

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
const MAX_ABS_SECONDS: i64 = 60_000_000_000_000_000;

/// Seconds in a 400-year Gregorian cycle (a whole number of weeks too).
const CYCLE_SECONDS: i64 = 146_097 * 86_400;

/// A time zone as glibc's `localtime_r` sees it.
#[derive(Debug, Clone)]
enum LocalZone {
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

/// What glibc's `__tzfile_default` makes of a POSIX TZ string with a DST
/// name but no rule: the transitions of the `posixrules` file (normally
/// America/New_York), shifted to the string's offsets and names, and from the
/// file's last transition on, the file's own footer rule (so `EST`/`EDT`).
#[derive(Debug, Clone)]
struct DefaultRules {
    /// Standard and DST names.
    names: [String; 2],
    /// Standard and DST offsets, seconds east.
    offsets: [i32; 2],
    /// Transition instants, ascending, and whether each one starts DST.
    transitions: Vec<(i64, bool)>,
    /// The file's footer rule.
    footer: Option<TimeZone>,
}

/// Offset, DST flag and abbreviation in force at an instant.
struct ZoneInfo {
    offset: i32,
    dst: bool,
    abbrev: String,
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
    fn tm(&self, t: i64, nanos: u32) -> Tm {
        broken_down(self.info(t), t, nanos)
    }

    /// `localtime_r` reduced to what `mktime` compares.
    fn convert(&self, t: i64) -> (Civil, bool) {
        let info = self.info(t);
        (
            Civil::from_seconds(t.saturating_add(i64::from(info.offset))),
            info.dst,
        )
    }
}

impl DefaultRules {
    /// glibc's `__tzfile_compute` on the rewritten `posixrules` data.
    fn info(&self, t: i64) -> ZoneInfo {
        let dst = match self.transitions.last() {
            Some(&(last, _)) if t >= last => {
                if let Some(footer) = &self.footer {
                    return jiff_info(footer, t);
                }
                self.transitions.last().is_some_and(|&(_, dst)| dst)
            }
            _ => {
                let after = self.transitions.partition_point(|&(at, _)| at <= t);
                after
                    .checked_sub(1)
                    .and_then(|i| self.transitions.get(i))
                    .is_some_and(|&(_, dst)| dst)
            }
        };
        let which = usize::from(dst);
        ZoneInfo {
            offset: self.offsets.get(which).copied().unwrap_or(0),
            dst,
            abbrev: self.names.get(which).cloned().unwrap_or_default(),
        }
    }
}

/// The `Tm` of instant `t` in a zone whose state at `t` is `info`.
fn broken_down(info: ZoneInfo, t: i64, nanos: u32) -> Tm {
    let civil = Civil::from_seconds(t.saturating_add(i64::from(info.offset)));
    civil.into_tm(nanos, info.offset, info.abbrev, t)
}

fn jiff_info(tz: &TimeZone, t: i64) -> ZoneInfo {
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
fn resolve_tz(tz_env: Option<&str>, tzdir: Option<&str>) -> LocalZone {
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

/// glibc's `parse_tzname`: three or more ASCII letters, or `<…>` quoting
/// three or more letters, digits, `+` or `-`.  Returns the name and the rest.
fn parse_tzname(spec: &str) -> Option<(&str, &str)> {
    let alpha = spec.bytes().take_while(u8::is_ascii_alphabetic).count();
    if alpha >= 3 {
        return Some((spec.get(..alpha)?, spec.get(alpha..)?));
    }
    let rest = spec.strip_prefix('<')?;
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'-')
        .count();
    let after = rest.get(len..)?.strip_prefix('>')?;
    (len >= 3).then_some((rest.get(..len)?, after))
}

/// glibc's `parse_offset`: `[+-]hh[:mm[:ss]]`, west positive; returns
/// seconds east and the rest, or `None` if no hours were found.
fn parse_offset(spec: &str) -> Option<(i32, &str)> {
    let (sign, mut rest) = match spec.as_bytes().first() {
        Some(b'-') => (1, spec.get(1..)?),
        Some(b'+') => (-1, spec.get(1..)?),
        _ => (-1, spec),
    };
    let mut total = 0;
    for (i, (max, unit)) in [(24, 3600), (59, 60), (59, 1)].into_iter().enumerate() {
        let field = if i == 0 {
            rest
        } else {
            match rest.strip_prefix(':') {
                Some(field) if field.starts_with(|c: char| c.is_ascii_digit()) => field,
                _ => break,
            }
        };
        let digits = field.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let value: i32 = field.get(..digits)?.parse().unwrap_or(i32::MAX);
        total += value.min(max) * unit;
        rest = field.get(digits..)?;
    }
    Some((sign * total, rest))
}

/// glibc's `__tzset_parse_tz` + `__tzfile_default` for `std offset dst
/// [offset]` with no rule: the `posixrules` file's transitions rewritten.
fn default_rules(spec: &str, tzdir: &str) -> Option<DefaultRules> {
    let (std_name, rest) = parse_tzname(spec)?;
    if !rest.starts_with(|c: char| c == '+' || c == '-' || c.is_ascii_digit()) {
        return None;
    }
    let (std_off, rest) = parse_offset(rest)?;
    let (dst_name, rest) = parse_tzname(rest)?;
    let (dst_off, rest) = parse_offset(rest).unwrap_or((std_off + 3600, rest));
    if !rest.is_empty() && rest != "," {
        return None;
    }
    let file = Tzif::parse(&std::fs::read(format!("{tzdir}/posixrules")).ok()?)?;
    if file.types.len() < 2 {
        return None;
    }
    let type_of = |i: u8| file.types.get(usize::from(i));
    // The file's standard offset: that of its last standard-time transition.
    // Its DST offset, which glibc 2.36 as patched by Debian no longer
    // computes, is whatever the previous parse left.  glibc parses `TZ` again
    // on every `tzset` and `mktime` (so on Python's `time.tzset()`,
    // `time.mktime()` and `%s`), and from the second parse on that is the
    // string's own DST offset: DST then ends at the file's UTC instants.  We
    // reproduce that settled state, not the first parse (where it is 0).
    let rule_std = match file.transitions.is_empty() {
        true => file.types.first().map_or(0, |ty| ty.offset),
        false => file
            .transitions
            .iter()
            .rev()
            .filter_map(|&(_, ty)| type_of(ty))
            .find(|ty| !ty.dst)
            .map_or(0, |ty| ty.offset),
    };
    let rule_dst = dst_off;
    let mut in_dst = false;
    let mut transitions = Vec::with_capacity(file.transitions.len());
    for &(at, ty) in &file.transitions {
        let ty = type_of(ty)?;
        let shift = if ty.ut {
            0
        } else if in_dst && !ty.std {
            i64::from(dst_off) - i64::from(rule_dst)
        } else {
            i64::from(std_off) - i64::from(rule_std)
        };
        let at = at.saturating_add(shift);
        transitions.push((at, ty.dst));
        in_dst = ty.dst;
    }
    Some(DefaultRules {
        names: [std_name.to_string(), dst_name.to_string()],
        offsets: [std_off, dst_off],
        transitions,
        footer: file.footer.and_then(|f| TimeZone::posix(&f).ok()),
    })
}

/// The parts of a TZif file `__tzfile_default` uses.
struct Tzif {
    /// Transition instants and the index of the type each one starts.
    transitions: Vec<(i64, u8)>,
    types: Vec<TzifType>,
    footer: Option<String>,
}

struct TzifType {
    offset: i32,
    dst: bool,
    /// The transition is given in standard time (`isstd`).
    std: bool,
    /// The transition is given in UT (`isut`).
    ut: bool,
}

impl Tzif {
    fn parse(data: &[u8]) -> Option<Tzif> {
        const HEADER: usize = 44;
        // The six counts of the header at `at`, in file order: isutcnt,
        // isstdcnt, leapcnt, timecnt, typecnt, charcnt.
        let header = |at: usize| -> Option<[usize; 6]> {
            let block = data.get(at..at.checked_add(HEADER)?)?;
            if block.get(..4)? != b"TZif" {
                return None;
            }
            let mut counts = [0usize; 6];
            for (count, field) in counts.iter_mut().zip(block.get(20..)?.chunks_exact(4)) {
                *count = usize::try_from(u32::from_be_bytes(field.try_into().ok()?)).ok()?;
            }
            Some(counts)
        };
        // Bytes of a data block with `width`-byte times.
        let block_len = |[isut, isstd, leap, time, types, chars]: [usize; 6], width: usize| {
            [
                time.checked_mul(width + 1)?,
                types.checked_mul(6)?,
                chars,
                leap.checked_mul(width + 4)?,
                isstd,
                isut,
            ]
            .into_iter()
            .try_fold(0usize, usize::checked_add)
        };
        let v1 = header(0)?;
        let (start, width, counts) = if data.get(4).is_some_and(|v| *v >= b'2') {
            let v2_at = HEADER.checked_add(block_len(v1, 4)?)?;
            (v2_at.checked_add(HEADER)?, 8, header(v2_at)?)
        } else {
            (HEADER, 4, v1)
        };
        let [isut, isstd, leap, time, types, chars] = counts;
        block_len(counts, width)?;
        let mut at = start;
        let mut take = |n: usize| -> Option<&[u8]> {
            let end = at.checked_add(n)?;
            let slice = data.get(at..end)?;
            at = end;
            Some(slice)
        };
        let times = take(time * width)?;
        let indices = take(time)?;
        let infos = take(types * 6)?;
        take(chars + leap * (width + 4))?;
        let std_flags = take(isstd)?;
        let ut_flags = take(isut)?;
        let footer = data
            .get(at..)
            .and_then(|rest| rest.strip_prefix(b"\n"))
            .and_then(|rest| rest.split(|&b| b == b'\n').next())
            .and_then(|f| std::str::from_utf8(f).ok())
            .filter(|f| !f.is_empty())
            .map(str::to_string);
        let transitions = times
            .chunks_exact(width)
            .zip(indices)
            .map(|(t, &ty)| {
                let t = match *t {
                    [a, b, c, d] => i64::from(i32::from_be_bytes([a, b, c, d])),
                    _ => i64::from_be_bytes(t.try_into().unwrap_or_default()),
                };
                (t, ty)
            })
            .collect();
        let types = infos
            .chunks_exact(6)
            .enumerate()
            .map(|(i, info)| {
                let (offset, dst) = match *info {
                    [a, b, c, d, dst, _] => (i32::from_be_bytes([a, b, c, d]), dst != 0),
                    _ => (0, false),
                };
                TzifType {
                    offset,
                    dst,
                    std: std_flags.get(i).is_some_and(|&f| f != 0),
                    ut: ut_flags.get(i).is_some_and(|&f| f != 0),
                }
            })
            .collect();
        Some(Tzif {
            transitions,
            types,
            footer,
        })
    }
}

/// glibc's `gmtime_r`, plus the `mktime` of its fields for `%s`.
fn utc_tm(local: &LocalZone, t: i64, nanos: u32) -> Tm {
    let civil = Civil::from_seconds(t);
    let mktime = mktime(local, &civil, 0);
    civil.into_tm(nanos, 0, "GMT".to_string(), mktime)
}

/// A proleptic Gregorian calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// 0 = Sunday.
    weekday: u8,
    /// 0-based, like `tm_yday`.
    yday: u16,
}

impl Civil {
    /// Splits seconds since 1970-01-01T00:00 (of whatever clock) into fields.
    fn from_seconds(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let yday = days - days_from_civil(year, 1, 1);
        Civil {
            year,
            month: narrow(i64::from(month)),
            day: narrow(i64::from(day)),
            hour: narrow(sod / 3600),
            minute: narrow(sod / 60 % 60),
            second: narrow(sod % 60),
            weekday: narrow((days + 4).rem_euclid(7)),
            yday: u16::try_from(yday).unwrap_or(0),
        }
    }

    /// Seconds since 1970-01-01T00:00 of the same clock (glibc's
    /// `ydhms_diff` against the epoch).
    fn seconds(&self) -> i64 {
        let days = days_from_civil(self.year, 1, 1) + i64::from(self.yday);
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    fn into_tm(self, nanos: u32, utc_offset: i32, zone: String, unix_seconds: i64) -> Tm {
        Tm {
            year: i32::try_from(self.year).unwrap_or(if self.year < 0 {
                i32::MIN
            } else {
                i32::MAX
            }),
            month: self.month,
            day: self.day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
            nanosecond: nanos,
            weekday: self.weekday,
            yday: self.yday + 1,
            utc_offset,
            zone,
            unix_seconds,
        }
    }
}

/// Narrows a value known to be small (a field of a date) to `u8`.
fn narrow(v: i64) -> u8 {
    u8::try_from(v).unwrap_or(0)
}

/// (year, month, day) of a day number counted from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// Day number counted from 1970-01-01 of a (year, month, day).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// glibc 2.36's `__mktime_internal` (with Debian's one-hour fallback) for
/// fields that carry no leap second: the instant whose local time in `local`
/// is `req`, preferring `tm_isdst == isdst`.  Starts from the offset guess 0,
/// as glibc's first call in a process does.
fn mktime(local: &LocalZone, req: &Civil, isdst: i32) -> i64 {
    let isdst_differ = |a: i32, b: bool| a >= 0 && (a == 0) == b;
    let target = req.seconds();
    let mut t = target;
    let (mut t1, mut t2) = (t, t);
    let mut dst2 = false;
    let mut probes = 6;
    let (found_t, tm_dst) = loop {
        let (tm, tm_dst) = local.convert(t);
        let dt = target - tm.seconds();
        if dt == 0 {
            break (t, tm_dst);
        }
        let oscillating = t == t1
            && t != t2
            && if isdst < 0 {
                dst2 <= tm_dst
            } else {
                (isdst != 0) != tm_dst
            };
        if oscillating {
            // A spring-forward gap: glibc returns the probe whose DST flag
            // differs from the one requested, skipping the search below.
            return t;
        }
        probes -= 1;
        if probes == 0 {
            return -1;
        }
        t1 = t2;
        t2 = t;
        t = t.saturating_add(dt);
        dst2 = tm_dst;
    };
    if !isdst_differ(isdst, tm_dst) {
        return found_t;
    }
    const STRIDE: i64 = 601_200;
    const DELTA_BOUND: i64 = 457_243_209 / 2 + STRIDE;
    let mut delta = STRIDE;
    while delta < DELTA_BOUND {
        for direction in [-1, 1] {
            let ot = found_t.saturating_add(delta * direction);
            let (otm, otm_dst) = local.convert(ot);
            if !isdst_differ(isdst, otm_dst) {
                return ot.saturating_add(target - otm.seconds());
            }
        }
        delta += STRIDE;
    }
    let dst_difference = i64::from(isdst == 0) - i64::from(!tm_dst);
    found_t.saturating_add(3600 * dst_difference)
}

/// A strftime pattern compiled once.
///
/// Never fails: directives glibc does not know are output as glibc outputs
/// them (`%f` prints `%f`, `%5Q` prints `  %5Q`, a trailing `%` prints `%`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strftime {
    items: Vec<Item>,
    /// Python's final buffer size in characters: outputs this long or longer
    /// come out empty.
    limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Text copied as is, and its length in characters.
    Literal(String, usize),
    Directive(Directive),
}

/// One `%` conversion with its glibc flags.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    conv: Conv,
    /// The last of the `_`, `-`, `0` flags, or 0.
    pad: u8,
    /// The `^` flag.
    upcase: bool,
    /// The `#` flag.
    change_case: bool,
    /// Field width, -1 when none (saturates at `i32::MAX` like glibc).
    width: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Conv {
    Percent,
    AbbrWeekday,
    FullWeekday,
    AbbrMonth,
    FullMonth,
    DateTime,
    Century,
    Date,
    Day,
    DaySpace,
    IsoDate,
    Hour,
    Hour12,
    HourSpace,
    Hour12Space,
    YearDay,
    Minute,
    Month,
    Newline,
    AmPm,
    AmPmLower,
    HourMinute,
    Time12,
    Second,
    Epoch,
    Time,
    Tab,
    WeekdayMon1,
    WeekSun,
    IsoWeek,
    IsoYear2,
    IsoYear,
    WeekMon,
    WeekdaySun0,
    Year,
    Year2,
    ZoneName,
    ZoneOffset,
    /// An unknown or malformed directive: glibc's `bad_format` copies its
    /// text from the `%` through the conversion character (or what there is
    /// of it at the end of the pattern), padded and case-converted.
    Bad(String),
}

const ABDAY: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const ABMON: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MON: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Strftime {
    /// Compiles `pattern`, parsing it the way glibc's `strftime` walks its
    /// format.  Never fails.
    pub fn new(pattern: &str) -> Strftime {
        let bytes = pattern.as_bytes();
        let mut items = Vec::new();
        let mut literal = String::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes.get(i) != Some(&b'%') {
                let end = bytes
                    .iter()
                    .skip(i)
                    .position(|&b| b == b'%')
                    .map_or(bytes.len(), |n| i + n);
                literal.push_str(pattern.get(i..end).unwrap_or_default());
                i = end;
                continue;
            }
            let (directive, next) = parse_directive(pattern, i);
            i = next;
            match directive {
                // Plain literal output folds into the surrounding text.
                Directive {
                    conv: Conv::Bad(text),
                    width: -1,
                    upcase: false,
                    ..
                } => literal.push_str(&text),
                Directive {
                    conv: Conv::Percent,
                    width: -1,
                    ..
                } => literal.push('%'),
                directive => {
                    if !literal.is_empty() {
                        let text = std::mem::take(&mut literal);
                        let n = text.chars().count();
                        items.push(Item::Literal(text, n));
                    }
                    items.push(Item::Directive(directive));
                }
            }
        }
        if !literal.is_empty() {
            let n = literal.chars().count();
            items.push(Item::Literal(literal, n));
        }
        Strftime {
            items,
            limit: python_buffer_limit(pattern.chars().count()),
        }
    }

    /// Appends the rendering of `tm` to `out`, byte-identical to Python 3.11's
    /// `time.strftime` on Linux/glibc in the C locale (with a UTF-8
    /// `LC_CTYPE`, as Python sets up by default).  Like Python, appends
    /// nothing when the rendering would not fit the largest buffer Python
    /// tries (1024 characters, doubled until at least 256 times the
    /// pattern's length in characters).
    pub fn format(&self, tm: &Tm, out: &mut String) {
        let base = out.len();
        let mut sink = Sink {
            buf: out,
            count: 0,
            limit: self.limit,
            failed: false,
        };
        for item in &self.items {
            match item {
                Item::Literal(text, n) => sink.put(text, *n, -1, 0, Case::Keep),
                Item::Directive(d) => render(d, tm, &mut sink),
            }
            if sink.failed {
                break;
            }
        }
        if sink.failed {
            out.truncate(base);
        }
    }

    /// True if the output can change within one second.  glibc has no
    /// sub-second conversion, so this is always false: callers may cache the
    /// rendering per second.
    pub fn sub_second(&self) -> bool {
        false
    }
}

/// Python's `time.strftime` calls `wcsftime` with buffers of 1024, 2048, …
/// wide characters and gives up (returning `''`) once the buffer is at least
/// 256 times the format's length; glibc needs room for the terminating NUL.
fn python_buffer_limit(pattern_chars: usize) -> u64 {
    let wanted = u64::try_from(pattern_chars)
        .unwrap_or(u64::MAX)
        .saturating_mul(256);
    let mut size: u64 = 1024;
    while size < wanted {
        size = size.saturating_mul(2);
    }
    size
}

/// Parses the directive starting at the `%` at `start`; returns it and the
/// index just past it.
fn parse_directive(pattern: &str, start: usize) -> (Directive, usize) {
    let bytes = pattern.as_bytes();
    let mut f = start + 1;
    let mut pad = 0u8;
    let mut upcase = false;
    let mut change_case = false;
    loop {
        match bytes.get(f) {
            Some(&c @ (b'_' | b'-' | b'0')) => pad = c,
            Some(b'^') => upcase = true,
            Some(b'#') => change_case = true,
            _ => break,
        }
        f += 1;
    }
    let mut width: i32 = -1;
    if bytes.get(f).is_some_and(u8::is_ascii_digit) {
        width = 0;
        while let Some(&c) = bytes.get(f).filter(|c| c.is_ascii_digit()) {
            width = width
                .checked_mul(10)
                .and_then(|w| w.checked_add(i32::from(c - b'0')))
                .unwrap_or(i32::MAX);
            f += 1;
        }
    }
    let modifier = match bytes.get(f) {
        Some(&c @ (b'E' | b'O')) => {
            f += 1;
            c
        }
        _ => 0,
    };
    let mut d = Directive {
        conv: Conv::Percent,
        pad,
        upcase,
        change_case,
        width,
    };
    let Some(&c) = bytes.get(f) else {
        // "%" at the end of the format: glibc copies what it has seen.
        d.conv = Conv::Bad(pattern.get(start..).unwrap_or_default().to_string());
        return (d, bytes.len());
    };
    let (e, o, any) = (modifier == b'E', modifier == b'O', modifier != 0);
    let conv = match c {
        b'%' => Some(Conv::Percent),
        b'a' if !any => Some(Conv::AbbrWeekday),
        b'A' if !any => Some(Conv::FullWeekday),
        b'b' | b'h' => {
            // glibc applies '#' before it rejects %Eb.
            d.upcase |= d.change_case;
            (!e).then_some(Conv::AbbrMonth)
        }
        b'B' if !e => Some(Conv::FullMonth),
        b'c' if !o => Some(Conv::DateTime),
        b'C' => Some(Conv::Century),
        b'x' if !o => Some(Conv::Date),
        b'D' if !any => Some(Conv::Date),
        b'd' if !e => Some(Conv::Day),
        b'e' if !e => Some(Conv::DaySpace),
        b'F' if !any => Some(Conv::IsoDate),
        b'H' if !e => Some(Conv::Hour),
        b'I' if !e => Some(Conv::Hour12),
        b'k' if !e => Some(Conv::HourSpace),
        b'l' if !e => Some(Conv::Hour12Space),
        b'j' if !e => Some(Conv::YearDay),
        b'M' if !e => Some(Conv::Minute),
        b'm' if !e => Some(Conv::Month),
        b'n' => Some(Conv::Newline),
        b'p' => Some(Conv::AmPm),
        b'P' => Some(Conv::AmPmLower),
        b'R' => Some(Conv::HourMinute),
        b'r' => Some(Conv::Time12),
        b'S' if !e => Some(Conv::Second),
        b's' => Some(Conv::Epoch),
        b'X' if !o => Some(Conv::Time),
        b'T' => Some(Conv::Time),
        b't' => Some(Conv::Tab),
        b'u' => Some(Conv::WeekdayMon1),
        b'U' if !e => Some(Conv::WeekSun),
        b'V' if !e => Some(Conv::IsoWeek),
        b'g' if !e => Some(Conv::IsoYear2),
        b'G' if !e => Some(Conv::IsoYear),
        b'W' if !e => Some(Conv::WeekMon),
        b'w' if !e => Some(Conv::WeekdaySun0),
        b'Y' if !o => Some(Conv::Year),
        b'y' => Some(Conv::Year2),
        b'Z' => Some(Conv::ZoneName),
        b'z' => Some(Conv::ZoneOffset),
        _ => None,
    };
    // The whole conversion character, which may be multibyte.
    let end = (f + 1..=bytes.len())
        .find(|&n| pattern.is_char_boundary(n))
        .unwrap_or(bytes.len());
    d.conv =
        conv.unwrap_or_else(|| Conv::Bad(pattern.get(start..end).unwrap_or_default().to_string()));
    (d, end)
}

/// Output buffer with glibc's `maxsize` check.  Python calls `wcsftime`, so
/// lengths, widths and the limit count characters (code points), not bytes.
struct Sink<'a> {
    buf: &'a mut String,
    /// Characters written since `base`.
    count: u64,
    limit: u64,
    failed: bool,
}

impl Sink<'_> {
    /// glibc's `if (n >= maxsize - i) return 0;`
    fn room(&mut self, n: u64) -> bool {
        if self.failed || self.count.saturating_add(n) >= self.limit {
            self.failed = true;
            return false;
        }
        true
    }

    fn fill(&mut self, c: char, n: i64) {
        for _ in 0..n {
            self.buf.push(c);
        }
        self.count += u64::try_from(n).unwrap_or(0);
    }

    /// glibc's `cpy` (and `add`): `s`, `n` characters long, case-converted
    /// and padded on the left to `width` with zeros (`0` flag) or spaces.
    fn put(&mut self, s: &str, n: usize, width: i32, pad: u8, case: Case) {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let delta = i64::from(width) - n;
        if !self.room(u64::try_from(n + delta.max(0)).unwrap_or(u64::MAX)) {
            return;
        }
        if delta > 0 {
            self.fill(if pad == b'0' { '0' } else { ' ' }, delta);
        }
        match case {
            Case::Keep => self.buf.push_str(s),
            Case::Lower => self.buf.extend(s.chars().map(towlower)),
            Case::Upper => self.buf.extend(s.chars().map(towupper)),
        }
        self.count += u64::try_from(n).unwrap_or(0);
    }

    /// `put` of a string whose length is not known yet.
    fn cpy(&mut self, s: &str, width: i32, pad: u8, case: Case) {
        self.put(s, s.chars().count(), width, pad, case);
    }
}

/// Case conversion glibc's `cpy` applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Keep,
    Lower,
    Upper,
}

impl Case {
    /// glibc's precedence: `to_lowcase` wins over `to_uppcase`.
    fn of(lower: bool, upper: bool) -> Case {
        if lower {
            Case::Lower
        } else if upper {
            Case::Upper
        } else {
            Case::Keep
        }
    }
}

/// glibc's `towupper` in a UTF-8 locale: Unicode's simple (one-to-one)
/// uppercase mapping.
fn towupper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        // Characters whose full mapping has several characters: their
        // simple mapping is themselves, except the Greek letters with
        // ypogegrammeni, which map to the matching prosgegrammeni letter.
        _ => match u32::from(c) {
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
                char::from_u32(u32::from(c) + 8).unwrap_or(c)
            }
            0x1FB3 | 0x1FC3 | 0x1FF3 => char::from_u32(u32::from(c) + 9).unwrap_or(c),
            _ => c,
        },
    }
}

/// glibc's `towlower` in a UTF-8 locale: Unicode's simple lowercase mapping.
fn towlower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        // Only U+0130 has a multi-character full lowercase mapping.
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

fn name<'a>(names: &[&'a str], index: i64) -> &'a str {
    usize::try_from(index)
        .ok()
        .and_then(|i| names.get(i).copied())
        .unwrap_or("?")
}

/// glibc's ISO 8601 week helper: days from the first day of the first ISO
/// week of the year to day `yday` (0-based) falling on weekday `wday`.
fn iso_week_days(yday: i64, wday: i64) -> i64 {
    let big_enough_multiple_of_7 = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + big_enough_multiple_of_7) % 7 + 3
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// (ISO year, ISO week) as glibc's `%G`/`%V` compute them.
fn iso_year_week(tm: &Tm) -> (i64, i64) {
    let mut year = i64::from(tm.year);
    let yday = i64::from(tm.yday) - 1;
    let wday = i64::from(tm.weekday);
    let mut days = iso_week_days(yday, wday);
    if days < 0 {
        year -= 1;
        days = iso_week_days(yday + 365 + i64::from(is_leap(year)), wday);
    } else {
        let d = iso_week_days(yday - (365 + i64::from(is_leap(year))), wday);
        if d >= 0 {
            year += 1;
            days = d;
        }
    }
    (year, days / 7 + 1)
}

fn hour12(hour: u8) -> i64 {
    match hour {
        0 => 12,
        h if h > 12 => i64::from(h) - 12,
        h => i64::from(h),
    }
}

/// Renders one directive at `sink`, glibc's switch in `__strftime_internal`.
fn render(d: &Directive, tm: &Tm, sink: &mut Sink<'_>) {
    let (pad, width) = (d.pad, d.width);
    let number = |sink: &mut Sink<'_>, min_digits: i32, value: i64| {
        put_number(sink, value, min_digits.max(width), pad, width);
    };
    let spacepad = |sink: &mut Sink<'_>, min_digits: i32, value: i64| {
        let pad = if pad == b'0' || pad == b'-' {
            pad
        } else {
            b'_'
        };
        put_number(sink, value, min_digits.max(width), pad, width);
    };
    let upper = Case::of(false, d.upcase);
    let upper_or_hash = Case::of(false, d.upcase || d.change_case);
    let wday = i64::from(tm.weekday);
    let mon = i64::from(tm.month) - 1;
    match &d.conv {
        Conv::Percent => sink.put("%", 1, width, pad, Case::Keep),
        Conv::Newline => sink.put("\n", 1, width, pad, Case::Keep),
        Conv::Tab => sink.put("\t", 1, width, pad, Case::Keep),
        Conv::AbbrWeekday => sink.cpy(name(&ABDAY, wday), width, pad, upper_or_hash),
        Conv::FullWeekday => sink.cpy(name(&DAY, wday), width, pad, upper_or_hash),
        // '#' was folded into `upcase` by the parser for %b and %h.
        Conv::AbbrMonth => sink.cpy(name(&ABMON, mon), width, pad, upper),
        Conv::FullMonth => sink.cpy(name(&MON, mon), width, pad, upper_or_hash),
        Conv::AmPm | Conv::AmPmLower => {
            let text = if tm.hour > 11 { "PM" } else { "AM" };
            let lower = d.change_case || d.conv == Conv::AmPmLower;
            sink.put(text, 2, width, pad, Case::of(lower, d.upcase));
        }
        Conv::ZoneName => sink.cpy(&tm.zone, width, pad, Case::of(d.change_case, d.upcase)),
        Conv::Bad(text) => sink.cpy(text, width, pad, upper),
        Conv::DateTime
        | Conv::Date
        | Conv::IsoDate
        | Conv::HourMinute
        | Conv::Time12
        | Conv::Time => {
            if width < 0 && !d.upcase {
                subformat(&d.conv, tm, sink);
            } else {
                let mut inner = String::new();
                subformat(
                    &d.conv,
                    tm,
                    &mut Sink {
                        buf: &mut inner,
                        count: 0,
                        limit: u64::MAX,
                        failed: false,
                    },
                );
                sink.cpy(&inner, width, pad, upper);
            }
        }
        Conv::Century => number(sink, 1, i64::from(tm.year).div_euclid(100)),
        Conv::Year => number(sink, 1, i64::from(tm.year)),
        Conv::Year2 => number(sink, 2, i64::from(tm.year).rem_euclid(100)),
        Conv::Day => number(sink, 2, i64::from(tm.day)),
        Conv::DaySpace => spacepad(sink, 2, i64::from(tm.day)),
        Conv::Hour => number(sink, 2, i64::from(tm.hour)),
        Conv::Hour12 => number(sink, 2, hour12(tm.hour)),
        Conv::HourSpace => spacepad(sink, 2, i64::from(tm.hour)),
        Conv::Hour12Space => spacepad(sink, 2, hour12(tm.hour)),
        Conv::YearDay => number(sink, 3, i64::from(tm.yday)),
        Conv::Minute => number(sink, 2, i64::from(tm.minute)),
        Conv::Month => number(sink, 2, i64::from(tm.month)),
        Conv::Second => number(sink, 2, i64::from(tm.second)),
        Conv::WeekdayMon1 => number(sink, 1, (wday - 1 + 7) % 7 + 1),
        Conv::WeekdaySun0 => number(sink, 1, wday),
        Conv::WeekSun => number(sink, 2, (i64::from(tm.yday) - 1 - wday + 7) / 7),
        Conv::WeekMon => number(
            sink,
            2,
            (i64::from(tm.yday) - 1 - (wday - 1 + 7) % 7 + 7) / 7,
        ),
        Conv::IsoWeek => number(sink, 2, iso_year_week(tm).1),
        Conv::IsoYear => number(sink, 1, iso_year_week(tm).0),
        Conv::IsoYear2 => number(sink, 2, iso_year_week(tm).0.rem_euclid(100)),
        // glibc pads the epoch to `width` but not to a minimum of digits.
        Conv::Epoch => put_number(sink, tm.unix_seconds, 1, pad, width),
        Conv::ZoneOffset => {
            let diff = i64::from(tm.utc_offset);
            let sign = if diff < 0 { "-" } else { "+" };
            // The sign takes the width too, then the number does again.
            sink.put(sign, 1, width, pad, Case::Keep);
            let minutes = diff.abs() / 60;
            number(sink, 4, minutes / 60 * 100 + minutes % 60);
        }
    }
}

/// The C locale's `%c`, `%x`/`%D`, `%F`, `%R`, `%r`, `%X`/`%T`, rendered with
/// no flags or width (glibc formats them recursively, then pads the result).
fn subformat(conv: &Conv, tm: &Tm, sink: &mut Sink<'_>) {
    let pattern = match conv {
        Conv::DateTime => "%a %b %e %H:%M:%S %Y",
        Conv::Date => "%m/%d/%y",
        Conv::IsoDate => "%Y-%m-%d",
        Conv::HourMinute => "%H:%M",
        Conv::Time12 => "%I:%M:%S %p",
        _ => "%H:%M:%S",
    };
    let mut i = 0;
    while let Some(rest) = pattern.get(i..).filter(|r| !r.is_empty()) {
        if rest.starts_with('%') {
            let (directive, next) = parse_directive(pattern, i);
            render(&directive, tm, sink);
            i = next;
        } else {
            sink.put(rest.get(..1).unwrap_or_default(), 1, -1, 0, Case::Keep);
            i += 1;
        }
    }
}

/// glibc's `do_number` from `do_number_sign_and_padding` on: `value` padded
/// to `digits` with zeros or (`_` flag) spaces, then to `width` as `cpy`
/// pads (the `-` flag skips the first step only).
fn put_number(sink: &mut Sink<'_>, value: i64, digits: i32, pad: u8, width: i32) {
    // Sign and digits, right-aligned in `buf[pos..]`.
    let mut buf = [b'-'; 21];
    let mut pos = buf.len();
    let mut u = value.unsigned_abs();
    loop {
        pos -= 1;
        if let Some(slot) = buf.get_mut(pos) {
            *slot = b'0' + (u % 10) as u8;
        }
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if value < 0 {
        pos -= 1; // buf[pos] is already '-'
    }
    let mut width = width;
    if pad != b'-' {
        let len = i64::try_from(buf.len() - pos).unwrap_or(0);
        let padding = i64::from(digits) - len;
        if padding > 0 {
            if pad == b'_' {
                if !sink.room(u64::try_from(padding).unwrap_or(u64::MAX)) {
                    return;
                }
                sink.fill(' ', padding);
                width = i32::try_from((i64::from(width) - padding).max(0)).unwrap_or(0);
            } else {
                if !sink.room(u64::try_from(digits).unwrap_or(0)) {
                    return;
                }
                if value < 0 {
                    sink.buf.push('-');
                    sink.count += 1;
                    pos += 1;
                }
                sink.fill('0', padding);
                width = 0;
            }
        }
    }
    let text = std::str::from_utf8(buf.get(pos..).unwrap_or_default()).unwrap_or_default();
    sink.put(text, text.len(), width, pad, Case::Keep);
}

#[cfg(test)]
mod tests {
    //! Expectations printed by CPython 3.11.7's `time.strftime` on Debian 12
    //! (glibc 2.36, `LANG=C.UTF-8`), each in a fresh process with `TZ` set.

    use super::*;

    /// 2023-11-14 22:13:20 UTC, a Tuesday.
    const T: i64 = 1_700_000_000;

    /// A zone from a POSIX TZ string, which needs no time zone database.
    fn posix(spec: &str) -> TimeZone {
        TimeZone::posix(spec).unwrap_or_else(|e| panic!("{spec:?}: {e}"))
    }

    /// The zone glibc would use for `TZ=spec`, looking for files in a
    /// directory that does not exist (so POSIX strings need no database).
    fn tz_variable(spec: &str) -> LocalZone {
        resolve_tz(Some(spec), Some("/nonexistent-tzdir"))
    }

    fn render(pattern: &str, tm: &Tm) -> String {
        let mut out = String::new();
        Strftime::new(pattern).format(tm, &mut out);
        out
    }

    fn check(zone: &Zone, cases: &[(i64, &str, &str)]) {
        for &(t, pattern, want) in cases {
            let tm = zone.tm(t, 0);
            assert_eq!(render(pattern, &tm), want, "pattern {pattern:?} at {t}");
        }
    }

    const EVERY_CONVERSION_UTC: &[(i64, &str, &str)] = &[
        (1700000000, "%a", "Tue"),
        (1700000000, "%A", "Tuesday"),
        (1700000000, "%b", "Nov"),
        (1700000000, "%B", "November"),
        (1700000000, "%c", "Tue Nov 14 22:13:20 2023"),
        (1700000000, "%C", "20"),
        (1700000000, "%d", "14"),
        (1700000000, "%D", "11/14/23"),
        (1700000000, "%e", "14"),
        (1700000000, "%F", "2023-11-14"),
        (1700000000, "%g", "23"),
        (1700000000, "%G", "2023"),
        (1700000000, "%h", "Nov"),
        (1700000000, "%H", "22"),
        (1700000000, "%I", "10"),
        (1700000000, "%j", "318"),
        (1700000000, "%k", "22"),
        (1700000000, "%l", "10"),
        (1700000000, "%m", "11"),
        (1700000000, "%M", "13"),
        (1700000000, "%n", "\n"),
        (1700000000, "%p", "PM"),
        (1700000000, "%P", "pm"),
        (1700000000, "%r", "10:13:20 PM"),
        (1700000000, "%R", "22:13"),
        (1700000000, "%s", "1700000000"),
        (1700000000, "%S", "20"),
        (1700000000, "%t", "\t"),
        (1700000000, "%T", "22:13:20"),
        (1700000000, "%u", "2"),
        (1700000000, "%U", "46"),
        (1700000000, "%V", "46"),
        (1700000000, "%w", "2"),
        (1700000000, "%W", "46"),
        (1700000000, "%x", "11/14/23"),
        (1700000000, "%X", "22:13:20"),
        (1700000000, "%y", "23"),
        (1700000000, "%Y", "2023"),
        (1700000000, "%z", "+0000"),
        (1700000000, "%Z", "UTC"),
        (1700000000, "%%", "%"),
    ];
    const FLAGS_AND_WIDTHS_ST_JOHNS: &[(i64, &str, &str)] = &[
        (1700000000, "%10Y", "0000002023"),
        (1700000000, "%-d", "14"),
        (1700000000, "%_H", "18"),
        (1700000000, "%^a", "TUE"),
        (1700000000, "%#Z", "nst"),
        (1700000000, "%#b", "NOV"),
        (1700000000, "%#A", "TUESDAY"),
        (1700000000, "%^B", "NOVEMBER"),
        (1700000000, "%5C", "00020"),
        (1700000000, "%5y", "00023"),
        (1700000000, "%_5y", "   23"),
        (1700000000, "%-5y", "   23"),
        (1700000000, "%05Y", "02023"),
        (1700000000, "%6Y", "002023"),
        (1700000000, "%12F", "  2023-11-14"),
        (1700000000, "%012F", "002023-11-14"),
        (1700000000, "%_12D", "    11/14/23"),
        (1700000000, "%10T", "  18:43:20"),
        (1700000000, "%10R", "     18:43"),
        (1700000000, "%3j", "318"),
        (1700000000, "%_j", "318"),
        (1700000000, "%-j", "318"),
        (1700000000, "%5j", "00318"),
        (1700000000, "%0e", "14"),
        (1700000000, "%-e", "14"),
        (1700000000, "%_e", "14"),
        (1700000000, "%0k", "18"),
        (1700000000, "%-k", "18"),
        (1700000000, "%0l", "06"),
        (1700000000, "%-l", "6"),
        (1700000000, "%10s", "1700000000"),
        (1700000000, "%-15s", "     1700000000"),
        (1700000000, "%015s", "000001700000000"),
        (1700000000, "%_15s", "     1700000000"),
        (1700000000, "%10a", "       Tue"),
        (1700000000, "%010a", "0000000Tue"),
        (1700000000, "%_010a", "0000000Tue"),
        (1700000000, "%0_10a", "       Tue"),
        (1700000000, "%-10a", "       Tue"),
        (1700000000, "%10z", "         -0000000330"),
        (1700000000, "%_10z", "         -       330"),
        (1700000000, "%-z", "-330"),
        (1700000000, "%010z", "000000000-0000000330"),
        (1700000000, "%_z", "- 330"),
        (1700000000, "%2z", " -0330"),
        (1700000000, "%5z", "    -00330"),
        (1700000000, "%_6z", "     -   330"),
        (1700000000, "%-6z", "     -   330"),
        (1700000000, "%06z", "00000-000330"),
        (1700000000, "%10Z", "       NST"),
        (1700000000, "%010Z", "0000000NST"),
        (1700000000, "%-10d", "        14"),
        (1700000000, "%_-d", "14"),
        (1700000000, "%-_d", "14"),
        (1700000000, "%_0d", "14"),
        (1700000000, "%0_d", "14"),
        (1700000000, "%5%", "    %"),
        (1700000000, "%_5%", "    %"),
        (1700000000, "%-5%", "    %"),
        (1700000000, "%05%", "0000%"),
        (1700000000, "%5n", "    \n"),
        (1700000000, "%5t", "    \t"),
        (1700000000, "%05t", "0000\t"),
        (1700000000, "%^10c", "TUE NOV 14 18:43:20 2023"),
        (1700000000, "%30c", "      Tue Nov 14 18:43:20 2023"),
        (1700000000, "%030c", "000000Tue Nov 14 18:43:20 2023"),
        (1700000000, "%_3I", "  6"),
        (1700000000, "%-I", "6"),
        (1700000000, "%4p", "  PM"),
        (1700000000, "%04P", "00pm"),
        (1700000000, "%1Y", "2023"),
        (1700000000, "%0Y", "2023"),
        (1700000000, "%_0Y", "2023"),
        (1700000000, "%2V", "46"),
        (1700000000, "%-V", "46"),
        (1700000000, "%_3U", " 46"),
        (1700000000, "%-W", "46"),
        (1700000000, "%03u", "002"),
        (1700000000, "%3w", "002"),
        (1700000000, "%4G", "2023"),
        (1700000000, "%_4g", "  23"),
    ];
    const MODIFIERS_KOLKATA: &[(i64, &str, &str)] = &[
        (1700000000, "%Ec", "Wed Nov 15 03:43:20 2023"),
        (1700000000, "%EC", "20"),
        (1700000000, "%Ex", "11/15/23"),
        (1700000000, "%EX", "03:43:20"),
        (1700000000, "%Ey", "23"),
        (1700000000, "%EY", "2023"),
        (1700000000, "%Od", "15"),
        (1700000000, "%Oe", "15"),
        (1700000000, "%OH", "03"),
        (1700000000, "%OI", "03"),
        (1700000000, "%Om", "11"),
        (1700000000, "%OM", "43"),
        (1700000000, "%OS", "20"),
        (1700000000, "%Ou", "3"),
        (1700000000, "%OU", "46"),
        (1700000000, "%OV", "46"),
        (1700000000, "%Ow", "3"),
        (1700000000, "%OW", "46"),
        (1700000000, "%Oy", "23"),
        (1700000000, "%OC", "20"),
        (1700000000, "%Ob", "Nov"),
        (1700000000, "%OB", "November"),
        (1700000000, "%Oh", "Nov"),
        (1700000000, "%Ez", "+0530"),
        (1700000000, "%EZ", "IST"),
        (1700000000, "%Oz", "+0530"),
        (1700000000, "%OZ", "IST"),
        (1700000000, "%En", "\n"),
        (1700000000, "%Ot", "\t"),
        (1700000000, "%Ep", "AM"),
        (1700000000, "%OP", "am"),
        (1700000000, "%ER", "03:43"),
        (1700000000, "%Or", "03:43:20 AM"),
        (1700000000, "%Es", "1700000000"),
        (1700000000, "%ET", "03:43:20"),
        (1700000000, "%OG", "2023"),
        (1700000000, "%Og", "23"),
        (1700000000, "%Oj", "319"),
        (1700000000, "%Ok", " 3"),
        (1700000000, "%Ol", " 3"),
        (1700000000, "%Ea", "%Ea"),
        (1700000000, "%Oa", "%Oa"),
        (1700000000, "%EA", "%EA"),
        (1700000000, "%OA", "%OA"),
        (1700000000, "%Eb", "%Eb"),
        (1700000000, "%EB", "%EB"),
        (1700000000, "%Eh", "%Eh"),
        (1700000000, "%Oc", "%Oc"),
        (1700000000, "%Ox", "%Ox"),
        (1700000000, "%OX", "%OX"),
        (1700000000, "%ED", "%ED"),
        (1700000000, "%OD", "%OD"),
        (1700000000, "%EF", "%EF"),
        (1700000000, "%OF", "%OF"),
        (1700000000, "%Ed", "%Ed"),
        (1700000000, "%Ee", "%Ee"),
        (1700000000, "%EH", "%EH"),
        (1700000000, "%EI", "%EI"),
        (1700000000, "%Ej", "%Ej"),
        (1700000000, "%Ek", "%Ek"),
        (1700000000, "%El", "%El"),
        (1700000000, "%EM", "%EM"),
        (1700000000, "%Em", "%Em"),
        (1700000000, "%ES", "%ES"),
        (1700000000, "%EU", "%EU"),
        (1700000000, "%EV", "%EV"),
        (1700000000, "%Eg", "%Eg"),
        (1700000000, "%EG", "%EG"),
        (1700000000, "%EW", "%EW"),
        (1700000000, "%Ew", "%Ew"),
        (1700000000, "%OY", "%OY"),
        (1700000000, "%E%", "%"),
        (1700000000, "%O%", "%"),
        (1700000000, "%5E%", "    %"),
        (1700000000, "%EE", "%EE"),
        (1700000000, "%EOy", "%EOy"),
        (1700000000, "%OEy", "%OEy"),
        (1700000000, "%E^y", "%E^y"),
        (1700000000, "%O5y", "%O5y"),
        (1700000000, "%5Oy", "00023"),
        (1700000000, "%_Oy", "23"),
    ];
    const UNKNOWN_DIRECTIVES: &[(i64, &str, &str)] = &[
        (1700000000, "%f", "%f"),
        (1700000000, "%Q", "%Q"),
        (1700000000, "%K", "%K"),
        (1700000000, "%q", "%q"),
        (1700000000, "%N", "%N"),
        (1700000000, "%i", "%i"),
        (1700000000, "%J", "%J"),
        (1700000000, "%L", "%L"),
        (1700000000, "%v", "%v"),
        (1700000000, "%+Y", "%+Y"),
        (1700000000, "%+4Y", "%+4Y"),
        (1700000000, "%:z", "%:z"),
        (1700000000, "%::z", "%::z"),
        (1700000000, "%10E", "      %10E"),
        (1700000000, "%10", "       %10"),
        (1700000000, "%-", "%-"),
        (1700000000, "%_", "%_"),
        (1700000000, "%^", "%^"),
        (1700000000, "%#", "%#"),
        (1700000000, "%0", "%0"),
        (1700000000, "%E", "%E"),
        (1700000000, "%O", "%O"),
        (1700000000, "%-E", "%-E"),
        (1700000000, "%", "%"),
        (1700000000, "abc%", "abc%"),
        (1700000000, "x%5", "x   %5"),
        (1700000000, "%10-d", "      %10-d"),
        (1700000000, "%5Q", "  %5Q"),
        (1700000000, "%05Q", "0%05Q"),
        (1700000000, "%-5Q", " %-5Q"),
        (1700000000, "%^q", "%^Q"),
        (1700000000, "%^Oq", "%^OQ"),
        (1700000000, "%#q", "%#q"),
        (1700000000, "%^-5q", "%^-5Q"),
        (1700000000, "%.3f", "%.3f"),
        (1700000000, "%Y%f", "2023%f"),
        (1700000000, "%H:%M:%S.%f", "22:13:20.%f"),
        (1700000000, "%é", "%é"),
        (1700000000, "%5é", "  %5é"),
        (1700000000, "%5€", "  %5€"),
        (1700000000, "%^é", "%^É"),
        (1700000000, "%#^7Eé", " %#^7EÉ"),
        (1700000000, "%^ß", "%^ß"),
        (1700000000, "%^ǅ", "%^Ǆ"),
        (1700000000, "%^ᾳ", "%^ᾼ"),
        (1700000000, "%^ŉ", "%^ŉ"),
        (1700000000, "%%f", "%f"),
        (1700000000, "%%%Y%%", "%2023%"),
        (1700000000, "%%Y", "%Y"),
    ];
    const CASE_FLAGS: &[(i64, &str, &str)] = &[
        (1700000000, "%^a", "TUE"),
        (1700000000, "%#a", "TUE"),
        (1700000000, "%^A", "TUESDAY"),
        (1700000000, "%#A", "TUESDAY"),
        (1700000000, "%^b", "NOV"),
        (1700000000, "%#b", "NOV"),
        (1700000000, "%^h", "NOV"),
        (1700000000, "%#h", "NOV"),
        (1700000000, "%^B", "NOVEMBER"),
        (1700000000, "%#B", "NOVEMBER"),
        (1700000000, "%^p", "PM"),
        (1700000000, "%#p", "pm"),
        (1700000000, "%^P", "pm"),
        (1700000000, "%#P", "pm"),
        (1700000000, "%^Z", "CET"),
        (1700000000, "%#Z", "cet"),
        (1700000000, "%^#Z", "cet"),
        (1700000000, "%#^Z", "cet"),
        (1700000000, "%^c", "TUE NOV 14 23:13:20 2023"),
        (1700000000, "%#c", "Tue Nov 14 23:13:20 2023"),
        (1700000000, "%^r", "11:13:20 PM"),
        (1700000000, "%^x", "11/14/23"),
        (1700000000, "%^Ob", "NOV"),
        (1700000000, "%#Ob", "NOV"),
        (1700000000, "%#OB", "NOVEMBER"),
        (1700000000, "%^OB", "NOVEMBER"),
        (1700000000, "%#Eb", "%#EB"),
        (1700000000, "%#EB", "%#EB"),
        (1700000000, "%#Ea", "%#Ea"),
        (1700000000, "%^Ea", "%^EA"),
        (1700000000, "%^#p", "pm"),
        (1700000000, "%#^P", "pm"),
        (1700000000, "%^%", "%"),
        (1700000000, "%#%", "%"),
        (1700000000, "%^10Z", "       CET"),
        (1700000000, "%#_10Z", "       cet"),
        (1700000000, "%^-10a", "       TUE"),
    ];
    const DST_UTC: &[(i64, &str, &str)] = &[
        (
            0,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "1970-01-01T00:00:00+0000 UTC|Thu Jan  1 00:00:00 1970|0",
        ),
        (
            1700000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-14T22:13:20+0000 UTC|Tue Nov 14 22:13:20 2023|1700000000",
        ),
        (
            951782400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2000-02-29T00:00:00+0000 UTC|Tue Feb 29 00:00:00 2000|951782400",
        ),
        (
            1720000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2024-07-03T09:46:40+0000 UTC|Wed Jul  3 09:46:40 2024|1720000000",
        ),
    ];
    const DST_BERLIN: &[(i64, &str, &str)] = &[
        (
            0,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "1970-01-01T01:00:00+0100 CET|Thu Jan  1 01:00:00 1970|0",
        ),
        (
            1700000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-14T23:13:20+0100 CET|Tue Nov 14 23:13:20 2023|1700000000",
        ),
        (
            951782400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2000-02-29T01:00:00+0100 CET|Tue Feb 29 01:00:00 2000|951782400",
        ),
        (
            1720000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2024-07-03T11:46:40+0200 CEST|Wed Jul  3 11:46:40 2024|1720000000",
        ),
        (
            1679792399,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-26T01:59:59+0100 CET|Sun Mar 26 01:59:59 2023|1679792399",
        ),
        (
            1679792400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-26T03:00:00+0200 CEST|Sun Mar 26 03:00:00 2023|1679792400",
        ),
        (
            1679792401,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-26T03:00:01+0200 CEST|Sun Mar 26 03:00:01 2023|1679792401",
        ),
        (
            1698541199,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-10-29T02:59:59+0200 CEST|Sun Oct 29 02:59:59 2023|1698541199",
        ),
        (
            1698541200,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-10-29T02:00:00+0100 CET|Sun Oct 29 02:00:00 2023|1698541200",
        ),
        (
            1698541201,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-10-29T02:00:01+0100 CET|Sun Oct 29 02:00:01 2023|1698541201",
        ),
    ];
    const DST_STJOHNS: &[(i64, &str, &str)] = &[
        (
            0,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "1969-12-31T20:30:00-0330 NST|Wed Dec 31 20:30:00 1969|0",
        ),
        (
            1700000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-14T18:43:20-0330 NST|Tue Nov 14 18:43:20 2023|1700000000",
        ),
        (
            951782400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2000-02-28T20:30:00-0330 NST|Mon Feb 28 20:30:00 2000|951782400",
        ),
        (
            1720000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2024-07-03T07:16:40-0230 NDT|Wed Jul  3 07:16:40 2024|1720000000",
        ),
        (
            1678598999,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-12T01:59:59-0330 NST|Sun Mar 12 01:59:59 2023|1678598999",
        ),
        (
            1678599000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-12T03:00:00-0230 NDT|Sun Mar 12 03:00:00 2023|1678599000",
        ),
        (
            1678599001,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-12T03:00:01-0230 NDT|Sun Mar 12 03:00:01 2023|1678599001",
        ),
        (
            1699158599,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-05T01:59:59-0230 NDT|Sun Nov  5 01:59:59 2023|1699158599",
        ),
        (
            1699158600,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-05T01:00:00-0330 NST|Sun Nov  5 01:00:00 2023|1699158600",
        ),
        (
            1699158601,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-05T01:00:01-0330 NST|Sun Nov  5 01:00:01 2023|1699158601",
        ),
    ];
    const DST_KOLKATA: &[(i64, &str, &str)] = &[
        (
            0,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "1970-01-01T05:30:00+0530 IST|Thu Jan  1 05:30:00 1970|0",
        ),
        (
            1700000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-15T03:43:20+0530 IST|Wed Nov 15 03:43:20 2023|1700000000",
        ),
        (
            951782400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2000-02-29T05:30:00+0530 IST|Tue Feb 29 05:30:00 2000|951782400",
        ),
        (
            1720000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2024-07-03T15:16:40+0530 IST|Wed Jul  3 15:16:40 2024|1720000000",
        ),
    ];
    const DST_LORDHOWE: &[(i64, &str, &str)] = &[
        (
            0,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "1970-01-01T11:00:00+1100 +11|Thu Jan  1 11:00:00 1970|0",
        ),
        (
            1700000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-15T09:13:20+1100 +11|Wed Nov 15 09:13:20 2023|1700000000",
        ),
        (
            951782400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2000-02-29T11:00:00+1100 +11|Tue Feb 29 11:00:00 2000|951782400",
        ),
        (
            1720000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2024-07-03T20:16:40+1030 +1030|Wed Jul  3 20:16:40 2024|1720000000",
        ),
        (
            1696174199,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-10-02T02:29:59+1100 +11|Mon Oct  2 02:29:59 2023|1696174199",
        ),
        (
            1696174200,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-10-02T02:30:00+1100 +11|Mon Oct  2 02:30:00 2023|1696174200",
        ),
        (
            1696174201,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-10-02T02:30:01+1100 +11|Mon Oct  2 02:30:01 2023|1696174201",
        ),
        (
            1680361199,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-04-02T01:59:59+1100 +11|Sun Apr  2 01:59:59 2023|1680361199",
        ),
        (
            1680361200,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-04-02T01:30:00+1030 +1030|Sun Apr  2 01:30:00 2023|1680361200",
        ),
        (
            1680361201,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-04-02T01:30:01+1030 +1030|Sun Apr  2 01:30:01 2023|1680361201",
        ),
    ];
    const DST_NEWYORK: &[(i64, &str, &str)] = &[
        (
            0,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "1969-12-31T19:00:00-0500 EST|Wed Dec 31 19:00:00 1969|0",
        ),
        (
            1700000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-14T17:13:20-0500 EST|Tue Nov 14 17:13:20 2023|1700000000",
        ),
        (
            951782400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2000-02-28T19:00:00-0500 EST|Mon Feb 28 19:00:00 2000|951782400",
        ),
        (
            1720000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2024-07-03T05:46:40-0400 EDT|Wed Jul  3 05:46:40 2024|1720000000",
        ),
        (
            1678604399,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-12T01:59:59-0500 EST|Sun Mar 12 01:59:59 2023|1678604399",
        ),
        (
            1678604400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-12T03:00:00-0400 EDT|Sun Mar 12 03:00:00 2023|1678604400",
        ),
        (
            1678604401,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-03-12T03:00:01-0400 EDT|Sun Mar 12 03:00:01 2023|1678604401",
        ),
        (
            1699163999,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-05T01:59:59-0400 EDT|Sun Nov  5 01:59:59 2023|1699163999",
        ),
        (
            1699164000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-05T01:00:00-0500 EST|Sun Nov  5 01:00:00 2023|1699164000",
        ),
        (
            1699164001,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-05T01:00:01-0500 EST|Sun Nov  5 01:00:01 2023|1699164001",
        ),
    ];
    const DST_CHATHAM: &[(i64, &str, &str)] = &[
        (
            0,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "1970-01-01T13:45:00+1345 +1345|Thu Jan  1 13:45:00 1970|0",
        ),
        (
            1700000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-11-15T11:58:20+1345 +1345|Wed Nov 15 11:58:20 2023|1700000000",
        ),
        (
            951782400,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2000-02-29T13:45:00+1345 +1345|Tue Feb 29 13:45:00 2000|951782400",
        ),
        (
            1720000000,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2024-07-03T22:31:40+1245 +1245|Wed Jul  3 22:31:40 2024|1720000000",
        ),
        (
            1695480299,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-09-24T04:29:59+1345 +1345|Sun Sep 24 04:29:59 2023|1695480299",
        ),
        (
            1695480300,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-09-24T04:30:00+1345 +1345|Sun Sep 24 04:30:00 2023|1695480300",
        ),
        (
            1695480301,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-09-24T04:30:01+1345 +1345|Sun Sep 24 04:30:01 2023|1695480301",
        ),
        (
            1680357599,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-04-02T03:44:59+1345 +1345|Sun Apr  2 03:44:59 2023|1680357599",
        ),
        (
            1680357600,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-04-02T02:45:00+1245 +1245|Sun Apr  2 02:45:00 2023|1680357600",
        ),
        (
            1680357601,
            "%Y-%m-%dT%H:%M:%S%z %Z|%c|%s",
            "2023-04-02T02:45:01+1245 +1245|Sun Apr  2 02:45:01 2023|1680357601",
        ),
    ];
    const ISO_WEEK_EDGES: &[(i64, &str, &str)] = &[
        (
            1072699200,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2003-12-29 Mon 2004-W01-1 04 52 52 363",
        ),
        (
            1072785600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2003-12-30 Tue 2004-W01-2 04 52 52 364",
        ),
        (
            1072872000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2003-12-31 Wed 2004-W01-3 04 52 52 365",
        ),
        (
            1072958400,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2004-01-01 Thu 2004-W01-4 04 00 00 001",
        ),
        (
            1073044800,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2004-01-02 Fri 2004-W01-5 04 00 00 002",
        ),
        (
            1073131200,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2004-01-03 Sat 2004-W01-6 04 00 00 003",
        ),
        (
            1073217600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2004-01-04 Sun 2004-W01-7 04 01 00 004",
        ),
        (
            1230552000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2008-12-29 Mon 2009-W01-1 09 52 52 364",
        ),
        (
            1230638400,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2008-12-30 Tue 2009-W01-2 09 52 52 365",
        ),
        (
            1230724800,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2008-12-31 Wed 2009-W01-3 09 52 52 366",
        ),
        (
            1230811200,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2009-01-01 Thu 2009-W01-4 09 00 00 001",
        ),
        (
            1230897600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2009-01-02 Fri 2009-W01-5 09 00 00 002",
        ),
        (
            1230984000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2009-01-03 Sat 2009-W01-6 09 00 00 003",
        ),
        (
            1231070400,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2009-01-04 Sun 2009-W01-7 09 01 00 004",
        ),
        (
            1262088000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2009-12-29 Tue 2009-W53-2 09 52 52 363",
        ),
        (
            1262174400,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2009-12-30 Wed 2009-W53-3 09 52 52 364",
        ),
        (
            1262260800,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2009-12-31 Thu 2009-W53-4 09 52 52 365",
        ),
        (
            1262347200,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2010-01-01 Fri 2009-W53-5 09 00 00 001",
        ),
        (
            1262433600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2010-01-02 Sat 2009-W53-6 09 00 00 002",
        ),
        (
            1262520000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2010-01-03 Sun 2009-W53-7 09 01 00 003",
        ),
        (
            1262606400,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2010-01-04 Mon 2010-W01-1 10 01 01 004",
        ),
        (
            1609243200,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2020-12-29 Tue 2020-W53-2 20 52 52 364",
        ),
        (
            1609329600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2020-12-30 Wed 2020-W53-3 20 52 52 365",
        ),
        (
            1609416000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2020-12-31 Thu 2020-W53-4 20 52 52 366",
        ),
        (
            1609502400,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2021-01-01 Fri 2020-W53-5 20 00 00 001",
        ),
        (
            1609588800,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2021-01-02 Sat 2020-W53-6 20 00 00 002",
        ),
        (
            1609675200,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2021-01-03 Sun 2020-W53-7 20 01 00 003",
        ),
        (
            1609761600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2021-01-04 Mon 2021-W01-1 21 01 01 004",
        ),
        (
            1798545600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2026-12-29 Tue 2026-W53-2 26 52 52 363",
        ),
        (
            1798632000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2026-12-30 Wed 2026-W53-3 26 52 52 364",
        ),
        (
            1798718400,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2026-12-31 Thu 2026-W53-4 26 52 52 365",
        ),
        (
            1798804800,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2027-01-01 Fri 2026-W53-5 26 00 00 001",
        ),
        (
            1798891200,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2027-01-02 Sat 2026-W53-6 26 00 00 002",
        ),
        (
            1798977600,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2027-01-03 Sun 2026-W53-7 26 01 00 003",
        ),
        (
            1799064000,
            "%F %a %G-W%V-%u %g %U %W %j",
            "2027-01-04 Mon 2027-W01-1 27 01 01 004",
        ),
    ];
    const ODD_YEARS_UTC: &[(i64, &str, &str)] = &[
        (
            -62135596800,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "1|0|01|1|01|1-01-01|Mon Jan  1 00:00:00 1|00001|    1|    1|-62135596800",
        ),
        (
            -62135596801,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "0|0|00|0|00|0-12-31|Sun Dec 31 23:59:59 0|00000|    0|    0|-62135596801",
        ),
        (
            -62167219200,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "0|0|00|-1|99|0-01-01|Sat Jan  1 00:00:00 0|00000|    0|    0|-62167219200",
        ),
        (
            -62167219201,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "-1|-1|99|-1|99|-1-12-31|Fri Dec 31 23:59:59 -1|-0001|   -1|   -1|-62167219201",
        ),
        (
            -62198755200,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "-1|-1|99|-2|98|-1-01-01|Fri Jan  1 00:00:00 -1|-0001|   -1|   -1|-62198755200",
        ),
        (
            -65000000000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "-90|-1|10|-90|10|-90-03-27|Sun Mar 27 04:26:40 -90|-0090|  -90|  -90|-65000000000",
        ),
        (
            -100000000000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "-1199|-12|01|-1199|01|-1199-02-15|Thu Feb 15 14:13:20 -1199|-1199|-1199|-1199|-100000000000",
        ),
        (
            -1000000000000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "-29719|-298|81|-29719|81|-29719-04-05|Tue Apr  5 22:13:20 -29719|-29719|-29719|-29719|-1000000000000",
        ),
        (
            -49544385722,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "400|4|00|399|99|400-01-01|Sat Jan  1 14:37:58 400|00400|  400|  400|-49544385722",
        ),
        (
            -59042397380,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "99|0|99|99|99|99-01-07|Wed Jan  7 22:03:40 99|00099|   99|   99|-59042397380",
        ),
        (
            -30610224000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "1000|10|00|1000|00|1000-01-01|Wed Jan  1 00:00:00 1000|01000| 1000| 1000|-30610224000",
        ),
        (
            253402300799,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "9999|99|99|9999|99|9999-12-31|Fri Dec 31 23:59:59 9999|09999| 9999| 9999|253402300799",
        ),
        (
            253402300800,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "10000|100|00|9999|99|10000-01-01|Sat Jan  1 00:00:00 10000|10000|10000|10000|253402300800",
        ),
        (
            1000000000000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "33658|336|58|33658|58|33658-09-27|Fri Sep 27 01:46:40 33658|33658|33658|33658|1000000000000",
        ),
        (
            3000000000000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "97036|970|36|97036|36|97036-03-20|Sun Mar 20 05:20:00 97036|97036|97036|97036|3000000000000",
        ),
        (
            100000000000000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "3170843|31708|43|3170843|43|3170843-11-07|Sat Nov  7 09:46:40 3170843|3170843|3170843|3170843|100000000000000",
        ),
        (
            32503680000,
            "%Y|%C|%y|%G|%g|%F|%c|%5Y|%_5Y|%-5Y|%s",
            "3000|30|00|3000|00|3000-01-01|Wed Jan  1 00:00:00 3000|03000| 3000| 3000|32503680000",
        ),
    ];
    const NON_ASCII_LITERALS: &[(i64, &str, &str)] = &[
        (
            1700000000,
            "%Y年%m月%d日 %H時%M分%S秒",
            "2023年11月15日 03時43分20秒",
        ),
        (
            1700000000,
            "Zeit: %H:%M — %d.%m.%Y",
            "Zeit: 03:43 — 15.11.2023",
        ),
        (1700000000, "é%Yé", "é2023é"),
        (1700000000, "😀 %a 😀", "😀 Wed 😀"),
        (1700000000, "%B · %A", "November · Wednesday"),
        (1700000000, "%Y년 %m월", "2023년 11월"),
        (1700000000, "Δ%zΔ%ZΔ", "Δ+0530ΔISTΔ"),
        (1700000000, "\t%H\n", "\t03\n"),
        (1700000000, "%%é%%", "%é%"),
        (
            1700000000,
            "xxxxxxxxxxxxxxxxxxxx%Y",
            "xxxxxxxxxxxxxxxxxxxx2023",
        ),
    ];
    const OUTPUT_LIMIT: &[(&str, usize)] = &[
        ("%1022Y", 1022),
        ("%1023Y", 1023),
        ("%1024Y", 1024),
        ("%2046Y", 2046),
        ("%2047Y", 2047),
        ("%2048Y", 0),
        ("ab%1020Y", 1022),
        ("ab%1021Y", 1023),
        ("éé%2044Y", 2046),
        ("éé%2045Y", 2047),
        ("éé%2046Y", 0),
        ("😀😀%2045Y", 2047),
        ("😀😀%2046Y", 0),
        ("xy%2045Y", 2047),
        ("xy%2046Y", 0),
        ("%2147483647Y", 0),
        ("%99999999999Y", 0),
        ("", 0),
        ("%1020c", 1020),
        ("%1023c", 1023),
        ("%1100Q", 1100),
        ("%_1020z", 2040),
        ("%01020z", 2040),
    ];
    const GMTIME: &[(&str, i64, &str)] = &[
        ("UTC0", 0, "1970-01-01 00:00:00 +0000 GMT 0"),
        (
            "UTC0",
            1700000000,
            "2023-11-14 22:13:20 +0000 GMT 1700000000",
        ),
        (
            "UTC0",
            1720000000,
            "2024-07-03 09:46:40 +0000 GMT 1720000000",
        ),
        (
            "UTC0",
            -2000000000,
            "1906-08-16 20:26:40 +0000 GMT -2000000000",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            0,
            "1970-01-01 00:00:00 +0000 GMT -3600",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1700000000,
            "2023-11-14 22:13:20 +0000 GMT 1699996400",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1720000000,
            "2024-07-03 09:46:40 +0000 GMT 1719996400",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            -2000000000,
            "1906-08-16 20:26:40 +0000 GMT -2000003600",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1679788800,
            "2023-03-26 00:00:00 +0000 GMT 1679785200",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1679792400,
            "2023-03-26 01:00:00 +0000 GMT 1679788800",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1679796000,
            "2023-03-26 02:00:00 +0000 GMT 1679792400",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1698537600,
            "2023-10-29 00:00:00 +0000 GMT 1698534000",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1698541200,
            "2023-10-29 01:00:00 +0000 GMT 1698537600",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            1698544800,
            "2023-10-29 02:00:00 +0000 GMT 1698541200",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            0,
            "1970-01-01 00:00:00 +0000 GMT 12600",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1700000000,
            "2023-11-14 22:13:20 +0000 GMT 1700012600",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1720000000,
            "2024-07-03 09:46:40 +0000 GMT 1720012600",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            -2000000000,
            "1906-08-16 20:26:40 +0000 GMT -1999987400",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1678595400,
            "2023-03-12 04:30:00 +0000 GMT 1678608000",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1678599000,
            "2023-03-12 05:30:00 +0000 GMT 1678611600",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1678602600,
            "2023-03-12 06:30:00 +0000 GMT 1678615200",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1699155000,
            "2023-11-05 03:30:00 +0000 GMT 1699167600",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1699158600,
            "2023-11-05 04:30:00 +0000 GMT 1699171200",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            1699162200,
            "2023-11-05 05:30:00 +0000 GMT 1699174800",
        ),
        ("IST-5:30", 0, "1970-01-01 00:00:00 +0000 GMT -19800"),
        (
            "IST-5:30",
            1700000000,
            "2023-11-14 22:13:20 +0000 GMT 1699980200",
        ),
        (
            "IST-5:30",
            1720000000,
            "2024-07-03 09:46:40 +0000 GMT 1719980200",
        ),
        (
            "IST-5:30",
            -2000000000,
            "1906-08-16 20:26:40 +0000 GMT -2000019800",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            0,
            "1970-01-01 00:00:00 +0000 GMT -37800",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1700000000,
            "2023-11-14 22:13:20 +0000 GMT 1699962200",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1720000000,
            "2024-07-03 09:46:40 +0000 GMT 1719962200",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            -2000000000,
            "1906-08-16 20:26:40 +0000 GMT -2000036000",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1696170600,
            "2023-10-01 14:30:00 +0000 GMT 1696132800",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1696174200,
            "2023-10-01 15:30:00 +0000 GMT 1696136400",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1696177800,
            "2023-10-01 16:30:00 +0000 GMT 1696140000",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1680357600,
            "2023-04-01 14:00:00 +0000 GMT 1680319800",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1680361200,
            "2023-04-01 15:00:00 +0000 GMT 1680323400",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            1680364800,
            "2023-04-01 16:00:00 +0000 GMT 1680327000",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            0,
            "1970-01-01 00:00:00 +0000 GMT 18000",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1700000000,
            "2023-11-14 22:13:20 +0000 GMT 1700018000",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1720000000,
            "2024-07-03 09:46:40 +0000 GMT 1720018000",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            -2000000000,
            "1906-08-16 20:26:40 +0000 GMT -1999982000",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1678600800,
            "2023-03-12 06:00:00 +0000 GMT 1678618800",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1678604400,
            "2023-03-12 07:00:00 +0000 GMT 1678622400",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1678608000,
            "2023-03-12 08:00:00 +0000 GMT 1678626000",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1699160400,
            "2023-11-05 05:00:00 +0000 GMT 1699178400",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1699164000,
            "2023-11-05 06:00:00 +0000 GMT 1699182000",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            1699167600,
            "2023-11-05 07:00:00 +0000 GMT 1699185600",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            0,
            "1970-01-01 00:00:00 +0000 GMT -45900",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1700000000,
            "2023-11-14 22:13:20 +0000 GMT 1699954100",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1720000000,
            "2024-07-03 09:46:40 +0000 GMT 1719954100",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            -2000000000,
            "1906-08-16 20:26:40 +0000 GMT -2000045900",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1695476700,
            "2023-09-23 13:45:00 +0000 GMT 1695430800",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1695480300,
            "2023-09-23 14:45:00 +0000 GMT 1695434400",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1695483900,
            "2023-09-23 15:45:00 +0000 GMT 1695438000",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1680354000,
            "2023-04-01 13:00:00 +0000 GMT 1680308100",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1680357600,
            "2023-04-01 14:00:00 +0000 GMT 1680311700",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            1680361200,
            "2023-04-01 15:00:00 +0000 GMT 1680315300",
        ),
    ];
    const POSIX_BEFORE_1970: &[(&str, i64, &str)] = &[
        ("UTC0", -1, "1969-12-31 23:59:59 +0000 UTC"),
        ("UTC0", -15000000, "1969-07-11 09:20:00 +0000 UTC"),
        ("UTC0", -200000000, "1963-08-31 04:26:40 +0000 UTC"),
        ("UTC0", -2000000000, "1906-08-16 20:26:40 +0000 UTC"),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            -1,
            "1970-01-01 00:59:59 +0100 CET",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            -15000000,
            "1969-07-11 10:20:00 +0100 CET",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            -200000000,
            "1963-08-31 05:26:40 +0100 CET",
        ),
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            -2000000000,
            "1906-08-16 21:26:40 +0100 CET",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            -1,
            "1969-12-31 20:29:59 -0330 NST",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            -15000000,
            "1969-07-11 05:50:00 -0330 NST",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            -200000000,
            "1963-08-31 00:56:40 -0330 NST",
        ),
        (
            "NST3:30NDT,M3.2.0,M11.1.0",
            -2000000000,
            "1906-08-16 16:56:40 -0330 NST",
        ),
        ("IST-5:30", -1, "1970-01-01 05:29:59 +0530 IST"),
        ("IST-5:30", -15000000, "1969-07-11 14:50:00 +0530 IST"),
        ("IST-5:30", -200000000, "1963-08-31 09:56:40 +0530 IST"),
        ("IST-5:30", -2000000000, "1906-08-17 01:56:40 +0530 IST"),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            -1,
            "1970-01-01 10:59:59 +1100 +11",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            -15000000,
            "1969-07-11 20:20:00 +1100 +11",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            -200000000,
            "1963-08-31 15:26:40 +1100 +11",
        ),
        (
            "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            -2000000000,
            "1906-08-17 07:26:40 +1100 +11",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            -1,
            "1969-12-31 18:59:59 -0500 EST",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            -15000000,
            "1969-07-11 04:20:00 -0500 EST",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            -200000000,
            "1963-08-30 23:26:40 -0500 EST",
        ),
        (
            "EST5EDT,M3.2.0,M11.1.0",
            -2000000000,
            "1906-08-16 15:26:40 -0500 EST",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            -1,
            "1970-01-01 13:44:59 +1345 +1345",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            -15000000,
            "1969-07-11 23:05:00 +1345 +1345",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            -200000000,
            "1963-08-31 18:11:40 +1345 +1345",
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            -2000000000,
            "1906-08-17 10:11:40 +1345 +1345",
        ),
    ];
    const TZ_VARIABLE: &[(&str, i64, &str)] = &[
        (
            "Europe/Berlin",
            -2208988800,
            "1900-01-01 01:00:00 +0100 CET",
        ),
        ("Europe/Berlin", 1679792399, "2023-03-26 01:59:59 +0100 CET"),
        (
            "Europe/Berlin",
            1679792400,
            "2023-03-26 03:00:00 +0200 CEST",
        ),
        (
            "Europe/Berlin",
            1720000000,
            "2024-07-03 11:46:40 +0200 CEST",
        ),
        (
            "America/St_Johns",
            -2208988800,
            "1899-12-31 20:29:08 -0330 NST",
        ),
        (
            "America/St_Johns",
            576000000,
            "1988-04-02 12:30:00 -0330 NST",
        ),
        (
            "America/St_Johns",
            1700000000,
            "2023-11-14 18:43:20 -0330 NST",
        ),
        (
            "Europe/Dublin",
            -2208988800,
            "1899-12-31 23:34:39 -0025 DMT",
        ),
        ("Europe/Dublin", 1720000000, "2024-07-03 10:46:40 +0100 IST"),
        ("Europe/Dublin", 1700000000, "2023-11-14 22:13:20 +0000 GMT"),
        (
            "Australia/Lord_Howe",
            1696174199,
            "2023-10-02 02:29:59 +1100 +11",
        ),
        (
            "Australia/Lord_Howe",
            1696174200,
            "2023-10-02 02:30:00 +1100 +11",
        ),
        (
            "Australia/Lord_Howe",
            1680361199,
            "2023-04-02 01:59:59 +1100 +11",
        ),
        (
            "Australia/Lord_Howe",
            1680361200,
            "2023-04-02 01:30:00 +1030 +1030",
        ),
        ("Asia/Kolkata", -1000000000, "1938-04-25 03:43:20 +0530 IST"),
        ("Asia/Kolkata", 1700000000, "2023-11-15 03:43:20 +0530 IST"),
        (
            "America/Sao_Paulo",
            1700000000,
            "2023-11-14 19:13:20 -0300 -03",
        ),
        ("UTC", 1700000000, "2023-11-14 22:13:20 +0000 UTC"),
        ("Foo/Bar", 1700000000, "2023-11-14 22:13:20 +0000 Foo"),
        ("XYZ", 1700000000, "2023-11-14 22:13:20 +0000 XYZ"),
        ("", 1700000000, "2023-11-14 22:13:20 +0000 UTC"),
        (
            ":Europe/Paris",
            1720000000,
            "2024-07-03 11:46:40 +0200 CEST",
        ),
        ("GMT0BST", 1111111111, "2005-03-18 01:58:31 +0000 GMT"),
        ("GMT0BST", 1572760799, "2019-11-03 06:59:59 +0100 BST"),
        ("GMT0BST", 1572760800, "2019-11-03 06:00:00 +0000 GMT"),
        ("GMT0BST", 4102444800, "2099-12-31 19:00:00 -0500 EST"),
        ("NZST-12NZDT", 1552262399, "2019-03-11 11:59:59 +1200 NZST"),
        ("NZST-12NZDT", 1552262400, "2019-03-11 13:00:00 +1300 NZDT"),
        ("NZST-12NZDT", 1572760799, "2019-11-03 18:59:59 +1300 NZDT"),
        ("NZST-12NZDT", 1572760800, "2019-11-03 18:00:00 +1200 NZST"),
        ("NZST-12NZDT", 2240611200, "2040-12-31 19:00:00 -0500 EST"),
    ];

    #[test]
    fn every_conversion_matches_glibc_in_utc() {
        check(&Zone::Fixed(TimeZone::UTC), EVERY_CONVERSION_UTC);
    }

    #[test]
    fn flags_and_field_widths_match_glibc() {
        let zone = Zone::Fixed(posix("NST3:30NDT,M3.2.0,M11.1.0"));
        check(&zone, FLAGS_AND_WIDTHS_ST_JOHNS);
    }

    #[test]
    fn e_and_o_modifiers_are_ignored_or_rejected_like_glibc() {
        check(&Zone::Fixed(posix("IST-5:30")), MODIFIERS_KOLKATA);
    }

    #[test]
    fn unknown_directives_and_trailing_percent_are_copied_like_glibc() {
        check(&Zone::Fixed(TimeZone::UTC), UNKNOWN_DIRECTIVES);
    }

    #[test]
    fn caret_and_hash_flags_follow_glibc_precedence() {
        check(
            &Zone::Fixed(posix("CET-1CEST,M3.5.0,M10.5.0/3")),
            CASE_FLAGS,
        );
    }

    #[test]
    fn dst_switches_and_odd_offsets_match_glibc() {
        for (spec, cases) in [
            ("UTC0", DST_UTC),
            ("CET-1CEST,M3.5.0,M10.5.0/3", DST_BERLIN),
            ("NST3:30NDT,M3.2.0,M11.1.0", DST_STJOHNS),
            ("IST-5:30", DST_KOLKATA),
            ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", DST_LORDHOWE),
            ("EST5EDT,M3.2.0,M11.1.0", DST_NEWYORK),
            ("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", DST_CHATHAM),
        ] {
            check(&Zone::Fixed(posix(spec)), cases);
        }
    }

    #[test]
    fn iso_week_year_edges_match_glibc() {
        check(&Zone::Fixed(TimeZone::UTC), ISO_WEEK_EDGES);
    }

    #[test]
    fn years_below_1000_above_9999_and_negative_match_glibc() {
        check(&Zone::Fixed(TimeZone::UTC), ODD_YEARS_UTC);
    }

    #[test]
    fn non_ascii_literal_text_round_trips() {
        check(&Zone::Fixed(posix("IST-5:30")), NON_ASCII_LITERALS);
    }

    #[test]
    fn output_too_long_for_pythons_buffer_comes_out_empty() {
        let tm = Zone::Fixed(TimeZone::UTC).tm(T, 0);
        for &(pattern, want_chars) in OUTPUT_LIMIT {
            let got = render(pattern, &tm);
            assert_eq!(got.chars().count(), want_chars, "pattern {pattern:?}");
        }
    }

    #[test]
    fn gmtime_says_gmt_and_its_epoch_is_local_mktime() {
        for &(spec, t, want) in GMTIME {
            let tm = utc_tm(&tz_variable(spec), t, 0);
            assert_eq!(render("%F %T %z %Z %s", &tm), want, "TZ={spec:?} at {t}");
        }
    }

    #[test]
    fn posix_rules_do_not_apply_before_1970() {
        for &(spec, t, want) in POSIX_BEFORE_1970 {
            let local = tz_variable(spec).tm(t, 0);
            assert_eq!(render("%F %T %z %Z", &local), want, "TZ={spec:?} at {t}");
            let fixed = Zone::Fixed(posix(spec)).tm(t, 0);
            assert_eq!(render("%F %T %z %Z", &fixed), want, "{spec:?} at {t}");
        }
    }

    /// Needs the system's time zone database (Debian's `tzdata`).
    #[test]
    fn tz_variable_resolves_like_glibc() {
        for &(spec, t, want) in TZ_VARIABLE {
            let tm = resolve_tz(Some(spec), None).tm(t, 0);
            assert_eq!(render("%F %T %z %Z", &tm), want, "TZ={spec:?} at {t}");
        }
    }

    /// Expectations from Python run with `TZDIR=/nonexistent-tzdir`.
    #[test]
    fn tz_variable_without_database_falls_back_like_glibc() {
        let cases = [
            ("Foo/Bar", "+0000 Foo"),
            ("Fo", "+0000 "),
            ("<ab+>7", "-0700 ab+"),
            ("<+0330>-3:30", "+0330 +0330"),
            ("JST-9", "+0900 JST"),
            ("AAA-3:30BBB-4:45", "+0330 AAA"),
            ("UTC0", "+0000 UTC"),
            (":", "+0000 UTC"),
            ("", "+0000 Universal"),
        ];
        for (spec, want) in cases {
            let tm = tz_variable(spec).tm(T, 0);
            assert_eq!(render("%z %Z", &tm), want, "TZ={spec:?}");
        }
        // No `posixrules` file: glibc uses the US rules for a bare DST name.
        let summer = tz_variable("AAA-3:30BBB-4:45").tm(1_720_000_000, 0);
        assert_eq!(render("%z %Z", &summer), "+0445 BBB");
    }

    #[test]
    fn epoch_is_the_instant_for_local_and_fixed_zones() {
        let zone = Zone::Fixed(posix("CET-1CEST,M3.5.0,M10.5.0/3"));
        for t in [-1, 0, 1_679_792_400, T, 253_402_300_800] {
            assert_eq!(render("%s", &zone.tm(t, 0)), t.to_string());
        }
    }

    #[test]
    fn format_appends_to_existing_text() {
        let tm = Zone::Fixed(TimeZone::UTC).tm(T, 0);
        let mut out = String::from("at ");
        Strftime::new("%H:%M").format(&tm, &mut out);
        assert_eq!(out, "at 22:13");
        // An output too long for Python's buffer leaves the text untouched.
        Strftime::new("%5000Y").format(&tm, &mut out);
        assert_eq!(out, "at 22:13");
    }

    #[test]
    fn nothing_renders_below_a_second() {
        for pattern in ["%Y-%m-%d %H:%M:%S", "%s", "%f", "%c %N", ""] {
            assert!(!Strftime::new(pattern).sub_second(), "{pattern:?}");
        }
    }

    #[test]
    fn tm_fields_follow_struct_tm() {
        let tm = Zone::Fixed(posix("NST3:30NDT,M3.2.0,M11.1.0")).tm(T, 123_456_789);
        let want = Tm {
            year: 2023,
            month: 11,
            day: 14,
            hour: 18,
            minute: 43,
            second: 20,
            nanosecond: 123_456_789,
            weekday: 2,
            yday: 318,
            utc_offset: -12_600,
            zone: "NST".to_string(),
            unix_seconds: T,
        };
        assert_eq!(tm, want);
        let gm = utc_tm(&tz_variable("UTC0"), T, 7);
        assert_eq!((gm.hour, gm.zone.as_str(), gm.nanosecond), (22, "GMT", 7));
        let clamped = Zone::Fixed(TimeZone::UTC).tm(T, u32::MAX);
        assert_eq!(clamped.nanosecond, 999_999_999);
    }

    #[test]
    fn out_of_range_fields_render_like_glibc_without_panicking() {
        let tm = Tm {
            year: i32::MIN,
            month: 0,
            day: 255,
            hour: 255,
            minute: 99,
            second: 61,
            nanosecond: u32::MAX,
            weekday: 9,
            yday: 0,
            utc_offset: i32::MIN,
            zone: String::new(),
            unix_seconds: i64::MIN,
        };
        let all = "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P %r %R \
                   %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%";
        let out = render(all, &tm);
        assert!(out.starts_with("? ? ? ? ? ? "), "{out}");
        assert!(out.contains(&i64::MIN.to_string()), "{out}");
        for t in [i64::MIN, -MAX_ABS_SECONDS - 1, i64::MAX] {
            for zone in [
                Zone::Utc,
                Zone::Local,
                Zone::Fixed(posix("EST5EDT,M3.2.0,M11.1.0")),
            ] {
                let tm = zone.tm(t, u32::MAX);
                assert!(!render(all, &tm).is_empty());
            }
        }
    }

    #[test]
    fn local_zone_is_consistent_with_its_offset() {
        let tm = Zone::Local.tm(T, 0);
        let wall = Zone::Fixed(TimeZone::UTC).tm(T + i64::from(tm.utc_offset), 0);
        assert_eq!(
            (tm.year, tm.month, tm.day, tm.hour, tm.minute, tm.second),
            (
                wall.year,
                wall.month,
                wall.day,
                wall.hour,
                wall.minute,
                wall.second
            )
        );
        assert_eq!(tm.unix_seconds, T);
    }

    #[test]
    fn patterns_compile_to_equal_values() {
        assert_eq!(Strftime::new("%Y-%m-%d"), Strftime::new("%Y-%m-%d"));
        assert_ne!(Strftime::new("%Y"), Strftime::new("%y"));
    }
}
