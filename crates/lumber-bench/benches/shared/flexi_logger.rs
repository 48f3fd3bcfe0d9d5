//! flexi_logger through the `log` facade, configured for lumber's line
//! shape. One process can install only one `log` logger, so the buffered
//! and the unbuffered file benchmarks are two bench targets sharing this.

use std::hint::black_box;
use std::io::{self, Write};

use criterion::Criterion;
use flexi_logger::{DeferredNow, FileSpec, Logger, WriteMode};
use lumber_bench::{BUFFER, CHRONO_ASCTIME, LOGGER, scratch_dir, verify};

/// lumber's line shape; `DeferredNow::format` is chrono's local time.
fn line(w: &mut dyn Write, now: &mut DeferredNow, record: &log::Record<'_>) -> io::Result<()> {
    write!(
        w,
        "{} {} {} {}",
        now.format(CHRONO_ASCTIME),
        record.level(),
        record.target(),
        record.args()
    )
}

/// Installs flexi_logger writing to a fresh file at level INFO, then runs
/// the disabled benchmark (buffered target only) and the file benchmark in
/// group `file_buffered` (`WriteMode::BufferDontFlushWith(64 KiB)`) or
/// `file_unbuffered` (`WriteMode::Direct`).
pub fn run(c: &mut Criterion, buffered: bool) {
    let group = if buffered {
        "file_buffered"
    } else {
        "file_unbuffered"
    };
    let dir = scratch_dir(&format!("flexi_logger-{group}"));
    let spec = FileSpec::default()
        .directory(&dir)
        .basename("flexi_logger")
        .suppress_timestamp()
        .suffix("log");
    let path = spec.as_pathbuf(None);
    let mode = if buffered {
        WriteMode::BufferDontFlushWith(BUFFER)
    } else {
        WriteMode::Direct
    };
    let handle = Logger::try_with_str("info")
        .expect("a valid log spec")
        .log_to_file(spec)
        .format_for_files(line)
        .write_mode(mode)
        .start()
        .expect("install flexi_logger");

    if buffered {
        let n = 42u64;
        let mut g = c.benchmark_group("disabled");
        g.bench_function("flexi_logger", |b| {
            b.iter(|| log::debug!(target: LOGGER, "request {} done", black_box(n)));
        });
        g.finish();
    }

    let mut calls = 0u64;
    let mut g = c.benchmark_group(group);
    g.bench_function("flexi_logger", |b| {
        b.iter(|| {
            calls += 1;
            log::info!(target: LOGGER, "request {} done", black_box(calls));
        });
    });
    g.finish();

    handle.flush();
    verify(&format!("{group}/flexi_logger"), &path, calls);
    handle.shutdown();
}
