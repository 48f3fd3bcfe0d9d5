//! Python's `TimedRotatingFileHandler`: roll over at times given by
//! `when`, `interval`, `utc` and `at_time`; name backups after the start
//! of the interval they hold; keep `backup_count` of them. Also by size,
//! and with the date in the name of the file being written, for those
//! who want it.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use jiff::tz::TimeZone;

use super::engine::{Common, Engine, Policy};
use super::options::common_options;
use super::schedule::{Schedule, When};
use crate::handler::Sink;
use crate::record::Record;

/// How to open a [`TimedRotatingFileHandler`]; made by
/// [`TimedRotatingFileHandler::options`].
///
/// ```
/// use lumber::{TimedRotatingFileHandler, When};
/// # let dir = std::env::temp_dir().join("lumber-doc-timed-options");
/// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
///     .when(When::Midnight)     // Python's when="midnight"
///     .at_time(2, 30, 0)        // ... at 02:30 instead
///     .backup_count(14)         // keep two weeks
///     .max_bytes(100 << 20)     // and never more than 100 MiB per file
///     .open()
///     .unwrap();
/// # let _ = h;
/// ```
#[derive(Clone)]
pub struct TimedOptions {
    common: Common,
    when: When,
    interval: u32,
    utc: bool,
    zone: Option<TimeZone>,
    at_time: Option<(u8, u8, u8)>,
    backup_count: u32,
    max_bytes: u64,
    dated: bool,
}

impl TimedOptions {
    /// When to roll over (default [`When::Hour`], as in Python).
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-when");
    /// let h = lumber::TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when("W6".parse().unwrap()) // Sundays at midnight
    ///     .open()
    ///     .unwrap();
    /// # let _ = h;
    /// ```
    pub fn when(mut self, when: When) -> Self {
        self.when = when;
        self
    }

    /// Roll over every `interval` units of `when` (default 1; 0 is
    /// refused by `open`). For [`When::Midnight`] and [`When::Weekday`]
    /// it counts days and weeks on the wall clock.
    ///
    /// ```
    /// # use lumber::{ManualClock, TimedRotatingFileHandler, When};
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-interval");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let clock = ManualClock::at_unix(1_700_000_000);
    /// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(When::Minute)
    ///     .interval(15)
    ///     .clock(clock)
    ///     .open()
    ///     .unwrap();
    /// let next = h.next_rollover().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    /// assert_eq!(next, 1_700_000_000 + 15 * 60);
    /// ```
    pub fn interval(mut self, interval: u32) -> Self {
        self.interval = interval;
        self
    }

    /// Use UTC instead of local time for `Midnight`, `Weekday` and `at_time`
    /// and for the names of backups (Python's `utc=True`).
    ///
    /// ```
    /// # use lumber::{ManualClock, TimedRotatingFileHandler, When};
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-utc");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(When::Midnight)
    ///     .utc(true)
    ///     .clock(ManualClock::at_unix(1_700_000_000)) // 2023-11-14 22:13:20 UTC
    ///     .open()
    ///     .unwrap();
    /// let next = h.next_rollover().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    /// assert_eq!(next, 1_700_006_400); // 2023-11-15 00:00:00 UTC
    /// ```
    pub fn utc(mut self, utc: bool) -> Self {
        self.utc = utc;
        self
    }

    /// The time zone for local time (default: the system's, from `TZ`
    /// or `/etc/localtime`). `utc(true)` wins over it.
    ///
    /// ```
    /// # use lumber::{ManualClock, TimedRotatingFileHandler, When};
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-zone");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(When::Midnight)
    ///     .time_zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
    ///     .clock(ManualClock::at_unix(1_700_000_000)) // 2023-11-15 07:13:20 +09
    ///     .open()
    ///     .unwrap();
    /// let next = h.next_rollover().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    /// assert_eq!(next, 1_700_060_400); // 2023-11-16 00:00:00 +09
    /// ```
    pub fn time_zone(mut self, zone: TimeZone) -> Self {
        self.zone = Some(zone);
        self
    }

    /// For `Midnight` and `Weekday`: roll over at this time of day instead
    /// of midnight (Python's `atTime`). A time skipped by a daylight-saving
    /// change rolls over as the change ends; a time repeated by one, at
    /// its first occurrence.
    ///
    /// ```
    /// # use lumber::{ManualClock, TimedRotatingFileHandler, When};
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-at");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(When::Midnight)
    ///     .utc(true)
    ///     .at_time(23, 0, 0)
    ///     .clock(ManualClock::at_unix(1_700_000_000)) // 22:13:20 UTC
    ///     .open()
    ///     .unwrap();
    /// let next = h.next_rollover().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    /// assert_eq!(next, 1_700_002_800); // 23:00:00 the same day
    /// ```
    pub fn at_time(mut self, hour: u8, minute: u8, second: u8) -> Self {
        self.at_time = Some((hour, minute, second));
        self
    }

    /// How many backups to keep (Python's `backupCount`; 0, the default,
    /// keeps them all). Python's rule: the backups are the files named
    /// after the log with a dot-separated part that looks like this
    /// schedule's suffix; sorted by name, all but the newest
    /// `backup_count` are deleted, after each rollover and, unlike Python,
    /// when the handler opens.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-backup_count");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// for day in ["2024-01-01", "2024-01-02", "2024-01-03"] {
    ///     std::fs::write(dir.join(format!("app.log.{day}")), "old\n").unwrap();
    /// }
    /// let _h = lumber::TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(lumber::When::Midnight)
    ///     .backup_count(2)
    ///     .open()
    ///     .unwrap();
    /// assert!(!dir.join("app.log.2024-01-01").exists());
    /// assert!(dir.join("app.log.2024-01-03").exists());
    /// ```
    pub fn backup_count(mut self, count: u32) -> Self {
        self.backup_count = count;
        self
    }

    /// Also roll over by size, as [`crate::RotatingFileHandler`] does
    /// (default 0: by time only). Backups of one interval are then
    /// `app.log.<suffix>`, `app.log.<suffix>.1`, `app.log.<suffix>.2`, ...
    ///
    /// ```
    /// # use lumber::{Level, ManualClock, Message, Record, Sink, TimedRotatingFileHandler, When};
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-max_bytes");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(When::Midnight)
    ///     .utc(true)
    ///     .max_bytes(8)
    ///     .clock(ManualClock::at_unix(1_700_000_000)) // 2023-11-14
    ///     .open()
    ///     .unwrap();
    /// let rec = Record::new("x", Level::INFO, Message::Str(""));
    /// for line in ["one", "two", "six"] {
    ///     h.emit(&rec, line).unwrap();
    /// }
    /// let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    /// assert_eq!(read("app.log.2023-11-14"), "one\n");
    /// assert_eq!(read("app.log.2023-11-14.1"), "two\n");
    /// assert_eq!(read("app.log"), "six\n");
    /// ```
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// Write to the file named for the current interval
    /// (`app.log.2024-01-15`, through the namer) instead of `app.log`; a
    /// rollover moves on to the next file and renames nothing, which
    /// suits log shippers. A restart within an interval appends to its
    /// file.
    ///
    /// ```
    /// # use lumber::{Level, ManualClock, Message, Record, Sink, TimedRotatingFileHandler, When};
    /// # use std::time::Duration;
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-dated");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let clock = ManualClock::at_unix(1_700_000_000); // 2023-11-14 22:13:20 UTC
    /// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(When::Midnight)
    ///     .utc(true)
    ///     .dated(true)
    ///     .namer(|p| {
    ///         // app.log.2023-11-14 -> app.2023-11-14.log
    ///         let name = p.file_name().unwrap().to_str().unwrap();
    ///         let date = name.trim_start_matches("app.log.");
    ///         p.with_file_name(format!("app.{date}.log"))
    ///     })
    ///     .clock(clock.clone())
    ///     .open()
    ///     .unwrap();
    /// let rec = Record::new("x", Level::INFO, Message::Str(""));
    /// h.emit(&rec, "tuesday").unwrap();
    /// clock.advance(Duration::from_secs(2 * 3600));
    /// h.emit(&rec, "wednesday").unwrap();
    /// let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    /// assert_eq!(read("app.2023-11-14.log"), "tuesday\n");
    /// assert_eq!(read("app.2023-11-15.log"), "wednesday\n");
    /// assert_eq!(h.current_path(), dir.join("app.2023-11-15.log"));
    /// ```
    pub fn dated(mut self, dated: bool) -> Self {
        self.dated = dated;
        self
    }

    /// Opens the handler: creates directories and (unless delayed) the
    /// file, applies retention, and computes the first rollover time
    /// from the log's last modification (as Python does: a rollover
    /// missed while the program was not running happens with the first
    /// record).
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-open");
    /// let bad = lumber::TimedRotatingFileHandler::options(dir.join("app.log")).interval(0).open();
    /// assert!(bad.is_err());
    /// ```
    pub fn open(self) -> io::Result<TimedRotatingFileHandler> {
        let zone = if self.utc {
            TimeZone::UTC
        } else {
            self.zone.unwrap_or_else(TimeZone::system)
        };
        let schedule = Schedule::new(self.when, self.interval, zone, self.at_time)?;
        let policy = Policy::Timed {
            schedule,
            max_bytes: self.max_bytes,
            backup_count: self.backup_count,
            dated: self.dated,
        };
        Ok(TimedRotatingFileHandler {
            engine: Engine::open(self.common, policy)?,
        })
    }
}

common_options!(
    TimedOptions,
    TimedRotatingFileHandler,
    ".when(lumber::When::Midnight)"
);

/// Python's `TimedRotatingFileHandler`: a file that rolls over at
/// intervals, named after the start of the interval it holds
/// (`app.log.2024-01-15`, `app.log.2024-01-15_10`, ...), with Python's
/// rules for when (`when`, `interval`, `utc`, `at_time`) and for which old
/// files are deleted (`backup_count`).
///
/// Where Python 3.11 gets it wrong, lumber does not: rollover times
/// across daylight-saving changes are computed on the wall clock, and a
/// rollover never overwrites an existing file (it adds `.1`, `.2`, ...).
/// Beyond Python: rollover by size too, the date in the name of the
/// current file, background compression, retention by age, several
/// processes sharing one log, and a clock that tests can set.
///
/// ```
/// use std::time::Duration;
/// use lumber::{Level, ManualClock, Message, Record, Sink, TimedRotatingFileHandler, When};
/// # let dir = std::env::temp_dir().join("lumber-doc-timed");
/// # let _ = std::fs::remove_dir_all(&dir);
/// let clock = ManualClock::at_unix(1_700_000_000); // 2023-11-14 22:13:20 UTC
/// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
///     .when(When::Midnight)
///     .utc(true)
///     .backup_count(7)
///     .clock(clock.clone())
///     .open()
///     .unwrap();
/// let rec = Record::new("x", Level::INFO, Message::Str(""));
/// h.emit(&rec, "late on the 14th").unwrap();
/// clock.advance(Duration::from_secs(2 * 3600));
/// h.emit(&rec, "early on the 15th").unwrap();
/// assert_eq!(std::fs::read_to_string(dir.join("app.log.2023-11-14")).unwrap(), "late on the 14th\n");
/// assert_eq!(std::fs::read_to_string(dir.join("app.log")).unwrap(), "early on the 15th\n");
/// ```
pub struct TimedRotatingFileHandler {
    engine: Engine,
}

impl TimedRotatingFileHandler {
    /// Python's `TimedRotatingFileHandler(path, when=when)`, in local time,
    /// keeping every backup.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-new");
    /// let h = lumber::TimedRotatingFileHandler::new(dir.join("app.log"), lumber::When::Hour).unwrap();
    /// assert_eq!(h.path(), dir.join("app.log"));
    /// ```
    pub fn new(path: impl AsRef<Path>, when: When) -> io::Result<TimedRotatingFileHandler> {
        TimedRotatingFileHandler::options(path).when(when).open()
    }

    /// Options to open `path` with (Python's defaults: hourly, local time,
    /// every backup kept).
    ///
    /// ```
    /// let o: lumber::TimedOptions = lumber::TimedRotatingFileHandler::options("logs/app.log");
    /// # let _ = o;
    /// ```
    pub fn options(path: impl AsRef<Path>) -> TimedOptions {
        TimedOptions {
            common: Common::new(path.as_ref().to_path_buf()),
            when: When::Hour,
            interval: 1,
            utc: false,
            zone: None,
            at_time: None,
            backup_count: 0,
            max_bytes: 0,
            dated: false,
        }
    }

    /// The log's path as given.
    ///
    /// ```
    /// let h = lumber::TimedRotatingFileHandler::options("logs/t.log").delay(true).open().unwrap();
    /// assert_eq!(h.path(), std::path::Path::new("logs/t.log"));
    /// ```
    pub fn path(&self) -> &Path {
        self.engine.path()
    }

    /// The file records go to now: [`Self::path`], or in dated mode the
    /// file of the current interval.
    ///
    /// ```
    /// let h = lumber::TimedRotatingFileHandler::options("logs/t.log").delay(true).open().unwrap();
    /// assert_eq!(h.current_path(), std::path::Path::new("logs/t.log"));
    /// ```
    pub fn current_path(&self) -> PathBuf {
        self.engine.active()
    }

    /// When the next rollover is due (Python's `rolloverAt`).
    ///
    /// ```
    /// # use lumber::{ManualClock, TimedRotatingFileHandler, When};
    /// let h = TimedRotatingFileHandler::options("logs/t.log")
    ///     .delay(true)
    ///     .when(When::Second)
    ///     .interval(30)
    ///     .clock(ManualClock::at_unix(1000))
    ///     .open()
    ///     .unwrap();
    /// # if !std::path::Path::new("logs/t.log").exists() {
    /// assert_eq!(h.next_rollover(), std::time::UNIX_EPOCH + std::time::Duration::from_secs(1030));
    /// # }
    /// ```
    pub fn next_rollover(&self) -> SystemTime {
        self.engine.next_rollover().unwrap_or(std::time::UNIX_EPOCH)
    }

    /// Rolls over now (Python's `doRollover`): the file is named for the
    /// current interval and the next rollover time is computed from now.
    ///
    /// ```
    /// # use lumber::{Level, ManualClock, Message, Record, Sink, TimedRotatingFileHandler, When};
    /// # let dir = std::env::temp_dir().join("lumber-doc-timed-rollover");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = TimedRotatingFileHandler::options(dir.join("app.log"))
    ///     .when(When::Day)
    ///     .utc(true)
    ///     .clock(ManualClock::at_unix(1_700_000_000))
    ///     .open()
    ///     .unwrap();
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "before").unwrap();
    /// h.rollover().unwrap();
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log.2023-11-14")).unwrap(), "before\n");
    /// ```
    pub fn rollover(&self) -> io::Result<()> {
        self.engine.force_rollover()
    }

    /// How many records could not be written; the first failure of a run
    /// of failures is reported through the handler's
    /// [`crate::ErrorPolicy`], the rest are only counted here.
    ///
    /// ```
    /// let h = lumber::TimedRotatingFileHandler::options("logs/t.log").delay(true).open().unwrap();
    /// assert_eq!(h.records_lost(), 0);
    /// ```
    pub fn records_lost(&self) -> u64 {
        self.engine.records_lost()
    }
}

impl Sink for TimedRotatingFileHandler {
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        self.engine.emit(record.level(), line)
    }

    fn flush(&self) -> io::Result<()> {
        self.engine.flush()
    }

    fn close(&self) -> io::Result<()> {
        self.engine.close()
    }

    fn target(&self) -> String {
        self.engine.path().display().to_string()
    }
}

impl fmt::Debug for TimedRotatingFileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimedRotatingFileHandler")
            .field("path", &self.engine.path())
            .finish_non_exhaustive()
    }
}
