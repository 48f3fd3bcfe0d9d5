//! spdlog-rs through its own macros with an explicit logger: the disabled
//! call, and a `FileSink` with a pattern printing lumber's line shape,
//! buffered (64 KiB `BufWriter`, flush level off) and unbuffered (flush
//! after every record: one `write(2)` per record).
//!
//! spdlog-rs's `{level}` prints `info`; a three-line custom pattern prints
//! `INFO` so that the line is byte-for-byte lumber's. spdlog-rs needs no
//! global logger, so both file benchmarks share this process.

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use lumber_bench::{BUFFER, LOGGER, scratch_dir, verify};
use spdlog::formatter::{Pattern, PatternContext, PatternFormatter, pattern};
use spdlog::sink::FileSink;
use spdlog::{Level, LevelFilter, Logger, Record, StringBuf};

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

/// A logger named `bench.file` at INFO with one file sink; `capacity` is
/// the sink's `BufWriter` size, `flush_every_record` sets the flush level
/// to everything.
fn logger(path: &std::path::Path, capacity: usize, flush_every_record: bool) -> Arc<Logger> {
    let formatter = PatternFormatter::new(pattern!(
        "{date} {time},{millisecond} {$levelname} {logger} {payload}{eol}",
        {$levelname} => LevelName::default,
    ));
    let sink = FileSink::builder()
        .path(path)
        .capacity(capacity)
        .formatter(formatter)
        .build_arc()
        .expect("open the log file");
    let flush = if flush_every_record {
        LevelFilter::All
    } else {
        LevelFilter::Off
    };
    Logger::builder()
        .name(LOGGER)
        .level_filter(LevelFilter::MoreSevereEqual(Level::Info))
        .flush_level_filter(flush)
        .sink(sink)
        .build_arc()
        .expect("build the logger")
}

fn disabled(c: &mut Criterion) {
    let dir = scratch_dir("spdlog-disabled");
    let log = logger(&dir.join("disabled.log"), BUFFER, false);
    let n = 42u64;
    let mut g = c.benchmark_group("disabled");
    g.bench_function("spdlog-rs", |b| {
        b.iter(|| spdlog::debug!(logger: log, "request {} done", black_box(n)));
    });
    g.finish();
}

fn file(c: &mut Criterion, group: &str, buffered: bool) {
    let dir = scratch_dir(&format!("spdlog-{group}"));
    let path = dir.join("spdlog.log");
    let log = logger(&path, BUFFER, !buffered);
    let mut calls = 0u64;
    let mut g = c.benchmark_group(group);
    g.bench_function("spdlog-rs", |b| {
        b.iter(|| {
            calls += 1;
            spdlog::info!(logger: log, "request {} done", black_box(calls));
        });
    });
    g.finish();
    log.flush();
    verify(&format!("{group}/spdlog-rs"), &path, calls);
}

fn file_buffered(c: &mut Criterion) {
    file(c, "file_buffered", true);
}

fn file_unbuffered(c: &mut Criterion) {
    file(c, "file_unbuffered", false);
}

criterion_group!(benches, disabled, file_buffered, file_unbuffered);
criterion_main!(benches);
