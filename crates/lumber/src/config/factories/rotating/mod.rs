//! Configuration factories for the rotating handlers: Python's
//! `RotatingFileHandler`, `TimedRotatingFileHandler` and
//! `WatchedFileHandler`, under their Python parameters, with lumber's
//! extensions (compression, retention by age, rollover by size and time,
//! dated names, several processes sharing a log, file permissions,
//! buffering) as snake_case options.

use std::path::PathBuf;
use std::time::Duration;

use jiff::tz::{Offset, TimeZone};

use super::core::truncate_mode;
use super::{Builtin, check_encoding};
use super::{checked, shown};
use crate::config::{Args, Node, Value};
use crate::handler::Handler;
use crate::handler::rotating::{
    Compression, RotatingFileHandler, TimedRotatingFileHandler, WatchedFileHandler, When,
};
use crate::level::Level;

/// The rotating handler classes.
pub(crate) fn handlers() -> Vec<Builtin<Handler>> {
    vec![
        Builtin {
            name: "RotatingFileHandler",
            aliases: &["logging.handlers.RotatingFileHandler"],
            params: &[
                "filename",
                "mode",
                "maxBytes",
                "backupCount",
                "encoding",
                "delay",
                "errors",
            ],
            build: rotating,
        },
        Builtin {
            name: "TimedRotatingFileHandler",
            aliases: &["logging.handlers.TimedRotatingFileHandler"],
            params: &[
                "filename",
                "when",
                "interval",
                "backupCount",
                "encoding",
                "delay",
                "utc",
                "atTime",
                "errors",
            ],
            build: timed,
        },
        Builtin {
            name: "WatchedFileHandler",
            aliases: &["logging.handlers.WatchedFileHandler"],
            params: &["filename", "mode", "encoding", "delay", "errors"],
            build: watched,
        },
    ]
}

/// The options both rotating handlers share (`RotatingOptions` and
/// `TimedOptions` have the same builder methods for them).
struct Common {
    permissions: Option<u32>,
    delay: bool,
    buffer: Option<usize>,
    flush_level: Option<Level>,
    terminator: Option<String>,
    multiprocess: bool,
    compress: Option<Compression>,
    compress_queue: Option<usize>,
    max_age: Option<Duration>,
}

/// Applies [`Common`] to a `RotatingOptions` or a `TimedOptions`.
macro_rules! with_common {
    ($options:expr, $common:expr) => {{
        let c = $common;
        let mut o = $options.delay(c.delay).multiprocess(c.multiprocess);
        if let Some(mode) = c.permissions {
            o = o.permissions(mode);
        }
        if let Some(bytes) = c.buffer {
            o = o.buffer(bytes);
        }
        if let Some(level) = c.flush_level {
            o = o.flush_level(level);
        }
        if let Some(t) = &c.terminator {
            o = o.terminator(t);
        }
        if let Some(compression) = c.compress {
            o = o.compress(compression);
        }
        if let Some(jobs) = c.compress_queue {
            o = o.compress_queue(jobs);
        }
        if let Some(age) = c.max_age {
            o = o.max_age(age);
        }
        o
    }};
}

/// The required `filename`.
fn filename(a: &mut Args<'_>) -> Option<PathBuf> {
    a.required("filename").and_then(|_| a.path_buf("filename"))
}

/// Python's `mode` (`a` or `w`), through the core factories' helper;
/// sets `bad` when it is wrong. Returns whether it asks to truncate.
fn mode(a: &mut Args<'_>, bad: &mut bool) -> bool {
    if let Some(m) = a.node("mode").and_then(Node::as_str) {
        *bad |= !matches!(m.trim_end_matches(['+', 'b', 't']), "a" | "w");
    }
    truncate_mode(a)
}

/// Python's `encoding` and `errors`, through the factories' helper; sets
/// `bad` when the encoding is not UTF-8.
fn encoding(a: &mut Args<'_>, bad: &mut bool) {
    if let Some(e) = a.node("encoding").and_then(Node::as_str) {
        *bad |= e.to_ascii_lowercase().replace(['-', '_'], "") != "utf8";
    }
    check_encoding(a);
}

/// Unix file mode: an integer (TOML's and YAML's `0o640`), or a string of
/// octal digits (`"0640"`, `"0o640"`, `"640"`).
fn permissions(a: &mut Args<'_>, bad: &mut bool) -> Option<u32> {
    let n = a.node("permissions")?;
    let parsed = match &n.value {
        Value::Int(i) => u32::try_from(*i).ok(),
        Value::Str(s) => {
            let t = s.trim();
            let t = t
                .strip_prefix("0o")
                .or_else(|| t.strip_prefix("0O"))
                .unwrap_or(t);
            (!t.is_empty() && t.bytes().all(|b| (b'0'..=b'7').contains(&b)))
                .then(|| u32::from_str_radix(t, 8).ok())
                .flatten()
        }
        _ => None,
    };
    match parsed.filter(|m| *m <= 0o777) {
        Some(mode) => Some(mode),
        None => {
            a.error(
                "permissions",
                format!(
                    "expected a file mode in octal like '0640' or '0o640', got {}",
                    shown(n)
                ),
            );
            *bad = true;
            None
        }
    }
}

/// `none`, `gzip` or `zstd`, if built in.
fn compression(a: &mut Args<'_>, bad: &mut bool) -> Option<Compression> {
    let s = a.str("compress")?;
    let result = match s.trim().to_ascii_lowercase().as_str() {
        "none" | "false" | "off" | "" => Ok(Compression::None),
        #[cfg(feature = "gzip")]
        "gzip" | "gz" => Ok(Compression::Gzip),
        #[cfg(feature = "zstd")]
        "zstd" | "zst" => Ok(Compression::Zstd),
        // Named but not built in (unreachable when both features are on).
        #[allow(unreachable_patterns)]
        c @ ("gzip" | "gz" | "zstd" | "zst") => {
            let feature = if c.starts_with('g') { "gzip" } else { "zstd" };
            Err(format!(
                "{feature} compression is not built in (lumber's '{feature}' feature)"
            ))
        }
        _ => Err(format!("expected one of none, gzip, zstd, got '{s}'")),
    };
    match result {
        Ok(c) => Some(c),
        Err(msg) => {
            a.error("compress", msg);
            *bad = true;
            None
        }
    }
}

/// A count that must fit `u32` (`backup_count`, `interval`).
fn count_u32(a: &mut Args<'_>, name: &str) -> Option<u32> {
    let n = a.node(name)?;
    let c = a.count(name)?;
    match u32::try_from(c) {
        Ok(c) => Some(c),
        Err(_) => {
            a.error(
                name,
                format!("expected a number up to {}, got {}", u32::MAX, shown(n)),
            );
            None
        }
    }
}

/// Reads the options [`Common`] holds, and refuses Python's `namer` and
/// `rotator`, which are functions.
fn common(a: &mut Args<'_>, bad: &mut bool) -> Common {
    let delay = checked(a, bad, "delay", Args::bool).unwrap_or(false);
    let permissions = permissions(a, bad);
    let buffer =
        checked(a, bad, "buffer", Args::size).map(|b| usize::try_from(b).unwrap_or(usize::MAX));
    let flush_level = checked(a, bad, "flush_level", Args::level);
    let terminator = checked(a, bad, "terminator", Args::str);
    let multiprocess = checked(a, bad, "multiprocess", Args::bool).unwrap_or(false);
    let compress = compression(a, bad);
    let compress_queue = checked(a, bad, "compress_queue", Args::count);
    let max_age = checked(a, bad, "max_age", Args::duration);
    if multiprocess && buffer.is_some_and(|b| b > 0) {
        a.error(
            "buffer",
            "cannot be used with multiprocess: in multi-process mode each record is written at once, under the lock",
        );
        *bad = true;
    }
    if compress_queue == Some(0) {
        a.error("compress_queue", "expected at least 1");
        *bad = true;
    }
    for key in ["namer", "rotator"] {
        if a.node(key).is_some() {
            a.error(
                key,
                format!(
                    "a Python function cannot be configured; set the {key} in code, or use compress / dated"
                ),
            );
            *bad = true;
        }
    }
    Common {
        permissions,
        delay,
        buffer,
        flush_level,
        terminator,
        multiprocess,
        compress,
        compress_queue,
        max_age,
    }
}

/// `RotatingFileHandler`: by size, `app.log.1` ... `app.log.N`.
fn rotating(a: &mut Args<'_>) -> Option<Handler> {
    let mut bad = false;
    let path = filename(a);
    let truncate = mode(a, &mut bad);
    encoding(a, &mut bad);
    let max_bytes = checked(a, &mut bad, "max_bytes", Args::size).unwrap_or(0);
    let backup_count = checked(a, &mut bad, "backup_count", count_u32).unwrap_or(0);
    let common = common(a, &mut bad);
    // Python opens in append mode whenever max_bytes is set; only a file
    // that never rolls over would be truncated.
    if truncate && max_bytes == 0 {
        a.error(
            "mode",
            "'w' (truncate) is not supported: lumber's RotatingFileHandler appends (set max_bytes to rotate)",
        );
        bad = true;
    }
    let path = path?;
    if bad || a.check_only() {
        return None;
    }
    let options = RotatingFileHandler::options(&path)
        .max_bytes(max_bytes)
        .backup_count(backup_count);
    match with_common!(options, &common).open() {
        Ok(h) => Some(Handler::new(h)),
        Err(e) => {
            a.error("filename", format!("cannot open {}: {e}", path.display()));
            None
        }
    }
}

/// Python's `when`: S, M, H, D, midnight, W0-W6, in any case.
fn parse_when(a: &mut Args<'_>, name: &str) -> Option<When> {
    let s = a.str(name)?;
    match s.trim().parse::<When>() {
        Ok(w) => Some(w),
        Err(_) => {
            a.error(
                name,
                format!("expected one of S, M, H, D, midnight, W0-W6 (W0 is Monday), got '{s}'"),
            );
            None
        }
    }
}

/// `HH:MM` or `HH:MM:SS`.
fn parse_time_of_day(s: &str) -> Option<(u8, u8, u8)> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut v = [0u8; 3];
    for (slot, part) in v.iter_mut().zip(&parts) {
        if part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    let [h, m, sec] = v;
    (h < 24 && m < 60 && sec < 60).then_some((h, m, sec))
}

/// Python's `atTime`: `"HH:MM[:SS]"`, or `[h, m]` / `[h, m, s]`.
fn at_time(a: &mut Args<'_>, bad: &mut bool) -> Option<(u8, u8, u8)> {
    let n = a.node("at_time")?;
    let parsed = match &n.value {
        Value::Str(s) => parse_time_of_day(s),
        Value::List(items) if (2..=3).contains(&items.len()) => {
            let nums: Option<Vec<String>> = items
                .iter()
                .map(|i| i.as_i64().map(|x| format!("{x:02}")))
                .collect();
            nums.and_then(|n| parse_time_of_day(&n.join(":")))
        }
        _ => None,
    };
    if parsed.is_none() {
        a.error(
            "at_time",
            format!(
                "expected a time of day like '02:30' or '02:30:00', got {}",
                shown(n)
            ),
        );
        *bad = true;
    }
    parsed
}

/// `UTC`, `local`, an IANA name (`Europe/Paris`) or a fixed offset
/// (`+09:00`, `-0530`).
fn parse_zone(s: &str) -> Option<TimeZone> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "utc" | "z" => return Some(TimeZone::UTC),
        "local" | "system" => return Some(TimeZone::system()),
        _ => {}
    }
    if let Some(rest) = t.strip_prefix(['+', '-']) {
        let sign = if t.starts_with('-') { -1 } else { 1 };
        let digits: String = rest.chars().filter(|c| *c != ':').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !(1..=4).contains(&digits.len()) {
            return None;
        }
        let (h, m) = if digits.len() <= 2 {
            (digits.as_str(), "0")
        } else {
            digits.split_at(digits.len() - 2)
        };
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        if m >= 60 {
            return None;
        }
        return Offset::from_seconds(sign * (h * 3600 + m * 60))
            .ok()
            .map(TimeZone::fixed);
    }
    TimeZone::get(t).ok()
}

/// `TimedRotatingFileHandler`: by time (and size), Python's names, or
/// dated ones.
fn timed(a: &mut Args<'_>) -> Option<Handler> {
    let mut bad = false;
    let path = filename(a);
    encoding(a, &mut bad);
    let when = checked(a, &mut bad, "when", parse_when).unwrap_or(When::Hour);
    let interval = checked(a, &mut bad, "interval", count_u32).unwrap_or(1);
    let backup_count = checked(a, &mut bad, "backup_count", count_u32).unwrap_or(0);
    let utc = checked(a, &mut bad, "utc", Args::bool).unwrap_or(false);
    let at = at_time(a, &mut bad);
    let zone = checked(a, &mut bad, "time_zone", |a, n| {
        let s = a.str(n)?;
        let z = parse_zone(&s);
        if z.is_none() {
            a.error(n, format!("expected UTC, local, a zone name like Europe/Paris or an offset like +09:00, got '{s}'"));
        }
        z
    });
    let max_bytes = checked(a, &mut bad, "max_bytes", Args::size).unwrap_or(0);
    let dated = checked(a, &mut bad, "dated", Args::bool).unwrap_or(false);
    let common = common(a, &mut bad);
    if interval == 0 {
        a.error("interval", "expected at least 1");
        bad = true;
    }
    if at.is_some() && !matches!(when, When::Midnight | When::Weekday(_)) {
        a.error(
            "at_time",
            format!("only used when rolling over at midnight or on a weekday (when: midnight or W0-W6), not when: {when}"),
        );
        bad = true;
    }
    if utc && zone.is_some() {
        a.error("time_zone", "cannot be used with utc: true");
        bad = true;
    }
    let path = path?;
    if bad || a.check_only() {
        return None;
    }
    let mut options = TimedRotatingFileHandler::options(&path)
        .when(when)
        .interval(interval)
        .backup_count(backup_count)
        .utc(utc)
        .max_bytes(max_bytes)
        .dated(dated);
    if let Some((h, m, s)) = at {
        options = options.at_time(h, m, s);
    }
    if let Some(z) = zone {
        options = options.time_zone(z);
    }
    match with_common!(options, &common).open() {
        Ok(h) => Some(Handler::new(h)),
        Err(e) => {
            a.error("filename", format!("cannot open {}: {e}", path.display()));
            None
        }
    }
}

/// `WatchedFileHandler`: reopens a file moved or deleted by logrotate.
fn watched(a: &mut Args<'_>) -> Option<Handler> {
    let mut bad = false;
    let path = filename(a);
    let truncate = mode(a, &mut bad);
    encoding(a, &mut bad);
    let delay = checked(a, &mut bad, "delay", Args::bool).unwrap_or(false);
    let permissions = permissions(a, &mut bad);
    let terminator = checked(a, &mut bad, "terminator", Args::str);
    let check_interval = checked(a, &mut bad, "check_interval", Args::duration);
    if truncate {
        a.error(
            "mode",
            "'w' (truncate) is not supported: lumber's WatchedFileHandler appends",
        );
        bad = true;
    }
    let path = path?;
    if bad || a.check_only() {
        return None;
    }
    let mut options = WatchedFileHandler::options(&path).delay(delay);
    if let Some(mode) = permissions {
        options = options.permissions(mode);
    }
    if let Some(t) = &terminator {
        options = options.terminator(t);
    }
    if let Some(i) = check_interval {
        options = options.check_interval(i);
    }
    match options.open() {
        Ok(h) => Some(Handler::new(h)),
        Err(e) => {
            a.error("filename", format!("cannot open {}: {e}", path.display()));
            None
        }
    }
}

#[cfg(test)]
mod tests;
