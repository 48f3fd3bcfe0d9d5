//! Loggers: named nodes of a dotted hierarchy, Python's `Logger` and
//! `getLogger`.

mod bound;
mod manager;
mod rcu;

use std::error::Error;
use std::fmt;
use std::panic::Location;
use std::sync::atomic::Ordering;
use std::sync::{Arc, LazyLock, OnceLock};

use arc_swap::ArcSwapOption;

pub use bound::{AsLogger, BoundLogger};
pub(crate) use manager::{MANAGER, Node};

use crate::filter::Filter;
use crate::format::Formatter;
use crate::handler::{Handler, IntoHandler, StreamHandler};
use crate::level::Level;
use crate::record::{Function, Message, Record, Site};

/// A handle to a named logger: cheap to copy, and the same name always
/// gives the same logger.
///
/// ```
/// use lumber::{get_logger, Level};
/// let db = get_logger("app.db");
/// assert_eq!(db.name(), "app.db");
/// assert_eq!(db.parent().unwrap().name(), "root"); // "app" does not exist yet
/// let app = get_logger("app");
/// assert_eq!(db.parent(), Some(app));              // ...now it does
/// assert_eq!(get_logger("app::db"), db); // Rust module paths map to dotted names
/// db.set_level(Level::DEBUG);
/// assert!(db.is_enabled_for(Level::DEBUG));
/// ```
#[derive(Clone, Copy)]
pub struct Logger {
    node: &'static Node,
}

/// Returns the logger with this name, creating it (and fixing up the
/// hierarchy) the first time. `""` and `"root"` are the root; `::` is read
/// as `.`, so `module_path!()` works as a name.
///
/// ```
/// assert_eq!(lumber::get_logger(""), lumber::root());
/// assert_eq!(lumber::get_logger("my_app::db::pool").name(), "my_app.db.pool");
/// ```
pub fn get_logger(name: &str) -> Logger {
    let name = normalize_name(name);
    if name.is_empty() || name == "root" {
        return root();
    }
    Logger {
        node: MANAGER.node(&name),
    }
}

/// The root logger (level WARNING until configured, as in Python).
///
/// ```
/// assert_eq!(lumber::root().name(), "root");
/// ```
pub fn root() -> Logger {
    Logger { node: MANAGER.root }
}

/// Turns off every level at or below `level` in all loggers at once
/// (Python's `logging.disable`). `disable(Level::NOTSET)` turns it off.
///
/// ```
/// use lumber::{disable, get_logger, Level};
/// let l = get_logger("doc.disable");
/// l.set_level(Level::DEBUG);
/// disable(Level::INFO);
/// assert!(!l.is_enabled_for(Level::INFO));
/// assert!(l.is_enabled_for(Level::WARNING));
/// disable(Level::NOTSET);
/// assert!(l.is_enabled_for(Level::DEBUG));
/// ```
pub fn disable(level: Level) {
    MANAGER.set_disable(level);
}

/// The level given to [`disable`].
///
/// ```
/// assert_eq!(lumber::disabled_level(), lumber::Level::NOTSET);
/// lumber::disable(lumber::Level::INFO);
/// assert_eq!(lumber::disabled_level(), lumber::Level::INFO);
/// ```
pub fn disabled_level() -> Level {
    MANAGER.disable_level()
}

/// Every logger created so far, the root first, then by name.
///
/// ```
/// lumber::get_logger("doc.loggers.x");
/// assert!(lumber::loggers().iter().any(|l| l.name() == "doc.loggers.x"));
/// ```
pub fn loggers() -> Vec<Logger> {
    let mut all: Vec<Logger> = MANAGER
        .all()
        .into_iter()
        .map(|node| Logger { node })
        .collect();
    all.sort_by(|a, b| a.name().cmp(b.name()));
    all.insert(0, root());
    all
}

/// Recomputes which loggers take a fast path (a listener started or
/// stopped).
pub(crate) fn refresh_fast_paths() {
    MANAGER.refresh_fast();
}

/// The lowest level gate of any logger (`u32::MAX` if all are off).
#[cfg_attr(not(any(feature = "log", feature = "tracing")), allow(dead_code))]
pub(crate) fn min_threshold() -> u32 {
    MANAGER.min_threshold()
}

/// `a::b::c` → `a.b.c`.
pub(crate) fn normalize_name(name: &str) -> String {
    name.replace("::", ".")
}

impl Logger {
    /// The dotted name (`root` for the root).
    ///
    /// ```
    /// assert_eq!(lumber::get_logger("doc::name").name(), "doc.name");
    /// assert_eq!(lumber::root().name(), "root");
    /// ```
    pub fn name(&self) -> &'static str {
        &self.node.name
    }

    /// The logger's own level (NOTSET: defer to the parent).
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.level");
    /// assert_eq!(log.level(), Level::NOTSET); // defers to its parent
    /// log.set_level(Level::DEBUG);
    /// assert_eq!(log.level(), Level::DEBUG);
    /// ```
    pub fn level(&self) -> Level {
        Level::new(self.node.level.load(Ordering::Relaxed))
    }

    /// Sets the level; takes effect for every logger below at once.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let parent = get_logger("doc.set_level");
    /// let child = parent.get_child("child");
    /// parent.set_level(Level::ERROR);
    /// assert!(!child.is_enabled_for(Level::WARNING));
    /// assert!(child.is_enabled_for(Level::ERROR));
    /// ```
    pub fn set_level(&self, level: Level) {
        MANAGER.change_levels(|| self.node.level.store(level.value(), Ordering::Relaxed));
    }

    /// Python's `getEffectiveLevel`: this logger's level, or the first one
    /// set above it.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let parent = get_logger("doc.effective_level");
    /// let child = parent.get_child("child");
    /// assert_eq!(child.effective_level(), Level::WARNING); // the root's
    /// parent.set_level(Level::DEBUG);
    /// assert_eq!((child.level(), child.effective_level()), (Level::NOTSET, Level::DEBUG));
    /// ```
    pub fn effective_level(&self) -> Level {
        self.node.effective_level()
    }

    /// The fast path this logger's records can take, if any.
    #[doc(hidden)]
    #[inline(always)]
    pub fn fast_path(&self) -> Option<&'static crate::queue::FastPath> {
        // Acquire: what registered the path (its fields) happened before.
        let path = self.node.fast.load(Ordering::Acquire);
        // SAFETY: `Node::fast` is only ever null or a `&'static FastPath`
        // (leaked when registered, never freed), stored with release.
        #[allow(unsafe_code)]
        unsafe {
            path.as_ref()
        }
    }

    /// Would a record at `level` be logged? One relaxed atomic load: the
    /// gate is cached per logger and recomputed on every change.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.is_enabled_for");
    /// assert!(!log.is_enabled_for(Level::INFO)); // the root starts at WARNING
    /// assert!(log.is_enabled_for(Level::WARNING));
    /// ```
    #[inline(always)]
    pub fn is_enabled_for(&self, level: Level) -> bool {
        level.value() >= self.node.threshold.load(Ordering::Relaxed)
    }

    /// Whether records propagate to the parent's handlers.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.propagate");
    /// assert!(log.propagate());
    /// log.set_propagate(false);
    /// assert!(!log.propagate());
    /// ```
    pub fn propagate(&self) -> bool {
        self.node.state.load().propagate
    }

    /// Sets propagation (default true).
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let parent = get_logger("doc.set_propagate");
    /// let child = parent.get_child("child");
    /// parent.add_handler(NullHandler);
    /// assert!(child.has_handlers());
    /// child.set_propagate(false); // its records no longer reach the parent's handlers
    /// assert!(!child.has_handlers());
    /// ```
    pub fn set_propagate(&self, propagate: bool) {
        self.node.update(|s| s.propagate = propagate);
        MANAGER.refresh_fast();
    }

    /// Whether the logger is disabled (it then logs nothing itself;
    /// records from children still pass through its handlers, as in
    /// Python).
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.disabled");
    /// assert!(!log.disabled());
    /// log.set_disabled(true);
    /// assert!(log.disabled());
    /// ```
    pub fn disabled(&self) -> bool {
        self.node.disabled.load(Ordering::Relaxed)
    }

    /// Disables or enables the logger.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.set_disabled");
    /// log.set_disabled(true);
    /// assert!(!log.is_enabled_for(Level::CRITICAL));
    /// log.set_disabled(false);
    /// assert!(log.is_enabled_for(Level::CRITICAL));
    /// ```
    pub fn set_disabled(&self, disabled: bool) {
        MANAGER.change_levels(|| self.node.disabled.store(disabled, Ordering::Relaxed));
    }

    /// Adds a handler: a sink, a [`Handler`], or a shared `Arc<Handler>`.
    /// Returns the shared handler (to remove it later, or to share it).
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let log = get_logger("doc.add_handler");
    /// let handler = log.add_handler(sink);
    /// log.add_handler(handler.clone()); // already there: not added twice
    /// assert_eq!(log.handlers().len(), 1);
    /// log.warning("hello");
    /// assert_eq!(*lines.lock().unwrap(), ["hello"]);
    /// ```
    pub fn add_handler(&self, handler: impl IntoHandler) -> Arc<Handler> {
        let handler = handler.into_handler();
        self.node.update(|s| {
            if !s.handlers.iter().any(|h| Arc::ptr_eq(h, &handler)) {
                s.handlers.push(Arc::clone(&handler));
            }
        });
        MANAGER.refresh_fast();
        handler
    }

    /// Removes a handler (the same `Arc`).
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.remove_handler");
    /// let handler = log.add_handler(NullHandler);
    /// log.remove_handler(&handler);
    /// assert!(log.handlers().is_empty());
    /// ```
    pub fn remove_handler(&self, handler: &Arc<Handler>) {
        self.node
            .update(|s| s.handlers.retain(|h| !Arc::ptr_eq(h, handler)));
        MANAGER.refresh_fast();
    }

    /// Removes every handler and returns them.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.clear_handlers");
    /// log.add_handler(NullHandler);
    /// log.add_handler(NullHandler);
    /// assert_eq!(log.clear_handlers().len(), 2);
    /// assert!(log.handlers().is_empty());
    /// ```
    pub fn clear_handlers(&self) -> Vec<Arc<Handler>> {
        let old = self.handlers();
        self.node.update(|s| s.handlers.clear());
        MANAGER.refresh_fast();
        old
    }

    /// The handlers on this logger itself.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.handlers");
    /// log.add_handler(lumber::Handler::new(NullHandler).with_name("null"));
    /// assert_eq!(log.handlers()[0].name().as_deref(), Some("null"));
    /// assert!(log.get_child("child").handlers().is_empty()); // only its own
    /// ```
    pub fn handlers(&self) -> Vec<Arc<Handler>> {
        self.node.state.load().handlers.clone()
    }

    /// Python's `hasHandlers`: does this logger or any ancestor it
    /// propagates to have handlers?
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let parent = get_logger("doc.has_handlers");
    /// let child = parent.get_child("child");
    /// assert!(!child.has_handlers());
    /// parent.add_handler(NullHandler);
    /// assert!(child.has_handlers()); // through propagation
    /// ```
    pub fn has_handlers(&self) -> bool {
        let mut node = Some(self.node);
        while let Some(n) = node {
            let state = n.state.load();
            if !state.handlers.is_empty() {
                return true;
            }
            if !state.propagate {
                return false;
            }
            node = state.parent;
        }
        false
    }

    /// Adds a filter that sees every record logged on this logger.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let log = get_logger("doc.add_filter");
    /// log.add_handler(sink);
    /// log.add_filter(|r: &Record| !r.message().to_string().contains("password"));
    /// log.warning("password=hunter2");
    /// log.warning("login ok");
    /// assert_eq!(*lines.lock().unwrap(), ["login ok"]);
    /// ```
    pub fn add_filter(&self, filter: impl Filter) -> Arc<dyn Filter> {
        let filter: Arc<dyn Filter> = Arc::new(filter);
        self.add_shared_filter(Arc::clone(&filter));
        filter
    }

    /// Adds a filter that is shared (with other loggers or handlers).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lumber::{get_logger, Filter, NameFilter};
    /// let only_app: Arc<dyn Filter> = Arc::new(NameFilter::new("app"));
    /// get_logger("doc.shared_a").add_shared_filter(Arc::clone(&only_app));
    /// get_logger("doc.shared_b").add_shared_filter(only_app);
    /// assert_eq!(get_logger("doc.shared_b").filters().len(), 1);
    /// ```
    pub fn add_shared_filter(&self, filter: Arc<dyn Filter>) {
        self.node.update(|s| s.filters.push(Arc::clone(&filter)));
    }

    /// Removes a filter (the `Arc` that [`Logger::add_filter`] returned).
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.remove_filter");
    /// let filter = log.add_filter(lumber::LevelFilter::new(Level::ERROR, Level::CRITICAL));
    /// assert_eq!(log.filters().len(), 1);
    /// log.remove_filter(&filter);
    /// assert!(log.filters().is_empty());
    /// ```
    pub fn remove_filter(&self, filter: &Arc<dyn Filter>) {
        self.node
            .update(|s| s.filters.retain(|f| !Arc::ptr_eq(f, filter)));
    }

    /// The filters on this logger.
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let log = get_logger("doc.filters");
    /// log.add_filter(lumber::NameFilter::new("doc"));
    /// assert_eq!(log.filters()[0].describe(), "name filter \"doc\"");
    /// ```
    pub fn filters(&self) -> Vec<Arc<dyn Filter>> {
        self.node.state.load().filters.clone()
    }

    /// The parent logger (`None` for the root).
    ///
    /// ```
    /// # use lumber::{get_logger, Level, NullHandler};
    /// let child = get_logger("doc.parent.child");
    /// let parent = get_logger("doc.parent");
    /// assert_eq!(child.parent(), Some(parent));
    /// assert_eq!(lumber::root().parent(), None);
    /// ```
    pub fn parent(&self) -> Option<Logger> {
        self.node.parent().map(|node| Logger { node })
    }

    /// Python's `getChild`: `get_logger("a").get_child("b.c")` is `a.b.c`.
    ///
    /// ```
    /// assert_eq!(lumber::get_logger("a").get_child("b.c").name(), "a.b.c");
    /// assert_eq!(lumber::root().get_child("x").name(), "x");
    /// ```
    pub fn get_child(&self, suffix: &str) -> Logger {
        if std::ptr::eq(self.node, MANAGER.root) {
            get_logger(suffix)
        } else {
            get_logger(&format!("{}.{}", self.name(), normalize_name(suffix)))
        }
    }

    /// A logger that adds `key = value` to every record it logs (Python's
    /// `LoggerAdapter`).
    ///
    /// ```
    /// let log = lumber::get_logger("doc.bind").bind("user", 42).bind("ip", "10.0.0.1");
    /// assert_eq!(log.fields().len(), 2);
    /// ```
    pub fn bind(&self, key: &str, value: impl Into<crate::value::OwnedValue>) -> BoundLogger {
        BoundLogger::new(*self).bind(key, value)
    }

    /// Python's `Logger.handle`: applies this logger's filters and passes
    /// the record to the handlers up the tree. The level is not checked
    /// (the macros check it first); a disabled logger drops the record.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let log = get_logger("doc.handle");
    /// log.add_handler(sink);
    /// log.set_level(Level::ERROR);
    /// log.handle(&Record::new("doc.handle", Level::INFO, Message::Str("made by hand")));
    /// assert_eq!(*lines.lock().unwrap(), ["made by hand"]); // the level is not checked
    /// ```
    pub fn handle(&self, record: &Record<'_>) {
        if self.node.disabled.load(Ordering::Relaxed) {
            return;
        }
        // The states are read without a read-modify-write (see `rcu`).
        let found = rcu::section(|section| {
            let state = self.node.state.read(section);
            if !state.filters.iter().all(|f| f.filter(record)) {
                return None;
            }
            // Python's `callHandlers`: each handler from here up to the
            // first logger that does not propagate; the last-resort handler
            // if there were none at all.
            let mut found = dispatch(state, record);
            let mut node = if state.propagate { state.parent } else { None };
            while let Some(n) = node {
                let state = n.state.read(section);
                found += dispatch(state, record);
                node = if state.propagate { state.parent } else { None };
            }
            Some(found)
        });
        if found == Some(0)
            && let Some(last) = LAST_RESORT.load().as_ref()
            && record.level() >= last.level()
        {
            last.handle(record);
        }
    }

    /// Logs `message` at `level` (for code that does not use the macros;
    /// the macros avoid formatting disabled records and capture more of the
    /// call site).
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level, Message, Record};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let log = get_logger("doc.log");
    /// log.add_handler(sink);
    /// log.log(Level::ERROR, format_args!("{} retries left", 0));
    /// log.log(Level::DEBUG, "below the level: skipped");
    /// assert_eq!(*lines.lock().unwrap(), ["0 retries left"]);
    /// ```
    #[track_caller]
    pub fn log(&self, level: Level, message: impl fmt::Display) {
        if self.is_enabled_for(level) {
            self.log_at(level, Location::caller(), format_args!("{message}"), None);
        }
    }

    /// Logs at DEBUG.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |level, line| l.lock().unwrap().push(format!("{level} {line}"))) };
    /// let log = get_logger("doc.debug");
    /// log.add_handler(sink);
    /// log.debug("skipped: the root starts at WARNING");
    /// log.set_level(Level::DEBUG);
    /// log.debug("cache miss");
    /// assert_eq!(*lines.lock().unwrap(), ["DEBUG cache miss"]);
    /// ```
    #[track_caller]
    pub fn debug(&self, message: impl fmt::Display) {
        self.log(Level::DEBUG, message);
    }

    /// Logs at INFO.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |level, line| l.lock().unwrap().push(format!("{level} {line}"))) };
    /// let log = get_logger("doc.info");
    /// log.add_handler(sink);
    /// log.set_level(Level::INFO);
    /// log.info("server started");
    /// assert_eq!(*lines.lock().unwrap(), ["INFO server started"]);
    /// ```
    #[track_caller]
    pub fn info(&self, message: impl fmt::Display) {
        self.log(Level::INFO, message);
    }

    /// Logs at WARNING.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |level, line| l.lock().unwrap().push(format!("{level} {line}"))) };
    /// let log = get_logger("doc.warning");
    /// log.add_handler(sink);
    /// log.warning(format_args!("disk {}% full", 91));
    /// assert_eq!(*lines.lock().unwrap(), ["WARNING disk 91% full"]);
    /// ```
    #[track_caller]
    pub fn warning(&self, message: impl fmt::Display) {
        self.log(Level::WARNING, message);
    }

    /// Logs at ERROR.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |level, line| l.lock().unwrap().push(format!("{level} {line}"))) };
    /// let log = get_logger("doc.error");
    /// log.add_handler(sink);
    /// log.error("connection lost");
    /// assert_eq!(*lines.lock().unwrap(), ["ERROR connection lost"]);
    /// ```
    #[track_caller]
    pub fn error(&self, message: impl fmt::Display) {
        self.log(Level::ERROR, message);
    }

    /// Logs at CRITICAL.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{get_logger, Level};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |level, line| l.lock().unwrap().push(format!("{level} {line}"))) };
    /// let log = get_logger("doc.critical");
    /// log.add_handler(sink);
    /// log.set_level(Level::CRITICAL);
    /// log.error("skipped");
    /// log.critical("out of memory");
    /// assert_eq!(*lines.lock().unwrap(), ["CRITICAL out of memory"]);
    /// ```
    #[track_caller]
    pub fn critical(&self, message: impl fmt::Display) {
        self.log(Level::CRITICAL, message);
    }

    /// Logs at ERROR with an error and its `source()` chain (Python's
    /// `logger.exception`).
    ///
    /// ```
    /// let e = std::io::Error::other("refused");
    /// lumber::get_logger("doc.exc").exception(&e, "could not connect");
    /// ```
    #[track_caller]
    pub fn exception(&self, error: &(dyn Error + 'static), message: impl fmt::Display) {
        if self.is_enabled_for(Level::ERROR) {
            self.log_at(
                Level::ERROR,
                Location::caller(),
                format_args!("{message}"),
                Some(error),
            );
        }
    }

    fn log_at(
        &self,
        level: Level,
        location: &Location<'_>,
        args: fmt::Arguments<'_>,
        error: Option<&(dyn Error + 'static)>,
    ) {
        let site = Site {
            module_path: "",
            file: location.file(),
            line: location.line(),
            template: "",
            function: Function::Unknown,
        };
        let context = crate::context::current_context();
        {
            let mut record = Record::new(self.name(), level, Message::Args(args))
                .with_site(&site)
                .with_context(context.as_ref());
            if let Some(error) = error {
                record = record.with_error(error);
            }
            self.handle(&record);
        }
    }
}

/// Hands a record to one logger's handlers; returns how many there were.
fn dispatch(state: &manager::NodeState, record: &Record<'_>) -> usize {
    for handler in &state.handlers {
        if record.level() >= handler.level() {
            handler.handle(record);
        }
    }
    state.handlers.len()
}

impl PartialEq for Logger {
    fn eq(&self, other: &Logger) -> bool {
        std::ptr::eq(self.node, other.node)
    }
}

impl Eq for Logger {}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Logger {} ({})>", self.name(), self.effective_level())
    }
}

static LAST_RESORT: LazyLock<ArcSwapOption<Handler>> = LazyLock::new(|| {
    ArcSwapOption::from_pointee(
        Handler::new(StreamHandler::stderr())
            .with_level(Level::WARNING)
            .with_formatter(Formatter::message_only())
            .with_name("lastResort"),
    )
});

/// Replaces the handler used when a record finds no handler at all
/// (Python's `logging.lastResort`: WARNING and above to stderr, message
/// only). `None` drops such records silently.
///
/// ```
/// lumber::set_last_resort(None);
/// lumber::get_logger("doc.nowhere").error("dropped: no handlers anywhere");
/// ```
pub fn set_last_resort(handler: Option<Arc<Handler>>) {
    LAST_RESORT.store(handler);
}

/// The logger of a call site, looked up once (the macros keep one per call
/// site).
#[doc(hidden)]
pub struct LazyLogger {
    name: &'static str,
    logger: OnceLock<Logger>,
}

impl LazyLogger {
    #[doc(hidden)]
    pub const fn new(name: &'static str) -> LazyLogger {
        LazyLogger {
            name,
            logger: OnceLock::new(),
        }
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn get(&self) -> &Logger {
        self.logger.get_or_init(|| get_logger(self.name))
    }
}
