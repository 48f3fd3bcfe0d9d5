//! # lumber
//!
//! Python's `logging`, for Rust: named loggers in a dotted hierarchy with
//! levels and propagation, handlers, formatters that print exactly what
//! CPython prints, filters, bound loggers and scoped context, and
//! `basic_config`.
//!
//! ```
//! use lumber::{basic_config, get_logger, info, warning, Level};
//!
//! let _guard = basic_config()
//!     .level(Level::INFO)
//!     .format("%(asctime)s %(levelname)-8s %(name)s: %(message)s")
//!     .init()
//!     .expect("logging setup");
//!
//! info!("starting");                                 // logger named after this module
//! let db = get_logger("app.db");
//! warning!(logger: db, retries = 3; "slow query: {} ms", 1200);
//! ```
//!
//! A disabled call costs one relaxed atomic load: the effective level of
//! each logger is cached and recomputed whenever any level changes, and the
//! macros evaluate nothing before that check.
//!
//! ## Map
//! - Levels: [`Level`], [`add_level_name`].
//! - Loggers: [`get_logger`], [`root`], [`Logger`], [`BoundLogger`],
//!   [`disable`], [`set_last_resort`].
//! - Records: [`Record`], [`Site`], [`Message`], [`Value`], [`ToValue`].
//! - Handlers: [`Handler`], [`Sink`], [`from_fn`], [`StreamHandler`],
//!   [`FileHandler`], [`NullHandler`], [`ErrorPolicy`]; with their cargo
//!   features, `RotatingFileHandler`, `TimedRotatingFileHandler`,
//!   `WatchedFileHandler` (`rotating`), `SysLogHandler` (`syslog`),
//!   `JournaldHandler` (`journald`).
//! - Formatters: [`Formatter`] (Python's three styles, `escape`),
//!   [`JsonFormatter`], [`LogfmtFormatter`], [`ConsoleFormatter`]
//!   ([`ColorChoice`]), [`Format`].
//! - Filters: [`Filter`], [`NameFilter`], [`LevelFilter`].
//! - Context: [`push_context`], [`with_context`], [`fields!`], and for
//!   futures [`ContextExt::in_context`].
//! - The `log` and `tracing` facades: [`bridge`].
//! - Asynchronous logging: [`Queue`], [`QueueHandler`], [`QueueListener`]
//!   (with the fast path), [`MemoryHandler`], [`TimeSource`].
//! - Setup and teardown: [`basic_config`], [`Directives`] (`RUST_LOG`-style
//!   level strings), [`shutdown`], [`flush`],
//!   [`install_panic_hook`].
//! - Macros: [`trace!`], [`debug!`], [`info!`], [`warning!`], [`warn!`],
//!   [`error!`], [`critical!`], [`exception!`], [`log!`].

pub mod bridge;
pub mod config;
mod context;
mod deferred;
mod filter;
mod format;
mod handler;
mod level;
mod logger;
mod macros;
mod panic;
mod queue;
mod record;
mod shutdown;
mod value;

pub use config::{BasicConfig, ConfigError, Directives, Stream, basic_config, init};
pub use context::{
    ContextExt, ContextFrame, ContextGuard, InContext, current_context, push_context, with_context,
    with_current_context,
};
pub use filter::{Filter, LevelFilter, NameFilter};
pub use format::{
    Color, ColorChoice, ConsoleFormatter, ConsoleStyle, Format, Formatter, JsonFormatter,
    LogfmtFormatter, PatternError, Style, TimeFormat, TimePrecision, write_error_chain,
};
#[cfg(feature = "journald")]
#[allow(unused_imports)]
pub use handler::journald::*;
#[cfg(feature = "rotating")]
#[allow(unused_imports)]
pub use handler::rotating::*;
#[cfg(feature = "syslog")]
#[allow(unused_imports)]
pub use handler::syslog::*;
pub use handler::{
    Destination, ErrorPolicy, FileHandler, FileOptions, FnSink, Handler, HandlerError, IntoHandler,
    NullHandler, Sink, StreamHandler, from_fn,
};
pub use level::{Level, ParseLevelError, add_level_name};
pub use logger::{
    AsLogger, BoundLogger, Logger, disable, disabled_level, get_logger, loggers, root,
    set_last_resort,
};
pub use panic::install_panic_hook;
pub use queue::{
    Listener, MemoryHandler, Overflow, Queue, QueueHandler, QueueListener, TimeSource,
    set_time_source, time_source,
};
pub use record::{Function, Message, OwnedRecord, Record, Site, Timestamp};
pub use shutdown::{InitGuard, flush, shutdown};
pub use value::{OwnedFields, OwnedValue, ToValue, Value};

/// Python's own formatting rules, for tools that handle records made by
/// Python programs (the `lumber pipe` command): `msg % args`, `repr()`,
/// and the printf and format-spec mini-languages.
pub mod python {
    pub use crate::format::pyfmt::{
        FormatSpec, PercentSpec, PyFmtError, PyValue, percent_format, py_repr, py_str, repr_float,
        repr_str,
    };
}

/// Python's `BASIC_FORMAT`, `%(levelname)s:%(name)s:%(message)s`.
///
/// ```
/// use lumber::{Format, Formatter, Level, Message, Record, BASIC_FORMAT};
/// let mut out = String::new();
/// Formatter::new(BASIC_FORMAT).unwrap().format(&Record::new("app", Level::INFO, Message::Str("hi")), &mut out);
/// assert_eq!(out, "INFO:app:hi");
/// ```
pub const BASIC_FORMAT: &str = format::BASIC_FORMAT;

/// Calls below this level compile to nothing; set by the `max_level_*`
/// features (default: nothing is compiled out).
///
/// ```
/// assert!(lumber::STATIC_MIN_LEVEL <= lumber::Level::INFO);
/// ```
pub const STATIC_MIN_LEVEL: Level = if cfg!(feature = "max_level_off") {
    Level::OFF
} else if cfg!(feature = "max_level_error") {
    Level::ERROR
} else if cfg!(feature = "max_level_warning") {
    Level::WARNING
} else if cfg!(feature = "max_level_info") {
    Level::INFO
} else if cfg!(feature = "max_level_debug") {
    Level::DEBUG
} else {
    Level::NOTSET
};

/// What the macros expand to. Not public API.
#[doc(hidden)]
pub mod __private {
    use std::error::Error;

    use crate::Level;
    pub use crate::deferred::{
        Arg, DecodeFn, Encode, Reader, SizedWriter, Slot, SlotEncode, SlotFormat, Writer,
    };
    pub use crate::deferred::{
        Part, Parts, SlotPart, SlotPartFallback, SlotWrite, SlotWriteFallback, push_short,
    };
    pub use crate::logger::{AsLogger, LazyLogger};
    pub use crate::queue::defer;
    /// The records' clock, for the benchmarks' breakdown.
    pub use crate::queue::wall_now;
    use crate::record::{Message, Record, Site};
    use crate::value::{OwnedFields, Value};
    pub use lumber_macros::{encode_message, sync_message};

    /// Lets `error: e` take an error by value, by reference, or boxed.
    pub trait AsError {
        fn as_dyn_error(&self) -> &(dyn Error + 'static);
    }

    impl<E: Error + 'static> AsError for E {
        fn as_dyn_error(&self) -> &(dyn Error + 'static) {
            self
        }
    }

    impl AsError for dyn Error + 'static {
        fn as_dyn_error(&self) -> &(dyn Error + 'static) {
            self
        }
    }

    impl AsError for dyn Error + Send + Sync + 'static {
        fn as_dyn_error(&self) -> &(dyn Error + 'static) {
            self
        }
    }

    /// Builds and dispatches a record; called only after the level check.
    pub fn log<L: AsLogger + ?Sized>(
        logger: &L,
        level: Level,
        site: &'static Site<'static>,
        message: Message<'_>,
        fields: &[(&str, Value<'_>)],
        error: Option<&(dyn Error + 'static)>,
        stack_info: bool,
    ) {
        let stack = stack_info.then(|| {
            format!(
                "Stack (most recent call last):\n{}",
                std::backtrace::Backtrace::force_capture()
            )
        });
        let context = crate::context::current_context();
        let record = Record::from_call(
            logger.as_logger().name(),
            level,
            message,
            site,
            fields,
            logger.bound_fields(),
            context.as_ref(),
            error,
            stack.as_deref(),
            Record::made_here(),
        );
        logger.as_logger().handle(&record);
    }

    /// `fields!` output.
    pub fn owned_fields(fields: &[(&str, Value<'_>)]) -> OwnedFields {
        fields
            .iter()
            .map(|(k, v)| (Box::from(*k), v.to_owned()))
            .collect()
    }
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
