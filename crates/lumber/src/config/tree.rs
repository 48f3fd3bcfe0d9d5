//! The logger tree — of a configuration, or of the running program — as a
//! configuration in the `dictConfig` schema (which loads back as it is),
//! and as text in the style of Python's `logging_tree`.

use std::collections::HashMap;
use std::sync::Arc;

use super::apply::{LoggerPlan, with_applied};
use super::node::{Key, Node, Value};
use super::{Config, ConfigError};
use crate::filter::Filter;
use crate::format::Format;
use crate::handler::Handler;
use crate::level::Level;
use crate::logger::loggers;

/// A level as a configuration value: its name, or its number if it has
/// none (`Level 25` would not read back).
pub(crate) fn level_node(level: Level) -> Node {
    let name = level.name();
    if name.starts_with("Level ") {
        Node::from(i64::from(level.value()))
    } else {
        Node::from(name.into_owned())
    }
}

/// A mapping of `entries` in linear time; a repeated key keeps its first
/// place and its last value (as [`Node::set`] would).
fn map_of(entries: impl Iterator<Item = (String, Node)>) -> Node {
    let mut out: Vec<(Key, Node)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (k, v) in entries {
        match index.get(&k) {
            Some(&i) => out[i].1 = v,
            None => {
                index.insert(k.clone(), out.len());
                out.push((Key::new(k), v));
            }
        }
    }
    Node::from(Value::Map(out))
}

fn names(list: &[String]) -> Node {
    Node::list(list.iter().map(|s| Node::from(s.as_str())).collect())
}

fn logger_node(
    lp: &LoggerPlan,
    level: Level,
    effective: Level,
    propagate: bool,
    disabled: bool,
) -> Node {
    let mut n = Node::map();
    n.set("level", level_node(level));
    n.set("effective_level", level_node(effective));
    if !lp.name.is_empty() {
        n.set("propagate", propagate.into());
        n.set("disabled", disabled.into());
    }
    n.set(
        "handlers",
        names(lp.handlers.as_deref().unwrap_or_default()),
    );
    n.set("filters", names(lp.filters.as_deref().unwrap_or_default()));
    n
}

impl Config {
    /// The logger tree this configuration makes, without applying it: a
    /// configuration in the `dictConfig` schema with every class under its
    /// canonical name, every option under its snake_case name, `fileConfig`
    /// arguments named, and each logger's effective level. It loads back
    /// to the same tree.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let c = Config::from_str("
    /// [handlers.h]
    /// class = 'logging.StreamHandler'
    /// [loggers.app]
    /// level = 'debug'
    /// handlers = ['h']
    /// [loggers.'app.db']
    /// ", FileFormat::Toml, None).unwrap();
    /// let tree = c.tree().unwrap();
    /// assert_eq!(tree.get("handlers").unwrap().get("h").unwrap().get("class").unwrap().as_str(), Some("StreamHandler"));
    /// let db = tree.get("loggers").unwrap().get("app.db").unwrap();
    /// assert_eq!(db.get("effective_level").unwrap().as_str(), Some("DEBUG"));
    /// let again = Config::from_node(tree.clone()).tree().unwrap();
    /// assert_eq!(again, tree);
    /// ```
    pub fn tree(&self) -> Result<Node, ConfigError> {
        let plan = self.plan(true)?;
        let mut out = Node::map();
        out.set("version", 1i64.into());
        out.set("disable_existing_loggers", plan.disable_existing.into());
        if plan.incremental {
            out.set("incremental", true.into());
        }
        for (key, specs) in [
            ("formatters", &plan.specs.formatters),
            ("filters", &plan.specs.filters),
            ("handlers", &plan.specs.handlers),
        ] {
            let mut m = Node::map();
            for (name, spec) in specs {
                m.set(name, spec.clone());
            }
            out.set(key, m);
        }
        // Effective levels among the configured loggers; the root keeps
        // Python's WARNING unless the configuration sets it.
        let root_plan = plan.root.clone().unwrap_or_default();
        let root_level = root_plan.level.unwrap_or(Level::WARNING);
        let mut sorted: Vec<&LoggerPlan> = plan.loggers.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        let own: HashMap<&str, Level> = sorted
            .iter()
            .filter_map(|lp| {
                lp.level
                    .filter(|l| *l != Level::NOTSET)
                    .map(|l| (lp.name.as_str(), l))
            })
            .collect();
        // The first level set on the way up, as Python's getEffectiveLevel.
        let effective = |name: &str| -> Level {
            let mut at = name;
            loop {
                if let Some(l) = own.get(at) {
                    return *l;
                }
                match at.rfind('.') {
                    Some(i) => at = &at[..i],
                    None => return root_level,
                }
            }
        };
        let lm = map_of(sorted.iter().map(|lp| {
            let node = logger_node(
                lp,
                lp.level.unwrap_or(Level::NOTSET),
                effective(&lp.name),
                lp.propagate.unwrap_or(true),
                lp.disabled.unwrap_or(false),
            );
            (lp.name.clone(), node)
        }));
        out.set("loggers", lm);
        out.set(
            "root",
            logger_node(&root_plan, root_level, root_level, true, false),
        );
        Ok(out)
    }
}

/// The running program's logger tree, in the same schema as
/// [`Config::tree`]: every logger with its level, effective level,
/// propagation, handlers and filters, and every handler, formatter and
/// filter attached anywhere — under the name and with the options a
/// configuration gave it, or described from what it is if code made it.
///
/// ```
/// let _guard = lumber::basic_config().force(true).init().unwrap();
/// lumber::get_logger("doc.tree.child").set_level(lumber::Level::DEBUG);
/// let tree = lumber::config::tree();
/// let child = tree.get("loggers").unwrap().get("doc.tree.child").unwrap();
/// assert_eq!(child.get("level").unwrap().as_str(), Some("DEBUG"));
/// let root_handlers = tree.get("root").unwrap().get("handlers").unwrap();
/// assert_eq!(root_handlers.items().unwrap().len(), 1);
/// ```
pub fn tree() -> Node {
    let all = loggers();
    let mut handlers: Vec<(String, Arc<Handler>)> = Vec::new();
    let mut formatters: Vec<(String, Arc<dyn Format>, Node)> = Vec::new();
    let mut filters: Vec<(String, Arc<dyn Filter>, Node)> = Vec::new();

    let filter_name =
        |f: &Arc<dyn Filter>, filters: &mut Vec<(String, Arc<dyn Filter>, Node)>| -> String {
            if let Some((n, _, _)) = filters
                .iter()
                .find(|(_, x, _)| std::ptr::addr_eq(Arc::as_ptr(x), Arc::as_ptr(f)))
            {
                return n.clone();
            }
            let known = with_applied(|a| {
                a.filters
                    .iter()
                    .find(|(_, w, _)| std::ptr::addr_eq(w.as_ptr(), Arc::as_ptr(f)))
                    .map(|(n, _, s)| (n.clone(), s.clone()))
            });
            let (name, spec) = known.unwrap_or_else(|| {
                let spec = f.config().unwrap_or_else(|| {
                    // A closure or a type that cannot say how to rebuild it.
                    let mut s = Node::map();
                    s.set("class", f.describe().into());
                    s
                });
                (format!("filter{}", filters.len() + 1), spec)
            });
            let name = unique(name, filters.iter().map(|(n, _, _)| n.as_str()));
            filters.push((name.clone(), Arc::clone(f), spec));
            name
        };

    let mut lm: Vec<(String, Node)> = Vec::new();
    let mut root_node = Node::map();
    // `loggers()` lists the root first.
    for (index, logger) in all.iter().enumerate() {
        let mut hnames = Vec::new();
        for h in logger.handlers() {
            let existing = handlers
                .iter()
                .find(|(_, x)| Arc::ptr_eq(x, &h))
                .map(|(n, _)| n.clone());
            let name = existing.unwrap_or_else(|| {
                let base = h.name().map_or_else(
                    || format!("handler{}", handlers.len() + 1),
                    |n| n.to_string(),
                );
                let name = unique(base, handlers.iter().map(|(n, _)| n.as_str()));
                handlers.push((name.clone(), Arc::clone(&h)));
                name
            });
            hnames.push(name);
        }
        let fnames: Vec<String> = logger
            .filters()
            .iter()
            .map(|f| filter_name(f, &mut filters))
            .collect();
        let lp = LoggerPlan {
            name: if index == 0 {
                String::new()
            } else {
                logger.name().to_owned()
            },
            handlers: Some(hnames),
            filters: Some(fnames),
            ..LoggerPlan::default()
        };
        let n = logger_node(
            &lp,
            logger.level(),
            logger.effective_level(),
            logger.propagate(),
            logger.disabled(),
        );
        if index == 0 {
            root_node = n;
        } else {
            lm.push((logger.name().to_owned(), n));
        }
    }
    let lm = map_of(lm.into_iter());

    let mut hm = Node::map();
    for (name, h) in &handlers {
        let mut spec = handler_spec(h);
        if h.level() != Level::NOTSET {
            spec.set("level", level_node(h.level()));
        }
        if h.has_own_formatter() {
            let f = h.formatter();
            let fname = match formatters
                .iter()
                .find(|(_, x, _)| std::ptr::addr_eq(Arc::as_ptr(x), Arc::as_ptr(&f)))
            {
                Some((n, _, _)) => n.clone(),
                None => {
                    let known = with_applied(|a| {
                        a.formatters
                            .iter()
                            .find(|(_, w, _)| std::ptr::addr_eq(w.as_ptr(), Arc::as_ptr(&f)))
                            .map(|(n, _, s)| (n.clone(), s.clone()))
                    });
                    let (n, s) = known.unwrap_or_else(|| {
                        (
                            format!("formatter{}", formatters.len() + 1),
                            formatter_spec(&*f),
                        )
                    });
                    // Two copies of one configured formatter share its name.
                    if let Some((n2, _, _)) =
                        formatters.iter().find(|(n2, _, s2)| *n2 == n && *s2 == s)
                    {
                        n2.clone()
                    } else {
                        let n = unique(n, formatters.iter().map(|(n, _, _)| n.as_str()));
                        formatters.push((n.clone(), Arc::clone(&f), s));
                        n
                    }
                }
            };
            spec.set("formatter", fname.into());
        }
        let fl: Vec<String> = h
            .filters()
            .iter()
            .map(|f| filter_name(f, &mut filters))
            .collect();
        if !fl.is_empty() {
            spec.set("filters", names(&fl));
        }
        hm.set(name, spec);
    }

    let mut out = Node::map();
    out.set("version", 1i64.into());
    out.set("disable_existing_loggers", false.into());
    let mut fm = Node::map();
    for (n, _, s) in &formatters {
        fm.set(n, s.clone());
    }
    out.set("formatters", fm);
    let mut film = Node::map();
    for (n, _, s) in &filters {
        film.set(n, s.clone());
    }
    out.set("filters", film);
    out.set("handlers", hm);
    out.set("loggers", lm);
    out.set("root", root_node);
    out
}

fn unique<'a>(base: String, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    if !taken.clone().any(|t| t == base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}_{i}"))
        .find(|c| !taken.clone().any(|t| t == c))
        .unwrap_or(base)
}

/// `JsonFormatter(...)` → `JsonFormatter`; a type path → its last part.
fn class_name(described: &str) -> String {
    let head = described.split('(').next().unwrap_or(described);
    head.rsplit("::").next().unwrap_or(head).to_owned()
}

fn handler_spec(h: &Arc<Handler>) -> Node {
    let known = with_applied(|a| {
        a.handlers
            .iter()
            .find(|(_, w, _)| std::ptr::addr_eq(w.as_ptr(), Arc::as_ptr(h)))
            .map(|(_, _, s)| s.clone())
    });
    if let Some(mut s) = known {
        for key in ["level", "formatter", "filters"] {
            s.remove(key);
        }
        return s;
    }
    let sink = h.sink();
    let mut s = Node::map();
    let kind = sink.kind();
    s.set("class", kind.into());
    let target = sink.target();
    match kind {
        "StreamHandler" => match target.as_str() {
            "<stderr>" => s.set("stream", "ext://sys.stderr".into()),
            "<stdout>" => s.set("stream", "ext://sys.stdout".into()),
            _ => {}
        },
        "FileHandler"
        | "RotatingFileHandler"
        | "TimedRotatingFileHandler"
        | "WatchedFileHandler"
            if !target.is_empty() =>
        {
            s.set("filename", target.into());
        }
        _ => {}
    }
    s
}

fn formatter_spec(f: &dyn Format) -> Node {
    let mut s = Node::map();
    match f.config() {
        Some(c) => s = c,
        None => s.set("class", class_name(&f.describe()).into()),
    }
    s
}

/// The tree ([`tree`] or [`Config::tree`]) as text, in the style of
/// Python's `logging_tree`: each logger with its level (and what it
/// inherits), propagation, filters and handlers with their formatters;
/// loggers that do not exist but have children in brackets.
///
/// ```
/// use lumber::config::{Config, FileFormat, render_tree};
/// let c = Config::from_str(r#"{"loggers": {"app.db": {"level": "DEBUG", "propagate": false}}}"#, FileFormat::Json, None).unwrap();
/// let text = render_tree(&c.tree().unwrap());
/// assert_eq!(text, r#"<--""
///    Level WARNING
///    |
///    o<--[app]
///        |
///        o<--"app.db"
///            Level DEBUG
///            Propagate OFF
/// "#);
/// ```
pub fn render_tree(tree: &Node) -> String {
    let empty = Node::map();
    let loggers = tree.get("loggers").unwrap_or(&empty);
    let handlers = tree.get("handlers").unwrap_or(&empty);
    let formatters = tree.get("formatters").unwrap_or(&empty);
    let filters = tree.get("filters").unwrap_or(&empty);
    let mut names: Vec<&str> = loggers
        .entries()
        .unwrap_or_default()
        .iter()
        .map(|(k, _)| k.name.as_str())
        .collect();
    names.sort_unstable();
    let ctx = Ctx {
        by_name: loggers
            .entries()
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.name.as_str(), v))
            .collect(),
        handlers,
        formatters,
        filters,
        names: &names,
    };
    let mut out = String::new();
    let root = tree.get("root").unwrap_or(&empty);
    out.push_str("<--\"\"\n");
    ctx.body(root, true, "   ", &mut out);
    ctx.children("", "   ", &mut out);
    out
}

struct Ctx<'a> {
    by_name: HashMap<&'a str, &'a Node>,
    handlers: &'a Node,
    formatters: &'a Node,
    filters: &'a Node,
    names: &'a [&'a str],
}

fn text(n: Option<&Node>) -> String {
    match n.map(|n| &n.value) {
        Some(Value::Str(s)) => s.clone(),
        Some(_) => n.map(Node::to_json).unwrap_or_default(),
        None => String::new(),
    }
}

impl Ctx<'_> {
    /// The direct children of `parent` in the tree: the nearest names
    /// below it, with intermediate names that are not loggers shown as
    /// `[placeholder]`s.
    fn children(&self, parent: &str, indent: &str, out: &mut String) {
        let prefix = if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}.")
        };
        // The names are sorted: those under `prefix` are one run.
        let start = self.names.partition_point(|n| *n < prefix.as_str());
        let mut kids: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for name in self.names[start..]
            .iter()
            .take_while(|n| n.starts_with(&prefix))
        {
            let rest = name.get(prefix.len()..).unwrap_or_default();
            let first = rest.split('.').next().unwrap_or(rest);
            // (`a.b-x` sorts between `a.b` and `a.b.c`: not only neighbours
            // share a first part.)
            if !first.is_empty() && seen.insert(first) {
                kids.push(format!("{prefix}{first}"));
            }
        }
        for (i, child) in kids.iter().enumerate() {
            let last = i + 1 == kids.len();
            out.push_str(indent);
            out.push_str("|\n");
            out.push_str(indent);
            let node = self.by_name.get(child.as_str()).copied();
            match node {
                Some(_) => out.push_str(&format!("o<--\"{child}\"\n")),
                None => out.push_str(&format!("o<--[{child}]\n")),
            }
            let inner = format!("{indent}{}", if last { "    " } else { "|   " });
            if let Some(n) = node {
                self.body(n, false, &inner, out);
            }
            self.children(child, &inner, out);
        }
    }

    fn body(&self, n: &Node, is_root: bool, indent: &str, out: &mut String) {
        let level = text(n.get("level"));
        let effective = text(n.get("effective_level"));
        if level == "NOTSET" && !is_root {
            out.push_str(&format!(
                "{indent}Level NOTSET so inherits level {effective}\n"
            ));
        } else {
            out.push_str(&format!("{indent}Level {level}\n"));
        }
        if n.get("propagate").and_then(|p| match p.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }) == Some(false)
        {
            out.push_str(&format!("{indent}Propagate OFF\n"));
        }
        if matches!(n.get("disabled").map(|d| &d.value), Some(Value::Bool(true))) {
            out.push_str(&format!("{indent}Disabled\n"));
        }
        for f in n.get("filters").and_then(Node::items).unwrap_or_default() {
            out.push_str(&format!(
                "{indent}{}\n",
                self.describe(self.filters, f.as_str().unwrap_or_default())
            ));
        }
        for h in n.get("handlers").and_then(Node::items).unwrap_or_default() {
            let name = h.as_str().unwrap_or_default();
            let spec = self.handlers.get(name);
            out.push_str(&format!(
                "{indent}Handler {}\n",
                self.describe(self.handlers, name)
            ));
            let Some(spec) = spec else { continue };
            if let Some(l) = spec.get("level") {
                out.push_str(&format!("{indent}  Level {}\n", text(Some(l))));
            }
            for f in spec
                .get("filters")
                .and_then(Node::items)
                .unwrap_or_default()
            {
                out.push_str(&format!(
                    "{indent}  {}\n",
                    self.describe(self.filters, f.as_str().unwrap_or_default())
                ));
            }
            if let Some(f) = spec.get("formatter").and_then(Node::as_str) {
                out.push_str(&format!(
                    "{indent}  {}\n",
                    self.describe(self.formatters, f)
                ));
            }
        }
    }

    /// `StreamHandler 'console' stream='ext://sys.stderr'`.
    fn describe(&self, section: &Node, name: &str) -> String {
        let Some(spec) = section.get(name) else {
            return format!("'{name}'");
        };
        let mut s = format!("{} '{name}'", text(spec.get("class")));
        for (k, v) in spec.entries().unwrap_or_default() {
            if matches!(k.name.as_str(), "class" | "level" | "formatter" | "filters") {
                continue;
            }
            match &v.value {
                Value::Str(x) => s.push_str(&format!(" {}={x:?}", k.name)),
                _ => s.push_str(&format!(" {}={}", k.name, v.to_json())),
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FileFormat;

    #[test]
    fn children_are_listed_once_in_order() {
        let c = Config::from_str(
            r#"{"loggers": {"a.b": {}, "a.b-x": {}, "a.b.c": {}, "a.bb": {}, "z": {}}}"#,
            FileFormat::Json,
            None,
        )
        .unwrap();
        let text = render_tree(&c.tree().unwrap());
        let order: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("o<--"))
            .map(str::trim_start)
            .collect();
        let order: Vec<&str> = order
            .iter()
            .map(|l| l.trim_start_matches(['|', ' ']))
            .collect();
        assert_eq!(
            order,
            [
                "o<--[a]",
                "o<--\"a.b\"",
                "o<--\"a.b.c\"",
                "o<--\"a.b-x\"",
                "o<--\"a.bb\"",
                "o<--\"z\""
            ],
            "{text}"
        );
    }
}
