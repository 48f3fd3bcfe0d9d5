//! spdlog-rs asynchronously: a logger named `bench` at INFO whose only
//! sink is an `AsyncPoolSink` (`OverflowPolicy::Block`, its own thread
//! pool of one thread with a queue of `QUEUE` records) around a
//! `WriteSink` on a 64 KiB-buffered file; flush level off (the buffer is
//! written when full). The pattern prints lumber's line shape:
//! `{date} {time},{millisecond} {$levelname} {logger} {payload}`.
//!
//! spdlog-rs formats the message into an owned record on the calling
//! thread (`Record::to_owned`); the worker formats the line and writes it.

use std::fmt::Write as _;
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::sync::Arc;

use lumber_bench::BUFFER;
use lumber_bench::harness::{self, CountingFile, LOGGER, Peer, Progress, QUEUE, Setup};
use spdlog::formatter::{Pattern, PatternContext, PatternFormatter, pattern};
use spdlog::sink::{AsyncPoolSink, OverflowPolicy, WriteSink};
use spdlog::{Level, LevelFilter, Logger, Record, StringBuf, ThreadPool};

/// `%(levelname)s`: the level in upper case.
#[derive(Clone, Default)]
struct LevelName;

impl Pattern for LevelName {
    fn format(
        &self,
        record: &Record<'_>,
        dest: &mut StringBuf,
        _: &mut PatternContext<'_, '_>,
    ) -> spdlog::Result<()> {
        let name = match record.level() {
            Level::Critical => "CRITICAL",
            Level::Error => "ERROR",
            Level::Warn => "WARNING",
            Level::Info => "INFO",
            Level::Debug => "DEBUG",
            Level::Trace => "TRACE",
        };
        dest.write_str(name).map_err(spdlog::Error::FormatRecord)
    }
}

struct Spdlog {
    log: Arc<Logger>,
    progress: Arc<Progress>,
}

impl Peer for Spdlog {
    #[inline]
    fn ints(&self, a: i32, b: i32, d: f64) {
        spdlog::info!(logger: self.log, "Logging int: {}, int: {}, double: {}", a, b, d);
    }

    #[inline]
    fn str(&self, s: &str) {
        spdlog::info!(logger: self.log, "Logging str: {}", s);
    }

    #[inline]
    fn disabled(&self, n: u64) {
        spdlog::debug!(logger: self.log, "Logging int: {}", black_box(n));
    }

    fn drain(&self, logged: u64) -> bool {
        self.progress.wait_written(logged)
    }

    fn finish(self, logged: u64) -> bool {
        // A flush task, queued behind every record.
        self.log.flush();
        self.progress.wait_flushed(logged)
    }
}

fn setup(setup: &Setup) -> Spdlog {
    let (file, progress) = CountingFile::create(&setup.path, BUFFER).expect("open the log file");
    let formatter = PatternFormatter::new(pattern!(
        "{date} {time},{millisecond} {$levelname} {logger} {payload}{eol}",
        {$levelname} => LevelName::default,
    ));
    let file_sink = WriteSink::builder()
        .target(file)
        .formatter(formatter)
        .build_arc()
        .expect("build the write sink");
    let pool = ThreadPool::builder()
        .capacity(NonZeroUsize::new(QUEUE).expect("a capacity"))
        .build_arc()
        .expect("build the thread pool");
    let sink = AsyncPoolSink::builder()
        .sink(file_sink)
        .overflow_policy(OverflowPolicy::Block)
        .thread_pool(pool)
        .build_arc()
        .expect("build the async sink");
    let log = Logger::builder()
        .name(LOGGER)
        .level_filter(LevelFilter::MoreSevereEqual(Level::Info))
        .flush_level_filter(LevelFilter::Off)
        .sink(sink)
        .build_arc()
        .expect("build the logger");
    Spdlog { log, progress }
}

fn main() {
    harness::run("spdlog-rs", setup);
}
