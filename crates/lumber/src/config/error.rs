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
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
        let mut e = ConfigError::default();
        e.push(key, message);
        e
    }

    /// Adds a problem.
    pub fn push(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
        });
    }

    /// `(key, message)` of every problem, in the order found.
    pub fn problems(&self) -> impl Iterator<Item = (&str, &str)> {
        self.problems
            .iter()
            .map(|p| (p.key.as_str(), p.message.as_str()))
    }

    /// True if there is no problem.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Err(self)` if there are problems.
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
