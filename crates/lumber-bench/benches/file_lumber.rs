//! lumber: the disabled call, and a synchronous `FileHandler` both
//! buffered (64 KiB) and unbuffered (one `write(2)` per record, Python's
//! default); plus the parts of a file record (group `lumber_parts`), to
//! see where its time goes.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lumber::{
    FileHandler, Format, Formatter, Handler, Level, Message, NullHandler, Record, Timestamp, debug,
    get_logger, info,
};
use lumber_bench::{BUFFER, LOGGER, PATTERN, scratch_dir, verify};

fn disabled(c: &mut Criterion) {
    let log = get_logger(LOGGER);
    log.set_level(Level::INFO);
    log.set_propagate(false);
    // The logger named after this module, used by the macros without `logger:`.
    get_logger(module_path!()).set_level(Level::INFO);
    let n = 42u64;
    let mut group = c.benchmark_group("disabled");
    group.bench_function("lumber", |b| {
        b.iter(|| debug!(logger: log, "request {} done", black_box(n)));
    });
    group.bench_function("lumber (module logger)", |b| {
        b.iter(|| debug!("request {} done", black_box(n)));
    });
    group.finish();
}

fn file(c: &mut Criterion, group: &str, buffer: usize) {
    let dir = scratch_dir(&format!("lumber-{group}"));
    let path = dir.join("lumber.log");
    let log = get_logger(LOGGER);
    log.set_level(Level::INFO);
    log.set_propagate(false);
    let fh = FileHandler::options(&path)
        .buffer(buffer)
        .open()
        .expect("open the log file");
    let formatter = Formatter::new(PATTERN).expect("a valid pattern");
    let handler = log.add_handler(Handler::new(fh).with_formatter(formatter));

    let mut calls = 0u64;
    let mut g = c.benchmark_group(group);
    g.bench_function("lumber", |b| {
        b.iter(|| {
            calls += 1;
            info!(logger: log, "request {} done", black_box(calls));
        });
    });
    g.finish();

    handler.flush();
    handler.close();
    log.remove_handler(&handler);
    verify(&format!("{group}/lumber"), &path, calls);
}

fn file_buffered(c: &mut Criterion) {
    file(c, "file_buffered", BUFFER);
}

fn file_unbuffered(c: &mut Criterion) {
    file(c, "file_unbuffered", 0);
}

/// The file record taken apart: reading the clock; making a record and
/// formatting it with the pattern (no logger, no handler); and the whole
/// `info!` path into a handler whose sink discards the line (everything but
/// the file).
fn parts(c: &mut Criterion) {
    let formatter = Formatter::new(PATTERN).expect("a valid pattern");
    let null = get_logger("bench.null");
    null.set_level(Level::INFO);
    null.set_propagate(false);
    null.add_handler(
        Handler::new(NullHandler).with_formatter(Formatter::new(PATTERN).expect("a valid pattern")),
    );
    let mut g = c.benchmark_group("lumber_parts");
    g.bench_function("clock (Timestamp::now)", |b| b.iter(Timestamp::now));
    g.bench_function("clock (the records' clock)", |b| {
        b.iter(lumber::__private::wall_now)
    });
    let mut line = String::with_capacity(256);
    let mut n = 0u64;
    g.bench_function("record + format", |b| {
        b.iter(|| {
            n += 1;
            let args = format_args!("request {} done", black_box(n));
            let record = Record::new(LOGGER, Level::INFO, Message::Args(args));
            line.clear();
            formatter.format(&record, &mut line);
            black_box(line.len())
        });
    });
    g.bench_function("info! to a null sink", |b| {
        b.iter(|| {
            n += 1;
            info!(logger: null, "request {} done", black_box(n));
        });
    });
    g.finish();
}

criterion_group!(benches, disabled, file_buffered, file_unbuffered, parts);
criterion_main!(benches);
