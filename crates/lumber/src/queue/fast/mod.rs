//! The fast path: when a logger's records all end in one
//! [`crate::QueueHandler`] whose listener is running, the macros skip
//! formatting altogether. They take a timestamp and write a header (the
//! call site's static metadata, its generated decoder, the logger and the
//! level) and the arguments, encoded by value, straight into a byte ring
//! owned by the calling thread ([`ring`]; the layout is in [`entry`]). The
//! listener reads the rings in place, decodes, rebuilds the record and
//! dispatches it through the logger exactly as the synchronous path would
//! have — filters, the queue handler's formatter, the listener's handlers —
//! on its own thread.
//!
//! Memory is bounded: one ring of a fixed size per thread and listener
//! (arguments too long for the room left in it go to the heap, bounded by
//! the record's own size). A full ring applies the queue's [`Overflow`]
//! policy before the arguments are evaluated.

mod clock;
mod entry;
mod ring;

use std::cell::{Cell, RefCell};
use std::error::Error;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use clock::Calibration;
pub use clock::wall_now;
pub use clock::{TimeSource, set_time_source, time_source};
use entry::{EXT, Ext, Extra, HEADER, Header, Pending, encode_fields, record_len};
use ring::{CacheAligned, Producer, Ring, WRAP};

use super::channel::{Overflow, Queue};
use crate::deferred::{DecodeFn, Writer};
use crate::format::write_error_chain;
use crate::level::Level;
use crate::logger::AsLogger;
use crate::record::{Site, thread_id, thread_name};
use crate::value::Value;

/// How many fast paths (running listeners with one) a process can have.
const MAX_PATHS: usize = 256;

/// Ring bytes per entry of [`crate::QueueListener::ring_capacity`]: room
/// for that many records of up to 80 bytes of arguments and fields.
pub(crate) const BYTES_PER_ENTRY: usize = 128;

/// Bytes of arguments a record is sure to have room for before it is
/// encoded; a record that turns out longer than the room in the ring moves
/// its arguments to the heap.
const MIN_PAYLOAD: usize = 64;
// A record whose arguments spill keeps only an ext in its slot.
const _: () = assert!(EXT <= MIN_PAYLOAD);

/// How many records the listener handles in one pass before it looks at
/// its queue again.
const BATCH: usize = 4096;

/// How often (in records) the listener gives room back to a producer while
/// it works through that producer's ring.
const RELEASE_EVERY: usize = 256;

/// The rings of one listener (used by the macros; not public API).
#[doc(hidden)]
pub struct FastPath {
    // Read by every producer on every call: kept apart from `rings`, which
    // the listener locks on every pass, so the two never share a cache line.
    id: u32,
    ring_bytes: usize,
    overflow: Overflow,
    running: AtomicBool,
    queue: Queue,
    rings: CacheAligned<Mutex<Vec<Arc<Ring>>>>,
    /// Bumped (under the lock of `rings`) whenever the list of rings
    /// changes, so the listener takes a new copy of it only then.
    version: AtomicU64,
}

static PATHS: [OnceLock<&'static FastPath>; MAX_PATHS] = [const { OnceLock::new() }; MAX_PATHS];

/// The fast path with this id (ids start at 1; 0 means none).
#[inline]
pub(crate) fn path(id: u32) -> Option<&'static FastPath> {
    PATHS.get((id as usize).wrapping_sub(1))?.get().copied()
}

impl FastPath {
    /// Registers a fast path for `queue` with rings of `ring_capacity`
    /// entries; `None` when all slots are taken (the listener then works
    /// without one).
    pub(crate) fn register(queue: &Queue, ring_capacity: usize) -> Option<&'static FastPath> {
        for (i, slot) in PATHS.iter().enumerate() {
            if slot.get().is_some() {
                continue;
            }
            let path: &'static FastPath = Box::leak(Box::new(FastPath {
                id: i as u32 + 1,
                rings: CacheAligned(Mutex::new(Vec::new())),
                ring_bytes: ring_capacity.max(16).saturating_mul(BYTES_PER_ENTRY),
                overflow: queue.overflow(),
                running: AtomicBool::new(false),
                queue: queue.clone(),
                version: AtomicU64::new(0),
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

    fn rings(&self) -> MutexGuard<'_, Vec<Arc<Ring>>> {
        self.rings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn new_ring(&'static self) -> Local {
        let (producer, ring) =
            Ring::new(self.ring_bytes, thread_id(), thread_name(), entry::forget);
        {
            let mut rings = self.rings();
            rings.push(ring);
            self.version.fetch_add(1, Ordering::Release);
        }
        self.queue.wake();
        Local {
            path: self,
            producer,
            spill: Vec::new(),
        }
    }

    /// Handles what the rings hold (up to a batch), merging the rings by
    /// timestamp while keeping each thread's order: rebuilds and dispatches
    /// each record. Returns the number of records and the drops to report.
    ///
    /// The records are read in place, except under
    /// [`Overflow::DropOldest`]: there the producer may give back the
    /// oldest records at any time, so each record is copied out (into
    /// the drainer's scratch buffer) under the ring's lock, and the ring is
    /// only looked at under it; the lock is never held while a handler runs.
    pub(crate) fn drain(&self, d: &mut Drainer) -> (usize, u64) {
        d.calibration.maybe_refresh();
        // A new copy of the list only when it changed since the last pass.
        if self.version.load(Ordering::Acquire) != d.version {
            let rings = self.rings();
            d.rings.clone_from(&rings);
            d.version = self.version.load(Ordering::Relaxed);
        }
        let locked = self.overflow == Overflow::DropOldest;
        let mut dropped = 0;
        let Drainer {
            calibration,
            message,
            scratch,
            rings,
            cursors,
            abandoned,
            ..
        } = d;
        let rings: &[Arc<Ring>] = rings;
        cursors.clear();
        for (i, ring) in rings.iter().enumerate() {
            // Loaded first: a swap would write the line on every pass.
            if ring.dropped.load(Ordering::Relaxed) != 0 {
                dropped += ring.dropped.swap(0, Ordering::Relaxed);
            }
            let (read, write) = ring.readable();
            if read == write {
                if ring.abandoned.load(Ordering::Acquire) && !ring.has_pending() {
                    abandoned.push(Arc::clone(ring));
                }
                continue;
            }
            cursors.push(Cursor {
                ring: i,
                pos: read,
                end: write,
                next: None,
                since_release: 0,
            });
        }
        if !abandoned.is_empty() {
            let mut list = self.rings();
            list.retain(|r| !abandoned.iter().any(|a| Arc::ptr_eq(a, r)));
            self.version.fetch_add(1, Ordering::Release);
            drop(list);
            abandoned.clear();
        }
        let mut count = 0;
        while count < BATCH {
            // The cursor whose next record is the oldest; exhausted ones go.
            let mut best: Option<(usize, clock::Tick)> = None;
            let mut i = 0;
            while i < cursors.len() {
                let c = &mut cursors[i];
                match rings.get(c.ring).and_then(|ring| c.head(ring, locked)) {
                    Some(tick) => {
                        if best.is_none_or(|(_, t)| tick < t) {
                            best = Some((i, tick));
                        }
                        i += 1;
                    }
                    None => {
                        if let Some(ring) = rings.get(c.ring) {
                            c.release(ring, locked);
                        }
                        cursors.swap_remove(i);
                    }
                }
            }
            let Some((i, _)) = best else { break };
            // With one ring, run through it without merging.
            let solo = cursors.len() == 1;
            let Some(c) = cursors.get_mut(i) else { break };
            let Some(ring) = rings.get(c.ring) else { break };
            let thread = (ring.thread_id, &*ring.thread_name);
            while count < BATCH {
                let guard = locked.then(|| ring.lock_consumer());
                if locked {
                    c.catch_up(ring);
                }
                if c.pos >= c.end {
                    break;
                }
                let Some((flags, bytes)) = ring.record(c.pos) else {
                    // Malformed, which a correct producer never writes:
                    // give up on what this pass saw of the ring.
                    c.pos = c.end;
                    break;
                };
                c.pos += bytes.len();
                c.next = None;
                if flags & WRAP != 0 {
                    continue;
                }
                // SAFETY: `bytes` is one record written by `Header::write`
                // (no wrap flag), taken once: the cursor has moved past it,
                // and the ring gets its bytes back only after this.
                #[allow(unsafe_code)]
                let taken = unsafe { Header::take(bytes) };
                let Some((header, ext, mut payload)) = taken else {
                    continue;
                };
                if guard.is_some() {
                    scratch.clear();
                    scratch.extend_from_slice(payload);
                    payload = scratch;
                    ring.release(c.pos);
                    drop(guard);
                }
                let time = calibration.timestamp(header.tick());
                entry::dispatch(&header, ext.as_ref(), payload, time, thread, message);
                drop(ext);
                count += 1;
                c.since_release += 1;
                if c.since_release >= RELEASE_EVERY {
                    c.since_release = 0;
                    ring.release(c.pos);
                }
                if !solo {
                    break;
                }
            }
        }
        for c in cursors.iter() {
            if let Some(ring) = rings.get(c.ring) {
                c.release(ring, locked);
            }
        }
        (count, dropped)
    }

    /// True if any ring has records waiting.
    pub(crate) fn has_pending(&self) -> bool {
        self.rings().iter().any(|r| r.has_pending())
    }
}

/// What the listener keeps from one pass over the rings to the next: the
/// clock's calibration, the buffers records are decoded into, and its copy
/// of the list of rings (taken again only when the list changes).
pub(crate) struct Drainer {
    calibration: Calibration,
    /// The message being decoded.
    message: String,
    /// A record copied out of its ring (under [`Overflow::DropOldest`]).
    scratch: Vec<u8>,
    rings: Vec<Arc<Ring>>,
    /// [`FastPath::version`] when `rings` was copied.
    version: u64,
    cursors: Vec<Cursor>,
    /// The rings found abandoned and drained in a pass.
    abandoned: Vec<Arc<Ring>>,
}

impl Drainer {
    pub(crate) fn new() -> Drainer {
        Drainer {
            calibration: Calibration::new(),
            message: String::new(),
            scratch: Vec::new(),
            rings: Vec::new(),
            // No list has this version: the first pass copies it.
            version: u64::MAX,
            cursors: Vec::new(),
            abandoned: Vec::new(),
        }
    }
}

/// The listener's place in one ring during a pass.
struct Cursor {
    ring: usize,
    pos: usize,
    end: usize,
    /// The tick of the record at `pos`, once looked at.
    next: Option<clock::Tick>,
    since_release: usize,
}

impl Cursor {
    /// The tick of the next record, skipping wrap markers; `None` at the
    /// end of what was published.
    fn head(&mut self, ring: &Ring, locked: bool) -> Option<clock::Tick> {
        if self.next.is_some() {
            return self.next;
        }
        let _guard = locked.then(|| ring.lock_consumer());
        if locked {
            self.catch_up(ring);
        }
        while self.pos < self.end {
            let (flags, bytes) = ring.record(self.pos)?;
            if flags & WRAP != 0 {
                self.pos += bytes.len();
                continue;
            }
            self.next = entry::peek_tick(bytes);
            return self.next;
        }
        None
    }

    /// Under [`Overflow::DropOldest`], with the ring's lock held: skips
    /// what the producer dropped meanwhile.
    fn catch_up(&mut self, ring: &Ring) {
        let (read, _) = ring.readable();
        if read > self.pos {
            self.pos = read;
            self.end = self.end.max(read);
            self.next = None;
        }
    }

    /// Gives the ring back what was read.
    fn release(&self, ring: &Ring, locked: bool) {
        let _guard = locked.then(|| ring.lock_consumer());
        let (read, _) = ring.readable();
        if self.pos > read {
            ring.release(self.pos);
        }
    }
}

/// One thread's producer for one fast path.
struct Local {
    path: &'static FastPath,
    producer: Producer,
    /// Where a record too long for the room in the ring is encoded.
    spill: Vec<u8>,
}

/// This thread's producers, one per fast path it has logged to. Boxed, so
/// that a `Local` stays where [`LAST`] points while others are added.
#[allow(clippy::vec_box)]
struct Producers(RefCell<Vec<Box<Local>>>);

impl Drop for Producers {
    fn drop(&mut self) {
        // The cache must not outlive what it points at. `LAST` needs no
        // destructor, so it is there for as long as the thread is (where
        // thread-locals are native; elsewhere it may be gone already, and
        // so is the cache).
        let _ = LAST.try_with(Last::clear);
    }
}

/// The producer this thread used last, reached with a few loads and no
/// registration check (it needs no destructor), where [`PRODUCERS`] takes
/// a `RefCell` borrow and a search.
struct Last {
    path: Cell<*const FastPath>,
    /// Null, or a `Local` owned by this thread's [`PRODUCERS`] (cleared
    /// before they are dropped; they are never removed otherwise).
    local: Cell<*mut Local>,
    /// A `Local` of this thread is in use: a record logged from inside
    /// (a `Display` impl that logs) takes the synchronous path.
    busy: Cell<bool>,
}

impl Last {
    fn clear(&self) {
        self.path.set(std::ptr::null());
        self.local.set(std::ptr::null_mut());
    }
}

/// This thread's producer for one path, in use: [`Last::busy`] is set
/// until it is dropped (also when an argument's `Display` impl panics).
struct InUse {
    /// Non-null, a `Local` owned by this thread's [`PRODUCERS`].
    local: *mut Local,
}

impl InUse {
    /// This thread's producer for `path` (made on first use); `None` if the
    /// thread cannot use it now: it is in use already (a record logged
    /// from inside a record), or the thread is exiting.
    #[inline(always)]
    fn take(path: &'static FastPath) -> Option<InUse> {
        LAST.try_with(|last| {
            if last.busy.get() {
                return None;
            }
            let mut local = last.local.get();
            if !std::ptr::eq(last.path.get(), path) || local.is_null() {
                local = local_slow(path, last)?;
            }
            last.busy.set(true);
            Some(InUse { local })
        })
        .ok()
        .flatten()
    }

    #[inline(always)]
    fn local(&mut self) -> &mut Local {
        // SAFETY: `local` is non-null, so it points at a `Local` that this
        // thread's `PRODUCERS` owns in a `Box` (the cache is set from one,
        // cleared before they are dropped, and they are never removed
        // otherwise), which is alive. `busy` was false when this `InUse`
        // was made and stays true until it is dropped, so this is the only
        // way to the `Local` meanwhile: every other (a nested call,
        // `local_slow`) goes through `take` and stops at `busy`; the
        // `&mut self` keeps the reference unique within this one. Another
        // thread never sees this thread's `Last`.
        #[allow(unsafe_code)]
        unsafe {
            &mut *self.local
        }
    }
}

impl Drop for InUse {
    #[inline(always)]
    fn drop(&mut self) {
        let _ = LAST.try_with(|last| last.busy.set(false));
    }
}

thread_local! {
    static PRODUCERS: Producers = const { Producers(RefCell::new(Vec::new())) };
    static LAST: Last = const {
        Last {
            path: Cell::new(std::ptr::null()),
            local: Cell::new(std::ptr::null_mut()),
            busy: Cell::new(false),
        }
    };
}

/// [`InUse::take`] when the cache holds another path's producer (or none):
/// finds or makes the one for `path` and caches it.
#[cold]
#[inline(never)]
fn local_slow(path: &'static FastPath, last: &Last) -> Option<*mut Local> {
    PRODUCERS
        .try_with(|producers| {
            let mut locals = producers.0.try_borrow_mut().ok()?;
            let index = match locals.iter().position(|l| std::ptr::eq(l.path, path)) {
                Some(i) => i,
                None => {
                    locals.push(Box::new(path.new_ring()));
                    locals.len().checked_sub(1)?
                }
            };
            let local: *mut Local = &mut **locals.get_mut(index)?;
            last.path.set(path);
            last.local.set(local);
            Some(local)
        })
        .ok()
        .flatten()
}

/// The macros' fast path: captures a record by value and queues it for
/// the listener. Returns false, before evaluating anything, if this thread
/// cannot use its ring now (it is already inside `defer`, through a
/// `Display` impl that logs, or it is exiting); the caller then logs
/// synchronously. Once the arguments are encoded the record is in the
/// ring; a record the overflow policy drops is counted and never encoded.
#[allow(clippy::too_many_arguments)]
#[inline]
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
#[inline]
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
    let Some(mut in_use) = InUse::take(path) else {
        return false;
    };
    // An ext only for a record that has something in it (most have not:
    // the header is all they need).
    let bound = logger.bound_arc().cloned();
    let context = context.or_else(crate::context::current_context);
    let rare = error.is_some() || stack_info;
    let ext = (bound.is_some() || context.is_some() || rare).then(|| Ext {
        bound,
        context,
        extra: rare.then(|| extra(error, stack_info)),
        heap: None,
    });
    in_use.local().push(
        Header::new(tick, site, dummy_decode, *logger.as_logger(), level),
        ext,
        encode,
        fields,
    );
    true
}

/// Wakes the listener: this thread's ring is more than half full.
#[cold]
#[inline(never)]
fn wake(path: &FastPath) {
    path.queue.wake();
}

/// Renders the parts of a record that cannot travel by value.
#[cold]
fn extra(error: Option<&(dyn Error + 'static)>, stack_info: bool) -> Box<Extra> {
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
}

/// The decoder of a header before its call site's is known.
fn dummy_decode(_: &mut crate::deferred::Reader<'_>, _: &mut String) {}

impl Local {
    /// Encodes the record into the ring (or drops it, as the overflow
    /// policy says, before anything is evaluated).
    #[inline(always)]
    fn push(
        &mut self,
        mut header: Header,
        ext: Option<Ext>,
        encode: impl FnOnce(&mut Writer<'_>) -> DecodeFn,
        fields: &[(&str, Value<'_>)],
    ) {
        let head = if ext.is_some() { HEADER + EXT } else { HEADER };
        // The slot covers the header, the ext and `MIN_PAYLOAD`, so a
        // record whose arguments spill fits too: the whole record is
        // written to this one slot.
        let Some(slot) = Self::room(&mut self.producer, self.path, head + MIN_PAYLOAD) else {
            return;
        };
        let mut pending = Pending::new(slot);
        // The ext goes in first, so it is not held across the encoding
        // (`pending` drops it if the record is not finished).
        if let Some(ext) = ext
            && !pending.put_ext(ext)
        {
            return;
        }
        let Some(payload) = pending.from(head) else {
            return;
        };
        let mut w = Writer::in_region(payload, &mut self.spill);
        header.decode = encode(&mut w);
        header.fields_at = u32::try_from(w.position()).unwrap_or(u32::MAX);
        if !fields.is_empty() {
            encode_fields(&mut w, fields);
        }
        let len = match w.written() {
            Ok(n) => record_len(pending.has_ext(), n),
            Err(spilled) => {
                let heap = spilled.into();
                if !pending.put_heap(heap) {
                    return;
                }
                if self.spill.capacity() > 64 * 1024 {
                    self.spill = Vec::new();
                }
                record_len(true, 0)
            }
        };
        header.len = len as u32;
        if pending.finish(header) && self.producer.commit(len) {
            wake(self.path);
        }
    }

    /// Contiguous room of at least `min` bytes in the ring (the free bytes
    /// at the write position), waiting or dropping as the overflow policy
    /// of `path` says; `None` if this record is to be dropped (counted).
    #[inline(always)]
    fn room<'p>(
        producer: &'p mut Producer,
        path: &'static FastPath,
        min: usize,
    ) -> Option<&'p mut [u8]> {
        // The slot taken in each arm, so the fast one reuses what
        // `room_now` computed.
        match producer.room_now(min) {
            Some(room) => Some(producer.slot(room)),
            None => {
                let room = Self::room_slow(producer, path, min)?;
                Some(producer.slot(room))
            }
        }
    }

    /// A full ring (or one to wrap): wait, drop the oldest or drop this
    /// one, as the queue says.
    #[cold]
    #[inline(never)]
    fn room_slow(producer: &mut Producer, path: &'static FastPath, min: usize) -> Option<usize> {
        let mut spins = 0u32;
        loop {
            if let Some(room) = producer.reserve(min) {
                return Some(room);
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
            let made_room = path.overflow == Overflow::DropOldest && producer.drop_oldest();
            producer.ring().dropped.fetch_add(1, Ordering::Relaxed);
            if made_room {
                continue;
            }
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread's producer for a path: made once and found again through
    /// the cache, whichever path was used in between; never handed out
    /// twice at once (a record logged inside a record goes synchronously);
    /// given back when its user panics.
    #[test]
    fn a_threads_producer_is_cached_and_in_use_once() {
        let a = FastPath::register(&Queue::new(16, Overflow::Block), 16).expect("a slot");
        let b = FastPath::register(&Queue::new(16, Overflow::Block), 16).expect("a slot");
        std::thread::spawn(move || {
            let mut first = InUse::take(a).expect("free");
            let made: *mut Local = first.local();
            assert!(std::ptr::eq(first.local().path, a));
            assert!(InUse::take(a).is_none());
            assert!(InUse::take(b).is_none());
            drop(first);
            let mut again = InUse::take(a).expect("free");
            assert!(std::ptr::eq(again.local(), made));
            drop(again);
            let mut other = InUse::take(b).expect("free");
            assert!(std::ptr::eq(other.local().path, b));
            drop(other);
            let mut back = InUse::take(a).expect("free");
            assert!(std::ptr::eq(back.local(), made));
            drop(back);
            let panicked = std::panic::catch_unwind(|| {
                let _in_use = InUse::take(a).expect("free");
                panic!("a Display impl failed");
            });
            assert!(panicked.is_err());
            assert!(InUse::take(a).is_some());
            PRODUCERS.with(|p| assert_eq!(p.0.borrow().len(), 2));
        })
        .join()
        .expect("the thread");
    }
}
