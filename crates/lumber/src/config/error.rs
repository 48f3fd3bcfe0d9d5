//! Setup errors: every problem at once, each naming what it is about.

use std::fmt;

/// One problem in a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    key: String,
    message: String,
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
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
        });
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
            [one] => write!(f, "{}: {}", one.key, one.message),
            many => {
                write!(f, "{} problems in the logging configuration:", many.len())?;
                for p in many {
                    write!(f, "\n  {}: {}", p.key, p.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigError {}
