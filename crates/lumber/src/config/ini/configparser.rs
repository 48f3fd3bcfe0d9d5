//! The `configparser`-compatible reader: sections, options, continuation lines, `[DEFAULT]`, interpolation.

use crate::config::ConfigError;
use crate::config::node::{Node, Pos, Value};

/// Python's `str.isspace` (what `str.strip` and `\s` take away).
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// A value's text and where each of its bytes is written.
#[derive(Debug, Clone)]
pub(super) struct Text {
    pub(super) s: String,
    pub(super) pos: Vec<Pos>,
    /// Where the value starts (even when empty).
    pub(super) start: Pos,
}

/// Building and reading values.
impl Text {
    /// An empty value starting at `start`.
    fn new(start: Pos) -> Text {
        Text {
            s: String::new(),
            pos: Vec::new(),
            start,
        }
    }

    /// Appends `s` written from `at` (`same`: every byte at `at`).
    fn push(&mut self, s: &str, at: Pos, same: bool) {
        for (i, c) in s.chars().enumerate() {
            let col = if same {
                at.col
            } else {
                at.col + u32::try_from(i).unwrap_or(0)
            };
            self.pos
                .extend(std::iter::repeat_n(Pos::new(at.line, col), c.len_utf8()));
            self.s.push(c);
        }
    }

    /// Where byte `offset` is written (the end: just after the last byte).
    pub(super) fn at(&self, offset: usize) -> Pos {
        match (self.pos.get(offset), self.pos.last()) {
            (Some(p), _) => *p,
            (None, Some(p)) => Pos::new(p.line, p.col + 1),
            (None, None) => self.start,
        }
    }

    /// The text as a string node at its start.
    pub(super) fn node(&self) -> Node {
        Node::new(Value::Str(self.s.clone()), Some(self.at(0)))
    }

    /// The comma-separated names, stripped, empty ones skipped.
    pub(super) fn names(&self) -> Vec<(String, Pos)> {
        let mut out = Vec::new();
        let mut from = 0;
        for piece in self.s.split(',') {
            let lead = piece.len() - piece.trim_start_matches(is_space).len();
            let name = piece.trim_matches(is_space);
            if !name.is_empty() {
                out.push((name.to_owned(), self.at(from + lead)));
            }
            from += piece.len() + 1;
        }
        out
    }
}

/// An option as written: its lowercased name, where the name is, its value.
#[derive(Debug, Clone)]
pub(super) struct Opt {
    pub(super) name: String,
    pub(super) key: Pos,
    pub(super) value: Text,
}

/// A section as written. `secs[0]` is `[DEFAULT]`, `secs[1]` collects
/// what cannot be kept (duplicates, options before any header).
#[derive(Debug)]
pub(super) struct Section {
    pub(super) name: String,
    pub(super) header: Pos,
    pub(super) opts: Vec<Opt>,
}

/// Index of `[DEFAULT]` in `Reader::secs`.
const DEFAULT: usize = 0;
/// Index of the section collecting what cannot be kept.
pub(super) const DISCARD: usize = 1;
/// configparser's `MAX_INTERPOLATION_DEPTH`.
const MAX_DEPTH: u32 = 10;

/// A value as `fileConfig` reads it, with the position of its option name;
/// `ok` is false after an interpolation problem (reported).
pub(super) struct Got {
    pub(super) text: Text,
    pub(super) key: Pos,
    pub(super) ok: bool,
}

/// The sections read so far and the problems found.
pub(super) struct Reader {
    pub(super) secs: Vec<Section>,
    pub(super) problems: ConfigError,
}

/// Reading the file as `configparser.ConfigParser` reads it.
impl Reader {
    /// `configparser.RawConfigParser._read`, reporting instead of raising.
    pub(super) fn read(&mut self, text: &str) {
        for name in ["DEFAULT", ""] {
            self.secs.push(Section {
                name: name.to_owned(),
                header: Pos::new(1, 1),
                opts: Vec::new(),
            });
        }
        let (mut cur, mut opt): (Option<usize>, Option<(usize, usize)>) = (None, None);
        let mut indent_level = 0;
        for (n, line) in lines(text).enumerate() {
            let lineno = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let body = line.trim_matches(is_space);
            let lead = line.len() - line.trim_start_matches(is_space).len();
            let indent = line.get(..lead).unwrap_or_default().chars().count();
            let at = Pos::new(lineno, u32::try_from(indent + 1).unwrap_or(u32::MAX));
            if body.starts_with('#') || body.starts_with(';') {
                continue;
            }
            if let Some((s, o)) = opt.filter(|_| body.is_empty() || indent > indent_level) {
                let value = &mut self.secs[s].opts[o].value;
                value.push("\n", value.at(value.s.len()), false);
                value.push(body, at, false);
                continue;
            }
            if body.is_empty() {
                continue;
            }
            indent_level = indent;
            let close = body.rfind(']').filter(|&i| i > 1 && body.starts_with('['));
            if let Some(name) = close.and_then(|i| body.get(1..i)) {
                opt = None;
                cur = Some(if name == "DEFAULT" {
                    DEFAULT
                } else if let Some(first) = self.section(name) {
                    let first = self.secs[first].header.line;
                    let msg = format!("duplicate section [{name}] (first at line {first})");
                    self.problems.push_at(Some(at), name, msg);
                    DISCARD
                } else {
                    self.secs.push(Section {
                        name: name.to_owned(),
                        header: at,
                        opts: Vec::new(),
                    });
                    self.secs.len() - 1
                });
                continue;
            }
            let Some(s) = cur else {
                self.problems.push_at(
                    Some(at),
                    "",
                    "expected a [section] header before any option",
                );
                (cur, opt) = (Some(DISCARD), None);
                continue;
            };
            let Some(d) = body.find(['=', ':']) else {
                let msg = "expected `option = value`, a [section] header or a comment";
                self.problems
                    .push_at(Some(at), self.secs[s].name.as_str(), msg);
                continue;
            };
            let name = body
                .get(..d)
                .unwrap_or_default()
                .trim_end_matches(is_space)
                .to_lowercase();
            let after = body.get(d + 1..).unwrap_or_default();
            let value_col =
                body.get(..d + 1 + after.len() - after.trim_start_matches(is_space).len());
            let value_at = Pos::new(
                lineno,
                at.col + u32::try_from(value_col.unwrap_or_default().chars().count()).unwrap_or(0),
            );
            let mut value = Text::new(value_at);
            value.push(after.trim_matches(is_space), value_at, false);
            let path = format!("{}.{name}", self.secs[s].name);
            let mut target = s;
            if name.is_empty() {
                self.problems.push_at(
                    Some(at),
                    self.secs[s].name.as_str(),
                    "an option needs a name before its `=`",
                );
                target = DISCARD;
            } else if let Some(first) = self.secs[s]
                .opts
                .iter()
                .find(|o| o.name == name && s != DISCARD)
            {
                let msg = format!(
                    "duplicate option `{name}` (first at line {})",
                    first.key.line
                );
                self.problems.push_at(Some(at), path, msg);
                target = DISCARD;
            }
            self.secs[target].opts.push(Opt {
                name,
                key: at,
                value,
            });
            opt = Some((target, self.secs[target].opts.len() - 1));
        }
        for s in &mut self.secs {
            for o in &mut s.opts {
                let keep = o.value.s.trim_end_matches(is_space).len();
                o.value.s.truncate(keep);
                o.value.pos.truncate(keep);
            }
        }
    }

    /// The section named `name` (not `[DEFAULT]`).
    pub(super) fn section(&self, name: &str) -> Option<usize> {
        (2..self.secs.len()).find(|&i| self.secs[i].name == name)
    }

    /// The option of section `s`, or of `[DEFAULT]`.
    fn lookup(&self, s: usize, name: &str) -> Option<&Opt> {
        let find = |s: usize| self.secs[s].opts.iter().find(|o| o.name == name);
        find(s).or_else(|| find(DEFAULT))
    }

    /// Option `name` of section `s`, interpolated unless `raw`.
    pub(super) fn get(&mut self, s: usize, name: &str, raw: bool) -> Option<Got> {
        let Opt { key, value, .. } = self.lookup(s, name)?.clone();
        if raw {
            return Some(Got {
                text: value,
                key,
                ok: true,
            });
        }
        let mut out = Text::new(value.start);
        match self.interpolate(s, &value, 1, None, &mut out) {
            Ok(()) => Some(Got {
                text: out,
                key,
                ok: true,
            }),
            Err((pos, msg)) => {
                self.problems
                    .push_at(Some(pos), format!("{}.{name}", self.secs[s].name), msg);
                Some(Got {
                    text: value,
                    key,
                    ok: false,
                })
            }
        }
    }

    /// `BasicInterpolation.before_get`: `%%` and `%(name)s` (text
    /// substituted is placed at its reference, `anchor` once nested).
    fn interpolate(
        &self,
        s: usize,
        raw: &Text,
        depth: u32,
        anchor: Option<Pos>,
        out: &mut Text,
    ) -> Result<(), (Pos, String)> {
        let place = |i: usize| anchor.unwrap_or_else(|| raw.at(i));
        if depth > MAX_DEPTH {
            return Err((
                place(0),
                "%(...)s references nested too deeply (a reference loop?)".to_owned(),
            ));
        }
        let mut i = 0;
        while let Some(p) = raw.s.get(i..).and_then(|r| r.find('%')).map(|p| p + i) {
            let plain = raw.s.get(i..p).unwrap_or_default();
            out.s.push_str(plain);
            out.pos.extend((i..p).map(place));
            let rest = raw.s.get(p..).unwrap_or_default();
            if rest.starts_with("%%") {
                out.push("%", place(p), true);
                i = p + 2;
                continue;
            }
            let hint = "(write %% for a literal %)";
            if !rest.starts_with("%(") {
                return Err((
                    place(p),
                    format!("`%` must be followed by `%` or `(` {hint}"),
                ));
            }
            let Some(close) = rest
                .find(')')
                .filter(|&c| c > 2 && rest.get(c + 1..c + 2) == Some("s"))
            else {
                return Err((
                    place(p),
                    format!("bad interpolation reference {rest:?}: expected %(name)s {hint}"),
                ));
            };
            let var = rest.get(2..close).unwrap_or_default().to_lowercase();
            let Some(v) = self.lookup(s, &var) else {
                let sect = &self.secs[s].name;
                let msg = format!(
                    "no option `{var}` in [{sect}] or [DEFAULT] to put in for %({var})s {hint}"
                );
                return Err((place(p), msg));
            };
            if v.value.s.contains('%') {
                self.interpolate(s, &v.value, depth + 1, Some(place(p)), out)?;
            } else {
                out.push(&v.value.s, place(p), true);
            }
            i = p + close + 2;
        }
        let tail = raw.s.get(i..).unwrap_or_default();
        out.s.push_str(tail);
        out.pos.extend((i..raw.s.len()).map(place));
        Ok(())
    }
}

/// Lines split at `\n`, `\r\n` or `\r` (Python's universal newlines).
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let line = rest.get(..end).unwrap_or_default();
        let skip = if rest.get(end..).is_some_and(|r| r.starts_with("\r\n")) {
            2
        } else {
            usize::from(end < rest.len())
        };
        rest = rest.get(end + skip..).unwrap_or_default();
        Some(line)
    })
}
