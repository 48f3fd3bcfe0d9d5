//! tracing-subscriber's fmt layer writing to a file, configured as close
//! to lumber's line shape as its `Full` format goes. One process can set
//! only one global subscriber, so the buffered and the unbuffered file
//! benchmarks are two bench targets sharing this.
//!
//! The `Full` format pads the level to five columns and puts a `:` after
//! the target (`2026-01-02 03:04:05,678  INFO bench.file: request 17 done`,
//! two bytes longer than lumber's line); the rest is the same. A custom
//! `FormatEvent` could remove that, but would no longer be the fmt layer
//! as people use it.

use std::fs::{File, OpenOptions};
use std::hint::black_box;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use criterion::Criterion;
use lumber_bench::{BUFFER, CHRONO_ASCTIME, LOGGER, scratch_dir, verify};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::time::ChronoLocal;

/// A file behind a lock and a 64 KiB `BufWriter`, shared with the
/// benchmark so that it can flush at the end (what `Mutex<BufWriter<File>>`
/// as the writer does, plus the handle).
#[derive(Clone)]
struct Buffered(Arc<Mutex<BufWriter<File>>>);

/// The locked writer of one event.
struct Locked<'a>(MutexGuard<'a, BufWriter<File>>);

impl Write for Locked<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<'a> MakeWriter<'a> for Buffered {
    type Writer = Locked<'a>;

    fn make_writer(&'a self) -> Locked<'a> {
        Locked(self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

fn open(path: &Path) -> File {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open the log file")
}

/// Installs a global fmt subscriber at INFO writing to a fresh file, then
/// runs the disabled benchmark (buffered target only) and the file
/// benchmark in group `file_buffered` (`Mutex<BufWriter<File>>`, 64 KiB) or
/// `file_unbuffered` (`Arc<File>`: the layer formats each event into its
/// own buffer and writes it with one `write(2)`).
pub fn run(c: &mut Criterion, buffered: bool) {
    let group = if buffered {
        "file_buffered"
    } else {
        "file_unbuffered"
    };
    let dir = scratch_dir(&format!("tracing-{group}"));
    let path = dir.join("tracing.log");
    let builder = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_timer(ChronoLocal::new(CHRONO_ASCTIME.to_owned()))
        .with_max_level(tracing::Level::INFO);
    let buffer = buffered.then(|| {
        Buffered(Arc::new(Mutex::new(BufWriter::with_capacity(
            BUFFER,
            open(&path),
        ))))
    });
    match &buffer {
        Some(writer) => builder.with_writer(writer.clone()).init(),
        None => builder.with_writer(Arc::new(open(&path))).init(),
    }

    if buffered {
        let n = 42u64;
        let mut g = c.benchmark_group("disabled");
        g.bench_function("tracing-subscriber", |b| {
            b.iter(|| tracing::debug!(target: LOGGER, "request {} done", black_box(n)));
        });
        g.finish();
    }

    let mut calls = 0u64;
    let mut g = c.benchmark_group(group);
    g.bench_function("tracing-subscriber", |b| {
        b.iter(|| {
            calls += 1;
            tracing::info!(target: LOGGER, "request {} done", black_box(calls));
        });
    });
    g.finish();

    if let Some(writer) = &buffer {
        writer
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .flush()
            .expect("flush the log file");
    }
    verify(&format!("{group}/tracing-subscriber"), &path, calls);
}
