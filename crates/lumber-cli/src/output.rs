//! Python's `basicConfig` for both commands: one handler on the root (a
//! standard stream or a file) with the `--format`, and the errors that
//! decide the exit status.

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use lumber::{
    ErrorPolicy, FileHandler, Format, Formatter, Handler, InitGuard, Level, StreamHandler, Style,
    basic_config, root,
};

use crate::cli::{Setup, StreamArg};
use crate::plan::{FieldRef, Plan};
use crate::record::{COMPUTED, NATIVE, PyRecord, RecordError};

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

/// The compiled format for one set of redirected attributes.
struct Layout {
    format: Arc<dyn Format>,
    /// The references the CLI formats itself.
    wanted: Vec<FieldRef>,
}

/// The configured root handler and the formats it needs.
pub struct Output {
    handler: Arc<Handler>,
    plan: Plan,
    style: Style,
    datefmt: Option<String>,
    utc: bool,
    /// Bits of the `NATIVE` attributes the format refers to.
    referenced: u32,
    /// Whether the format shows `asctime`.
    uses_time: bool,
    layouts: HashMap<u32, Layout>,
    current: Option<u32>,
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
        let style = setup.style;
        let pattern = setup
            .format
            .clone()
            .unwrap_or_else(|| default_format(style).to_owned());
        Formatter::with_style(&pattern, style)
            .map_err(|e| CliError::Usage(format!("--format: {e}")))?;
        let state = Arc::new(WriteState::default());
        let hook_state = Arc::clone(&state);
        let policy = ErrorPolicy::hook(move |e| {
            if e.error.kind() == io::ErrorKind::BrokenPipe {
                hook_state.broken_pipe.store(true, Ordering::Relaxed);
            } else {
                let mut slot = hook_state
                    .error
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                slot.get_or_insert_with(|| e.error.to_string());
            }
        });
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
        let handler = Arc::new(handler.with_error_policy(policy));
        let threshold = setup.threshold.unwrap_or(Level::NOTSET);
        let guard = basic_config()
            .handlers(vec![Arc::clone(&handler)])
            .level(threshold)
            .force(true)
            .init()
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let plan = Plan::parse(&pattern, style);
        let referenced = plan
            .refs()
            .filter_map(|r| NATIVE.iter().position(|n| *n == r.name))
            .fold(0, |m, i| m | (1 << i));
        let uses_time = plan.refs().any(|r| r.name == "asctime");
        let mut output = Output {
            handler,
            plan,
            style,
            datefmt: setup.datefmt.clone(),
            utc: setup.utc,
            referenced,
            uses_time,
            layouts: HashMap::new(),
            current: None,
            threshold,
            state,
            target,
            guard: Some(guard),
        };
        output
            .select(0)
            .map_err(|e| CliError::Usage(format!("--format: {e}")))?;
        Ok(output)
    }

    /// Makes the layout for `mask` current on the handler.
    fn select(&mut self, mask: u32) -> Result<&Layout, String> {
        if !self.layouts.contains_key(&mask) {
            let layout = self.compile(mask)?;
            self.layouts.insert(mask, layout);
        }
        let layout = self.layouts.get(&mask).ok_or("no layout")?;
        if self.current != Some(mask) {
            self.handler.set_formatter(Arc::clone(&layout.format));
            self.current = Some(mask);
        }
        Ok(layout)
    }

    fn compile(&self, mask: u32) -> Result<Layout, String> {
        let redirect = |name: &str| {
            if COMPUTED.contains(&name) {
                return false;
            }
            match NATIVE.iter().position(|n| *n == name) {
                Some(i) => mask & (1 << i) != 0,
                None => true,
            }
        };
        let wanted: Vec<FieldRef> = self
            .plan
            .refs()
            .filter(|r| redirect(&r.name))
            .cloned()
            .collect();
        let pattern = self.plan.render(redirect);
        let mut formatter = Formatter::with_style(&pattern, self.style)
            .map_err(|e| e.to_string())?
            .utc(self.utc);
        if let Some(datefmt) = &self.datefmt {
            formatter = formatter.datefmt(datefmt);
        }
        Ok(Layout {
            format: Arc::new(formatter),
            wanted,
        })
    }

    /// Logs one record through the root logger. `Ok(false)`: below the
    /// threshold. A record whose level is unknown always passes.
    pub fn write(&mut self, record: &PyRecord) -> Result<bool, RecordError> {
        if record.known_level().is_some_and(|l| l < self.threshold) {
            return Ok(false);
        }
        let mask = record.foreign_mask() & self.referenced;
        let uses_time = self.uses_time;
        let layout = self.select(mask).map_err(RecordError::Format)?;
        let parts = record.prepare(&layout.wanted, uses_time)?;
        parts.with_record(|r| root().handle(r));
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
