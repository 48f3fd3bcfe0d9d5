//! fern through the `log` facade: the disabled call, and `fern::log_file`
//! with a format closure printing lumber's line shape.
//!
//! fern wraps a file output in a `BufWriter` but flushes it after every
//! record (for files and for any `Box<dyn Write>` output alike), with no
//! option to do otherwise: one `write(2)` per record, so it only has an
//! unbuffered benchmark. fern has no date formatting of its own; the
//! closure uses chrono's local time, as its documentation suggests.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use log::LevelFilter;
use lumber_bench::{CHRONO_ASCTIME, LOGGER, scratch_dir, verify};

fn benches(c: &mut Criterion) {
    let dir = scratch_dir("fern");
    let path = dir.join("fern.log");
    fern::Dispatch::new()
        .format(|out, message, record| {
            out.finish(format_args!(
                "{} {} {} {}",
                chrono::Local::now().format(CHRONO_ASCTIME),
                record.level(),
                record.target(),
                message
            ));
        })
        .level(LevelFilter::Info)
        .chain(fern::log_file(&path).expect("open the log file"))
        .apply()
        .expect("install fern");

    let n = 42u64;
    let mut g = c.benchmark_group("disabled");
    g.bench_function("fern", |b| {
        b.iter(|| log::debug!(target: LOGGER, "request {} done", black_box(n)));
    });
    g.finish();

    let mut calls = 0u64;
    let mut g = c.benchmark_group("file_unbuffered");
    g.bench_function("fern", |b| {
        b.iter(|| {
            calls += 1;
            log::info!(target: LOGGER, "request {} done", black_box(calls));
        });
    });
    g.finish();

    log::logger().flush();
    verify("file_unbuffered/fern", &path, calls);
}

criterion_group!(group, benches);
criterion_main!(group);
