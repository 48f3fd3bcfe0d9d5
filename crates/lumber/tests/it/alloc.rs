//! Allocation accounting: a disabled call allocates nothing, and an enabled
//! call through a formatter into a sink allocates nothing once warm.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use lumber::{Formatter, Handler, Level, debug, info};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: defers every call to the system allocator unchanged; only counts.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by this thread while running `f`.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn a_disabled_call_allocates_nothing() {
    let log = lumber::get_logger("alloc.disabled");
    log.set_propagate(false);
    log.set_level(Level::WARNING);
    let name = String::from("world");
    debug!(logger: log, "warm up {}", name); // first use of the call site
    let n = allocations(|| {
        for i in 0..1000 {
            debug!(logger: log, user = %name, "hello {} {}", name, i);
            info!(logger: log, "hello {:?}", vec![i]);
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn an_enabled_call_allocates_nothing_once_warm() {
    let log = lumber::get_logger("alloc.enabled");
    log.set_propagate(false);
    log.set_level(Level::INFO);
    let sink = lumber::from_fn(|_, line| {
        std::hint::black_box(line);
    });
    let format =
        Formatter::new("%(levelname)-8s %(name)s %(filename)s:%(lineno)d %(user)s %(message)s")
            .unwrap();
    log.add_handler(Handler::new(sink).with_formatter(format));
    let warm = || {
        for i in 0..1000 {
            info!(logger: log, user = i; "request {} took {} ms", i, 2.5);
        }
    };
    warm();
    assert_eq!(allocations(warm), 0);
}
