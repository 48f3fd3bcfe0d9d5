//! Rendering of parsed directives: glibc's `__strftime_internal` conversions,
//! padding, case conversion and `maxsize` check, in the C locale.

use super::Tm;
use super::format::{Conv, Directive, parse_directive};

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

/// Output buffer with glibc's `maxsize` check.  Python calls `wcsftime`, so
/// lengths, widths and the limit count characters (code points), not bytes.
pub(super) struct Sink<'a> {
    pub(super) buf: &'a mut String,
    /// Characters written since `base`.
    pub(super) count: u64,
    pub(super) limit: u64,
    pub(super) failed: bool,
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
    pub(super) fn put(&mut self, s: &str, n: usize, width: i32, pad: u8, case: Case) {
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
pub(super) enum Case {
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
pub(super) fn render(d: &Directive, tm: &Tm, sink: &mut Sink<'_>) {
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
