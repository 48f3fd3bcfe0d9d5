//! Handlers: where records go. A [`Handler`] is Python's `Handler` base
//! class — level, filters, formatter, error policy — wrapped around a
//! [`Sink`], the one method that writes a formatted record somewhere.

mod error;
mod file;
mod null;
mod stream;
/// The syslog severity (RFC 5424 numbering, 0 = emerg .. 7 = debug) of a
/// level, the one mapping of the syslog and journald handlers: the
/// standard levels as Python's `SysLogHandler` maps them; a level between
/// two standard ones takes the lower one's (25 → notice, between INFO and
/// WARNING); above CRITICAL stays `crit` (never `alert`/`emerg`, which
/// daemons may broadcast to every terminal).
#[cfg_attr(not(any(feature = "syslog", feature = "journald")), allow(dead_code))]
pub(crate) fn syslog_severity(level: Level) -> u8 {
    match level.value() {
        0..=19 => 7,
        20 => 6,
        21..=29 => 5,
        30..=39 => 4,
        40..=49 => 3,
        _ => 2,
    }
}

// Handlers behind cargo features; their public items are re-exported at
// the crate root (lib.rs).
#[cfg(feature = "journald")]
pub(crate) mod journald;
#[cfg(feature = "rotating")]
pub(crate) mod rotating;
#[cfg(feature = "syslog")]
pub(crate) mod syslog;

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;

pub use error::{ErrorPolicy, HandlerError};
pub use file::{FileHandler, FileOptions};
pub use null::NullHandler;
pub use stream::StreamHandler;

use crate::filter::Filter;
use crate::format::{Format, Formatter};
use crate::level::Level;
use crate::record::Record;

/// Writes formatted records somewhere: the part of a handler that differs
/// from one handler to the next. Implementing it takes one method.
///
/// ```
/// use std::io;
/// use std::sync::Mutex;
/// use lumber::{Record, Sink};
///
/// struct Memory(Mutex<Vec<String>>);
/// impl Sink for Memory {
///     fn emit(&self, _record: &Record<'_>, line: &str) -> io::Result<()> {
///         self.0.lock().unwrap().push(line.to_owned());
///         Ok(())
///     }
/// }
/// let log = lumber::get_logger("doc.sink");
/// log.add_handler(Memory(Mutex::new(Vec::new())));
/// ```
pub trait Sink: Send + Sync + 'static {
    /// Writes one record; `line` is the formatter's output (no newline).
    /// Errors go to the handler's [`ErrorPolicy`], never to the caller.
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()>;

    /// Pushes out anything buffered.
    fn flush(&self) -> io::Result<()> {
        Ok(())
    }

    /// Flushes and releases resources. A closed sink may reopen on the next
    /// record (as Python's `FileHandler` does).
    fn close(&self) -> io::Result<()> {
        self.flush()
    }

    /// Whether `emit` uses the formatted line. A sink that keeps records
    /// rather than text (a memory buffer) returns false, and the handler
    /// skips formatting.
    fn wants_line(&self) -> bool {
        true
    }

    /// What this sink writes to, as far as formatters that adapt to their
    /// output care (a [`crate::ConsoleFormatter`] colors only a terminal,
    /// unless told otherwise). Asked once, when a formatter is installed
    /// on the handler, never per record; the default is
    /// [`Destination::Other`] (a file, a socket, a buffer: no colors).
    ///
    /// ```
    /// use lumber::{Destination, NullHandler, Sink, StreamHandler};
    /// assert_eq!(NullHandler.destination(), Destination::Other);
    /// let d = StreamHandler::stderr().destination(); // decided when it was made
    /// assert!(matches!(d, Destination::Terminal | Destination::Redirected));
    /// ```
    fn destination(&self) -> Destination {
        Destination::Other
    }

    /// Formats and writes one record in one step: `format` appends the
    /// formatted line to the buffer it is given. A sink that keeps its
    /// own buffer (a buffered file) formats straight into it and saves a
    /// copy of the line; `None` (the default, without calling `format`)
    /// makes the handler format into a scratch buffer and call
    /// [`Sink::emit`]. The handler calls it for every record but one whose
    /// line would be its message (a message-only formatter, see
    /// [`Format::is_message_only`]), which goes to [`Sink::emit`] with the
    /// message as the line; so a sink that implements it must want the
    /// line.
    #[doc(hidden)]
    fn emit_formatted(
        &self,
        record: &Record<'_>,
        format: &mut dyn FnMut(&mut String),
    ) -> Option<io::Result<()>> {
        let _ = (record, format);
        None
    }

    /// The id of the running fast path this sink feeds, if it is a queue
    /// handler (0 otherwise).
    #[doc(hidden)]
    fn fast_path(&self) -> u32 {
        0
    }

    /// Where records go, for the logger tree (`<stderr>`, a path, a URL).
    fn target(&self) -> String {
        String::new()
    }

    /// The handler class name shown in the logger tree.
    fn kind(&self) -> &'static str {
        let name = std::any::type_name::<Self>();
        let name = name.split('<').next().unwrap_or(name);
        name.rsplit("::").next().unwrap_or(name)
    }
}

/// What a [`Sink`] writes to, for formatters that adapt to their output
/// (see [`Sink::destination`] and [`crate::ColorChoice`]).
///
/// ```
/// use lumber::{Destination, Sink, StreamHandler};
/// let h = StreamHandler::writer(Vec::new());
/// assert_eq!(h.destination(), Destination::Other);
/// let h = StreamHandler::writer(std::io::stderr()).with_destination(Destination::Terminal);
/// assert_eq!(h.destination(), Destination::Terminal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Destination {
    /// An interactive terminal: colored in [`crate::ColorChoice::Auto`]
    /// mode unless the environment says otherwise (`NO_COLOR`, ...).
    Terminal,
    /// The process's standard output or error, redirected to a pipe or a
    /// file: colored in `Auto` mode only when `CLICOLOR_FORCE` asks for it
    /// (`CLICOLOR_FORCE=1 app | less -R`).
    Redirected,
    /// Anything else (a log file, a socket, an in-memory buffer, a
    /// queue): never colored in `Auto` mode, whatever the environment
    /// says.
    #[default]
    Other,
}

impl Destination {
    /// The destination of a standard stream: [`Destination::Terminal`] if
    /// it is a terminal, [`Destination::Redirected`] otherwise.
    ///
    /// ```
    /// use lumber::Destination;
    /// assert_eq!(Destination::of_stream(&std::fs::File::open("Cargo.toml").unwrap()), Destination::Redirected);
    /// ```
    pub fn of_stream(stream: &impl std::io::IsTerminal) -> Destination {
        if stream.is_terminal() {
            Destination::Terminal
        } else {
            Destination::Redirected
        }
    }
}

/// A sink made of a closure `|level, line|`: plug in any destination in
/// three lines.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let sink = seen.clone();
/// let log = lumber::get_logger("doc.from_fn");
/// log.add_handler(lumber::from_fn(move |level, line| sink.lock().unwrap().push(format!("{level} {line}"))));
/// log.warning("disk almost full");
/// assert_eq!(seen.lock().unwrap()[0], "WARNING disk almost full");
/// ```
pub fn from_fn<F>(f: F) -> FnSink<F>
where
    F: Fn(Level, &str) + Send + Sync + 'static,
{
    FnSink(f)
}

/// The sink [`from_fn`] makes.
///
/// ```
/// use lumber::Sink;
/// let sink: lumber::FnSink<_> = lumber::from_fn(|_level, _line| {});
/// assert_eq!((sink.kind(), sink.target().as_str()), ("FnHandler", "<function>"));
/// ```
pub struct FnSink<F>(F);

impl<F> Sink for FnSink<F>
where
    F: Fn(Level, &str) + Send + Sync + 'static,
{
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        (self.0)(record.level(), line);
        Ok(())
    }

    fn target(&self) -> String {
        "<function>".to_owned()
    }

    fn kind(&self) -> &'static str {
        "FnHandler"
    }
}

impl<F> fmt::Debug for FnSink<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnSink")
    }
}

/// A handler: level, filters, formatter and error policy around a sink.
///
/// Share one handler between loggers with `Arc<Handler>`; everything can be
/// changed while other threads log.
///
/// ```
/// use lumber::{Formatter, Handler, Level, StreamHandler};
/// let h = Handler::new(StreamHandler::stdout())
///     .with_level(Level::INFO)
///     .with_formatter(Formatter::new("%(levelname)s %(message)s").unwrap())
///     .with_name("console");
/// assert_eq!(h.level(), Level::INFO);
/// assert_eq!(h.name().as_deref(), Some("console"));
/// ```
pub struct Handler {
    name: Mutex<Option<Arc<str>>>,
    level: AtomicU32,
    filters: ArcSwap<Vec<Arc<dyn Filter>>>,
    formatter: FormatterSlot,
    own_formatter: AtomicBool,
    /// False while there are no filters: the common case skips loading them.
    has_filters: AtomicBool,
    errors: error::Reporter,
    sink: Box<dyn Sink>,
}

impl Handler {
    /// A handler at level NOTSET, no filters, Python's default formatter
    /// (`%(message)s`), reporting errors to stderr.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler);
    /// assert_eq!(h.level(), Level::NOTSET);
    /// assert!(h.name().is_none() && h.filters().is_empty() && !h.has_own_formatter());
    /// ```
    pub fn new(sink: impl Sink) -> Handler {
        Handler {
            name: Mutex::new(None),
            level: AtomicU32::new(0),
            filters: ArcSwap::from_pointee(Vec::new()),
            formatter: FormatterSlot::new(default_formatter()),
            own_formatter: AtomicBool::new(false),
            has_filters: AtomicBool::new(false),
            errors: error::Reporter::new(ErrorPolicy::default()),
            sink: Box::new(sink),
        }
    }

    /// Sets the level (builder form of [`Handler::set_level`]).
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{Handler, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let log = lumber::get_logger("doc.handler_with_level");
    /// log.add_handler(Handler::new(sink).with_level(Level::ERROR));
    /// log.warning("below the handler's level");
    /// log.error("kept");
    /// assert_eq!(*lines.lock().unwrap(), ["kept"]);
    /// ```
    pub fn with_level(self, level: Level) -> Handler {
        self.set_level(level);
        self
    }

    /// Sets the formatter (builder form of [`Handler::set_formatter`]).
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{Handler, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let h = Handler::new(sink).with_formatter(lumber::Formatter::new("%(levelname)s: %(message)s").unwrap());
    /// h.handle(&Record::new("x", Level::INFO, Message::Str("hi")));
    /// assert_eq!(*lines.lock().unwrap(), ["INFO: hi"]);
    /// ```
    pub fn with_formatter(self, formatter: impl Format) -> Handler {
        self.set_formatter(Arc::new(formatter));
        self
    }

    /// Adds a filter (builder form of [`Handler::add_filter`]).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler).with_filter(|r: &Record| r.logger() != "noisy");
    /// assert!(!h.handle(&Record::new("noisy", Level::INFO, Message::Str(""))));
    /// assert!(h.handle(&Record::new("calm", Level::INFO, Message::Str(""))));
    /// ```
    pub fn with_filter(self, filter: impl Filter) -> Handler {
        self.add_filter(Arc::new(filter));
        self
    }

    /// Names the handler (configuration refers to handlers by name).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler).with_name("audit");
    /// assert_eq!(h.name().as_deref(), Some("audit"));
    /// ```
    pub fn with_name(self, name: &str) -> Handler {
        self.set_name(Some(name));
        self
    }

    /// Sets what happens when the sink fails.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use std::sync::atomic::{AtomicUsize, Ordering};
    /// # use lumber::{ErrorPolicy, Handler, Level, Message, Record};
    /// # struct Broken;
    /// # impl lumber::Sink for Broken {
    /// #     fn emit(&self, _: &Record<'_>, _: &str) -> std::io::Result<()> { Err(std::io::Error::other("disk full")) }
    /// # }
    /// let failures = Arc::new(AtomicUsize::new(0));
    /// let f = failures.clone();
    /// let h = Handler::new(Broken).with_error_policy(ErrorPolicy::hook(move |_| { f.fetch_add(1, Ordering::Relaxed); }));
    /// h.handle(&Record::new("x", Level::ERROR, Message::Str(""))); // neither fails nor panics
    /// assert_eq!(failures.load(Ordering::Relaxed), 1);
    /// ```
    pub fn with_error_policy(mut self, policy: ErrorPolicy) -> Handler {
        self.errors = error::Reporter::new(policy);
        self
    }

    /// Changes where write failures go, on a handler already in use (one
    /// a configuration built, say).
    ///
    /// ```
    /// use lumber::{ErrorPolicy, Handler, NullHandler};
    /// let h = Handler::new(NullHandler);
    /// h.set_error_policy(ErrorPolicy::Ignore);
    /// ```
    pub fn set_error_policy(&self, policy: ErrorPolicy) {
        self.errors.set_policy(policy);
    }

    /// The handler's name.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// assert_eq!(Handler::new(NullHandler).name(), None);
    /// assert_eq!(Handler::new(NullHandler).with_name("console").name().as_deref(), Some("console"));
    /// ```
    pub fn name(&self) -> Option<Arc<str>> {
        self.name
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Renames the handler.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler);
    /// h.set_name(Some("console"));
    /// assert_eq!(h.name().as_deref(), Some("console"));
    /// h.set_name(None);
    /// assert!(h.name().is_none());
    /// ```
    pub fn set_name(&self, name: Option<&str>) {
        *self.name.lock().unwrap_or_else(PoisonError::into_inner) = name.map(Arc::from);
    }

    /// The level: records below it are not handled.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// assert_eq!(Handler::new(NullHandler).level(), Level::NOTSET);
    /// assert_eq!(Handler::new(NullHandler).with_level(Level::INFO).level(), Level::INFO);
    /// ```
    pub fn level(&self) -> Level {
        Level::new(self.level.load(Ordering::Relaxed))
    }

    /// Changes the level.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{Handler, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let log = lumber::get_logger("doc.handler_set_level");
    /// let shared = log.add_handler(sink);
    /// shared.set_level(Level::ERROR); // takes effect at once, even while others log
    /// log.warning("dropped by the handler");
    /// assert!(lines.lock().unwrap().is_empty());
    /// ```
    pub fn set_level(&self, level: Level) {
        self.level.store(level.value(), Ordering::Relaxed);
    }

    /// The formatter.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler); // default formatter: %(message)s
    /// let mut out = String::new();
    /// h.formatter().format(&Record::new("x", Level::INFO, Message::Str("just this")), &mut out);
    /// assert_eq!(out, "just this");
    /// ```
    pub fn formatter(&self) -> Arc<dyn Format> {
        Arc::clone(self.formatter.get())
    }

    /// Replaces the formatter (it may be shared with other handlers).
    ///
    /// A formatter that adapts to its output is specialized here, once,
    /// for this handler's sink ([`Format::for_sink`]): a
    /// [`crate::ConsoleFormatter`] in `Auto` mode decides now whether
    /// this handler's records are colored, and [`Handler::formatter`]
    /// returns the specialized formatter.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler);
    /// h.set_formatter(Arc::new(Formatter::new("%(name)s: %(message)s").unwrap()));
    /// let mut out = String::new();
    /// h.formatter().format(&Record::new("app", Level::INFO, Message::Str("hi")), &mut out);
    /// assert_eq!(out, "app: hi");
    /// ```
    pub fn set_formatter(&self, formatter: Arc<dyn Format>) {
        let formatter = formatter.for_sink(&*self.sink).unwrap_or(formatter);
        self.formatter.set(formatter);
        self.own_formatter.store(true, Ordering::Relaxed);
    }

    /// Whether a formatter was set (Python: `handler.formatter is not
    /// None`); without one the handler uses `%(message)s`.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// assert!(!Handler::new(NullHandler).has_own_formatter());
    /// assert!(Handler::new(NullHandler).with_formatter(Formatter::basic()).has_own_formatter());
    /// ```
    pub fn has_own_formatter(&self) -> bool {
        self.own_formatter.load(Ordering::Relaxed)
    }

    /// Adds a filter; all filters must pass.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler);
    /// h.add_filter(Arc::new(lumber::LevelFilter::new(Level::INFO, Level::INFO)));
    /// assert!(h.handle(&Record::new("x", Level::INFO, Message::Str(""))));
    /// assert!(!h.handle(&Record::new("x", Level::ERROR, Message::Str(""))));
    /// ```
    pub fn add_filter(&self, filter: Arc<dyn Filter>) {
        self.filters.rcu(|fs| {
            let mut fs = Vec::clone(fs);
            fs.push(Arc::clone(&filter));
            fs
        });
        self.has_filters.store(true, Ordering::Release);
    }

    /// Removes a filter added earlier (the same `Arc`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler);
    /// let only_app: Arc<dyn Filter> = Arc::new(lumber::NameFilter::new("app"));
    /// h.add_filter(only_app.clone());
    /// assert!(!h.handle(&Record::new("other", Level::INFO, Message::Str(""))));
    /// h.remove_filter(&only_app);
    /// assert!(h.handle(&Record::new("other", Level::INFO, Message::Str(""))));
    /// ```
    pub fn remove_filter(&self, filter: &Arc<dyn Filter>) {
        self.filters.rcu(|fs| {
            let mut fs = Vec::clone(fs);
            fs.retain(|f| !Arc::ptr_eq(f, filter));
            fs
        });
        self.has_filters
            .store(!self.filters.load().is_empty(), Ordering::Release);
    }

    /// The filters.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(NullHandler).with_filter(lumber::NameFilter::new("app"));
    /// assert_eq!(h.filters().len(), 1);
    /// assert_eq!(h.filters()[0].describe(), "name filter \"app\"");
    /// ```
    pub fn filters(&self) -> Vec<Arc<dyn Filter>> {
        Vec::clone(&self.filters.load())
    }

    /// The sink.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use lumber::{Filter, Format, Formatter, Handler, Level, Message, NullHandler, Record, Sink};
    /// let h = Handler::new(lumber::StreamHandler::stdout());
    /// assert_eq!(h.sink().kind(), "StreamHandler");
    /// assert_eq!(h.sink().target(), "<stdout>");
    /// ```
    pub fn sink(&self) -> &dyn Sink {
        &*self.sink
    }

    /// Filters, formats and emits one record (Python's `Handler.handle`).
    /// The level is not checked here: loggers check it before calling.
    /// Returns whether the filters passed it. Never panics and never
    /// fails: a failing or panicking sink or formatter goes to the error
    /// policy.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{Handler, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let h = Handler::new(sink).with_level(Level::ERROR);
    /// assert!(h.handle(&Record::new("x", Level::INFO, Message::Str("not level-checked here"))));
    /// assert_eq!(*lines.lock().unwrap(), ["not level-checked here"]);
    /// ```
    pub fn handle(&self, record: &Record<'_>) -> bool {
        if self.has_filters.load(Ordering::Acquire)
            && !self.filters.load().iter().all(|f| f.filter(record))
        {
            return false;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if self.formatter.message_only.load(Ordering::Relaxed)
                && let Some(text) = record.plain_message()
            {
                // The line would be the message: no formatting, no copy.
                return self.sink.emit(record, text);
            }
            let formatter = self.formatter.get();
            let direct = self
                .sink
                .emit_formatted(record, &mut |out| formatter.format(record, out));
            match direct {
                Some(result) => result,
                None => with_buffer(|line| {
                    if self.sink.wants_line() {
                        formatter.format(record, line);
                    }
                    self.sink.emit(record, line)
                }),
            }
        }));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => self.report(record, &e),
            Err(panic) => self.report(record, &io::Error::other(panic_message(&*panic))),
        }
        true
    }

    /// Flushes the sink; a failure goes to the error policy.
    ///
    /// ```
    /// # use lumber::{FileHandler, Handler, Level, Message, Record};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-handler-flush-{}.log", std::process::id()));
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// let h = Handler::new(FileHandler::options(&path).truncate(true).buffer(4096).open().unwrap());
    /// h.handle(&Record::new("x", Level::INFO, Message::Str("buffered")));
    /// assert_eq!(read(), "");
    /// h.flush();
    /// assert_eq!(read(), "buffered\n");
    /// ```
    pub fn flush(&self) {
        if let Err(e) = self.sink.flush() {
            self.report_bare("flush", &e);
        }
    }

    /// Flushes and closes the sink; a failure goes to the error policy.
    ///
    /// ```
    /// # use lumber::{FileHandler, Handler, Level, Message, Record};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-handler-close-{}.log", std::process::id()));
    /// # let read = || std::fs::read_to_string(&path).unwrap();
    /// let h = Handler::new(FileHandler::options(&path).truncate(true).buffer(4096).open().unwrap());
    /// h.handle(&Record::new("x", Level::INFO, Message::Str("buffered")));
    /// h.close(); // writes what is pending; the file reopens if records follow
    /// assert_eq!(read(), "buffered\n");
    /// ```
    pub fn close(&self) {
        if let Err(e) = self.sink.close() {
            self.report_bare("close", &e);
        }
    }

    fn report(&self, record: &Record<'_>, error: &io::Error) {
        let name = self.name();
        self.errors.report(&HandlerError {
            handler: name.as_deref(),
            kind: self.sink.kind(),
            action: "emit",
            logger: Some(record.logger()),
            error,
        });
    }

    fn report_bare(&self, action: &'static str, error: &io::Error) {
        let name = self.name();
        self.errors.report(&HandlerError {
            handler: name.as_deref(),
            kind: self.sink.kind(),
            action,
            logger: None,
            error,
        });
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handler")
            .field("kind", &self.sink.kind())
            .field("name", &self.name())
            .field("level", &self.level())
            .field("target", &self.sink.target())
            .finish_non_exhaustive()
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic");
    format!("panicked while formatting or emitting: {text}")
}

/// The handler's formatter, read without any atomic read-modify-write
/// (on some machines each costs as much as formatting a field).
///
/// Every formatter ever set stays alive until the handler is dropped, so a
/// reader may use the one it loaded for as long as it borrows the
/// handler. Formatters are set a handful of times in a program's life, so
/// keeping the old ones costs nothing that matters.
struct FormatterSlot {
    current: AtomicPtr<Arc<dyn Format>>,
    /// The current formatter's [`Format::is_message_only`].
    message_only: AtomicBool,
    // The boxes keep each Arc at a fixed address when the Vec grows.
    #[allow(clippy::vec_box)]
    all: Mutex<Vec<Box<Arc<dyn Format>>>>,
}

impl FormatterSlot {
    fn new(formatter: Arc<dyn Format>) -> FormatterSlot {
        let slot = FormatterSlot {
            current: AtomicPtr::new(std::ptr::null_mut()),
            message_only: AtomicBool::new(false),
            all: Mutex::new(Vec::new()),
        };
        slot.set(formatter);
        slot
    }

    fn set(&self, formatter: Arc<dyn Format>) {
        let mut all = self.all.lock().unwrap_or_else(PoisonError::into_inner);
        let mut boxed = Box::new(formatter);
        let ptr: *mut Arc<dyn Format> = &mut *boxed;
        // Cleared before the switch and set after it, so a record never
        // skips a formatter that formats.
        self.message_only.store(false, Ordering::Release);
        let message_only = boxed.is_message_only();
        all.push(boxed);
        self.current.store(ptr, Ordering::Release);
        self.message_only.store(message_only, Ordering::Release);
    }

    fn get(&self) -> &Arc<dyn Format> {
        let ptr = self.current.load(Ordering::Acquire);
        // SAFETY: `ptr` was made in `set` from a Box that was then pushed
        // onto `all`. Boxes are never removed from `all` (it is only
        // dropped with `self`), and moving a Box does not move its
        // contents, so the pointee lives as long as `&self`. `set` runs
        // once in `new` before the slot is shared, so `ptr` is never null.
        #[allow(unsafe_code)]
        unsafe {
            &*ptr
        }
    }
}

/// Python's `_defaultFormatter`: `%(message)s`.
fn default_formatter() -> Arc<dyn Format> {
    Arc::new(Formatter::message_only())
}

const KEEP_CAPACITY: usize = 8 * 1024;

/// Buffers kept per thread: one per level of nesting (a queue handler
/// that dispatches to the listener's handlers formats inside another
/// handler's call), so nested handlers do not allocate either.
const KEEP_BUFFERS: usize = 4;

thread_local! {
    static BUFFERS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with a cleared format buffer taken from this thread's pool (a
/// fresh one if the pool is empty, e.g. when a sink logs from inside
/// `emit`). A buffer that grew for a huge record is shrunk back before it
/// returns to the pool, so memory stays bounded.
fn with_buffer<R>(f: impl FnOnce(&mut String) -> R) -> R {
    let mut buf = BUFFERS
        .try_with(|pool| pool.try_borrow_mut().ok().and_then(|mut p| p.pop()))
        .ok()
        .flatten()
        .unwrap_or_else(|| String::with_capacity(256));
    buf.clear();
    let r = f(&mut buf);
    if buf.capacity() > KEEP_CAPACITY {
        buf.clear();
        buf.shrink_to(KEEP_CAPACITY);
    }
    let _ = BUFFERS.try_with(|pool| {
        let pool = pool.try_borrow_mut().ok();
        if let Some(mut pool) = pool.filter(|p| p.len() < KEEP_BUFFERS) {
            pool.push(buf);
        }
    });
    r
}

/// Anything that can be added to a logger as a handler: a [`Sink`], a
/// [`Handler`], or a shared `Arc<Handler>`.
///
/// ```
/// use std::sync::Arc;
/// use lumber::{Handler, IntoHandler, NullHandler};
/// let shared: Arc<Handler> = Handler::new(NullHandler).with_name("null").into_handler();
/// let log = lumber::get_logger("doc.into_handler");
/// assert!(Arc::ptr_eq(&log.add_handler(shared.clone()), &shared)); // an Arc is added as it is
/// ```
pub trait IntoHandler {
    /// The shared handler.
    fn into_handler(self) -> Arc<Handler>;
}

impl<S: Sink> IntoHandler for S {
    fn into_handler(self) -> Arc<Handler> {
        Arc::new(Handler::new(self))
    }
}

impl IntoHandler for Handler {
    fn into_handler(self) -> Arc<Handler> {
        Arc::new(self)
    }
}

impl IntoHandler for Arc<Handler> {
    fn into_handler(self) -> Arc<Handler> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Message;
    use std::sync::atomic::AtomicUsize;

    struct Failing;
    impl Sink for Failing {
        fn emit(&self, _: &Record<'_>, _: &str) -> io::Result<()> {
            Err(io::Error::other("boom"))
        }
    }

    struct Panicking;
    impl Sink for Panicking {
        fn emit(&self, _: &Record<'_>, _: &str) -> io::Result<()> {
            panic!("sink exploded")
        }
    }

    fn counting_policy() -> (ErrorPolicy, Arc<Mutex<Vec<String>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let policy =
            ErrorPolicy::hook(move |e: &HandlerError<'_>| s.lock().unwrap().push(e.to_string()));
        (policy, seen)
    }

    #[derive(Default)]
    struct Lines(Mutex<Vec<String>>);
    impl Sink for Arc<Lines> {
        fn emit(&self, _: &Record<'_>, line: &str) -> io::Result<()> {
            self.0.lock().unwrap().push(line.to_owned());
            Ok(())
        }
    }

    #[test]
    fn a_message_only_formatter_is_skipped_only_when_the_line_is_the_message() {
        let lines = Arc::new(Lines::default());
        let h = Handler::new(Arc::clone(&lines));
        let plain = Record::new("a", Level::INFO, Message::Str("plain"));
        let with_error =
            Record::new("a", Level::INFO, Message::Str("failed")).with_exc_text("Error: boom");
        h.handle(&plain);
        h.handle(&Record::new(
            "a",
            Level::INFO,
            Message::Args(format_args!("{}", 7)),
        ));
        h.handle(&with_error);
        h.set_formatter(Arc::new(Formatter::new("%(name)s %(message)s").unwrap()));
        h.handle(&plain);
        h.set_formatter(Arc::new(Formatter::new("%(message)s").unwrap()));
        h.handle(&plain);
        assert_eq!(
            *lines.0.lock().unwrap(),
            ["plain", "7", "failed\nError: boom", "a plain", "plain"]
        );
    }

    #[test]
    fn sink_errors_go_to_the_policy_not_the_caller() {
        let (policy, seen) = counting_policy();
        let h = Handler::new(Failing)
            .with_name("bad")
            .with_error_policy(policy);
        assert!(h.handle(&Record::new("app", Level::ERROR, Message::Str("x"))));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert!(
            seen[0].contains("'bad'") && seen[0].contains("boom") && seen[0].contains("app"),
            "{}",
            seen[0]
        );
    }

    #[test]
    fn a_panicking_sink_does_not_unwind_into_the_caller() {
        let (policy, seen) = counting_policy();
        let h = Handler::new(Panicking).with_error_policy(policy);
        h.handle(&Record::new("app", Level::ERROR, Message::Str("x")));
        let seen = seen.lock().unwrap();
        assert!(seen[0].contains("sink exploded"), "{seen:?}");
    }

    #[test]
    fn filters_gate_handle() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let h = Handler::new(from_fn(move |_, _| {
            c.fetch_add(1, Ordering::SeqCst);
        }))
        .with_filter(|r: &Record<'_>| r.logger() != "noisy");
        assert!(!h.handle(&Record::new("noisy", Level::INFO, Message::Str(""))));
        assert!(h.handle(&Record::new("quiet", Level::INFO, Message::Str(""))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn the_default_formatter_is_message_only() {
        let out = Arc::new(Mutex::new(String::new()));
        let o = out.clone();
        let h = Handler::new(from_fn(move |_, line| o.lock().unwrap().push_str(line)));
        h.handle(&Record::new(
            "n",
            Level::INFO,
            Message::Args(format_args!("a{}", 1)),
        ));
        assert_eq!(*out.lock().unwrap(), "a1");
    }

    #[test]
    fn reentrant_logging_from_a_sink_gets_its_own_buffer() {
        let inner = Arc::new(Mutex::new(String::new()));
        let i = inner.clone();
        let inner_handler = Arc::new(Handler::new(from_fn(move |_, line| {
            i.lock().unwrap().push_str(line)
        })));
        let ih = inner_handler.clone();
        let outer = Handler::new(from_fn(move |_, line| {
            ih.handle(&Record::new("inner", Level::INFO, Message::Str("nested")));
            assert_eq!(line, "outer");
        }));
        outer.handle(&Record::new("outer", Level::INFO, Message::Str("outer")));
        assert_eq!(*inner.lock().unwrap(), "nested");
    }
}
