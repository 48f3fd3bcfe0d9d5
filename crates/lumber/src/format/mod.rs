//! Formatters: turn a record into text. [`Formatter`] is Python's
//! `logging.Formatter`, byte for byte; [`Format`] is the trait any
//! formatter implements.

mod asctime;
mod console;
mod json;
mod logfmt;
mod pattern;
pub(crate) mod pyfmt;
pub(crate) mod strftime;
pub(crate) mod structured;

use std::error::Error;
use std::fmt::Write;
use std::sync::Arc;

pub use console::{Color, ColorChoice, ConsoleFormatter, ConsoleStyle};
pub use json::{JsonFormatter, TimeFormat, TimePrecision};
pub use logfmt::LogfmtFormatter;
pub use pattern::{BASIC_FORMAT, Formatter, PatternError, Style};

use crate::handler::Sink;
use crate::record::Record;

/// Turns a record into one line of text (or several, for errors and
/// stacks). Implementations must not panic; the handler catches a panic
/// anyway and reports it.
///
/// ```
/// use lumber::{Format, Record};
/// struct Shout;
/// impl Format for Shout {
///     fn format(&self, record: &Record<'_>, out: &mut String) {
///         out.push_str(&record.message().to_string().to_uppercase());
///     }
/// }
/// let mut out = String::new();
/// Shout.format(&Record::new("x", lumber::Level::INFO, lumber::Message::Str("hi")), &mut out);
/// assert_eq!(out, "HI");
/// ```
pub trait Format: Send + Sync + 'static {
    /// Appends the rendering of `record` to `out`.
    fn format(&self, record: &Record<'_>, out: &mut String);

    /// True if [`format`](Format::format) appends the record's message and
    /// nothing else for a record without error or stack text (Python's
    /// default `%(message)s`). A handler then skips formatting such records
    /// and hands its sink the message itself. The default is false.
    ///
    /// ```
    /// use lumber::Format;
    /// assert!(lumber::Formatter::new("%(message)s").unwrap().is_message_only());
    /// assert!(!lumber::Formatter::new("%(name)s %(message)s").unwrap().is_message_only());
    /// ```
    fn is_message_only(&self) -> bool {
        false
    }

    /// A short description for the logger tree.
    fn describe(&self) -> String {
        std::any::type_name::<Self>().to_owned()
    }

    /// The configuration that rebuilds this formatter (`class` and its
    /// options), for the logger tree ([`crate::config::tree`]); `None`
    /// (the default) if it cannot be written as one.
    ///
    /// ```
    /// use lumber::Format;
    /// let f = lumber::Formatter::new("%(name)s: %(message)s").unwrap();
    /// let c = f.config().unwrap();
    /// assert_eq!(c.get("format").unwrap().as_str(), Some("%(name)s: %(message)s"));
    /// ```
    fn config(&self) -> Option<crate::config::Node> {
        None
    }

    /// This formatter adapted to `sink`, or `None` to be used as it is
    /// (the default). Called once by [`crate::Handler::set_formatter`]
    /// when the formatter is installed on a handler, never per record: a
    /// [`crate::ConsoleFormatter`] in `Auto` mode returns a copy that
    /// colors only if [`crate::Sink::destination`] is a terminal (and the
    /// environment agrees).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lumber::{Destination, Format, Record, Sink};
    /// struct Marker(bool);
    /// impl Format for Marker {
    ///     fn format(&self, record: &Record<'_>, out: &mut String) {
    ///         out.push_str(if self.0 { "tty: " } else { "" });
    ///         out.push_str(&record.message().to_string());
    ///     }
    ///     fn for_sink(&self, sink: &dyn Sink) -> Option<Arc<dyn Format>> {
    ///         Some(Arc::new(Marker(sink.destination() == Destination::Terminal)))
    ///     }
    /// }
    /// let h = lumber::Handler::new(lumber::NullHandler).with_formatter(Marker(true));
    /// let mut out = String::new();
    /// h.formatter().format(&Record::new("x", lumber::Level::INFO, lumber::Message::Str("hi")), &mut out);
    /// assert_eq!(out, "hi"); // a NullHandler is no terminal
    /// ```
    fn for_sink(&self, sink: &dyn Sink) -> Option<Arc<dyn Format>> {
        let _ = sink;
        None
    }
}

impl<F: Format + ?Sized> Format for Arc<F> {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        (**self).format(record, out);
    }

    fn is_message_only(&self) -> bool {
        (**self).is_message_only()
    }

    fn describe(&self) -> String {
        (**self).describe()
    }

    fn config(&self) -> Option<crate::config::Node> {
        (**self).config()
    }

    fn for_sink(&self, sink: &dyn Sink) -> Option<Arc<dyn Format>> {
        (**self).for_sink(sink)
    }
}

/// Renders an error and its `source()` chain the way lumber shows
/// exceptions: `Error: <error>` then one `Caused by: <source>` line per
/// cause.
///
/// ```
/// let e = std::io::Error::other("disk full");
/// let mut out = String::new();
/// lumber::write_error_chain(&mut out, &e);
/// assert_eq!(out, "Error: disk full");
/// ```
pub fn write_error_chain(out: &mut String, error: &(dyn Error + 'static)) {
    let _ = write!(out, "Error: {error}");
    let mut source = error.source();
    let mut depth = 0;
    while let Some(cause) = source {
        depth += 1;
        if depth > 64 {
            out.push_str("\nCaused by: ... (chain too deep)");
            break;
        }
        let _ = write!(out, "\nCaused by: {cause}");
        source = cause.source();
    }
}

/// Python's tail of `Formatter.format`: the error text, then the stack,
/// each on a new line.
pub(crate) fn write_error_and_stack(record: &Record<'_>, out: &mut String) {
    if let Some(error) = record.error() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        write_error_chain(out, error);
    } else if let Some(text) = record.exc_text().filter(|t| !t.is_empty()) {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(text);
    }
    if let Some(stack) = record.stack_info().filter(|s| !s.is_empty()) {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(stack);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt;

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);
    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }
    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|l| l as &(dyn Error + 'static))
        }
    }

    #[test]
    fn error_chains_render_every_cause() {
        let e = Layer(
            "load config",
            Some(Box::new(Layer(
                "read file",
                Some(Box::new(Layer("denied", None))),
            ))),
        );
        let mut out = String::new();
        write_error_chain(&mut out, &e);
        assert_eq!(
            out,
            "Error: load config\nCaused by: read file\nCaused by: denied"
        );
    }
}
