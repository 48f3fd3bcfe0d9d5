//! The fields a format refers to, and the same format with some of them
//! replaced by plain references to record fields the CLI fills in itself.
//!
//! lumber's `Record` derives some attributes (`levelname` from the level,
//! `filename` and `module` from the path) and holds others in Rust types
//! (`lineno: u32`), while a Python record may carry anything in any of
//! them: `levelname` `"NOTICE"` at `levelno` 25, `thread` `None`, a path
//! without a `filename`. Extra keys hold Python values (`True`, lists,
//! dicts, big integers). For those, the CLI formats the reference itself
//! with the library's Python rules (`PercentSpec`/`FormatSpec`
//! `write_value`, which raise Python's errors) and the pattern shows the
//! result through a plain `%(__lumber_N)s`.

use lumber::Style;
use lumber::python::{FormatSpec, PercentSpec, PyFmtError, PyValue};

use crate::pyargs::{py_repr, py_str};

/// How a reference converts its value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Conversion {
    /// `%(name)SPEC`: flags, width, precision and the conversion character.
    Percent(String),
    /// `{name!C:SPEC}`: the optional conversion and the spec after `:`.
    Brace(Option<char>, String),
    /// `$name`, `${name}`: `str()`.
    Dollar,
}

/// One `%(name)…`, `{name…}` or `$name` in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// The attribute's name.
    pub name: String,
    /// The record field that stands in for the reference when redirected.
    pub field: String,
    /// The reference exactly as written.
    raw: String,
    conversion: Conversion,
}

impl FieldRef {
    /// The reference's text for `value`, as Python's `%`, `str.format` or
    /// `string.Template` makes it, or Python's error.
    pub fn render(&self, value: &PyValue) -> Result<String, PyFmtError> {
        let mut out = String::new();
        match &self.conversion {
            Conversion::Percent(spec) => {
                let (parsed, used) = PercentSpec::parse(spec)?;
                if used != spec.len() {
                    return Err(PyFmtError(format!("bad conversion in {}", self.raw)));
                }
                parsed.write_value(&mut out, value)?;
            }
            Conversion::Brace(conversion, spec) => {
                let converted;
                let value = match conversion {
                    None => value,
                    Some(c) => {
                        converted = PyValue::Str(match c {
                            'r' => py_repr(value),
                            'a' => ascii(value)?,
                            _ => py_str(value),
                        });
                        &converted
                    }
                };
                FormatSpec::parse(spec)?.write_value(&mut out, value)?;
            }
            Conversion::Dollar => out = py_str(value),
        }
        Ok(out)
    }
}

/// Python's `ascii(value)`.
fn ascii(value: &PyValue) -> Result<String, PyFmtError> {
    let mut out = String::new();
    PercentSpec::parse("a")?.0.write_value(&mut out, value)?;
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Raw(String),
    Ref(FieldRef),
}

/// A format split into literal text and field references.
#[derive(Debug, Clone)]
pub struct Plan {
    style: Style,
    pieces: Vec<Piece>,
}

impl Plan {
    /// Splits `pattern`. Text that is not a well-formed reference is kept
    /// as it is (the library reports bad patterns; the CLI checks the
    /// original with it first).
    pub fn parse(pattern: &str, style: Style) -> Plan {
        let mut pieces = match style {
            Style::Percent => parse_percent(pattern),
            Style::Brace => parse_brace(pattern),
            Style::Dollar => parse_dollar(pattern),
        };
        let mut n = 0;
        for piece in &mut pieces {
            if let Piece::Ref(r) = piece {
                r.field = format!("__lumber_{n}");
                n += 1;
            }
        }
        Plan { style, pieces }
    }

    /// Every field reference, in order.
    pub fn refs(&self) -> impl Iterator<Item = &FieldRef> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Ref(r) => Some(r),
            Piece::Raw(_) => None,
        })
    }

    /// The pattern with each reference for which `redirect(name)` holds
    /// replaced by a plain reference to its field.
    pub fn render(&self, redirect: impl Fn(&str) -> bool) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Raw(text) => out.push_str(text),
                Piece::Ref(r) if !redirect(&r.name) => out.push_str(&r.raw),
                Piece::Ref(r) => match self.style {
                    Style::Percent => out.push_str(&format!("%({})s", r.field)),
                    Style::Brace => out.push_str(&format!("{{{}}}", r.field)),
                    Style::Dollar => out.push_str(&format!("${{{}}}", r.field)),
                },
            }
        }
        out
    }
}

fn new_ref(name: &str, raw: &str, conversion: Conversion) -> Piece {
    Piece::Ref(FieldRef {
        name: name.to_owned(),
        field: String::new(),
        raw: raw.to_owned(),
        conversion,
    })
}

fn push_raw(pieces: &mut Vec<Piece>, text: &str) {
    if let Some(Piece::Raw(prev)) = pieces.last_mut() {
        prev.push_str(text);
    } else if !text.is_empty() {
        pieces.push(Piece::Raw(text.to_owned()));
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The name and the flags, width, precision and conversion of a
/// `%(name)…` reference, given the text after `(`, and the bytes used:
/// Python's `%\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[a-z]`.
fn percent_ref(after_paren: &str) -> Option<(&str, &str, usize)> {
    let close = after_paren.find(')')?;
    let name = &after_paren[..close];
    if name.is_empty() || !name.chars().all(is_word) {
        return None;
    }
    let rest = &after_paren[close + 1..];
    let mut end = rest.len() - rest.trim_start_matches(['#', '0', '+', ' ', '-']).len();
    let width = |s: &str| -> usize {
        if s.starts_with('*') {
            1
        } else {
            s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len()
        }
    };
    end += width(&rest[end..]);
    if rest[end..].starts_with('.') {
        end += 1;
        end += width(&rest[end..]);
    }
    let conv = rest[end..].chars().next()?;
    end += conv.len_utf8();
    Some((name, &rest[..end], close + 1 + end))
}

fn parse_percent(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('%') {
        push_raw(&mut pieces, &rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('%') {
            push_raw(&mut pieces, "%%");
            rest = tail;
            continue;
        }
        let parsed = after.strip_prefix('(').and_then(percent_ref);
        match parsed {
            Some((name, spec, used)) => {
                let len = 2 + used;
                let conversion = Conversion::Percent(spec.to_owned());
                pieces.push(new_ref(name, &rest[i..i + len], conversion));
                rest = &rest[i + len..];
            }
            None => {
                push_raw(&mut pieces, "%");
                rest = after;
            }
        }
    }
    push_raw(&mut pieces, rest);
    pieces
}

fn parse_brace(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(['{', '}']) {
        push_raw(&mut pieces, &rest[..i]);
        let open = rest[i..].starts_with('{');
        let after = &rest[i + 1..];
        if (open && after.starts_with('{')) || (!open && after.starts_with('}')) {
            push_raw(&mut pieces, &rest[i..i + 2]);
            rest = &after[1..];
            continue;
        }
        let body_end = if open { after.find('}') } else { None };
        let Some(close) = body_end.filter(|&c| !after[..c].contains('{')) else {
            push_raw(&mut pieces, &rest[i..i + 1]);
            rest = after;
            continue;
        };
        let body = &after[..close];
        let (head, spec) = match body.find(':') {
            Some(c) => (&body[..c], &body[c + 1..]),
            None => (body, ""),
        };
        let (name, conversion) = match head.find('!') {
            Some(b) => (&head[..b], head[b + 1..].chars().next()),
            None => (head, None),
        };
        let conversion = Conversion::Brace(conversion, spec.to_owned());
        pieces.push(new_ref(name, &rest[i..i + close + 2], conversion));
        rest = &after[close + 1..];
    }
    push_raw(&mut pieces, rest);
    pieces
}

/// Python's `string.Template` identifier: ASCII letters, digits and `_`,
/// not starting with a digit.
fn ident_len(s: &str) -> usize {
    s.char_indices()
        .take_while(|&(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()))
        .count()
}

fn parse_dollar(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('$') {
        push_raw(&mut pieces, &rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(tail) = after.strip_prefix('$') {
            push_raw(&mut pieces, "$$");
            rest = tail;
            continue;
        } else if let Some(braced) = after.strip_prefix('{') {
            let n = ident_len(braced);
            if n > 0 && braced[n..].starts_with('}') {
                (&braced[..n], n + 3)
            } else {
                ("", 0)
            }
        } else {
            let n = ident_len(after);
            (&after[..n], n + 1)
        };
        if name.is_empty() {
            push_raw(&mut pieces, "$");
            rest = after;
            continue;
        }
        pieces.push(new_ref(name, &rest[i..i + len], Conversion::Dollar));
        rest = &rest[i + len..];
    }
    push_raw(&mut pieces, rest);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(plan: &Plan) -> Vec<&str> {
        plan.refs().map(|r| r.name.as_str()).collect()
    }

    fn render_all(plan: &Plan, value: &PyValue) -> Vec<String> {
        plan.refs().map(|r| r.render(value).unwrap()).collect()
    }

    #[test]
    fn percent_refs_are_found_and_replaced() {
        let p = Plan::parse(
            "%% %(name)-10.3s|%(lineno)05d|%(x)r|%(y)a %(z)#x",
            Style::Percent,
        );
        assert_eq!(names(&p), ["name", "lineno", "x", "y", "z"]);
        let same = "%% %(name)-10.3s|%(lineno)05d|%(x)r|%(y)a %(z)#x";
        assert_eq!(p.render(|_| false), same);
        assert_eq!(
            p.render(|n| n != "name"),
            "%% %(name)-10.3s|%(__lumber_1)s|%(__lumber_2)s|%(__lumber_3)s %(__lumber_4)s"
        );
        assert_eq!(
            render_all(&p, &PyValue::Int(42)),
            ["42        ", "00042", "42", "42", "0x2a"]
        );
    }

    #[test]
    fn brace_refs_are_found_and_replaced() {
        let p = Plan::parse(
            "{{x}} {name!r:>6} {n:06.2f} {a} {b!s:<3} {c:} }}",
            Style::Brace,
        );
        assert_eq!(names(&p), ["name", "n", "a", "b", "c"]);
        assert_eq!(
            p.render(|_| true),
            "{{x}} {__lumber_0} {__lumber_1} {__lumber_2} {__lumber_3} {__lumber_4} }}"
        );
        assert_eq!(
            render_all(&p, &PyValue::Float(2.5)),
            ["   2.5", "002.50", "2.5", "2.5", "2.5"]
        );
    }

    #[test]
    fn dollar_refs_are_found_and_replaced() {
        let p = Plan::parse("$$5 $name: ${levelname}x $msg_1é $", Style::Dollar);
        assert_eq!(names(&p), ["name", "levelname", "msg_1"]);
        assert_eq!(
            p.render(|n| n == "levelname"),
            "$$5 $name: ${__lumber_1}x $msg_1é $"
        );
        assert_eq!(render_all(&p, &PyValue::Bool(true)), ["True"; 3]);
    }

    #[test]
    fn python_values_and_errors() {
        let p = Plan::parse("%(x)s|%(x)r|%(x)a", Style::Percent);
        assert_eq!(
            render_all(&p, &PyValue::Str("é".into())),
            ["é", "'é'", "'\\xe9'"]
        );
        let p = Plan::parse("{x!a:>8}|{x}", Style::Brace);
        assert_eq!(
            render_all(&p, &PyValue::Str("é".into())),
            ["  '\\xe9'", "é"]
        );
        let p = Plan::parse("%(x)d", Style::Percent);
        let r = p.refs().next().unwrap();
        assert!(r.render(&PyValue::Str("12".into())).is_err());
        assert!(r.render(&PyValue::None).is_err());
        assert_eq!(
            r.render(&PyValue::Int(1 << 70)).unwrap(),
            (1i128 << 70).to_string()
        );
        let p = Plan::parse("{x:>5}", Style::Brace);
        assert!(
            p.refs()
                .next()
                .unwrap()
                .render(&PyValue::List(vec![]))
                .is_err()
        );
    }

    #[test]
    fn unicode_text_is_kept() {
        let p = Plan::parse("é %(name)s — 日本", Style::Percent);
        assert_eq!(p.render(|_| true), "é %(__lumber_0)s — 日本");
    }
}
