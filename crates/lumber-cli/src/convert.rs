//! A Python record as a lumber [`Record`], formatted with Python's errors.
//!
//! What lumber holds natively (level, site, time, thread, process, the
//! error and stack texts) is set through the record's own setters wherever
//! lumber shows it as Python would; every other attribute (`levelname`
//! `"NOTICE"` at `levelno` 25, `funcName` `None`, an integer `created`,
//! `args`, extra keys...) goes to [`Record::with_python_attrs`] under its
//! Python name, so the formatter shows it with Python's `str()` and format
//! rules. [`Formatter::try_format`] fails where Python's `Formatter.format`
//! raises. The structured formatters (`--json`, `--logfmt`) show any
//! record; only a message that `msg % args` cannot make is an error.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use lumber::python::{self, PyFmtError, PyValue};
use lumber::{Format, Formatter, Function, Level, Message, Record, Site, Timestamp};

use crate::record::{PyRecord, as_f64, msecs_of};

/// Why a record cannot be printed; Python would report a "Logging error"
/// and print nothing for it.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordError {
    /// `msg % args` failed.
    Message(PyFmtError),
    /// The format uses an attribute the record does not have.
    Missing(String),
    /// An attribute has a type Python could not use.
    Type(&'static str, &'static str),
    /// A value does not fit its reference in the format (`%(lineno)d` with
    /// a string): Python's TypeError or ValueError.
    Format(PyFmtError),
}

impl RecordError {
    /// Sorts an error of [`Formatter::try_format`]: `KeyError: 'name'` is
    /// a missing attribute.
    fn from_format(e: PyFmtError) -> RecordError {
        let key = e.0.strip_prefix("KeyError: '");
        match key.and_then(|k| k.strip_suffix('\'')) {
            Some(name) => RecordError::Missing(name.to_owned()),
            None => RecordError::Format(e),
        }
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Message(e) => write!(f, "cannot format the message (msg % args): {e}"),
            RecordError::Missing(name) => {
                write!(
                    f,
                    "the format uses '{name}', which the record does not have"
                )
            }
            RecordError::Type(name, want) => write!(f, "'{name}' must be {want}"),
            RecordError::Format(e) => write!(f, "a value does not fit the format: {e}"),
        }
    }
}

impl std::error::Error for RecordError {}

/// The formatter a run uses.
#[derive(Clone)]
pub enum Chosen {
    /// `--format`: Python's `Formatter`, with Python's errors.
    Pattern(Arc<Formatter>),
    /// `--json` or `--logfmt`.
    Structured(Arc<dyn Format>),
}

/// The run's formatter, applied to Python records.
pub struct PyFormatter {
    formatter: Chosen,
    /// Whether the format shows `module_path`, an attribute lumber always
    /// has and Python never does (see [`shows_module_path`]).
    module_path: bool,
    line: String,
}

impl PyFormatter {
    /// Wraps the formatter the handler uses.
    pub fn new(formatter: Chosen) -> PyFormatter {
        PyFormatter {
            module_path: match &formatter {
                Chosen::Pattern(f) => shows_module_path(f),
                Chosen::Structured(_) => false,
            },
            formatter,
            line: String::with_capacity(256),
        }
    }

    /// Formats `record` as Python's `Formatter.format` would and calls
    /// `emit` with the lumber record and the line; or says why Python
    /// could not format it.
    pub fn format<R>(
        &mut self,
        record: &PyRecord,
        emit: impl FnOnce(&Record<'_>, &str) -> R,
    ) -> Result<R, RecordError> {
        if self.module_path && record.get("module_path").is_none() {
            return Err(RecordError::Missing("module_path".to_owned()));
        }
        let (formatter, line) = (&self.formatter, &mut self.line);
        line.clear();
        match formatter {
            Chosen::Pattern(formatter) => with_record(record, formatter.uses_time(), |r| {
                formatter
                    .try_format(r, line)
                    .map_err(RecordError::from_format)?;
                Ok(emit(r, line))
            })?,
            // The time is always shown, from a numeric `created`.
            Chosen::Structured(formatter) => with_record(record, true, |r| {
                formatter.format(r, line);
                emit(r, line)
            }),
        }
    }
}

/// Whether `formatter` shows `module_path`: records that differ only in
/// it are told apart.
///
/// Workaround: a Python record has no `module_path` (Python cannot format
/// it: "Formatting field not found in record"), but lumber's formatter
/// shows the site's even for a record with Python attributes, and
/// `try_format` succeeds.
fn shows_module_path(formatter: &Formatter) -> bool {
    let render = |module_path| {
        let site = Site {
            module_path,
            ..Site::UNKNOWN
        };
        let record = Record::new("", Level::INFO, Message::Str(""))
            .with_site(&site)
            .with_time(Timestamp::default())
            .with_thread(0, "")
            .with_process(0, "")
            .with_python_times(Some(0.0), Some(0.0));
        let mut out = String::new();
        formatter.format(&record, &mut out);
        out
    };
    render("a") != render("b")
}

/// Calls `f` with the lumber record for `py`. `uses_time`: the format
/// shows `asctime`, which needs a numeric `created` (Python's
/// `formatTime`); otherwise a record without one is made now.
pub fn with_record<R>(
    py: &PyRecord,
    uses_time: bool,
    f: impl FnOnce(&Record<'_>) -> R,
) -> Result<R, RecordError> {
    let get = |name: &str| py.get(name).unwrap_or(&PyValue::None);
    let created = match as_f64(get("created")) {
        Some(created) => created,
        None if uses_time => return Err(RecordError::Type("created", "a number")),
        None => Timestamp::now().as_f64(),
    };
    for name in ["exc_text", "stack_info"] {
        let value = get(name);
        if !matches!(value, PyValue::Str(_)) && truthy(value) {
            return Err(RecordError::Type(name, "a string or null"));
        }
    }
    let message = get_message(get("msg"), get("args")).map_err(RecordError::Message)?;
    let text = |name: &str| py.str_attr(name);
    let level = py.known_level().unwrap_or(Level::NOTSET);
    let site = Site {
        module_path: "",
        file: text("pathname").unwrap_or(""),
        line: py
            .int_attr("lineno")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        template: text("msg").unwrap_or(""),
        function: text("funcName").map_or(Function::Unknown, Function::Name),
    };
    let python: Vec<(&str, PyValue)> = py
        .attrs()
        .filter(|(name, value)| !is_native(name, value, level, &site))
        .map(|(name, value)| (name, value.clone()))
        .collect();
    let thread = py.int_attr("thread").and_then(|n| u64::try_from(n).ok());
    let process = py.int_attr("process").and_then(|n| u32::try_from(n).ok());
    let mut record = Record::new(
        text("name").unwrap_or("None"),
        level,
        Message::Str(&message),
    )
    .with_site(&site)
    .with_time(Timestamp::from_f64(created))
    .with_thread(thread.unwrap_or(0), text("threadName").unwrap_or("None"))
    .with_process(process.unwrap_or(0), text("processName").unwrap_or("None"))
    .with_python_times(
        Some(as_f64(get("msecs")).unwrap_or_else(|| msecs_of(created))),
        Some(as_f64(get("relativeCreated")).unwrap_or(0.0)),
    )
    .with_python_attrs(&python);
    if let Some(text) = text("exc_text") {
        record = record.with_exc_text(text);
    }
    if let Some(text) = text("stack_info") {
        record = record.with_stack_info(text);
    }
    Ok(f(&record))
}

/// Whether a lumber record with `level` and `site` (and the other
/// attributes set as [`with_record`] sets them) shows attribute `name` as
/// Python shows `value`.
fn is_native(name: &str, value: &PyValue, level: Level, site: &Site<'_>) -> bool {
    match (name, value) {
        ("levelno", PyValue::Int(n)) => i128::from(level.value()) == *n,
        ("levelname", PyValue::Str(s)) => level.name() == s.as_str(),
        ("filename", PyValue::Str(s)) => site.filename() == s,
        ("module", PyValue::Str(s)) => site.module() == s,
        ("lineno", PyValue::Int(n)) => i128::from(site.line) == *n,
        // An empty `msg` would show the message instead.
        ("msg", PyValue::Str(s)) => !s.is_empty(),
        ("thread", PyValue::Int(n)) => u64::try_from(*n).is_ok(),
        ("process", PyValue::Int(n)) => u32::try_from(*n).is_ok(),
        ("created", PyValue::Float(f)) => Timestamp::from_f64(*f).as_f64() == *f,
        ("msecs" | "relativeCreated", PyValue::Float(_)) => true,
        (
            "name" | "pathname" | "funcName" | "threadName" | "processName" | "exc_text"
            | "stack_info",
            PyValue::Str(_),
        ) => true,
        _ => false,
    }
}

/// Python's truth value (`if self.args:`).
fn truthy(value: &PyValue) -> bool {
    match value {
        PyValue::None => false,
        PyValue::Bool(b) => *b,
        PyValue::Int(n) => *n != 0,
        PyValue::Float(f) => *f != 0.0,
        PyValue::Str(s) => !s.is_empty(),
        PyValue::List(v) | PyValue::Tuple(v) => !v.is_empty(),
        PyValue::Dict(v) => !v.is_empty(),
    }
}

/// `LogRecord.getMessage()`: `str(msg)`, then `% args` if `args` is true.
fn get_message<'a>(msg: &'a PyValue, args: &PyValue) -> Result<Cow<'a, str>, PyFmtError> {
    let msg = match msg {
        PyValue::Str(s) => Cow::Borrowed(s.as_str()),
        other => {
            let mut out = String::new();
            python::py_str(&mut out, other);
            Cow::Owned(out)
        }
    };
    if truthy(args) {
        python::percent_format(&msg, args).map(Cow::Owned)
    } else {
        Ok(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use crate::record::Clock;
    use lumber::Style;

    fn record(json: &str) -> PyRecord {
        match json::parse(json).unwrap() {
            PyValue::Dict(dict) => PyRecord::from_dict(dict, &Clock::new()),
            other => panic!("{other:?}"),
        }
    }

    fn format(pattern: &str, style: Style, json: &str) -> Result<String, RecordError> {
        let formatter = Formatter::with_style(pattern, style).unwrap().utc(true);
        let mut f = PyFormatter::new(Chosen::Pattern(Arc::new(formatter)));
        f.format(&record(json), |_, line| line.to_owned())
    }

    const PYTHON: &str = r#"{"name": "app.db", "msg": "hi %s", "args": ["ann"],
        "levelname": "INFO", "levelno": 20, "pathname": "/srv/app/pool.py",
        "filename": "pool.py", "module": "pool", "exc_info": null, "exc_text": null,
        "stack_info": null, "lineno": 118, "funcName": "connect",
        "created": 1700000000.123456, "msecs": 123.0, "relativeCreated": 5.5,
        "thread": 140, "threadName": "MainThread", "processName": "MainProcess",
        "process": 77, "user": "bob"}"#;

    #[test]
    fn what_lumber_holds_itself_is_set_natively() {
        let py = record(PYTHON);
        let mut python = Vec::new();
        with_record(&py, true, |r| {
            assert_eq!(
                (r.logger(), r.level(), r.site().line),
                ("app.db", Level::INFO, 118)
            );
            assert_eq!(r.site().function_name(), Some("connect"));
            assert_eq!((r.thread_id(), r.process_id(), r.msecs()), (140, 77, 123.0));
            let names = py.attrs().map(|(name, _)| name);
            python = names.filter(|name| r.python_attr(name).is_some()).collect();
        })
        .unwrap();
        // What Python has that lumber would otherwise show differently.
        assert_eq!(
            python,
            ["args", "exc_info", "exc_text", "stack_info", "user"]
        );
    }

    #[test]
    fn python_values_show_as_python_shows_them() {
        let json = r#"{"msg": "m", "levelno": 25, "levelname": "NOTICE", "funcName": null,
            "created": 5, "user": [1, "a"], "exc_text": "", "pathname": "/a/b.py",
            "filename": "other.py"}"#;
        let out = format(
            "{levelname:>7}|{funcName!r}|{created}|{user}|[{exc_text}]|{filename}|{module}|{message}",
            Style::Brace,
            json,
        );
        assert_eq!(out.unwrap(), " NOTICE|None|5|[1, 'a']|[]|other.py||m");
        let out = format("%(name)s|%(levelno)s|%(asctime)s", Style::Percent, json);
        assert_eq!(out.unwrap(), "None|25|1970-01-01 00:00:05,000");
    }

    #[test]
    fn failures_are_pythons() {
        let missing = format("%(user)s", Style::Percent, r#"{"msg": "m"}"#);
        assert_eq!(missing, Err(RecordError::Missing("user".into())));
        let module_path = format("$module_path", Style::Dollar, r#"{"msg": "m"}"#);
        assert_eq!(module_path, Err(RecordError::Missing("module_path".into())));
        let given = format("$module_path", Style::Dollar, r#"{"module_path": "a::b"}"#);
        assert_eq!(given.unwrap(), "a::b");
        let spec = format("%(lineno)d", Style::Percent, r#"{"lineno": "7"}"#);
        assert!(matches!(spec, Err(RecordError::Format(_))), "{spec:?}");
        let args = format(
            "%(message)s",
            Style::Percent,
            r#"{"msg": "%d", "args": ["x"]}"#,
        );
        assert!(matches!(args, Err(RecordError::Message(_))), "{args:?}");
        let created = format("%(asctime)s", Style::Percent, r#"{"created": "today"}"#);
        assert_eq!(created, Err(RecordError::Type("created", "a number")));
        let exc = format("%(message)s", Style::Percent, r#"{"exc_text": 5}"#);
        assert_eq!(exc, Err(RecordError::Type("exc_text", "a string or null")));
    }

    #[test]
    fn tracebacks_and_stacks_follow_the_message() {
        let json = r#"{"msg": "m", "exc_text": "Traceback: x", "stack_info": "Stack: y"}"#;
        let out = format("%(message)s", Style::Percent, json);
        assert_eq!(out.unwrap(), "m\nTraceback: x\nStack: y");
    }

    #[test]
    fn structured_formatters_show_any_record_but_need_its_message() {
        let json: Arc<dyn Format> =
            Arc::new(lumber::JsonFormatter::new().keys(["levelname", "funcName", "message"]));
        let mut f = PyFormatter::new(Chosen::Structured(json));
        let line = r#"{"msg": "hi %s", "args": ["ann"], "levelname": "NOTICE", "levelno": 25,
            "user": {"id": 1}, "lineno": "seven"}"#;
        let out = f.format(&record(line), |_, line| line.to_owned());
        assert_eq!(
            out.unwrap(),
            r#"{"levelname":"NOTICE","funcName":null,"message":"hi ann","user":{"id":1}}"#
        );
        let bad = f.format(&record(r#"{"msg": "%d", "args": ["x"]}"#), |_, _| ());
        assert!(matches!(bad, Err(RecordError::Message(_))), "{bad:?}");
        let logfmt: Arc<dyn Format> = Arc::new(lumber::LogfmtFormatter::new().keys(["lineno"]));
        let mut f = PyFormatter::new(Chosen::Structured(logfmt));
        let out = f.format(&record(line), |_, line| line.to_owned());
        assert_eq!(out.unwrap(), r#"lineno=seven user="{\"id\":1}""#);
    }

    #[test]
    fn truth_follows_python() {
        for falsy in [
            PyValue::None,
            PyValue::Tuple(vec![]),
            PyValue::Dict(vec![]),
            PyValue::Str(String::new()),
            PyValue::Int(0),
            PyValue::Float(0.0),
        ] {
            assert!(!truthy(&falsy), "{falsy:?}");
        }
        assert!(truthy(&PyValue::Tuple(vec![PyValue::None])));
        assert!(truthy(&PyValue::Str("x".into())));
    }

    #[test]
    fn no_args_means_no_formatting() {
        let msg = PyValue::Str("100% %s".into());
        assert_eq!(get_message(&msg, &PyValue::None).unwrap(), "100% %s");
        let none = PyValue::Tuple(vec![]);
        assert_eq!(get_message(&msg, &none).unwrap(), "100% %s");
        let one = PyValue::Tuple(vec![PyValue::Int(1)]);
        // str(7) % (1,): "not all arguments converted", as in Python.
        assert!(get_message(&PyValue::Int(7), &one).is_err());
        let msg = PyValue::Str("%s-%03d".into());
        let two = PyValue::Tuple(vec![PyValue::Str("a".into()), PyValue::Int(2)]);
        assert_eq!(get_message(&msg, &two).unwrap(), "a-002");
    }
}
