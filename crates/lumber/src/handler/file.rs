//! Python's `FileHandler`: append (or truncate) to a file, opened now or on
//! the first record.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

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
                pending: String::with_capacity(self.buffer.clamp(256, 1 << 20)),
                reopen_truncates: self.truncate && self.delay,
            }),
            options: self,
            formatting: AtomicUsize::new(0),
            has_nested: AtomicBool::new(false),
            nested: Mutex::new(Nested::default()),
        })
    }
}

struct State {
    file: Option<File>,
    pending: String,
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
    /// The thread formatting a record straight into `pending`, under the
    /// lock ([`thread_marker`]; 0: none). A record that this thread logs
    /// to this handler meanwhile (from a `Display` impl) cannot take the
    /// lock: it waits in `nested` and is written before the record being
    /// formatted, as it would be if that record were formatted first.
    formatting: AtomicUsize,
    /// Whether `nested` holds anything.
    has_nested: AtomicBool,
    nested: Mutex<Nested>,
}

/// Records logged to a handler from inside its own formatting.
#[derive(Default)]
struct Nested {
    text: String,
    /// One of them is at or above the flush level.
    flush: bool,
}

/// An address unique to the calling thread while it lives (never 0).
fn thread_marker() -> usize {
    thread_local! {
        static MARKER: u8 = const { 0 };
    }
    MARKER
        .try_with(|m| std::ptr::from_ref(m) as usize)
        .unwrap_or(usize::MAX)
}

/// Ends the formatting of a record into `pending`: clears the owner, and
/// if the formatter panicked, drops the partial line and keeps the nested
/// records.
struct Formatting<'a, 'g> {
    handler: &'a FileHandler,
    state: &'a mut MutexGuard<'g, State>,
    start: usize,
    done: bool,
}

impl Drop for Formatting<'_, '_> {
    fn drop(&mut self) {
        self.handler.formatting.store(0, Ordering::Relaxed);
        if !self.done {
            self.state.pending.truncate(self.start);
            if self.handler.has_nested.load(Ordering::Relaxed) {
                self.handler.splice_nested(self.state, self.start);
            }
        }
    }
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
        let result = self
            .file_mut(options)
            .and_then(|f| f.write_all(pending.as_bytes()));
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

impl FileHandler {
    /// Whether the calling thread is formatting a record into `pending`
    /// (and so holds the lock).
    fn formatting_here(&self) -> bool {
        self.formatting.load(Ordering::Relaxed) == thread_marker()
    }

    /// Keeps a record logged from inside this handler's own formatting.
    fn stash(&self, record: &Record<'_>, line: &str) {
        let mut nested = self.nested.lock().unwrap_or_else(PoisonError::into_inner);
        nested.text.push_str(line);
        nested.text.push_str(&self.options.terminator);
        nested.flush |= record.level() >= self.options.flush_level;
        self.has_nested.store(true, Ordering::Relaxed);
    }

    /// Moves the nested records into `pending`, before the text from
    /// `at` on (the record that was being formatted when they came).
    /// Returns whether one of them asks for a flush.
    fn splice_nested(&self, state: &mut State, at: usize) -> bool {
        let mut nested = self.nested.lock().unwrap_or_else(PoisonError::into_inner);
        self.has_nested.store(false, Ordering::Relaxed);
        let outer = state.pending.split_off(at);
        state.pending.push_str(&nested.text);
        state.pending.push_str(&outer);
        nested.text.clear();
        std::mem::take(&mut nested.flush)
    }

    /// Writes `pending` out if it is full or `level` asks for it.
    fn maybe_write(&self, state: &mut State, level: Level, flush: bool) -> io::Result<()> {
        if state.pending.len() >= self.options.buffer || level >= self.options.flush_level || flush
        {
            state.write_pending(&self.options)?;
        }
        Ok(())
    }
}

impl Sink for FileHandler {
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        if self.formatting_here() {
            self.stash(record, line);
            return Ok(());
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.pending.push_str(line);
        state.pending.push_str(&self.options.terminator);
        self.maybe_write(&mut state, record.level(), false)
    }

    fn emit_formatted(
        &self,
        record: &Record<'_>,
        format: &mut dyn FnMut(&mut String),
    ) -> Option<io::Result<()>> {
        let me = thread_marker();
        if self.formatting.load(Ordering::Relaxed) == me {
            // Logged from inside this handler's own formatting: the lock
            // is ours already.
            let mut line = String::new();
            format(&mut line);
            self.stash(record, &line);
            return Some(Ok(()));
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let start = state.pending.len();
        self.formatting.store(me, Ordering::Relaxed);
        {
            let mut f = Formatting {
                handler: self,
                state: &mut state,
                start,
                done: false,
            };
            format(&mut f.state.pending);
            f.done = true;
        }
        match self.options.terminator.as_bytes() {
            // `\n`: one ASCII byte, pushed as a byte (no `memcpy`, no
            // character encoding).
            &[b] if b.is_ascii() => {
                // SAFETY: an ASCII byte keeps `pending` UTF-8.
                #[allow(unsafe_code)]
                unsafe {
                    state.pending.as_mut_vec().push(b);
                }
            }
            _ => state.pending.push_str(&self.options.terminator),
        }
        let flush =
            self.has_nested.load(Ordering::Relaxed) && self.splice_nested(&mut state, start);
        Some(self.maybe_write(&mut state, record.level(), flush))
    }

    fn flush(&self) -> io::Result<()> {
        if self.formatting_here() {
            // Called from inside this handler's own formatting: the
            // record being formatted decides when to write.
            return Ok(());
        }
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write_pending(&self.options)
    }

    fn close(&self) -> io::Result<()> {
        if self.formatting_here() {
            return Ok(());
        }
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
    fn a_record_logged_while_formatting_comes_first_and_does_not_deadlock() {
        use std::sync::{Arc, OnceLock};

        use crate::format::Formatter;
        use crate::handler::Handler;

        static HANDLER: OnceLock<Arc<Handler>> = OnceLock::new();
        struct Noisy;
        impl fmt::Display for Noisy {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if let Some(h) = HANDLER.get() {
                    h.handle(&Record::new("t", Level::ERROR, Message::Str("inner")));
                    h.flush();
                }
                f.write_str("outer")
            }
        }
        let dir = scratch("nested");
        let path = dir.join("n.log");
        for buffer in [0, 4096] {
            let _ = fs::remove_file(&path);
            let h = FileHandler::options(&path).buffer(buffer).open().unwrap();
            let h = HANDLER.get_or_init(|| {
                Arc::new(
                    Handler::new(h)
                        .with_formatter(Formatter::new("%(levelname)s %(message)s").unwrap()),
                )
            });
            h.handle(&Record::new(
                "t",
                Level::INFO,
                Message::Args(format_args!("{}", Noisy)),
            ));
            h.flush();
            // The first handler stays installed: the second round checks
            // only that nothing deadlocks.
            if buffer == 0 {
                assert_eq!(
                    fs::read_to_string(&path).unwrap(),
                    "ERROR inner\nINFO outer\n"
                );
            }
        }
    }

    #[test]
    fn a_panicking_formatter_leaves_no_partial_line() {
        use crate::handler::Handler;

        struct Bad;
        impl fmt::Display for Bad {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("partial")?;
                panic!("formatter exploded")
            }
        }
        let dir = scratch("panic");
        let path = dir.join("p.log");
        let h = Handler::new(FileHandler::options(&path).buffer(4096).open().unwrap())
            .with_error_policy(crate::handler::ErrorPolicy::Ignore);
        h.handle(&Record::new("t", Level::INFO, Message::Str("before")));
        h.handle(&Record::new(
            "t",
            Level::INFO,
            Message::Args(format_args!("{}", Bad)),
        ));
        h.handle(&Record::new("t", Level::INFO, Message::Str("after")));
        h.flush();
        assert_eq!(fs::read_to_string(&path).unwrap(), "before\nafter\n");
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
