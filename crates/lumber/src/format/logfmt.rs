//! [`LogfmtFormatter`]: `key=value` pairs on one line.

use std::error::Error;
use std::fmt::{self, Write as _};

use super::Format;
use super::json::py_value;
use super::pyfmt::PyValue;
use super::strftime::Zone;
use super::structured::encode::{
    logfmt_bytes, logfmt_f64, logfmt_key, logfmt_str, push_i64, push_i128, push_u64,
};
use super::structured::time::{Clock, TimeFormat};
use super::structured::{
    Attr, AttrValue, Entry, FieldValue, FieldsMode, Flavor, Layout, Part, Seen, TAKEN_PREFIX,
    builtin_index, for_each_field, native_simple, picked_field, with_attr_value, with_message,
    with_scratch,
};
use crate::record::{Message, Record};
use crate::value::{OwnedValue, Value};

/// Formats a record as one logfmt line.
///
/// `key=value` pairs on one line, as Heroku, Go's
/// go-logfmt and Grafana Loki read them.
///
/// ```text
/// time=2026-11-22T02:33:49.123+01:00 level=info logger=app.db msg="request done" user=42
/// ```
///
/// # Values
///
/// A value is written as it is unless it is empty or contains a space, `=`,
/// `"`, a control character or other white space (a no-break space, U+2028,
/// ...): then it is quoted, with `\"`, `\\`, `\n`, `\r`, `\t`, and `\u00XX`
/// for other control characters (and `\u2028`, `\u2029`), the escapes
/// go-logfmt's decoder reads. A line never contains a raw newline.
/// Numbers are written with Python's digits (`1.5`, `1e+20`), non-finite
/// floats as `NaN`, `+Inf`, `-Inf`; `null` for no value; bytes that are not
/// UTF-8 with U+FFFD; lists and dicts of Python records as their JSON.
///
/// # Keys
///
/// The attributes are selected, renamed and completed as with
/// [`JsonFormatter`](crate::JsonFormatter) (Python's names; by default
/// `asctime` as `time`, `levelname` as `level` in lowercase, `name` as
/// `logger`, `message` as `msg`, then the fields, then `exc_info` as
/// `error` and `stack_info` as `stack`). A key has every character a value
/// would quote replaced by `_` (an empty key is `_`). A key is never
/// written twice: a field shadowed by an inner one (call site over context)
/// is left out, and a field whose key is taken by an attribute or by
/// another field (after `_` replacement) is written as `fields.<key>`.
///
/// # Errors
///
/// `error` is the error and its causes joined by `": "`
/// (`error="load config: read file: permission denied"`), or a Python
/// record's traceback; `exc_text` (not shown by default) is the
/// `Error:`/`Caused by:` text Python's formatter prints.
///
/// ```
/// use lumber::{Format, Level, LogfmtFormatter, Message, Record, Timestamp, Value};
/// let fields = [("user", Value::from(42)), ("path", Value::from("/a b"))];
/// let r = Record::new("app.db", Level::INFO, Message::Str("request done"))
///     .with_time(Timestamp::new(1_700_000_000, 123_000_000))
///     .with_fields(&fields);
/// let mut out = String::new();
/// LogfmtFormatter::new().utc(true).format(&r, &mut out);
/// assert_eq!(
///     out,
///     r#"time=2023-11-14T22:13:20.123Z level=info logger=app.db msg="request done" user=42 path="/a b""#
/// );
/// ```
#[derive(Debug, Clone)]
pub struct LogfmtFormatter {
    layout: Layout,
    clock: Clock,
}

impl Default for LogfmtFormatter {
    fn default() -> LogfmtFormatter {
        LogfmtFormatter::new()
    }
}

impl LogfmtFormatter {
    /// `time` (RFC 3339, local time, with milliseconds), `level`
    /// (lowercase), `logger`, `msg`, the fields, then `error` and `stack`
    /// when the record has them.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record};
    /// let e = std::io::Error::other("disk full");
    /// let r = Record::new("app", Level::ERROR, Message::Str("save failed")).with_error(&e);
    /// let mut out = String::new();
    /// LogfmtFormatter::new().remove_key("time").format(&r, &mut out);
    /// assert_eq!(out, r#"level=error logger=app msg="save failed" error="disk full""#);
    /// ```
    pub fn new() -> LogfmtFormatter {
        LogfmtFormatter {
            layout: Layout::new(
                Flavor::Logfmt,
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

    /// Shows these attributes, in this order, by Python's names (see
    /// [`JsonFormatter::keys`](crate::JsonFormatter::keys)); any other name
    /// is a record field shown at that place. `asctime`, `levelname`,
    /// `name`, `message`, `exc_info` and `stack_info` are written as
    /// `time`, `level`, `logger`, `msg`, `error` and `stack`.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record, Value};
    /// let fields = [("user", Value::from("ann")), ("n", Value::from(1))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_fields(&fields);
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["levelname", "user", "message", "lineno"]).format(&r, &mut out);
    /// assert_eq!(out, "level=info user=ann msg=hi lineno=0 n=1");
    /// ```
    pub fn keys<I, S>(mut self, names: I) -> LogfmtFormatter
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
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"));
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["message"]).add_key("levelno").format(&r, &mut out);
    /// assert_eq!(out, "msg=hi levelno=20");
    /// ```
    pub fn add_key(mut self, name: &str) -> LogfmtFormatter {
        self.layout.add_key(name);
        self
    }

    /// Stops showing an attribute (by its Python name or its key) or a
    /// static field (by its key).
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"));
    /// let mut out = String::new();
    /// LogfmtFormatter::new().remove_key("time").remove_key("name").format(&r, &mut out);
    /// assert_eq!(out, "level=info msg=hi");
    /// ```
    pub fn remove_key(mut self, name: &str) -> LogfmtFormatter {
        self.layout.remove_key(name);
        self
    }

    /// Writes an attribute (by its Python name or its current key), or a
    /// record field, under another key.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"));
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["levelname", "message"]).rename("msg", "message").format(&r, &mut out);
    /// assert_eq!(out, "level=info message=hi");
    /// ```
    pub fn rename(mut self, from: &str, to: &str) -> LogfmtFormatter {
        self.layout.rename(from, to);
        self
    }

    /// Adds a constant to every line, after the attributes. It replaces
    /// an attribute or an earlier static field with the same key.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi"));
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["message"]).static_field("service", "billing").format(&r, &mut out);
    /// assert_eq!(out, "msg=hi service=billing");
    /// ```
    pub fn static_field(mut self, key: &str, value: impl Into<OwnedValue>) -> LogfmtFormatter {
        self.layout.static_field(key, value.into());
        self
    }

    /// Leaves the record's fields (and context) out; fields picked with
    /// [`keys`](Self::keys) are still shown.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record, Value};
    /// let fields = [("user", Value::from(7))];
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_fields(&fields);
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["message"]).omit_fields().format(&r, &mut out);
    /// assert_eq!(out, "msg=hi");
    /// ```
    pub fn omit_fields(mut self) -> LogfmtFormatter {
        self.layout.fields = FieldsMode::Off;
        self
    }

    /// How `time` is written (default: RFC 3339 with milliseconds).
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record, TimeFormat, TimePrecision, Timestamp};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_time(Timestamp::new(1_700_000_000, 0));
    /// let mut out = String::new();
    /// LogfmtFormatter::new()
    ///     .keys(["asctime"])
    ///     .time_format(TimeFormat::EpochSeconds(TimePrecision::Seconds))
    ///     .format(&r, &mut out);
    /// assert_eq!(out, "time=1700000000");
    /// ```
    pub fn time_format(mut self, format: TimeFormat) -> LogfmtFormatter {
        self.clock.set_format(format);
        self
    }

    /// Writes RFC 3339 times in UTC (`Z`) instead of local time.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record, Timestamp};
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_time(Timestamp::new(0, 0));
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["asctime"]).utc(true).format(&r, &mut out);
    /// assert_eq!(out, "time=1970-01-01T00:00:00.000Z");
    /// ```
    pub fn utc(mut self, utc: bool) -> LogfmtFormatter {
        self.clock
            .set_zone(if utc { Zone::Utc } else { Zone::Local });
        self
    }

    /// Writes RFC 3339 times in a given time zone, with its offset.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record, Timestamp};
    /// let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(-5));
    /// let r = Record::new("app", Level::INFO, Message::Str("hi")).with_time(Timestamp::new(0, 0));
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["asctime"]).time_zone(tz).format(&r, &mut out);
    /// assert_eq!(out, "time=1969-12-31T19:00:00.000-05:00");
    /// ```
    pub fn time_zone(mut self, zone: jiff::tz::TimeZone) -> LogfmtFormatter {
        self.clock.set_zone(Zone::Fixed(zone));
        self
    }

    /// Writes the level in lowercase (the default) or as its name is.
    ///
    /// ```
    /// use lumber::{Format, Level, LogfmtFormatter, Message, Record};
    /// let r = Record::new("app", Level::WARNING, Message::Str("hi"));
    /// let mut out = String::new();
    /// LogfmtFormatter::new().keys(["levelname"]).lowercase_level(false).format(&r, &mut out);
    /// assert_eq!(out, "level=WARNING");
    /// ```
    pub fn lowercase_level(mut self, lowercase: bool) -> LogfmtFormatter {
        self.layout.set_lowercase_level(lowercase);
        self
    }

    fn write_entry(&self, entry: &Entry, record: &Record<'_>, w: &mut Line<'_>) {
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
                self.clock.write(w.out, record.time());
            }
            Attr::Message => {
                w.key(prefix);
                with_message(record, |m| logfmt_str(w.out, m));
            }
            Attr::ShortMessage => {
                w.key(prefix);
                with_message(record, |m| {
                    let line = m.split('\n').next().unwrap_or(m);
                    logfmt_str(w.out, line.strip_suffix('\r').unwrap_or(line));
                });
            }
            Attr::FullMessage => {
                w.key(prefix);
                with_scratch(|s| {
                    with_message(record, |m| s.push_str(m));
                    super::write_error_and_stack(record, s);
                    logfmt_str(w.out, s);
                });
            }
            Attr::ExcInfo => {
                if let Some(error) = record.error() {
                    w.key(prefix);
                    with_scratch(|s| {
                        joined_chain(s, error);
                        logfmt_str(w.out, s);
                    });
                } else if let Some(text) = record.exc_text().filter(|t| !t.is_empty()) {
                    w.key(prefix);
                    logfmt_str(w.out, text);
                }
            }
            Attr::ExcText => {
                if let Some(error) = record.error() {
                    w.key(prefix);
                    with_scratch(|s| {
                        super::write_error_chain(s, error);
                        logfmt_str(w.out, s);
                    });
                } else if let Some(text) = record.exc_text().filter(|t| !t.is_empty()) {
                    w.key(prefix);
                    logfmt_str(w.out, text);
                }
            }
            Attr::ExcMessage => {
                if let Some(error) = record.error() {
                    w.key(prefix);
                    with_scratch(|s| {
                        let _ = write!(s, "{error}");
                        logfmt_str(w.out, s);
                    });
                }
            }
            Attr::StackInfo => {
                if let Some(stack) = record.stack_info().filter(|s| !s.is_empty()) {
                    w.key(prefix);
                    logfmt_str(w.out, stack);
                }
            }
            Attr::Field(key) => {
                if let Some(value) = picked_field(record, key) {
                    w.key(prefix);
                    field_value(w.out, value);
                }
            }
            Attr::Static(value) => {
                w.key(prefix);
                logfmt_value(w.out, value.as_value());
            }
            other => {
                if native && let Some(value) = native_simple(other, record) {
                    w.key(prefix);
                    match value {
                        AttrValue::Str(s) => logfmt_str(w.out, s),
                        AttrValue::U64(n) => push_u64(w.out, n),
                        _ => w.out.push_str("null"),
                    }
                    return;
                }
                let _ = with_attr_value(other, record, self.layout.lowercase_level(), |v| {
                    w.key(prefix);
                    match v {
                        AttrValue::Str(s) => logfmt_str(w.out, s),
                        AttrValue::Text(s) => logfmt_str(w.out, &s),
                        AttrValue::U64(n) => push_u64(w.out, n),
                        AttrValue::F64(f) => logfmt_f64(w.out, f),
                        AttrValue::Message(m) => logfmt_message(w.out, m),
                        AttrValue::Py(p) => logfmt_py(w.out, p),
                        AttrValue::Null => w.out.push_str("null"),
                    }
                });
            }
        }
    }

    /// Writes a field key, taking `fields.` prefixes until it is neither
    /// an attribute's key nor a key written before.
    fn write_field_key(&self, out: &mut String, key: &str, seen: &Seen<'_>) -> (usize, usize) {
        let mut taken = 0;
        loop {
            let start = out.len();
            for _ in 0..taken {
                out.push_str(TAKEN_PREFIX);
            }
            logfmt_key(out, key);
            let end = out.len();
            let reserved = out
                .get(start..end)
                .is_some_and(|k| self.layout.is_reserved(k));
            if !reserved && !seen.has_written(out, start, end) {
                return (start, end);
            }
            out.truncate(start);
            taken += 1;
        }
    }
}

/// A line being written: the output and whether a pair was written yet.
struct Line<'o> {
    out: &'o mut String,
    first: bool,
}

impl Line<'_> {
    #[inline]
    fn sep(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.out.push(' ');
        }
    }

    #[inline]
    fn key(&mut self, prefix: &str) {
        self.sep();
        self.out.push_str(prefix);
    }
}

impl Format for LogfmtFormatter {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        let mut w = Line { out, first: true };
        for e in self.layout.head() {
            self.write_entry(e, record, &mut w);
        }
        if self.layout.fields != FieldsMode::Off {
            let mut seen = Seen::new();
            for_each_field(record, Part::All, |raw, value| {
                if self.layout.is_pick(raw) || seen.has_raw(raw) {
                    return;
                }
                w.sep();
                let range = self.write_field_key(w.out, self.layout.field_key(raw), &seen);
                w.out.push('=');
                seen.push(raw, Some(range));
                field_value(w.out, value);
            });
        }
        for e in self.layout.tail() {
            self.write_entry(e, record, &mut w);
        }
    }

    fn describe(&self) -> String {
        format!("LogfmtFormatter({})", self.layout.describe())
    }
}

impl fmt::Display for LogfmtFormatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The error and its causes joined by `": "`.
fn joined_chain(out: &mut String, error: &(dyn Error + 'static)) {
    let _ = write!(out, "{error}");
    let mut source = error.source();
    let mut depth = 0;
    while let Some(cause) = source {
        depth += 1;
        if depth > 64 {
            out.push_str(": ... (chain too deep)");
            break;
        }
        let _ = write!(out, ": {cause}");
        source = cause.source();
    }
}

fn logfmt_message(out: &mut String, message: Message<'_>) {
    match message.as_str() {
        Some(s) => logfmt_str(out, s),
        None => with_scratch(|s| {
            message.write_to(s);
            logfmt_str(out, s);
        }),
    }
}

fn field_value(out: &mut String, value: FieldValue<'_>) {
    match value {
        FieldValue::Native(v) => logfmt_value(out, v),
        FieldValue::Py(v) => logfmt_py(out, v),
    }
}

fn logfmt_value(out: &mut String, value: Value<'_>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Value::I64(n) => push_i64(out, n),
        Value::U64(n) => push_u64(out, n),
        Value::F64(f) => logfmt_f64(out, f),
        Value::Str(s) => logfmt_str(out, s),
        Value::Bytes(b) => logfmt_bytes(out, b),
        Value::Display(d) => with_scratch(|s| {
            let _ = write!(s, "{d}");
            logfmt_str(out, s);
        }),
        Value::Debug(d) => with_scratch(|s| {
            let _ = write!(s, "{d:?}");
            logfmt_str(out, s);
        }),
    }
}

fn logfmt_py(out: &mut String, value: &PyValue) {
    match value {
        PyValue::None => out.push_str("null"),
        PyValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        PyValue::Int(n) => push_i128(out, *n),
        PyValue::Float(f) => logfmt_f64(out, *f),
        PyValue::Str(s) => logfmt_str(out, s),
        nested => with_scratch(|s| {
            py_value(s, nested, false, 0);
            logfmt_str(out, s);
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Level;

    fn render(f: &LogfmtFormatter, r: &Record<'_>) -> String {
        let mut out = String::new();
        f.format(r, &mut out);
        out
    }

    #[test]
    fn sanitized_keys_that_meet_are_told_apart() {
        let fields = [
            ("a b", Value::from(1)),
            ("a_b", Value::from(2)),
            ("", Value::from(3)),
            ("msg", Value::from(4)),
        ];
        let r = Record::new("app", Level::INFO, Message::Str("m")).with_fields(&fields);
        let f = LogfmtFormatter::new().keys(["message"]);
        assert_eq!(render(&f, &r), "msg=m a_b=1 fields.a_b=2 _=3 fields.msg=4");
    }

    #[test]
    fn nested_python_values_are_json() {
        let attrs = [(
            "tags",
            PyValue::List(vec![PyValue::Str("a b".into()), PyValue::None]),
        )];
        let r = Record::new("app", Level::INFO, Message::Str("m")).with_python_attrs(&attrs);
        let f = LogfmtFormatter::new().keys(["message"]);
        assert_eq!(render(&f, &r), r#"msg=m tags="[\"a b\",null]""#);
    }
}
