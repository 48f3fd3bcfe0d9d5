//! Setup errors: every problem at once, each naming what it is about.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use super::node::Pos;

/// One problem in a configuration: what it is about and where.
///
/// ```
/// let err = lumber::config::Config::from_str("[root]\nlevel = 'loud'\n", lumber::config::FileFormat::Toml, None)
///     .and_then(|c| c.check())
///     .unwrap_err();
/// let p = err.iter().next().unwrap();
/// assert_eq!(p.key(), "root.level");
/// assert_eq!(p.pos().map(|p| p.line), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    file: Option<Arc<Path>>,
    pos: Option<Pos>,
    key: String,
    message: String,
}

impl Problem {
    /// The file, if the configuration came from one.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let err = Config::from_str("[root]\nlevel = 'loud'\n", FileFormat::Toml, Some("lumber.toml".as_ref()))
    ///     .and_then(|c| c.check())
    ///     .unwrap_err();
    /// let p = err.iter().next().unwrap();
    /// assert_eq!(p.file(), Some(std::path::Path::new("lumber.toml")));
    /// ```
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Line and column, where the format has them.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let err = Config::from_str("[root]\nlevel = 'loud'\n", FileFormat::Toml, Some("lumber.toml".as_ref()))
    ///     .and_then(|c| c.check())
    ///     .unwrap_err();
    /// let p = err.iter().next().unwrap();
    /// assert_eq!(p.pos(), Some(lumber::config::Pos::new(2, 9)));
    /// ```
    pub fn pos(&self) -> Option<Pos> {
        self.pos
    }

    /// The key path (`handlers.file.max_bytes`).
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let err = Config::from_str("[root]\nlevel = 'loud'\n", FileFormat::Toml, Some("lumber.toml".as_ref()))
    ///     .and_then(|c| c.check())
    ///     .unwrap_err();
    /// let p = err.iter().next().unwrap();
    /// assert_eq!(p.key(), "root.level");
    /// ```
    pub fn key(&self) -> &str {
        &self.key
    }

    /// What is wrong and what was expected.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let err = Config::from_str("[root]\nlevel = 'loud'\n", FileFormat::Toml, Some("lumber.toml".as_ref()))
    ///     .and_then(|c| c.check())
    ///     .unwrap_err();
    /// let p = err.iter().next().unwrap();
    /// assert!(p.message().starts_with("expected a level"));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.pos) {
            (Some(file), Some(pos)) => write!(f, "{}:{pos}: ", file.display())?,
            (Some(file), None) => write!(f, "{}: ", file.display())?,
            (None, Some(pos)) => write!(f, "{pos}: ")?,
            (None, None) => {}
        }
        if self.key.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

/// A configuration that cannot be applied. Lists every problem found, each
/// with the key it is about (`format`, `handlers.file.filename`, ...).
///
/// ```
/// let err = lumber::basic_config().format("%(name)d").init().unwrap_err();
/// assert_eq!(err.problems().next().unwrap().0, "format");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigError {
    problems: Vec<Problem>,
}

impl ConfigError {
    /// An error with one problem.
    ///
    /// ```
    /// let e = lumber::ConfigError::new("level", "unknown level \"loud\"");
    /// assert_eq!(e.to_string(), "level: unknown level \"loud\"");
    /// ```
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
        let mut e = ConfigError::default();
        e.push(key, message);
        e
    }

    /// Adds a problem.
    ///
    /// ```
    /// let mut e = lumber::ConfigError::default();
    /// e.push("format", "unbalanced parenthesis");
    /// e.push("stream", "not a stream");
    /// assert_eq!(e.problems().count(), 2);
    /// assert!(e.to_string().starts_with("2 problems in the logging configuration:"));
    /// ```
    pub fn push(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.push_at(None, key, message);
    }

    /// Adds a problem at a line and column.
    ///
    /// ```
    /// use lumber::config::Pos;
    /// let mut e = lumber::ConfigError::default();
    /// e.push_at(Some(Pos::new(3, 9)), "root.level", "unknown level \"loud\"");
    /// assert_eq!(e.to_string(), "3:9: root.level: unknown level \"loud\"");
    /// ```
    pub fn push_at(
        &mut self,
        pos: Option<Pos>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            file: None,
            pos,
            key: key.into(),
            message: message.into(),
        });
    }

    /// Names the file every problem without one is in.
    ///
    /// ```
    /// let e = lumber::ConfigError::new("version", "expected 1").in_file("lumber.toml");
    /// assert_eq!(e.to_string(), "lumber.toml: version: expected 1");
    /// ```
    pub fn in_file(mut self, file: impl AsRef<Path>) -> ConfigError {
        let file: Arc<Path> = Arc::from(file.as_ref());
        for p in &mut self.problems {
            if p.file.is_none() {
                p.file = Some(Arc::clone(&file));
            }
        }
        self
    }

    /// Adds every problem of `other`.
    ///
    /// ```
    /// let mut e = lumber::ConfigError::new("a", "x");
    /// e.extend(lumber::ConfigError::new("b", "y"));
    /// assert_eq!(e.len(), 2);
    /// ```
    pub fn extend(&mut self, other: ConfigError) {
        self.problems.extend(other.problems);
    }

    /// The number of problems.
    ///
    /// ```
    /// assert_eq!(lumber::ConfigError::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Every problem, with its file and position.
    ///
    /// ```
    /// let e = lumber::ConfigError::new("level", "bad");
    /// assert_eq!(e.iter().next().unwrap().message(), "bad");
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter()
    }

    /// `(key, message)` of every problem, in the order found.
    ///
    /// ```
    /// let err = lumber::basic_config().encoding("latin-1").format("%(name)d").init().unwrap_err();
    /// let keys: Vec<&str> = err.problems().map(|(key, _message)| key).collect();
    /// assert_eq!(keys, ["encoding", "format"]);
    /// ```
    pub fn problems(&self) -> impl Iterator<Item = (&str, &str)> {
        self.problems
            .iter()
            .map(|p| (p.key.as_str(), p.message.as_str()))
    }

    /// True if there is no problem.
    ///
    /// ```
    /// assert!(lumber::ConfigError::default().is_empty());
    /// assert!(!lumber::ConfigError::new("level", "bad").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Err(self)` if there are problems.
    ///
    /// ```
    /// assert!(lumber::ConfigError::default().into_result().is_ok());
    /// assert!(lumber::ConfigError::new("level", "bad").into_result().is_err());
    /// ```
    pub fn into_result(self) -> Result<(), ConfigError> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [] => f.write_str("invalid logging configuration"),
            [one] => write!(f, "{one}"),
            many => {
                write!(f, "{} problems in the logging configuration:", many.len())?;
                for p in many {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// Names the environment variable a problem without a position comes
    /// from, if its key is under one an override set.
    pub(crate) fn attribute_to_env(&mut self, overrides: &[(String, String)]) {
        for p in &mut self.problems {
            if p.pos.is_some() || p.file.is_some() {
                continue;
            }
            let by = overrides.iter().rev().find(|(key, _)| {
                p.key == *key
                    || p.key.starts_with(&format!("{key}."))
                    || key.starts_with(&format!("{}.", p.key))
            });
            if let Some((_, var)) = by {
                p.file = Some(Arc::from(Path::new(var)));
            }
        }
    }

    /// Orders the problems as they appear in the file (problems without a
    /// position keep their order, after the others).
    pub(crate) fn sort(&mut self) {
        self.problems
            .sort_by_key(|p| p.pos.map_or((u32::MAX, u32::MAX), |p| (p.line, p.col)));
    }

    /// The message of the last problem, to append a hint to.
    pub(crate) fn last_mut_message(&mut self) -> Option<&mut String> {
        self.problems.last_mut().map(|p| &mut p.message)
    }
}
