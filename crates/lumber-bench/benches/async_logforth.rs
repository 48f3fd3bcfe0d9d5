//! logforth (through the `log` facade) with its async appender
//! (`append::asynchronous::AsyncBuilder`, `overflow_block`, a channel of
//! `QUEUE` records) in front of a file appender. logforth's own
//! `append::File` writes each record with its own `write(2)` (no buffer
//! option) and its `TextLayout` cannot print lumber's line shape, so the
//! appender here is a small `Append` writing `<time> <level> <target>
//! <message>` (the record's own time, formatted with chrono) to a 64
//! KiB-buffered file: `2026-01-02 03:04:05,678 INFO bench Logging ...`.
//! Level INFO (a `LevelFilter` on the dispatch and `log::set_max_level`).
//!
//! logforth copies the record, with its message formatted, on the calling
//! thread (`Record::to_owned`).

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use logforth::append::asynchronous::AsyncBuilder;
use logforth::record::{Level, LevelFilter, Record};
use logforth::{Append, Diagnostic, Error};
use lumber_bench::harness::{self, CountingFile, Peer, Progress, QUEUE, Setup};
use lumber_bench::{BUFFER, CHRONO_ASCTIME};

/// `<time> <level> <target> <message>` into a buffered file.
#[derive(Debug)]
struct LineFile {
    file: Mutex<CountingFile>,
}

impl Append for LineFile {
    fn append(&self, record: &Record<'_>, _: &[Box<dyn Diagnostic>]) -> Result<(), Error> {
        let time = chrono::DateTime::<chrono::Local>::from(record.time());
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        writeln!(
            file,
            "{} {} {} {}",
            time.format(CHRONO_ASCTIME),
            record.level(),
            record.target(),
            record.payload()
        )
        .map_err(Error::from_io_error)
    }

    fn flush(&self) -> Result<(), Error> {
        self.file
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .flush()
            .map_err(Error::from_io_error)
    }
}

struct Logforth {
    progress: Arc<Progress>,
}

impl Peer for Logforth {
    lumber_bench::log_facade_calls!();

    fn drain(&self, logged: u64) -> bool {
        self.progress.wait_written(logged)
    }

    fn finish(self, logged: u64) -> bool {
        // A flush task queued behind every record (it does not wait).
        log::logger().flush();
        self.progress.wait_flushed(logged)
    }
}

fn setup(setup: &Setup) -> Logforth {
    let (file, progress) = CountingFile::create(&setup.path, BUFFER).expect("open the log file");
    let appender = AsyncBuilder::new("logforth-async")
        .buffered_lines_limit(Some(QUEUE))
        .overflow_block()
        .append(LineFile {
            file: Mutex::new(file),
        })
        .build();
    logforth::starter_log::builder()
        .dispatch(|d| {
            d.filter(LevelFilter::MoreSevereEqual(Level::Info))
                .append(appender)
        })
        .apply();
    log::set_max_level(log::LevelFilter::Info);
    Logforth { progress }
}

fn main() {
    harness::run("logforth", setup);
}
