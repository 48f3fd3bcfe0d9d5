//! Filters: decide per record, on a logger or on a handler, whether it goes
//! on (Python's `Filter` and `Filterer`).

use crate::level::Level;
use crate::record::Record;

/// Decides whether a record is logged. Put on a logger, it sees the records
/// logged on that logger (not those propagated from children, as in
/// Python); put on a handler, every record the handler gets.
///
/// Any `Fn(&Record) -> bool` closure is a filter.
///
/// ```
/// use lumber::{Filter, Record};
/// let no_health_checks = |r: &Record| !r.message().to_string().contains("/health");
/// let r = Record::new("http", lumber::Level::INFO, lumber::Message::Str("GET /health"));
/// assert!(!no_health_checks.filter(&r));
/// ```
pub trait Filter: Send + Sync + 'static {
    /// True to let the record through.
    fn filter(&self, record: &Record<'_>) -> bool;

    /// A short description for the logger tree (`lumber config tree`).
    fn describe(&self) -> String {
        std::any::type_name::<Self>().to_owned()
    }

    /// The configuration that rebuilds this filter (`class` and options),
    /// for the logger tree ([`crate::config::tree`]); `None` (the default)
    /// if it cannot be written as one.
    ///
    /// ```
    /// use lumber::{Filter, NameFilter};
    /// let c = NameFilter::new("app").config().unwrap();
    /// assert_eq!(c.get("name").unwrap().as_str(), Some("app"));
    /// ```
    fn config(&self) -> Option<crate::config::Node> {
        None
    }
}

impl<F> Filter for F
where
    F: Fn(&Record<'_>) -> bool + Send + Sync + 'static,
{
    fn filter(&self, record: &Record<'_>) -> bool {
        self(record)
    }

    fn describe(&self) -> String {
        "<closure>".to_owned()
    }
}

/// Python's `logging.Filter(name)`: passes records from the logger `name`
/// and its descendants. `"a.b"` passes `a.b` and `a.b.c`, not `a.bb`; an
/// empty name passes everything.
///
/// ```
/// use lumber::{Filter, Level, Message, NameFilter, Record};
/// let f = NameFilter::new("a.b");
/// let rec = |name| Record::new(name, Level::INFO, Message::Str(""));
/// assert!(f.filter(&rec("a.b")));
/// assert!(f.filter(&rec("a.b.c")));
/// assert!(!f.filter(&rec("a.bb")));
/// assert!(!f.filter(&rec("a")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFilter {
    name: String,
}

impl NameFilter {
    /// A filter for `name` and its descendants (`::` is read as `.`).
    ///
    /// ```
    /// use lumber::{Filter, Level, Message, NameFilter, Record};
    /// let f = NameFilter::new("app::db"); // the same as "app.db"
    /// assert!(f.filter(&Record::new("app.db.pool", Level::INFO, Message::Str(""))));
    /// assert!(!f.filter(&Record::new("app.web", Level::INFO, Message::Str(""))));
    /// ```
    pub fn new(name: &str) -> NameFilter {
        NameFilter {
            name: crate::logger::normalize_name(name),
        }
    }

    /// The name it passes.
    ///
    /// ```
    /// assert_eq!(lumber::NameFilter::new("app::db").name(), "app.db");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Filter for NameFilter {
    fn filter(&self, record: &Record<'_>) -> bool {
        let logger = record.logger();
        self.name.is_empty()
            || logger == self.name
            || (logger.starts_with(&self.name)
                && logger.as_bytes().get(self.name.len()) == Some(&b'.'))
    }

    fn describe(&self) -> String {
        format!("name filter {:?}", self.name)
    }

    fn config(&self) -> Option<crate::config::Node> {
        let mut c = crate::config::Node::map();
        c.set("class", "Filter".into());
        c.set("name", self.name.as_str().into());
        Some(c)
    }
}

/// Passes records whose level lies in `min..=max` — for example to send
/// INFO but not WARNING to stdout, and WARNING and above to stderr.
///
/// ```
/// use lumber::{Filter, Level, LevelFilter, Message, Record};
/// let f = LevelFilter::new(Level::DEBUG, Level::INFO);
/// assert!(f.filter(&Record::new("x", Level::INFO, Message::Str(""))));
/// assert!(!f.filter(&Record::new("x", Level::WARNING, Message::Str(""))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelFilter {
    min: Level,
    max: Level,
}

impl LevelFilter {
    /// Passes `min..=max`.
    ///
    /// ```
    /// use lumber::{Filter, Level, LevelFilter, Message, Record};
    /// let info_only = LevelFilter::new(Level::INFO, Level::INFO);
    /// assert!(info_only.filter(&Record::new("x", Level::INFO, Message::Str(""))));
    /// assert!(!info_only.filter(&Record::new("x", Level::DEBUG, Message::Str(""))));
    /// ```
    pub fn new(min: Level, max: Level) -> LevelFilter {
        LevelFilter { min, max }
    }
}

impl Filter for LevelFilter {
    fn filter(&self, record: &Record<'_>) -> bool {
        (self.min..=self.max).contains(&record.level())
    }

    fn describe(&self) -> String {
        format!("level filter {}..={}", self.min, self.max)
    }

    fn config(&self) -> Option<crate::config::Node> {
        let mut c = crate::config::Node::map();
        c.set("class", "LevelFilter".into());
        c.set("min", crate::config::level_node(self.min));
        c.set("max", crate::config::level_node(self.max));
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Message;

    #[test]
    fn empty_name_passes_everything_and_rust_paths_are_dotted() {
        let r = Record::new("x.y", Level::INFO, Message::Str(""));
        assert!(NameFilter::new("").filter(&r));
        assert!(NameFilter::new("x::y").filter(&r));
        assert!(!NameFilter::new("x.y.z").filter(&r));
    }
}
