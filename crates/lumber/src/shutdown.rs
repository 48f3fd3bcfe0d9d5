//! Flushing and closing every handler: at the end of the program, when the
//! init guard is dropped, or on request.

use std::sync::{Arc, Once};

use crate::handler::Handler;
use crate::logger::loggers;

/// Every handler attached to any logger, then those of running listeners,
/// once each.
fn all_handlers(mut extra: Vec<Arc<Handler>>) -> Vec<Arc<Handler>> {
    let mut all: Vec<Arc<Handler>> = Vec::new();
    let attached = loggers().into_iter().flat_map(|l| l.handlers());
    for handler in attached.chain(extra.drain(..)) {
        if !all.iter().any(|h| Arc::ptr_eq(h, &handler)) {
            all.push(handler);
        }
    }
    all
}

/// Flushes everything: waits until the queue listeners have handled what
/// was logged before this call, then flushes every handler.
///
/// ```
/// lumber::flush();
/// ```
pub fn flush() {
    crate::queue::flush_all();
    for handler in all_handlers(crate::queue::listener_handlers()) {
        handler.flush();
    }
}

/// Drains every queue listener, then flushes and closes every handler
/// (Python's `logging.shutdown`). Handlers stay attached; a file handler
/// reopens if logging goes on afterwards.
///
/// ```
/// lumber::shutdown();
/// ```
pub fn shutdown() {
    let drained = crate::queue::stop_all();
    for handler in all_handlers(drained).into_iter().rev() {
        handler.flush();
        handler.close();
    }
}

/// After a panic was logged: drain the queues and flush, without closing
/// (the panic may be caught and the program go on).
pub(crate) fn flush_for_panic() {
    flush();
}

/// Makes the process run [`shutdown`] when it exits normally: returning
/// from `main` or calling `std::process::exit` (the C library's `atexit`).
/// Called by everything that buffers records on another thread.
pub(crate) fn register_exit_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        {
            // SAFETY: `at_exit` is an `extern "C"` function with no
            // arguments that never unwinds (it catches panics), as atexit
            // requires; registering it has no other precondition.
            #[allow(unsafe_code)]
            let _ = unsafe { libc::atexit(at_exit) };
        }
    });
}

#[cfg(unix)]
extern "C" fn at_exit() {
    let _ = std::panic::catch_unwind(shutdown);
}

/// Returned by the setup functions: dropping it calls [`shutdown`], so
/// keep it alive for the life of the program (`let _guard = ...`).
///
/// ```
/// let guard = lumber::basic_config().init().unwrap();
/// drop(guard); // flushes and closes every handler
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
