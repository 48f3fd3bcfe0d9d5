//! Loggers: named nodes of a dotted hierarchy, Python's `Logger` and
//! `getLogger`.

mod bound;
mod manager;

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

/// `a::b::c` → `a.b.c`.
pub(crate) fn normalize_name(name: &str) -> String {
    name.replace("::", ".")
}

impl Logger {
    /// The dotted name (`root` for the root).
    pub fn name(&self) -> &'static str {
        &self.node.name
    }

    /// The logger's own level (NOTSET: defer to the parent).
    pub fn level(&self) -> Level {
        Level::new(self.node.level.load(Ordering::Relaxed))
    }

    /// Sets the level; takes effect for every logger below at once.
    pub fn set_level(&self, level: Level) {
        MANAGER.change_levels(|| self.node.level.store(level.value(), Ordering::Relaxed));
    }

    /// Python's `getEffectiveLevel`: this logger's level, or the first one
    /// set above it.
    pub fn effective_level(&self) -> Level {
        self.node.effective_level()
    }

    /// Would a record at `level` be logged? One relaxed atomic load: the
    /// gate is cached per logger and recomputed on every change.
    #[inline(always)]
    pub fn is_enabled_for(&self, level: Level) -> bool {
        level.value() >= self.node.threshold.load(Ordering::Relaxed)
    }

    /// Whether records propagate to the parent's handlers.
    pub fn propagate(&self) -> bool {
        self.node.state.load().propagate
    }

    /// Sets propagation (default true).
    pub fn set_propagate(&self, propagate: bool) {
        self.node.update(|s| s.propagate = propagate);
    }

    /// Whether the logger is disabled (it then logs nothing itself;
    /// records from children still pass through its handlers, as in
    /// Python).
    pub fn disabled(&self) -> bool {
        self.node.disabled.load(Ordering::Relaxed)
    }

    /// Disables or enables the logger.
    pub fn set_disabled(&self, disabled: bool) {
        MANAGER.change_levels(|| self.node.disabled.store(disabled, Ordering::Relaxed));
    }

    /// Adds a handler: a sink, a [`Handler`], or a shared `Arc<Handler>`.
    /// Returns the shared handler (to remove it later, or to share it).
    pub fn add_handler(&self, handler: impl IntoHandler) -> Arc<Handler> {
        let handler = handler.into_handler();
        self.node.update(|s| {
            if !s.handlers.iter().any(|h| Arc::ptr_eq(h, &handler)) {
                s.handlers.push(Arc::clone(&handler));
            }
        });
        handler
    }

    /// Removes a handler (the same `Arc`).
    pub fn remove_handler(&self, handler: &Arc<Handler>) {
        self.node
            .update(|s| s.handlers.retain(|h| !Arc::ptr_eq(h, handler)));
    }

    /// Removes every handler and returns them.
    pub fn clear_handlers(&self) -> Vec<Arc<Handler>> {
        let old = self.handlers();
        self.node.update(|s| s.handlers.clear());
        old
    }

    /// The handlers on this logger itself.
    pub fn handlers(&self) -> Vec<Arc<Handler>> {
        self.node.state.load().handlers.clone()
    }

    /// Python's `hasHandlers`: does this logger or any ancestor it
    /// propagates to have handlers?
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
    pub fn add_filter(&self, filter: impl Filter) -> Arc<dyn Filter> {
        let filter: Arc<dyn Filter> = Arc::new(filter);
        self.node.update(|s| s.filters.push(Arc::clone(&filter)));
        filter
    }

    /// Removes a filter (the `Arc` that [`Logger::add_filter`] returned).
    pub fn remove_filter(&self, filter: &Arc<dyn Filter>) {
        self.node
            .update(|s| s.filters.retain(|f| !Arc::ptr_eq(f, filter)));
    }

    /// The filters on this logger.
    pub fn filters(&self) -> Vec<Arc<dyn Filter>> {
        self.node.state.load().filters.clone()
    }

    /// The parent logger (`None` for the root).
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
    pub fn handle(&self, record: &Record<'_>) {
        if self.node.disabled.load(Ordering::Relaxed) {
            return;
        }
        if !self
            .node
            .state
            .load()
            .filters
            .iter()
            .all(|f| f.filter(record))
        {
            return;
        }
        self.call_handlers(record);
    }

    /// Python's `callHandlers`: each handler from here up to the first
    /// logger that does not propagate; the last-resort handler if there
    /// were none at all.
    fn call_handlers(&self, record: &Record<'_>) {
        let mut found = 0usize;
        let mut node = Some(self.node);
        while let Some(n) = node {
            let state = n.state.load();
            for handler in &state.handlers {
                found += 1;
                if record.level() >= handler.level() {
                    handler.handle(record);
                }
            }
            node = if state.propagate { state.parent } else { None };
        }
        if found == 0 {
            if let Some(last) = LAST_RESORT.load().as_ref() {
                if record.level() >= last.level() {
                    last.handle(record);
                }
            }
        }
    }

    /// Logs `message` at `level` (for code that does not use the macros;
    /// the macros avoid formatting disabled records and capture more of the
    /// call site).
    #[track_caller]
    pub fn log(&self, level: Level, message: impl fmt::Display) {
        if self.is_enabled_for(level) {
            self.log_at(level, Location::caller(), format_args!("{message}"), None);
        }
    }

    /// Logs at DEBUG.
    #[track_caller]
    pub fn debug(&self, message: impl fmt::Display) {
        self.log(Level::DEBUG, message);
    }

    /// Logs at INFO.
    #[track_caller]
    pub fn info(&self, message: impl fmt::Display) {
        self.log(Level::INFO, message);
    }

    /// Logs at WARNING.
    #[track_caller]
    pub fn warning(&self, message: impl fmt::Display) {
        self.log(Level::WARNING, message);
    }

    /// Logs at ERROR.
    #[track_caller]
    pub fn error(&self, message: impl fmt::Display) {
        self.log(Level::ERROR, message);
    }

    /// Logs at CRITICAL.
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
        crate::context::with_current_context(|context| {
            let mut record = Record::new(self.name(), level, Message::Args(args))
                .with_site(&site)
                .with_context(context);
            if let Some(error) = error {
                record = record.with_error(error);
            }
            self.handle(&record);
        });
    }
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
