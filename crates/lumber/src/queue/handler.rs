//! Python's `QueueHandler`: formats on the calling thread and hands the
//! record to a queue; a listener thread does the I/O.

use std::io;

use super::channel::Queue;
use crate::handler::Sink;
use crate::record::{OwnedRecord, Record};

/// Puts each record on a [`Queue`] for a [`crate::QueueListener`], the way
/// Python's `QueueHandler` does: the message is formatted here (by this
/// handler's formatter, `%(message)s` by default, with any error text), the
/// error and stack are dropped, and the owned record is queued. The caller
/// pays for formatting and a copy, never for I/O.
///
/// ```
/// use lumber::{Overflow, Queue, QueueHandler, QueueListener, StreamHandler, Handler};
/// let queue = Queue::new(10_000, Overflow::Block);
/// let listener = QueueListener::new(queue.clone(), vec![Handler::new(StreamHandler::stderr()).into()]).start().unwrap();
/// let log = lumber::get_logger("doc.queue");
/// log.add_handler(QueueHandler::new(queue));
/// log.warning("written by the listener thread");
/// listener.stop(); // drains the queue first
/// ```
#[derive(Debug, Clone)]
pub struct QueueHandler {
    queue: Queue,
}

impl QueueHandler {
    /// A handler feeding `queue`.
    pub fn new(queue: Queue) -> QueueHandler {
        QueueHandler { queue }
    }

    /// The queue.
    ///
    /// ```
    /// let q = lumber::Queue::new(4, lumber::Overflow::Block);
    /// assert_eq!(lumber::QueueHandler::new(q).queue().capacity(), 4);
    /// ```
    pub fn queue(&self) -> &Queue {
        &self.queue
    }
}

impl Sink for QueueHandler {
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        // On the fast path this runs on the listener's own thread: hand the
        // record straight to its handlers instead of queueing it again.
        // When the line is the message itself (a message-only formatter),
        // the record is already what `prepare` would make of it.
        let dispatched = if record
            .plain_message()
            .is_some_and(|m| std::ptr::eq(m, line))
        {
            super::listener::dispatch_here(&self.queue, record)
        } else {
            super::listener::dispatch_here(&self.queue, &record.prepared(line))
        };
        if !dispatched {
            self.queue.put(OwnedRecord::prepared(record, line));
        }
        Ok(())
    }

    fn fast_path(&self) -> u32 {
        self.queue.running_fast_path()
    }

    fn target(&self) -> String {
        format!("<queue of {}>", self.queue.capacity())
    }
}
