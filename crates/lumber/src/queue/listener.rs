//! Python's `QueueListener`: a thread that takes records off a queue and
//! hands them to its handlers.

use std::cell::Cell;
use std::fmt;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use super::channel::{Item, Queue, mark_listener_thread};
use super::fast::{Drainer, FastPath};
use crate::handler::Handler;
use crate::level::Level;
use crate::record::{Message, Record};

/// How long [`crate::flush`] waits for a listener to reach a flush
/// request before giving up on it (a handler stuck in I/O).
const FLUSH_WAIT: Duration = Duration::from_secs(30);

/// Takes records off a [`Queue`] on its own thread and passes each to its
/// handlers (Python's `QueueListener`). With `respect_handler_level`, a
/// handler only gets records at or above its level (Python's default is to
/// give every handler every record).
///
/// ```
/// use lumber::{Handler, NullHandler, Overflow, Queue, QueueListener};
/// let q = Queue::new(100, Overflow::Block);
/// let listener = QueueListener::new(q, vec![Handler::new(NullHandler).into()])
///     .respect_handler_level(true)
///     .start()
///     .unwrap();
/// listener.stop();
/// ```
pub struct QueueListener {
    queue: Queue,
    handlers: Vec<Arc<Handler>>,
    respect_handler_level: bool,
    fast_path: bool,
    ring_capacity: usize,
}

/// Entries in each thread's ring by default.
const RING_CAPACITY: usize = 4096;

impl QueueListener {
    /// A listener for `queue` with these handlers (not started yet).
    pub fn new(queue: Queue, handlers: Vec<Arc<Handler>>) -> QueueListener {
        QueueListener {
            queue,
            handlers,
            respect_handler_level: false,
            fast_path: true,
            ring_capacity: RING_CAPACITY,
        }
    }

    /// Whether loggers whose only handler is a [`crate::QueueHandler`] on
    /// this queue take the fast path (default true): the macros then
    /// encode their arguments by value into a per-thread ring and this
    /// listener formats them. Without it, every record is formatted on the
    /// calling thread, as Python does.
    ///
    /// ```
    /// # use lumber::{Handler, NullHandler, Overflow, Queue, QueueListener};
    /// let l = QueueListener::new(Queue::new(8, Overflow::Block), vec![]).fast_path(false);
    /// # let _ = l;
    /// ```
    pub fn fast_path(mut self, enabled: bool) -> QueueListener {
        self.fast_path = enabled;
        self
    }

    /// The size of each logging thread's ring on the fast path, in
    /// records (default 4096): room for at least that many records of up
    /// to 80 bytes of encoded arguments and fields. Memory is 128 bytes per
    /// record per thread, rounded up to a power of two (512 KiB by
    /// default, at most 1 GiB).
    ///
    /// ```
    /// # use lumber::{Overflow, Queue, QueueListener};
    /// let l = QueueListener::new(Queue::new(8, Overflow::Block), vec![]).ring_capacity(65536);
    /// # let _ = l;
    /// ```
    pub fn ring_capacity(mut self, entries: usize) -> QueueListener {
        self.ring_capacity = entries;
        self
    }

    /// Whether handler levels apply (default false, as in Python).
    pub fn respect_handler_level(mut self, respect: bool) -> QueueListener {
        self.respect_handler_level = respect;
        self
    }

    /// Starts the thread. The listener drains and stops when the returned
    /// handle is stopped or dropped, on [`crate::shutdown`], and when the
    /// program exits (returning from `main` or `std::process::exit`).
    pub fn start(self) -> std::io::Result<Listener> {
        let fast = if self.fast_path {
            self.queue.fast_path(self.ring_capacity)
        } else {
            None
        };
        let shared = Arc::new(Shared {
            queue: self.queue,
            handlers: self.handlers,
            respect_handler_level: self.respect_handler_level,
            thread: Mutex::new(None),
            fast,
        });
        shared.queue.set_consumer(true);
        let worker = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("lumber-listener".into())
            .spawn(move || Shared::run(worker));
        let thread = match spawned {
            Ok(t) => t,
            Err(e) => {
                shared.queue.set_consumer(false);
                return Err(e);
            }
        };
        *shared.thread.lock().unwrap_or_else(PoisonError::into_inner) = Some(thread);
        if let Some(fast) = shared.fast {
            fast.set_running(true);
            crate::logger::refresh_fast_paths();
        }
        registry()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arc::downgrade(&shared));
        crate::shutdown::register_exit_hook();
        Ok(Listener { shared })
    }
}

struct Shared {
    queue: Queue,
    handlers: Vec<Arc<Handler>>,
    respect_handler_level: bool,
    thread: Mutex<Option<JoinHandle<()>>>,
    fast: Option<&'static FastPath>,
}

thread_local! {
    /// The listener running on this thread, if any: set by [`Shared::run`]
    /// for as long as it runs (it holds an `Arc` of it all that time) and
    /// cleared by its [`Running`] guard, even when it unwinds. A plain
    /// pointer, not a `RefCell<Option<Arc<_>>>`: this is read for every
    /// record on the fast path.
    static CURRENT: Cell<*const Shared> = const { Cell::new(std::ptr::null()) };
}

/// Clears [`CURRENT`] when [`Shared::run`] ends.
struct Running;

impl Drop for Running {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|c| c.set(std::ptr::null()));
    }
}

/// If this is the listener thread of `queue`, dispatches `record` to its
/// handlers and returns true (the fast path's records reach their queue
/// handler on the listener thread and must not be queued again).
pub(crate) fn dispatch_here(queue: &Queue, record: &Record<'_>) -> bool {
    let Ok(current) = CURRENT.try_with(Cell::get) else {
        return false;
    };
    // SAFETY: a non-null `CURRENT` points to the `Shared` whose `run` is
    // running on this thread: `run` set it from the `Arc` it holds until it
    // returns, and its `Running` guard, dropped before that `Arc`, nulls it.
    // Only shared references to a `Shared` are ever made.
    #[allow(unsafe_code)]
    let Some(listener) = (unsafe { current.as_ref() }) else {
        return false;
    };
    if !listener.queue.same(queue) {
        return false;
    }
    listener.dispatch(record);
    true
}

/// How long an idle listener with a fast path sleeps between looks at the
/// rings (producers wake it when a ring fills up).
const IDLE_POLL: Duration = Duration::from_millis(5);
/// Without a fast path it waits for the queue alone.
const IDLE_WAIT: Duration = Duration::from_secs(3600);

impl Shared {
    fn run(self: Arc<Self>) {
        mark_listener_thread();
        let _ = CURRENT.try_with(|c| c.set(Arc::as_ptr(&self)));
        let running = Running;
        let mut drainer = self.fast.map(|_| Drainer::new());
        loop {
            let worked = self.drain_rings(&mut drainer);
            let wait = match (worked, self.fast) {
                (true, _) => Duration::ZERO,
                (false, Some(_)) => IDLE_POLL,
                (false, None) => IDLE_WAIT,
            };
            let Some((item, dropped)) = self.queue.take_timeout(wait) else {
                continue;
            };
            self.report_dropped(dropped);
            match item {
                Item::Record(record) => record.with_record(|r| self.dispatch(r)),
                Item::Flush(done) => {
                    self.drain_all(&mut drainer);
                    for h in &self.handlers {
                        h.flush();
                    }
                    let _ = done.send(());
                }
                Item::Stop => {
                    if let Some(fast) = self.fast {
                        // New records take the slow path from now on.
                        fast.set_running(false);
                        crate::logger::refresh_fast_paths();
                    }
                    self.drain_all(&mut drainer);
                    // Whatever the slow path queued meanwhile.
                    while let Some((item, dropped)) = self.queue.take_timeout(Duration::ZERO) {
                        self.report_dropped(dropped);
                        if let Item::Record(record) = item {
                            record.with_record(|r| self.dispatch(r));
                        }
                    }
                    break;
                }
            }
        }
        drop(running);
        self.queue.set_consumer(false);
    }

    /// One pass over the rings; true if it found records.
    fn drain_rings(&self, drainer: &mut Option<Drainer>) -> bool {
        let (Some(fast), Some(drainer)) = (self.fast, drainer.as_mut()) else {
            return false;
        };
        let (count, dropped) = fast.drain(drainer);
        self.report_dropped(dropped);
        count > 0
    }

    /// Drains the rings until they stay empty.
    fn drain_all(&self, drainer: &mut Option<Drainer>) {
        let Some(fast) = self.fast else { return };
        let mut quiet = 0;
        while quiet < 2 {
            if self.drain_rings(drainer) || fast.has_pending() {
                quiet = 0;
            } else {
                quiet += 1;
                std::thread::yield_now();
            }
        }
    }

    fn report_dropped(&self, dropped: u64) {
        if dropped > 0 {
            let text = format!("lumber: {dropped} records dropped");
            self.dispatch(&Record::new("lumber", Level::WARNING, Message::Str(&text)));
        }
    }

    fn dispatch(&self, record: &Record<'_>) {
        for handler in &self.handlers {
            if !self.respect_handler_level || record.level() >= handler.level() {
                handler.handle(record);
            }
        }
    }

    fn stop(&self) {
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = thread {
            self.queue.put_control(Item::Stop);
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }

    fn flush(&self) {
        // Waiting for the listener only works from another thread.
        let wait = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|t| t.thread().id() != std::thread::current().id());
        if wait {
            let (tx, rx) = sync_channel(1);
            self.queue.put_control(Item::Flush(tx));
            let _ = rx.recv_timeout(FLUSH_WAIT);
        } else {
            for h in &self.handlers {
                h.flush();
            }
        }
    }
}

/// A running [`QueueListener`]. Stopping it (or dropping it) processes
/// every record queued before, then ends the thread.
#[must_use = "dropping the listener stops it"]
pub struct Listener {
    shared: Arc<Shared>,
}

impl Listener {
    /// Processes what is queued, then stops the thread (Python's `stop`).
    /// Later records stay in the queue.
    pub fn stop(&self) {
        self.shared.stop();
    }

    /// Waits until every record queued before this call has been handled,
    /// then flushes the handlers.
    ///
    /// ```
    /// # use lumber::{Handler, NullHandler, Overflow, Queue, QueueListener};
    /// let listener = QueueListener::new(Queue::new(8, Overflow::Block), vec![Handler::new(NullHandler).into()]).start().unwrap();
    /// listener.flush();
    /// ```
    pub fn flush(&self) {
        self.shared.flush();
    }

    /// The listener's handlers.
    ///
    /// ```
    /// # use lumber::{Handler, NullHandler, Overflow, Queue, QueueListener};
    /// let listener = QueueListener::new(Queue::new(8, Overflow::Block), vec![Handler::new(NullHandler).into()]).start().unwrap();
    /// assert_eq!(listener.handlers().len(), 1);
    /// ```
    pub fn handlers(&self) -> &[Arc<Handler>] {
        &self.shared.handlers
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.shared.stop();
    }
}

impl fmt::Debug for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listener")
            .field("queue", &self.shared.queue)
            .field("handlers", &self.shared.handlers.len())
            .finish()
    }
}

fn registry() -> &'static Mutex<Vec<Weak<Shared>>> {
    static LISTENERS: Mutex<Vec<Weak<Shared>>> = Mutex::new(Vec::new());
    &LISTENERS
}

fn live() -> Vec<Arc<Shared>> {
    let mut all = registry().lock().unwrap_or_else(PoisonError::into_inner);
    all.retain(|w| w.strong_count() > 0);
    all.iter().filter_map(Weak::upgrade).collect()
}

/// Flushes every running listener (records queued so far are handled).
pub(crate) fn flush_all() {
    for l in live() {
        l.flush();
    }
}

/// Drains and stops every running listener; returns their handlers.
pub(crate) fn stop_all() -> Vec<Arc<Handler>> {
    let mut handlers = Vec::new();
    for l in live() {
        l.stop();
        handlers.extend(l.handlers.iter().cloned());
    }
    handlers
}

/// The handlers of every running listener.
pub(crate) fn listener_handlers() -> Vec<Arc<Handler>> {
    live()
        .iter()
        .flat_map(|l| l.handlers.iter().cloned())
        .collect()
}
