//! Proleptic Gregorian civil-date arithmetic, and glibc's `mktime` on top of it.

use super::Tm;
use super::zone::LocalZone;

/// A proleptic Gregorian calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Civil {
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
    pub(super) fn from_seconds(secs: i64) -> Civil {
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

    pub(super) fn into_tm(
        self,
        nanos: u32,
        utc_offset: i32,
        zone: String,
        unix_seconds: i64,
    ) -> Tm {
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
pub(super) fn mktime(local: &LocalZone, req: &Civil, isdst: i32) -> i64 {
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
