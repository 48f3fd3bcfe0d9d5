//! Python's `StreamHandler`: stderr, stdout, or any writer.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Mutex, PoisonError};

use super::{Destination, Sink};
use crate::record::Record;

enum Target {
    Stderr,
    Stdout,
    Writer(Box<dyn Write + Send>),
}

struct State {
    target: Target,
    line: Vec<u8>,
}

/// Writes each record and a terminator (`\n`) to a stream, and flushes, as
/// Python's `StreamHandler` does. Each record is one `write` call, so lines
/// from several threads or processes never interleave mid-line.
///
/// Whether stderr or stdout is a terminal is checked once, when the
/// handler is made ([`Sink::destination`]), so that a
/// [`crate::ConsoleFormatter`] colors a terminal and nothing else.
///
/// ```
/// use lumber::{Handler, StreamHandler};
/// let to_stderr = StreamHandler::stderr();
/// let to_stdout = StreamHandler::stdout();
/// let to_buffer = StreamHandler::writer(Vec::<u8>::new()).with_terminator("\r\n");
/// # let _ = (to_stderr, to_stdout, to_buffer);
/// ```
pub struct StreamHandler {
    state: Mutex<State>,
    terminator: Box<str>,
    name: &'static str,
    destination: Destination,
}

impl StreamHandler {
    fn with_target(target: Target, name: &'static str) -> StreamHandler {
        let destination = match target {
            Target::Stderr => Destination::of_stream(&io::stderr()),
            Target::Stdout => Destination::of_stream(&io::stdout()),
            Target::Writer(_) => Destination::Other,
        };
        StreamHandler {
            destination,
            state: Mutex::new(State {
                target,
                line: Vec::with_capacity(256),
            }),
            terminator: "\n".into(),
            name,
        }
    }

    /// To standard error (Python's default).
    ///
    /// ```
    /// use lumber::{Sink, StreamHandler};
    /// assert_eq!(StreamHandler::stderr().target(), "<stderr>");
    /// ```
    pub fn stderr() -> StreamHandler {
        StreamHandler::with_target(Target::Stderr, "<stderr>")
    }

    /// To standard output.
    ///
    /// ```
    /// use lumber::{Sink, StreamHandler};
    /// assert_eq!(StreamHandler::stdout().target(), "<stdout>");
    /// ```
    pub fn stdout() -> StreamHandler {
        StreamHandler::with_target(Target::Stdout, "<stdout>")
    }

    /// To any writer (a socket, a pipe, a `Vec<u8>` in tests).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, StreamHandler};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-{}-{}.log", "writer", std::process::id()));
    /// # let rec = Record::new("x", Level::INFO, Message::Str(""));
    /// let h = StreamHandler::writer(std::fs::File::create(&path).unwrap());
    /// h.emit(&rec, "one").unwrap();
    /// h.emit(&rec, "two").unwrap();
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\ntwo\n");
    /// ```
    pub fn writer(writer: impl Write + Send + 'static) -> StreamHandler {
        StreamHandler::with_target(Target::Writer(Box::new(writer)), "<writer>")
    }

    /// Sets what follows each record (Python's `terminator`, `\n` by
    /// default).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, StreamHandler};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-{}-{}.log", "terminator", std::process::id()));
    /// # let rec = Record::new("x", Level::INFO, Message::Str(""));
    /// let h = StreamHandler::writer(std::fs::File::create(&path).unwrap()).with_terminator("\r\n");
    /// h.emit(&rec, "one").unwrap();
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\r\n");
    /// ```
    pub fn with_terminator(mut self, terminator: &str) -> StreamHandler {
        self.terminator = terminator.into();
        self
    }

    /// Says what the stream is, for formatters that adapt to it (see
    /// [`Sink::destination`]). A writer is [`Destination::Other`] unless
    /// told otherwise: set [`Destination::Terminal`] for a writer around a
    /// terminal (a buffered stderr, a pty), so that a
    /// [`crate::ConsoleFormatter`] colors it. Set it before the formatter:
    /// the formatter adapts when it is installed.
    ///
    /// ```
    /// use std::io::IsTerminal;
    /// use lumber::{Destination, Sink, StreamHandler};
    /// let stderr = std::io::stderr();
    /// let d = Destination::of_stream(&stderr);
    /// let h = StreamHandler::writer(std::io::LineWriter::new(stderr)).with_destination(d);
    /// assert_eq!(h.destination() == Destination::Terminal, std::io::stderr().is_terminal());
    /// ```
    pub fn with_destination(mut self, destination: Destination) -> StreamHandler {
        self.destination = destination;
        self
    }
}

impl Sink for StreamHandler {
    fn emit(&self, _record: &Record<'_>, line: &str) -> io::Result<()> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let State { target, line: buf } = &mut *state;
        buf.clear();
        buf.extend_from_slice(line.as_bytes());
        buf.extend_from_slice(self.terminator.as_bytes());
        let result = match target {
            Target::Stderr => io::stderr().lock().write_all(buf),
            Target::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(buf).and_then(|()| out.flush())
            }
            Target::Writer(w) => w.write_all(buf).and_then(|()| w.flush()),
        };
        if buf.capacity() > 64 * 1024 {
            *buf = Vec::with_capacity(256);
        }
        result
    }

    fn flush(&self) -> io::Result<()> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match &mut state.target {
            Target::Stderr => io::stderr().flush(),
            Target::Stdout => io::stdout().flush(),
            Target::Writer(w) => w.flush(),
        }
    }

    fn target(&self) -> String {
        self.name.to_owned()
    }

    fn destination(&self) -> Destination {
        self.destination
    }
}

impl fmt::Debug for StreamHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamHandler")
            .field("target", &self.name)
            .field("destination", &self.destination)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Level;
    use crate::record::Message;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<Vec<u8>>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().push(b.to_vec());
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn one_write_per_record_with_terminator() {
        let out = Shared::default();
        let h = StreamHandler::writer(out.clone()).with_terminator("\r\n");
        let r = Record::new("x", Level::INFO, Message::Str("m"));
        h.emit(&r, "first").unwrap();
        h.emit(&r, "second").unwrap();
        assert_eq!(
            *out.0.lock().unwrap(),
            vec![b"first\r\n".to_vec(), b"second\r\n".to_vec()]
        );
    }
}
