//! Asynchronous logging, Python's way: a [`QueueHandler`] on the loggers,
//! a [`QueueListener`] thread doing the I/O, and a bounded [`Queue`]
//! between them; plus [`MemoryHandler`], which buffers records for a
//! target handler.
//!
//! # Where things run
//! On the slow path (Python's): the logger's level check, its filters, the
//! `QueueHandler`'s own filters and formatter run on the calling thread;
//! the listener's handlers — their filters, formatters and I/O — run on
//! the listener thread.
//!
//! On the fast path (a logger whose only handler is a `QueueHandler` with
//! a running listener; see `fast`): only the level check, the timestamp
//! and the encoding of the arguments run on the calling thread; the
//! message, the logger's filters, the queue handler and the listener's
//! handlers run on the listener thread. Records carry what they would
//! carry on the calling thread: its time, thread id and name, scoped
//! context and bound fields.
//!
//! # Ordering
//! Records from one thread reach the handlers in the order they were
//! logged. Across threads, the fast path merges the rings by timestamp
//! within each batch the listener takes (a record that was still being
//! written when the batch was taken comes in the next one); the slow path
//! keeps the order in which records entered the queue.

mod channel;
mod fast;
mod handler;
mod listener;
mod memory;

pub use channel::{Overflow, Queue};
pub(crate) use fast::defer_in;
pub(crate) use fast::path as fast_path;
pub use fast::wall_now;
#[doc(hidden)]
pub use fast::{FastPath, defer};
pub use fast::{TimeSource, set_time_source, time_source};
pub use handler::QueueHandler;
pub use listener::{Listener, QueueListener};
pub(crate) use listener::{flush_all, listener_handlers, stop_all};
pub use memory::MemoryHandler;
