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

mod civil;
mod format;
mod posix;
mod render;
mod tzif;
mod zone;

pub use format::Strftime;
pub use zone::Zone;

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

#[cfg(test)]
mod tests;
