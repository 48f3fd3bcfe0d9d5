//! The configuration tree every file format is read into: values with the
//! line and column they came from, so that any problem found later can say
//! where it is.

use std::fmt;

/// A place in a configuration file: 1-based line and column.
///
/// ```
/// use lumber::config::Pos;
/// assert_eq!(Pos::new(3, 7).to_string(), "3:7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column (in characters), from 1.
    pub col: u32,
}

impl Pos {
    /// A position.
    ///
    /// ```
    /// assert_eq!(lumber::config::Pos::new(1, 2).line, 1);
    /// ```
    pub const fn new(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    /// The position of byte `offset` in `text`.
    ///
    /// ```
    /// use lumber::config::Pos;
    /// assert_eq!(Pos::at_offset("ab\ncd", 4), Pos::new(2, 2));
    /// ```
    pub fn at_offset(text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

/// Byte offsets to positions in one text, in O(log lines) per lookup.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The same as [`Pos::at_offset`].
    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A value in a configuration tree.
///
/// ```
/// use lumber::config::{Node, Value};
/// let n = Node::from(Value::Str("debug".into()));
/// assert_eq!(n.as_str(), Some("debug"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` / `~` / `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A list (a JSON array, a Python tuple or list).
    List(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and where it is written.
///
/// ```
/// use lumber::config::FileFormat;
/// let n = FileFormat::Yaml.parse("root:\n  level: INFO\n").unwrap();
/// let (key, _) = &n.entries().unwrap()[0];
/// assert_eq!((key.name.as_str(), key.pos.unwrap().line), ("root", 1));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key.
    pub name: String,
    /// Where the key is written, if known.
    pub pos: Option<Pos>,
}

impl Key {
    /// A key without a position.
    ///
    /// ```
    /// assert_eq!(lumber::config::Key::new("level").name, "level");
    /// ```
    pub fn new(name: impl Into<String>) -> Key {
        Key {
            name: name.into(),
            pos: None,
        }
    }
}

/// A value and where it is written.
///
/// ```
/// use lumber::config::{Node, Pos, Value};
/// let n = Node::new(Value::Int(3), Some(Pos::new(2, 5)));
/// assert_eq!(n.as_i64(), Some(3));
/// assert_eq!(n.pos, Some(Pos::new(2, 5)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts, if known.
    pub pos: Option<Pos>,
}

impl From<Value> for Node {
    fn from(value: Value) -> Node {
        Node { value, pos: None }
    }
}

impl From<&str> for Node {
    fn from(s: &str) -> Node {
        Node::from(Value::Str(s.to_owned()))
    }
}

impl From<String> for Node {
    fn from(s: String) -> Node {
        Node::from(Value::Str(s))
    }
}

impl From<bool> for Node {
    fn from(b: bool) -> Node {
        Node::from(Value::Bool(b))
    }
}

impl From<i64> for Node {
    fn from(i: i64) -> Node {
        Node::from(Value::Int(i))
    }
}

impl Node {
    /// A node.
    ///
    /// ```
    /// use lumber::config::{Node, Value};
    /// assert_eq!(Node::new(Value::Null, None).value, Value::Null);
    /// ```
    pub fn new(value: Value, pos: Option<Pos>) -> Node {
        Node { value, pos }
    }

    /// An empty mapping.
    ///
    /// ```
    /// assert!(lumber::config::Node::map().entries().unwrap().is_empty());
    /// ```
    pub fn map() -> Node {
        Node::from(Value::Map(Vec::new()))
    }

    /// A list of nodes.
    ///
    /// ```
    /// let l = lumber::config::Node::list(vec!["a".into(), "b".into()]);
    /// assert_eq!(l.items().unwrap().len(), 2);
    /// ```
    pub fn list(items: Vec<Node>) -> Node {
        Node::from(Value::List(items))
    }

    /// The string, if this is one.
    ///
    /// ```
    /// assert_eq!(lumber::config::Node::from("x").as_str(), Some("x"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is one.
    ///
    /// ```
    /// assert_eq!(lumber::config::Node::from(5i64).as_i64(), Some(5));
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    ///
    /// ```
    /// let mut m = lumber::config::Node::map();
    /// m.set("level", "INFO".into());
    /// assert_eq!(m.entries().unwrap()[0].0.name, "level");
    /// ```
    pub fn entries(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is a list.
    ///
    /// ```
    /// assert!(lumber::config::Node::from("x").items().is_none());
    /// ```
    pub fn items(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The value under `key`, if this is a mapping that has it (the last
    /// one, if a format allowed it twice).
    ///
    /// ```
    /// let mut m = lumber::config::Node::map();
    /// m.set("level", "INFO".into());
    /// assert_eq!(m.get("level").and_then(|n| n.as_str()), Some("INFO"));
    /// assert!(m.get("nope").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .rev()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The value under `key`, mutably.
    ///
    /// ```
    /// let mut m = lumber::config::Node::map();
    /// m.set("level", "INFO".into());
    /// *m.get_mut("level").unwrap() = "DEBUG".into();
    /// assert_eq!(m.get("level").unwrap().as_str(), Some("DEBUG"));
    /// ```
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Map(m) => m
                .iter_mut()
                .rev()
                .find(|(k, _)| k.name == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets `key` in a mapping (replacing it if present; turning a
    /// non-mapping into an empty mapping first).
    ///
    /// ```
    /// let mut m = lumber::config::Node::map();
    /// m.set("a", 1i64.into());
    /// m.set("a", 2i64.into());
    /// assert_eq!(m.entries().unwrap().len(), 1);
    /// assert_eq!(m.get("a").unwrap().as_i64(), Some(2));
    /// ```
    pub fn set(&mut self, key: &str, value: Node) {
        if !matches!(self.value, Value::Map(_)) {
            self.value = Value::Map(Vec::new());
        }
        if let Some(slot) = self.get_mut(key) {
            *slot = value;
        } else if let Value::Map(m) = &mut self.value {
            m.push((Key::new(key), value));
        }
    }

    /// Removes `key` from a mapping, returning its value.
    ///
    /// ```
    /// let mut m = lumber::config::Node::map();
    /// m.set("a", 1i64.into());
    /// assert!(m.remove("a").is_some());
    /// assert!(m.get("a").is_none());
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        match &mut self.value {
            Value::Map(m) => {
                let i = m.iter().rposition(|(k, _)| k.name == key)?;
                Some(m.remove(i).1)
            }
            _ => None,
        }
    }

    /// What kind of value this is, for error messages (`a string`, `a
    /// mapping`).
    ///
    /// ```
    /// assert_eq!(lumber::config::Node::map().kind(), "a mapping");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Drops every position (for comparing trees read from different
    /// files).
    ///
    /// ```
    /// use lumber::config::{Node, Pos, Value};
    /// let mut n = Node::new(Value::Int(1), Some(Pos::new(1, 1)));
    /// n.strip_positions();
    /// assert_eq!(n.pos, None);
    /// ```
    pub fn strip_positions(&mut self) {
        self.pos = None;
        match &mut self.value {
            Value::List(l) => l.iter_mut().for_each(Node::strip_positions),
            Value::Map(m) => {
                for (k, v) in m {
                    k.pos = None;
                    v.strip_positions();
                }
            }
            _ => {}
        }
    }

    /// The value as JSON.
    ///
    /// ```
    /// let mut m = lumber::config::Node::map();
    /// m.set("level", "INFO".into());
    /// m.set("propagate", true.into());
    /// assert_eq!(m.to_json(), r#"{"level": "INFO", "propagate": true}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out, None, 0);
        out
    }

    /// The value as indented JSON (two spaces), ending without a newline.
    ///
    /// ```
    /// let mut m = lumber::config::Node::map();
    /// m.set("version", 1i64.into());
    /// assert_eq!(m.to_json_pretty(), "{\n  \"version\": 1\n}");
    /// ```
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out, Some(2), 0);
        out
    }
}

fn write_json(node: &Node, out: &mut String, indent: Option<usize>, depth: usize) {
    use std::fmt::Write as _;
    let newline = |out: &mut String, depth: usize| {
        if let Some(n) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', n * depth));
        }
    };
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f:?}");
        }
        Value::Float(f) => write_json_str(&f.to_string(), out),
        Value::Str(s) => write_json_str(s, out),
        Value::List(items) if items.is_empty() => out.push_str("[]"),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    if indent.is_none() {
                        out.push(' ');
                    }
                }
                newline(out, depth + 1);
                write_json(item, out, indent, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Map(m) if m.is_empty() => out.push_str("{}"),
        Value::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    if indent.is_none() {
                        out.push(' ');
                    }
                }
                newline(out, depth + 1);
                write_json_str(&k.name, out);
                out.push_str(": ");
                write_json(v, out, indent, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

fn write_json_str(s: &str, out: &mut String) {
    crate::format::structured::encode::json_quoted(out, s);
}

/// Closest candidate to `word` by edit distance, if close enough to be a
/// likely typo (for "did you mean ...?").
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&w, &c.to_ascii_lowercase());
        let limit = (c.len().max(w.len()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            // Transposition counts as one edit.
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev[j - 1]);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let keys = ["level", "handlers", "propagate", "filters"];
        assert_eq!(did_you_mean("levle", keys), Some("level"));
        assert_eq!(did_you_mean("handler", keys), Some("handlers"));
        assert_eq!(did_you_mean("propogate", keys), Some("propagate"));
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("LEVEL", keys), Some("level"));
    }

    #[test]
    fn json_escapes() {
        let n = Node::list(vec![
            "a\"b\n\u{1}".into(),
            Node::from(Value::Float(f64::NAN)),
        ]);
        assert_eq!(n.to_json(), r#"["a\"b\n\u0001", "NaN"]"#);
        let v: serde_json::Value = serde_json::from_str(&n.to_json()).unwrap();
        assert_eq!(v[0], "a\"b\n\u{1}");
    }

    #[test]
    fn line_index_agrees_with_at_offset() {
        let text = "a = 1\nbé = [\n  2,\n]\n\nz";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            if text.is_char_boundary(offset.min(text.len())) {
                assert_eq!(index.pos(offset), Pos::at_offset(text, offset), "{offset}");
            }
        }
    }

    #[test]
    fn offsets_count_characters() {
        assert_eq!(Pos::at_offset("é=1", 3), Pos::new(1, 3));
        assert_eq!(Pos::at_offset("", 9), Pos::new(1, 1));
    }
}
