//! Python 3.11 string formatting: `printf`-style `%` conversions (as `msg % args` in
//! `LogRecord.getMessage()` and `PercentStyle`), the format-spec mini-language of
//! `str.format` (as `StrFormatStyle`), and Python's `str()`/`repr()` of the values a log
//! record can carry. Every output is byte-for-byte what CPython 3.11 produces; error texts
//! are CPython's exception messages.
//!
//! Float digits come from Rust's formatter (shortest round-trip for `{:e}`, correctly
//! rounded with ties to even for `{:.N}` / `{:.Ne}`, which is what CPython's dtoa does) and
//! are laid out here the way `PyOS_double_to_string` does.

use std::fmt;

mod digits;
mod message;
mod percent;
mod repr;
mod spec;
mod unicode;

pub use message::percent_format;
pub use percent::PercentSpec;
pub use repr::{py_repr, py_str, repr_float, repr_str};
pub use spec::FormatSpec;

/// A Python value, as far as logging formatting needs one (what JSON can carry, plus tuples).
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`; an `int` for numeric conversions.
    Bool(bool),
    /// An `int` (limited to the `i128` range).
    Int(i128),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `list`.
    List(Vec<PyValue>),
    /// A `tuple`.
    Tuple(Vec<PyValue>),
    /// A `dict` with `str` keys, in insertion order.
    Dict(Vec<(String, PyValue)>),
}

impl PyValue {
    /// `type(v).__name__`, as CPython puts it in error messages.
    fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "NoneType",
            PyValue::Bool(_) => "bool",
            PyValue::Int(_) => "int",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "str",
            PyValue::List(_) => "list",
            PyValue::Tuple(_) => "tuple",
            PyValue::Dict(_) => "dict",
        }
    }
}

/// Error of parsing a spec or applying it to a value of the wrong type; Display gives
/// Python's wording where Python has one (the exception's `str()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyFmtError(pub String);

impl fmt::Display for PyFmtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PyFmtError {}

fn err(msg: impl Into<String>) -> PyFmtError {
    PyFmtError(msg.into())
}

/// Appends `n` copies of `c`; a width too large to allocate is Python's MemoryError.
fn push_fill(out: &mut String, c: char, n: usize) -> Result<(), PyFmtError> {
    if n > 0 {
        out.try_reserve(n.saturating_mul(c.len_utf8()))
            .map_err(|_| err("MemoryError"))?;
        out.extend(std::iter::repeat_n(c, n));
    }
    Ok(())
}

/// The first `max` code points of `s`, and their count.
fn truncate_chars(s: &str, max: usize) -> (&str, usize) {
    match s.char_indices().nth(max) {
        Some((i, _)) => (s.get(..i).unwrap_or(s), max),
        None => (s, s.chars().count()),
    }
}

#[cfg(test)]
mod tests;
