//! The options of one handler, formatter or filter in a configuration,
//! read by its factory: typed getters that record every problem with its
//! key path and position, and report keys nobody asked for.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::ConfigError;
use super::node::{Key, Node, Pos, Value, did_you_mean};
use crate::handler::Handler;
use crate::level::Level;

/// The options of one configured object, as its factory sees them.
///
/// A factory asks for each option by its snake_case name; Python's
/// camelCase spelling of the same name is accepted too (`max_bytes` and
/// `maxBytes`). Every getter returns `None` if the option is absent *or*
/// wrong, recording the problem; after the factory returns, any option it
/// never asked for is reported as unknown, with a suggestion.
///
/// ```
/// use lumber::config::{Args, Node};
/// let mut options = Node::map();
/// options.set("maxBytes", "10MB".into());
/// options.set("colour", "red".into());
/// let mut args = Args::new("handlers.file", &options);
/// assert_eq!(args.size("max_bytes"), Some(10_000_000));
/// assert_eq!(args.str("color"), None);
/// let err = args.finish().unwrap_err();
/// assert_eq!(err.to_string(), "handlers.file.colour: unknown option; did you mean 'color'?");
/// ```
pub struct Args<'a> {
    path: String,
    pos: Option<Pos>,
    entries: Vec<(&'a Key, &'a Node, bool)>,
    asked: Vec<String>,
    problems: ConfigError,
    handlers: Option<&'a HandlerLookup>,
    check_only: bool,
    kept: Vec<Box<dyn std::any::Any + Send>>,
    attributes: Vec<String>,
}

/// Finds a handler the configuration built, by name.
pub(crate) type HandlerLookup = dyn Fn(&str) -> Option<Arc<Handler>>;

/// `maxBytes` → `max_bytes`.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl<'a> Args<'a> {
    /// The options in `node` (a mapping), for the object at key path
    /// `path`. A node that is not a mapping is a problem, reported by
    /// [`Args::finish`].
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// let args = lumber::config::Args::new("filters.f", &empty);
    /// assert!(args.finish().is_ok());
    /// ```
    pub fn new(path: &str, node: &'a Node) -> Args<'a> {
        let mut problems = ConfigError::default();
        let entries = match &node.value {
            Value::Map(m) => m.iter().map(|(k, v)| (k, v, false)).collect(),
            _ => {
                problems.push_at(
                    node.pos,
                    path,
                    format!("expected a mapping, got {}", node.kind()),
                );
                Vec::new()
            }
        };
        Args {
            path: path.to_owned(),
            pos: node.pos,
            entries,
            asked: Vec::new(),
            problems,
            handlers: None,
            check_only: false,
            kept: Vec::new(),
            attributes: Vec::new(),
        }
    }

    pub(crate) fn with_handlers(mut self, lookup: &'a HandlerLookup) -> Self {
        self.handlers = Some(lookup);
        self
    }

    /// Options that came from Python's `"."` (attributes set on the object
    /// after construction): one the class does not read is kept for the
    /// logger tree rather than reported, as Python lets code set any
    /// attribute.
    pub(crate) fn attributes(mut self, names: Vec<String>) -> Self {
        self.attributes = names;
        self
    }

    pub(crate) fn checking(mut self, check_only: bool) -> Self {
        self.check_only = check_only;
        self
    }

    /// True when the configuration is only being checked (`lumber config
    /// check`): validate every option, but open nothing — return `None`
    /// after reading the options.
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// let args = lumber::config::Args::new("handlers.h", &empty);
    /// assert!(!args.check_only());
    /// ```
    pub fn check_only(&self) -> bool {
        self.check_only
    }

    /// Keeps `thing` alive as long as this configuration is applied (a
    /// queue handler's listener thread); dropped when the configuration is
    /// replaced or logging shuts down.
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// let mut a = lumber::config::Args::new("handlers.q", &empty);
    /// a.keep(Box::new(42u8));
    /// ```
    pub fn keep(&mut self, thing: Box<dyn std::any::Any + Send>) {
        self.kept.push(thing);
    }

    pub(crate) fn take_kept(&mut self) -> Vec<Box<dyn std::any::Any + Send>> {
        std::mem::take(&mut self.kept)
    }

    /// The key path of this object (`handlers.file`).
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// assert_eq!(lumber::config::Args::new("handlers.h", &empty).path(), "handlers.h");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw node of option `name`, marking it used.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("port", 514i64.into());
    /// let mut a = lumber::config::Args::new("h", &n);
    /// assert_eq!(a.node("port").unwrap().as_i64(), Some(514));
    /// ```
    pub fn node(&mut self, name: &str) -> Option<&'a Node> {
        self.asked.push(name.to_owned());
        let mut found = None;
        for (k, v, used) in &mut self.entries {
            if k.name == name || snake_case(&k.name) == name {
                *used = true;
                found = Some(*v);
            }
        }
        found.filter(|n| !matches!(n.value, Value::Null))
    }

    /// True if option `name` is present (without marking it used).
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("x", 1i64.into());
    /// assert!(lumber::config::Args::new("h", &n).has("x"));
    /// ```
    pub fn has(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|(k, _, _)| k.name == name || snake_case(&k.name) == name)
    }

    /// Records a problem with option `name` (at its position).
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// let mut a = lumber::config::Args::new("handlers.h", &empty);
    /// a.error("port", "expected a port number");
    /// assert_eq!(a.finish().unwrap_err().to_string(), "handlers.h.port: expected a port number");
    /// ```
    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        let pos = self
            .entries
            .iter()
            .rev()
            .find(|(k, _, _)| k.name == name || snake_case(&k.name) == name)
            .map_or(self.pos, |(_, v, _)| v.pos);
        let key = if name.is_empty() {
            self.path.clone()
        } else {
            format!("{}.{name}", self.path)
        };
        self.problems.push_at(pos, key, message);
    }

    fn wrong(&mut self, name: &str, expected: &str, node: &Node) {
        let got = match &node.value {
            Value::Str(s) => format!("'{s}'"),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => node.kind().to_owned(),
        };
        self.error(name, format!("expected {expected}, got {got}"));
    }

    /// A required option: records "missing" if absent.
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// let mut a = lumber::config::Args::new("handlers.f", &empty);
    /// assert!(a.required("filename").is_none());
    /// assert!(a.finish().unwrap_err().to_string().contains("filename: required"));
    /// ```
    pub fn required(&mut self, name: &str) -> Option<&'a Node> {
        let n = self.node(name);
        if n.is_none() {
            let key = format!("{}.{name}", self.path);
            self.problems
                .push_at(self.pos, key, "required option missing");
        }
        n
    }

    /// A string option (numbers and booleans are taken as written).
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("mode", "a".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).str("mode").as_deref(), Some("a"));
    /// ```
    pub fn str(&mut self, name: &str) -> Option<String> {
        let n = self.node(name)?;
        match &n.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.wrong(name, "a string", n);
                None
            }
        }
    }

    /// A boolean option: `true`/`false`, or (as INI files write them)
    /// `1`/`0`, `yes`/`no`, `on`/`off`.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("delay", "yes".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).bool("delay"), Some(true));
    /// ```
    pub fn bool(&mut self, name: &str) -> Option<bool> {
        let n = self.node(name)?;
        match &n.value {
            Value::Bool(b) => Some(*b),
            Value::Int(0) => Some(false),
            Value::Int(1) => Some(true),
            Value::Str(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Some(true),
                "false" | "no" | "off" | "0" => Some(false),
                _ => {
                    self.wrong(name, "true or false", n);
                    None
                }
            },
            _ => {
                self.wrong(name, "true or false", n);
                None
            }
        }
    }

    /// An integer option (a string of digits is accepted).
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("port", "514".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).int("port"), Some(514));
    /// ```
    pub fn int(&mut self, name: &str) -> Option<i64> {
        let n = self.node(name)?;
        match &n.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.wrong(name, "an integer", n);
                None
            }
        }
    }

    /// A non-negative integer that fits `usize`.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("capacity", (-1i64).into());
    /// let mut a = lumber::config::Args::new("h", &n);
    /// assert_eq!(a.count("capacity"), None);
    /// assert!(a.finish().is_err());
    /// ```
    pub fn count(&mut self, name: &str) -> Option<usize> {
        let n = self.node(name)?;
        let i = self.int(name)?;
        match usize::try_from(i) {
            Ok(u) => Some(u),
            Err(_) => {
                self.wrong(name, "a number >= 0", n);
                None
            }
        }
    }

    /// A number option (integer or float).
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("timeout", 2i64.into());
    /// assert_eq!(lumber::config::Args::new("h", &n).float("timeout"), Some(2.0));
    /// ```
    pub fn float(&mut self, name: &str) -> Option<f64> {
        let n = self.node(name)?;
        match &n.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Str(s) if s.trim().parse::<f64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.wrong(name, "a number", n);
                None
            }
        }
    }

    /// A size in bytes: an integer, or a string like `10MB`, `512 KiB`,
    /// `1.5G` (k/M/G/T are powers of 1000, KiB/MiB/GiB/TiB of 1024).
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("max_bytes", "ten".into());
    /// let mut a = lumber::config::Args::new("handlers.file", &n);
    /// assert_eq!(a.size("max_bytes"), None);
    /// assert_eq!(a.finish().unwrap_err().to_string(),
    ///     "handlers.file.max_bytes: expected a size like 10MB, got 'ten'");
    /// ```
    pub fn size(&mut self, name: &str) -> Option<u64> {
        let n = self.node(name)?;
        let parsed = match &n.value {
            Value::Int(i) => u64::try_from(*i).ok(),
            Value::Str(s) => parse_size(s),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong(name, "a size like 10MB", n);
        }
        parsed
    }

    /// A duration: a number of seconds, or a string like `30s`, `5m`,
    /// `1h`, `250ms`, `7d`.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("timeout", "250ms".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).duration("timeout"), Some(std::time::Duration::from_millis(250)));
    /// ```
    pub fn duration(&mut self, name: &str) -> Option<Duration> {
        let n = self.node(name)?;
        let parsed = match &n.value {
            Value::Int(i) => u64::try_from(*i).ok().map(Duration::from_secs),
            Value::Float(f) if f.is_finite() && *f >= 0.0 => Some(Duration::from_secs_f64(*f)),
            Value::Str(s) => parse_duration(s),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong(name, "a duration like 30s, 5m or 1h", n);
        }
        parsed
    }

    /// A level: a name (any case, custom ones included) or a number.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("level", "debug".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).level("level"), Some(lumber::Level::DEBUG));
    /// ```
    pub fn level(&mut self, name: &str) -> Option<Level> {
        let n = self.node(name)?;
        match parse_level(n) {
            Ok(l) => Some(l),
            Err(msg) => {
                self.error(name, msg);
                None
            }
        }
    }

    /// A file path.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("filename", "logs/app.log".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).path_buf("filename").unwrap(), std::path::Path::new("logs/app.log"));
    /// ```
    pub fn path_buf(&mut self, name: &str) -> Option<PathBuf> {
        self.str(name).map(PathBuf::from)
    }

    /// One of `choices` (compared case-insensitively); returns the choice
    /// as listed.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("mode", "W".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).choice("mode", &["a", "w"]), Some("w"));
    /// ```
    pub fn choice(&mut self, name: &str, choices: &[&'static str]) -> Option<&'static str> {
        let n = self.node(name)?;
        let s = self.str(name)?;
        match choices.iter().find(|c| c.eq_ignore_ascii_case(&s)) {
            Some(c) => Some(c),
            None => {
                let list = choices.join(", ");
                let hint = did_you_mean(&s, choices.iter().copied())
                    .map(|c| format!("; did you mean '{c}'?"))
                    .unwrap_or_default();
                self.wrong(name, &format!("one of {list}"), n);
                if !hint.is_empty()
                    && let Some(last) = self.problems.last_mut_message()
                {
                    last.push_str(&hint);
                }
                None
            }
        }
    }

    /// A list of strings; a single string counts as a one-item list, and a
    /// comma-separated string (as INI writes lists) is split.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("handlers", "console, file".into());
    /// assert_eq!(lumber::config::Args::new("h", &n).str_list("handlers").unwrap(), ["console", "file"]);
    /// ```
    pub fn str_list(&mut self, name: &str) -> Option<Vec<String>> {
        let n = self.node(name)?;
        match &n.value {
            Value::Str(s) => Some(
                s.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            Value::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) => out.push(s.to_owned()),
                        None => {
                            self.wrong(name, "a list of strings", item);
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ => {
                self.wrong(name, "a list of strings", n);
                None
            }
        }
    }

    /// A handler named by option `name`, already built from this
    /// configuration (a `MemoryHandler`'s `target`).
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// let mut a = lumber::config::Args::new("handlers.m", &empty);
    /// assert!(a.handler("target").is_none());
    /// ```
    pub fn handler(&mut self, name: &str) -> Option<Arc<Handler>> {
        let target = self.str(name)?;
        self.lookup_handler(name, &target)
    }

    /// Handlers named by a list option (a `QueueHandler`'s `handlers`).
    ///
    /// ```
    /// let empty = lumber::config::Node::map();
    /// let mut a = lumber::config::Args::new("handlers.q", &empty);
    /// assert!(a.handler_list("handlers").is_none());
    /// ```
    pub fn handler_list(&mut self, name: &str) -> Option<Vec<Arc<Handler>>> {
        let names = self.str_list(name)?;
        let mut out = Vec::new();
        for target in names {
            out.push(self.lookup_handler(name, &target)?);
        }
        Some(out)
    }

    fn lookup_handler(&mut self, name: &str, target: &str) -> Option<Arc<Handler>> {
        match self.handlers.and_then(|lookup| lookup(target)) {
            Some(h) => Some(h),
            None => {
                self.error(name, format!("no handler named '{target}'"));
                None
            }
        }
    }

    /// Ends reading: reports every option never asked for (with a
    /// suggestion among the ones that were) and returns all problems.
    ///
    /// ```
    /// let mut n = lumber::config::Node::map();
    /// n.set("levle", "INFO".into());
    /// let mut a = lumber::config::Args::new("handlers.h", &n);
    /// let _ = a.level("level");
    /// assert_eq!(a.finish().unwrap_err().to_string(), "handlers.h.levle: unknown option; did you mean 'level'?");
    /// ```
    pub fn finish(mut self) -> Result<(), ConfigError> {
        for (k, _, used) in &self.entries {
            if !used && !self.attributes.contains(&k.name) {
                let hint = did_you_mean(&k.name, self.asked.iter().map(String::as_str))
                    .or_else(|| {
                        did_you_mean(&snake_case(&k.name), self.asked.iter().map(String::as_str))
                    })
                    .map(|c| format!("; did you mean '{c}'?"))
                    .unwrap_or_default();
                self.problems.push_at(
                    k.pos,
                    format!("{}.{}", self.path, k.name),
                    format!("unknown option{hint}"),
                );
            }
        }
        self.problems.into_result()
    }
}

/// A level from a node: a name or a number.
pub(crate) fn parse_level(n: &Node) -> Result<Level, String> {
    match &n.value {
        Value::Int(i) => u32::try_from(*i)
            .map(Level::new)
            .map_err(|_| format!("expected a level, got {i}")),
        Value::Str(s) => s
            .trim()
            .parse::<Level>()
            .map_err(|_| format!("expected a level name like INFO or a number, got '{s}'")),
        _ => Err(format!("expected a level, got {}", n.kind())),
    }
}

/// `10MB` → 10_000_000; `512KiB` → 524_288; `42` → 42.
pub(crate) fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let num: f64 = num.replace('_', "").parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = num * mult;
    (bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64).then_some(bytes as u64)
}

/// `30s`, `5m`, `1h`, `250ms`, `7d`, `1.5` (seconds).
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let num: f64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => num,
        "ms" => num / 1e3,
        "us" | "µs" => num / 1e6,
        "m" | "min" | "mins" => num * 60.0,
        "h" | "hr" | "hours" => num * 3600.0,
        "d" | "days" => num * 86400.0,
        _ => return None,
    };
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MB"), Some(10_000_000));
        assert_eq!(parse_size("10 mib"), Some(10 * 1024 * 1024));
        assert_eq!(parse_size("1.5k"), Some(1500));
        assert_eq!(parse_size("1_000"), Some(1000));
        assert_eq!(parse_size("ten"), None);
        assert_eq!(parse_size("-1"), None);
        assert_eq!(parse_size("5 parsecs"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("soon"), None);
    }

    #[test]
    fn camel_case_aliases() {
        assert_eq!(snake_case("maxBytes"), "max_bytes");
        assert_eq!(snake_case("backupCount"), "backup_count");
        assert_eq!(snake_case("flushOnClose"), "flush_on_close");
        assert_eq!(snake_case("level"), "level");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut n = Node::map();
        n.set("max_bytes", "ten".into());
        n.set("backupCount", "x".into());
        n.set("colour", "red".into());
        let mut a = Args::new("handlers.file", &n);
        assert_eq!(a.size("max_bytes"), None);
        assert_eq!(a.int("backup_count"), None);
        let e = a.finish().unwrap_err();
        assert_eq!(e.len(), 3);
    }

    #[test]
    fn choice_suggests() {
        let mut n = Node::map();
        n.set("when", "midnigth".into());
        let mut a = Args::new("handlers.t", &n);
        assert_eq!(a.choice("when", &["midnight", "h"]), None);
        assert!(
            a.finish()
                .unwrap_err()
                .to_string()
                .ends_with("did you mean 'midnight'?")
        );
    }
}
