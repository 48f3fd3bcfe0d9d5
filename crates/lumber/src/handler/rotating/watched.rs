//! Python's `WatchedFileHandler`: a file that reopens itself when
//! something else (logrotate, newsyslog) moved or deleted it.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::clock::{Clock, SystemClock};
use super::logfile::{FileId, LogFile, open_append};
use crate::handler::Sink;
use crate::record::Record;

/// How to open a [`WatchedFileHandler`]; made by
/// [`WatchedFileHandler::options`].
///
/// ```
/// use std::time::Duration;
/// # let dir = std::env::temp_dir().join("lumber-doc-watched-options");
/// let h = lumber::WatchedFileHandler::options(dir.join("app.log"))
///     .permissions(0o640)
///     .check_interval(Duration::from_secs(1)) // stat at most once a second
///     .open()
///     .unwrap();
/// # let _ = h;
/// ```
#[derive(Clone)]
pub struct WatchedOptions {
    path: PathBuf,
    permissions: u32,
    delay: bool,
    terminator: String,
    check_interval: Option<Duration>,
    clock: Arc<dyn Clock>,
}

impl WatchedOptions {
    /// Unix mode of a newly created file (default `0o640`; the umask still
    /// applies). Missing directories are created.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-watched-perm");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let _h = lumber::WatchedFileHandler::options(dir.join("x/app.log")).permissions(0o600).open().unwrap();
    /// # #[cfg(unix)] {
    /// use std::os::unix::fs::PermissionsExt;
    /// assert_eq!(std::fs::metadata(dir.join("x/app.log")).unwrap().permissions().mode() & 0o777, 0o600);
    /// # }
    /// ```
    pub fn permissions(mut self, mode: u32) -> Self {
        self.permissions = mode;
        self
    }

    /// Open the file on the first record instead of now.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-watched-delay");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let _h = lumber::WatchedFileHandler::options(dir.join("app.log")).delay(true).open().unwrap();
    /// assert!(!dir.join("app.log").exists());
    /// ```
    pub fn delay(mut self, delay: bool) -> Self {
        self.delay = delay;
        self
    }

    /// What follows each record (default `\n`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink};
    /// # let dir = std::env::temp_dir().join("lumber-doc-watched-term");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let h = lumber::WatchedFileHandler::options(dir.join("app.log")).terminator("\r\n").open().unwrap();
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "line").unwrap();
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log")).unwrap(), "line\r\n");
    /// ```
    pub fn terminator(mut self, terminator: &str) -> Self {
        self.terminator = terminator.to_owned();
        self
    }

    /// Look at the path at most once per `interval` (by the handler's
    /// clock) instead of before every record, as Python does. The check
    /// is one `stat`; records written between a move and the next check
    /// go to the moved file.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use lumber::{Level, ManualClock, Message, Record, Sink};
    /// # let dir = std::env::temp_dir().join("lumber-doc-watched-interval");
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let clock = ManualClock::at_unix(0);
    /// let h = lumber::WatchedFileHandler::options(dir.join("app.log"))
    ///     .check_interval(Duration::from_secs(5))
    ///     .clock(clock.clone())
    ///     .open()
    ///     .unwrap();
    /// let rec = Record::new("x", Level::INFO, Message::Str(""));
    /// std::fs::rename(dir.join("app.log"), dir.join("app.log.1")).unwrap();
    /// h.emit(&rec, "not checked yet").unwrap();
    /// clock.advance(Duration::from_secs(5));
    /// h.emit(&rec, "reopened").unwrap();
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log.1")).unwrap(), "not checked yet\n");
    /// assert_eq!(std::fs::read_to_string(dir.join("app.log")).unwrap(), "reopened\n");
    /// ```
    pub fn check_interval(mut self, interval: Duration) -> Self {
        self.check_interval = Some(interval);
        self
    }

    /// The clock the check interval is measured with (default
    /// [`crate::SystemClock`]).
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-watched-clock");
    /// let _h = lumber::WatchedFileHandler::options(dir.join("app.log"))
    ///     .clock(lumber::ManualClock::at_unix(0))
    ///     .open()
    ///     .unwrap();
    /// ```
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Opens the handler (the file too, unless delayed).
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-watched-open");
    /// let _h = lumber::WatchedFileHandler::options(dir.join("app.log")).open().unwrap();
    /// assert!(dir.join("app.log").exists());
    /// ```
    pub fn open(self) -> io::Result<WatchedFileHandler> {
        let file = if self.delay {
            None
        } else {
            Some(open_append(&self.path, self.permissions)?)
        };
        let last_check = file.as_ref().map(|_| self.clock.now());
        Ok(WatchedFileHandler {
            state: Mutex::new(State {
                file,
                last_check,
                failing: false,
                lost: 0,
            }),
            options: self,
        })
    }
}

impl fmt::Debug for WatchedOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchedOptions")
            .field("path", &self.path)
            .field("permissions", &format_args!("{:#o}", self.permissions))
            .field("check_interval", &self.check_interval)
            .finish_non_exhaustive()
    }
}

struct State {
    file: Option<LogFile>,
    last_check: Option<SystemTime>,
    failing: bool,
    lost: u64,
}

/// Python's `WatchedFileHandler`: before writing, checks (one `stat`)
/// whether the path still names the file it has open; if the file was
/// moved or deleted (logrotate), it opens the path again.
///
/// ```
/// use lumber::{Level, Message, Record, Sink, WatchedFileHandler};
/// # let dir = std::env::temp_dir().join("lumber-doc-watched");
/// # let _ = std::fs::remove_dir_all(&dir);
/// let h = WatchedFileHandler::new(dir.join("app.log")).unwrap();
/// let rec = Record::new("x", Level::INFO, Message::Str(""));
/// h.emit(&rec, "before").unwrap();
/// std::fs::rename(dir.join("app.log"), dir.join("app.log.1")).unwrap(); // logrotate
/// h.emit(&rec, "after").unwrap();
/// assert_eq!(std::fs::read_to_string(dir.join("app.log.1")).unwrap(), "before\n");
/// assert_eq!(std::fs::read_to_string(dir.join("app.log")).unwrap(), "after\n");
/// ```
pub struct WatchedFileHandler {
    options: WatchedOptions,
    state: Mutex<State>,
}

impl WatchedFileHandler {
    /// Appends to `path`, opening it now; directories are created.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join("lumber-doc-watched-new");
    /// let h = lumber::WatchedFileHandler::new(dir.join("app.log")).unwrap();
    /// assert_eq!(h.path(), dir.join("app.log"));
    /// ```
    pub fn new(path: impl AsRef<Path>) -> io::Result<WatchedFileHandler> {
        WatchedFileHandler::options(path).open()
    }

    /// Options to open `path` with.
    ///
    /// ```
    /// let o: lumber::WatchedOptions = lumber::WatchedFileHandler::options("logs/app.log").delay(true);
    /// # let _ = o;
    /// ```
    pub fn options(path: impl AsRef<Path>) -> WatchedOptions {
        WatchedOptions {
            path: path.as_ref().to_path_buf(),
            permissions: 0o640,
            delay: false,
            terminator: "\n".to_owned(),
            check_interval: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// The file's path.
    ///
    /// ```
    /// let h = lumber::WatchedFileHandler::options("logs/w.log").delay(true).open().unwrap();
    /// assert_eq!(h.path(), std::path::Path::new("logs/w.log"));
    /// ```
    pub fn path(&self) -> &Path {
        &self.options.path
    }

    /// How many records could not be written (the first failure of a run
    /// is reported, the rest only counted).
    ///
    /// ```
    /// let h = lumber::WatchedFileHandler::options("logs/w.log").delay(true).open().unwrap();
    /// assert_eq!(h.records_lost(), 0);
    /// ```
    pub fn records_lost(&self) -> u64 {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .lost
    }

    fn check(&self, st: &mut State) {
        let Some(file) = &st.file else { return };
        if let Some(interval) = self.options.check_interval {
            let now = self.options.clock.now();
            let due = st.last_check.is_none_or(|last| {
                now.duration_since(last)
                    .map_or(true, |elapsed| elapsed >= interval)
            });
            if !due {
                return;
            }
            st.last_check = Some(now);
        }
        match FileId::of_path(&self.options.path) {
            Some((id, _)) if id == file.id() => {}
            _ => st.file = None,
        }
    }

    fn write(&self, st: &mut State, line: &str) -> io::Result<()> {
        self.check(st);
        if st.file.is_none() {
            st.file = Some(open_append(&self.options.path, self.options.permissions)?);
            st.last_check = Some(self.options.clock.now());
        }
        let Some(file) = st.file.as_mut() else {
            return Err(io::Error::other("file not open"));
        };
        let mut bytes = Vec::with_capacity(line.len() + self.options.terminator.len());
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(self.options.terminator.as_bytes());
        file.append(&bytes)
    }
}

impl Sink for WatchedFileHandler {
    fn emit(&self, _record: &Record<'_>, line: &str) -> io::Result<()> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match self.write(&mut st, line) {
            Ok(()) => {
                st.failing = false;
                Ok(())
            }
            Err(e) => {
                st.file = None;
                st.lost = st.lost.saturating_add(1);
                if std::mem::replace(&mut st.failing, true) {
                    Ok(())
                } else {
                    Err(io::Error::new(
                        e.kind(),
                        format!("writing {}: {e}", self.options.path.display()),
                    ))
                }
            }
        }
    }

    fn close(&self) -> io::Result<()> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .file = None;
        Ok(())
    }

    fn target(&self) -> String {
        self.options.path.display().to_string()
    }
}

impl fmt::Debug for WatchedFileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchedFileHandler")
            .field("path", &self.options.path)
            .finish_non_exhaustive()
    }
}
