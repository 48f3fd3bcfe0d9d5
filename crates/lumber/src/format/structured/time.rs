//! Timestamps of the structured formatters: RFC 3339 in a time zone, or
//! numbers of seconds, milliseconds or nanoseconds since the epoch.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::encode::{push_i64, push_padded, push_u64};
use crate::format::strftime::Zone;
use crate::record::Timestamp;

/// How a structured formatter writes the record's time.
///
/// ```
/// use lumber::{Format, JsonFormatter, Level, Message, Record, TimeFormat, TimePrecision, Timestamp};
/// let r = Record::new("app", Level::INFO, Message::Str("hi"))
///     .with_time(Timestamp::new(1_700_000_000, 123_456_789));
/// let show = |time: TimeFormat| {
///     let mut out = String::new();
///     JsonFormatter::new().keys(["asctime"]).time_format(time).utc(true).format(&r, &mut out);
///     out
/// };
/// assert_eq!(show(TimeFormat::Rfc3339(TimePrecision::Millis)), r#"{"asctime":"2023-11-14T22:13:20.123Z"}"#);
/// assert_eq!(show(TimeFormat::Rfc3339(TimePrecision::Micros)), r#"{"asctime":"2023-11-14T22:13:20.123456Z"}"#);
/// assert_eq!(show(TimeFormat::EpochSeconds(TimePrecision::Millis)), r#"{"asctime":1700000000.123}"#);
/// assert_eq!(show(TimeFormat::EpochMillis), r#"{"asctime":1700000000123}"#);
/// assert_eq!(show(TimeFormat::EpochNanos), r#"{"asctime":1700000000123456789}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// RFC 3339 (`2026-11-22T02:33:49.123+01:00`) in the formatter's time
    /// zone: the local zone unless `utc(true)` (then `Z`) or `time_zone`.
    /// The fraction is truncated to the precision. An offset that is not a
    /// whole number of minutes (old local mean times) cannot be written in
    /// RFC 3339: such instants are written in UTC.
    Rfc3339(TimePrecision),
    /// Seconds since the Unix epoch as a number with 0, 3, 6 or 9
    /// decimals (`1763778829.123`), exact (no float rounding).
    EpochSeconds(TimePrecision),
    /// Whole milliseconds since the Unix epoch (`1763778829123`).
    EpochMillis,
    /// Nanoseconds since the Unix epoch (`1763778829123456789`).
    EpochNanos,
}

impl Default for TimeFormat {
    /// RFC 3339 with milliseconds.
    fn default() -> TimeFormat {
        TimeFormat::Rfc3339(TimePrecision::Millis)
    }
}

/// The digits of a second a timestamp shows.
///
/// ```
/// use lumber::{TimeFormat, TimePrecision};
/// assert_eq!(TimeFormat::default(), TimeFormat::Rfc3339(TimePrecision::Millis));
/// assert_eq!(TimePrecision::Micros.digits(), 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimePrecision {
    /// Whole seconds.
    Seconds,
    /// Milliseconds: 3 digits.
    #[default]
    Millis,
    /// Microseconds: 6 digits.
    Micros,
    /// Nanoseconds: 9 digits.
    Nanos,
}

impl TimePrecision {
    /// The number of decimals: 0, 3, 6 or 9.
    ///
    /// ```
    /// assert_eq!(lumber::TimePrecision::Seconds.digits(), 0);
    /// ```
    pub fn digits(self) -> u32 {
        match self {
            TimePrecision::Seconds => 0,
            TimePrecision::Millis => 3,
            TimePrecision::Micros => 6,
            TimePrecision::Nanos => 9,
        }
    }
}

/// A formatter's time settings, with an identity for the per-thread cache.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    format: TimeFormat,
    zone: Zone,
    id: u64,
}

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Clock {
    pub(crate) fn new(format: TimeFormat, zone: Zone) -> Clock {
        Clock {
            format,
            zone,
            id: next_id(),
        }
    }

    pub(crate) fn set_format(&mut self, format: TimeFormat) {
        self.format = format;
        self.id = next_id();
    }

    pub(crate) fn set_zone(&mut self, zone: Zone) {
        self.zone = zone;
        self.id = next_id();
    }

    /// Whether the time is text (RFC 3339), which JSON quotes, rather
    /// than a number.
    pub(crate) fn is_text(&self) -> bool {
        matches!(self.format, TimeFormat::Rfc3339(_))
    }

    /// Appends the time, unquoted.
    pub(crate) fn write(&self, out: &mut String, time: Timestamp) {
        let total = i128::from(time.seconds()) * 1_000_000_000 + i128::from(time.nanos());
        match self.format {
            TimeFormat::Rfc3339(precision) => self.rfc3339(out, time, precision),
            TimeFormat::EpochSeconds(precision) => {
                let digits = precision.digits();
                let units = total.div_euclid(10i128.pow(9 - digits));
                if units < 0 {
                    out.push('-');
                }
                let units = units.unsigned_abs();
                let scale = 10u128.pow(digits);
                push_u128(out, units / scale);
                if digits > 0 {
                    out.push('.');
                    push_padded(out, (units % scale) as u64, digits as usize);
                }
            }
            TimeFormat::EpochMillis => push_i128_time(out, total.div_euclid(1_000_000)),
            TimeFormat::EpochNanos => push_i128_time(out, total),
        }
    }

    fn rfc3339(&self, out: &mut String, time: Timestamp, precision: TimePrecision) {
        let second = time.seconds();
        let cached = CACHE
            .try_with(|cache| {
                let mut cache = cache.try_borrow_mut().ok()?;
                let cache = &mut *cache;
                let found = cache.slots.iter().position(|s| {
                    s.as_ref()
                        .is_some_and(|s| s.id == self.id && s.second == second)
                });
                let index = match found {
                    Some(index) => index,
                    None => {
                        let index = cache
                            .slots
                            .iter()
                            .position(|s| s.as_ref().is_some_and(|s| s.id == self.id))
                            .unwrap_or(cache.next % SLOTS);
                        cache.next = cache.next.wrapping_add(1);
                        let slot = cache.slots.get_mut(index)?.get_or_insert_with(|| Slot {
                            id: 0,
                            second: 0,
                            text: String::with_capacity(32),
                            offset: None,
                        });
                        let (civil, offset) = self.civil(second);
                        slot.id = self.id;
                        slot.second = second;
                        slot.text.clear();
                        civil.write(&mut slot.text);
                        slot.offset = offset;
                        index
                    }
                };
                let slot = cache.slots.get(index)?.as_ref()?;
                out.push_str(&slot.text);
                Some(slot.offset)
            })
            .ok()
            .flatten();
        let offset = match cached {
            Some(offset) => offset,
            None => {
                // The cache is in use (a value's `Display` logging while
                // it is formatted): render without it.
                let (civil, offset) = self.civil(second);
                civil.write(out);
                offset
            }
        };
        write_fraction(out, time.nanos(), precision);
        push_offset(out, offset);
    }

    /// The civil time of `second` in the zone, and its offset from UTC
    /// (`None`: written as `Z`).
    fn civil(&self, second: i64) -> (Civil, Option<i32>) {
        let utc = |s: i64| (Civil::from_unix(s), None);
        match &self.zone {
            Zone::Utc => utc(second),
            zone => {
                let tm = zone.tm(second, 0);
                if tm.utc_offset % 60 != 0 {
                    return utc(second);
                }
                let civil = Civil {
                    year: i64::from(tm.year),
                    month: u32::from(tm.month),
                    day: u32::from(tm.day),
                    hour: u32::from(tm.hour),
                    minute: u32::from(tm.minute),
                    second: u32::from(tm.second.min(59)),
                };
                (civil, Some(tm.utc_offset))
            }
        }
    }
}

/// `Z` or `+01:00`.
fn push_offset(out: &mut String, offset: Option<i32>) {
    match offset {
        None => out.push('Z'),
        Some(offset) => {
            out.push(if offset < 0 { '-' } else { '+' });
            let minutes = offset.unsigned_abs() / 60;
            push_padded(out, u64::from(minutes / 60), 2);
            out.push(':');
            push_padded(out, u64::from(minutes % 60), 2);
        }
    }
}

fn write_fraction(out: &mut String, nanos: u32, precision: TimePrecision) {
    let digits = precision.digits();
    if digits > 0 {
        out.push('.');
        let value = nanos.min(999_999_999) / 10u32.pow(9 - digits);
        push_padded(out, u64::from(value), digits as usize);
    }
}

fn push_u128(out: &mut String, n: u128) {
    match u64::try_from(n) {
        Ok(n) => push_u64(out, n),
        Err(_) => {
            let _ = std::fmt::Write::write_fmt(out, format_args!("{n}"));
        }
    }
}

fn push_i128_time(out: &mut String, n: i128) {
    match i64::try_from(n) {
        Ok(n) => push_i64(out, n),
        Err(_) => {
            let _ = std::fmt::Write::write_fmt(out, format_args!("{n}"));
        }
    }
}

/// A proleptic Gregorian date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    /// `2026-11-22T02:33:49`.
    fn write(&self, out: &mut String) {
        if (0..=9999).contains(&self.year) {
            push_padded(out, self.year as u64, 4);
        } else {
            // ISO 8601's expanded years.
            out.push(if self.year < 0 { '-' } else { '+' });
            push_padded(out, self.year.unsigned_abs(), 4);
        }
        out.push('-');
        push_padded(out, u64::from(self.month), 2);
        out.push('-');
        push_padded(out, u64::from(self.day), 2);
        out.push('T');
        push_padded(out, u64::from(self.hour), 2);
        out.push(':');
        push_padded(out, u64::from(self.minute), 2);
        out.push(':');
        push_padded(out, u64::from(self.second), 2);
    }

    /// UTC civil time of a Unix time (Howard Hinnant's `civil_from_days`).
    fn from_unix(t: i64) -> Civil {
        let days = t.div_euclid(86_400);
        let secs = t.rem_euclid(86_400) as u32;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
        }
    }
}

/// Each formatter's rendering of the current second, per thread.
const SLOTS: usize = 4;

struct Slot {
    id: u64,
    second: i64,
    /// `2026-11-22T02:33:49`.
    text: String,
    offset: Option<i32>,
}

struct Cache {
    slots: [Option<Slot>; SLOTS],
    next: usize,
}

thread_local! {
    static CACHE: RefCell<Cache> = const {
        RefCell::new(Cache { slots: [const { None }; SLOTS], next: 0 })
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(format: TimeFormat, zone: Zone, t: Timestamp) -> String {
        let clock = Clock::new(format, zone);
        let mut out = String::new();
        clock.write(&mut out, t);
        // A second time from the cache.
        let mut again = String::new();
        clock.write(&mut again, t);
        assert_eq!(out, again);
        out
    }

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(
            Civil::from_unix(0),
            Civil {
                year: 1970,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0
            }
        );
        let c = Civil::from_unix(951_782_400); // 2000-02-29
        assert_eq!((c.year, c.month, c.day), (2000, 2, 29));
        let c = Civil::from_unix(-1);
        assert_eq!((c.year, c.month, c.day, c.second), (1969, 12, 31, 59));
        let c = Civil::from_unix(253_402_300_800); // 10000-01-01
        assert_eq!((c.year, c.month, c.day), (10000, 1, 1));
        // Never panics at the extremes.
        let _ = Civil::from_unix(i64::MIN);
        let _ = Civil::from_unix(i64::MAX);
    }

    #[test]
    fn rfc3339_in_utc_and_fixed_zones() {
        let t = Timestamp::new(1_700_000_000, 45_678_901);
        let rfc = TimeFormat::Rfc3339;
        assert_eq!(
            show(rfc(TimePrecision::Millis), Zone::Utc, t),
            "2023-11-14T22:13:20.045Z"
        );
        assert_eq!(
            show(rfc(TimePrecision::Seconds), Zone::Utc, t),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            show(rfc(TimePrecision::Nanos), Zone::Utc, t),
            "2023-11-14T22:13:20.045678901Z"
        );
        let tokyo = Zone::Fixed(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
        assert_eq!(
            show(rfc(TimePrecision::Millis), tokyo, t),
            "2023-11-15T07:13:20.045+09:00"
        );
        let west = Zone::Fixed(jiff::tz::TimeZone::fixed(
            jiff::tz::Offset::from_seconds(-(3 * 3600 + 30 * 60)).unwrap(),
        ));
        assert_eq!(
            show(rfc(TimePrecision::Millis), west, t),
            "2023-11-14T18:43:20.045-03:30"
        );
        let odd = Zone::Fixed(jiff::tz::TimeZone::fixed(
            jiff::tz::Offset::from_seconds(561).unwrap(),
        ));
        assert_eq!(
            show(rfc(TimePrecision::Millis), odd, t),
            "2023-11-14T22:13:20.045Z"
        );
        assert_eq!(
            show(rfc(TimePrecision::Millis), Zone::Utc, Timestamp::new(-1, 0)),
            "1969-12-31T23:59:59.000Z"
        );
    }

    #[test]
    fn epoch_numbers_are_exact_and_floor() {
        let t = Timestamp::new(1_700_000_000, 45_678_901);
        let secs = TimeFormat::EpochSeconds;
        assert_eq!(
            show(secs(TimePrecision::Millis), Zone::Utc, t),
            "1700000000.045"
        );
        assert_eq!(
            show(secs(TimePrecision::Seconds), Zone::Utc, t),
            "1700000000"
        );
        assert_eq!(show(TimeFormat::EpochMillis, Zone::Utc, t), "1700000000045");
        assert_eq!(
            show(TimeFormat::EpochNanos, Zone::Utc, t),
            "1700000000045678901"
        );
        let before = Timestamp::new(-1, 500_000_000); // -0.5 s
        assert_eq!(
            show(secs(TimePrecision::Millis), Zone::Utc, before),
            "-0.500"
        );
        assert_eq!(show(secs(TimePrecision::Seconds), Zone::Utc, before), "-1");
        assert_eq!(show(TimeFormat::EpochMillis, Zone::Utc, before), "-500");
    }
}
