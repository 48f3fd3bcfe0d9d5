//! Asynchronous logging, Python's way: a [`QueueHandler`] on the loggers,
//! a [`QueueListener`] thread doing the I/O, and a bounded [`Queue`]
//! between them; plus [`MemoryHandler`], which buffers records for a
//! target handler.
//!
//! Where things run: the logger's level check, its filters, the
//! `QueueHandler`'s own filters and formatter run on the calling thread
//! (exactly as on the synchronous path); the listener's handlers — their
//! filters, formatters and I/O — run on the listener thread.
//!
//! Ordering: records from one thread reach the handlers in the order they
//! were logged; records from several threads in the order they entered the
//! queue.

mod channel;
mod fast;
mod handler;
mod listener;
mod memory;

pub use channel::{Overflow, Queue};
pub(crate) use fast::path as fast_path;
#[doc(hidden)]
pub use fast::{FastPath, defer};
pub use fast::{TimeSource, set_time_source, time_source};
pub use handler::QueueHandler;
pub use listener::{Listener, QueueListener};
pub(crate) use listener::{flush_all, listener_handlers, stop_all};
pub use memory::MemoryHandler;
