//! flexi_logger (through the `log` facade) in `WriteMode::AsyncWith`: the
//! line is formatted on the calling thread into a pooled buffer and sent
//! over an unbounded channel to a writer thread, which writes it to the
//! file through flexi_logger's buffer; `flush_interval` zero (no flusher
//! thread: the buffer is written when full), the default pool (50 buffers
//! of 200 bytes). The format function prints lumber's line shape with
//! chrono (`DeferredNow`): `2026-01-02 03:04:05,678 INFO bench Logging ...`.
//!
//! flexi_logger's channel is unbounded: it neither blocks nor drops.

use std::io::{self, Write};
use std::time::Duration;

use flexi_logger::{DeferredNow, FileSpec, Logger, LoggerHandle, WriteMode};
use lumber_bench::CHRONO_ASCTIME;
use lumber_bench::harness::{self, Peer, Setup, wait_file_lines};

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

struct Flexi {
    handle: LoggerHandle,
    path: std::path::PathBuf,
}

impl Peer for Flexi {
    lumber_bench::log_facade_calls!();

    fn drain(&self, logged: u64) -> bool {
        // A flush request goes behind every line; the file is polled.
        wait_file_lines(&self.path, logged, || self.handle.flush())
    }

    fn finish(self, _logged: u64) -> bool {
        // Queues a shutdown behind every line and joins the writer thread.
        self.handle.shutdown();
        true
    }
}

fn setup(setup: &Setup) -> Flexi {
    let stem = setup
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a file name");
    let spec = FileSpec::default()
        .directory(&setup.dir)
        .basename(stem)
        .suppress_timestamp()
        .suffix("log");
    let path = spec.as_pathbuf(None);
    assert_eq!(
        path, setup.path,
        "flexi_logger must write to the given file"
    );
    let handle = Logger::try_with_str("info")
        .expect("a valid log spec")
        .log_to_file(spec)
        .format_for_files(line)
        .write_mode(WriteMode::AsyncWith {
            pool_capa: 50,
            message_capa: 200,
            flush_interval: Duration::ZERO,
        })
        .start()
        .expect("install flexi_logger");
    Flexi { handle, path }
}

fn main() {
    harness::run("flexi_logger", setup);
}
