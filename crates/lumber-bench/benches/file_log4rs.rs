//! log4rs through the `log` facade: the disabled call, and a
//! `FileAppender` with a `PatternEncoder` printing lumber's line shape.
//!
//! log4rs's `FileAppender` wraps the file in a `BufWriter` but flushes it
//! after every record, and has no option to do otherwise: one `write(2)`
//! per record, so it only has an unbuffered benchmark.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use log::LevelFilter;
use log4rs::append::file::FileAppender;
use log4rs::config::{Appender, Config, Root};
use log4rs::encode::pattern::PatternEncoder;
use lumber_bench::{LOGGER, scratch_dir, verify};

fn benches(c: &mut Criterion) {
    let dir = scratch_dir("log4rs");
    let path = dir.join("log4rs.log");
    // `{d(...)}` is chrono's local time, as lumber's `asctime`.
    let encoder = PatternEncoder::new("{d(%Y-%m-%d %H:%M:%S,%3f)} {l} {t} {m}{n}");
    let appender = FileAppender::builder()
        .encoder(Box::new(encoder))
        .build(&path)
        .expect("open the log file");
    let config = Config::builder()
        .appender(Appender::builder().build("file", Box::new(appender)))
        .build(Root::builder().appender("file").build(LevelFilter::Info))
        .expect("a valid log4rs config");
    log4rs::init_config(config).expect("install log4rs");

    let n = 42u64;
    let mut g = c.benchmark_group("disabled");
    g.bench_function("log4rs", |b| {
        b.iter(|| log::debug!(target: LOGGER, "request {} done", black_box(n)));
    });
    g.finish();

    let mut calls = 0u64;
    let mut g = c.benchmark_group("file_unbuffered");
    g.bench_function("log4rs", |b| {
        b.iter(|| {
            calls += 1;
            log::info!(target: LOGGER, "request {} done", black_box(calls));
        });
    });
    g.finish();

    log::logger().flush();
    verify("file_unbuffered/log4rs", &path, calls);
}

criterion_group!(group, benches);
criterion_main!(group);
