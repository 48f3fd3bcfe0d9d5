//! When a timed rollover is due and what the rolled-over file is called:
//! Python's `TimedRotatingFileHandler.computeRollover`, its suffixes and
//! its `extMatch` patterns, with the daylight-saving arithmetic done on
//! the wall clock (jiff) instead of by adding or removing an hour.

use std::fmt;
use std::io;
use std::str::FromStr;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// When a [`crate::TimedRotatingFileHandler`] rolls over: Python's `when`
/// argument. `"S"`, `"M"`, `"H"`, `"D"`, `"midnight"` and `"W0"`–`"W6"`
/// parse (in any case).
///
/// - [`When::Second`], [`When::Minute`], [`When::Hour`], [`When::Day`]:
///   every `interval` seconds, minutes, hours or days (of 86,400 s),
///   counted from when the file was last written (or created);
/// - [`When::Midnight`]: at midnight (or at `at_time`) every `interval`
///   days, on the wall clock of the handler's time zone;
/// - [`When::Weekday`]`(d)`: on weekday `d` (0 is Monday) at midnight (or
///   `at_time`) every `interval` weeks.
///
/// ```
/// use lumber::When;
/// assert_eq!("midnight".parse::<When>().unwrap(), When::Midnight);
/// assert_eq!("w6".parse::<When>().unwrap(), When::Weekday(6));
/// assert_eq!("H".parse::<When>().unwrap(), When::Hour);
/// assert!("W7".parse::<When>().is_err());
/// assert_eq!(When::Weekday(0).to_string(), "W0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// Every `interval` seconds (`"S"`); suffix `%Y-%m-%d_%H-%M-%S`.
    Second,
    /// Every `interval` minutes (`"M"`); suffix `%Y-%m-%d_%H-%M`.
    Minute,
    /// Every `interval` hours (`"H"`, Python's default); suffix `%Y-%m-%d_%H`.
    Hour,
    /// Every `interval` days of 86,400 seconds (`"D"`); suffix `%Y-%m-%d`.
    Day,
    /// At midnight, or at `at_time`, local or UTC (`"midnight"`); suffix
    /// `%Y-%m-%d`.
    Midnight,
    /// On a weekday, 0 (Monday) to 6 (Sunday), at midnight or `at_time`
    /// (`"W0"`–`"W6"`); suffix `%Y-%m-%d`.
    Weekday(u8),
}

impl FromStr for When {
    type Err = io::Error;

    fn from_str(s: &str) -> Result<When, io::Error> {
        let upper = s.to_ascii_uppercase();
        Ok(match upper.as_str() {
            "S" => When::Second,
            "M" => When::Minute,
            "H" => When::Hour,
            "D" => When::Day,
            "MIDNIGHT" => When::Midnight,
            w if w.len() == 2 && w.starts_with('W') => {
                let day = w.as_bytes()[1];
                if !(b'0'..=b'6').contains(&day) {
                    return Err(invalid(format!(
                        "Invalid day specified for weekly rollover: {s}"
                    )));
                }
                When::Weekday(day - b'0')
            }
            w if w.starts_with('W') => {
                return Err(invalid(format!(
                    "You must specify a day for weekly rollover from 0 to 6 (0 is Monday): {s}"
                )));
            }
            _ => {
                return Err(invalid(format!("Invalid rollover interval specified: {s}")));
            }
        })
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Second => f.write_str("S"),
            When::Minute => f.write_str("M"),
            When::Hour => f.write_str("H"),
            When::Day => f.write_str("D"),
            When::Midnight => f.write_str("MIDNIGHT"),
            When::Weekday(d) => write!(f, "W{d}"),
        }
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// A validated rollover schedule.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    when: When,
    interval: u32,
    zone: TimeZone,
    /// Seconds after midnight for `Midnight` and `Weekday`.
    at: Option<Time>,
}

impl Schedule {
    pub(crate) fn new(
        when: When,
        interval: u32,
        zone: TimeZone,
        at: Option<(u8, u8, u8)>,
    ) -> io::Result<Schedule> {
        if let When::Weekday(d) = when
            && d > 6
        {
            return Err(invalid(format!(
                "Invalid day specified for weekly rollover: W{d}"
            )));
        }
        if interval == 0 {
            return Err(invalid("the rollover interval must be at least 1".into()));
        }
        let at = match at {
            None => None,
            Some((h, m, s)) => Some(
                Time::new(
                    i8::try_from(h).unwrap_or(i8::MAX),
                    i8::try_from(m).unwrap_or(i8::MAX),
                    i8::try_from(s).unwrap_or(i8::MAX),
                    0,
                )
                .map_err(|e| invalid(format!("invalid at_time {h:02}:{m:02}:{s:02}: {e}")))?,
            ),
        };
        Ok(Schedule {
            when,
            interval,
            zone,
            at,
        })
    }

    /// A short description, to tell whether two processes share a schedule.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.when,
            self.interval,
            self.zone.iana_name().unwrap_or("local"),
            self.at
                .map(|t| format!("{:02}{:02}{:02}", t.hour(), t.minute(), t.second()))
                .unwrap_or_default()
        )
        .replace(char::is_whitespace, "_")
    }

    /// Seconds per interval for the fixed-length schedules.
    fn interval_seconds(&self) -> i64 {
        let unit: i64 = match self.when {
            When::Second => 1,
            When::Minute => 60,
            When::Hour => 3600,
            When::Day | When::Midnight => 86_400,
            When::Weekday(_) => 7 * 86_400,
        };
        unit.saturating_mul(i64::from(self.interval))
    }

    fn wall_clock(&self) -> bool {
        matches!(self.when, When::Midnight | When::Weekday(_))
    }

    fn civil(&self, t: i64) -> DateTime {
        let ts = Timestamp::from_second(t).unwrap_or(if t < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        });
        self.zone.to_datetime(ts)
    }

    /// The first rollover after `t` (Python's `computeRollover`): `t +
    /// interval` for the fixed schedules; the next `at_time` (midnight by
    /// default) on the wall clock, on the right weekday, `interval - 1`
    /// days or weeks further, for the others. Always later than `t`.
    pub(crate) fn next_rollover(&self, t: i64) -> i64 {
        if !self.wall_clock() {
            return t.saturating_add(self.interval_seconds());
        }
        let now = self.civil(t);
        let at = self.at.unwrap_or(Time::midnight());
        let mut date = now.date();
        if now.time() >= at {
            date = next_day(date, 1);
        }
        let mut extra_days = i64::from(self.interval - 1);
        if let When::Weekday(day) = self.when {
            // Python's default rollover time is 24:00 (the midnight that
            // ends the day), so "W0" rolls over as Monday ends; with an
            // `at_time`, at that time on Monday.
            let day = if self.at.is_none() {
                (day + 1) % 7
            } else {
                day
            };
            let today = i64::from(date.weekday().to_monday_zero_offset());
            let wait = (i64::from(day) - today).rem_euclid(7);
            date = next_day(date, wait);
            extra_days *= 7;
        }
        date = next_day(date, extra_days);
        // A rollover time that falls in a gap (spring forward) happens as
        // the gap ends; in a fold (fall back) at the first of the two.
        // If that is not after `t` (`t` is in the second pass of a fold
        // after the rollover already happened), go on to the next one.
        let step = if matches!(self.when, When::Weekday(_)) {
            7
        } else {
            1
        } * i64::from(self.interval);
        for _ in 0..4 {
            let candidate = self.instant(date.to_datetime(at));
            if candidate > t {
                return candidate;
            }
            date = next_day(date, step);
        }
        t.saturating_add(self.interval_seconds())
    }

    fn instant(&self, dt: DateTime) -> i64 {
        self.zone
            .to_ambiguous_timestamp(dt)
            .compatible()
            .map(Timestamp::as_second)
            .unwrap_or(i64::MAX)
    }

    /// The suffix naming the interval that ends at `rollover_at`: the start
    /// of the interval, as Python names it (`rolloverAt - interval`), in
    /// wall-clock days or weeks for `Midnight` and `Weekday`.
    pub(crate) fn suffix_for(&self, rollover_at: i64) -> String {
        if self.wall_clock() {
            let mut days = i64::from(self.interval);
            if matches!(self.when, When::Weekday(_)) {
                days *= 7;
            }
            let date = next_day(self.civil(rollover_at).date(), -days);
            return format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
        }
        let dt = self.civil(rollover_at.saturating_sub(self.interval_seconds()));
        let (y, mo, d, h, mi, s) = (
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
        );
        match self.when {
            When::Second => format!("{y:04}-{mo:02}-{d:02}_{h:02}-{mi:02}-{s:02}"),
            When::Minute => format!("{y:04}-{mo:02}-{d:02}_{h:02}-{mi:02}"),
            When::Hour => format!("{y:04}-{mo:02}-{d:02}_{h:02}"),
            _ => format!("{y:04}-{mo:02}-{d:02}"),
        }
    }

    /// Python's `extMatch`: whether one dot-separated part of a file name
    /// is a suffix of this schedule (`^\d{4}-\d{2}-\d{2}(_\d{2}...)?$`).
    pub(crate) fn matches_suffix(&self, part: &str) -> bool {
        let shape: &[u8] = match self.when {
            When::Second => b"dddd-dd-dd_dd-dd-dd",
            When::Minute => b"dddd-dd-dd_dd-dd",
            When::Hour => b"dddd-dd-dd_dd",
            _ => b"dddd-dd-dd",
        };
        part.len() == shape.len()
            && part.bytes().zip(shape).all(|(c, &s)| {
                if s == b'd' {
                    c.is_ascii_digit()
                } else {
                    c == s
                }
            })
    }
}

fn next_day(date: Date, days: i64) -> Date {
    date.checked_add(days.days()).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    fn at(zone: &TimeZone, s: &str) -> i64 {
        let dt: DateTime = s.parse().unwrap();
        zone.to_ambiguous_timestamp(dt)
            .compatible()
            .unwrap()
            .as_second()
    }

    fn show(zone: &TimeZone, t: i64) -> String {
        zone.to_datetime(Timestamp::from_second(t).unwrap())
            .to_string()
    }

    #[test]
    fn midnight_is_on_the_wall_clock_across_dst() {
        let ny = zone("America/New_York");
        let s = Schedule::new(When::Midnight, 1, ny.clone(), None).unwrap();
        // Started at 00:30 on the day clocks spring forward: Python 3.11
        // says 01:00 the next day; the next midnight is right.
        let t = at(&ny, "2024-03-10T00:30");
        assert_eq!(show(&ny, s.next_rollover(t)), "2024-03-11T00:00:00");
        let t = at(&ny, "2024-11-03T00:30");
        assert_eq!(show(&ny, s.next_rollover(t)), "2024-11-04T00:00:00");
        assert_eq!(s.suffix_for(s.next_rollover(t)), "2024-11-03");
    }

    #[test]
    fn at_time_in_a_gap_or_fold() {
        let ny = zone("America/New_York");
        let s = Schedule::new(When::Midnight, 1, ny.clone(), Some((2, 30, 0))).unwrap();
        let t = at(&ny, "2024-03-10T01:00");
        assert_eq!(show(&ny, s.next_rollover(t)), "2024-03-10T03:30:00");
        let s = Schedule::new(When::Midnight, 1, ny.clone(), Some((1, 30, 0))).unwrap();
        let first = s.next_rollover(at(&ny, "2024-11-03T00:10"));
        assert_eq!(show(&ny, first), "2024-11-03T01:30:00");
        // In the second 01:xx hour, the day's rollover already happened.
        let second_pass = first + 3600 - 600;
        assert_eq!(
            show(&ny, s.next_rollover(second_pass)),
            "2024-11-04T01:30:00"
        );
    }

    #[test]
    fn weekly_and_intervals() {
        let utc = TimeZone::UTC;
        // 2024-01-15 is a Monday.
        let t = at(&utc, "2024-01-15T10:00");
        // As Python: "W0" rolls over at the midnight that ends Monday.
        let w0 = Schedule::new(When::Weekday(0), 1, utc.clone(), None).unwrap();
        assert_eq!(show(&utc, w0.next_rollover(t)), "2024-01-16T00:00:00");
        let w2 = Schedule::new(When::Weekday(2), 1, utc.clone(), None).unwrap();
        assert_eq!(show(&utc, w2.next_rollover(t)), "2024-01-18T00:00:00");
        assert_eq!(w2.suffix_for(w2.next_rollover(t)), "2024-01-11");
        let w2at = Schedule::new(When::Weekday(2), 1, utc.clone(), Some((0, 0, 0))).unwrap();
        assert_eq!(show(&utc, w2at.next_rollover(t)), "2024-01-17T00:00:00");
        let h3 = Schedule::new(When::Hour, 3, utc.clone(), None).unwrap();
        assert_eq!(h3.next_rollover(t), t + 3 * 3600);
        assert_eq!(h3.suffix_for(t + 3 * 3600), "2024-01-15_10");
        let m2 = Schedule::new(When::Midnight, 2, utc.clone(), Some((6, 0, 0))).unwrap();
        assert_eq!(show(&utc, m2.next_rollover(t)), "2024-01-17T06:00:00");
    }

    #[test]
    fn ext_match() {
        let s = Schedule::new(When::Hour, 1, TimeZone::UTC, None).unwrap();
        assert!(s.matches_suffix("2024-01-15_10"));
        assert!(!s.matches_suffix("2024-01-15"));
        assert!(!s.matches_suffix("2024-01-15_1x"));
        let d = Schedule::new(When::Day, 1, TimeZone::UTC, None).unwrap();
        assert!(d.matches_suffix("2024-01-15"));
        assert!(!d.matches_suffix("lock"));
        assert!(Schedule::new(When::Weekday(7), 1, TimeZone::UTC, None).is_err());
        assert!(Schedule::new(When::Day, 0, TimeZone::UTC, None).is_err());
        assert!(Schedule::new(When::Midnight, 1, TimeZone::UTC, Some((24, 0, 0))).is_err());
    }
}
