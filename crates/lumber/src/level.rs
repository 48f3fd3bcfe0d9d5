//! Levels: Python's numeric severities, their names, and custom levels.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

/// A severity, a number as in Python's `logging`: higher is more severe.
///
/// The named constants are Python's levels plus `TRACE` (5). Any other
/// number is a valid level too; give it a name with [`add_level_name`].
///
/// ```
/// use lumber::Level;
/// assert!(Level::ERROR > Level::WARNING);
/// assert_eq!(Level::INFO.value(), 20);
/// assert_eq!(Level::WARN, Level::WARNING);
/// assert_eq!("debug".parse::<Level>().unwrap(), Level::DEBUG);
/// assert_eq!(Level::new(25).name(), "Level 25");
/// ```
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Level(u32);

impl Level {
    /// 0: not set. A logger at NOTSET defers to its parent; a handler at
    /// NOTSET handles everything.
    ///
    /// ```
    /// assert_eq!(lumber::Level::NOTSET.value(), 0);
    /// assert_eq!(lumber::Level::default(), lumber::Level::NOTSET);
    /// ```
    pub const NOTSET: Level = Level(0);
    /// 5: finer than DEBUG (not in Python's set; named `TRACE`).
    ///
    /// ```
    /// assert_eq!(lumber::Level::TRACE.value(), 5);
    /// assert_eq!(lumber::Level::TRACE.name(), "TRACE");
    /// ```
    pub const TRACE: Level = Level(5);
    /// 10: diagnostic detail.
    ///
    /// ```
    /// assert_eq!(lumber::Level::DEBUG.value(), 10);
    /// ```
    pub const DEBUG: Level = Level(10);
    /// 20: normal operation.
    ///
    /// ```
    /// assert_eq!(lumber::Level::INFO.value(), 20);
    /// ```
    pub const INFO: Level = Level(20);
    /// 30: something unexpected that the program copes with.
    ///
    /// ```
    /// assert_eq!(lumber::Level::WARNING.value(), 30);
    /// ```
    pub const WARNING: Level = Level(30);
    /// Alias of [`Level::WARNING`].
    ///
    /// ```
    /// assert_eq!(lumber::Level::WARN.name(), "WARNING");
    /// ```
    pub const WARN: Level = Level::WARNING;
    /// 40: an operation failed.
    ///
    /// ```
    /// assert_eq!(lumber::Level::ERROR.value(), 40);
    /// ```
    pub const ERROR: Level = Level(40);
    /// 50: the program may not be able to continue.
    ///
    /// ```
    /// assert_eq!(lumber::Level::CRITICAL.value(), 50);
    /// ```
    pub const CRITICAL: Level = Level(50);
    /// Alias of [`Level::CRITICAL`].
    ///
    /// ```
    /// assert_eq!(lumber::Level::FATAL, lumber::Level::CRITICAL);
    /// assert_eq!("fatal".parse::<lumber::Level>().unwrap().name(), "CRITICAL");
    /// ```
    pub const FATAL: Level = Level::CRITICAL;

    /// The highest level a record can have: `u32::MAX` itself is kept for
    /// "off" (see [`Level::new`]).
    ///
    /// ```
    /// assert_eq!(lumber::Level::new(u32::MAX), lumber::Level::MAX);
    /// ```
    pub const MAX: Level = Level(u32::MAX - 1);

    /// Above every level: a gate at `OFF` lets nothing through.
    pub(crate) const OFF: Level = Level(u32::MAX);

    /// A level of any number (`u32::MAX` is clamped to [`Level::MAX`], so
    /// that a disabled logger stops every record).
    ///
    /// ```
    /// assert_eq!(lumber::Level::new(40), lumber::Level::ERROR);
    /// ```
    pub const fn new(value: u32) -> Level {
        if value > Level::MAX.0 {
            Level::MAX
        } else {
            Level(value)
        }
    }

    /// The number.
    ///
    /// ```
    /// assert_eq!(lumber::Level::CRITICAL.value(), 50);
    /// ```
    pub const fn value(self) -> u32 {
        self.0
    }

    /// The level's name: a built-in name, a name registered with
    /// [`add_level_name`], or `Level N` as Python's `getLevelName` gives.
    ///
    /// ```
    /// assert_eq!(lumber::Level::WARNING.name(), "WARNING");
    /// assert_eq!(lumber::Level::new(33).name(), "Level 33");
    /// ```
    pub fn name(self) -> Cow<'static, str> {
        if CUSTOM_NAMES.load(Ordering::Acquire) {
            let names = registry().read().unwrap_or_else(PoisonError::into_inner);
            if let Some(name) = names.by_level.get(&self.0) {
                return Cow::Borrowed(name);
            }
        }
        match builtin_name(self.0) {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(format!("Level {}", self.0)),
        }
    }
}

impl Level {
    /// The built-in name, when no custom names are registered (the common
    /// case, without a lock).
    #[inline]
    pub(crate) fn builtin_name(self) -> Option<&'static str> {
        if CUSTOM_NAMES.load(Ordering::Relaxed) {
            None
        } else {
            builtin_name(self.0)
        }
    }
}

fn builtin_name(value: u32) -> Option<&'static str> {
    Some(match value {
        0 => "NOTSET",
        5 => "TRACE",
        10 => "DEBUG",
        20 => "INFO",
        30 => "WARNING",
        40 => "ERROR",
        50 => "CRITICAL",
        _ => return None,
    })
}

fn builtin_level(upper: &str) -> Option<Level> {
    Some(match upper {
        "NOTSET" => Level::NOTSET,
        "TRACE" => Level::TRACE,
        "DEBUG" => Level::DEBUG,
        "INFO" => Level::INFO,
        "WARNING" | "WARN" => Level::WARNING,
        "ERROR" => Level::ERROR,
        "CRITICAL" | "FATAL" => Level::CRITICAL,
        _ => return None,
    })
}

#[derive(Default)]
struct Names {
    by_level: HashMap<u32, &'static str>,
    by_name: HashMap<String, Level>,
}

/// Set once any custom name exists, so the common case never takes the lock.
static CUSTOM_NAMES: AtomicBool = AtomicBool::new(false);

fn registry() -> &'static RwLock<Names> {
    static NAMES: std::sync::OnceLock<RwLock<Names>> = std::sync::OnceLock::new();
    NAMES.get_or_init(Default::default)
}

/// Names a level, like Python's `logging.addLevelName`: the name is then
/// shown by `%(levelname)s` and accepted wherever a level is parsed
/// (case-insensitively). Renaming a built-in level is allowed, as in Python.
///
/// Names are kept for the life of the process (levels are few).
///
/// ```
/// use lumber::{add_level_name, Level};
/// const NOTICE: Level = Level::new(25);
/// add_level_name(NOTICE, "NOTICE");
/// assert_eq!(NOTICE.name(), "NOTICE");
/// assert_eq!("notice".parse::<Level>().unwrap(), NOTICE);
/// ```
pub fn add_level_name(level: Level, name: &str) {
    let mut names = registry().write().unwrap_or_else(PoisonError::into_inner);
    if names.by_level.get(&level.0).is_some_and(|n| *n == name) {
        return;
    }
    let stored: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.by_level.insert(level.0, stored);
    names.by_name.insert(name.to_ascii_uppercase(), level);
    CUSTOM_NAMES.store(true, Ordering::Release);
}

/// The error of parsing a level from text.
///
/// ```
/// let err = "loud".parse::<lumber::Level>().unwrap_err();
/// assert!(err.to_string().starts_with("unknown level \"loud\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLevelError {
    text: String,
}

impl fmt::Display for ParseLevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown level {:?}: expected a number or one of NOTSET, TRACE, DEBUG, INFO, \
             WARNING, WARN, ERROR, CRITICAL, FATAL or a name given with add_level_name",
            self.text
        )
    }
}

impl std::error::Error for ParseLevelError {}

impl FromStr for Level {
    type Err = ParseLevelError;

    /// Parses a level name (case-insensitive, custom names included) or a
    /// number.
    fn from_str(text: &str) -> Result<Level, ParseLevelError> {
        let trimmed = text.trim();
        if let Ok(n) = trimmed.parse::<u32>() {
            return Ok(Level::new(n));
        }
        let upper = trimmed.to_ascii_uppercase();
        if CUSTOM_NAMES.load(Ordering::Acquire) {
            let names = registry().read().unwrap_or_else(PoisonError::into_inner);
            if let Some(level) = names.by_name.get(&upper) {
                return Ok(*level);
            }
        }
        if let Some(level) = builtin_level(&upper) {
            return Ok(level);
        }
        if let Some(n) = upper.strip_prefix("LEVEL ").and_then(|n| n.parse().ok()) {
            return Ok(Level::new(n));
        }
        Err(ParseLevelError {
            text: text.to_owned(),
        })
    }
}

impl fmt::Display for Level {
    /// Writes the level's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.name())
    }
}

impl fmt::Debug for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name(), self.0)
    }
}

impl From<u32> for Level {
    fn from(value: u32) -> Level {
        Level::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_names_and_numbers_match_python() {
        let expected = [
            (Level::NOTSET, 0, "NOTSET"),
            (Level::TRACE, 5, "TRACE"),
            (Level::DEBUG, 10, "DEBUG"),
            (Level::INFO, 20, "INFO"),
            (Level::WARNING, 30, "WARNING"),
            (Level::ERROR, 40, "ERROR"),
            (Level::CRITICAL, 50, "CRITICAL"),
        ];
        for (level, n, name) in expected {
            assert_eq!(level.value(), n);
            assert_eq!(level.name(), name);
            assert_eq!(name.parse::<Level>(), Ok(level));
        }
        assert_eq!(Level::FATAL.name(), "CRITICAL");
        assert_eq!(Level::WARN.name(), "WARNING");
    }

    #[test]
    fn parsing_is_case_insensitive_and_takes_aliases_and_numbers() {
        assert_eq!("warn".parse::<Level>(), Ok(Level::WARNING));
        assert_eq!("Fatal".parse::<Level>(), Ok(Level::CRITICAL));
        assert_eq!(" 17 ".parse::<Level>(), Ok(Level::new(17)));
        assert_eq!("Level 17".parse::<Level>(), Ok(Level::new(17)));
        let err = "loud".parse::<Level>().unwrap_err();
        assert!(err.to_string().contains("\"loud\""), "{err}");
    }

    #[test]
    fn unknown_numbers_render_like_python() {
        assert_eq!(Level::new(7).name(), "Level 7");
        assert_eq!(format!("{:>9}|", Level::INFO), "     INFO|");
    }

    #[test]
    fn custom_names_are_used_everywhere() {
        add_level_name(Level::new(27), "LEVELTEST");
        assert_eq!(Level::new(27).name(), "LEVELTEST");
        assert_eq!("leveltest".parse::<Level>(), Ok(Level::new(27)));
        // Registering the same name twice is harmless.
        add_level_name(Level::new(27), "LEVELTEST");
        assert_eq!(Level::new(27).name(), "LEVELTEST");
    }
}
