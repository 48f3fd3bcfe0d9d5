//! Records as Python holds them: an input line or `emit`'s arguments made
//! into the attributes `logging.makeLogRecord` would give, then into a
//! lumber [`Record`].

use std::fmt;

use lumber::python::{PyFmtError, PyValue};
use lumber::{Level, Message, Record, Site, Timestamp};

use crate::json;
use crate::parts::Parts;
use crate::plan::FieldRef;
use crate::pyargs::{args_from_json, get_message, py_str};

/// The attributes lumber's `Record` holds itself. Bit `i` of a record's
/// [`PyRecord::foreign_mask`] is set when attribute `NATIVE[i]` has a value
/// lumber cannot show as Python would (`levelname` `"NOTICE"`, `thread`
/// `None`...); references to it are then served from record fields.
pub const NATIVE: [&str; 18] = [
    "name",
    "msg",
    "levelname",
    "levelno",
    "pathname",
    "filename",
    "module",
    "lineno",
    "funcName",
    "created",
    "msecs",
    "relativeCreated",
    "thread",
    "threadName",
    "process",
    "processName",
    "exc_text",
    "stack_info",
];

/// Attributes the formatter computes for every record (never redirected).
pub const COMPUTED: [&str; 2] = ["message", "asctime"];

/// What the defaults of a record made "now" come from: this process.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    start: Timestamp,
    thread: u64,
}

impl Clock {
    /// Marks the start (`relativeCreated` counts from here).
    pub fn new() -> Clock {
        let probe = Record::new("", Level::INFO, Message::Str(""));
        Clock {
            start: Timestamp::now(),
            thread: probe.thread_id(),
        }
    }
}

/// A record's attributes in Python's terms (its `__dict__`).
#[derive(Debug, Clone)]
pub struct PyRecord {
    attrs: Vec<(String, PyValue)>,
}

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
    /// The format could not be adapted to the record (a bug).
    Format(String),
    /// An attribute's value does not fit its reference in the format
    /// (`%(lineno)d` with a string): Python's TypeError or ValueError.
    Value(String, PyFmtError),
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
            RecordError::Format(e) => write!(f, "cannot use the format for this record: {e}"),
            RecordError::Value(name, e) => write!(f, "cannot format '{name}': {e}"),
        }
    }
}

impl std::error::Error for RecordError {}

fn msecs_of(created: f64) -> f64 {
    // Python 3.11: int((ct - int(ct)) * 1000) + 0.0
    ((created - created.trunc()) * 1000.0).trunc()
}

fn as_f64(v: &PyValue) -> Option<f64> {
    match v {
        PyValue::Float(f) => Some(*f),
        PyValue::Int(n) => Some(*n as f64),
        PyValue::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

impl PyRecord {
    /// `logging.makeLogRecord(dict)`: its defaults, updated with `dict`.
    /// A JSON array as `args` is a tuple. Unlike Python, a record with
    /// `created` but no `msecs` gets the milliseconds of `created` (Python
    /// would take them from the clock, like a missing `created`).
    pub fn from_dict(dict: Vec<(String, PyValue)>, clock: &Clock) -> PyRecord {
        let now = Timestamp::now();
        let s = |v: &str| PyValue::Str(v.to_owned());
        let mut attrs = vec![
            ("name".to_owned(), PyValue::None),
            ("msg".to_owned(), s("")),
            ("args".to_owned(), PyValue::Tuple(Vec::new())),
            ("levelname".to_owned(), s("Level None")),
            ("levelno".to_owned(), PyValue::None),
            ("pathname".to_owned(), s("")),
            ("filename".to_owned(), s("")),
            ("module".to_owned(), s("")),
            ("exc_info".to_owned(), PyValue::None),
            ("exc_text".to_owned(), PyValue::None),
            ("stack_info".to_owned(), PyValue::None),
            ("lineno".to_owned(), PyValue::Int(0)),
            ("funcName".to_owned(), PyValue::None),
            ("created".to_owned(), PyValue::Float(now.as_f64())),
            ("msecs".to_owned(), PyValue::None),
            (
                "relativeCreated".to_owned(),
                PyValue::Float((now.as_f64() - clock.start.as_f64()) * 1000.0),
            ),
            ("thread".to_owned(), PyValue::Int(i128::from(clock.thread))),
            ("threadName".to_owned(), s("MainThread")),
            ("processName".to_owned(), s("MainProcess")),
            (
                "process".to_owned(),
                PyValue::Int(i128::from(std::process::id())),
            ),
        ];
        let mut msecs_given = false;
        for (key, value) in dict {
            let value = if key == "args" {
                args_from_json(value)
            } else {
                value
            };
            msecs_given |= key == "msecs";
            match attrs.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => attrs.push((key, value)),
            }
        }
        let mut record = PyRecord { attrs };
        if !msecs_given {
            let created = record.get("created").and_then(as_f64);
            let msecs = msecs_of(created.unwrap_or_else(|| now.as_f64()));
            record.set("msecs", PyValue::Float(msecs));
        }
        record
    }

    /// A record for a line of text: `makeLogRecord({"name", "msg",
    /// "levelno", "levelname"})`.
    pub fn message(name: &str, level: Level, msg: &str, clock: &Clock) -> PyRecord {
        PyRecord::from_dict(level_dict(name, level, msg), clock)
    }

    /// What `lumber pipe` makes of one input line: a JSON object is a
    /// record; anything else is a message at `level` from logger `name`.
    pub fn from_line(line: &str, name: &str, level: Level, clock: &Clock) -> PyRecord {
        if line.trim_start().starts_with('{') {
            if let Ok(PyValue::Dict(dict)) = json::parse(line) {
                return PyRecord::from_dict(dict, clock);
            }
        }
        PyRecord::message(name, level, line, clock)
    }

    /// An attribute's value.
    pub fn get(&self, name: &str) -> Option<&PyValue> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    fn set(&mut self, name: &str, value: PyValue) {
        match self.attrs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_owned(), value)),
        }
    }

    fn str_attr(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(PyValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    fn int_attr(&self, name: &str) -> Option<i128> {
        match self.get(name) {
            Some(PyValue::Int(n)) => Some(*n),
            _ => None,
        }
    }

    fn levelno(&self) -> Option<u32> {
        self.int_attr("levelno").and_then(|n| u32::try_from(n).ok())
    }

    /// The level for filtering: `levelno`, else the level named by
    /// `levelname`, if either is usable.
    pub fn known_level(&self) -> Option<Level> {
        match self.levelno() {
            Some(n) => Some(Level::new(n)),
            None => self
                .str_attr("levelname")
                .and_then(|name| name.parse().ok()),
        }
    }

    /// Whether lumber shows attribute `name` of this record as Python
    /// would.
    fn is_native(&self, name: &str) -> bool {
        let Some(value) = self.get(name) else {
            return false;
        };
        fn site(path: &str) -> Site<'_> {
            Site {
                file: path,
                ..Site::UNKNOWN
            }
        }
        match (name, value) {
            ("levelno" | "lineno" | "process", PyValue::Int(n)) => u32::try_from(*n).is_ok(),
            ("thread", PyValue::Int(n)) => u64::try_from(*n).is_ok(),
            ("created", PyValue::Float(f)) => Timestamp::from_f64(*f).as_f64() == *f,
            ("msecs" | "relativeCreated", PyValue::Float(_)) => true,
            ("levelname", PyValue::Str(s)) => {
                self.levelno().is_some_and(|n| Level::new(n).name() == **s)
            }
            ("filename", PyValue::Str(s)) => self
                .str_attr("pathname")
                .is_some_and(|p| site(p).filename() == s),
            ("module", PyValue::Str(s)) => self
                .str_attr("pathname")
                .is_some_and(|p| site(p).module() == s),
            // lumber shows an empty exc_text as None (Python: '').
            ("exc_text", PyValue::Str(s)) => !s.is_empty(),
            (
                "name" | "msg" | "pathname" | "funcName" | "threadName" | "processName"
                | "stack_info",
                PyValue::Str(_),
            ) => true,
            _ => false,
        }
    }

    /// Bit `i` set: attribute `NATIVE[i]` must be served from a field.
    pub fn foreign_mask(&self) -> u32 {
        NATIVE
            .iter()
            .enumerate()
            .filter(|(_, name)| !self.is_native(name))
            .fold(0, |mask, (i, _)| mask | (1 << i))
    }

    /// Everything a lumber record is made of, with the text of the
    /// `wanted` references as fields. `uses_time`: the format shows
    /// `asctime`, which needs a numeric `created` (Python's `formatTime`).
    pub fn prepare(&self, wanted: &[FieldRef], uses_time: bool) -> Result<Parts, RecordError> {
        let get = |name: &str| self.get(name).unwrap_or(&PyValue::None);
        let text = |name: &str| self.str_attr(name).unwrap_or("None").to_owned();
        let created = match as_f64(get("created")) {
            Some(created) => created,
            None if uses_time => return Err(RecordError::Type("created", "a number")),
            None => Timestamp::now().as_f64(),
        };
        for name in ["exc_text", "stack_info"] {
            let value = get(name);
            if !matches!(value, PyValue::Str(_)) && crate::pyargs::truthy(value) {
                return Err(RecordError::Type(name, "a string or null"));
            }
        }
        let message = get_message(get("msg"), get("args")).map_err(RecordError::Message)?;
        let mut fields = Vec::with_capacity(wanted.len());
        for r in wanted {
            let value = self
                .get(&r.name)
                .ok_or_else(|| RecordError::Missing(r.name.clone()))?;
            let text = r
                .render(value)
                .map_err(|e| RecordError::Value(r.name.clone(), e))?;
            fields.push((r.field.clone(), text));
        }
        Ok(Parts {
            logger: self.str_attr("name").unwrap_or("None").to_owned(),
            level: self.known_level().unwrap_or(Level::NOTSET),
            file: self.str_attr("pathname").unwrap_or("").to_owned(),
            line: self
                .int_attr("lineno")
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
            template: py_str(get("msg")),
            function: self.str_attr("funcName").map(str::to_owned),
            time: Timestamp::from_f64(created),
            msecs: as_f64(get("msecs")).unwrap_or_else(|| msecs_of(created)),
            relative: as_f64(get("relativeCreated")).unwrap_or(0.0),
            thread: self
                .int_attr("thread")
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or(0),
            thread_name: text("threadName"),
            process: self
                .int_attr("process")
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
            process_name: text("processName"),
            exc_text: self.str_attr("exc_text").map(str::to_owned),
            stack_info: self.str_attr("stack_info").map(str::to_owned),
            message,
            fields,
        })
    }
}

/// `{"name": name, "msg": msg, "levelno": n, "levelname": ...}`.
pub fn level_dict(name: &str, level: Level, msg: &str) -> Vec<(String, PyValue)> {
    vec![
        ("name".to_owned(), PyValue::Str(name.to_owned())),
        ("msg".to_owned(), PyValue::Str(msg.to_owned())),
        (
            "levelno".to_owned(),
            PyValue::Int(i128::from(level.value())),
        ),
        (
            "levelname".to_owned(),
            PyValue::Str(level.name().into_owned()),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;
    use lumber::Style;

    fn dict(json: &str) -> Vec<(String, PyValue)> {
        match json::parse(json).unwrap() {
            PyValue::Dict(d) => d,
            other => panic!("{other:?}"),
        }
    }

    fn bit(name: &str) -> u32 {
        1 << NATIVE.iter().position(|n| *n == name).unwrap()
    }

    #[test]
    fn defaults_are_make_log_records() {
        let r = PyRecord::from_dict(Vec::new(), &Clock::new());
        assert_eq!(r.get("name"), Some(&PyValue::None));
        assert_eq!(r.get("levelname"), Some(&PyValue::Str("Level None".into())));
        assert_eq!(r.get("lineno"), Some(&PyValue::Int(0)));
        assert_eq!(r.get("args"), Some(&PyValue::Tuple(vec![])));
        assert_eq!(
            r.get("threadName"),
            Some(&PyValue::Str("MainThread".into()))
        );
        assert_eq!(r.known_level(), None);
        let mask = r.foreign_mask();
        for name in [
            "name",
            "levelname",
            "levelno",
            "funcName",
            "exc_text",
            "stack_info",
        ] {
            assert_ne!(mask & bit(name), 0, "{name}");
        }
        for name in [
            "msg",
            "pathname",
            "lineno",
            "created",
            "msecs",
            "threadName",
            "process",
        ] {
            assert_eq!(mask & bit(name), 0, "{name}");
        }
    }

    #[test]
    fn json_updates_the_defaults_and_args_become_a_tuple() {
        let r = PyRecord::from_dict(
            dict(r#"{"msg": "%s", "args": [1], "x": true, "created": 10.5}"#),
            &Clock::new(),
        );
        assert_eq!(r.get("args"), Some(&PyValue::Tuple(vec![PyValue::Int(1)])));
        assert_eq!(r.get("x"), Some(&PyValue::Bool(true)));
        assert_eq!(r.get("msecs"), Some(&PyValue::Float(500.0)));
    }

    #[test]
    fn derived_attributes_that_disagree_are_foreign() {
        let ok = r#"{"levelno": 20, "levelname": "INFO", "pathname": "/a/b.py", "filename": "b.py", "module": "b"}"#;
        let r = PyRecord::from_dict(dict(ok), &Clock::new());
        let mask = r.foreign_mask();
        assert_eq!(
            mask & (bit("levelname") | bit("filename") | bit("module")),
            0
        );
        assert_eq!(r.known_level(), Some(Level::INFO));
        let odd = r#"{"levelno": 25, "levelname": "NOTICE", "pathname": "/a/b.py", "created": 5}"#;
        let r = PyRecord::from_dict(dict(odd), &Clock::new());
        let mask = r.foreign_mask();
        for name in ["levelname", "filename", "module", "created"] {
            assert_ne!(mask & bit(name), 0, "{name}");
        }
    }

    #[test]
    fn lines_that_are_not_json_objects_are_messages() {
        let clock = Clock::new();
        for line in ["plain", "{broken", "[1]", "  {\"msg\": 1} trailing"] {
            let r = PyRecord::from_line(line, "app", Level::ERROR, &clock);
            assert_eq!(r.get("msg"), Some(&PyValue::Str(line.into())), "{line}");
            assert_eq!(r.known_level(), Some(Level::ERROR));
        }
        let r = PyRecord::from_line("  {\"msg\": 1}  ", "app", Level::ERROR, &clock);
        assert_eq!(r.get("msg"), Some(&PyValue::Int(1)));
    }

    #[test]
    fn prepare_serves_redirected_fields_and_reports_missing_ones() {
        let r = PyRecord::from_dict(dict(r#"{"user": "ann", "exc_text": "TB"}"#), &Clock::new());
        let plan = Plan::parse("%(user)-6r|", Style::Percent);
        let wanted: Vec<FieldRef> = plan.refs().cloned().collect();
        let parts = r.prepare(&wanted, false).unwrap();
        assert_eq!(
            parts.fields,
            [("__lumber_0".to_owned(), "'ann' ".to_owned())]
        );
        assert_eq!(parts.exc_text.as_deref(), Some("TB"));
        let plan = Plan::parse("%(nope)s %(exc_text)d", Style::Percent);
        let wanted: Vec<FieldRef> = plan.refs().cloned().collect();
        assert_eq!(
            r.prepare(&wanted, false).unwrap_err(),
            RecordError::Missing("nope".into())
        );
        assert!(matches!(
            r.prepare(&wanted[1..], false).unwrap_err(),
            RecordError::Value(name, _) if name == "exc_text"
        ));
        let r = PyRecord::from_dict(dict(r#"{"created": "yesterday"}"#), &Clock::new());
        assert_eq!(
            r.prepare(&[], true).unwrap_err(),
            RecordError::Type("created", "a number")
        );
        assert!(r.prepare(&[], false).is_ok());
    }
}
