//! Flushing and closing every handler: at the end of the program, or when
//! the init guard is dropped.

use std::sync::Arc;

use crate::handler::Handler;
use crate::logger::loggers;

/// Every handler attached to any logger, once each.
fn all_handlers() -> Vec<Arc<Handler>> {
    let mut all: Vec<Arc<Handler>> = Vec::new();
    for logger in loggers() {
        for handler in logger.handlers() {
            if !all.iter().any(|h| Arc::ptr_eq(h, &handler)) {
                all.push(handler);
            }
        }
    }
    all
}

/// Flushes every handler of every logger.
///
/// ```
/// lumber::flush();
/// ```
pub fn flush() {
    for handler in all_handlers() {
        handler.flush();
    }
}

/// Flushes and closes every handler of every logger (Python's
/// `logging.shutdown`). Handlers stay attached; a file handler reopens if
/// logging goes on afterwards.
///
/// ```
/// lumber::shutdown();
/// ```
pub fn shutdown() {
    for handler in all_handlers().into_iter().rev() {
        handler.flush();
        handler.close();
    }
}

/// Returned by the setup functions: dropping it calls [`shutdown`], so
/// keep it alive for the life of the program (`let _guard = ...`).
///
/// ```
/// # let path = std::env::temp_dir().join(format!("lumber-doc-guard-{}.log", std::process::id()));
/// let log = lumber::get_logger("doc.init_guard");
/// log.add_handler(lumber::FileHandler::options(&path).truncate(true).buffer(4096).open().unwrap());
/// let guard = lumber::InitGuard::new();
/// log.warning("buffered");
/// drop(guard); // flushes and closes every handler
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "buffered\n");
/// ```
#[must_use = "dropping the guard flushes and closes every handler; keep it with `let _guard = ...`"]
#[derive(Debug)]
pub struct InitGuard {
    _private: (),
}

impl InitGuard {
    /// A guard for code that sets its handlers up by hand: dropping it
    /// flushes and closes them all.
    ///
    /// ```
    /// let _guard = lumber::InitGuard::new();
    /// ```
    pub fn new() -> InitGuard {
        InitGuard { _private: () }
    }
}

impl Default for InitGuard {
    fn default() -> InitGuard {
        InitGuard::new()
    }
}

impl Drop for InitGuard {
    fn drop(&mut self) {
        shutdown();
    }
}
