//! [`Strftime`]: a pattern parsed into literals and directives the way
//! glibc's `strftime` walks its format.

use super::Tm;
use super::render::{Case, Sink, render};

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
pub(super) struct Directive {
    pub(super) conv: Conv,
    /// The last of the `_`, `-`, `0` flags, or 0.
    pub(super) pad: u8,
    /// The `^` flag.
    pub(super) upcase: bool,
    /// The `#` flag.
    pub(super) change_case: bool,
    /// Field width, -1 when none (saturates at `i32::MAX` like glibc).
    pub(super) width: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Conv {
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
pub(super) fn parse_directive(pattern: &str, start: usize) -> (Directive, usize) {
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
