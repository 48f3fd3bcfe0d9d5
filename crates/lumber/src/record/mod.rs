//! The record: everything Python's `LogRecord` carries that makes sense in
//! Rust, borrowed from the call site so that building one costs no
//! allocation; and its owned form, for queues.

mod owned;
mod site;
mod thread;

use std::error::Error;
use std::fmt;
use std::sync::Arc;

pub use owned::OwnedRecord;
pub use site::{Function, Site, Timestamp};
use thread::process;
pub(crate) use thread::{mark_start, thread_id, thread_name};

use crate::context::ContextFrame;
use crate::format::pyfmt::PyValue;
use crate::level::Level;
use crate::value::{OwnedValue, Value};

/// A record's message: a format string with its arguments, or plain text.
///
/// ```
/// use lumber::Message;
/// assert_eq!(Message::Str("ready").to_string(), "ready");
/// assert_eq!(Message::Args(format_args!("{} + {}", 1, 2)).to_string(), "1 + 2");
/// ```
/// Read it with [`Message::as_str`], [`Message::write_to`] or `Display`:
/// the macros make variants that code outside lumber cannot name.
#[derive(Copy, Clone)]
#[non_exhaustive]
pub enum Message<'a> {
    /// `format_args!` output, formatted only if a handler needs it.
    Args(fmt::Arguments<'a>),
    /// Text already made.
    Str(&'a str),
    /// What the macros make of a format string whose placeholders are all
    /// plain `{}`: the text pieces and the arguments by reference, formatted
    /// only if a handler needs it, and then without `fmt::Formatter` for
    /// integers, strings, booleans and chars (the same text, faster).
    Parts(crate::deferred::Parts<'a>),
}

impl<'a> Message<'a> {
    /// The text, when it needs no formatting.
    ///
    /// ```
    /// use lumber::Message;
    /// assert_eq!(Message::Str("ready").as_str(), Some("ready"));
    /// let n = std::hint::black_box(3);
    /// assert_eq!(Message::Args(format_args!("n={n}")).as_str(), None);
    /// ```
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Message::Args(args) => args.as_str(),
            Message::Str(s) => Some(s),
            Message::Parts(parts) => parts.as_str(),
        }
    }

    /// Appends the text to `out`.
    ///
    /// ```
    /// let mut out = String::from("> ");
    /// lumber::Message::Args(format_args!("{} + {}", 1, 2)).write_to(&mut out);
    /// assert_eq!(out, "> 1 + 2");
    /// ```
    #[inline]
    pub fn write_to(&self, out: &mut String) {
        match self {
            Message::Str(s) => out.push_str(s),
            Message::Parts(parts) => parts.write_to(out),
            Message::Args(args) => match args.as_str() {
                Some(s) => out.push_str(s),
                None => {
                    let _ = fmt::Write::write_fmt(out, *args);
                }
            },
        }
    }
}

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Args(args) => match args.as_str() {
                Some(s) => f.write_str(s),
                None => fmt::Write::write_fmt(f, *args),
            },
            Message::Str(s) => f.write_str(s),
            Message::Parts(parts) => fmt::Display::fmt(parts, f),
        }
    }
}

impl fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

/// One log record.
///
/// Built by the macros on the calling thread after the level check; every
/// piece is borrowed, so nothing is allocated until a handler formats it.
/// Code that makes records by hand starts from [`Record::new`].
///
/// ```
/// use lumber::{Level, Message, Record};
/// let r = Record::new("app.db", Level::INFO, Message::Str("connected"));
/// assert_eq!(r.logger(), "app.db");
/// assert_eq!(r.message().to_string(), "connected");
/// ```
#[derive(Clone, Copy)]
pub struct Record<'a> {
    logger: &'a str,
    level: Level,
    message: Message<'a>,
    site: &'a Site<'a>,
    time: Timestamp,
    fields: &'a [(&'a str, Value<'a>)],
    bound: &'a [(Box<str>, OwnedValue)],
    context: Option<&'a Arc<ContextFrame>>,
    static_site: Option<&'static Site<'static>>,
    error: Option<&'a (dyn Error + 'static)>,
    exc_text: Option<&'a str>,
    stack_info: Option<&'a str>,
    thread_id: u64,
    thread_name: Option<&'a str>,
    process_id: Option<u32>,
    process_name: Option<&'a str>,
    msecs: Option<f64>,
    relative_created: Option<f64>,
    python: &'a [(&'a str, PyValue)],
}

impl<'a> Record<'a> {
    /// A record made now on the calling thread, with an unknown site.
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::ERROR, lumber::Message::Str("m"));
    /// assert_eq!(r.level(), lumber::Level::ERROR);
    /// ```
    pub fn new(logger: &'a str, level: Level, message: Message<'a>) -> Record<'a> {
        // Python's `_startTime` is set when logging is imported; ours when
        // the first record (or logger) is made, so `relativeCreated` >= 0.
        process();
        Record {
            logger,
            level,
            message,
            site: &Site::UNKNOWN,
            time: crate::queue::wall_now(),
            fields: &[],
            bound: &[],
            context: None,
            static_site: Some(&Site::UNKNOWN),
            error: None,
            exc_text: None,
            stack_info: None,
            thread_id: thread_id(),
            thread_name: None,
            process_id: None,
            process_name: None,
            msecs: None,
            relative_created: None,
            python: &[],
        }
    }

    /// The time and thread of a record made now on this thread, for
    /// [`Record::from_call`].
    #[inline]
    pub(crate) fn made_here() -> (Timestamp, u64, Option<&'static str>) {
        // Python's `_startTime` is set when logging is imported; ours when
        // the first record (or logger) is made, so `relativeCreated` >= 0.
        process();
        (crate::queue::wall_now(), thread_id(), None)
    }

    /// A record made by the macros: every piece set at once, built in
    /// place (the builder methods move the record at each step). `made`
    /// is its time and thread: [`Record::made_here`], or those of a call
    /// made earlier on another thread (the fast path's records, rebuilt on
    /// the listener).
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(crate) fn from_call(
        logger: &'a str,
        level: Level,
        message: Message<'a>,
        site: &'static Site<'static>,
        fields: &'a [(&'a str, Value<'a>)],
        bound: &'a [(Box<str>, OwnedValue)],
        context: Option<&'a Arc<ContextFrame>>,
        error: Option<&'a (dyn Error + 'static)>,
        stack_info: Option<&'a str>,
        made: (Timestamp, u64, Option<&'a str>),
    ) -> Record<'a> {
        let (time, thread_id, thread_name) = made;
        Record {
            logger,
            level,
            message,
            site,
            time,
            fields,
            bound,
            context,
            static_site: Some(site),
            error,
            exc_text: None,
            stack_info,
            thread_id,
            thread_name,
            process_id: None,
            process_name: None,
            msecs: None,
            relative_created: None,
            python: &[],
        }
    }

    /// Sets the call site.
    ///
    /// ```
    /// static SITE: lumber::Site = lumber::Site { line: 7, ..lumber::Site::UNKNOWN };
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_site(&SITE);
    /// assert_eq!(r.site().line, 7);
    /// ```
    pub fn with_site(mut self, site: &'a Site<'a>) -> Self {
        self.site = site;
        self.static_site = None;
        self
    }

    /// Sets a call site that lives for the whole program (the macros'
    /// statics), so that an owned copy of the record can point to it
    /// instead of copying it.
    ///
    /// ```
    /// static SITE: lumber::Site = lumber::Site { line: 3, ..lumber::Site::UNKNOWN };
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_static_site(&SITE);
    /// assert_eq!(r.site().line, 3);
    /// ```
    pub fn with_static_site(mut self, site: &'static Site<'static>) -> Self {
        self.site = site;
        self.static_site = Some(site);
        self
    }

    /// Sets the creation time.
    ///
    /// ```
    /// let t = lumber::Timestamp::new(5, 0);
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_time(t);
    /// assert_eq!(r.time(), t);
    /// ```
    pub fn with_time(mut self, time: Timestamp) -> Self {
        self.time = time;
        self
    }

    /// Sets the call-site key-value fields.
    ///
    /// ```
    /// use lumber::Value;
    /// let fields = [("user", Value::from(7))];
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_fields(&fields);
    /// assert_eq!(r.field("user").unwrap().to_string(), "7");
    /// ```
    pub fn with_fields(mut self, fields: &'a [(&'a str, Value<'a>)]) -> Self {
        self.fields = fields;
        self
    }

    /// Sets fields bound to the logger (see [`crate::BoundLogger`]).
    ///
    /// ```
    /// let bound = vec![("svc".into(), lumber::OwnedValue::from("api"))];
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_bound(&bound);
    /// assert_eq!(r.field("svc").unwrap().to_string(), "api");
    /// ```
    pub fn with_bound(mut self, bound: &'a [(Box<str>, OwnedValue)]) -> Self {
        self.bound = bound;
        self
    }

    /// Sets the scoped context the record carries.
    ///
    /// ```
    /// let _g = lumber::push_context(vec![("req".into(), 9.into())]);
    /// let ctx = lumber::current_context();
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_context(ctx.as_ref());
    /// assert_eq!(r.field("req").unwrap().to_string(), "9");
    /// ```
    pub fn with_context(mut self, context: Option<&'a Arc<ContextFrame>>) -> Self {
        self.context = context;
        self
    }

    /// Attaches an error; its `source()` chain is rendered after the message.
    ///
    /// ```
    /// let e = std::io::Error::other("disk on fire");
    /// let r = lumber::Record::new("x", lumber::Level::ERROR, lumber::Message::Str("m")).with_error(&e);
    /// assert!(r.error().is_some());
    /// ```
    pub fn with_error(mut self, error: &'a (dyn Error + 'static)) -> Self {
        self.error = Some(error);
        self
    }

    /// Sets already-rendered error text (Python's `exc_text`).
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::ERROR, lumber::Message::Str("m"))
    ///     .with_exc_text("Traceback ...");
    /// assert_eq!(r.exc_text(), Some("Traceback ..."));
    /// ```
    pub fn with_exc_text(mut self, text: &'a str) -> Self {
        self.exc_text = Some(text);
        self
    }

    /// Sets the stack text (Python's `stack_info`), shown after the message.
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"))
    ///     .with_stack_info("Stack (most recent call last):\n  ...");
    /// assert!(r.stack_info().is_some());
    /// ```
    pub fn with_stack_info(mut self, stack: &'a str) -> Self {
        self.stack_info = Some(stack);
        self
    }

    /// Sets the thread (id and name) instead of the calling thread.
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_thread(7, "worker");
    /// assert_eq!(r.thread_id(), 7);
    /// r.with_thread_name(|n| assert_eq!(n, "worker"));
    /// ```
    pub fn with_thread(mut self, id: u64, name: &'a str) -> Self {
        self.thread_id = id;
        self.thread_name = Some(name);
        self
    }

    /// Sets the process (id and name) instead of this process.
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_process(1, "init");
    /// assert_eq!((r.process_id(), r.process_name()), (1, "init"));
    /// ```
    pub fn with_process(mut self, id: u32, name: &'a str) -> Self {
        self.process_id = Some(id);
        self.process_name = Some(name);
        self
    }

    /// Overrides `msecs` and `relativeCreated` (records that come from
    /// elsewhere, such as Python's, carry their own).
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"))
    ///     .with_python_times(Some(5.0), Some(12.5));
    /// assert_eq!((r.msecs(), r.relative_created()), (5.0, 12.5));
    /// ```
    pub fn with_python_times(mut self, msecs: Option<f64>, relative_created: Option<f64>) -> Self {
        self.msecs = msecs;
        self.relative_created = relative_created;
        self
    }

    /// Sets attribute values by their Python names, for records that come
    /// from Python (`lumber pipe`): a formatter shows these instead of what
    /// it would derive (`levelname`, `filename`, `funcName` as `None`, an
    /// integer `created`, extra keys...), with Python's own `str()` and
    /// format rules. `message` and `asctime` are always computed, as Python
    /// does.
    ///
    /// ```
    /// use lumber::{Format, Formatter, Level, Message, Record, python::PyValue};
    /// let attrs = [("levelname", PyValue::Str("NOTICE".into())), ("funcName", PyValue::None)];
    /// let r = Record::new("x", Level::new(25), Message::Str("m")).with_python_attrs(&attrs);
    /// let mut out = String::new();
    /// Formatter::new("%(levelname)s %(funcName)s").unwrap().format(&r, &mut out);
    /// assert_eq!(out, "NOTICE None");
    /// ```
    pub fn with_python_attrs(mut self, attrs: &'a [(&'a str, PyValue)]) -> Self {
        self.python = attrs;
        self
    }

    /// All attributes set with [`Record::with_python_attrs`].
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"));
    /// assert!(r.python_attrs().is_empty());
    /// ```
    pub fn python_attrs(&self) -> &'a [(&'a str, PyValue)] {
        self.python
    }

    /// An attribute set with [`Record::with_python_attrs`].
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"));
    /// assert!(r.python_attr("levelname").is_none());
    /// ```
    pub fn python_attr(&self, name: &str) -> Option<&'a PyValue> {
        if self.python.is_empty() {
            return None;
        }
        self.python.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The message, if it is text already and the record has no error or
    /// stack text: then a message-only formatter's line is this text.
    #[inline]
    pub(crate) fn plain_message(&self) -> Option<&'a str> {
        match self.message {
            Message::Str(s)
                if self.error.is_none() && self.exc_text.is_none() && self.stack_info.is_none() =>
            {
                Some(s)
            }
            _ => None,
        }
    }

    /// Python's `QueueHandler.prepare` on a borrowed record: `line` as
    /// the message, no error, no stack.
    pub(crate) fn prepared(&self, line: &'a str) -> Record<'a> {
        let mut r = *self;
        r.message = Message::Str(line);
        r.error = None;
        r.exc_text = None;
        r.stack_info = None;
        r
    }

    pub(crate) fn thread_name_override(&self) -> Option<&'a str> {
        self.thread_name
    }

    pub(crate) fn process_override(&self) -> Option<(u32, &'a str)> {
        self.process_id.zip(self.process_name)
    }

    pub(crate) fn msecs_override(&self) -> Option<f64> {
        self.msecs
    }

    pub(crate) fn relative_created_override(&self) -> Option<f64> {
        self.relative_created
    }

    /// The logger's name (Python's `name`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let r = Record::new("app.db", Level::INFO, Message::Str("m"));
    /// assert_eq!(r.logger(), "app.db");
    /// ```
    pub fn logger(&self) -> &'a str {
        self.logger
    }

    /// The level.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let r = Record::new("x", Level::WARNING, Message::Str("m"));
    /// assert_eq!(r.level(), Level::WARNING);
    /// ```
    pub fn level(&self) -> Level {
        self.level
    }

    /// The message, formatted on demand.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let n = 3;
    /// let text = Record::new("x", Level::INFO, Message::Args(format_args!("{n} items"))).message().to_string();
    /// assert_eq!(text, "3 items");
    /// ```
    pub fn message(&self) -> Message<'a> {
        self.message
    }

    /// The call site if it lives for the whole program.
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"));
    /// assert!(r.static_site().is_some()); // Site::UNKNOWN
    /// ```
    pub fn static_site(&self) -> Option<&'static Site<'static>> {
        self.static_site
    }

    /// The call site.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// static SITE: lumber::Site = lumber::Site { line: 42, ..lumber::Site::UNKNOWN };
    /// let r = Record::new("x", Level::INFO, Message::Str("m"));
    /// assert_eq!(r.site().line, 0); // unknown until set
    /// assert_eq!(r.with_site(&SITE).site().line, 42);
    /// ```
    pub fn site(&self) -> &'a Site<'a> {
        self.site
    }

    /// Creation time.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let t = lumber::Timestamp::new(1_700_000_000, 0);
    /// let r = Record::new("x", Level::INFO, Message::Str("m")).with_time(t);
    /// assert_eq!(r.time().seconds(), 1_700_000_000);
    /// ```
    pub fn time(&self) -> Timestamp {
        self.time
    }

    /// Python's `msecs`: the milliseconds part of `created` (Python 3.11:
    /// `int((created - int(created)) * 1000) + 0.0`).
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"))
    ///     .with_time(lumber::Timestamp::from_f64(100.0456));
    /// assert_eq!(r.msecs(), 45.0);
    /// ```
    pub fn msecs(&self) -> f64 {
        // Python takes the milliseconds of the float `created`; lumber
        // has the exact nanoseconds, which agree with Python except where
        // the float itself rounded across a millisecond.
        self.msecs
            .unwrap_or_else(|| f64::from(self.time.nanos() / 1_000_000))
    }

    /// Python's `relativeCreated`: milliseconds since lumber started.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let r = Record::new("x", Level::INFO, Message::Str("m")).with_python_times(None, Some(1500.0));
    /// assert_eq!(r.relative_created(), 1500.0);
    /// ```
    pub fn relative_created(&self) -> f64 {
        self.relative_created
            .unwrap_or_else(|| (self.time.as_f64() - process().start.as_f64()) * 1000.0)
    }

    /// Call-site fields.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let fields = [("user", lumber::Value::from(7))];
    /// let r = Record::new("x", Level::INFO, Message::Str("m")).with_fields(&fields);
    /// assert_eq!(r.fields()[0].0, "user");
    /// assert_eq!(r.fields()[0].1.to_string(), "7");
    /// ```
    pub fn fields(&self) -> &'a [(&'a str, Value<'a>)] {
        self.fields
    }

    /// Fields bound to the logger.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let log = lumber::get_logger("doc.record_bound").bind("svc", "api");
    /// let r = Record::new("x", Level::INFO, Message::Str("m")).with_bound(log.fields());
    /// assert_eq!(&*r.bound()[0].0, "svc");
    /// ```
    pub fn bound(&self) -> &'a [(Box<str>, OwnedValue)] {
        self.bound
    }

    /// The scoped context, innermost frame first.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let _g = lumber::push_context(lumber::fields!(req = 9));
    /// let ctx = lumber::current_context();
    /// let r = Record::new("x", Level::INFO, Message::Str("m")).with_context(ctx.as_ref());
    /// assert_eq!(r.context().unwrap().get("req").unwrap().to_string(), "9");
    /// ```
    pub fn context(&self) -> Option<&'a ContextFrame> {
        self.context.map(|c| &**c)
    }

    /// The scoped context, shared (to keep it beyond the record).
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"));
    /// assert!(r.context_arc().is_none());
    /// ```
    pub fn context_arc(&self) -> Option<&'a Arc<ContextFrame>> {
        self.context
    }

    /// Looks a field up by key: call-site fields first, then bound fields,
    /// then the context from the innermost scope outwards.
    ///
    /// ```
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m"));
    /// assert!(r.field("nope").is_none());
    /// ```
    pub fn field(&self, key: &str) -> Option<Value<'a>> {
        if let Some((_, v)) = self.fields.iter().find(|(k, _)| *k == key) {
            return Some(*v);
        }
        if let Some((_, v)) = self.bound.iter().find(|(k, _)| &**k == key) {
            return Some(v.as_value());
        }
        self.context.and_then(|c| c.get(key))
    }

    /// Calls `f` with every field, call site first, then bound, then
    /// context (innermost first). A key that appears more than once is
    /// visited each time; the first visit is the one [`Record::field`]
    /// returns.
    ///
    /// ```
    /// let fields = [("a", lumber::Value::from(1))];
    /// let r = lumber::Record::new("x", lumber::Level::INFO, lumber::Message::Str("m")).with_fields(&fields);
    /// let mut keys = Vec::new();
    /// r.for_each_field(|k, _| keys.push(k.to_owned()));
    /// assert_eq!(keys, ["a"]);
    /// ```
    pub fn for_each_field(&self, mut f: impl FnMut(&str, Value<'_>)) {
        for (k, v) in self.fields {
            f(k, *v);
        }
        for (k, v) in self.bound {
            f(k, v.as_value());
        }
        let mut frame = self.context();
        while let Some(c) = frame {
            for (k, v) in c.fields() {
                f(k, v.as_value());
            }
            frame = c.parent();
        }
    }

    /// The attached error, if any.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let e = std::io::Error::other("disk on fire");
    /// let r = Record::new("x", Level::ERROR, Message::Str("m"));
    /// assert!(r.error().is_none());
    /// assert_eq!(r.with_error(&e).error().unwrap().to_string(), "disk on fire");
    /// ```
    pub fn error(&self) -> Option<&'a (dyn Error + 'static)> {
        self.error
    }

    /// Pre-rendered error text, if any (Python's `exc_text`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let r = Record::new("x", Level::ERROR, Message::Str("m"));
    /// assert_eq!(r.exc_text(), None);
    /// assert_eq!(r.with_exc_text("Traceback ...").exc_text(), Some("Traceback ..."));
    /// ```
    pub fn exc_text(&self) -> Option<&'a str> {
        self.exc_text
    }

    /// Stack text, if any (Python's `stack_info`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let r = Record::new("x", Level::INFO, Message::Str("m"));
    /// assert_eq!(r.stack_info(), None);
    /// assert_eq!(r.with_stack_info("Stack ...").stack_info(), Some("Stack ..."));
    /// ```
    pub fn stack_info(&self) -> Option<&'a str> {
        self.stack_info
    }

    /// The thread id (the OS thread id on Linux).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let here = Record::new("x", Level::INFO, Message::Str("m")).thread_id();
    /// let there = std::thread::spawn(|| Record::new("x", Level::INFO, Message::Str("m")).thread_id());
    /// assert_ne!(here, there.join().unwrap());
    /// ```
    pub fn thread_id(&self) -> u64 {
        self.thread_id
    }

    /// Calls `f` with the thread's name (Python's `threadName`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let worker = std::thread::Builder::new().name("worker-1".into());
    /// let name = worker
    ///     .spawn(|| Record::new("x", Level::INFO, Message::Str("m")).with_thread_name(|n| n.to_owned()))
    ///     .unwrap();
    /// assert_eq!(name.join().unwrap(), "worker-1");
    /// ```
    pub fn with_thread_name<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match self.thread_name {
            Some(name) => f(name),
            None => f(&thread_name()),
        }
    }

    /// The process id (Python's `process`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let r = Record::new("x", Level::INFO, Message::Str("m"));
    /// assert_eq!(r.process_id(), std::process::id());
    /// ```
    pub fn process_id(&self) -> u32 {
        self.process_id.unwrap_or_else(|| process().id)
    }

    /// The process name (Python's `processName`): the program's name.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record};
    /// let r = Record::new("x", Level::INFO, Message::Str("m"));
    /// let program = std::env::args().next().unwrap();
    /// assert!(program.ends_with(r.process_name()));
    /// assert_eq!(r.with_process(1, "init").process_name(), "init");
    /// ```
    pub fn process_name(&self) -> &'a str {
        match self.process_name {
            Some(name) => name,
            None => &process().name,
        }
    }
}

impl fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("logger", &self.logger)
            .field("level", &self.level)
            .field("message", &self.message)
            .field("file", &self.site.file)
            .field("line", &self.site.line)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msecs_follows_python_311() {
        // python3 -c 'ct=1700000000.9995; print(int((ct-int(ct))*1000)+0.0)' -> 999.0
        let r = Record::new("x", Level::INFO, Message::Str("m"))
            .with_time(Timestamp::from_f64(1700000000.9995));
        assert_eq!(r.msecs(), 999.0);
    }
}
