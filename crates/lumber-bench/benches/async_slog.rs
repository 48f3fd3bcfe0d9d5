//! slog with slog-async: `Async` with `OverflowStrategy::Block` and a
//! channel of `QUEUE` records, around a drain that writes lumber's line
//! shape to a 64 KiB-buffered file (slog-term's formats cannot print it,
//! and flush after every record). slog loggers have no name: the drain
//! prints `bench`. The time is read and formatted by the drain (slog
//! records carry none), with chrono: `2026-01-02 03:04:05,678 INFO bench
//! Logging ...`. Level INFO through a `LevelFilter` drain; slog's
//! compile-time filter would remove `debug!` from release builds, so the
//! benchmark enables `max_level_trace` and the disabled call is the
//! run-time check, as for every other crate.
//!
//! slog-async formats the message and serializes the key-values on the
//! calling thread.

use std::hint::black_box;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use lumber_bench::harness::{self, CountingFile, LOGGER, Peer, Progress, QUEUE, Setup};
use lumber_bench::{BUFFER, CHRONO_ASCTIME};
use slog::{Drain, Level, Logger, OwnedKVList, o};
use slog_async::{AsyncGuard, OverflowStrategy};

/// `<time> <level> bench <message>` into the file.
struct LineDrain {
    file: Mutex<CountingFile>,
}

impl Drain for LineDrain {
    type Ok = ();
    type Err = slog::Never;

    fn log(&self, record: &slog::Record<'_>, _: &OwnedKVList) -> Result<(), slog::Never> {
        let now = chrono::Local::now();
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = writeln!(
            file,
            "{} {} {} {}",
            now.format(CHRONO_ASCTIME),
            record.level().as_str(),
            LOGGER,
            record.msg()
        );
        Ok(())
    }
}

struct Slog {
    log: Logger,
    guard: AsyncGuard,
    progress: Arc<Progress>,
}

impl Peer for Slog {
    #[inline]
    fn ints(&self, a: i32, b: i32, d: f64) {
        slog::info!(self.log, "Logging int: {}, int: {}, double: {}", a, b, d);
    }

    #[inline]
    fn str(&self, s: &str) {
        slog::info!(self.log, "Logging str: {}", s);
    }

    #[inline]
    fn disabled(&self, n: u64) {
        slog::debug!(self.log, "Logging int: {}", black_box(n));
    }

    fn drain(&self, logged: u64) -> bool {
        self.progress.wait_written(logged)
    }

    fn finish(self, logged: u64) -> bool {
        let done = self.progress.wait_written(logged);
        // Joins the worker thread, which drops the drain: the buffer is
        // written.
        drop(self.log);
        drop(self.guard);
        done && self.progress.flushed() >= logged
    }
}

fn setup(setup: &Setup) -> Slog {
    let (file, progress) = CountingFile::create(&setup.path, BUFFER).expect("open the log file");
    let drain = LineDrain {
        file: Mutex::new(file),
    };
    let (drain, guard) = slog_async::Async::new(drain)
        .chan_size(QUEUE)
        .overflow_strategy(OverflowStrategy::Block)
        .thread_name("slog-async".to_owned())
        .build_with_guard();
    let drain = drain.filter_level(Level::Info).fuse();
    let log = Logger::root(drain, o!());
    Slog {
        log,
        guard,
        progress,
    }
}

fn main() {
    harness::run("slog", setup);
}
