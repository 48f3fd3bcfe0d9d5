//! tracing with tracing-subscriber's fmt layer writing through
//! tracing-appender's `non_blocking` writer: `lossy(false)` (a full channel
//! blocks the caller), a channel of `QUEUE` lines, and a 64 KiB-buffered
//! file (the worker flushes it whenever the channel runs empty). The fmt
//! layer as in the synchronous benchmark: `with_ansi(false)`, a
//! `ChronoLocal` timer with `YYYY-MM-DD HH:MM:SS,mmm`, max level INFO:
//! `2026-01-02 03:04:05,678  INFO bench: Logging ...` (the `Full` format's
//! level padding and `:` after the target).
//!
//! The whole line is formatted on the calling thread; only the write is
//! deferred.

use std::hint::black_box;
use std::sync::Arc;

use lumber_bench::harness::{self, CountingFile, LOGGER, Peer, Progress, QUEUE, Setup};
use lumber_bench::{BUFFER, CHRONO_ASCTIME};
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::fmt::time::ChronoLocal;

struct Tracing {
    guard: WorkerGuard,
    progress: Arc<Progress>,
}

impl Peer for Tracing {
    #[inline]
    fn ints(&self, a: i32, b: i32, d: f64) {
        tracing::info!(target: LOGGER, "Logging int: {}, int: {}, double: {}", a, b, d);
    }

    #[inline]
    fn str(&self, s: &str) {
        tracing::info!(target: LOGGER, "Logging str: {}", s);
    }

    #[inline]
    fn disabled(&self, n: u64) {
        tracing::debug!(target: LOGGER, "Logging int: {}", black_box(n));
    }

    fn drain(&self, logged: u64) -> bool {
        self.progress.wait_written(logged)
    }

    fn finish(self, logged: u64) -> bool {
        // The worker flushes when the channel is empty; dropping the guard
        // then stops it.
        let done = self.progress.wait_flushed(logged);
        drop(self.guard);
        done
    }
}

fn setup(setup: &Setup) -> Tracing {
    let (file, progress) = CountingFile::create(&setup.path, BUFFER).expect("open the log file");
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(QUEUE)
        .finish(file);
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_timer(ChronoLocal::new(CHRONO_ASCTIME.to_owned()))
        .with_max_level(tracing::Level::INFO)
        .with_writer(writer)
        .init();
    Tracing { guard, progress }
}

fn main() {
    harness::run("tracing", setup);
}
