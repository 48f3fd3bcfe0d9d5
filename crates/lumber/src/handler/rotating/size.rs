//! Python's `RotatingFileHandler`: roll over when the next record would
//! make the file reach `max_bytes`; keep `app.log.1` ... `app.log.N`.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::engine::{Common, Engine, Policy};
use super::options::common_options;
use crate::handler::Sink;
use crate::record::Record;

/// How to open a [`RotatingFileHandler`]; made by
/// [`RotatingFileHandler::options`].
///
/// ```
/// use std::time::Duration;
/// use lumber::{Compression, RotatingFileHandler};
/// # let dir = std::env::temp_dir().join("lumber-doc-rotating-options");
/// let h = RotatingFileHandler::options(dir.join("app.log"))
///     .max_bytes(10 << 20)                       // 10 MiB per file
///     .backup_count(5)                           // app.log.1 ... app.log.5
///     .compress(Compression::None)               // or Gzip / Zstd, in the background
///     .max_age(Duration::from_secs(30 * 86_400)) // and nothing older than 30 days
///     .permissions(0o640)
///     .open()
///     .unwrap();
/// # let _ = h;
/// ```
#[derive(Clone)]
pub struct RotatingOptions {
    common: Common,
    max_bytes: u64,
    backup_count: u32,
}

impl RotatingOptions {
    /// Roll over when the next record would make the file reach this size
    /// (Python's `maxBytes`; 0, the default, never rolls over). A record
    /// is never split, so a single record larger than this makes a file
    /// of its own; an empty file is never rolled over.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, RotatingFileHandler, Sink};
    /// # let dir = std::env::temp_dir().join("lumber-doc-rotating-max_bytes");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = RotatingFileHandler::options(dir.join("app.log")).max_bytes(10).backup_count(2).open().unwrap();
    /// let rec = Record::new("x", Level::INFO, Message::Str(""));
    /// h.emit(&rec, "1234").unwrap(); // 5 bytes
    /// h.emit(&rec, "5678").unwrap(); // 5 + 5 >= 10: rolls over first
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log.1")).unwrap(), "1234\n");
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log")).unwrap(), "5678\n");
    /// ```
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// How many backups to keep (Python's `backupCount`; 0, the default,
    /// never rolls over, as in Python).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, RotatingFileHandler, Sink};
    /// # let dir = std::env::temp_dir().join("lumber-doc-rotating-backup_count");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = RotatingFileHandler::options(dir.join("app.log")).max_bytes(3).backup_count(2).open().unwrap();
    /// let rec = Record::new("x", Level::INFO, Message::Str(""));
    /// for line in ["a", "b", "c", "d"] {
    ///     h.emit(&rec, line).unwrap();
    /// }
    /// let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    /// assert_eq!((read("app.log"), read("app.log.1"), read("app.log.2")), ("d\n".into(), "c\n".into(), "b\n".into()));
    /// assert!(!dir.join("app.log.3").exists());
    /// ```
    pub fn backup_count(mut self, count: u32) -> Self {
        self.backup_count = count;
        self
    }

    /// Opens the handler: creates directories and (unless delayed) the
    /// file, deletes backups beyond the count or the age limit.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-rotating-open");
    /// let h = lumber::RotatingFileHandler::options(dir.join("a/b/app.log")).open().unwrap();
    /// assert!(dir.join("a/b/app.log").exists());
    /// # drop(h);
    /// ```
    pub fn open(self) -> io::Result<RotatingFileHandler> {
        let policy = Policy::Size {
            max_bytes: self.max_bytes,
            backup_count: self.backup_count,
        };
        Ok(RotatingFileHandler {
            engine: Engine::open(self.common, policy)?,
        })
    }
}

common_options!(
    RotatingOptions,
    RotatingFileHandler,
    ".max_bytes(1000).backup_count(3)"
);

/// Python's `RotatingFileHandler`: a file that rolls over by size, with
/// Python's names (`app.log`, `app.log.1`, ... `app.log.N`, the highest
/// the oldest) and Python's rule (roll over when the next record would
/// make the file reach `max_bytes`).
///
/// Beyond Python: background compression, retention by age, files
/// created `0o640`, several processes safely sharing one log, and
/// failures (a full disk) reported once and recovered from.
///
/// ```
/// # let dir = std::env::temp_dir().join("lumber-doc-rotating");
/// # let _ = std::fs::remove_dir_all(&dir);
/// use lumber::{get_logger, Handler, Formatter, RotatingFileHandler};
/// let file = RotatingFileHandler::options(dir.join("app.log"))
///     .max_bytes(1 << 20)
///     .backup_count(3)
///     .open()
///     .unwrap();
/// let log = get_logger("doc.rotating");
/// log.set_propagate(false);
/// log.add_handler(Handler::new(file).with_formatter(Formatter::new("%(levelname)s %(message)s").unwrap()));
/// log.warning("kept in app.log");
/// assert_eq!(std::fs::read_to_string(dir.join("app.log")).unwrap(), "WARNING kept in app.log\n");
/// ```
pub struct RotatingFileHandler {
    engine: Engine,
}

impl RotatingFileHandler {
    /// Python's `RotatingFileHandler(path, maxBytes=max_bytes,
    /// backupCount=backup_count)`, opened now.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-rotating-new");
    /// let h = lumber::RotatingFileHandler::new(dir.join("app.log"), 1 << 20, 5).unwrap();
    /// assert_eq!(h.path(), dir.join("app.log"));
    /// ```
    pub fn new(
        path: impl AsRef<Path>,
        max_bytes: u64,
        backup_count: u32,
    ) -> io::Result<RotatingFileHandler> {
        RotatingFileHandler::options(path)
            .max_bytes(max_bytes)
            .backup_count(backup_count)
            .open()
    }

    /// Options to open `path` with (no rollover until `max_bytes` and
    /// `backup_count` are set, as in Python).
    ///
    /// ```
    /// let o: lumber::RotatingOptions = lumber::RotatingFileHandler::options("logs/app.log").max_bytes(1000).backup_count(2);
    /// # let _ = o;
    /// ```
    pub fn options(path: impl AsRef<Path>) -> RotatingOptions {
        RotatingOptions {
            common: Common::new(path.as_ref().to_path_buf()),
            max_bytes: 0,
            backup_count: 0,
        }
    }

    /// The log's path.
    ///
    /// ```
    /// let h = lumber::RotatingFileHandler::options("logs/x.log").delay(true).open().unwrap();
    /// assert_eq!(h.path(), std::path::Path::new("logs/x.log"));
    /// ```
    pub fn path(&self) -> &Path {
        self.engine.path()
    }

    /// The path of backup `n` (`app.log.<n>`, through the namer).
    ///
    /// ```
    /// let h = lumber::RotatingFileHandler::options("logs/x.log").delay(true).open().unwrap();
    /// assert_eq!(h.backup_path(2), std::path::Path::new("logs/x.log.2"));
    /// ```
    pub fn backup_path(&self, n: u32) -> PathBuf {
        match &self.engine.common().namer {
            Some(namer) => namer(&super::backups::with_ext(self.path(), &format!(".{n}"))),
            None => super::backups::with_ext(self.path(), &format!(".{n}")),
        }
    }

    /// Rolls over now, whatever the size (Python's `doRollover`); does
    /// nothing with a `backup_count` of 0.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, RotatingFileHandler, Sink};
    /// # let dir = std::env::temp_dir().join("lumber-doc-rotating-rollover");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = RotatingFileHandler::new(dir.join("app.log"), 1 << 20, 1).unwrap();
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "before").unwrap();
    /// h.rollover().unwrap();
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log.1")).unwrap(), "before\n");
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log")).unwrap(), "");
    /// ```
    pub fn rollover(&self) -> io::Result<()> {
        self.engine.force_rollover()
    }

    /// How many records could not be written (a full disk...). The first
    /// failure of a run of failures is reported through the handler's
    /// [`crate::ErrorPolicy`]; the rest are only counted here.
    ///
    /// ```
    /// let h = lumber::RotatingFileHandler::options("logs/lost.log").delay(true).open().unwrap();
    /// assert_eq!(h.records_lost(), 0);
    /// ```
    pub fn records_lost(&self) -> u64 {
        self.engine.records_lost()
    }
}

impl Sink for RotatingFileHandler {
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

impl fmt::Debug for RotatingFileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RotatingFileHandler")
            .field("path", &self.engine.path())
            .finish_non_exhaustive()
    }
}
