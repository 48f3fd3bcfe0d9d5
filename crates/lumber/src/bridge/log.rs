//! lumber as the backend of the [`log`] facade.
//!
//! Every record logged with `log::info!` and friends, by any crate, lands
//! on the lumber logger named after its target (`hyper::client::pool` →
//! `hyper.client.pool`), with its file, line and module path, and with
//! `log`'s key-values as record fields. [`basic_config`](crate::basic_config)
//! installs the bridge; [`init`] installs it on its own.
//!
//! `log::max_level()` follows lumber's hierarchy: it is the most verbose
//! level any lumber logger lets through, recomputed whenever a level
//! changes anywhere, so a `log::debug!` that no logger would take costs
//! what the facade's own check costs and never reaches lumber.
//!
//! ```
//! use lumber::{get_logger, Level};
//!
//! lumber::bridge::log::init().ok(); // Err if another `log` backend is set
//! get_logger("my_dep").set_level(Level::DEBUG);
//! log::debug!(target: "my_dep::pool", "connections: {}", 4);
//! assert!(log::max_level() >= log::LevelFilter::Debug);
//! ```
//!
//! Levels map one to one: `Error` → ERROR, `Warn` → WARNING, `Info` →
//! INFO, `Debug` → DEBUG, `Trace` → TRACE. A lumber logger set to a level
//! between two of `log`'s (a custom `NOTICE = 25`) lets through the `log`
//! levels at or above it.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use log::kv::{self, VisitSource};

use super::{SiteRef, dispatch, static_site, target_logger};
use crate::level::Level;
use crate::record::{Function, Site};
use crate::value::Value;

/// The `log::Log` implementation that forwards into lumber.
///
/// ```
/// use log::Log;
/// let bridge = lumber::bridge::log::LogBridge;
/// let meta = log::Metadata::builder().target("doc.bridge").level(log::Level::Error).build();
/// assert!(bridge.enabled(&meta)); // ERROR passes the root's default WARNING
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct LogBridge;

static BRIDGE: LogBridge = LogBridge;
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Makes lumber the `log` facade's backend and syncs `log::max_level()`
/// with the hierarchy. Fails if another backend was set first (the facade
/// allows one per process); calling it again once lumber is the backend
/// is fine.
///
/// ```
/// lumber::bridge::log::init().ok();
/// assert!(lumber::bridge::log::is_installed());
/// ```
pub fn init() -> Result<(), log::SetLoggerError> {
    if INSTALLED.load(Ordering::Acquire) {
        return Ok(());
    }
    log::set_logger(&BRIDGE)?;
    INSTALLED.store(true, Ordering::Release);
    sync_max_level();
    Ok(())
}

/// Whether [`init`] made lumber the `log` backend.
///
/// ```
/// let _ = lumber::bridge::log::is_installed();
/// ```
pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::Acquire)
}

/// Sets `log::max_level()` from the hierarchy's most verbose gate. Called
/// by the manager after every level change.
pub(crate) fn sync_max_level() {
    if INSTALLED.load(Ordering::Acquire) {
        // Read and set under one lock: every change stores the new lowest
        // gate before calling this, so whichever call sets last has read
        // the latest value (two changes on two threads cannot leave the
        // older one in place).
        static SYNC: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _lock = SYNC
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        log::set_max_level(level_filter(crate::logger::min_threshold()));
    }
}

/// The `log` filter that lets through every `log` level at or above a
/// lumber gate of `threshold`.
fn level_filter(threshold: u32) -> log::LevelFilter {
    use log::LevelFilter as F;
    [F::Trace, F::Debug, F::Info, F::Warn, F::Error]
        .into_iter()
        .find(|f| {
            f.to_level()
                .is_some_and(|l| from_log(l).value() >= threshold)
        })
        .unwrap_or(F::Off)
}

/// A `log` level as a lumber level.
///
/// ```
/// use lumber::{bridge::log::from_log, Level};
/// assert_eq!(from_log(log::Level::Warn), Level::WARNING);
/// assert_eq!(from_log(log::Level::Trace), Level::TRACE);
/// ```
pub fn from_log(level: log::Level) -> Level {
    match level {
        log::Level::Error => Level::ERROR,
        log::Level::Warn => Level::WARNING,
        log::Level::Info => Level::INFO,
        log::Level::Debug => Level::DEBUG,
        log::Level::Trace => Level::TRACE,
    }
}

impl log::Log for LogBridge {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        target_logger(metadata.target()).is_enabled_for(from_log(metadata.level()))
    }

    fn log(&self, record: &log::Record<'_>) {
        let logger = target_logger(record.target());
        let level = from_log(record.level());
        if !logger.is_enabled_for(level) {
            return;
        }
        // A record logged through `log` while this thread is already
        // handling one (a sink that uses a crate that logs) is dropped, as
        // `tracing` drops events raised inside its subscriber: it could
        // only recurse into the same handlers or deadlock on their locks.
        let Some(_inside) = Inside::enter() else {
            return;
        };
        let site_static = match (record.file_static(), record.module_path_static()) {
            (Some(file), module) => Some(static_site(
                file,
                record.line().unwrap_or(0),
                module.unwrap_or(""),
            )),
            (None, None) if record.line().is_none() => Some(&Site::UNKNOWN),
            _ => None,
        };
        let dynamic = Site {
            module_path: record.module_path().unwrap_or(""),
            file: record.file().unwrap_or(Site::UNKNOWN.file),
            line: record.line().unwrap_or(0),
            template: "",
            function: Function::Unknown,
        };
        let site = match site_static {
            Some(s) => SiteRef::Static(s),
            None => SiteRef::Dynamic(&dynamic),
        };
        let source = record.key_values();
        if source.count() == 0 {
            dispatch(logger, level, site, *record.args(), &[], None);
            return;
        }
        let mut pairs = Pairs(Vec::with_capacity(source.count()));
        let _ = source.visit(&mut pairs);
        let fields: Vec<(&str, Value<'_>)> = pairs
            .0
            .iter()
            .map(|(k, v)| (k.as_str(), value(v)))
            .collect();
        dispatch(logger, level, site, *record.args(), &fields, None);
    }

    fn flush(&self) {
        crate::flush();
    }
}

thread_local! {
    static INSIDE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as handling a `log` record until dropped.
struct Inside;

impl Inside {
    fn enter() -> Option<Inside> {
        let entered = INSIDE
            .try_with(|inside| !inside.replace(true))
            .unwrap_or(false);
        entered.then_some(Inside)
    }
}

impl Drop for Inside {
    fn drop(&mut self) {
        let _ = INSIDE.try_with(|inside| inside.set(false));
    }
}

struct Pairs<'kvs>(Vec<(kv::Key<'kvs>, kv::Value<'kvs>)>);

impl<'kvs> VisitSource<'kvs> for Pairs<'kvs> {
    fn visit_pair(&mut self, key: kv::Key<'kvs>, value: kv::Value<'kvs>) -> Result<(), kv::Error> {
        self.0.push((key, value));
        Ok(())
    }
}

/// A `log` value as a field value: numbers, booleans and strings keep
/// their type; anything else is shown with its `Display`.
fn value<'v>(v: &'v kv::Value<'v>) -> Value<'v> {
    if let Some(s) = v.to_borrowed_str() {
        Value::Str(s)
    } else if let Some(b) = v.to_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.to_i64() {
        Value::I64(n)
    } else if let Some(n) = v.to_u64() {
        Value::U64(n)
    } else if let Some(n) = v.to_f64() {
        Value::F64(n)
    } else {
        Value::Display(v as &dyn fmt::Display)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_filter_follows_the_most_verbose_gate() {
        use log::LevelFilter as F;
        assert_eq!(level_filter(0), F::Trace);
        assert_eq!(level_filter(5), F::Trace);
        assert_eq!(level_filter(6), F::Debug);
        assert_eq!(level_filter(10), F::Debug);
        assert_eq!(level_filter(20), F::Info);
        assert_eq!(level_filter(25), F::Warn); // NOTICE lets WARN and up through
        assert_eq!(level_filter(30), F::Warn);
        assert_eq!(level_filter(50), F::Off);
        assert_eq!(level_filter(u32::MAX), F::Off);
    }
}
