//! `msg % args`: CPython's `PyUnicode_Format`, as `LogRecord.getMessage()` runs it.

use super::percent::{PERCENT_CONVS, parse_percent, unsupported};
use super::repr::repr_str;
use super::{PyFmtError, PyValue, err};

/// The argument cursor of CPython's `PyUnicode_Format`.
struct Args<'a> {
    current: &'a PyValue,
    items: &'a [PyValue],
    /// Number of positional items, or -1 for a single (non-tuple) argument.
    len: isize,
    idx: isize,
}

impl<'a> Args<'a> {
    fn single(v: &'a PyValue) -> Self {
        Args {
            current: v,
            items: &[],
            len: -1,
            idx: -2,
        }
    }

    fn next(&mut self) -> Result<&'a PyValue, PyFmtError> {
        if self.idx >= self.len {
            return Err(err("not enough arguments for format string"));
        }
        let i = self.idx;
        self.idx += 1;
        if self.len < 0 {
            Ok(self.current)
        } else {
            usize::try_from(i)
                .ok()
                .and_then(|i| self.items.get(i))
                .ok_or_else(|| err("not enough arguments for format string"))
        }
    }
}

/// Looks `key` up in a mapping argument (dict or, failing as Python does, list).
fn lookup<'a>(mapping: &'a PyValue, key: &str) -> Result<&'a PyValue, PyFmtError> {
    match mapping {
        PyValue::Dict(entries) => entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .ok_or_else(|| {
                let mut msg = String::new();
                repr_str(&mut msg, key);
                err(msg)
            }),
        other => Err(err(format!(
            "{} indices must be integers or slices, not str",
            other.type_name()
        ))),
    }
}

/// `msg % args` exactly as Python evaluates it in `LogRecord.getMessage()`: `args` is a
/// Tuple (positional; a non-tuple value is a single argument), or a Dict for `%(key)s`
/// mapping keys (a dict or list argument is a mapping, so leftover arguments are no error).
/// Errors carry Python's messages (a missing key gives the KeyError text, the key's repr).
pub fn percent_format(msg: &str, args: &PyValue) -> Result<String, PyFmtError> {
    let mut out = String::with_capacity(msg.len() + 16);
    let mapping = matches!(args, PyValue::Dict(_) | PyValue::List(_)).then_some(args);
    let mut st = match args {
        PyValue::Tuple(items) => Args {
            current: args,
            items,
            len: items.len() as isize,
            idx: 0,
        },
        other => Args::single(other),
    };
    let mut pos = 0;
    while let Some(found) = msg.get(pos..).and_then(|rest| rest.find('%')) {
        out.push_str(msg.get(pos..pos + found).unwrap_or(""));
        let start = pos + found + 1;
        let mut tail = msg.get(start..).unwrap_or("");
        if tail.starts_with('%') {
            out.push('%');
            pos = start + 1;
            continue;
        }
        if let Some(inner) = tail.strip_prefix('(') {
            let dict = mapping.ok_or_else(|| err("format requires a mapping"))?;
            let mut depth = 1;
            let close = inner.char_indices().find(|&(_, c)| {
                depth += i32::from(c == '(') - i32::from(c == ')');
                depth == 0
            });
            let (end, _) = close.ok_or_else(|| err("incomplete format key"))?;
            st = Args::single(lookup(dict, inner.get(..end).unwrap_or(""))?);
            tail = inner.get(end + 1..).unwrap_or("");
        }
        let (spec, used) = {
            let mut star = || match st.next()? {
                PyValue::Int(i) => Ok(*i),
                PyValue::Bool(b) => Ok(i128::from(*b)),
                _ => Err(err("* wants int")),
            };
            parse_percent(tail, &mut star)?
        };
        let value = st.next()?;
        pos = msg.len() - tail.len() + used;
        if !PERCENT_CONVS.contains(spec.conv) || spec.conv == '%' {
            let index = msg
                .get(..pos)
                .map_or(0, |s| s.chars().count())
                .saturating_sub(1);
            return Err(unsupported(spec.conv, Some(index)));
        }
        spec.write_value(&mut out, value)?;
    }
    out.push_str(msg.get(pos..).unwrap_or(""));
    if st.idx < st.len && mapping.is_none() {
        return Err(err("not all arguments converted during string formatting"));
    }
    Ok(out)
}
