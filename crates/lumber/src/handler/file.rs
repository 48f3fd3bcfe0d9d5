//! Python's `FileHandler`: append (or truncate) to a file, opened now or on
//! the first record.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::{Destination, Sink};
use crate::level::Level;
use crate::record::Record;

/// How to open a [`FileHandler`]; made by [`FileHandler::options`].
///
/// ```
/// use lumber::{FileHandler, Level};
/// # let dir = std::env::temp_dir().join(format!("lumber-doc-{}", std::process::id()));
/// let h = FileHandler::options(dir.join("logs/app.log"))
///     .truncate(true)           // Python's mode='w'
///     .delay(true)              // open on the first record
///     .buffer(64 * 1024)        // write in 64 KiB blocks...
///     .flush_level(Level::ERROR) // ...but at once for ERROR and above
///     .permissions(0o600)
///     .open()
///     .unwrap();
/// # let _ = h;
/// ```
#[derive(Debug, Clone)]
pub struct FileOptions {
    path: PathBuf,
    truncate: bool,
    delay: bool,
    buffer: usize,
    flush_level: Level,
    permissions: u32,
    terminator: String,
}

impl FileOptions {
    /// Truncate the file when opening (Python's `mode='w'`); append otherwise.
    ///
    /// ```
    /// # use lumber::{FileHandler, Level, Message, Record, Sink};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-truncate-{}.log", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// # let rec = |level| Record::new("x", level, Message::Str(""));
    /// std::fs::write(&path, "old\n").unwrap();
    /// let h = FileHandler::options(&path).truncate(true).open().unwrap();
    /// h.emit(&rec(Level::INFO), "new").unwrap();
    /// assert_eq!(read(), "new\n");
    /// ```
    pub fn truncate(mut self, truncate: bool) -> Self {
        self.truncate = truncate;
        self
    }

    /// Open on the first record instead of now (Python's `delay=True`).
    ///
    /// ```
    /// # use lumber::{FileHandler, Level, Message, Record, Sink};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-delay-{}.log", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// # let rec = |level| Record::new("x", level, Message::Str(""));
    /// let h = FileHandler::options(&path).delay(true).open().unwrap();
    /// assert!(!path.exists()); // not created yet
    /// h.emit(&rec(Level::INFO), "first").unwrap();
    /// assert_eq!(read(), "first\n");
    /// ```
    pub fn delay(mut self, delay: bool) -> Self {
        self.delay = delay;
        self
    }

    /// Collect up to `bytes` before writing. 0 (the default) writes each
    /// record at once, as Python does; a buffer is much faster but records
    /// still in it are lost if the process is killed (they are written on
    /// [`crate::shutdown`], on flush, and when a record at or above the
    /// flush level arrives).
    ///
    /// ```
    /// # use lumber::{FileHandler, Level, Message, Record, Sink};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-buffer-{}.log", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// # let rec = |level| Record::new("x", level, Message::Str(""));
    /// let h = FileHandler::options(&path).buffer(4096).open().unwrap();
    /// h.emit(&rec(Level::INFO), "held").unwrap();
    /// assert_eq!(read(), "");
    /// h.flush().unwrap();
    /// assert_eq!(read(), "held\n");
    /// ```
    pub fn buffer(mut self, bytes: usize) -> Self {
        self.buffer = bytes;
        self
    }

    /// With a buffer: records at or above this level are written at once
    /// (default ERROR).
    ///
    /// ```
    /// # use lumber::{FileHandler, Level, Message, Record, Sink};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-flush_level-{}.log", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// # let rec = |level| Record::new("x", level, Message::Str(""));
    /// let h = FileHandler::options(&path).buffer(4096).flush_level(Level::WARNING).open().unwrap();
    /// h.emit(&rec(Level::INFO), "quiet").unwrap();
    /// assert_eq!(read(), "");
    /// h.emit(&rec(Level::WARNING), "loud").unwrap();
    /// assert_eq!(read(), "quiet\nloud\n");
    /// ```
    pub fn flush_level(mut self, level: Level) -> Self {
        self.flush_level = level;
        self
    }

    /// Unix mode of a newly created file (default `0o640`; the umask still
    /// applies).
    ///
    /// ```
    /// # use lumber::{FileHandler, Level, Message, Record, Sink};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-permissions-{}.log", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// # let rec = |level| Record::new("x", level, Message::Str(""));
    /// let _h = FileHandler::options(&path).permissions(0o600).open().unwrap();
    /// # #[cfg(unix)] {
    /// use std::os::unix::fs::PermissionsExt;
    /// assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    /// # }
    /// ```
    pub fn permissions(mut self, mode: u32) -> Self {
        self.permissions = mode;
        self
    }

    /// What follows each record (default `\n`).
    ///
    /// ```
    /// # use lumber::{FileHandler, Level, Message, Record, Sink};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-terminator-{}.log", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// # let rec = |level| Record::new("x", level, Message::Str(""));
    /// let h = FileHandler::options(&path).terminator("\r\n").open().unwrap();
    /// h.emit(&rec(Level::INFO), "line").unwrap();
    /// assert_eq!(read(), "line\r\n");
    /// ```
    pub fn terminator(mut self, terminator: &str) -> Self {
        self.terminator = terminator.to_owned();
        self
    }

    /// Opens (or, with `delay`, prepares) the handler. Missing directories
    /// are created.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-open-{}", std::process::id()));
    /// let path = dir.join("nested/dirs/app.log");
    /// let h = lumber::FileHandler::options(&path).open().unwrap();
    /// assert!(path.exists()); // directories and file created
    /// ```
    pub fn open(self) -> io::Result<FileHandler> {
        let file = if self.delay {
            None
        } else {
            Some(open_file(&self.path, self.truncate, self.permissions)?)
        };
        // A "file" that is a terminal (`/dev/tty`) may be colored; a real
        // file never is (a delayed one is not known yet: not colored).
        let destination = match &file {
            Some(f) if std::io::IsTerminal::is_terminal(f) => Destination::Terminal,
            _ => Destination::Other,
        };
        Ok(FileHandler {
            destination,
            state: Mutex::new(State {
                file,
                pending: Vec::with_capacity(self.buffer.clamp(256, 1 << 20)),
                reopen_truncates: self.truncate && self.delay,
            }),
            options: self,
        })
    }
}

struct State {
    file: Option<File>,
    pending: Vec<u8>,
    /// A delayed `truncate` file truncates on its first open only.
    reopen_truncates: bool,
}

/// Writes records to a file, like Python's `FileHandler`.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("lumber-doc-fh-{}", std::process::id()));
/// let log = lumber::get_logger("doc.file");
/// log.add_handler(lumber::FileHandler::new(dir.join("app.log")).unwrap());
/// log.warning("written to the file");
/// # lumber::shutdown();
/// # assert!(std::fs::read_to_string(dir.join("app.log")).unwrap().contains("written to the file"));
/// ```
pub struct FileHandler {
    options: FileOptions,
    destination: Destination,
    state: Mutex<State>,
}

impl FileHandler {
    /// Appends to `path`, opening it now; directories are created.
    ///
    /// ```
    /// # use lumber::{FileHandler, Level, Message, Record, Sink};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-new-{}.log", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// # let rec = |level| Record::new("x", level, Message::Str(""));
    /// std::fs::write(&path, "old\n").unwrap();
    /// let h = FileHandler::new(&path).unwrap(); // appends
    /// h.emit(&rec(Level::INFO), "new").unwrap();
    /// assert_eq!(read(), "old\nnew\n");
    /// ```
    pub fn new(path: impl AsRef<Path>) -> io::Result<FileHandler> {
        FileHandler::options(path).open()
    }

    /// Options to open `path` with.
    ///
    /// ```
    /// let options: lumber::FileOptions = lumber::FileHandler::options("logs/app.log").delay(true);
    /// let h = options.open().unwrap(); // delayed: nothing is created yet
    /// assert_eq!(h.path(), std::path::Path::new("logs/app.log"));
    /// ```
    pub fn options(path: impl AsRef<Path>) -> FileOptions {
        FileOptions {
            path: path.as_ref().to_path_buf(),
            truncate: false,
            delay: false,
            buffer: 0,
            flush_level: Level::ERROR,
            permissions: 0o640,
            terminator: "\n".to_owned(),
        }
    }

    /// The file's path.
    ///
    /// ```
    /// let h = lumber::FileHandler::options("logs/app.log").delay(true).open().unwrap();
    /// assert_eq!(h.path(), std::path::Path::new("logs/app.log"));
    /// ```
    pub fn path(&self) -> &Path {
        &self.options.path
    }
}

fn open_file(path: &Path, truncate: bool, mode: u32) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true);
    if truncate {
        options.write(true).truncate(true);
    } else {
        options.append(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    options.open(path)
}

impl State {
    fn write_pending(&mut self, options: &FileOptions) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let result = self.file_mut(options).and_then(|f| f.write_all(&pending));
        self.pending = pending;
        // Written or not, the bytes are dropped so memory stays bounded; a
        // failure is reported by the handler.
        self.pending.clear();
        if self.pending.capacity() > (1 << 20) {
            self.pending.shrink_to(options.buffer.clamp(256, 1 << 20));
        }
        result
    }

    fn file_mut(&mut self, options: &FileOptions) -> io::Result<&mut File> {
        if self.file.is_none() {
            let truncate = std::mem::take(&mut self.reopen_truncates);
            self.file = Some(open_file(&options.path, truncate, options.permissions)?);
        }
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("file not open"))
    }
}

impl Sink for FileHandler {
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.pending.extend_from_slice(line.as_bytes());
        state
            .pending
            .extend_from_slice(self.options.terminator.as_bytes());
        if state.pending.len() >= self.options.buffer || record.level() >= self.options.flush_level
        {
            state.write_pending(&self.options)?;
        }
        Ok(())
    }

    fn flush(&self) -> io::Result<()> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write_pending(&self.options)
    }

    fn close(&self) -> io::Result<()> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let result = state.write_pending(&self.options);
        state.file = None;
        result
    }

    fn target(&self) -> String {
        self.options.path.display().to_string()
    }

    fn destination(&self) -> Destination {
        self.destination
    }
}

impl fmt::Debug for FileHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileHandler")
            .field("path", &self.options.path)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Message;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lumber-file-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn rec(level: Level) -> Record<'static> {
        Record::new("t", level, Message::Str(""))
    }

    #[test]
    fn creates_directories_and_appends() {
        let dir = scratch("append");
        let path = dir.join("a/b/app.log");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "old\n").unwrap();
        let h = FileHandler::new(&path).unwrap();
        h.emit(&rec(Level::INFO), "new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\nnew\n");
        let h2 = FileHandler::new(dir.join("x/y/z.log")).unwrap();
        h2.emit(&rec(Level::INFO), "deep").unwrap();
        assert_eq!(fs::read_to_string(dir.join("x/y/z.log")).unwrap(), "deep\n");
    }

    #[test]
    fn truncate_and_delay() {
        let dir = scratch("trunc");
        let path = dir.join("t.log");
        fs::create_dir_all(&dir).unwrap();
        fs::write(&path, "old\n").unwrap();
        let h = FileHandler::options(&path)
            .truncate(true)
            .delay(true)
            .open()
            .unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "old\n",
            "delay: not opened yet"
        );
        h.emit(&rec(Level::INFO), "one").unwrap();
        h.close().unwrap();
        h.emit(&rec(Level::INFO), "two").unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "one\ntwo\n",
            "reopen after close appends"
        );
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_configured_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        let h = FileHandler::options(dir.join("m.log"))
            .permissions(0o600)
            .open()
            .unwrap();
        drop(h);
        let mode = fs::metadata(dir.join("m.log"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn buffered_writes_wait_for_size_level_or_flush() {
        let dir = scratch("buf");
        let path = dir.join("b.log");
        let h = FileHandler::options(&path).buffer(1024).open().unwrap();
        h.emit(&rec(Level::INFO), "quiet").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "");
        h.emit(&rec(Level::ERROR), "loud").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "quiet\nloud\n");
        h.emit(&rec(Level::INFO), "later").unwrap();
        h.flush().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "quiet\nloud\nlater\n");
    }
}
