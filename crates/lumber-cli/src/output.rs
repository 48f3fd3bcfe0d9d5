//! Where the records go: Python's `basicConfig` (one handler on the root,
//! a standard stream or a file, with the `--format`) or a configuration
//! file's loggers and handlers (`--config`); and the errors that decide
//! the exit status.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use lumber::{
    ConfigError, ErrorPolicy, FileHandler, Format, Formatter, Handler, InitGuard, JsonFormatter,
    Level, LogfmtFormatter, StreamHandler, Style, basic_config,
};

use crate::cli::{Setup, StreamArg};
use crate::configured;
use crate::convert::{self, Chosen, PyFormatter, RecordError};
use crate::record::PyRecord;

/// A failure of the command as a whole, with its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// Bad flags: exit status 2.
    Usage(String),
    /// Reading or writing failed: exit status 1.
    Io(String),
    /// A configuration has problems: exit status 1, one line per problem.
    Config(ConfigError),
}

impl CliError {
    /// The exit status: 2 for usage, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Io(_) | CliError::Config(_) => 1,
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> CliError {
        CliError::Config(e)
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Io(m) => f.write_str(m),
            CliError::Config(e) => std::fmt::Display::fmt(e, f),
        }
    }
}

/// What the handlers' failures were, as told by their error hooks.
#[derive(Default)]
pub struct WriteState {
    broken_pipe: AtomicBool,
    error: Mutex<Option<String>>,
}

impl WriteState {
    /// Notes a failure to write: a broken pipe, or the first other error
    /// (`describe` says what failed).
    pub fn note(&self, error: &io::Error, describe: impl FnOnce() -> String) {
        if error.kind() == io::ErrorKind::BrokenPipe {
            self.broken_pipe.store(true, Ordering::Relaxed);
        } else {
            let mut slot = self.error.lock().unwrap_or_else(PoisonError::into_inner);
            slot.get_or_insert_with(describe);
        }
    }
}

/// Where records go.
enum Route {
    /// `basicConfig`: the root's one handler and the run's formatter.
    Basic {
        handler: Arc<Handler>,
        formatter: PyFormatter,
        target: String,
    },
    /// `--config`: the configured loggers.
    Configured,
}

/// The configured logging of a run.
pub struct Output {
    route: Route,
    threshold: Level,
    state: Arc<WriteState>,
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
    /// Sets logging up: `--config` if given, else checks the format, opens
    /// the file or stream and configures the root logger.
    pub fn open(setup: &Setup) -> Result<Output, CliError> {
        let threshold = setup.threshold.unwrap_or(Level::NOTSET);
        let state = Arc::new(WriteState::default());
        if let Some(path) = &setup.config {
            let guard = configured::apply(path, &state)?;
            return Ok(Output {
                route: Route::Configured,
                threshold,
                state,
                guard: Some(guard),
            });
        }
        let chosen = choose_formatter(setup)?;
        let formatter: Arc<dyn Format> = match &chosen {
            Chosen::Pattern(f) => Arc::clone(f) as Arc<dyn Format>,
            Chosen::Structured(f) => Arc::clone(f),
        };
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
                    "standard error".to_owned(),
                ),
                StreamArg::Stdout => (
                    Handler::new(StreamHandler::stdout()),
                    "standard output".to_owned(),
                ),
            },
        };
        let hook_state = Arc::clone(&state);
        let hook_target = target.clone();
        let policy = ErrorPolicy::hook(move |e| {
            hook_state.note(e.error, || {
                format!("cannot write to {hook_target}: {}", e.error)
            });
        });
        let handler = Arc::new(handler.with_formatter(formatter).with_error_policy(policy));
        let guard = basic_config()
            .handlers(vec![Arc::clone(&handler)])
            .level(threshold)
            .force(true)
            .init()
            .map_err(|e| CliError::Usage(e.to_string()))?;
        Ok(Output {
            route: Route::Basic {
                handler,
                formatter: PyFormatter::new(chosen),
                target,
            },
            threshold,
            state,
            guard: Some(guard),
        })
    }

    /// Logs one record. With `basicConfig`, the root's handler formats it
    /// as Python would (or says why Python could not) and its sink writes
    /// it. With `--config`, it goes to its logger (the root for a record
    /// without a name), which drops it below its effective level and
    /// passes it to the handlers up the tree. `Ok(false)`: dropped, below
    /// the threshold or the logger's level. A record whose level is
    /// unknown passes every level gate but the handlers'.
    pub fn write(&mut self, record: &PyRecord) -> Result<bool, RecordError> {
        let level = record.known_level();
        if level.is_some_and(|l| l < self.threshold) {
            return Ok(false);
        }
        match &mut self.route {
            Route::Basic {
                handler,
                formatter,
                target,
            } => {
                let sink = handler.sink();
                if let Err(e) = formatter.format(record, |r, line| sink.emit(r, line))? {
                    self.state
                        .note(&e, || format!("cannot write to {target}: {e}"));
                }
                Ok(true)
            }
            Route::Configured => {
                let logger = lumber::get_logger(record.str_attr("name").unwrap_or(""));
                if level.is_some_and(|l| !logger.is_enabled_for(l)) {
                    return Ok(false);
                }
                convert::with_record(record, false, |r| logger.handle(r))?;
                Ok(true)
            }
        }
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
            Some(e) => Err(Stop::Failed(e.clone())),
            None => Ok(()),
        }
    }

    /// Flushes and closes the handlers; then reports how writing went.
    pub fn finish(mut self) -> Result<(), Stop> {
        match &self.route {
            Route::Basic { handler, .. } => handler.flush(),
            Route::Configured => lumber::flush(),
        }
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
