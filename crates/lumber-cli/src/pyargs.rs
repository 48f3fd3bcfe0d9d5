//! Python values of a piped record: `str()`, `repr()`, truth,
//! and `LogRecord.getMessage()` (`str(msg) % args`).
//!
//! The formatting itself is the library's (`lumber::python`), so that the
//! CLI and lumber's own formatters agree byte for byte with CPython.

use lumber::python::{self, PyFmtError, PyValue};

/// Python's `str(value)`.
pub fn py_str(value: &PyValue) -> String {
    match value {
        PyValue::Str(s) => s.clone(),
        other => {
            let mut out = String::new();
            python::py_str(&mut out, other);
            out
        }
    }
}

/// Python's `repr(value)`.
pub fn py_repr(value: &PyValue) -> String {
    let mut out = String::new();
    python::py_repr(&mut out, value);
    out
}

/// Python's truth value (`if self.args:`).
pub fn truthy(value: &PyValue) -> bool {
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

/// The `args` of a JSON record as Python would hold them: a JSON array is
/// a tuple (what `msg % args` expects), an object a mapping, anything else
/// a single value. Nested arrays stay lists, as `json.loads` makes them.
pub fn args_from_json(value: PyValue) -> PyValue {
    match value {
        PyValue::List(items) => PyValue::Tuple(items),
        other => other,
    }
}

/// `LogRecord.getMessage()`: `str(msg)`, then `% args` if `args` is true.
pub fn get_message(msg: &PyValue, args: &PyValue) -> Result<String, PyFmtError> {
    let msg = py_str(msg);
    if truthy(args) {
        python::percent_format(&msg, args)
    } else {
        Ok(msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth_follows_python() {
        assert!(!truthy(&PyValue::None));
        assert!(!truthy(&PyValue::Tuple(vec![])));
        assert!(!truthy(&PyValue::Dict(vec![])));
        assert!(!truthy(&PyValue::Str(String::new())));
        assert!(!truthy(&PyValue::Int(0)));
        assert!(!truthy(&PyValue::Float(0.0)));
        assert!(truthy(&PyValue::Tuple(vec![PyValue::None])));
        assert!(truthy(&PyValue::Str("x".into())));
    }

    #[test]
    fn arrays_become_tuples_at_the_top_only() {
        let args = args_from_json(PyValue::List(vec![PyValue::List(vec![])]));
        assert_eq!(args, PyValue::Tuple(vec![PyValue::List(vec![])]));
        let map = PyValue::Dict(vec![("a".into(), PyValue::Int(1))]);
        assert_eq!(args_from_json(map.clone()), map);
    }

    #[test]
    fn no_args_means_no_formatting() {
        let msg = PyValue::Str("100% %s".into());
        assert_eq!(get_message(&msg, &PyValue::None).unwrap(), "100% %s");
        assert_eq!(
            get_message(&msg, &PyValue::Tuple(vec![])).unwrap(),
            "100% %s"
        );
    }
}
