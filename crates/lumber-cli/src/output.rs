//! Python's `basicConfig` for both commands: one handler on the root (a
//! standard stream or a file) with the `--format`, and the errors that
//! decide the exit status.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use lumber::{
    ErrorPolicy, FileHandler, Format, Formatter, Handler, InitGuard, JsonFormatter, Level,
    LogfmtFormatter, StreamHandler, Style, basic_config,
};

use crate::cli::{Setup, StreamArg};
use crate::convert::{Chosen, PyFormatter, RecordError};
use crate::record::PyRecord;

/// A failure of the command as a whole, with its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// Bad flags or configuration: exit status 2.
    Usage(String),
    /// Reading or writing failed: exit status 1.
    Io(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Io(m) => f.write_str(m),
        }
    }
}

/// What the handler's failures were, as told by its error hook.
#[derive(Default)]
struct WriteState {
    broken_pipe: AtomicBool,
    error: Mutex<Option<String>>,
}

impl WriteState {
    /// Notes a failure to write: a broken pipe, or the first other error.
    fn note(&self, error: &io::Error) {
        if error.kind() == io::ErrorKind::BrokenPipe {
            self.broken_pipe.store(true, Ordering::Relaxed);
        } else {
            let mut slot = self.error.lock().unwrap_or_else(PoisonError::into_inner);
            slot.get_or_insert_with(|| error.to_string());
        }
    }
}

/// The configured root handler and the run's formatter.
pub struct Output {
    handler: Arc<Handler>,
    formatter: PyFormatter,
    threshold: Level,
    state: Arc<WriteState>,
    target: String,
    guard: Option<InitGuard>,
}

/// Why writing stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The reader of standard output went away: stop quietly.
    BrokenPipe,
    /// Writing failed.
    Failed(String),
}

impl Output {
    /// Checks the format, opens the file or stream and configures the
    /// root logger.
    pub fn open(setup: &Setup) -> Result<Output, CliError> {
        let chosen = choose_formatter(setup)?;
        let formatter: Arc<dyn Format> = match &chosen {
            Chosen::Pattern(f) => Arc::clone(f) as Arc<dyn Format>,
            Chosen::Structured(f) => Arc::clone(f),
        };
        let state = Arc::new(WriteState::default());
        let hook_state = Arc::clone(&state);
        let policy = ErrorPolicy::hook(move |e| hook_state.note(e.error));
        let (handler, target) = match &setup.file {
            Some(path) => {
                let file = FileHandler::options(path).open().map_err(|e| {
                    CliError::Io(format!("cannot open log file {}: {e}", path.display()))
                })?;
                (Handler::new(file), path.display().to_string())
            }
            None => match setup.stream {
                StreamArg::Stderr => (
                    Handler::new(StreamHandler::stderr()),
                    "standard error".into(),
                ),
                StreamArg::Stdout => (
                    Handler::new(StreamHandler::stdout()),
                    "standard output".into(),
                ),
            },
        };
        let handler = Arc::new(handler.with_formatter(formatter).with_error_policy(policy));
        let threshold = setup.threshold.unwrap_or(Level::NOTSET);
        let guard = basic_config()
            .handlers(vec![Arc::clone(&handler)])
            .level(threshold)
            .force(true)
            .init()
            .map_err(|e| CliError::Usage(e.to_string()))?;
        Ok(Output {
            handler,
            formatter: PyFormatter::new(chosen),
            threshold,
            state,
            target,
            guard: Some(guard),
        })
    }

    /// Logs one record with the root's handler: formatted as Python would
    /// (or the reason Python could not), then written by its sink.
    /// `Ok(false)`: below the threshold. A record whose level is unknown
    /// always passes.
    pub fn write(&mut self, record: &PyRecord) -> Result<bool, RecordError> {
        if record.known_level().is_some_and(|l| l < self.threshold) {
            return Ok(false);
        }
        let sink = self.handler.sink();
        if let Err(e) = self
            .formatter
            .format(record, |r, line| sink.emit(r, line))?
        {
            self.state.note(&e);
        }
        Ok(true)
    }

    /// Whether writing can go on.
    pub fn check(&self) -> Result<(), Stop> {
        if self.state.broken_pipe.load(Ordering::Relaxed) {
            return Err(Stop::BrokenPipe);
        }
        let error = self
            .state
            .error
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match error.as_ref() {
            Some(e) => Err(Stop::Failed(format!(
                "cannot write to {}: {e}",
                self.target
            ))),
            None => Ok(()),
        }
    }

    /// Flushes and closes the handler; then reports how writing went.
    pub fn finish(mut self) -> Result<(), Stop> {
        self.handler.flush();
        drop(self.guard.take());
        self.check()
    }
}

/// The run's formatter: `--json`, `--logfmt`, or `--format` in its style
/// (Python's default when none is given).
fn choose_formatter(setup: &Setup) -> Result<Chosen, CliError> {
    if setup.json {
        return Ok(Chosen::Structured(Arc::new(
            JsonFormatter::new().utc(setup.utc),
        )));
    }
    if setup.logfmt {
        return Ok(Chosen::Structured(Arc::new(
            LogfmtFormatter::new().utc(setup.utc),
        )));
    }
    let style = setup.style;
    let pattern = setup
        .format
        .clone()
        .unwrap_or_else(|| default_format(style).to_owned());
    let mut formatter = Formatter::with_style(&pattern, style)
        .map_err(|e| CliError::Usage(format!("--format: {e}")))?
        .utc(setup.utc);
    if let Some(datefmt) = &setup.datefmt {
        formatter = formatter.datefmt(datefmt);
    }
    Ok(Chosen::Pattern(Arc::new(formatter)))
}

/// Python's default format of `basicConfig` for each style.
pub fn default_format(style: Style) -> &'static str {
    match style {
        Style::Percent => "%(levelname)s:%(name)s:%(message)s",
        Style::Brace => "{levelname}:{name}:{message}",
        Style::Dollar => "${levelname}:${name}:${message}",
    }
}

/// Maps a stop to the command's result: a broken pipe ends quietly.
pub fn stop_to_result(stop: Stop) -> Result<(), CliError> {
    match stop {
        Stop::BrokenPipe => Ok(()),
        Stop::Failed(message) => Err(CliError::Io(message)),
    }
}
