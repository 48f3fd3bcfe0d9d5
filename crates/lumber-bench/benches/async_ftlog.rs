//! ftlog: its global logger (through the `log` facade) at INFO, a bounded
//! channel of `QUEUE` records that blocks when full
//! (`.bounded(QUEUE, true)`), the `tsc` clock feature, and as root writer a
//! 64 KiB `BufWriter` on the file (ftlog flushes it on request and at most
//! once a second). A formatter prints `<level> <target> <message>`; ftlog
//! itself puts the time (`time_format`: `YYYY-MM-DD HH:MM:SS,mmm`, local)
//! and its queueing delay (`0ms`) in front, which cannot be turned off:
//! `2026-01-02 03:04:05,678 0ms INFO bench Logging ...`.
//!
//! As ftlog's own formatter does, the message is formatted on the calling
//! thread (`format!("{}", record.args())`); the time is taken there too,
//! and formatted on the logger thread.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::BufWriter;

use ftlog::FtLogFormat;
use log::{Level, LevelFilter, Record};
use lumber_bench::BUFFER;
use lumber_bench::harness::{self, Peer, QUEUE, Setup};

/// `<level> <target> <message>`.
struct LineFormat;

struct Line {
    level: Level,
    target: String,
    args: Cow<'static, str>,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.level, self.target, self.args)
    }
}

impl FtLogFormat for LineFormat {
    fn msg(&self, record: &Record<'_>) -> Box<dyn Send + Sync + fmt::Display> {
        Box::new(Line {
            level: record.level(),
            target: record.target().to_owned(),
            args: record
                .args()
                .as_str()
                .map_or_else(|| Cow::Owned(record.args().to_string()), Cow::Borrowed),
        })
    }
}

struct Ftlog {
    _guard: ftlog::LoggerGuard,
}

impl Peer for Ftlog {
    lumber_bench::log_facade_calls!();

    fn drain(&self, _logged: u64) -> bool {
        // Blocks until the logger thread has written everything queued
        // before, and flushed.
        log::logger().flush();
        true
    }

    fn finish(self, _logged: u64) -> bool {
        log::logger().flush();
        true
    }
}

fn setup(setup: &Setup) -> Ftlog {
    let file = File::create(&setup.path).expect("open the log file");
    let time_format = time::format_description::parse_owned::<2>(
        "[year]-[month]-[day] [hour]:[minute]:[second],[subsecond digits:3]",
    )
    .expect("a valid time format");
    let guard = ftlog::builder()
        .max_log_level(LevelFilter::Info)
        .format(LineFormat)
        .time_format(time_format)
        .local_timezone()
        .bounded(QUEUE, true)
        .root(BufWriter::with_capacity(BUFFER, file))
        .try_init()
        .expect("install ftlog");
    Ftlog { _guard: guard }
}

fn main() {
    harness::run("ftlog", setup);
}
