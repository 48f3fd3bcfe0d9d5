//! The lumber side of a piped record: owned parts that lend themselves
//! to a borrowed [`Record`] for the length of one `handle` call.

use lumber::{Function, Level, Message, Record, Site, Timestamp, Value};

/// The owned parts of a lumber record.
#[derive(Debug, Clone)]
pub struct Parts {
    pub(crate) logger: String,
    /// The record's level.
    pub level: Level,
    pub(crate) file: String,
    pub(crate) line: u32,
    pub(crate) template: String,
    pub(crate) function: Option<String>,
    pub(crate) time: Timestamp,
    pub(crate) msecs: f64,
    pub(crate) relative: f64,
    pub(crate) thread: u64,
    pub(crate) thread_name: String,
    pub(crate) process: u32,
    pub(crate) process_name: String,
    pub(crate) exc_text: Option<String>,
    pub(crate) stack_info: Option<String>,
    pub(crate) message: String,
    /// `(field, text)` of the references the CLI formats itself.
    pub(crate) fields: Vec<(String, String)>,
}

impl Parts {
    /// Calls `f` with the record these parts make.
    pub fn with_record<R>(&self, f: impl FnOnce(&Record<'_>) -> R) -> R {
        let site = Site {
            module_path: "",
            file: &self.file,
            line: self.line,
            template: &self.template,
            function: match &self.function {
                Some(name) => Function::Name(name),
                None => Function::Unknown,
            },
        };
        let fields: Vec<(&str, Value<'_>)> = self
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), Value::Str(v)))
            .collect();
        let mut record = Record::new(&self.logger, self.level, Message::Str(&self.message))
            .with_site(&site)
            .with_time(self.time)
            .with_fields(&fields)
            .with_thread(self.thread, &self.thread_name)
            .with_process(self.process, &self.process_name)
            .with_python_times(Some(self.msecs), Some(self.relative));
        if let Some(text) = &self.exc_text {
            record = record.with_exc_text(text);
        }
        if let Some(text) = &self.stack_info {
            record = record.with_stack_info(text);
        }
        f(&record)
    }
}
