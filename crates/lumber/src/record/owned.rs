//! The owned record: what a queue carries between threads.

use std::sync::Arc;

use super::{Function, Message, Record, Site, Timestamp, thread_name};
use crate::context::ContextFrame;
use crate::format::pyfmt::PyValue;
use crate::format::write_error_chain;
use crate::level::Level;
use crate::value::OwnedFields;

/// A call site owned by the record: a `'static` one is shared, any other
/// is copied.
#[derive(Clone, Debug)]
enum OwnedSite {
    Static(&'static Site<'static>),
    Copied(Box<CopiedSite>),
}

#[derive(Clone, Debug)]
struct CopiedSite {
    module_path: String,
    file: String,
    line: u32,
    template: String,
    function: Option<String>,
}

/// A record that owns its data, to be sent to another thread or kept for
/// later: everything a [`Record`] says, with the message formatted, the
/// error chain rendered to text and the fields copied. The scoped context
/// and a `'static` call site are shared, not copied.
///
/// ```
/// use lumber::{Level, Message, OwnedRecord, Record};
/// let owned = OwnedRecord::from(&Record::new("app", Level::INFO, Message::Args(format_args!("n={}", 3))));
/// owned.with_record(|r| assert_eq!((r.logger(), r.message().to_string()), ("app", "n=3".to_owned())));
/// ```
#[derive(Clone, Debug)]
pub struct OwnedRecord {
    logger: Box<str>,
    level: Level,
    message: String,
    site: OwnedSite,
    time: Timestamp,
    fields: OwnedFields,
    context: Option<Arc<ContextFrame>>,
    exc_text: Option<String>,
    stack_info: Option<String>,
    thread_id: u64,
    thread_name: Arc<str>,
    process: Option<(u32, String)>,
    msecs: Option<f64>,
    relative_created: Option<f64>,
    python: Vec<(String, PyValue)>,
}

impl OwnedRecord {
    /// Calls `f` with the borrowed view. Needed when the view must carry
    /// data that lives only inside this call (Python attributes).
    fn view<R>(&self, f: impl FnOnce(&Record<'_>) -> R) -> R {
        let mut record = Record::new(&self.logger, self.level, Message::Str(&self.message))
            .with_time(self.time)
            .with_bound(&self.fields)
            .with_context(self.context.as_ref())
            .with_thread(self.thread_id, &self.thread_name)
            .with_python_times(self.msecs, self.relative_created);
        record = match &self.site {
            OwnedSite::Static(site) => record.with_static_site(site),
            OwnedSite::Copied(_) => record,
        };
        if let Some((id, name)) = &self.process {
            record = record.with_process(*id, name);
        }
        if let Some(text) = &self.exc_text {
            record = record.with_exc_text(text);
        }
        if let Some(stack) = &self.stack_info {
            record = record.with_stack_info(stack);
        }
        match &self.site {
            OwnedSite::Copied(copied) => {
                let site = Site {
                    module_path: &copied.module_path,
                    file: &copied.file,
                    line: copied.line,
                    template: &copied.template,
                    function: match &copied.function {
                        Some(name) => Function::Name(name),
                        None => Function::Unknown,
                    },
                };
                let python: Vec<(&str, PyValue)> = self
                    .python
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                f(&record.with_site(&site).with_python_attrs(&python))
            }
            OwnedSite::Static(_) if self.python.is_empty() => f(&record),
            OwnedSite::Static(_) => {
                let python: Vec<(&str, PyValue)> = self
                    .python
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                f(&record.with_python_attrs(&python))
            }
        }
    }

    /// Runs `f` on the borrowed view of the record, for handlers and
    /// formatters.
    ///
    /// ```
    /// # use lumber::{Level, Message, OwnedRecord, Record};
    /// let owned = OwnedRecord::from(&Record::new("app", Level::INFO, Message::Str("m")));
    /// let n = owned.with_record(|r| r.message().to_string().len());
    /// assert_eq!(n, 1);
    /// ```
    pub fn with_record<R>(&self, f: impl FnOnce(&Record<'_>) -> R) -> R {
        self.view(f)
    }

    /// Replaces the message and drops the error and stack text (what
    /// Python's `QueueHandler.prepare` does after formatting).
    ///
    /// ```
    /// # use lumber::{Level, Message, OwnedRecord, Record};
    /// let mut owned = OwnedRecord::from(&Record::new("app", Level::INFO, Message::Str("m")));
    /// owned.set_message("INFO app m".to_owned());
    /// assert_eq!(owned.message(), "INFO app m");
    /// ```
    pub fn set_message(&mut self, message: String) {
        self.message = message;
        self.exc_text = None;
        self.stack_info = None;
    }

    /// The formatted message.
    ///
    /// ```
    /// # use lumber::{Level, Message, OwnedRecord, Record};
    /// let owned = OwnedRecord::from(&Record::new("app", Level::INFO, Message::Str("hello")));
    /// assert_eq!(owned.message(), "hello");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The level.
    ///
    /// ```
    /// # use lumber::{Level, Message, OwnedRecord, Record};
    /// let owned = OwnedRecord::from(&Record::new("app", Level::ERROR, Message::Str("m")));
    /// assert_eq!(owned.level(), Level::ERROR);
    /// ```
    pub fn level(&self) -> Level {
        self.level
    }

    /// The logger's name.
    ///
    /// ```
    /// # use lumber::{Level, Message, OwnedRecord, Record};
    /// let owned = OwnedRecord::from(&Record::new("app.db", Level::INFO, Message::Str("m")));
    /// assert_eq!(owned.logger(), "app.db");
    /// ```
    pub fn logger(&self) -> &str {
        &self.logger
    }

    /// The creation time.
    ///
    /// ```
    /// # use lumber::{Level, Message, OwnedRecord, Record, Timestamp};
    /// let t = Timestamp::new(9, 0);
    /// let owned = OwnedRecord::from(&Record::new("x", Level::INFO, Message::Str("m")).with_time(t));
    /// assert_eq!(owned.time(), t);
    /// ```
    pub fn time(&self) -> Timestamp {
        self.time
    }
}

impl OwnedRecord {
    /// Python's `QueueHandler.prepare`: a copy of `record` whose message is
    /// `message` (the formatted text), without error or stack text.
    ///
    /// ```
    /// # use lumber::{Level, Message, OwnedRecord, Record};
    /// let e = std::io::Error::other("x");
    /// let r = Record::new("app", Level::ERROR, Message::Str("m")).with_error(&e);
    /// let owned = OwnedRecord::prepared(&r, "ERROR m\nError: x");
    /// owned.with_record(|r| assert!(r.error().is_none() && r.exc_text().is_none()));
    /// ```
    pub fn prepared(record: &Record<'_>, message: &str) -> OwnedRecord {
        OwnedRecord::build(record, message.to_owned(), None, None)
    }
}

impl From<&Record<'_>> for OwnedRecord {
    fn from(record: &Record<'_>) -> OwnedRecord {
        let exc_text = match record.error() {
            Some(error) => {
                let mut text = String::new();
                write_error_chain(&mut text, error);
                Some(text)
            }
            None => record.exc_text().map(str::to_owned),
        };
        let stack = record.stack_info().map(str::to_owned);
        OwnedRecord::build(record, record.message().to_string(), exc_text, stack)
    }
}

impl OwnedRecord {
    fn build(
        record: &Record<'_>,
        message: String,
        exc_text: Option<String>,
        stack_info: Option<String>,
    ) -> OwnedRecord {
        let site = match record.static_site() {
            Some(site) => OwnedSite::Static(site),
            None => {
                let s = record.site();
                OwnedSite::Copied(Box::new(CopiedSite {
                    module_path: s.module_path.to_owned(),
                    file: s.file.to_owned(),
                    line: s.line,
                    template: s.template.to_owned(),
                    function: s.function_name().map(str::to_owned),
                }))
            }
        };
        let mut fields: OwnedFields =
            Vec::with_capacity(record.fields().len() + record.bound().len());
        fields.extend(
            record
                .fields()
                .iter()
                .map(|(k, v)| (Box::from(*k), v.to_owned())),
        );
        fields.extend(record.bound().iter().cloned());
        let thread_name = match record.thread_name_override() {
            Some(name) => Arc::from(name),
            None => thread_name(),
        };
        OwnedRecord {
            logger: record.logger().into(),
            level: record.level(),
            message,
            site,
            time: record.time(),
            fields,
            context: record.context_arc().cloned(),
            exc_text,
            stack_info,
            thread_id: record.thread_id(),
            thread_name,
            process: record
                .process_override()
                .map(|(id, name)| (id, name.to_owned())),
            msecs: record.msecs_override(),
            relative_created: record.relative_created_override(),
            python: record
                .python_attrs()
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn everything_survives_the_copy() {
        let e = std::io::Error::other("inner");
        let fields = [("n", Value::from(3))];
        let site = Site {
            module_path: "m",
            file: "/a/b.rs",
            line: 9,
            template: "t {}",
            function: Function::Name("f"),
        };
        let original = Record::new("app", Level::ERROR, Message::Str("t 1"))
            .with_site(&site)
            .with_fields(&fields)
            .with_error(&e)
            .with_thread(5, "worker")
            .with_process(77, "proc");
        let owned = OwnedRecord::from(&original);
        owned.with_record(|r| {
            assert_eq!(r.message().to_string(), "t 1");
            assert_eq!(r.site().file, "/a/b.rs");
            assert_eq!(r.site().function_name(), Some("f"));
            assert_eq!(r.field("n").map(|v| v.to_string()), Some("3".into()));
            assert_eq!(r.exc_text(), Some("Error: inner"));
            assert_eq!(r.thread_id(), 5);
            r.with_thread_name(|n| assert_eq!(n, "worker"));
            assert_eq!((r.process_id(), r.process_name()), (77, "proc"));
        });
    }
}
