//! Records as Python holds them: an input line or `emit`'s arguments made
//! into the attributes `logging.makeLogRecord` would give (the record's
//! `__dict__`). `convert.rs` makes a lumber `Record` of them.

use lumber::python::PyValue;
use lumber::{Level, Message, Record, Timestamp};

use crate::json;

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

/// Python 3.11's `msecs` of a `created`.
pub fn msecs_of(created: f64) -> f64 {
    // Python 3.11: int((ct - int(ct)) * 1000) + 0.0
    ((created - created.trunc()) * 1000.0).trunc()
}

/// A number's value as a float (`bool` is an `int` in Python).
pub fn as_f64(v: &PyValue) -> Option<f64> {
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
        if line.trim_start().starts_with('{')
            && let Ok(PyValue::Dict(dict)) = json::parse(line)
        {
            return PyRecord::from_dict(dict, clock);
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

    /// Every attribute, in `__dict__` order.
    pub fn attrs(&self) -> impl Iterator<Item = (&str, &PyValue)> {
        self.attrs.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// A `str` attribute's text.
    pub fn str_attr(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(PyValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// An `int` attribute's value.
    pub fn int_attr(&self, name: &str) -> Option<i128> {
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
}

/// The `args` of a JSON record as Python would hold them: a JSON array is
/// a tuple (what `msg % args` expects), an object a mapping, anything else
/// a single value. Nested arrays stay lists, as `json.loads` makes them.
fn args_from_json(value: PyValue) -> PyValue {
    match value {
        PyValue::List(items) => PyValue::Tuple(items),
        other => other,
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

    fn dict(json: &str) -> Vec<(String, PyValue)> {
        match json::parse(json).unwrap() {
            PyValue::Dict(d) => d,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_are_make_log_records() {
        let r = PyRecord::from_dict(Vec::new(), &Clock::new());
        assert_eq!(r.get("name"), Some(&PyValue::None));
        assert_eq!(r.get("levelname"), Some(&PyValue::Str("Level None".into())));
        assert_eq!(r.get("lineno"), Some(&PyValue::Int(0)));
        assert_eq!(r.get("args"), Some(&PyValue::Tuple(vec![])));
        assert_eq!(r.str_attr("threadName"), Some("MainThread"));
        assert_eq!(r.str_attr("funcName"), None);
        assert_eq!(r.known_level(), None);
        let names: Vec<&str> = r.attrs().map(|(k, _)| k).collect();
        assert_eq!(names.len(), 20, "{names:?}");
        assert!(matches!(r.get("msecs"), Some(PyValue::Float(_))));
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
        assert_eq!(r.attrs().last().map(|(k, _)| k), Some("x"));
    }

    #[test]
    fn arrays_become_tuples_at_the_top_only() {
        let args = args_from_json(PyValue::List(vec![PyValue::List(vec![])]));
        assert_eq!(args, PyValue::Tuple(vec![PyValue::List(vec![])]));
        let map = PyValue::Dict(vec![("a".into(), PyValue::Int(1))]);
        assert_eq!(args_from_json(map.clone()), map);
    }

    #[test]
    fn the_level_comes_from_levelno_else_levelname() {
        let clock = Clock::new();
        let level = |json: &str| PyRecord::from_dict(dict(json), &clock).known_level();
        assert_eq!(
            level(r#"{"levelno": 25, "levelname": "ERROR"}"#),
            Some(Level::new(25))
        );
        assert_eq!(level(r#"{"levelname": "error"}"#), Some(Level::ERROR));
        assert_eq!(level(r#"{"levelno": "10", "levelname": "NOTICE"}"#), None);
        assert_eq!(level(r#"{"levelno": -1}"#), None);
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
}
