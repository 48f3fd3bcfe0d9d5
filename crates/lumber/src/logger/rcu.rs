//! A logger's state, read on the logging path without a read-modify-write.
//!
//! Every record reads the state (handlers, filters, parent) of each logger
//! it passes. Behind an `ArcSwap` that read is a few locked instructions (a
//! debt slot taken and given back), about 6 ns and 100 instructions on the
//! machines measured, paid once per logger up the tree. Here a record reads
//! a plain pointer instead, inside a *read-side section*: the thread marks
//! itself busy with a plain store of its own counter, and a state replaced
//! while some thread is busy is freed only once every such thread has left
//! the section it was in (read-copy-update with quiescent states).
//!
//! The writer (rare: a handler added, a level set) makes the busy marks it
//! must see visible with `membarrier(2)`'s expedited private barrier, so the
//! readers need no fence of their own; where that is unavailable (other
//! systems, Miri, a failed registration) the readers fence instead.
//!
//! A replaced state is freed as soon as no thread is inside a section that
//! began before the replacement: at once when no record is being logged,
//! else when the last such section ends (on that thread, as it leaves).
//! Idle threads hold nothing, so removed handlers are released promptly (a
//! configuration reload relies on this to stop what the old handlers ran).
//! A thread blocked inside a handler (a slow network peer, a queue that
//! blocks when full) holds back every state replaced meanwhile, for every
//! logger, until its call returns. A child made by `fork` keeps the
//! parent's marks: a thread that was inside a section then holds back the
//! child's replaced states for good (they leak; nothing is freed early).

use std::any::Any;
use std::cell::{Cell, OnceCell};
use std::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering, compiler_fence, fence,
};
use std::sync::{Arc, Mutex, MutexGuard, Once, PoisonError};
use std::thread::LocalKey;

use arc_swap::{ArcSwap, Guard};

/// A value read on the logging path through a [`Section`], and everywhere
/// else through an `ArcSwap` guard.
pub(crate) struct RcuCell<T> {
    domain: &'static Domain,
    shared: ArcSwap<T>,
    /// The same value as `shared`, one strong count of it owned here
    /// (`Arc::into_raw`), for readers inside a section.
    current: AtomicPtr<T>,
    /// Serializes writers, so `shared` and `current` change together.
    write: Mutex<()>,
}

impl<T: Send + Sync + 'static> RcuCell<T> {
    /// A cell read in sections of the loggers' domain.
    pub(crate) fn new(value: T) -> RcuCell<T> {
        RcuCell::in_domain(&LOGGERS, value)
    }

    fn in_domain(domain: &'static Domain, value: T) -> RcuCell<T> {
        let value = Arc::new(value);
        let current = Arc::into_raw(Arc::clone(&value)).cast_mut();
        RcuCell {
            domain,
            shared: ArcSwap::new(value),
            current: AtomicPtr::new(current),
            write: Mutex::new(()),
        }
    }

    /// The value, held for as long as the guard lives (for everything but
    /// the logging path).
    pub(crate) fn load(&self) -> Guard<Arc<T>> {
        self.shared.load()
    }

    /// The value, valid for the whole section.
    #[inline]
    pub(crate) fn read<'s>(&'s self, section: &'s Section) -> &'s T {
        debug_assert!(std::ptr::eq(self.domain, section.domain));
        let p = self.current.load(Ordering::Acquire);
        // SAFETY: `current` always holds a pointer from `Arc::into_raw` with
        // a strong count owned by the cell or, once replaced, by the
        // domain's retired list. The section (of this cell's domain) marked
        // this thread busy (its counter odd) before this load, ordered by
        // the reader's fence or the writer's membarrier: a writer that
        // replaced this value after our load saw the mark and keeps the
        // value until the counter moves on, which is when the section, and
        // the borrow `'s`, end. A fallback section is counted in `orphans`,
        // which the writer waits out the same way.
        #[allow(unsafe_code)]
        unsafe {
            &*p
        }
    }

    /// Replaces the value with `change` of the current one. The old value
    /// is freed once no section that could have read it is still open.
    pub(crate) fn update(&self, change: impl FnOnce(&T) -> T) {
        let retired = {
            let _writing = self.write.lock().unwrap_or_else(PoisonError::into_inner);
            let next = Arc::new(change(&self.shared.load()));
            self.shared.store(Arc::clone(&next));
            let old = self
                .current
                .swap(Arc::into_raw(next).cast_mut(), Ordering::AcqRel);
            // SAFETY: `old` came from `Arc::into_raw` in `in_domain` or an
            // earlier `update`, and the count it carries is taken back
            // exactly once, here (the swap took it out of the cell).
            #[allow(unsafe_code)]
            unsafe {
                Arc::from_raw(old.cast_const())
            }
        };
        self.domain.retire(Box::new(retired));
    }
}

impl<T> Drop for RcuCell<T> {
    fn drop(&mut self) {
        let p = *self.current.get_mut();
        // SAFETY: the count `current` carries, taken back once; no section
        // still borrows from a cell being dropped (`read` borrows the cell).
        #[allow(unsafe_code)]
        drop(unsafe { Arc::from_raw(p.cast_const()) });
    }
}

/// A read-side section: values read through it stay valid until it ends.
pub(crate) struct Section {
    domain: &'static Domain,
    _not_send: std::marker::PhantomData<*const ()>,
}

/// Runs `f` inside a read-side section of the loggers' domain.
#[inline]
pub(crate) fn section<R>(f: impl FnOnce(&Section) -> R) -> R {
    LOGGERS.section(&READER, f)
}

/// The threads that read one set of cells, and what their writers retired.
struct Domain {
    /// Each reading thread's mark (registered at its first section).
    slots: Mutex<Vec<Arc<Slot>>>,
    /// Sections opened by threads without their locals.
    orphans: AtomicUsize,
    /// Whether some retired value waits for an orphan section to end.
    pending: AtomicBool,
    retired: Mutex<Vec<Retired>>,
}

/// The domain of the loggers' states.
static LOGGERS: Domain = Domain::new();

thread_local! {
    static READER: Reader = const { Reader::new(&LOGGERS) };
}

/// One thread's mark: odd while the thread is inside a section.
struct Slot {
    counter: AtomicU64,
    /// Set by a writer that retired a value while this thread was inside
    /// a section: the thread looks at the retired list when it leaves.
    wanted: AtomicBool,
}

/// A thread's reading state in one domain.
struct Reader {
    domain: &'static Domain,
    slot: OnceCell<Arc<Slot>>,
    depth: Cell<u32>,
}

impl Reader {
    const fn new(domain: &'static Domain) -> Reader {
        Reader {
            domain,
            slot: OnceCell::new(),
            depth: Cell::new(0),
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.get() {
            self.domain.slots().retain(|s| !Arc::ptr_eq(s, slot));
        }
    }
}

/// A replaced value and the sections it waits for: (slot, its odd count).
struct Retired {
    /// Tells this entry from the others (`retire` looks at its own).
    id: Arc<()>,
    _value: Box<dyn Any + Send + Sync>,
    waits: Vec<(Arc<Slot>, u64)>,
    orphans: bool,
}

impl Domain {
    const fn new() -> Domain {
        Domain {
            slots: Mutex::new(Vec::new()),
            orphans: AtomicUsize::new(0),
            pending: AtomicBool::new(false),
            retired: Mutex::new(Vec::new()),
        }
    }

    fn slots(&self) -> MutexGuard<'_, Vec<Arc<Slot>>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` inside a section; `reader` is this domain's thread local.
    #[inline]
    fn section<R>(
        &'static self,
        reader: &'static LocalKey<Reader>,
        f: impl FnOnce(&Section) -> R,
    ) -> R {
        let section = Section {
            domain: self,
            _not_send: std::marker::PhantomData,
        };
        let _open = match reader.try_with(|r| Open::enter(self, r)) {
            Ok(open) => open,
            // This thread's locals are gone (it is exiting): count it here.
            Err(_) => Open::orphan(self),
        };
        f(&section)
    }

    #[cold]
    fn register(&self) -> Arc<Slot> {
        let slot = Arc::new(Slot {
            counter: AtomicU64::new(0),
            wanted: AtomicBool::new(false),
        });
        // Registered before its first section opens: a writer that misses
        // it took the lock first, so its new value is visible to this
        // thread's first read.
        self.slots().push(Arc::clone(&slot));
        slot
    }

    fn retire(&self, value: Box<dyn Any + Send + Sync>) {
        if !writer_barrier() || LEAK.load(Ordering::Relaxed) {
            std::mem::forget(value);
            return;
        }
        let waits: Vec<(Arc<Slot>, u64)> = self
            .slots()
            .iter()
            .filter_map(|s| {
                let c = s.counter.load(Ordering::Acquire);
                (c & 1 == 1).then(|| (Arc::clone(s), c))
            })
            .collect();
        let orphans = self.orphans.load(Ordering::Acquire) > 0;
        if waits.is_empty() && !orphans {
            drop(value);
            return;
        }
        for (slot, _) in &waits {
            slot.wanted.store(true, Ordering::Relaxed);
        }
        let id = Arc::new(());
        self.retired
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Retired {
                id: Arc::clone(&id),
                _value: value,
                waits,
                orphans,
            });
        if orphans {
            self.pending.store(true, Ordering::SeqCst);
        }
        // A reader that left its section before seeing `wanted` (or
        // `pending`) has a counter that moved on, visible after this
        // barrier; one that leaves after it sees the flag and reclaims.
        // Only this value is looked at here: the writer may hold locks (the
        // loggers' registry), and the others' drops may log.
        let _ = writer_barrier();
        let free = {
            let mut retired = self.retired.lock().unwrap_or_else(PoisonError::into_inner);
            let orphans = self.orphans.load(Ordering::Acquire) > 0;
            let mine = retired.iter().rposition(|r| Arc::ptr_eq(&r.id, &id));
            match mine {
                Some(i) if retired.get(i).is_some_and(|r| r.done(orphans)) => {
                    Some(retired.swap_remove(i))
                }
                _ => None,
            }
        };
        drop(free);
    }

    /// Frees, one at a time, the retired values no open section can still
    /// read. Each is dropped outside the lock (a dropped handler may log),
    /// and nothing is allocated (this runs on the logging path).
    #[cold]
    #[inline(never)]
    fn reclaim(&self) {
        loop {
            let free = {
                let mut retired = self.retired.lock().unwrap_or_else(PoisonError::into_inner);
                let orphans = self.orphans.load(Ordering::Acquire) > 0;
                let done = retired.iter().position(|r| r.done(orphans));
                match done {
                    Some(i) => retired.swap_remove(i),
                    None => {
                        self.pending
                            .store(retired.iter().any(|r| r.orphans), Ordering::Relaxed);
                        return;
                    }
                }
            };
            drop(free);
        }
    }
}

impl Retired {
    /// Whether no open section can still read the value: every thread it
    /// waits for has left the section it was in, and if it waits for
    /// orphans, none is open (`orphans`).
    fn done(&self, orphans: bool) -> bool {
        (!self.orphans || !orphans)
            && self
                .waits
                .iter()
                .all(|(s, c)| s.counter.load(Ordering::Acquire) != *c)
    }
}

/// The open section; ends it on drop (a panic included).
enum Open {
    Nested(*const Reader),
    Outer(*const Reader, *const Slot),
    Orphan(&'static Domain),
}

impl Open {
    #[inline]
    fn enter(domain: &'static Domain, reader: &Reader) -> Open {
        let depth = reader.depth.get();
        if depth > 0 {
            reader.depth.set(depth + 1);
            return Open::Nested(reader);
        }
        let Some(slot) = reader.slot.get() else {
            return Open::first(domain, reader);
        };
        reader.depth.set(1);
        // Only this thread writes its counter: a load and a store, no
        // read-modify-write. Release, so that a writer that reads this odd
        // value also sees the previous section's end (free on x86).
        let counter = slot.counter.load(Ordering::Relaxed);
        slot.counter.store(counter + 1, Ordering::Release);
        reader_barrier();
        Open::Outer(reader, Arc::as_ptr(slot))
    }

    /// This thread's first section: counted as an orphan while the thread
    /// registers its slot (registering allocates; a section opened from
    /// in there, by an allocator that logs, is an orphan too, never a
    /// nested one of a section not yet marked).
    #[cold]
    #[inline(never)]
    fn first(domain: &'static Domain, reader: &Reader) -> Open {
        let open = Open::orphan(domain);
        let slot = domain.register();
        // Set already if a section opened during `register` registered
        // first: this slot then stays even, never waited for.
        let _ = reader.slot.set(slot);
        open
    }

    #[cold]
    fn orphan(domain: &'static Domain) -> Open {
        domain.orphans.fetch_add(1, Ordering::SeqCst);
        // The count before the pointer's load, against the writer's fence
        // (a SeqCst read-modify-write alone does not order a later
        // acquire load).
        fence(Ordering::SeqCst);
        Open::Orphan(domain)
    }
}

impl Drop for Open {
    #[inline]
    fn drop(&mut self) {
        match *self {
            Open::Nested(reader) => {
                // SAFETY: the reader is this thread's local, alive for the
                // whole section (opened inside `LocalKey::try_with`'s
                // access, and locals outlive the code that runs on them).
                #[allow(unsafe_code)]
                let reader = unsafe { &*reader };
                reader.depth.set(reader.depth.get().saturating_sub(1));
            }
            Open::Outer(reader, slot) => {
                // SAFETY: as above; the slot is kept by the reader's
                // `OnceCell` for as long as the reader lives.
                #[allow(unsafe_code)]
                let (reader, slot) = unsafe { (&*reader, &*slot) };
                let counter = slot.counter.load(Ordering::Relaxed);
                slot.counter.store(counter + 1, Ordering::Release);
                reader.depth.set(0);
                reader_barrier();
                if slot.wanted.load(Ordering::Relaxed) {
                    slot.wanted.store(false, Ordering::Relaxed);
                    reader.domain.reclaim();
                }
            }
            Open::Orphan(domain) => {
                domain.orphans.fetch_sub(1, Ordering::SeqCst);
                if domain.pending.load(Ordering::SeqCst) {
                    domain.reclaim();
                }
            }
        }
    }
}

/// How the two sides order the busy mark against the pointer: not yet
/// known.
const UNKNOWN: u8 = 0;
/// Writers call `membarrier(2)`; readers need only a compiler fence.
const ASYMMETRIC: u8 = 1;
/// Both sides fence.
const SYMMETRIC: u8 = 2;
static MODE: AtomicU8 = AtomicU8::new(UNKNOWN);
/// Set if a registered `membarrier` ever failed: replaced values are then
/// never freed (a reader may have skipped its fence).
static LEAK: AtomicBool = AtomicBool::new(false);

#[inline(always)]
fn reader_barrier() {
    match MODE.load(Ordering::Relaxed) {
        ASYMMETRIC => compiler_fence(Ordering::SeqCst),
        mode => {
            if mode == UNKNOWN {
                mode_init();
            }
            fence(Ordering::SeqCst);
        }
    }
}

#[cold]
fn mode_init() -> u8 {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let mode = if membarrier::register() {
            ASYMMETRIC
        } else {
            SYMMETRIC
        };
        MODE.store(mode, Ordering::Release);
    });
    MODE.load(Ordering::Acquire)
}

/// Orders the writer's pointer swap before its reading of the busy marks,
/// against every reader's mark and pointer load. False if that could not
/// be done (the retired value must then be leaked).
fn writer_barrier() -> bool {
    if mode_init() == ASYMMETRIC {
        if membarrier::barrier() {
            return true;
        }
        LEAK.store(true, Ordering::Relaxed);
        return false;
    }
    fence(Ordering::SeqCst);
    true
}

#[cfg(all(target_os = "linux", not(miri)))]
mod membarrier {
    // From <linux/membarrier.h>.
    const CMD_PRIVATE_EXPEDITED: libc::c_long = 1 << 3;
    const CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_long = 1 << 4;

    fn call(cmd: libc::c_long) -> bool {
        // SAFETY: membarrier(2) takes a command and flags (0) and touches
        // no memory of ours; an unknown command or an old kernel returns
        // an error, which is handled.
        #[allow(unsafe_code)]
        let rc = unsafe { libc::syscall(libc::SYS_membarrier, cmd, 0 as libc::c_long) };
        rc == 0
    }

    /// Registers the process for expedited private barriers.
    pub(super) fn register() -> bool {
        call(CMD_REGISTER_PRIVATE_EXPEDITED)
    }

    /// A full barrier on every running thread of the process.
    pub(super) fn barrier() -> bool {
        call(CMD_PRIVATE_EXPEDITED)
    }
}

#[cfg(not(all(target_os = "linux", not(miri))))]
mod membarrier {
    pub(super) fn register() -> bool {
        false
    }

    pub(super) fn barrier() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// The tests' own domain: the loggers' sections of the other tests in
    /// this binary do not hold up its values.
    static TESTS: Domain = Domain::new();
    thread_local! {
        static TEST_READER: Reader = const { Reader::new(&TESTS) };
    }

    /// One test at a time: each one's sections would hold up the others'.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn cell<T: Send + Sync + 'static>(value: T) -> RcuCell<T> {
        RcuCell::in_domain(&TESTS, value)
    }

    fn section<R>(f: impl FnOnce(&Section) -> R) -> R {
        TESTS.section(&TEST_READER, f)
    }

    fn reclaim() {
        TESTS.reclaim();
    }

    /// Counts its drops.
    struct Tracked {
        value: u64,
        /// `value` again, to tell a whole value from freed memory.
        twin: u64,
        drops: Arc<AtomicUsize>,
    }

    impl Drop for Tracked {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn tracked(value: u64, drops: &Arc<AtomicUsize>) -> Tracked {
        Tracked {
            value,
            twin: value,
            drops: Arc::clone(drops),
        }
    }

    /// Replaces the value with the next one.
    fn bump(cell: &RcuCell<Tracked>, drops: &Arc<AtomicUsize>) {
        cell.update(|t| tracked(t.value + 1, drops));
    }

    /// How many values were freed.
    fn freed(drops: &AtomicUsize) -> usize {
        drops.load(Ordering::SeqCst)
    }

    #[test]
    fn a_replaced_value_no_one_reads_is_freed_at_once() {
        let _serial = serial();
        let drops = Arc::new(AtomicUsize::new(0));
        let cell = cell(tracked(1, &drops));
        section(|s| assert_eq!(cell.read(s).value, 1));
        bump(&cell, &drops);
        assert_eq!(freed(&drops), 1);
        section(|s| assert_eq!(cell.read(s).value, 2));
        assert_eq!(cell.load().value, 2);
        drop(cell);
        assert_eq!(freed(&drops), 2);
    }

    #[test]
    fn a_value_read_in_an_open_section_outlives_its_replacement() {
        let _serial = serial();
        let drops = Arc::new(AtomicUsize::new(0));
        let cell = Arc::new(cell(tracked(1, &drops)));
        let (opened_tx, opened) = mpsc::channel();
        let (close_tx, close) = mpsc::channel::<()>();
        let reader = {
            let cell = Arc::clone(&cell);
            std::thread::spawn(move || {
                section(|s| {
                    let seen = cell.read(s);
                    opened_tx.send(()).unwrap();
                    close.recv().unwrap();
                    // Still the old value, still alive.
                    seen.value
                })
            })
        };
        opened.recv().unwrap();
        bump(&cell, &drops);
        assert_eq!(freed(&drops), 0, "freed under a reader");
        // A section opened now sees the new value.
        section(|s| assert_eq!(cell.read(s).value, 2));
        close_tx.send(()).unwrap();
        assert_eq!(reader.join().unwrap(), 1);
        // The reader's section ended: its exit freed the old value.
        assert_eq!(freed(&drops), 1);
    }

    #[test]
    fn nested_sections_end_with_the_outermost() {
        let _serial = serial();
        let drops = Arc::new(AtomicUsize::new(0));
        let cell = Arc::new(cell(tracked(1, &drops)));
        let (opened_tx, opened) = mpsc::channel();
        let (step_tx, step) = mpsc::channel::<()>();
        let (inner_done_tx, inner_done) = mpsc::channel();
        let reader = {
            let cell = Arc::clone(&cell);
            std::thread::spawn(move || {
                section(|outer| {
                    let seen = cell.read(outer);
                    section(|inner| {
                        let _ = cell.read(inner);
                        opened_tx.send(()).unwrap();
                        step.recv().unwrap();
                    });
                    // The inner section ended; the outer one still holds.
                    inner_done_tx.send(()).unwrap();
                    step.recv().unwrap();
                    seen.value
                })
            })
        };
        opened.recv().unwrap();
        bump(&cell, &drops);
        step_tx.send(()).unwrap();
        inner_done.recv().unwrap();
        assert_eq!(freed(&drops), 0);
        step_tx.send(()).unwrap();
        assert_eq!(reader.join().unwrap(), 1);
        assert_eq!(freed(&drops), 1);
    }

    #[test]
    fn a_panic_inside_a_section_ends_it() {
        let _serial = serial();
        let drops = Arc::new(AtomicUsize::new(0));
        let cell = cell(tracked(1, &drops));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            section(|s| {
                let _ = cell.read(s);
                section(|_| panic!("inside a section"));
            })
        }));
        assert!(result.is_err());
        // This thread is out of both sections: nothing holds the value.
        bump(&cell, &drops);
        assert_eq!(freed(&drops), 1, "the panicked section held on");
    }

    #[test]
    fn readers_and_writers_at_once_see_whole_values() {
        let _serial = serial();
        let drops = Arc::new(AtomicUsize::new(0));
        let cell = Arc::new(cell(tracked(0, &drops)));
        let rounds: u64 = if cfg!(miri) { 20 } else { 20_000 };
        let stop = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let cell = Arc::clone(&cell);
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut last = 0;
                    let mut reads = 0u64;
                    while !stop.load(Ordering::Relaxed) || reads == 0 {
                        section(|s| {
                            let v = cell.read(s);
                            // Values only grow, and each is whole.
                            assert!(v.value >= last);
                            assert_eq!(v.twin, v.value);
                            last = v.value;
                        });
                        reads += 1;
                    }
                    reads
                })
            })
            .collect();
        for _ in 0..rounds {
            bump(&cell, &drops);
        }
        stop.store(true, Ordering::Relaxed);
        for r in readers {
            assert!(r.join().unwrap() > 0);
        }
        // Every replaced value was freed once the readers stopped.
        reclaim();
        assert_eq!(freed(&drops) as u64, rounds);
        section(|s| assert_eq!(cell.read(s).value, rounds));
    }
}
