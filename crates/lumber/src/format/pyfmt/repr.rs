//! Python's `str()` and `repr()` (and `ascii()`) of the values a log record can carry.

use std::fmt::Write as _;

use super::PyValue;
use super::digits::{Buf, FloatFmt, float_body};
use super::unicode::is_printable;

/// Python's repr() of a str: `'` quotes unless the text has `'` and no `"`; escapes `\\`,
/// the quote, `\t \n \r`, and non-printable characters (per `str.isprintable`) as
/// `\xHH`, `\uHHHH` or `\UHHHHHHHH`.
pub fn repr_str(out: &mut String, s: &str) {
    write_str_repr(out, s, false);
}

/// repr() (or, with `ascii`, ascii()) of a str.
pub(super) fn write_str_repr(out: &mut String, s: &str, ascii: bool) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.reserve(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c if c.is_ascii() || ascii || !is_printable(c) => {
                let n = u32::from(c);
                let _ = if n <= 0xff {
                    write!(out, "\\x{n:02x}")
                } else if n <= 0xffff {
                    write!(out, "\\u{n:04x}")
                } else {
                    write!(out, "\\U{n:08x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's repr()/str() of a float: shortest round-trip digits, positional notation for
/// `1e-4 <= |v| < 1e16` (always with a `.0` or fraction), else `1e+16` / `1e-05` style;
/// `inf`, `-inf`, `nan`, `-0.0`.
pub fn repr_float(out: &mut String, v: f64) {
    let mut buf = Buf::new();
    let mut raw = Buf::new();
    if v.is_sign_negative() && !v.is_nan() {
        out.push('-');
    }
    float_body(&mut buf, &mut raw, v, FloatFmt::REPR);
    out.push_str(buf.as_str());
}

/// Python's str() of any PyValue (a str is itself; everything else is its repr()).
pub fn py_str(out: &mut String, v: &PyValue) {
    match v {
        PyValue::Str(s) => out.push_str(s),
        other => write_repr(out, other, false),
    }
}

/// Python's repr() of any PyValue (lists, tuples incl. `(1,)`, dicts as Python prints them).
pub fn py_repr(out: &mut String, v: &PyValue) {
    write_repr(out, v, false);
}

/// repr(), or ascii() when `ascii` (repr with every non-ASCII character escaped).
pub(super) fn write_repr(out: &mut String, v: &PyValue, ascii: bool) {
    match v {
        PyValue::None => out.push_str("None"),
        PyValue::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        PyValue::Int(i) => {
            let _ = write!(out, "{i}");
        }
        PyValue::Float(f) => repr_float(out, *f),
        PyValue::Str(s) => write_str_repr(out, s, ascii),
        PyValue::List(items) | PyValue::Tuple(items) => {
            let tuple = matches!(v, PyValue::Tuple(_));
            out.push(if tuple { '(' } else { '[' });
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item, ascii);
            }
            if tuple && items.len() == 1 {
                out.push(',');
            }
            out.push(if tuple { ')' } else { ']' });
        }
        PyValue::Dict(entries) => {
            out.push('{');
            for (i, (k, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str_repr(out, k, ascii);
                out.push_str(": ");
                write_repr(out, item, ascii);
            }
            out.push('}');
        }
    }
}
