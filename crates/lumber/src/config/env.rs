//! Environment overrides, applied on top of any configuration:
//! `LUMBER__A__B=value` nested keys, `LUMBER_LEVEL`, `LUMBER_FORMAT` and
//! `LUMBER_LOG` directives, in that order (the most specific last).

use super::node::{Node, Value};
use super::tree::level_node;
use super::{Config, ConfigError, Directives, FileFormat};

/// The prefix of lumber's environment variables.
///
/// ```
/// assert_eq!(lumber::config::ENV_PREFIX, "LUMBER");
/// ```
pub const ENV_PREFIX: &str = "LUMBER";

const LOGGER_KEYS: &[&str] = &["level", "propagate", "handlers", "filters", "disabled"];

impl Config {
    /// Applies the process environment's overrides (see
    /// [`Config::with_vars`]).
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let c = Config::from_str("{}", FileFormat::Json, None).unwrap().with_env().unwrap();
    /// assert!(c.check().is_ok());
    /// ```
    pub fn with_env(self) -> Result<Config, ConfigError> {
        self.with_vars(std::env::vars())
    }

    /// Applies overrides from `vars` (name, value) pairs; other variables
    /// are ignored:
    ///
    /// - `LUMBER__SECTION__NAME__KEY=value` sets a key: sections are the
    ///   configuration's (`LOGGERS`, `HANDLERS`, `FORMATTERS`, `FILTERS`,
    ///   `ROOT`, top-level keys); under `LOGGERS` the segments before the
    ///   key are the logger's dotted name (`LUMBER__LOGGERS__APP__DB__LEVEL`
    ///   is `loggers."app.db".level`). Names match the configuration's
    ///   case-insensitively, else are lowercased. A value that is JSON
    ///   (`10`, `true`, `["a","b"]`) is read as JSON, else it is a string.
    /// - `LUMBER_LEVEL=debug` sets the root's level.
    /// - `LUMBER_FORMAT` sets every handler's formatter: `json`, `logfmt`,
    ///   `console`, or a `%`-style pattern.
    /// - `LUMBER_LOG=info,app.db=debug,hyper=off` sets levels, `RUST_LOG`
    ///   style ([`Directives`]).
    ///
    /// Every malformed variable is reported.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let c = Config::from_str(r#"{"loggers": {"App.DB": {"level": "INFO"}}}"#, FileFormat::Json, None).unwrap();
    /// let c = c.with_vars([
    ///     ("LUMBER__LOGGERS__APP__DB__LEVEL".to_owned(), "debug".to_owned()),
    ///     ("LUMBER_LOG".to_owned(), "warning,hyper=error".to_owned()),
    /// ]).unwrap();
    /// let loggers = c.node().get("loggers").unwrap();
    /// assert_eq!(loggers.get("App.DB").unwrap().get("level").unwrap().as_str(), Some("debug"));
    /// assert_eq!(loggers.get("hyper").unwrap().get("level").unwrap().as_str(), Some("ERROR"));
    /// assert_eq!(c.node().get("root").unwrap().get("level").unwrap().as_str(), Some("WARNING"));
    /// ```
    pub fn with_vars(
        mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut vars: Vec<(String, String)> = vars
            .into_iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX))
            .collect();
        vars.sort();
        let mut problems = ConfigError::default();
        let nested = format!("{ENV_PREFIX}__");
        for (name, value) in &vars {
            if let Some(path) = name.strip_prefix(&nested)
                && let Some(key) = set_nested(&mut self.node, name, path, value, &mut problems)
            {
                self.env.push((key, name.clone()));
            }
        }
        for (name, value) in &vars {
            match name.strip_prefix(ENV_PREFIX) {
                Some("_LEVEL") => {
                    let mut root = self.node.remove("root").unwrap_or_else(Node::map);
                    root.set("level", value.trim().into());
                    self.node.set("root", root);
                    self.env.push(("root.level".to_owned(), name.clone()));
                }
                Some("_FORMAT") => {
                    set_format(&mut self.node, value);
                    self.env.push(("formatters.env".to_owned(), name.clone()));
                }
                _ => {}
            }
        }
        if let Some((name, spec)) = vars
            .iter()
            .find(|(k, _)| k.strip_prefix(ENV_PREFIX) == Some("_LOG"))
            && !spec.trim().is_empty()
        {
            match Directives::parse(name, spec) {
                Ok(d) => {
                    for (logger, level) in d.iter() {
                        match logger {
                            None => {
                                let mut root = self.node.remove("root").unwrap_or_else(Node::map);
                                root.set("level", level_node(level));
                                self.node.set("root", root);
                                self.env.push(("root.level".to_owned(), name.clone()));
                            }
                            Some(logger) => {
                                let mut loggers =
                                    self.node.remove("loggers").unwrap_or_else(Node::map);
                                let key = match_name(&loggers, logger)
                                    .unwrap_or_else(|| logger.to_owned());
                                let mut l = loggers.remove(&key).unwrap_or_else(Node::map);
                                l.set("level", level_node(level));
                                loggers.set(&key, l);
                                self.node.set("loggers", loggers);
                                self.env
                                    .push((format!("loggers.{key}.level"), name.clone()));
                            }
                        }
                    }
                }
                Err(e) => problems.extend(e),
            }
        }
        problems.into_result().map(|()| self)
    }
}

/// The configuration's own spelling of `name` in `section`, if it has one
/// (compared case-insensitively).
fn match_name(section: &Node, name: &str) -> Option<String> {
    section
        .entries()?
        .iter()
        .find(|(k, _)| k.name.eq_ignore_ascii_case(name))
        .map(|(k, _)| k.name.clone())
}

fn env_value(value: &str) -> Node {
    let t = value.trim();
    let json_like = t.starts_with(['[', '{', '"'])
        || t.parse::<f64>().is_ok()
        || matches!(t, "true" | "false" | "null");
    if json_like && let Ok(n) = FileFormat::Json.parse(t) {
        let mut n = n;
        n.strip_positions();
        return n;
    }
    Node::from(value)
}

/// Sets the key a `LUMBER__...` variable names; returns its key path.
fn set_nested(
    root: &mut Node,
    var: &str,
    path: &str,
    value: &str,
    problems: &mut ConfigError,
) -> Option<String> {
    let segs: Vec<String> = path.split("__").map(str::to_ascii_lowercase).collect();
    if segs.iter().any(String::is_empty) {
        problems.push(
            var,
            "empty segment (a key is separated by two underscores: LUMBER__ROOT__LEVEL)",
        );
        return None;
    }
    let value = env_value(value);
    let section = segs[0].as_str();
    match section {
        "loggers" => {
            let Some((key, name)) = segs[1..].split_last().filter(|(_, n)| !n.is_empty()) else {
                problems.push(var, "expected LUMBER__LOGGERS__<LOGGER>__<KEY>, like LUMBER__LOGGERS__APP__DB__LEVEL");
                return None;
            };
            if !LOGGER_KEYS.contains(&key.as_str()) {
                problems.push(
                    var,
                    format!(
                        "'{key}' is not a logger key (one of {})",
                        LOGGER_KEYS.join(", ")
                    ),
                );
                return None;
            }
            let name = name.join(".");
            let mut loggers = root.remove("loggers").unwrap_or_else(Node::map);
            let key_name = match_name(&loggers, &name).unwrap_or(name);
            let mut l = loggers.remove(&key_name).unwrap_or_else(Node::map);
            l.set(key, value);
            loggers.set(&key_name, l);
            root.set("loggers", loggers);
            Some(format!("loggers.{key_name}.{key}"))
        }
        "handlers" | "formatters" | "filters" => {
            if segs.len() < 3 {
                problems.push(
                    var,
                    format!(
                        "expected LUMBER__{}__<NAME>__<KEY>",
                        section.to_ascii_uppercase()
                    ),
                );
                return None;
            }
            let mut sec = root.remove(section).unwrap_or_else(Node::map);
            let name = match_name(&sec, &segs[1]).unwrap_or_else(|| segs[1].clone());
            let mut obj = sec.remove(&name).unwrap_or_else(Node::map);
            set_path(&mut obj, &segs[2..], value);
            sec.set(&name, obj);
            root.set(section, sec);
            Some(format!("{section}.{name}.{}", segs[2..].join(".")))
        }
        _ => {
            set_path(root, &segs, value);
            Some(segs.join("."))
        }
    }
}

fn set_path(node: &mut Node, path: &[String], value: Node) {
    match path {
        [] => *node = value,
        [last] => {
            let key = match_name(node, last).unwrap_or_else(|| last.clone());
            node.set(&key, value);
        }
        [first, rest @ ..] => {
            let key = match_name(node, first).unwrap_or_else(|| first.clone());
            let mut child = node
                .remove(&key)
                .filter(|c| matches!(c.value, Value::Map(_)))
                .unwrap_or_else(Node::map);
            set_path(&mut child, rest, value);
            node.set(&key, child);
        }
    }
}

fn set_format(root: &mut Node, format: &str) {
    let mut f = Node::map();
    match format.trim().to_ascii_lowercase().as_str() {
        "json" => f.set("class", "JsonFormatter".into()),
        "logfmt" => f.set("class", "LogfmtFormatter".into()),
        "console" => f.set("class", "ConsoleFormatter".into()),
        _ => f.set("format", format.into()),
    }
    let mut formatters = root.remove("formatters").unwrap_or_else(Node::map);
    formatters.set("env", f);
    root.set("formatters", formatters);
    if let Some(Value::Map(handlers)) = root.get_mut("handlers").map(|h| &mut h.value) {
        for (_, h) in handlers {
            h.set("formatter", "env".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn nested_handler_keys_and_format() {
        let c = Config::from_str(
            r#"{"handlers": {"Console": {"class": "StreamHandler"}}, "root": {"handlers": ["Console"]}}"#,
            FileFormat::Json,
            None,
        )
        .unwrap()
        .with_vars(vars(&[
            ("LUMBER__HANDLERS__CONSOLE__LEVEL", "ERROR"),
            ("LUMBER__DISABLE_EXISTING_LOGGERS", "false"),
            ("LUMBER_FORMAT", "json"),
            ("LUMBER_LEVEL", "debug"),
            ("OTHER", "x"),
        ]))
        .unwrap();
        let n = c.node();
        let h = n.get("handlers").unwrap().get("Console").unwrap();
        assert_eq!(h.get("level").unwrap().as_str(), Some("ERROR"));
        assert_eq!(h.get("formatter").unwrap().as_str(), Some("env"));
        assert_eq!(
            n.get("disable_existing_loggers").unwrap().value,
            Value::Bool(false)
        );
        assert_eq!(
            n.get("root").unwrap().get("level").unwrap().as_str(),
            Some("debug")
        );
        assert!(c.check().is_ok());
    }

    #[test]
    fn every_bad_variable_is_reported() {
        let e = Config::from_node(Node::map())
            .with_vars(vars(&[
                ("LUMBER__LOGGERS__LEVEL", "x"),
                ("LUMBER__LOGGERS__APP__COLOR", "red"),
                ("LUMBER__HANDLERS__X", "1"),
                ("LUMBER_LOG", "app=loud"),
            ]))
            .unwrap_err();
        assert_eq!(e.len(), 4, "{e}");
    }

    #[test]
    fn a_bad_override_names_its_variable() {
        let e = Config::from_str(
            "[root]\nlevel = 'INFO'\n",
            FileFormat::Toml,
            Some("lumber.toml".as_ref()),
        )
        .unwrap()
        .with_vars(vars(&[
            ("LUMBER_LEVEL", "loud"),
            ("LUMBER__HANDLERS__H__CLASS", "Nope"),
        ]))
        .unwrap()
        .check()
        .unwrap_err();
        let text: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|t| t.starts_with("LUMBER_LEVEL: root.level: expected a level")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.starts_with(
                "LUMBER__HANDLERS__H__CLASS: handlers.h.class: unknown handler class 'Nope'"
            )),
            "{text:?}"
        );
    }

    #[test]
    fn json_values() {
        let c = Config::from_node(Node::map())
            .with_vars(vars(&[
                ("LUMBER__ROOT__HANDLERS", "[]"),
                ("LUMBER__LOGGERS__A__PROPAGATE", "false"),
            ]))
            .unwrap();
        assert_eq!(
            c.node()
                .get("root")
                .unwrap()
                .get("handlers")
                .unwrap()
                .items()
                .map(<[Node]>::len),
            Some(0)
        );
        assert_eq!(
            c.node()
                .get("loggers")
                .unwrap()
                .get("a")
                .unwrap()
                .get("propagate")
                .unwrap()
                .value,
            Value::Bool(false)
        );
    }
}
