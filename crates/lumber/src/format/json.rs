//! [`JsonFormatter`]: one JSON object per record, on one line.

use std::error::Error;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use super::Format;
use super::pyfmt::PyValue;
use super::strftime::Zone;
use super::structured::encode::{
    JsonEscaper, dedot_key, gelf_key, json_bytes, json_f64, json_quoted, json_str, push_i64,
    push_i128, push_u64,
};
use super::structured::time::Clock;
pub use super::structured::time::{TimeFormat, TimePrecision};
use super::structured::{
    Attr, AttrValue, Entry, FieldValue, FieldsMode, Flavor, Layout, Part, Seen, TAKEN_PREFIX,
    builtin_index, for_each_field, native_simple, picked_field, with_attr_value, with_message,
    with_scratch,
};
use crate::record::{Message, Record};
use crate::value::{OwnedValue, Value};

/// The ECS version the [`JsonFormatter::ecs`] preset declares.
const ECS_VERSION: &str = "1.6.0";

/// Nested Python values deeper than this are written as a string.
const MAX_DEPTH: usize = 64;

/// Formats a record as one line of JSON: one object per record.
///
/// # Output
///
/// By default a record is an object with Python's attribute names, then the
/// record's fields, then the error and the stack if there are any:
///
/// ```text
/// {"asctime":"2026-11-22T02:33:49.123+01:00","levelname":"INFO","name":"app.db","message":"connected","user":42}
/// ```
///
/// The line is always valid JSON (RFC 8259) whatever the record holds:
/// strings are escaped (`"`, `\`, every control character, and U+2028 and
/// U+2029, which JavaScript reads as line ends), so a line never contains a
/// raw newline; bytes that are not UTF-8 ([`Value::Bytes`](crate::Value))
/// become U+FFFD; non-finite floats, which JSON cannot write as numbers,
/// are the strings `"NaN"`, `"Infinity"` and `"-Infinity"`; `Display` and
/// `Debug` values are strings; and no key appears twice (see below).
///
/// # Keys
///
/// [`keys`](JsonFormatter::keys) selects the attributes shown, in order, by
/// Python's `LogRecord` names: `asctime` (the time, see
/// [`TimeFormat`]), `created`, `msecs`, `relativeCreated`, `levelname`,
/// `levelno`, `name`, `message`, `msg`, `pathname`, `filename`, `module`,
/// `lineno`, `funcName`, `thread`, `threadName`, `process`, `processName`,
/// `exc_info`, `exc_text`, `stack_info`; and lumber's `module_path`,
/// `exc_message` (the error's own message), `short_message` (the
/// message's first line), `full_message` (the message with the error and
/// the stack, shown only when that is more than the first line) and
/// `syslog_severity` (the level as a syslog severity, 0–7). Any other name
/// is a record field shown at that place. [`rename`](JsonFormatter::rename)
/// changes a key, [`static_field`](JsonFormatter::static_field) adds a
/// constant.
///
/// Numbers are numbers (`levelno`, `lineno`, `thread`, `process`, and
/// `created`, `msecs`, `relativeCreated` with Python's float digits);
/// `funcName` is `null` when unknown. A record that comes from Python
/// (`lumber pipe`) shows its own attribute values with their JSON types,
/// and its `extra` attributes as fields; `message` and `asctime` are
/// always computed.
///
/// # Fields
///
/// The record's fields — call site, then the bound logger's, then the
/// scoped context from the innermost scope out — are written at the top
/// level ([`flatten_fields`](JsonFormatter::flatten_fields), the default),
/// in an object ([`fields_under`](JsonFormatter::fields_under)), or not at
/// all ([`omit_fields`](JsonFormatter::omit_fields)); the context can have
/// an object of its own ([`context_under`](JsonFormatter::context_under)).
///
/// # Unique keys
///
/// - A key given twice to the formatter (a static field named like an
///   attribute, a rename onto another key) is shown once, with the value
///   configured last.
/// - A field key that comes more than once in a record (the call site
///   shadowing the context) is shown once, with the value
///   [`Record::field`] returns: the innermost.
/// - A field whose key is taken by one of the formatter's keys (a field
///   `name` beside the logger's `name`), whether or not the record has a
///   value for that key, is written as `fields.name` (then
///   `fields.fields.name`, if that is taken too), as logrus does: nothing
///   is lost and nothing is duplicated.
///
/// # Errors
///
/// `exc_info` is an object: for a Rust error (`record.error()`),
/// `{"message": "<the error>", "causes": ["<its source>", ...]}` following
/// the `source()` chain; for a Python record's traceback (`exc_text`),
/// `{"traceback": "<the text>"}`. `exc_text` is the text Python's
/// formatter prints (`Error: ...` and `Caused by: ...` lines for a Rust
/// error), `exc_message` the error's own message, `stack_info` the stack
/// text. Each is left out when the record has none.
///
/// # Presets
///
/// [`JsonFormatter::ecs`] follows the Elastic Common Schema as the
/// ecs-logging libraries write it, [`JsonFormatter::gelf`] Graylog's GELF
/// 1.1. Both can be adjusted with the same methods.
///
/// ```
/// use lumber::{Format, JsonFormatter, Level, Message, Record, Timestamp, Value};
/// let fields = [("user", Value::from(42)), ("path", Value::from("/a\"b"))];
/// let r = Record::new("app.db", Level::INFO, Message::Str("request done"))
///     .with_time(Timestamp::new(1_700_000_000, 123_000_000))
///     .with_fields(&fields);
/// let mut out = String::new();
/// JsonFormatter::new().utc(true).format(&r, &mut out);
/// assert_eq!(
///     out,
///     r#"{"asctime":"2023-11-14T22:13:20.123Z","levelname":"INFO","name":"app.db","message":"request done","user":42,"path":"/a\"b"}"#
/// );
/// ```
#[derive(Debug, Clone)]
pub struct JsonFormatter {
    layout: Layout,
    clock: Clock,
}

impl Default for JsonFormatter {
    fn default() -> JsonFormatter {
        JsonFormatter::new()
    }
}

/// How a field key is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyStyle {
    Plain,
    /// GELF additional field: `_` and `[\w.-]` only.
    Gelf,
    /// ecs-logging's `labels`: no `.`, `*` or `\`.
    Dedot,
}

impl JsonFormatter {
    /// Python's attribute names: `asctime` (RFC 3339, local time, with
    /// milliseconds), `levelname`, `name`, `message`, the fields at the top
    /// level, then `exc_info` and `stack_info` when the record has them.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record};
    /// let mut out = String::new();
    /// JsonFormatter::new().format(&Record::new("app", Level::WARNING, Message::Str("low disk")), &mut out);
    /// assert!(out.starts_with(r#"{"asctime":""#));
    /// assert!(out.ends_with(r#","levelname":"WARNING","name":"app","message":"low disk"}"#));
    /// ```
    pub fn new() -> JsonFormatter {
        JsonFormatter {
            layout: Layout::new(
                Flavor::Json,
                &[
                    "asctime",
                    "levelname",
                    "name",
                    "message",
                    "exc_info",
                    "stack_info",
                ],
            ),
            clock: Clock::new(TimeFormat::default(), Zone::Local),
        }
    }

    /// The Elastic Common Schema, as the ecs-logging libraries write it:
    /// `@timestamp` (UTC, milliseconds), `log.level` (lowercase),
    /// `message`, `ecs.version`, `log.logger`, `log.origin.file.name`,
    /// `log.origin.file.line`, `log.origin.function`, `process.pid`,
    /// `process.name`, `process.thread.id`, `process.thread.name`, the
    /// fields at the top level (as ecs-logging-python writes `extra`, so
    /// that a field `user.id` is ECS's `user.id`), then `error.message`
    /// (a Rust error's own message) and `error.stack_trace` (the error and
    /// its causes as `Error:`/`Caused by:` lines, or a Python traceback,
    /// followed by the stack if the record has one). Keys are dotted, which
    /// Elasticsearch reads as the nested objects of the schema.
    ///
    /// To put the fields under `labels` instead, call
    /// `.fields_under("labels")`: their keys then have `.`, `*` and `\`
    /// replaced by `_`, as ECS requires of labels (and a key that meets
    /// another that way gets the prefix `fields_`).
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Timestamp};
    /// let r = Record::new("app.db", Level::ERROR, Message::Str("query failed"))
    ///     .with_time(Timestamp::new(1_700_000_000, 5_000_000))
    ///     .with_process(7, "api")
    ///     .with_thread(9, "main");
    /// let mut out = String::new();
    /// JsonFormatter::ecs().format(&r, &mut out);
    /// assert_eq!(
    ///     out,
    ///     concat!(
    ///         r#"{"@timestamp":"2023-11-14T22:13:20.005Z","log.level":"error","message":"query failed","#,
    ///         r#""ecs.version":"1.6.0","log.logger":"app.db","log.origin.file.name":"(unknown file)","#,
    ///         r#""log.origin.file.line":0,"log.origin.function":null,"process.pid":7,"process.name":"api","#,
    ///         r#""process.thread.id":9,"process.thread.name":"main"}"#
    ///     )
    /// );
    /// ```
    pub fn ecs() -> JsonFormatter {
        let mut layout = Layout::new(Flavor::Ecs, &["asctime", "levelname", "message"]);
        layout.push_as(Attr::Static(OwnedValue::from(ECS_VERSION)), "ecs.version");
        for name in [
            "name",
            "filename",
            "lineno",
            "funcName",
            "process",
            "processName",
            "thread",
            "threadName",
            "exc_message",
            "exc_text",
        ] {
            layout.add_key(name);
        }
        JsonFormatter {
            layout,
            clock: Clock::new(TimeFormat::Rfc3339(TimePrecision::Millis), Zone::Utc),
        }
    }

    /// Graylog Extended Log Format 1.1: `version` `"1.1"`, `host` (this
    /// machine's name; replace it with `.static_field("host", ...)`),
    /// `short_message` (the message's first line), `full_message` (the
    /// whole message, the error and its causes, and the stack, when that is
    /// more than the first line), `timestamp` (seconds since the epoch with
    /// milliseconds), `level` (the syslog severity: CRITICAL 2, ERROR 3,
    /// WARNING 4, between INFO and WARNING 5, INFO 6, DEBUG and below 7),
    /// and the additional fields `_logger`, `_level_name`, `_file`,
    /// `_line`, `_function`, `_pid`, `_process_name`, `_thread_name`.
    ///
    /// The record's fields are additional fields: `_` and the key, with
    /// any character other than letters, digits, `_`, `.` and `-` as `_`;
    /// a field `id` becomes `_fields.id`, since GELF reserves `_id`. As the
    /// specification allows only strings and numbers, `null` values are
    /// left out, booleans are `"true"`/`"false"`, and lists and objects
    /// (from Python records) are strings of their JSON. Static fields get
    /// the `_` too, except GELF's own (`host`, `facility`, ...).
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Timestamp, Value};
    /// let fields = [("user id", Value::from(7)), ("ok", Value::from(true))];
    /// let r = Record::new("app", Level::WARNING, Message::Str("slow\nsee below"))
    ///     .with_time(Timestamp::new(1_700_000_000, 5_000_000))
    ///     .with_fields(&fields);
    /// let mut out = String::new();
    /// JsonFormatter::gelf()
    ///     .static_field("host", "web-1")
    ///     .keys(["short_message", "full_message", "asctime", "syslog_severity"])
    ///     .format(&r, &mut out);
    /// assert_eq!(
    ///     out,
    ///     concat!(
    ///         r#"{"short_message":"slow","timestamp":1700000000.005,"level":4,"version":"1.1","host":"web-1","#,
    ///         r#""_user_id":7,"_ok":"true","full_message":"slow\nsee below"}"#
    ///     )
    /// );
    /// ```
    pub fn gelf() -> JsonFormatter {
        let mut layout = Layout::new(Flavor::Gelf, &[]);
        layout.push_as(Attr::Static(OwnedValue::from("1.1")), "version");
        layout.push_as(Attr::Static(OwnedValue::from(hostname())), "host");
        for name in [
            "short_message",
            "full_message",
            "asctime",
            "syslog_severity",
            "name",
            "levelname",
            "pathname",
            "lineno",
            "funcName",
            "process",
            "processName",
            "threadName",
        ] {
            layout.add_key(name);
        }
        JsonFormatter {
            layout,
            clock: Clock::new(TimeFormat::EpochSeconds(TimePrecision::Millis), Zone::Utc),
        }
    }

    /// Shows these attributes, in this order, by Python's names (see the
    /// [`JsonFormatter`]); any other name is a record field
    /// shown at that place (and not again among the fields). Static fields
    /// stay, after them. Errors and stacks are always written after the
    /// fields.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Value};
    /// let fields = [("user", Value::from("ann")), ("n", Value::from(1))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_fields(&fields);
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["levelno", "user", "message"]).format(&r, &mut out);
    /// assert_eq!(out, r#"{"levelno":20,"user":"ann","message":"hi","n":1}"#);
    /// ```
    pub fn keys<I, S>(mut self, names: I) -> JsonFormatter
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.layout.set_keys(names);
        self
    }

    /// Shows one more attribute (or record field), after the others.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"));
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["message"]).add_key("levelno").format(&r, &mut out);
    /// assert_eq!(out, r#"{"message":"hi","levelno":20}"#);
    /// ```
    pub fn add_key(mut self, name: &str) -> JsonFormatter {
        self.layout.add_key(name);
        self
    }

    /// Stops showing an attribute (by its Python name or its key) or a
    /// static field (by its key).
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"));
    /// let mut out = String::new();
    /// JsonFormatter::new().remove_key("asctime").format(&r, &mut out);
    /// assert_eq!(out, r#"{"levelname":"INFO","name":"app","message":"hi"}"#);
    /// ```
    pub fn remove_key(mut self, name: &str) -> JsonFormatter {
        self.layout.remove_key(name);
        self
    }

    /// Writes an attribute (named by its Python name or its current key),
    /// or a record field, under another key. The latest rename of a name
    /// wins.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Value};
    /// let fields = [("uid", Value::from(7))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_fields(&fields);
    /// let mut out = String::new();
    /// JsonFormatter::new()
    ///     .keys(["levelname", "message"])
    ///     .rename("levelname", "level")
    ///     .rename("uid", "user.id")
    ///     .format(&r, &mut out);
    /// assert_eq!(out, r#"{"level":"INFO","message":"hi","user.id":7}"#);
    /// ```
    pub fn rename(mut self, from: &str, to: &str) -> JsonFormatter {
        self.layout.rename(from, to);
        self
    }

    /// Adds a constant to every line (a service name, an environment),
    /// after the attributes. A static field replaces an attribute or an
    /// earlier static field with the same key.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"));
    /// let mut out = String::new();
    /// JsonFormatter::new()
    ///     .keys(["message"])
    ///     .static_field("service", "billing")
    ///     .static_field("replica", 3)
    ///     .format(&r, &mut out);
    /// assert_eq!(out, r#"{"message":"hi","service":"billing","replica":3}"#);
    /// ```
    pub fn static_field(mut self, key: &str, value: impl Into<OwnedValue>) -> JsonFormatter {
        self.layout.static_field(key, value.into());
        self
    }

    /// Writes the record's fields at the top level, beside the attributes
    /// (the default).
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Value};
    /// let fields = [("user", Value::from(7))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_fields(&fields);
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["message"]).fields_under("f").flatten_fields().format(&r, &mut out);
    /// assert_eq!(out, r#"{"message":"hi","user":7}"#);
    /// ```
    pub fn flatten_fields(mut self) -> JsonFormatter {
        self.layout.fields = FieldsMode::Flat;
        self
    }

    /// Writes the record's fields in an object under `key` (left out when
    /// the record has none).
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Value};
    /// let fields = [("user", Value::from(7)), ("name", Value::from("ann"))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_fields(&fields);
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["name", "message"]).fields_under("fields").format(&r, &mut out);
    /// assert_eq!(out, r#"{"name":"app","message":"hi","fields":{"user":7,"name":"ann"}}"#);
    /// ```
    pub fn fields_under(mut self, key: &str) -> JsonFormatter {
        self.layout.fields = FieldsMode::Nested(key.into());
        self
    }

    /// Leaves the record's fields out (the context too, unless it has an
    /// object of its own, see [`context_under`](Self::context_under)).
    /// Fields picked with [`keys`](Self::keys) are still shown.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Value};
    /// let fields = [("user", Value::from(7)), ("n", Value::from(1))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_fields(&fields);
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["message", "user"]).omit_fields().format(&r, &mut out);
    /// assert_eq!(out, r#"{"message":"hi","user":7}"#);
    /// ```
    pub fn omit_fields(mut self) -> JsonFormatter {
        self.layout.fields = FieldsMode::Off;
        self
    }

    /// Writes the scoped context (see [`crate::push_context`]) in an object
    /// of its own under `key` (left out when empty), instead of with the
    /// other fields. A context key then shows even when a call-site field
    /// has the same key.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Value};
    /// let _scope = lumber::push_context(lumber::fields!(request = 9));
    /// let ctx = lumber::current_context();
    /// let fields = [("user", Value::from(7))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"))
    ///     .with_fields(&fields)
    ///     .with_context(ctx.as_ref());
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["message"]).context_under("context").format(&r, &mut out);
    /// assert_eq!(out, r#"{"message":"hi","user":7,"context":{"request":9}}"#);
    /// ```
    pub fn context_under(mut self, key: &str) -> JsonFormatter {
        self.layout.context = Some(key.into());
        self
    }

    /// Writes the scoped context with the other fields (the default).
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record};
    /// let _scope = lumber::push_context(lumber::fields!(request = 9));
    /// let ctx = lumber::current_context();
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_context(ctx.as_ref());
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["message"]).context_under("ctx").merge_context().format(&r, &mut out);
    /// assert_eq!(out, r#"{"message":"hi","request":9}"#);
    /// ```
    pub fn merge_context(mut self) -> JsonFormatter {
        self.layout.context = None;
        self
    }

    /// How `asctime` is written (default: RFC 3339 with milliseconds).
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, TimeFormat, Timestamp};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_time(Timestamp::new(1_700_000_000, 0));
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["asctime"]).time_format(TimeFormat::EpochMillis).format(&r, &mut out);
    /// assert_eq!(out, r#"{"asctime":1700000000000}"#);
    /// ```
    pub fn time_format(mut self, format: TimeFormat) -> JsonFormatter {
        self.clock.set_format(format);
        self
    }

    /// Writes RFC 3339 times in UTC (`Z`) instead of local time.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Timestamp};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_time(Timestamp::new(0, 0));
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["asctime"]).utc(true).format(&r, &mut out);
    /// assert_eq!(out, r#"{"asctime":"1970-01-01T00:00:00.000Z"}"#);
    /// ```
    pub fn utc(mut self, utc: bool) -> JsonFormatter {
        self.clock
            .set_zone(if utc { Zone::Utc } else { Zone::Local });
        self
    }

    /// Writes RFC 3339 times in a given time zone, with its offset.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record, Timestamp};
    /// let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(2));
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_time(Timestamp::new(0, 0));
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["asctime"]).time_zone(tz).format(&r, &mut out);
    /// assert_eq!(out, r#"{"asctime":"1970-01-01T02:00:00.000+02:00"}"#);
    /// ```
    pub fn time_zone(mut self, zone: jiff::tz::TimeZone) -> JsonFormatter {
        self.clock.set_zone(Zone::Fixed(zone));
        self
    }

    /// Writes `levelname` in lowercase (`info`, custom names too); the
    /// ECS preset does.
    ///
    /// ```
    /// use lumber::{Format, JsonFormatter, Level, Message, Record};
    /// let r = Record::new("app", Level::WARNING, Message::Str("hi"));
    /// let mut out = String::new();
    /// JsonFormatter::new().keys(["levelname"]).lowercase_level(true).format(&r, &mut out);
    /// assert_eq!(out, r#"{"levelname":"warning"}"#);
    /// ```
    pub fn lowercase_level(mut self, lowercase: bool) -> JsonFormatter {
        self.layout.set_lowercase_level(lowercase);
        self
    }

    /// Whether this is the GELF preset (values are strings or numbers).
    fn strict(&self) -> bool {
        self.layout.flavor == Flavor::Gelf
    }

    fn write_entry(&self, entry: &Entry, record: &Record<'_>, w: &mut Obj<'_>) {
        let strict = self.strict();
        let (attr, prefix) = (&entry.attr, &*entry.prefix);
        let native = record.python_attrs().is_empty();
        match attr {
            Attr::Levelname if native && builtin_index(record.level()).is_some() => {
                let pair = builtin_index(record.level()).and_then(|i| entry.levels.get(i));
                if let Some(pair) = pair {
                    w.sep();
                    w.out.push_str(pair);
                }
            }
            Attr::Asctime => {
                w.key(prefix);
                let text = self.clock.is_text();
                if text {
                    w.out.push('"');
                }
                self.clock.write(w.out, record.time());
                if text {
                    w.out.push('"');
                }
            }
            Attr::Message => {
                w.key(prefix);
                w.out.push('"');
                json_message(w.out, record.message());
                w.out.push('"');
            }
            Attr::ShortMessage => {
                w.key(prefix);
                w.out.push('"');
                with_message(record, |m| json_str(w.out, first_line(m)));
                w.out.push('"');
            }
            Attr::FullMessage => {
                let more = record.error().is_some()
                    || record.exc_text().is_some_and(|t| !t.is_empty())
                    || record.stack_info().is_some_and(|s| !s.is_empty());
                with_message(record, |m| {
                    if more || first_line(m).len() != m.len() {
                        w.key(prefix);
                        w.out.push('"');
                        json_str(w.out, m);
                        if more {
                            with_scratch(|tail| {
                                super::write_error_and_stack(record, tail);
                                if !m.is_empty() && !tail.starts_with('\n') {
                                    w.out.push_str("\\n");
                                }
                                json_str(w.out, tail);
                            });
                        }
                        w.out.push('"');
                    }
                });
            }
            Attr::ExcInfo => {
                if let Some(error) = record.error() {
                    w.key(prefix);
                    if strict {
                        with_scratch(|s| {
                            error_object(s, error);
                            json_quoted(w.out, s);
                        });
                    } else {
                        error_object(w.out, error);
                    }
                } else if let Some(text) = record.exc_text().filter(|t| !t.is_empty()) {
                    w.key(prefix);
                    if strict {
                        json_quoted(w.out, text);
                    } else {
                        w.out.push_str("{\"traceback\":");
                        json_quoted(w.out, text);
                        w.out.push('}');
                    }
                }
            }
            Attr::ExcText => {
                let with_stack = self.layout.flavor == Flavor::Ecs;
                with_scratch(|s| {
                    error_text(record, s, with_stack);
                    if !s.is_empty() {
                        w.key(prefix);
                        json_quoted(w.out, s);
                    }
                });
            }
            Attr::ExcMessage => {
                if let Some(error) = record.error() {
                    w.key(prefix);
                    w.out.push('"');
                    let _ = write!(JsonEscaper(w.out), "{error}");
                    w.out.push('"');
                }
            }
            Attr::StackInfo => {
                if let Some(stack) = record.stack_info().filter(|s| !s.is_empty()) {
                    w.key(prefix);
                    json_quoted(w.out, stack);
                }
            }
            Attr::Field(key) => {
                if let Some(value) = picked_field(record, key)
                    && !(strict && is_null(value))
                {
                    w.key(prefix);
                    field_value(w.out, value, strict);
                }
            }
            Attr::Static(value) => {
                let value = value.as_value();
                if !(strict && matches!(value, Value::Null)) {
                    w.key(prefix);
                    json_value(w.out, value, strict);
                }
            }
            other => {
                if native {
                    match native_simple(other, record) {
                        Some(AttrValue::Str(s)) => {
                            w.key(prefix);
                            json_quoted(w.out, s);
                            return;
                        }
                        Some(AttrValue::U64(n)) => {
                            w.key(prefix);
                            push_u64(w.out, n);
                            return;
                        }
                        Some(_) => {
                            if !strict {
                                w.key(prefix);
                                w.out.push_str("null");
                            }
                            return;
                        }
                        None => {}
                    }
                }
                let _ = with_attr_value(other, record, self.layout.lowercase_level(), |v| {
                    let null = match v {
                        AttrValue::Null => true,
                        AttrValue::Py(p) => matches!(p, PyValue::None),
                        _ => false,
                    };
                    if strict && null {
                        return;
                    }
                    w.key(prefix);
                    match v {
                        AttrValue::Str(s) => json_quoted(w.out, s),
                        AttrValue::Text(s) => json_quoted(w.out, &s),
                        AttrValue::U64(n) => push_u64(w.out, n),
                        AttrValue::F64(f) => json_f64(w.out, f),
                        AttrValue::Message(m) => {
                            w.out.push('"');
                            json_message(w.out, m);
                            w.out.push('"');
                        }
                        AttrValue::Py(p) => py_value(w.out, p, strict, 0),
                        AttrValue::Null => w.out.push_str("null"),
                    }
                });
            }
        }
    }

    /// Writes one field key in `style`, taking `fields.` prefixes until it
    /// is neither an entry's key (`top`) nor a key written before in this
    /// object. Returns where the key is in the output.
    fn write_field_key(
        &self,
        out: &mut String,
        key: &str,
        seen: &Seen<'_>,
        style: KeyStyle,
        top: bool,
    ) -> (usize, usize) {
        let mut taken = 0;
        loop {
            let start = out.len();
            match style {
                KeyStyle::Plain => {
                    for _ in 0..taken {
                        out.push_str(TAKEN_PREFIX);
                    }
                    json_str(out, key);
                }
                KeyStyle::Dedot => {
                    // Labels have no dots, the prefix neither.
                    for _ in 0..taken {
                        out.push_str("fields_");
                    }
                    dedot_key(out, key);
                }
                KeyStyle::Gelf => {
                    if taken > 0 || !key.starts_with('_') {
                        out.push('_');
                    }
                    for _ in 0..taken {
                        out.push_str(TAKEN_PREFIX);
                    }
                    gelf_key(out, key);
                }
            }
            let end = out.len();
            let reserved = top
                && out
                    .get(start..end)
                    .is_some_and(|k| self.layout.is_reserved(k));
            if !reserved && !seen.has_written(out, start, end) {
                return (start, end);
            }
            out.truncate(start);
            taken += 1;
        }
    }

    /// Writes the fields of `part` into the current object.
    fn write_fields<'r>(
        &self,
        record: &Record<'r>,
        part: Part,
        w: &mut Obj<'_>,
        seen: &mut Seen<'r>,
        style: KeyStyle,
        top: bool,
    ) {
        let strict = self.strict();
        for_each_field(record, part, |raw, value| {
            if self.layout.is_pick(raw) || seen.has_raw(raw) {
                return;
            }
            if strict && is_null(value) {
                seen.push(raw, None);
                return;
            }
            w.sep();
            w.out.push('"');
            let range = self.write_field_key(w.out, self.layout.field_key(raw), seen, style, top);
            w.out.push_str("\":");
            seen.push(raw, Some(range));
            field_value(w.out, value, strict);
        });
    }

    /// Writes the fields of `part` in an object under `key`, unless there
    /// are none.
    fn write_object<'r>(
        &self,
        key: &str,
        record: &Record<'r>,
        part: Part,
        w: &mut Obj<'_>,
        top: &mut Seen<'r>,
    ) {
        let mark = w.out.len();
        let was_first = w.first;
        w.sep();
        w.out.push('"');
        let top_style = self.top_style();
        let range = self.write_field_key(w.out, key, top, top_style, true);
        w.out.push_str("\":{");
        let style = if self.layout.flavor == Flavor::Ecs && key == "labels" {
            KeyStyle::Dedot
        } else {
            KeyStyle::Plain
        };
        let mut inner = Obj {
            out: &mut *w.out,
            first: true,
        };
        let mut seen = Seen::new();
        self.write_fields(record, part, &mut inner, &mut seen, style, false);
        if inner.first {
            w.out.truncate(mark);
            w.first = was_first;
            return;
        }
        w.out.push('}');
        top.push("", Some(range));
    }

    fn top_style(&self) -> KeyStyle {
        if self.layout.flavor == Flavor::Gelf {
            KeyStyle::Gelf
        } else {
            KeyStyle::Plain
        }
    }
}

/// An object being written: the output and whether a key was written yet.
struct Obj<'o> {
    out: &'o mut String,
    first: bool,
}

impl Obj<'_> {
    #[inline]
    fn sep(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.out.push(',');
        }
    }

    /// A separator and a pre-rendered `"key":`.
    #[inline]
    fn key(&mut self, prefix: &str) {
        self.sep();
        self.out.push_str(prefix);
    }
}

impl Format for JsonFormatter {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        out.push('{');
        let mut w = Obj { out, first: true };
        for e in self.layout.head() {
            self.write_entry(e, record, &mut w);
        }
        let mut top = Seen::new();
        let own = if self.layout.context.is_some() {
            Part::Own
        } else {
            Part::All
        };
        match &self.layout.fields {
            FieldsMode::Flat => {
                let style = self.top_style();
                self.write_fields(record, own, &mut w, &mut top, style, true);
            }
            FieldsMode::Nested(key) => self.write_object(key, record, own, &mut w, &mut top),
            FieldsMode::Off => {}
        }
        if let Some(key) = &self.layout.context {
            self.write_object(key, record, Part::Context, &mut w, &mut top);
        }
        for e in self.layout.tail() {
            self.write_entry(e, record, &mut w);
        }
        w.out.push('}');
    }

    fn describe(&self) -> String {
        let flavor = match self.layout.flavor {
            Flavor::Ecs => "ecs: ",
            Flavor::Gelf => "gelf: ",
            _ => "",
        };
        format!("JsonFormatter({flavor}{})", self.layout.describe())
    }
}

/// The message's text, escaped.
fn json_message(out: &mut String, message: Message<'_>) {
    match message.as_str() {
        Some(s) => json_str(out, s),
        None => {
            let _ = write!(JsonEscaper(out), "{message}");
        }
    }
}

/// Up to the first line end.
fn first_line(text: &str) -> &str {
    let line = text.split('\n').next().unwrap_or(text);
    line.strip_suffix('\r').unwrap_or(line)
}

fn is_null(value: FieldValue<'_>) -> bool {
    matches!(
        value,
        FieldValue::Native(Value::Null) | FieldValue::Py(PyValue::None)
    )
}

fn field_value(out: &mut String, value: FieldValue<'_>, strict: bool) {
    match value {
        FieldValue::Native(v) => json_value(out, v, strict),
        FieldValue::Py(v) => py_value(out, v, strict, 0),
    }
}

/// A field value as JSON. `strict` (GELF): booleans as strings.
pub(crate) fn json_value(out: &mut String, value: Value<'_>, strict: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(match (b, strict) {
            (true, false) => "true",
            (false, false) => "false",
            (true, true) => "\"true\"",
            (false, true) => "\"false\"",
        }),
        Value::I64(n) => push_i64(out, n),
        Value::U64(n) => push_u64(out, n),
        Value::F64(f) => json_f64(out, f),
        Value::Str(s) => json_quoted(out, s),
        Value::Bytes(b) => {
            out.push('"');
            json_bytes(out, b);
            out.push('"');
        }
        Value::Display(d) => {
            out.push('"');
            let _ = write!(JsonEscaper(out), "{d}");
            out.push('"');
        }
        Value::Debug(d) => {
            out.push('"');
            let _ = write!(JsonEscaper(out), "{d:?}");
            out.push('"');
        }
    }
}

/// A Python value as JSON: lists and tuples are arrays, dicts objects
/// (a key given twice keeps its last value, as `json.loads` does).
/// `strict` (GELF): booleans, lists and dicts as strings of their JSON.
pub(crate) fn py_value(out: &mut String, value: &PyValue, strict: bool, depth: usize) {
    match value {
        PyValue::None => out.push_str("null"),
        PyValue::Bool(b) => json_value(out, Value::Bool(*b), strict),
        PyValue::Int(n) => push_i128(out, *n),
        PyValue::Float(f) => json_f64(out, *f),
        PyValue::Str(s) => json_quoted(out, s),
        PyValue::List(_) | PyValue::Tuple(_) | PyValue::Dict(_) if strict => with_scratch(|s| {
            py_value(s, value, false, depth);
            json_quoted(out, s);
        }),
        _ if depth >= MAX_DEPTH => out.push_str("\"...\""),
        PyValue::List(items) | PyValue::Tuple(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                py_value(out, item, false, depth + 1);
            }
            out.push(']');
        }
        PyValue::Dict(entries) => {
            out.push('{');
            let mut first = true;
            for (i, (k, v)) in entries.iter().enumerate() {
                if entries[i + 1..].iter().any(|(later, _)| later == k) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                json_quoted(out, k);
                out.push(':');
                py_value(out, v, false, depth + 1);
            }
            out.push('}');
        }
    }
}

/// `{"message":"...","causes":["...",...]}`.
fn error_object(out: &mut String, error: &(dyn Error + 'static)) {
    out.push_str("{\"message\":\"");
    let _ = write!(JsonEscaper(out), "{error}");
    out.push_str("\",\"causes\":[");
    let mut source = error.source();
    let mut depth = 0;
    while let Some(cause) = source {
        if depth > 0 {
            out.push(',');
        }
        depth += 1;
        if depth > 64 {
            out.push_str("\"... (chain too deep)\"");
            break;
        }
        out.push('"');
        let _ = write!(JsonEscaper(out), "{cause}");
        out.push('"');
        source = cause.source();
    }
    out.push_str("]}");
}

/// The error as Python's formatter prints it (or a Python traceback),
/// then, with `with_stack`, the stack.
fn error_text(record: &Record<'_>, out: &mut String, with_stack: bool) {
    if let Some(error) = record.error() {
        super::write_error_chain(out, error);
    } else if let Some(text) = record.exc_text().filter(|t| !t.is_empty()) {
        out.push_str(text);
    }
    if with_stack && let Some(stack) = record.stack_info().filter(|s| !s.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(stack);
    }
}

/// This machine's name, for GELF's `host`.
fn hostname() -> String {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let from_file = |path: &str| {
            std::fs::read_to_string(path)
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        from_file("/proc/sys/kernel/hostname")
            .or_else(|| from_file("/etc/hostname"))
            .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
            .or_else(|| std::env::var("COMPUTERNAME").ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "localhost".to_owned())
    })
    .clone()
}

impl fmt::Display for JsonFormatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Level;
    use crate::record::Timestamp;

    fn render(f: &JsonFormatter, r: &Record<'_>) -> String {
        let mut out = String::new();
        f.format(r, &mut out);
        out
    }

    #[test]
    fn taken_keys_get_a_prefix_until_free() {
        let fields = [
            ("name", Value::from(1)),
            ("fields.name", Value::from(2)),
            ("name", Value::from(3)),
        ];
        let r = Record::new("app", Level::INFO, Message::Str("m")).with_fields(&fields);
        let f = JsonFormatter::new().keys(["name"]);
        assert_eq!(
            render(&f, &r),
            r#"{"name":"app","fields.name":1,"fields.fields.name":2}"#
        );
    }

    #[test]
    fn empty_objects_are_left_out() {
        let r = Record::new("app", Level::INFO, Message::Str("m"));
        let f = JsonFormatter::new()
            .keys(["message"])
            .fields_under("f")
            .context_under("c");
        assert_eq!(render(&f, &r), r#"{"message":"m"}"#);
        let f = JsonFormatter::new().keys(Vec::<&str>::new());
        assert_eq!(render(&f, &r), "{}");
    }

    #[test]
    fn python_dicts_keep_the_last_duplicate_and_deep_values_stop() {
        let dict = PyValue::Dict(vec![
            ("a".into(), PyValue::Int(1)),
            ("b".into(), PyValue::Bool(true)),
            ("a".into(), PyValue::Float(f64::NAN)),
        ]);
        let mut out = String::new();
        py_value(&mut out, &dict, false, 0);
        assert_eq!(out, r#"{"b":true,"a":"NaN"}"#);
        let mut deep = PyValue::Int(1);
        for _ in 0..200 {
            deep = PyValue::List(vec![deep]);
        }
        let mut out = String::new();
        py_value(&mut out, &deep, false, 0);
        assert!(out.starts_with("[[[[") && out.contains("\"...\""));
        let mut out = String::new();
        py_value(&mut out, &dict, true, 0);
        assert_eq!(out, r#""{\"b\":true,\"a\":\"NaN\"}""#);
    }

    #[test]
    fn time_is_cached_per_second_and_still_exact() {
        let f = JsonFormatter::new().keys(["asctime"]).utc(true);
        for nanos in [0, 1_000_000, 999_999_999] {
            let r = Record::new("app", Level::INFO, Message::Str("m"))
                .with_time(Timestamp::new(1_700_000_000, nanos));
            let ms = nanos / 1_000_000;
            assert_eq!(
                render(&f, &r),
                format!("{{\"asctime\":\"2023-11-14T22:13:20.{ms:03}Z\"}}")
            );
        }
    }
}
