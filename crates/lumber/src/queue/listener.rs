//! Python's `QueueListener`: a thread that takes records off a queue and
//! hands them to its handlers.

use std::fmt;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use super::channel::{Item, Queue, mark_listener_thread};
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
}

impl QueueListener {
    /// A listener for `queue` with these handlers (not started yet).
    pub fn new(queue: Queue, handlers: Vec<Arc<Handler>>) -> QueueListener {
        QueueListener {
            queue,
            handlers,
            respect_handler_level: false,
        }
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
        let shared = Arc::new(Shared {
            queue: self.queue,
            handlers: self.handlers,
            respect_handler_level: self.respect_handler_level,
            thread: Mutex::new(None),
        });
        shared.queue.set_consumer(true);
        let worker = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("lumber-listener".into())
            .spawn(move || worker.run());
        let thread = match spawned {
            Ok(t) => t,
            Err(e) => {
                shared.queue.set_consumer(false);
                return Err(e);
            }
        };
        *shared.thread.lock().unwrap_or_else(PoisonError::into_inner) = Some(thread);
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
}

impl Shared {
    fn run(&self) {
        mark_listener_thread();
        loop {
            let (item, dropped) = self.queue.take();
            if dropped > 0 {
                let text = format!("lumber: {dropped} records dropped");
                self.dispatch(&Record::new("lumber", Level::WARNING, Message::Str(&text)));
            }
            match item {
                Item::Record(record) => record.with_record(|r| self.dispatch(r)),
                Item::Flush(done) => {
                    for h in &self.handlers {
                        h.flush();
                    }
                    let _ = done.send(());
                }
                Item::Stop => break,
            }
        }
        self.queue.set_consumer(false);
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
        let running = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        let on_self = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|t| t.thread().id() == std::thread::current().id());
        if running && !on_self {
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
