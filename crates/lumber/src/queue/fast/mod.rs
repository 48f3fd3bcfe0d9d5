//! The fast path: when a logger's records all end in one
//! [`crate::QueueHandler`] whose listener is running, the macros skip
//! formatting altogether. They take a timestamp, encode the arguments by
//! value and push them, with a pointer to the call site's static metadata
//! and its generated decoder, onto a ring owned by the calling thread. The
//! listener drains the rings, decodes, rebuilds the record and dispatches
//! it through the logger exactly as the synchronous path would have —
//! filters, the queue handler's formatter, the listener's handlers — on its
//! own thread.
//!
//! Memory is bounded: one ring of a fixed number of entries per thread and
//! listener. A full ring applies the queue's [`Overflow`] policy.

mod clock;
mod entry;

use std::cell::RefCell;
use std::error::Error;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rtrb::{Consumer, Producer, PushError, RingBuffer};

pub(crate) use clock::Calibration;
pub use clock::{TimeSource, set_time_source, time_source};
use entry::{Entry, Extra, Payload, encode_fields};

use super::channel::{Overflow, Queue};
use crate::deferred::{DecodeFn, Writer};
use crate::format::write_error_chain;
use crate::level::Level;
use crate::logger::AsLogger;
use crate::record::{Site, thread_id, thread_name};
use crate::value::Value;

/// How many fast paths (running listeners with one) a process can have.
const MAX_PATHS: usize = 256;

/// One thread's ring for one listener.
pub(crate) struct Ring {
    consumer: Mutex<Consumer<Entry>>,
    dropped: AtomicU64,
    thread_id: u64,
    thread_name: Arc<str>,
}

/// The rings of one listener (used by the macros; not public API).
#[doc(hidden)]
pub struct FastPath {
    // Read by every producer on every call: kept apart from `rings`, which
    // the listener locks on every pass, so the two never share a cache line.
    id: u32,
    ring_capacity: usize,
    overflow: Overflow,
    running: AtomicBool,
    queue: Queue,
    rings: CacheAligned<Mutex<Vec<Arc<Ring>>>>,
}

/// Puts its contents on a cache line of their own.
#[repr(align(128))]
struct CacheAligned<T>(T);

impl<T> std::ops::Deref for CacheAligned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

static PATHS: [OnceLock<&'static FastPath>; MAX_PATHS] = [const { OnceLock::new() }; MAX_PATHS];

/// The fast path with this id (ids start at 1; 0 means none).
#[inline]
pub(crate) fn path(id: u32) -> Option<&'static FastPath> {
    PATHS.get((id as usize).wrapping_sub(1))?.get().copied()
}

impl FastPath {
    /// Registers a fast path for `queue`; `None` when all slots are taken
    /// (the listener then works without one).
    pub(crate) fn register(queue: &Queue, ring_capacity: usize) -> Option<&'static FastPath> {
        for (i, slot) in PATHS.iter().enumerate() {
            if slot.get().is_some() {
                continue;
            }
            let path: &'static FastPath = Box::leak(Box::new(FastPath {
                id: i as u32 + 1,
                rings: CacheAligned(Mutex::new(Vec::new())),
                ring_capacity: ring_capacity.max(16),
                overflow: queue.overflow(),
                running: AtomicBool::new(false),
                queue: queue.clone(),
            }));
            if slot.set(path).is_ok() {
                return Some(path);
            }
        }
        None
    }

    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    pub(crate) fn is_running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }

    pub(crate) fn set_running(&self, running: bool) {
        self.running.store(running, Ordering::Release);
    }

    fn new_ring(&self) -> (Producer<Entry>, Arc<Ring>) {
        let (producer, consumer) = RingBuffer::new(self.ring_capacity);
        let ring = Arc::new(Ring {
            consumer: Mutex::new(consumer),
            dropped: AtomicU64::new(0),
            thread_id: thread_id(),
            thread_name: thread_name(),
        });
        self.rings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arc::clone(&ring));
        self.queue.wake();
        (producer, ring)
    }

    /// Drains every ring, merging them by timestamp while keeping each
    /// thread's order, and calls `dispatch` for each entry. Returns the
    /// number of entries and the drops to report.
    pub(crate) fn drain(
        &self,
        calibration: &mut Calibration,
        message: &mut String,
    ) -> (usize, u64) {
        calibration.maybe_refresh();
        let rings: Vec<Arc<Ring>> = self
            .rings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut batches: Vec<(Arc<Ring>, std::collections::VecDeque<Entry>)> =
            Vec::with_capacity(rings.len());
        let mut dropped = 0;
        let mut abandoned = Vec::new();
        for ring in rings {
            let mut taken = std::collections::VecDeque::new();
            {
                let mut consumer = ring.consumer.lock().unwrap_or_else(PoisonError::into_inner);
                let n = consumer.slots();
                if let Ok(chunk) = consumer.read_chunk(n) {
                    taken.extend(chunk);
                }
                if consumer.is_abandoned() && consumer.is_empty() {
                    abandoned.push(Arc::clone(&ring));
                }
            }
            dropped += ring.dropped.swap(0, Ordering::Relaxed);
            if !taken.is_empty() {
                batches.push((ring, taken));
            }
        }
        if !abandoned.is_empty() {
            self.rings
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|r| !abandoned.iter().any(|a| Arc::ptr_eq(a, r)));
        }
        let mut count = 0;
        // k-way merge on the head timestamps: each ring stays in order.
        loop {
            let next = batches
                .iter()
                .enumerate()
                .filter_map(|(i, (_, q))| q.front().map(|e| (e.tick, i)))
                .min();
            let Some((_, i)) = next else { break };
            let Some((ring, queue)) = batches.get_mut(i) else {
                break;
            };
            if let Some(entry) = queue.pop_front() {
                let time = calibration.timestamp(entry.tick);
                entry.dispatch(time, (ring.thread_id, &ring.thread_name), message);
                count += 1;
            }
        }
        (count, dropped)
    }

    /// True if any ring has entries waiting.
    pub(crate) fn has_pending(&self) -> bool {
        self.rings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|r| {
                !r.consumer
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .is_empty()
            })
    }
}

struct Local {
    path: u32,
    producer: Producer<Entry>,
    ring: Arc<Ring>,
}

thread_local! {
    static PRODUCERS: RefCell<Vec<Local>> = const { RefCell::new(Vec::new()) };
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The macros' fast path: captures a record by value and queues it for
/// the listener. Returns false, before evaluating anything, if this thread
/// is already inside `defer` (a `Display` impl that logs); the caller then
/// logs synchronously. Once the arguments are encoded the record is never
/// lost: if no ring can take it, it is handled here and now.
#[allow(clippy::too_many_arguments)]
pub fn defer<L: AsLogger + ?Sized>(
    path: &'static FastPath,
    logger: &L,
    level: Level,
    site: &'static Site<'static>,
    encode: impl FnOnce(&mut Writer<'_>) -> DecodeFn,
    fields: &[(&str, Value<'_>)],
    error: Option<&(dyn Error + 'static)>,
    stack_info: bool,
) -> bool {
    defer_in(
        path, logger, level, site, encode, fields, error, stack_info, None,
    )
}

/// [`defer`], with the record's context given (the `tracing` bridge's
/// span frames) instead of the thread's current one.
#[allow(clippy::too_many_arguments)]
pub(crate) fn defer_in<L: AsLogger + ?Sized>(
    path: &'static FastPath,
    logger: &L,
    level: Level,
    site: &'static Site<'static>,
    encode: impl FnOnce(&mut Writer<'_>) -> DecodeFn,
    fields: &[(&str, Value<'_>)],
    error: Option<&(dyn Error + 'static)>,
    stack_info: bool,
    context: Option<Arc<crate::context::ContextFrame>>,
) -> bool {
    let tick = clock::now();
    let Ok(Some((payload, decode, fields_at))) = SCRATCH.try_with(|scratch| {
        let mut scratch = scratch.try_borrow_mut().ok()?;
        scratch.clear();
        let decode = encode(&mut Writer::new(&mut scratch));
        let fields_at = scratch.len() as u32;
        if !fields.is_empty() {
            encode_fields(&mut scratch, fields);
        }
        let payload = Payload::new(&scratch);
        if scratch.capacity() > 64 * 1024 {
            *scratch = Vec::new();
        }
        Some((payload, decode, fields_at))
    }) else {
        return false;
    };
    let extra = (error.is_some() || stack_info).then(|| {
        Box::new(Extra {
            exc_text: error.map(|e| {
                let mut text = String::new();
                write_error_chain(&mut text, e);
                text
            }),
            stack_info: stack_info.then(|| {
                format!(
                    "Stack (most recent call last):\n{}",
                    std::backtrace::Backtrace::force_capture()
                )
            }),
        })
    });
    let build = || Entry {
        tick,
        logger: *logger.as_logger(),
        level,
        site,
        decode,
        payload,
        fields_at,
        bound: logger.bound_arc().cloned(),
        context: context.clone().or_else(crate::context::current_context),
        extra,
    };
    if let Some(entry) = push(path, build) {
        // No ring on this thread right now (it is exiting): handle it here.
        let mut message = String::new();
        let name = thread_name();
        entry.dispatch(
            crate::record::Timestamp::now(),
            (thread_id(), &name),
            &mut message,
        );
    }
    true
}

/// Builds the entry and pushes it onto this thread's ring (building it in
/// place saves copies of a large struct); gives it back if this thread has
/// no ring now.
#[inline(always)]
fn push(path: &'static FastPath, build: impl FnOnce() -> Entry) -> Option<Entry> {
    let mut build = Some(build);
    let pushed = PRODUCERS.try_with(|locals| {
        let mut locals = locals.try_borrow_mut().ok()?;
        let index = match locals.iter().position(|l| l.path == path.id) {
            Some(i) => i,
            None => {
                let (producer, ring) = path.new_ring();
                locals.push(Local {
                    path: path.id,
                    producer,
                    ring,
                });
                locals.len() - 1
            }
        };
        let local = locals.get_mut(index)?;
        let entry = build.take()?();
        if let Err(PushError::Full(entry)) = local.producer.push(entry) {
            push_with_policy(path, local, entry);
        }
        Some(())
    });
    match (pushed, build) {
        (Ok(Some(())), _) => None,
        (_, Some(build)) => Some(build()),
        // Built, then the thread-local went away mid-call: nothing to do.
        (_, None) => None,
    }
}

/// A full ring: wait, drop the oldest or drop this one, as the queue says.
#[cold]
fn push_with_policy(path: &FastPath, local: &mut Local, mut entry: Entry) {
    let mut spins = 0u32;
    loop {
        match local.producer.push(entry) {
            Ok(()) => return,
            Err(PushError::Full(back)) => entry = back,
        }
        let can_wait = path.overflow == Overflow::Block
            && path.is_running()
            && !super::channel::on_listener_thread();
        if can_wait {
            // Wake the listener now and then, not on every spin: waking
            // takes the queue's lock.
            if spins.is_multiple_of(64) {
                path.queue.wake();
            }
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
            continue;
        }
        if path.overflow == Overflow::DropOldest {
            let popped = local
                .ring
                .consumer
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop()
                .is_ok();
            if popped {
                local.ring.dropped.fetch_add(1, Ordering::Relaxed);
                continue;
            }
        }
        local.ring.dropped.fetch_add(1, Ordering::Relaxed);
        return;
    }
}
