//! Python's `MemoryHandler`: keeps records in memory and passes them to a
//! target handler when the buffer is full or a severe record arrives.

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use crate::handler::{Handler, Sink};
use crate::level::Level;
use crate::record::{OwnedRecord, Record};

struct State {
    buffer: Vec<OwnedRecord>,
    target: Option<Arc<Handler>>,
}

/// Buffers up to `capacity` records and hands them all to the target when
/// the buffer is full or a record at `flush_level` (default ERROR) or above
/// arrives — so a failure comes with the DEBUG lines that led to it
/// (Python's `MemoryHandler`). Closing flushes too, unless
/// `flush_on_close(false)`. Without a target the buffer keeps filling up to
/// `capacity`, then the oldest records are dropped, so memory stays bounded.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use lumber::{Handler, Level, MemoryHandler};
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let s = seen.clone();
/// let target = Arc::new(Handler::new(lumber::from_fn(move |_, line| s.lock().unwrap().push(line.to_owned()))));
/// let log = lumber::get_logger("doc.memory");
/// log.set_level(Level::DEBUG);
/// log.add_handler(MemoryHandler::new(100, Some(target)));
/// log.debug("step 1");
/// assert!(seen.lock().unwrap().is_empty());
/// log.error("failed");
/// assert_eq!(*seen.lock().unwrap(), ["step 1", "failed"]);
/// ```
pub struct MemoryHandler {
    capacity: usize,
    flush_level: Level,
    flush_on_close: bool,
    state: Mutex<State>,
}

impl MemoryHandler {
    /// A handler buffering up to `capacity` records for `target`.
    pub fn new(capacity: usize, target: Option<Arc<Handler>>) -> MemoryHandler {
        MemoryHandler {
            capacity: capacity.max(1),
            flush_level: Level::ERROR,
            flush_on_close: true,
            state: Mutex::new(State {
                buffer: Vec::new(),
                target,
            }),
        }
    }

    /// Records at or above this level flush the buffer (default ERROR).
    ///
    /// ```
    /// let h = lumber::MemoryHandler::new(10, None).flush_level(lumber::Level::WARNING);
    /// # let _ = h;
    /// ```
    pub fn flush_level(mut self, level: Level) -> MemoryHandler {
        self.flush_level = level;
        self
    }

    /// Whether closing flushes the buffer (default true).
    ///
    /// ```
    /// let h = lumber::MemoryHandler::new(10, None).flush_on_close(false);
    /// # let _ = h;
    /// ```
    pub fn flush_on_close(mut self, flush: bool) -> MemoryHandler {
        self.flush_on_close = flush;
        self
    }

    /// Sets the target handler (Python's `setTarget`).
    ///
    /// ```
    /// let h = lumber::MemoryHandler::new(10, None);
    /// h.set_target(Some(std::sync::Arc::new(lumber::Handler::new(lumber::NullHandler))));
    /// ```
    pub fn set_target(&self, target: Option<Arc<Handler>>) {
        self.lock().target = target;
    }

    /// Records waiting in the buffer.
    ///
    /// ```
    /// assert_eq!(lumber::MemoryHandler::new(10, None).buffered(), 0);
    /// ```
    pub fn buffered(&self) -> usize {
        self.lock().buffer.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands the buffer to the target (outside the lock, so the target may
    /// log).
    fn flush_buffer(&self) {
        let (records, target) = {
            let mut state = self.lock();
            match state.target.clone() {
                Some(target) => (std::mem::take(&mut state.buffer), target),
                None => return,
            }
        };
        for record in &records {
            record.with_record(|r| {
                if r.level() >= target.level() {
                    target.handle(r);
                }
            });
        }
    }
}

impl Sink for MemoryHandler {
    fn emit(&self, record: &Record<'_>, _line: &str) -> io::Result<()> {
        let full = {
            let mut state = self.lock();
            if state.buffer.len() >= self.capacity && state.target.is_none() {
                state.buffer.remove(0);
            }
            state.buffer.push(OwnedRecord::from(record));
            state.buffer.len() >= self.capacity
        };
        if full || record.level() >= self.flush_level {
            self.flush_buffer();
        }
        Ok(())
    }

    fn wants_line(&self) -> bool {
        false
    }

    fn flush(&self) -> io::Result<()> {
        self.flush_buffer();
        Ok(())
    }

    fn close(&self) -> io::Result<()> {
        if self.flush_on_close {
            self.flush_buffer();
        }
        let mut state = self.lock();
        state.target = None;
        state.buffer.clear();
        Ok(())
    }

    fn target(&self) -> String {
        match &self.lock().target {
            Some(t) => format!("buffer of {} -> {}", self.capacity, t.sink().target()),
            None => format!("buffer of {}", self.capacity),
        }
    }
}

impl fmt::Debug for MemoryHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryHandler")
            .field("capacity", &self.capacity)
            .field("flush_level", &self.flush_level)
            .finish_non_exhaustive()
    }
}
