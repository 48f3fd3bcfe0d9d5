//! lumber's fast path, asynchronously: the root logger's only handler is a
//! `QueueHandler` whose `QueueListener` runs a buffered (64 KiB)
//! `FileHandler` with the pattern `%(asctime)s %(levelname)s %(name)s
//! %(message)s`; the queue blocks when full. The logger `bench` takes the
//! fast path (asserted). `--variant coarse` reads the kernel's coarse clock
//! instead of the TSC (`lumber::set_time_source(TimeSource::Coarse)`).
//!
//! Latency mode: the default ring (4096 entries per thread). Throughput
//! mode: a ring of `THROUGHPUT_RING` entries, so that the producer rarely
//! waits for the listener.

use std::hint::black_box;

use lumber::{
    FileHandler, Formatter, Handler, Level, Listener, Logger, Overflow, Queue, QueueHandler,
    QueueListener, TimeSource, debug, get_logger, info,
};
use lumber_bench::harness::{self, LOGGER, Mode, Peer, QUEUE, Setup, THROUGHPUT_RING};
use lumber_bench::{BUFFER, PATTERN};

struct Lumber {
    log: Logger,
    listener: Listener,
}

impl Peer for Lumber {
    #[inline]
    fn ints(&self, a: i32, b: i32, d: f64) {
        info!(logger: self.log, "Logging int: {}, int: {}, double: {}", a, b, d);
    }

    #[inline]
    fn str(&self, s: &str) {
        info!(logger: self.log, "Logging str: {}", s);
    }

    #[inline]
    fn disabled(&self, n: u64) {
        debug!(logger: self.log, "Logging int: {}", black_box(n));
    }

    fn drain(&self, _logged: u64) -> bool {
        // Returns once the listener has handled everything logged before.
        lumber::flush();
        true
    }

    fn finish(self, _logged: u64) -> bool {
        lumber::flush();
        self.listener.stop();
        true
    }
}

fn setup(setup: &Setup) -> Lumber {
    if setup.variant.as_deref() == Some("coarse") {
        lumber::set_time_source(TimeSource::Coarse);
    }
    let file = Handler::new(
        FileHandler::options(&setup.path)
            .buffer(BUFFER)
            .open()
            .expect("open the log file"),
    )
    .with_formatter(Formatter::new(PATTERN).expect("a valid pattern"));
    let queue = Queue::new(QUEUE, Overflow::Block);
    let mut listener = QueueListener::new(queue.clone(), vec![file.into()]);
    if setup.mode == Mode::Throughput {
        listener = listener.ring_capacity(THROUGHPUT_RING);
    }
    let listener = listener.start().expect("start the listener");
    lumber::root().add_handler(QueueHandler::new(queue));
    let log = get_logger(LOGGER);
    log.set_level(Level::INFO);
    assert!(
        log.fast_path().is_some(),
        "the logger must take the fast path"
    );
    Lumber { log, listener }
}

fn main() {
    harness::run("lumber", setup);
}
