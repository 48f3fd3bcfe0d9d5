//! Python's `logging.Formatter`: a pattern in one of Python's three styles,
//! compiled once, rendering every record byte-identical to CPython.

use std::borrow::Cow;
use std::fmt::{self, Write};

use super::asctime::{self, SecondCache};
use super::pyfmt::{self, FormatSpec, PercentSpec, PyFmtError, PyValue};
use super::strftime::{Strftime, Zone};
use super::{Format, write_error_and_stack};
use crate::deferred::push_short;
use crate::record::Record;
use crate::value::{OwnedValue, Value};

/// The pattern syntax, Python's `style` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// `%(name)s` — printf style with flags, width, precision (`%`).
    #[default]
    Percent,
    /// `{name:>10}` — `str.format` style (`{`).
    Brace,
    /// `$name` / `${name}` — `string.Template` style (`$`).
    Dollar,
}

impl Style {
    /// Python's style character: `%`, `{` or `$`.
    ///
    /// ```
    /// assert_eq!(lumber::Style::from_char('{'), Some(lumber::Style::Brace));
    /// ```
    pub fn from_char(c: char) -> Option<Style> {
        match c {
            '%' => Some(Style::Percent),
            '{' => Some(Style::Brace),
            '$' => Some(Style::Dollar),
            _ => None,
        }
    }

    /// The style character.
    pub fn as_char(self) -> char {
        match self {
            Style::Percent => '%',
            Style::Brace => '{',
            Style::Dollar => '$',
        }
    }
}

/// An invalid pattern: which field (or position) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pattern: String,
    position: usize,
    field: Option<String>,
    reason: String,
}

impl PatternError {
    fn new(
        pattern: &str,
        position: usize,
        field: Option<&str>,
        reason: impl Into<String>,
    ) -> PatternError {
        PatternError {
            pattern: pattern.to_owned(),
            position,
            field: field.map(str::to_owned),
            reason: reason.into(),
        }
    }

    /// The field the error is about, if it is about one.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// Byte offset in the pattern.
    pub fn position(&self) -> usize {
        self.position
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid format {:?}", self.pattern)?;
        if let Some(field) = &self.field {
            write!(f, ", field '{field}'")?;
        } else {
            write!(f, " at offset {}", self.position)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for PatternError {}

/// A record attribute, by Python's name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Attr {
    Name,
    Levelno,
    Levelname,
    Pathname,
    Filename,
    Module,
    ModulePath,
    Lineno,
    FuncName,
    Created,
    Msecs,
    RelativeCreated,
    Thread,
    ThreadName,
    Process,
    ProcessName,
    Message,
    Msg,
    Asctime,
    ExcText,
    StackInfo,
    Field(Box<str>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Float,
    Any,
}

impl Attr {
    fn parse(name: &str) -> Attr {
        match name {
            "name" => Attr::Name,
            "levelno" => Attr::Levelno,
            "levelname" => Attr::Levelname,
            "pathname" => Attr::Pathname,
            "filename" => Attr::Filename,
            "module" => Attr::Module,
            "module_path" => Attr::ModulePath,
            "lineno" => Attr::Lineno,
            "funcName" => Attr::FuncName,
            "created" => Attr::Created,
            "msecs" => Attr::Msecs,
            "relativeCreated" => Attr::RelativeCreated,
            "thread" => Attr::Thread,
            "threadName" => Attr::ThreadName,
            "process" => Attr::Process,
            "processName" => Attr::ProcessName,
            "message" => Attr::Message,
            "msg" => Attr::Msg,
            "asctime" => Attr::Asctime,
            "exc_text" => Attr::ExcText,
            "stack_info" => Attr::StackInfo,
            other => Attr::Field(other.into()),
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Attr::Levelno | Attr::Lineno | Attr::Thread | Attr::Process => Kind::Int,
            Attr::Created | Attr::Msecs | Attr::RelativeCreated => Kind::Float,
            Attr::Field(_) => Kind::Any,
            _ => Kind::Text,
        }
    }
}

#[derive(Debug, Clone)]
enum Spec {
    /// No flags, width or precision: written straight into the output.
    Plain,
    Percent(PercentSpec),
    Brace {
        conversion: Option<char>,
        spec: FormatSpec,
    },
}

#[derive(Debug, Clone)]
enum Piece {
    Literal(Box<str>),
    Field { attr: Attr, spec: Spec },
}

/// One step of the writer of records made in Rust: the pattern's pieces,
/// with the usual fields and literals picked out once, at construction,
/// so formatting a record is a walk over small steps rather than a match
/// on every piece's attribute and spec.
#[derive(Debug, Clone)]
enum Step {
    /// A one-byte literal (an ASCII separator).
    Byte(u8),
    Text(Box<str>),
    Asctime,
    Levelname,
    Name,
    Message,
    /// Any other field, by its index in `pieces`.
    Field(usize),
}

/// The steps of `pieces`.
fn plan(pieces: &[Piece]) -> Box<[Step]> {
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| match piece {
            Piece::Literal(text) => match text.as_bytes() {
                &[b] if b.is_ascii() => Step::Byte(b),
                _ => Step::Text(text.clone()),
            },
            Piece::Field {
                attr,
                spec: Spec::Plain,
            } => match attr {
                Attr::Asctime => Step::Asctime,
                Attr::Levelname => Step::Levelname,
                Attr::Name => Step::Name,
                Attr::Message => Step::Message,
                _ => Step::Field(i),
            },
            Piece::Field { .. } => Step::Field(i),
        })
        .collect()
}

/// Each formatter's rendering of `asctime` is cached per thread for the
/// second it shows: a thread-local lookup, no atomic read-modify-write.
/// A few slots, reused round-robin, for threads that use several
/// formatters.
const TIME_SLOTS: usize = 4;

struct CachedTime {
    formatter: u64,
    second: i64,
    text: String,
}

thread_local! {
    static TIME_CACHE: std::cell::RefCell<([Option<CachedTime>; TIME_SLOTS], usize)> =
        const { std::cell::RefCell::new(([const { None }; TIME_SLOTS], 0)) };
}

/// A fresh identity for a formatter's time settings.
fn next_time_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Python's `logging.Formatter`: a pattern in `%`, `{` or `$` style,
/// `datefmt` (strftime) for `asctime`, local time unless [`utc`], and
/// errors and stacks appended after the message.
///
/// The pattern is compiled once; an invalid pattern is an error that names
/// the bad field. `asctime` is rendered at most once per second.
///
/// [`utc`]: Formatter::utc
///
/// ```
/// use lumber::{Formatter, Level, Message, Record, Style, Format};
/// let f = Formatter::new("%(levelname)-8s %(name)s: %(message)s").unwrap();
/// let mut out = String::new();
/// f.format(&Record::new("app.db", Level::INFO, Message::Str("connected")), &mut out);
/// assert_eq!(out, "INFO     app.db: connected");
///
/// let f = Formatter::with_style("{levelname:>8} {lineno:04d}", Style::Brace).unwrap();
/// assert!(Formatter::new("%(name)d").is_err()); // a name is text, not a number
/// ```
pub struct Formatter {
    pattern: String,
    style: Style,
    datefmt: Option<String>,
    pieces: Vec<Piece>,
    /// `pieces` as steps, for records made in Rust.
    steps: Box<[Step]>,
    uses_time: bool,
    strftime: Strftime,
    zone: Zone,
    /// Identifies this formatter's time settings in the per-thread cache
    /// (texts too long for `time_cache`).
    time_id: u64,
    /// The last second's `asctime`, shared by all threads.
    time_cache: SecondCache,
    defaults: Vec<(Box<str>, OwnedValue)>,
    /// Escape control characters in substituted values (off: CPython's
    /// output, byte for byte).
    escape: bool,
}

/// Python's `logging.BASIC_FORMAT`, the format of `basic_config`.
pub const BASIC_FORMAT: &str = "%(levelname)s:%(name)s:%(message)s";

/// `,000` to `,999`: the comma and milliseconds of the default `asctime`,
/// four bytes each, written with one store.
const MILLIS: [[u8; 4]; 1000] = {
    let mut t = [[0u8; 4]; 1000];
    let mut i = 0;
    while i < 1000 {
        t[i] = [
            b',',
            b'0' + (i / 100) as u8,
            b'0' + (i / 10 % 10) as u8,
            b'0' + (i % 10) as u8,
        ];
        i += 1;
    }
    t
};

/// Python's default date format; `,<msecs>` is appended when it is used.
const DEFAULT_DATEFMT: &str = "%Y-%m-%d %H:%M:%S";

impl Formatter {
    /// A `%`-style formatter.
    pub fn new(pattern: &str) -> Result<Formatter, PatternError> {
        Formatter::with_style(pattern, Style::Percent)
    }

    /// A formatter in the given style.
    pub fn with_style(pattern: &str, style: Style) -> Result<Formatter, PatternError> {
        let pieces = match style {
            Style::Percent => parse_percent(pattern)?,
            Style::Brace => parse_brace(pattern)?,
            Style::Dollar => parse_dollar(pattern)?,
        };
        if !pieces.iter().any(|p| matches!(p, Piece::Field { .. })) {
            return Err(PatternError::new(
                pattern,
                0,
                None,
                format!(
                    "no field in it for the '{}' style (Python rejects this too)",
                    style.as_char()
                ),
            ));
        }
        let uses_time = pieces.iter().any(|p| {
            matches!(
                p,
                Piece::Field {
                    attr: Attr::Asctime,
                    ..
                }
            )
        });
        Ok(Formatter {
            pattern: pattern.to_owned(),
            style,
            datefmt: None,
            steps: plan(&pieces),
            pieces,
            uses_time,
            strftime: Strftime::new(DEFAULT_DATEFMT),
            zone: Zone::Local,
            time_id: next_time_id(),
            time_cache: SecondCache::new(),
            defaults: Vec::new(),
            escape: false,
        })
    }

    /// Python's default formatter, `%(message)s`.
    pub fn message_only() -> Formatter {
        Formatter::plain(vec![Piece::Field {
            attr: Attr::Message,
            spec: Spec::Plain,
        }])
    }

    /// `basic_config`'s default, [`crate::BASIC_FORMAT`].
    pub fn basic() -> Formatter {
        match parse_percent(BASIC_FORMAT) {
            Ok(pieces) => Formatter::plain(pieces),
            Err(_) => Formatter::message_only(),
        }
    }

    fn plain(pieces: Vec<Piece>) -> Formatter {
        let pattern = pieces
            .iter()
            .map(|p| match p {
                Piece::Literal(s) => s.replace('%', "%%"),
                Piece::Field { attr, .. } => format!("%({})s", attr_name(attr)),
            })
            .collect();
        Formatter {
            pattern,
            style: Style::Percent,
            datefmt: None,
            steps: plan(&pieces),
            pieces,
            uses_time: false,
            strftime: Strftime::new(DEFAULT_DATEFMT),
            zone: Zone::Local,
            time_id: next_time_id(),
            time_cache: SecondCache::new(),
            defaults: Vec::new(),
            escape: false,
        }
    }

    /// Sets `datefmt`, the strftime pattern of `asctime` (without it:
    /// `2026-01-02 03:04:05,678`).
    ///
    /// ```
    /// let f = lumber::Formatter::new("%(asctime)s %(message)s").unwrap().datefmt("%H:%M:%S");
    /// assert_eq!(f.datefmt_str(), Some("%H:%M:%S"));
    /// ```
    pub fn datefmt(mut self, datefmt: &str) -> Formatter {
        self.strftime = Strftime::new(datefmt);
        self.datefmt = Some(datefmt.to_owned());
        self.reset_cache();
        self
    }

    /// Renders `asctime` in UTC instead of local time (Python's
    /// `converter = time.gmtime`).
    pub fn utc(mut self, utc: bool) -> Formatter {
        self.zone = if utc { Zone::Utc } else { Zone::Local };
        self.reset_cache();
        self
    }

    /// Renders `asctime` in a named time zone (`Europe/Berlin`).
    pub fn time_zone(mut self, zone: jiff::tz::TimeZone) -> Formatter {
        self.zone = Zone::Fixed(zone);
        self.reset_cache();
        self
    }

    /// A value for a field the record may lack (Python's `defaults`).
    ///
    /// ```
    /// use lumber::{Format, Formatter, Level, Message, Record};
    /// let f = Formatter::new("%(user)s did it").unwrap().default_field("user", "nobody");
    /// let mut out = String::new();
    /// f.format(&Record::new("x", Level::INFO, Message::Str("")), &mut out);
    /// assert_eq!(out, "nobody did it");
    /// ```
    pub fn default_field(mut self, key: &str, value: impl Into<OwnedValue>) -> Formatter {
        self.defaults.push((key.into(), value.into()));
        self
    }

    /// Makes every record exactly one line: control characters in what
    /// the pattern substitutes — the message, fields, `asctime`, the error
    /// chain and stack text that follow the message, and the line breaks
    /// between them — are written as escapes. Off by default, so that the
    /// output is CPython's byte for byte (a multi-line message stays
    /// multi-line).
    ///
    /// | character | written as |
    /// | --- | --- |
    /// | line feed, carriage return, tab | `\n`, `\r`, `\t` |
    /// | other C0 controls (U+0000–U+001F), DEL, C1 controls (U+0080–U+009F) | `\xNN` (`\x1b` for ESC) |
    /// | U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR | `\u2028`, `\u2029` |
    ///
    /// The pattern's own text is left alone (a tab between two fields
    /// stays a tab). Backslashes are *not* doubled, so a record without
    /// control characters comes out exactly as it would without `escape`
    /// and Windows paths stay readable; the price is that the escaping
    /// cannot be undone unambiguously (a message that contains the two
    /// characters `\n` looks like one that contained a line break). When
    /// the text must be recovered exactly, use a structured formatter
    /// (JSON) instead.
    ///
    /// Turn it on when each line of the output must be one record:
    /// - log files read line by line (`grep`, `tail -f | awk`, log
    ///   shippers and SIEMs that split on newlines);
    /// - messages or fields that carry untrusted input (user names,
    ///   URLs, headers, file contents): without escaping, a value such as
    ///   `"ok\n2026-01-02 03:04:05 INFO admin logged in"` writes a forged
    ///   record (log injection, CWE-117), and escape sequences can rewrite
    ///   a terminal that shows the file (`tail -f`, `cat`).
    ///
    /// The cost when off is nothing; when on, one scan of each
    /// substituted value (no allocation unless something is escaped).
    ///
    /// ```
    /// use lumber::{Format, Formatter, Level, Message, Record};
    /// let f = Formatter::new("%(levelname)s %(message)s").unwrap().escape(true);
    /// let r = Record::new("x", Level::INFO, Message::Str("ok\nINFO admin logged in\x1b[2J"));
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert_eq!(out, r"INFO ok\nINFO admin logged in\x1b[2J");
    /// ```
    pub fn escape(mut self, escape: bool) -> Formatter {
        self.escape = escape;
        self
    }

    /// Whether [`Formatter::escape`] is on.
    ///
    /// ```
    /// assert!(!lumber::Formatter::basic().escapes());
    /// assert!(lumber::Formatter::basic().escape(true).escapes());
    /// ```
    pub fn escapes(&self) -> bool {
        self.escape
    }

    /// The pattern.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The style.
    pub fn style(&self) -> Style {
        self.style
    }

    /// The date format, if set.
    pub fn datefmt_str(&self) -> Option<&str> {
        self.datefmt.as_deref()
    }

    /// Whether the pattern shows `asctime` (Python's `usesTime`).
    pub fn uses_time(&self) -> bool {
        self.uses_time
    }

    fn reset_cache(&mut self) {
        self.time_id = next_time_id();
        self.time_cache = SecondCache::new();
    }

    /// Python's `formatTime`: `asctime` of a record.
    ///
    /// ```
    /// use lumber::{Formatter, Level, Message, Record, Timestamp};
    /// let f = Formatter::new("%(asctime)s").unwrap().utc(true);
    /// let r = Record::new("x", Level::INFO, Message::Str("")).with_time(Timestamp::from_f64(0.5));
    /// let mut out = String::new();
    /// f.format_time(&r, &mut out);
    /// assert_eq!(out, "1970-01-01 00:00:00,500");
    /// ```
    pub fn format_time(&self, record: &Record<'_>, out: &mut String) {
        let second = record.time().seconds();
        let hit = self.time_cache.read(second, out)
            || TIME_CACHE
                .try_with(|cache| {
                    let cache = cache.try_borrow().ok()?;
                    let slot = cache
                        .0
                        .iter()
                        .flatten()
                        .find(|c| c.formatter == self.time_id && c.second == second)?;
                    out.push_str(&slot.text);
                    Some(())
                })
                .ok()
                .flatten()
                .is_some();
        if !hit {
            let time = record.time();
            let tm = self.zone.tm(time.seconds(), time.nanos());
            let start = out.len();
            self.strftime.format(&tm, out);
            if !self.strftime.sub_second() && out.len() - start <= asctime::MAX_LEN {
                self.time_cache.write(second, &out[start..]);
            } else if !self.strftime.sub_second() {
                let text = out[start..].to_owned();
                let _ = TIME_CACHE.try_with(|cache| {
                    if let Ok(mut cache) = cache.try_borrow_mut() {
                        let (slots, next) = &mut *cache;
                        let index = slots
                            .iter()
                            .position(|c| c.as_ref().is_some_and(|c| c.formatter == self.time_id))
                            .unwrap_or(*next % TIME_SLOTS);
                        if let Some(slot) = slots.get_mut(index) {
                            *slot = Some(CachedTime {
                                formatter: self.time_id,
                                second,
                                text,
                            });
                        }
                        *next = next.wrapping_add(1);
                    }
                });
            }
        }
        if self.datefmt.is_none() {
            // Python: default_msec_format = '%s,%03d' % (t, record.msecs)
            let ms = match record.msecs_override() {
                None => i64::from(record.time().nanos() / 1_000_000),
                Some(ms) => ms as i64,
            };
            if let Some(&digits) = usize::try_from(ms).ok().and_then(|ms| MILLIS.get(ms)) {
                out.reserve(4);
                // SAFETY: `reserve(4)` made room for the 4 bytes written
                // after the length, which then covers them; they are `,`
                // and three ASCII digits, so the string stays UTF-8.
                #[allow(unsafe_code)]
                unsafe {
                    let v = out.as_mut_vec();
                    let at = v.len();
                    v.as_mut_ptr()
                        .add(at)
                        .cast::<[u8; 4]>()
                        .write_unaligned(digits);
                    v.set_len(at + 4);
                }
            } else {
                let _ = write!(out, ",{ms:03}");
            }
        }
    }

    fn text<'r>(&self, attr: &Attr, record: &Record<'r>) -> Cow<'r, str> {
        match attr {
            Attr::Name => Cow::Borrowed(record.logger()),
            Attr::Levelname => record.level().name(),
            Attr::Pathname => Cow::Borrowed(record.site().file),
            Attr::Filename => Cow::Borrowed(record.site().filename()),
            Attr::Module => Cow::Borrowed(record.site().module()),
            Attr::ModulePath => Cow::Borrowed(record.site().module_path),
            Attr::FuncName => Cow::Borrowed(record.site().function_name().unwrap_or("None")),
            Attr::ProcessName => Cow::Borrowed(record.process_name()),
            Attr::Msg => msg_template(record),
            Attr::Message => message_text(record),
            _ => {
                let mut s = String::new();
                self.write_plain(attr, record, &mut s);
                Cow::Owned(s)
            }
        }
    }

    fn write_plain(&self, attr: &Attr, record: &Record<'_>, out: &mut String) {
        match attr {
            Attr::Message => record.message().write_to(out),
            Attr::Name => out.push_str(record.logger()),
            Attr::Levelname => match record.level().builtin_name() {
                Some(name) => out.push_str(name),
                None => out.push_str(&record.level().name()),
            },
            Attr::Levelno => push_int(out, record.level().value()),
            Attr::Lineno => push_int(out, record.site().line),
            Attr::Thread => push_int(out, record.thread_id()),
            Attr::Process => push_int(out, record.process_id()),
            Attr::Created => pyfmt::repr_float(out, record.time().as_f64()),
            Attr::Msecs => pyfmt::repr_float(out, record.msecs()),
            Attr::RelativeCreated => pyfmt::repr_float(out, record.relative_created()),
            Attr::ThreadName => record.with_thread_name(|n| out.push_str(n)),
            Attr::Asctime => self.format_time(record, out),
            Attr::ExcText => {
                if let Some(error) = record.error() {
                    super::write_error_chain(out, error);
                } else {
                    out.push_str(record.exc_text().unwrap_or("None"));
                }
            }
            Attr::StackInfo => out.push_str(record.stack_info().unwrap_or("None")),
            Attr::Field(key) => {
                if let Some(v) = self.field(record, key) {
                    let _ = write_typed(&Spec::Plain, &typed_value(v), out);
                }
            }
            other => out.push_str(&self.text(other, record)),
        }
    }

    fn field<'r>(&'r self, record: &Record<'r>, key: &str) -> Option<Value<'r>> {
        record.field(key).or_else(|| {
            self.defaults
                .iter()
                .find(|(k, _)| &**k == key)
                .map(|(_, v)| v.as_value())
        })
    }

    /// Renders one field. Errors are Python's (a missing field, a value
    /// that does not fit its spec); `strict` returns them, otherwise the
    /// value is shown as it is (or nothing, for a missing field).
    fn write_piece(
        &self,
        attr: &Attr,
        spec: &Spec,
        record: &Record<'_>,
        out: &mut String,
        strict: bool,
    ) -> Result<(), PyFmtError> {
        let start = out.len();
        let python = match attr {
            Attr::Message | Attr::Asctime => None,
            _ => record.python_attr(attr_name(attr)),
        };
        if let Some(v) = python {
            let result = write_py(spec, v, out);
            if result.is_err() && !strict {
                out.truncate(start);
                pyfmt::py_str(out, v);
                return Ok(());
            }
            return result;
        }
        let value = match attr {
            Attr::Field(key) => match self.field(record, key) {
                Some(v) => typed_value(v),
                None if strict => return Err(PyFmtError(format!("KeyError: '{key}'"))),
                None => return Ok(()),
            },
            _ if matches!(spec, Spec::Plain) => {
                self.write_plain(attr, record, out);
                return Ok(());
            }
            other => match other.kind() {
                Kind::Int => Typed::Int(match other {
                    Attr::Levelno => i128::from(record.level().value()),
                    Attr::Lineno => i128::from(record.site().line),
                    Attr::Thread => i128::from(record.thread_id()),
                    _ => i128::from(record.process_id()),
                }),
                Kind::Float => Typed::Float(match other {
                    Attr::Created => record.time().as_f64(),
                    Attr::Msecs => record.msecs(),
                    _ => record.relative_created(),
                }),
                Kind::Text | Kind::Any => Typed::Text(self.text(other, record)),
            },
        };
        let result = write_typed(spec, &value, out);
        if result.is_err() && !strict {
            // Only a record field can disagree with its spec (built-in
            // attributes were checked when the pattern was compiled): show
            // the value as it is rather than lose it.
            out.truncate(start);
            let _ = write_typed(&Spec::Plain, &value, out);
            return Ok(());
        }
        result
    }

    /// Formats like [`Format::format`], but fails where Python's
    /// `Formatter.format` raises: a field the record lacks (`KeyError`) or
    /// a value that does not fit its spec. [`Format::format`] instead shows
    /// what it can.
    ///
    /// ```
    /// use lumber::{Formatter, Level, Message, Record};
    /// let f = Formatter::new("%(user)s %(message)s").unwrap();
    /// let mut out = String::new();
    /// let r = Record::new("x", Level::INFO, Message::Str("hi"));
    /// assert!(f.try_format(&r, &mut out).is_err());
    /// ```
    pub fn try_format(&self, record: &Record<'_>, out: &mut String) -> Result<(), PyFmtError> {
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Field { attr, spec } => {
                    let start = out.len();
                    self.write_piece(attr, spec, record, out, true)?;
                    if self.escape {
                        escape_one_line(out, start);
                    }
                }
            }
        }
        let start = out.len();
        write_error_and_stack(record, out);
        if self.escape {
            escape_one_line(out, start);
        }
        Ok(())
    }

    /// [`Format::format`], with or without escaping decided at compile
    /// time: the unescaped path has no check at all.
    #[inline(always)]
    fn render<const ESCAPE: bool>(&self, record: &Record<'_>, out: &mut String) {
        if record.python_attrs().is_empty() {
            self.render_native::<ESCAPE>(record, out);
        } else {
            self.render_python::<ESCAPE>(record, out);
        }
        if record.error().is_none() && record.exc_text().is_none() && record.stack_info().is_none()
        {
            return;
        }
        let start = out.len();
        write_error_and_stack(record, out);
        if ESCAPE {
            escape_one_line(out, start);
        }
    }

    /// A record made in Rust (no Python attributes): the usual fields are
    /// written straight from the record, by the steps.
    #[inline(always)]
    fn render_native<const ESCAPE: bool>(&self, record: &Record<'_>, out: &mut String) {
        for step in &self.steps {
            let start = out.len();
            match step {
                Step::Byte(b) => {
                    // SAFETY: `b` is ASCII (checked in `plan`), so `out`
                    // stays UTF-8; this skips `String::push`'s encoding.
                    #[allow(unsafe_code)]
                    unsafe {
                        out.as_mut_vec().push(*b);
                    }
                    continue;
                }
                Step::Text(text) => {
                    push_short(out, text);
                    continue;
                }
                Step::Asctime => self.format_time(record, out),
                Step::Message => record.message().write_to(out),
                Step::Name => push_short(out, record.logger()),
                Step::Levelname => match record.level().builtin_name() {
                    Some(name) => push_short(out, name),
                    None => out.push_str(&record.level().name()),
                },
                Step::Field(i) => match self.pieces.get(*i) {
                    Some(Piece::Field {
                        attr,
                        spec: Spec::Plain,
                    }) if !matches!(attr, Attr::Field(_)) => self.write_plain(attr, record, out),
                    Some(Piece::Field { attr, spec }) => {
                        let _ = self.write_piece(attr, spec, record, out, false);
                    }
                    // `plan` makes `Field` steps of fields only.
                    Some(Piece::Literal(_)) | None => continue,
                },
            }
            if ESCAPE {
                escape_one_line(out, start);
            }
        }
    }

    /// A record read from Python: every field through `write_piece`, which
    /// gives its Python attributes first say.
    fn render_python<const ESCAPE: bool>(&self, record: &Record<'_>, out: &mut String) {
        for piece in &self.pieces {
            let start = out.len();
            match piece {
                Piece::Literal(text) => {
                    out.push_str(text);
                    continue;
                }
                Piece::Field { attr, spec } => {
                    let _ = self.write_piece(attr, spec, record, out, false);
                }
            }
            if ESCAPE {
                escape_one_line(out, start);
            }
        }
    }
}

/// `%(msg)s`: the template before arguments; for text messages, the text.
fn msg_template<'r>(record: &Record<'r>) -> Cow<'r, str> {
    let template = record.site().template;
    if !template.is_empty() {
        return Cow::Borrowed(template);
    }
    message_text(record)
}

fn message_text<'r>(record: &Record<'r>) -> Cow<'r, str> {
    let message = record.message();
    match message.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(message.to_string()),
    }
}

enum Typed<'a> {
    Text(Cow<'a, str>),
    Int(i128),
    Float(f64),
}

fn typed_value(v: Value<'_>) -> Typed<'_> {
    match v {
        Value::I64(n) => Typed::Int(i128::from(n)),
        Value::U64(n) => Typed::Int(i128::from(n)),
        Value::F64(n) => Typed::Float(n),
        Value::Str(s) => Typed::Text(Cow::Borrowed(s)),
        other => Typed::Text(Cow::Owned(other.to_string())),
    }
}

fn write_typed(spec: &Spec, value: &Typed<'_>, out: &mut String) -> Result<(), pyfmt::PyFmtError> {
    match spec {
        Spec::Plain => {
            match value {
                Typed::Text(s) => out.push_str(s),
                Typed::Int(n) => {
                    let _ = write!(out, "{n}");
                }
                Typed::Float(f) => pyfmt::repr_float(out, *f),
            }
            Ok(())
        }
        Spec::Percent(p) => match value {
            Typed::Text(s) => p.write_str(out, s),
            Typed::Int(n) => p.write_int(out, *n),
            Typed::Float(f) => p.write_float(out, *f),
        },
        Spec::Brace { conversion, spec } => match (conversion, value) {
            (None, Typed::Text(s)) => spec.write_str(out, s),
            (None, Typed::Int(n)) => spec.write_int(out, *n),
            (None, Typed::Float(f)) => spec.write_float(out, *f),
            (Some(c), v) => {
                let mut converted = String::new();
                match v {
                    Typed::Text(s) if *c == 's' => converted.push_str(s),
                    Typed::Text(s) => pyfmt::repr_str(&mut converted, s),
                    Typed::Int(n) => {
                        let _ = write!(converted, "{n}");
                    }
                    Typed::Float(f) => pyfmt::repr_float(&mut converted, *f),
                }
                if *c == 'a' {
                    converted = ascii_escape(&converted);
                }
                spec.write_str(out, &converted)
            }
        },
    }
}

/// Renders a Python value with a spec, by Python's rules.
fn write_py(spec: &Spec, value: &PyValue, out: &mut String) -> Result<(), PyFmtError> {
    match spec {
        Spec::Plain => {
            pyfmt::py_str(out, value);
            Ok(())
        }
        Spec::Percent(p) => p.write_value(out, value),
        Spec::Brace {
            conversion: None,
            spec,
        } => spec.write_value(out, value),
        Spec::Brace {
            conversion: Some(c),
            spec,
        } => {
            let mut converted = String::new();
            if *c == 's' {
                pyfmt::py_str(&mut converted, value);
            } else {
                pyfmt::py_repr(&mut converted, value);
            }
            if *c == 'a' {
                converted = ascii_escape(&converted);
            }
            spec.write_str(out, &converted)
        }
    }
}

/// Python's `ascii()` applied to `repr()` output: non-ASCII characters
/// escaped.
fn ascii_escape(repr: &str) -> String {
    let mut out = String::with_capacity(repr.len());
    for c in repr.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            let _ = write!(out, "\\x{n:02x}");
        } else if n < 0x10000 {
            let _ = write!(out, "\\u{n:04x}");
        } else {
            let _ = write!(out, "\\U{n:08x}");
        }
    }
    out
}

fn push_int(out: &mut String, n: impl Into<u64>) {
    let _ = write!(out, "{}", n.into());
}

fn attr_name(attr: &Attr) -> &str {
    match attr {
        Attr::Name => "name",
        Attr::Levelno => "levelno",
        Attr::Levelname => "levelname",
        Attr::Pathname => "pathname",
        Attr::Filename => "filename",
        Attr::Module => "module",
        Attr::ModulePath => "module_path",
        Attr::Lineno => "lineno",
        Attr::FuncName => "funcName",
        Attr::Created => "created",
        Attr::Msecs => "msecs",
        Attr::RelativeCreated => "relativeCreated",
        Attr::Thread => "thread",
        Attr::ThreadName => "threadName",
        Attr::Process => "process",
        Attr::ProcessName => "processName",
        Attr::Message => "message",
        Attr::Msg => "msg",
        Attr::Asctime => "asctime",
        Attr::ExcText => "exc_text",
        Attr::StackInfo => "stack_info",
        Attr::Field(name) => name,
    }
}

impl Format for Formatter {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        if self.escape {
            self.render::<true>(record, out);
        } else {
            self.render::<false>(record, out);
        }
    }

    fn is_message_only(&self) -> bool {
        !self.escape
            && matches!(
                self.pieces.as_slice(),
                [Piece::Field {
                    attr: Attr::Message,
                    spec: Spec::Plain,
                }]
            )
    }

    fn describe(&self) -> String {
        let mut s = format!("Formatter({:?}", self.pattern);
        if self.style != Style::Percent {
            let _ = write!(s, ", style={:?}", self.style.as_char());
        }
        if let Some(d) = &self.datefmt {
            let _ = write!(s, ", datefmt={d:?}");
        }
        if self.escape {
            s.push_str(", escape=true");
        }
        s.push(')');
        s
    }

    fn config(&self) -> Option<crate::config::Node> {
        let mut c = crate::config::Node::map();
        c.set("class", "Formatter".into());
        c.set("format", self.pattern.as_str().into());
        if let Some(d) = &self.datefmt {
            c.set("datefmt", d.as_str().into());
        }
        if self.style != Style::Percent {
            c.set("style", self.style.as_char().to_string().into());
        }
        if matches!(self.zone, Zone::Utc) {
            c.set("utc", true.into());
        }
        if self.escape {
            c.set("escape", true.into());
        }
        Some(c)
    }
}

impl fmt::Debug for Formatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Clone for Formatter {
    fn clone(&self) -> Formatter {
        Formatter {
            pattern: self.pattern.clone(),
            style: self.style,
            datefmt: self.datefmt.clone(),
            pieces: self.pieces.clone(),
            steps: self.steps.clone(),
            uses_time: self.uses_time,
            strftime: self.strftime.clone(),
            zone: self.zone.clone(),
            time_id: next_time_id(),
            time_cache: SecondCache::new(),
            defaults: self.defaults.clone(),
            escape: self.escape,
        }
    }
}

/// Whether `c` is a control character: C0 (U+0000–U+001F), DEL or C1
/// (U+0080–U+009F).
#[inline]
pub(super) fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

/// Writes the escape for a character that must not be written as it is:
/// `\n`, `\r`, `\t`, `\u2028`, `\u2029`, otherwise `\xNN` (controls).
pub(super) fn push_escaped(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{2028}' => out.push_str("\\u2028"),
        '\u{2029}' => out.push_str("\\u2029"),
        c => {
            let n = (c as u32).min(0xff) as usize;
            out.push_str("\\x");
            out.push(char::from(HEX[n >> 4]));
            out.push(char::from(HEX[n & 0xf]));
        }
    }
}

/// Which characters [`contains`] looks for.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scan {
    /// `\n`.
    pub(super) newline: bool,
    /// `\t`.
    pub(super) tab: bool,
    /// The other controls: C0, DEL, C1.
    pub(super) controls: bool,
    /// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
    pub(super) separators: bool,
}

impl Scan {
    /// Every control character, line feeds and tabs included.
    pub(super) const CONTROLS: Scan = Scan {
        newline: true,
        tab: true,
        controls: true,
        separators: false,
    };
    /// What [`escape_one_line`] escapes.
    const ONE_LINE: Scan = Scan {
        newline: true,
        tab: true,
        controls: true,
        separators: true,
    };
}

/// Whether `text` holds one of the characters `scan` asks for, without
/// decoding it: C0 and DEL are single bytes, C1 controls 0xC2 0x80–0x9F,
/// U+2028/U+2029 0xE2 0x80 0xA8/0xA9. Eight bytes at a time: text without
/// any of the lead bytes (almost all text) costs a fraction of a
/// nanosecond per byte.
pub(super) fn contains(text: &str, scan: Scan) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = next_candidate(bytes, from) {
        let hit = match bytes.get(i) {
            Some(b'\n') => scan.newline,
            Some(b'\t') => scan.tab,
            Some(0xc2) => scan.controls && matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
            Some(0xe2) => {
                scan.separators
                    && bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9))
            }
            _ => scan.controls,
        };
        if hit {
            return true;
        }
        from = i + 1;
    }
    false
}

/// A byte that may start a character [`contains`] looks for.
#[inline]
fn is_candidate(b: u8) -> bool {
    b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2
}

/// The index of the first candidate byte at or after `from`: whole words
/// are skipped while none of their bytes is below 0x20 or equal to 0x7F,
/// 0xC2 or 0xE2 (the classic "has less than" and "has zero byte" tests).
fn next_candidate(bytes: &[u8], mut from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let found = (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
            | has_zero(x ^ (ONES * 0x7f))
            | has_zero(x ^ (ONES * 0xc2))
            | has_zero(x ^ (ONES * 0xe2));
        if found != 0 {
            break;
        }
        from += 8;
    }
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| is_candidate(b)).map(|p| from + p)
}

/// Escapes, in `out[start..]`, every character that could break a line
/// or drive a terminal: controls, U+2028 and U+2029 (which Python's
/// `str.splitlines` and JavaScript treat as line breaks). Allocates only
/// when something is escaped.
pub(super) fn escape_one_line(out: &mut String, start: usize) {
    if !out
        .get(start..)
        .is_some_and(|tail| contains(tail, Scan::ONE_LINE))
    {
        return;
    }
    let tail = out.split_off(start);
    out.reserve(tail.len() + 8);
    for c in tail.chars() {
        if must_escape_one_line(c) {
            push_escaped(out, c);
        } else {
            out.push(c);
        }
    }
}

#[inline]
fn must_escape_one_line(c: char) -> bool {
    is_control(c) || c == '\u{2028}' || c == '\u{2029}'
}

/// Checks a spec against the attribute's type by formatting a sample, so a
/// mismatch (`%(name)d`) fails when the pattern is compiled.
fn check_spec(pattern: &str, at: usize, attr: &Attr, spec: &Spec) -> Result<(), PatternError> {
    let sample = match attr.kind() {
        Kind::Any => return Ok(()),
        Kind::Text => Typed::Text(Cow::Borrowed("x")),
        Kind::Int => Typed::Int(1),
        Kind::Float => Typed::Float(1.5),
    };
    write_typed(spec, &sample, &mut String::new())
        .map_err(|e| PatternError::new(pattern, at, Some(attr_name(attr)), e.0))
}

fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Literal(prev)) = pieces.last_mut() {
        let mut joined = String::from(&**prev);
        joined.push_str(text);
        *prev = joined.into_boxed_str();
    } else {
        pieces.push(Piece::Literal(text.into()));
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn parse_percent(pattern: &str) -> Result<Vec<Piece>, PatternError> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    let mut offset = 0;
    while let Some(i) = rest.find('%') {
        push_literal(&mut pieces, &rest[..i]);
        let at = offset + i;
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('%') {
            push_literal(&mut pieces, "%");
            offset = at + 2;
            rest = tail;
            continue;
        }
        let Some(inner) = after.strip_prefix('(') else {
            let reason = if after.is_empty() {
                "incomplete format: a '%' ends the pattern (write '%%' for a percent sign)"
                    .to_owned()
            } else {
                "a '%' must start a field like '%(name)s' (write '%%' for a percent sign)"
                    .to_owned()
            };
            return Err(PatternError::new(pattern, at, None, reason));
        };
        let Some(close) = inner.find(')') else {
            return Err(PatternError::new(
                pattern,
                at,
                None,
                "unclosed '%(': expected ')'",
            ));
        };
        let name = &inner[..close];
        if name.is_empty() || !name.chars().all(is_word) {
            return Err(PatternError::new(
                pattern,
                at,
                Some(name),
                "a field name is letters, digits and '_'",
            ));
        }
        let spec_text = &inner[close + 1..];
        let (spec, used) = PercentSpec::parse(spec_text)
            .map_err(|e| PatternError::new(pattern, at, Some(name), e.0))?;
        if spec.conv == '%' {
            return Err(PatternError::new(
                pattern,
                at,
                Some(name),
                "'%' is not a conversion for a field",
            ));
        }
        let attr = Attr::parse(name);
        let plain = spec.conv == 's' && spec == plain_percent('s');
        let spec = if plain {
            Spec::Plain
        } else {
            Spec::Percent(spec)
        };
        check_spec(pattern, at, &attr, &spec)?;
        pieces.push(Piece::Field { attr, spec });
        let consumed = 1 + 1 + close + 1 + used;
        offset = at + consumed;
        rest = &rest[i + consumed..];
    }
    push_literal(&mut pieces, rest);
    Ok(pieces)
}

fn plain_percent(conv: char) -> PercentSpec {
    PercentSpec {
        left: false,
        zero: false,
        plus: false,
        space: false,
        alt: false,
        width: None,
        precision: None,
        conv,
    }
}

fn parse_brace(pattern: &str) -> Result<Vec<Piece>, PatternError> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = pattern.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|(_, n)| *n == '{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().is_some_and(|(_, n)| *n == '}') => {
                chars.next();
                literal.push('}');
            }
            '}' => {
                return Err(PatternError::new(
                    pattern,
                    at,
                    None,
                    "single '}' encountered (write '}}')",
                ));
            }
            '{' => {
                let Some(close) = pattern[at + 1..].find('}') else {
                    return Err(PatternError::new(
                        pattern,
                        at,
                        None,
                        "expected '}' before end of string",
                    ));
                };
                let body = &pattern[at + 1..at + 1 + close];
                if body.contains('{') {
                    return Err(PatternError::new(
                        pattern,
                        at,
                        None,
                        "nested fields in a format spec are not supported",
                    ));
                }
                let (head, spec_text) = match body.find(':') {
                    Some(i) => (&body[..i], Some(&body[i + 1..])),
                    None => (body, None),
                };
                let (name, conversion) = match head.find('!') {
                    Some(i) => (&head[..i], Some(&head[i + 1..])),
                    None => (head, None),
                };
                if name.is_empty() || name.chars().all(|c| c.is_ascii_digit()) {
                    return Err(PatternError::new(
                        pattern,
                        at,
                        Some(name),
                        "positional fields are not supported: name a record attribute",
                    ));
                }
                if !name.chars().all(is_word) {
                    return Err(PatternError::new(
                        pattern,
                        at,
                        Some(name),
                        "a field name is letters, digits and '_' (no '.' or '[...]')",
                    ));
                }
                let conversion = match conversion {
                    None => None,
                    Some(c @ ("r" | "s" | "a")) => c.chars().next(),
                    Some(other) => {
                        return Err(PatternError::new(
                            pattern,
                            at,
                            Some(name),
                            format!("invalid conversion: '{other}' (expected r, s or a)"),
                        ));
                    }
                };
                let attr = Attr::parse(name);
                let spec = match (conversion, spec_text) {
                    (None, None | Some("")) => Spec::Plain,
                    (conversion, text) => Spec::Brace {
                        conversion,
                        spec: FormatSpec::parse(text.unwrap_or(""))
                            .map_err(|e| PatternError::new(pattern, at, Some(name), e.0))?,
                    },
                };
                check_spec(pattern, at, &attr, &spec)?;
                push_literal(&mut pieces, &std::mem::take(&mut literal));
                pieces.push(Piece::Field { attr, spec });
                while chars.peek().is_some_and(|(i, _)| *i <= at + 1 + close) {
                    chars.next();
                }
            }
            other => literal.push(other),
        }
    }
    push_literal(&mut pieces, &literal);
    Ok(pieces)
}

fn parse_dollar(pattern: &str) -> Result<Vec<Piece>, PatternError> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    let mut offset = 0;
    let ident_len = |s: &str| -> usize {
        let mut n = 0;
        for (i, c) in s.char_indices() {
            let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
            if !ok {
                break;
            }
            n = i + 1;
        }
        n
    };
    while let Some(i) = rest.find('$') {
        push_literal(&mut pieces, &rest[..i]);
        let at = offset + i;
        let after = &rest[i + 1..];
        let (name, consumed) = if let Some(tail) = after.strip_prefix('$') {
            push_literal(&mut pieces, "$");
            offset = at + 2;
            rest = tail;
            continue;
        } else if let Some(braced) = after.strip_prefix('{') {
            let n = ident_len(braced);
            if n == 0 || !braced[n..].starts_with('}') {
                return Err(PatternError::new(
                    pattern,
                    at,
                    None,
                    "bare '$' not allowed: expected ${name}",
                ));
            }
            (&braced[..n], n + 3)
        } else {
            let n = ident_len(after);
            if n == 0 {
                return Err(PatternError::new(
                    pattern,
                    at,
                    None,
                    "bare '$' not allowed (write '$$' for a dollar sign)",
                ));
            }
            (&after[..n], n + 1)
        };
        pieces.push(Piece::Field {
            attr: Attr::parse(name),
            spec: Spec::Plain,
        });
        offset = at + consumed;
        rest = &rest[i + consumed..];
    }
    push_literal(&mut pieces, rest);
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Level;
    use crate::record::Message;
    use crate::record::{Function, Site, Timestamp};

    static SITE: Site<'static> = Site {
        module_path: "app::db",
        file: "/src/app/db.rs",
        line: 42,
        template: "user %s",
        function: Function::Name("connect"),
    };

    fn render(f: &Formatter, message: &str) -> String {
        let r = Record::new("app.db", Level::WARNING, Message::Str(message))
            .with_site(&SITE)
            .with_time(Timestamp::from_f64(1700000000.0456))
            .with_thread(7, "worker")
            .with_process(99, "proc");
        let mut out = String::new();
        f.format(&r, &mut out);
        out
    }

    #[test]
    fn percent_style_renders_every_attribute() {
        let f = Formatter::new(
            "%(name)s|%(levelno)d|%(levelname)-8s|%(pathname)s|%(filename)s|%(module)s|%(lineno)05d|\
             %(funcName)s|%(msecs)03d|%(thread)d|%(threadName)s|%(process)d|%(processName)s|%(message)s|%(msg)s|%(module_path)s|%%",
        )
        .unwrap();
        assert_eq!(
            render(&f, "hi"),
            "app.db|30|WARNING |/src/app/db.rs|db.rs|db|00042|connect|045|7|worker|99|proc|hi|user %s|app::db|%"
        );
    }

    #[test]
    fn brace_and_dollar_styles() {
        let f = Formatter::with_style("{levelname:>9}|{lineno:04d}|{name!r}|{{x}}", Style::Brace)
            .unwrap();
        assert_eq!(render(&f, "m"), "  WARNING|0042|'app.db'|{x}");
        let f = Formatter::with_style("$levelname ${name}x $$ $message", Style::Dollar).unwrap();
        assert_eq!(render(&f, "m"), "WARNING app.dbx $ m");
    }

    #[test]
    fn asctime_defaults_to_python_format_with_msecs() {
        let f = Formatter::new("%(asctime)s %(message)s").unwrap().utc(true);
        assert_eq!(render(&f, "m"), "2023-11-14 22:13:20,045 m");
        // Cached: the same second renders the same.
        assert_eq!(render(&f, "m"), "2023-11-14 22:13:20,045 m");
        let f = Formatter::new("%(asctime)s")
            .unwrap()
            .utc(true)
            .datefmt("%d/%m/%Y %H.%M");
        assert_eq!(render(&f, "m"), "14/11/2023 22.13");
    }

    #[test]
    fn invalid_patterns_name_the_problem() {
        let e = Formatter::new("%(name)d").unwrap_err();
        assert_eq!(e.field(), Some("name"));
        assert!(Formatter::new("hello").is_err());
        assert!(Formatter::new("%(message)s 100% sure").is_err());
        assert!(Formatter::new("%(message").is_err());
        assert!(Formatter::new("%(message)%").is_err());
        let e = Formatter::with_style("{message!x}", Style::Brace).unwrap_err();
        assert!(e.to_string().contains("invalid conversion"), "{e}");
        assert!(Formatter::with_style("{0}", Style::Brace).is_err());
        assert!(Formatter::with_style("{message} }", Style::Brace).is_err());
        assert!(Formatter::with_style("$message $ x", Style::Dollar).is_err());
    }

    #[test]
    fn fields_render_and_fall_back_to_defaults() {
        let f = Formatter::new("%(user)s/%(n)05d/%(missing)s|")
            .unwrap()
            .default_field("missing", "-");
        let fields = [("user", Value::from("ann")), ("n", Value::from(42))];
        let r = Record::new("x", Level::INFO, Message::Str("")).with_fields(&fields);
        let mut out = String::new();
        f.format(&r, &mut out);
        assert_eq!(out, "ann/00042/-|");
        // A field whose type does not fit the spec is shown as it is.
        let fields = [("n", Value::from("text"))];
        let r = Record::new("x", Level::INFO, Message::Str("")).with_fields(&fields);
        let mut out = String::new();
        Formatter::new("%(n)05d").unwrap().format(&r, &mut out);
        assert_eq!(out, "text");
    }

    #[test]
    fn errors_and_stacks_follow_the_message() {
        let f = Formatter::new("%(message)s").unwrap();
        let e = std::io::Error::other("boom");
        let r = Record::new("x", Level::ERROR, Message::Str("failed"))
            .with_error(&e)
            .with_stack_info("Stack (most recent call last):\n  here");
        let mut out = String::new();
        f.format(&r, &mut out);
        assert_eq!(
            out,
            "failed\nError: boom\nStack (most recent call last):\n  here"
        );
    }

    #[test]
    fn python_attributes_override_with_pythons_rules() {
        let attrs = [
            ("levelname", PyValue::Str("NOTICE".into())),
            ("funcName", PyValue::None),
            ("created", PyValue::Int(1700000000)),
            (
                "user",
                PyValue::List(vec![PyValue::Int(1), PyValue::Str("a".into())]),
            ),
            ("exc_text", PyValue::Str(String::new())),
        ];
        let r = Record::new("x", Level::new(25), Message::Str("m")).with_python_attrs(&attrs);
        let f = Formatter::with_style(
            "{levelname:>7}|{funcName!r}|{created}|{user}|{exc_text}|{message}",
            Style::Brace,
        )
        .unwrap();
        let mut out = String::new();
        f.try_format(&r, &mut out).unwrap();
        assert_eq!(out, " NOTICE|None|1700000000|[1, 'a']||m");
        // A Python value that does not fit its spec is Python's error in
        // strict mode, and shown as str() otherwise.
        let f = Formatter::new("%(user)d").unwrap();
        assert!(f.try_format(&r, &mut String::new()).is_err());
        let mut out = String::new();
        f.format(&r, &mut out);
        assert_eq!(out, "[1, 'a']");
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_characters_asked_for() {
        let all = Scan::ONE_LINE;
        // Neighbours of the special sequences: two-byte C2 A0..BF and
        // three-byte E2 80 xx characters are plain text.
        for text in [
            "",
            "plain",
            "£ ° « » ©",
            "— → € ✓ …",
            "\u{2027}\u{202a}",
            "é\u{a0}",
        ] {
            assert!(!contains(text, all), "{text:?}");
        }
        for text in [
            "\n",
            "\t",
            "\r",
            "\0",
            "\x1b",
            "\x7f",
            "\u{80}",
            "\u{9f}",
            "\u{2028}",
            "x\u{2029}",
        ] {
            assert!(contains(text, all), "{text:?}");
        }
        let newline_only = Scan {
            newline: true,
            tab: false,
            controls: false,
            separators: false,
        };
        assert!(contains("a\nb", newline_only));
        assert!(!contains("a\tb\x1b\u{85}\u{2028}", newline_only));
        assert!(!contains("\u{2028}", Scan::CONTROLS));
        // Past the first words, after candidates that were not it, at the
        // very end, straddling a word boundary.
        for text in [
            "abcdefghijklmnopqrstuvwxyz\x1b",
            "°°°°°°°°°°°°\u{85}",
            "——————→→→→\u{2028}",
            "1234567\u{9b}",
            "123456\u{2029}",
        ] {
            assert!(contains(text, all), "{text:?}");
            let shorter =
                text.trim_end_matches(|c: char| c.is_control() || c > '\u{2027}' && c < '\u{202a}');
            assert!(!contains(shorter, all), "{shorter:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_characters(
            text in "[\\x00-\\x{a0}a-z°—\\x{2028}\\x{2029}]{0,40}|\\PC{0,40}",
            newline: bool, tab: bool, controls: bool, separators: bool,
        ) {
            let scan = Scan { newline, tab, controls, separators };
            let want = text.chars().any(|c| match c {
                '\n' => newline,
                '\t' => tab,
                '\u{2028}' | '\u{2029}' => separators,
                c => controls && is_control(c),
            });
            proptest::prop_assert_eq!(contains(&text, scan), want);
        }
    }

    #[test]
    fn escape_leaves_the_pattern_and_backslashes_alone() {
        let f = Formatter::new("%(levelname)s\t%(message)s")
            .unwrap()
            .escape(true);
        assert_eq!(render(&f, "a\tb\nc"), "WARNING\ta\\tb\\nc");
        assert_eq!(render(&f, "C:\\new\\table"), "WARNING\tC:\\new\\table");
        assert_eq!(render(&f, "\u{85}\u{2029}"), "WARNING\t\\x85\\u2029");
        assert!(f.clone().escapes());
        assert!(!Formatter::new("%(message)s").unwrap().escapes());
    }

    #[test]
    fn float_fields_print_as_python_floats_and_missing_fields_are_keyerrors() {
        let fields = [("ratio", Value::from(1.0)), ("big", Value::from(1e20))];
        let r = Record::new("x", Level::INFO, Message::Str("")).with_fields(&fields);
        let f = Formatter::new("%(ratio)s %(big)s").unwrap();
        let mut out = String::new();
        f.format(&r, &mut out);
        assert_eq!(out, "1.0 1e+20");
        let err = Formatter::new("%(nope)s")
            .unwrap()
            .try_format(&r, &mut String::new())
            .unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
        let r = Record::new("x", Level::ERROR, Message::Str("m")).with_exc_text("");
        let mut out = String::new();
        Formatter::new("[%(exc_text)s]")
            .unwrap()
            .format(&r, &mut out);
        assert_eq!(out, "[]");
    }
}
