//! Level directives in the style of `RUST_LOG`: `info,app.db=debug,hyper=warn`.

use std::fmt;
use std::str::FromStr;

use super::error::ConfigError;
use crate::level::Level;
use crate::logger::{get_logger, root};

/// A list of level settings, as `RUST_LOG` writes them and lumber reads
/// them from `LUMBER_LOG`: comma-separated items, each `LEVEL` (the root's
/// level), `LOGGER=LEVEL`, or `LOGGER` alone (everything: TRACE, as
/// env_logger reads it). Logger names may be dotted or Rust module paths
/// (`hyper::client` is `hyper.client`); levels are any name or number
/// lumber knows, case-insensitive, plus `off` (nothing from that logger).
/// Blank items are skipped. A later item for the same logger wins.
///
/// ```
/// use lumber::{Directives, Level, get_logger, root};
/// let d: Directives = "warning, doc_directives.db=debug, doc_directives::http=error".parse().unwrap();
/// d.apply();
/// assert_eq!(root().level(), Level::WARNING);
/// assert_eq!(get_logger("doc_directives.db").level(), Level::DEBUG);
/// assert_eq!(get_logger("doc_directives.http").level(), Level::ERROR);
/// # root().set_level(Level::WARNING);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directives {
    items: Vec<(Option<String>, Level)>,
}

impl Directives {
    /// Parses `spec`; problems are reported under `key` (the environment
    /// variable or configuration key the text came from), every one of
    /// them, each naming its item.
    ///
    /// ```
    /// let err = lumber::Directives::parse("LUMBER_LOG", "info,app=loud,=debug").unwrap_err();
    /// let problems: Vec<_> = err.problems().map(|(k, m)| format!("{k}: {m}")).collect();
    /// assert_eq!(problems.len(), 2);
    /// assert!(problems[0].starts_with("LUMBER_LOG: item 2 `app=loud`: unknown level \"loud\""));
    /// assert_eq!(problems[1], "LUMBER_LOG: item 3 `=debug`: no logger name before `=`");
    /// ```
    pub fn parse(key: &str, spec: &str) -> Result<Directives, ConfigError> {
        let mut items = Vec::new();
        let mut problems = ConfigError::default();
        for (n, raw) in spec.split(',').enumerate() {
            let item = raw.trim();
            if item.is_empty() {
                continue;
            }
            let mut problem = |message: String| {
                problems.push(key, format!("item {} `{item}`: {message}", n + 1));
            };
            let (name, level) = match item.split_once('=') {
                Some((name, level)) => (Some(name.trim()), level.trim()),
                None => match parse_level(item) {
                    Ok(level) => {
                        items.push((None, level));
                        continue;
                    }
                    // A bare name: everything from that logger.
                    Err(_) if is_logger_name(item) => (Some(item), "trace"),
                    Err(e) => {
                        problem(e);
                        continue;
                    }
                },
            };
            let name = match name {
                Some("") => {
                    problem("no logger name before `=`".to_owned());
                    continue;
                }
                Some(name) if !is_logger_name(name) => {
                    problem(format!(
                        "{name:?} is not a logger name (letters, digits, `_`, `-`, `.` and `::`)"
                    ));
                    continue;
                }
                other => other,
            };
            match parse_level(level) {
                Ok(level) => items.push((name.map(str::to_owned), level)),
                Err(e) => problem(e),
            }
        }
        problems.into_result()?;
        Ok(Directives { items })
    }

    /// Reads the environment variable `var`: `Ok(None)` if it is not set
    /// (or empty).
    ///
    /// ```
    /// assert_eq!(lumber::Directives::from_env("LUMBER_DOC_UNSET_VARIABLE").unwrap(), None);
    /// ```
    pub fn from_env(var: &str) -> Result<Option<Directives>, ConfigError> {
        match std::env::var(var) {
            Ok(spec) if !spec.trim().is_empty() => Directives::parse(var, &spec).map(Some),
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(ConfigError::new(var, "the value is not valid UTF-8"))
            }
        }
    }

    /// Sets the levels: the root's for a bare level, each named logger's
    /// otherwise (`off` sets a level above every other, so nothing passes).
    ///
    /// ```
    /// let d: lumber::Directives = "doc_apply=off".parse().unwrap();
    /// d.apply();
    /// assert!(!lumber::get_logger("doc_apply").is_enabled_for(lumber::Level::CRITICAL));
    /// ```
    pub fn apply(&self) {
        for (name, level) in &self.items {
            match name {
                Some(name) => get_logger(name).set_level(*level),
                None => root().set_level(*level),
            }
        }
    }

    /// The settings, in order: `(None, level)` for the root.
    ///
    /// ```
    /// let d: lumber::Directives = "info,db=debug".parse().unwrap();
    /// let names: Vec<_> = d.iter().map(|(name, _)| name.map(str::to_owned)).collect();
    /// assert_eq!(names, [None, Some("db".to_owned())]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (Option<&str>, Level)> {
        self.items
            .iter()
            .map(|(name, level)| (name.as_deref(), *level))
    }
}

impl FromStr for Directives {
    type Err = ConfigError;

    /// [`Directives::parse`], with problems under the key `directives`.
    fn from_str(spec: &str) -> Result<Directives, ConfigError> {
        Directives::parse("directives", spec)
    }
}

impl fmt::Display for Directives {
    /// The directives as text that parses back to them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, level)) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if let Some(name) = name {
                write!(f, "{name}=")?;
            }
            if *level == Level::MAX {
                f.write_str("off")?;
            } else {
                write!(f, "{}", level.value())?;
            }
        }
        Ok(())
    }
}

fn parse_level(text: &str) -> Result<Level, String> {
    if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("none") {
        return Ok(Level::MAX);
    }
    text.parse::<Level>().map_err(|e| e.to_string())
}

fn is_logger_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(spec: &str) -> Vec<(Option<String>, u32)> {
        Directives::parse("k", spec)
            .unwrap()
            .iter()
            .map(|(n, l)| (n.map(str::to_owned), l.value()))
            .collect()
    }

    #[test]
    fn items_levels_names_and_blanks() {
        assert_eq!(
            items(" info , app.db=DEBUG,,hyper::client=warn, noisy ,x=25,y=off,"),
            [
                (None, 20),
                (Some("app.db".into()), 10),
                (Some("hyper::client".into()), 30),
                (Some("noisy".into()), 5),
                (Some("x".into()), 25),
                (Some("y".into()), u32::MAX - 1),
            ]
        );
        assert!(items("").is_empty());
    }

    #[test]
    fn every_problem_is_reported_with_its_item() {
        let err = Directives::parse(
            "LUMBER_LOG",
            "a=b=c, =info, bad name=info, x=loud, ok=debug",
        )
        .unwrap_err();
        let got: Vec<(String, String)> = err
            .problems()
            .map(|(k, m)| (k.to_owned(), m.to_owned()))
            .collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got.iter().all(|(k, _)| k == "LUMBER_LOG"));
        assert!(
            got[0]
                .1
                .starts_with("item 1 `a=b=c`: unknown level \"b=c\"")
        );
        assert_eq!(got[1].1, "item 2 `=info`: no logger name before `=`");
        assert!(
            got[2]
                .1
                .starts_with("item 3 `bad name=info`: \"bad name\" is not a logger name")
        );
        assert!(
            got[3]
                .1
                .starts_with("item 4 `x=loud`: unknown level \"loud\"")
        );
    }

    #[test]
    fn display_parses_back() {
        let d = Directives::parse("k", "info,a.b=debug,c=off,d=25").unwrap();
        assert_eq!(Directives::parse("k", &d.to_string()).unwrap(), d);
    }
}
