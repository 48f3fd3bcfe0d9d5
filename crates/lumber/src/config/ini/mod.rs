//! Python's `fileConfig` INI format, read into the `dictConfig` tree.
//!
//! The file is read as CPython 3.11's `configparser.ConfigParser` reads it
//! (`[section]` headers, lowercased option names, `=` or `:`, `#`/`;`
//! full-line comments, indented continuation lines, `[DEFAULT]`, strict
//! duplicates, `%(name)s` interpolation), then turned into the tree
//! `logging.config.fileConfig` would build: `formatters`, `handlers` (with
//! `args` and `kwargs` read as Python literals), `loggers` and `root`.
//! Every problem is reported, each with its line, column and option.

mod configparser;

use super::ConfigError;
use super::node::{Key, Node, Pos, Value, did_you_mean};
use super::pyliteral::parse_literal;
use configparser::{Got, Reader};

/// Reads a `fileConfig` INI file into the `dictConfig` tree.
pub(crate) fn parse(text: &str) -> Result<Node, ConfigError> {
    let mut r = Reader {
        secs: Vec::new(),
        problems: ConfigError::default(),
    };
    if text.trim().is_empty() {
        r.problems.push(
            "",
            "the file is empty (fileConfig needs [loggers], [handlers] and [formatters])",
        );
        return Err(r.problems);
    }
    r.read(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut root = Node::new(Value::Map(Vec::new()), Some(Pos::new(1, 1)));
    root.set("version", Node::from(1i64));
    let formatters = r.formatters(&mut root);
    let handlers = r.handlers(&mut root, formatters.as_deref());
    r.loggers(&mut root, handlers.as_deref());
    r.problems.into_result().map(|()| root)
}

/// `fileConfig` on what was read.
impl Reader {
    /// Reports a problem with option `opt` of section `s`.
    fn bad(&mut self, pos: impl Into<Option<Pos>>, s: usize, opt: &str, msg: impl Into<String>) {
        let path = format!("{}.{opt}", self.secs[s].name);
        self.problems.push_at(pos.into(), path, msg);
    }

    /// Reports options of section `s` (not inherited ones) not in `known`.
    fn unknown(&mut self, s: usize, known: &[&str], what: &str) {
        // Python ignores a logger's `formatter`, and real files (CPython's
        // own test_defaults_do_no_interpolation among them) have one: it is
        // accepted, with no effect.
        let opts: Vec<(String, Pos)> = self.secs[s]
            .opts
            .iter()
            .filter(|o| !(what == "logger" && o.name == "formatter"))
            .map(|o| (o.name.clone(), o.key))
            .collect();
        for (name, pos) in opts
            .into_iter()
            .filter(|(n, _)| !known.contains(&n.as_str()))
        {
            let hint = match did_you_mean(&name, known.iter().copied()) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("expected one of {}", known.join(", ")),
            };
            self.bad(
                pos,
                s,
                &name,
                format!("unknown option `{name}` in a {what} section; {hint}"),
            );
        }
    }

    /// `[kind] keys=...`: the names listed, each with its section
    /// `[prefix_NAME]` if there is one; `None` without `[kind]` or `keys`.
    fn index(
        &mut self,
        root: &mut Node,
        kind: &str,
        prefix: &str,
    ) -> Option<Vec<(String, Option<usize>)>> {
        let Some(s) = self.section(kind) else {
            let needs = "fileConfig needs [loggers], [handlers] and [formatters], each with `keys`";
            self.problems
                .push(kind, format!("missing section [{kind}] ({needs})"));
            return None;
        };
        let Some(keys) = self.get(s, "keys", false) else {
            let msg = format!("missing option `keys`: the {prefix}s to set up (`keys=` for none)");
            self.bad(self.secs[s].header, s, "keys", msg);
            return None;
        };
        if !keys.ok {
            return None;
        }
        let mut out: Vec<(String, Option<usize>)> = Vec::new();
        for (name, pos) in keys.text.names() {
            if out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let sect = self.section(&format!("{prefix}_{name}"));
            if sect.is_none() {
                let msg =
                    format!("no section [{prefix}_{name}] for the {prefix} `{name}` listed here");
                self.bad(pos, s, "keys", msg);
            }
            out.push((name, sect));
        }
        add(
            root,
            None,
            kind,
            self.secs[s].header,
            self.map(s, Vec::new()),
        );
        Some(out)
    }

    /// The mapping of section `s`.
    fn map(&self, s: usize, entries: Vec<(Key, Node)>) -> Node {
        Node::new(Value::Map(entries), Some(self.secs[s].header))
    }

    /// Where NAME is in the `[prefix_NAME]` header of section `s`.
    fn header_name(&self, s: usize) -> Pos {
        let h = self.secs[s].header;
        let prefix = self.secs[s].name.find('_').map_or(0, |i| i + 1);
        Pos::new(h.line, h.col + 1 + u32::try_from(prefix).unwrap_or(0))
    }

    /// Reports `got` (option `opt` of `s`) unless it names one of `known`.
    fn check_ref(&mut self, known: Option<&[String]>, name: &str, pos: Pos, s: usize, opt: &str) {
        let what = if opt == "formatter" {
            "formatter"
        } else {
            "handler"
        };
        let Some(known) = known.filter(|k| !k.iter().any(|k| k == name)) else {
            return;
        };
        let hint = did_you_mean(name, known.iter().map(String::as_str))
            .map(|k| format!("; did you mean `{k}`?"));
        let msg = format!(
            "no {what} `{name}` in [{what}s] keys{}",
            hint.unwrap_or_default()
        );
        self.bad(pos, s, opt, msg);
    }

    /// Option `opt` of `s` read as a Python literal of the kind `want`
    /// says (`Value::List` or `Value::Map`, found by its discriminant).
    fn literal(&mut self, s: usize, opt: &str, got: &Got, want: &Value) -> Option<Node> {
        let text = &got.text;
        let node = match parse_literal(&text.s, |o| Some(text.at(o))) {
            Ok(node) => node,
            Err(errors) => {
                for e in errors {
                    let msg = match e.code {
                        true => format!(
                            "{} (lumber reads {opt} as Python literals and never runs code)",
                            e.message
                        ),
                        false => format!("{} (expected a Python literal)", e.message),
                    };
                    self.bad(text.at(e.offset), s, opt, msg);
                }
                return None;
            }
        };
        if std::mem::discriminant(&node.value) == std::mem::discriminant(want) {
            return Some(node);
        }
        let (kind, found) = if matches!(want, Value::List(_)) {
            ("tuple", " (a one-item tuple is written `(x,)`)")
        } else {
            ("dict", "")
        };
        self.bad(
            node.pos,
            s,
            opt,
            format!("expected a {kind}, found {}{found}", node.kind()),
        );
        None
    }

    /// `_create_formatters`: `root.formatters`; the formatter names (`None` without `[formatters]` keys).
    fn formatters(&mut self, root: &mut Node) -> Option<Vec<String>> {
        let known = [
            "format", "datefmt", "style", "class", "validate", "defaults",
        ];
        let list = self.index(root, "formatters", "formatter")?;
        for (name, s) in &list {
            let Some(s) = *s else { continue };
            self.unknown(s, &known, "formatter");
            let mut m = Vec::new();
            for (opt, raw) in [
                ("format", true),
                ("datefmt", true),
                ("style", true),
                ("class", false),
            ] {
                if let Some(g) = self
                    .get(s, opt, raw)
                    .filter(|g| opt != "class" || !g.text.s.is_empty())
                {
                    m.push(g.entry(opt, g.text.node()));
                }
            }
            if let Some(g) = self.get(s, "validate", false).filter(|g| g.ok) {
                match g.text.s.to_lowercase().as_str() {
                    "1" | "yes" | "true" | "on" => {
                        m.push(g.entry("validate", g.value(Value::Bool(true))))
                    }
                    "0" | "no" | "false" | "off" => {
                        m.push(g.entry("validate", g.value(Value::Bool(false))))
                    }
                    _ => self.bad(
                        g.text.start,
                        s,
                        "validate",
                        "expected a boolean (true/false, yes/no, on/off, 1/0)",
                    ),
                }
            }
            if let Some(g) = self.get(s, "defaults", true)
                && let Some(n) = self.literal(s, "defaults", &g, &Value::Map(Vec::new()))
            {
                m.push(g.entry("defaults", n));
            }
            add(
                root,
                Some("formatters"),
                name,
                self.header_name(s),
                self.map(s, m),
            );
        }
        Some(list.into_iter().map(|(n, _)| n).collect())
    }

    /// `_install_handlers`: `root.handlers`; the handler names (`None` without `[handlers]` keys).
    fn handlers(&mut self, root: &mut Node, formatters: Option<&[String]>) -> Option<Vec<String>> {
        let known = ["class", "level", "formatter", "args", "kwargs", "target"];
        let list = self.index(root, "handlers", "handler")?;
        let names: Vec<String> = list.iter().map(|(n, _)| n.clone()).collect();
        for (name, s) in &list {
            let Some(s) = *s else { continue };
            self.unknown(s, &known, "handler");
            let mut m = Vec::new();
            match self.get(s, "class", false) {
                None => self.bad(
                    self.secs[s].header,
                    s,
                    "class",
                    "missing option `class` (the handler class, e.g. StreamHandler)",
                ),
                Some(g) if g.ok && g.text.s.is_empty() => {
                    self.bad(g.text.start, s, "class", "expected a handler class name")
                }
                Some(g) => m.push(g.entry("class", g.text.node())),
            }
            if let Some(g) = self.get(s, "level", false) {
                m.push(g.entry("level", g.text.node()));
            }
            for (opt, known) in [
                ("formatter", formatters),
                ("target", Some(names.as_slice())),
            ] {
                if let Some(g) = self.get(s, opt, false).filter(|g| !g.text.s.is_empty()) {
                    if g.ok {
                        self.check_ref(known, &g.text.s, g.text.start, s, opt);
                    }
                    m.push(g.entry(opt, g.text.node()));
                }
            }
            for (opt, want) in [
                ("args", Value::List(Vec::new())),
                ("kwargs", Value::Map(Vec::new())),
            ] {
                let Some(g) = self.get(s, opt, false).filter(|g| g.ok) else {
                    continue;
                };
                let Some(n) = self.literal(s, opt, &g, &want) else {
                    continue;
                };
                for (k, _) in n
                    .entries()
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, _)| !is_identifier(&k.name))
                {
                    self.bad(
                        k.pos,
                        s,
                        opt,
                        format!("keyword `{}` is not a parameter name", k.name),
                    );
                }
                m.push(g.entry(opt, n));
            }
            add(
                root,
                Some("handlers"),
                name,
                self.header_name(s),
                self.map(s, m),
            );
        }
        Some(names)
    }

    /// `_install_loggers`: `root.root` and `root.loggers` (keyed by qualname).
    fn loggers(&mut self, root: &mut Node, handlers: Option<&[String]>) {
        let Some(list) = self.index(root, "loggers", "logger") else {
            return;
        };
        if let Some(s) = self
            .section("loggers")
            .filter(|_| !list.iter().any(|(n, _)| n == "root"))
        {
            let at = self.get(s, "keys", true).map(|g| g.text.start);
            self.bad(at, s, "keys", "`root` must be listed: fileConfig always sets up the root logger from [logger_root]");
        }
        let mut seen: Vec<(String, Pos)> = Vec::new();
        for (name, s) in &list {
            let Some(s) = *s else { continue };
            let is_root = name == "root";
            self.unknown(s, &["level", "handlers", "propagate", "qualname"], "logger");
            let mut m = Vec::new();
            if let Some(g) = self.get(s, "level", false) {
                m.push(g.entry("level", g.text.node()));
            }
            let qualname = if is_root {
                None
            } else {
                self.get(s, "qualname", false)
            };
            if !is_root && qualname.is_none() {
                self.bad(
                    self.secs[s].header,
                    s,
                    "qualname",
                    "missing option `qualname` (the logger's dotted name)",
                );
            }
            match self.get(s, "propagate", false).filter(|g| g.ok && !is_root) {
                Some(g) => match parse_int(&g.text.s) {
                    Some(i) => m.push(g.entry("propagate", g.value(Value::Bool(i != 0)))),
                    None => self.bad(
                        g.text.start,
                        s,
                        "propagate",
                        "expected an integer: 1 to pass records to the parent's handlers, 0 not to",
                    ),
                },
                // fileConfig always sets it: `getint("propagate", fallback=1)`.
                None if !is_root => m.push((Key::new("propagate"), Node::from(true))),
                None => {}
            }
            match self.get(s, "handlers", false) {
                None => self.bad(
                    self.secs[s].header,
                    s,
                    "handlers",
                    "missing option `handlers` (`handlers=` for none)",
                ),
                Some(g) => {
                    let mut items = Vec::new();
                    for (h, pos) in g.text.names() {
                        if g.ok {
                            self.check_ref(handlers, &h, pos, s, "handlers");
                        }
                        items.push(Node::new(Value::Str(h), Some(pos)));
                    }
                    m.push(g.entry("handlers", g.value(Value::List(items))));
                }
            }
            let node = self.map(s, m);
            if is_root {
                add(root, None, "root", self.header_name(s), node);
            } else if let Some(q) = qualname {
                if let Some((_, first)) = seen.iter().find(|(n, _)| *n == q.text.s) {
                    let msg = format!(
                        "logger `{}` is set up already (qualname at line {})",
                        q.text.s, first.line
                    );
                    self.bad(q.text.start, s, "qualname", msg);
                }
                seen.push((q.text.s.clone(), q.text.start));
                add(root, Some("loggers"), &q.text.s, q.text.start, node);
            }
        }
        if root
            .get("loggers")
            .and_then(Node::entries)
            .is_some_and(<[_]>::is_empty)
        {
            root.remove("loggers");
        }
    }
}

/// Nodes for a value read.
impl Got {
    /// `value` where this option's value is written.
    fn value(&self, value: Value) -> Node {
        Node::new(value, Some(self.text.start))
    }

    /// A mapping entry for this option.
    fn entry(&self, name: &str, node: Node) -> (Key, Node) {
        let mut key = Key::new(name);
        key.pos = Some(self.key);
        (key, node)
    }
}

/// Adds `name: node` to `root` (to the mapping `root[kind]` if given).
fn add(root: &mut Node, kind: Option<&str>, name: &str, pos: Pos, node: Node) {
    if let Some(kind) = kind.filter(|k| root.get(k).is_none()) {
        add(
            root,
            None,
            kind,
            pos,
            Node::new(Value::Map(Vec::new()), Some(pos)),
        );
    }
    let target = match kind {
        Some(kind) => root.get_mut(kind),
        None => Some(root),
    };
    if let Some(Node {
        value: Value::Map(m),
        ..
    }) = target
    {
        let mut key = Key::new(name);
        key.pos = Some(pos);
        m.push((key, node));
    }
}

/// Python's `int(text)` for decimal text: a sign, digits, single underscores.
fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let valid = digits
        .split('_')
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let n: i64 = if valid {
        digits.replace('_', "").parse().ok()?
    } else {
        return None;
    };
    Some(if text.starts_with('-') { -n } else { n })
}

/// True if `s` is a Python identifier (a keyword argument name).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests;
