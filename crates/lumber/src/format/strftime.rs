//! TEMPORARY STUB (replaced by the real module).
#![allow(dead_code, missing_docs, clippy::all)]
use std::fmt::Write;
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tm {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanosecond: u32,
    pub weekday: u8,
    pub yday: u16,
    pub utc_offset: i32,
    pub zone: String,
    pub unix_seconds: i64,
}
#[derive(Debug, Clone)]
pub enum Zone {
    Local,
    Utc,
    Fixed(jiff::tz::TimeZone),
}
impl Zone {
    pub fn tm(&self, unix_seconds: i64, nanos: u32) -> Tm {
        let ts =
            jiff::Timestamp::new(unix_seconds, nanos as i32).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let tz = match self {
            Zone::Utc => jiff::tz::TimeZone::UTC,
            Zone::Local => jiff::tz::TimeZone::system(),
            Zone::Fixed(z) => z.clone(),
        };
        let z = ts.to_zoned(tz);
        let dt = z.datetime();
        Tm {
            year: dt.year() as i32,
            month: dt.month() as u8,
            day: dt.day() as u8,
            hour: dt.hour() as u8,
            minute: dt.minute() as u8,
            second: dt.second() as u8,
            nanosecond: nanos,
            weekday: dt.weekday().to_sunday_zero_offset() as u8,
            yday: dt.day_of_year() as u16,
            utc_offset: z.offset().seconds(),
            zone: "UTC".into(),
            unix_seconds,
        }
    }
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strftime {
    p: String,
}
impl Strftime {
    pub fn new(pattern: &str) -> Strftime {
        Strftime {
            p: pattern.to_owned(),
        }
    }
    pub fn format(&self, tm: &Tm, out: &mut String) {
        let mut it = self.p.chars();
        while let Some(c) = it.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match it.next() {
                Some('Y') => {
                    let _ = write!(out, "{:04}", tm.year);
                }
                Some('m') => {
                    let _ = write!(out, "{:02}", tm.month);
                }
                Some('d') => {
                    let _ = write!(out, "{:02}", tm.day);
                }
                Some('H') => {
                    let _ = write!(out, "{:02}", tm.hour);
                }
                Some('M') => {
                    let _ = write!(out, "{:02}", tm.minute);
                }
                Some('S') => {
                    let _ = write!(out, "{:02}", tm.second);
                }
                Some(o) => {
                    out.push('%');
                    out.push(o);
                }
                None => out.push('%'),
            }
        }
    }
    pub fn sub_second(&self) -> bool {
        false
    }
}
