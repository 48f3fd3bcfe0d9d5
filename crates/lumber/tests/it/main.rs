//! Integration tests: one binary, one module per area.
#![allow(clippy::unwrap_used, missing_docs)]

mod alloc;
#[cfg(all(feature = "log", feature = "tracing"))]
mod bridge;
mod config;
mod console;
mod dictconfig;
mod exit;
mod fast;
mod hierarchy;
#[cfg(feature = "journald")]
mod journald;
mod macros;
mod panics;
mod queue;
#[cfg(feature = "rotating")]
mod rotating;
mod structured;
#[cfg(feature = "syslog")]
mod syslog;

use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use lumber::{Format, Formatter, Handler, Level, Record, Sink};

/// Serializes the tests that touch process-wide state (the root logger,
/// the last-resort handler). Every other test uses its own loggers with
/// `propagate = false`, so it never reaches the root.
/// Tests that start a queue listener hold this shared; tests that stop every
/// listener in the process (`lumber::shutdown()`, dropping an `InitGuard`)
/// hold it exclusively, so that they never stop a listener another test is
/// still logging to (its records would wait in rings nobody drains).
static LISTENERS: RwLock<()> = RwLock::new(());

/// Held by a test while it runs a queue listener.
pub fn listeners() -> RwLockReadGuard<'static, ()> {
    LISTENERS.read().unwrap_or_else(|e| e.into_inner())
}

/// Held by a test that stops every listener in the process.
pub fn stopping_all() -> RwLockWriteGuard<'static, ()> {
    LISTENERS.write().unwrap_or_else(|e| e.into_inner())
}

pub fn root_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// A sink that keeps every formatted line.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<String>>>);

impl Capture {
    /// The lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// A handler around this capture with a pattern formatter.
    pub fn handler(&self, pattern: &str) -> Handler {
        Handler::new(self.clone()).with_formatter(Formatter::new(pattern).unwrap())
    }
}

impl Sink for Capture {
    fn emit(&self, _record: &Record<'_>, line: &str) -> std::io::Result<()> {
        self.0.lock().unwrap().push(line.to_owned());
        Ok(())
    }
}

/// A fresh, non-propagating logger with a capture handler.
pub fn isolated(name: &str, pattern: &str) -> (lumber::Logger, Capture) {
    let logger = lumber::get_logger(name);
    logger.set_propagate(false);
    logger.set_level(Level::TRACE);
    let capture = Capture::default();
    logger.add_handler(capture.handler(pattern));
    (logger, capture)
}

/// Formats a record with a formatter, for one-off checks.
pub fn render(format: &dyn Format, record: &Record<'_>) -> String {
    let mut out = String::new();
    format.format(record, &mut out);
    out
}
