//! The handlers, formatters and filters lumber builds from a
//! configuration, by class name: lumber's own names and Python's.

mod core;
#[cfg(feature = "journald")]
mod journald;
mod queue;
#[cfg(feature = "rotating")]
mod rotating;
#[cfg(feature = "syslog")]
mod syslog;
#[cfg(test)]
mod testing;

use std::sync::Arc;

use super::Args;
use super::node::{Node, Value};
use crate::filter::Filter;
use crate::format::Format;
use crate::handler::Handler;

/// A built-in factory: its class name, the Python names it also answers
/// to, the parameter names in Python's positional order (for `fileConfig`
/// `args`), and the function reading its options.
pub(crate) struct Builtin<T> {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub params: &'static [&'static str],
    pub build: fn(&mut Args<'_>) -> Option<T>,
}

/// Every built-in handler class.
pub(crate) fn handlers() -> Vec<Builtin<Handler>> {
    let mut v = core::handlers();
    v.extend(queue::handlers());
    #[cfg(feature = "rotating")]
    v.extend(rotating::handlers());
    #[cfg(feature = "syslog")]
    v.extend(syslog::handlers());
    #[cfg(feature = "journald")]
    v.extend(journald::handlers());
    v
}

/// Every built-in formatter class.
pub(crate) fn formatters() -> Vec<Builtin<Arc<dyn Format>>> {
    core::formatters()
}

/// Every built-in filter class.
pub(crate) fn filters() -> Vec<Builtin<Arc<dyn Filter>>> {
    core::filters()
}

/// Handler classes lumber knows by name but does not have, with what to
/// use instead (so a Python config naming one gets a clear answer).
pub(crate) const MISSING_HANDLERS: &[(&str, &str)] = &[
    ("SocketHandler", "not available yet"),
    ("DatagramHandler", "not available yet"),
    ("HTTPHandler", "not available yet"),
    ("SMTPHandler", "not available yet"),
    ("NTEventLogHandler", "Windows only; not available"),
    ("BufferingHandler", "use MemoryHandler"),
];

/// A handler-file encoding option: only UTF-8 is written.
pub(crate) fn check_encoding(a: &mut Args<'_>) {
    if let Some(enc) = a.str("encoding") {
        let e = enc.to_ascii_lowercase().replace(['-', '_'], "");
        if e != "utf8" {
            a.error("encoding", format!("only UTF-8 is written, got '{enc}'"));
        }
    }
    // Python's `errors` (what to do with unencodable characters) has no
    // effect: every Rust string encodes to UTF-8.
    let _ = a.str("errors");
}

/// Reads option `name` with `read` (one of the [`Args`] getters, or a
/// function like one); an option that is present but wrong (reported by
/// `read`) sets `bad`, so that a factory can read every option and then
/// build nothing from a configuration that will not be applied. Shared by
/// the factories of this directory.
pub(crate) fn checked<'a, T>(
    a: &mut Args<'a>,
    bad: &mut bool,
    name: &str,
    read: impl FnOnce(&mut Args<'a>, &str) -> Option<T>,
) -> Option<T> {
    let present = a.node(name).is_some();
    let value = read(a, name);
    *bad |= present && value.is_none();
    value
}

/// `'x'` for a string, the JSON text of anything else (for messages).
pub(crate) fn shown(n: &Node) -> String {
    match &n.value {
        Value::Str(s) => format!("'{s}'"),
        _ => n.to_json(),
    }
}

/// Python's `SysLogHandler.facility_names`, by number.
#[cfg(any(feature = "syslog", feature = "journald"))]
const FACILITIES: [&str; 24] = [
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "ntp",
    "security",
    "console",
    "solaris-cron",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7",
];

/// A syslog facility (journald's `SYSLOG_FACILITY`): a name of Python's
/// `facility_names` (any case; `LOG_LOCAL0`, `Facility.LOCAL0` too) or
/// its number.
#[cfg(any(feature = "syslog", feature = "journald"))]
pub(crate) fn facility_code(a: &mut Args<'_>, name: &str) -> Option<u8> {
    let n = a.node(name)?;
    let parsed = match &n.value {
        Value::Int(i) => u8::try_from(*i)
            .ok()
            .filter(|c| usize::from(*c) < FACILITIES.len()),
        Value::Str(s) => {
            let s = s.trim().trim_start_matches("ext://");
            let s = s.rsplit('.').next().unwrap_or(s);
            let s = s.strip_prefix("LOG_").unwrap_or(s).to_ascii_lowercase();
            FACILITIES
                .iter()
                .position(|f| *f == s)
                .or_else(|| s.parse::<usize>().ok().filter(|c| *c < FACILITIES.len()))
                .and_then(|c| u8::try_from(c).ok())
        }
        _ => None,
    };
    if parsed.is_none() {
        a.error(
            name,
            format!("expected a facility name like user, daemon or local0, or its number (0-23), got {}", shown(n)),
        );
    }
    parsed
}
