//! fast_log: its global logger (through the `log` facade) at INFO with a
//! bounded channel of `QUEUE` records (a full channel blocks the caller)
//! and its `FileAppender`, which writes each batch of records with one
//! `write(2)` (its own buffering). A `RecordFormat` prints lumber's line
//! shape with fast_log's own clock and date code (`fastdate`, local time,
//! cut to milliseconds): `2026-01-02 03:04:05,678 INFO bench Logging ...`.
//!
//! fast_log formats the message on the calling thread
//! (`record.args().to_string()`, plus owned copies of the target, module
//! and file) and reads the clock there; a worker thread formats the line
//! and an appender thread writes.

use fast_log::Config;
use fast_log::appender::{Command, FastLogRecord, RecordFormat};
use log::LevelFilter;
use lumber_bench::harness::{self, Peer, QUEUE, Setup};

/// `<time> <level> <target> <message>`.
struct LineFormat;

impl RecordFormat for LineFormat {
    fn do_format(&self, arg: &mut FastLogRecord) {
        if let Command::CommandRecord = arg.command {
            let mut now = fastdate::DateTime::from(arg.now)
                .set_offset(fastdate::offset_sec())
                .display_stand();
            // `2026-01-02 03:04:05.678901234` → `2026-01-02 03:04:05,678`
            now.truncate(23);
            now.replace_range(19..20, ",");
            arg.formated = format!("{} {} {} {}\n", now, arg.level, arg.target, arg.args);
        }
    }
}

struct FastLog;

impl Peer for FastLog {
    lumber_bench::log_facade_calls!();

    fn drain(&self, _logged: u64) -> bool {
        // A flush command queued behind every record; its wait group is
        // released once the appender has written them.
        fast_log::flush().map(|wg| wg.wait()).is_ok()
    }

    fn finish(self, logged: u64) -> bool {
        self.drain(logged)
    }
}

fn setup(setup: &Setup) -> FastLog {
    let path = setup.path.to_str().expect("a UTF-8 path");
    fast_log::init(
        Config::new()
            .file(path)
            .chan_len(Some(QUEUE))
            .level(LevelFilter::Info)
            .format(LineFormat),
    )
    .expect("install fast_log");
    FastLog
}

fn main() {
    harness::run("fast_log", setup);
}
