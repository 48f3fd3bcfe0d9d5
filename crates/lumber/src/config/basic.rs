//! Python's `logging.basicConfig`.

use std::path::PathBuf;
use std::sync::Arc;

use super::ConfigError;
use crate::format::{Formatter, Style};
use crate::handler::{FileHandler, Handler, StreamHandler};
use crate::level::Level;
use crate::logger::root;
use crate::shutdown::InitGuard;

/// Which standard stream a console handler writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stream {
    /// Standard error (Python's default).
    #[default]
    Stderr,
    /// Standard output.
    Stdout,
}

/// Options of [`basic_config`], Python's `basicConfig(**kwargs)`.
#[derive(Debug, Default)]
#[must_use = "call .init() to apply the configuration"]
pub struct BasicConfig {
    level: Option<Level>,
    format: Option<String>,
    datefmt: Option<String>,
    style: Style,
    filename: Option<PathBuf>,
    truncate: bool,
    stream: Option<Stream>,
    handlers: Option<Vec<Arc<Handler>>>,
    force: bool,
    encoding: Option<String>,
    utc: bool,
}

/// Starts a `basicConfig`: one handler on the root (stderr, a stream or a
/// file) with a formatter, and the root's level — unless the root already
/// has handlers, in which case nothing changes (pass `force(true)` to
/// replace them), exactly as in Python.
///
/// ```
/// use lumber::{basic_config, Level, Stream, Style};
/// let _guard = basic_config()
///     .level(Level::DEBUG)
///     .format("{asctime} {levelname:<8} {name}: {message}")
///     .style(Style::Brace)
///     .datefmt("%H:%M:%S")
///     .stream(Stream::Stdout)
///     .force(true)
///     .init()
///     .unwrap();
/// assert_eq!(lumber::root().level(), Level::DEBUG);
/// ```
pub fn basic_config() -> BasicConfig {
    BasicConfig::default()
}

impl BasicConfig {
    /// The root logger's level.
    pub fn level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }

    /// The format (default: Python's for the style,
    /// `%(levelname)s:%(name)s:%(message)s`).
    pub fn format(mut self, format: &str) -> Self {
        self.format = Some(format.to_owned());
        self
    }

    /// `asctime`'s strftime format.
    pub fn datefmt(mut self, datefmt: &str) -> Self {
        self.datefmt = Some(datefmt.to_owned());
        self
    }

    /// The format's style.
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// Log to this file instead of a stream.
    pub fn filename(mut self, path: impl Into<PathBuf>) -> Self {
        self.filename = Some(path.into());
        self
    }

    /// Python's `filemode`: `"a"` appends (default), `"w"` truncates.
    pub fn filemode(mut self, mode: &str) -> Self {
        self.truncate = mode.starts_with('w');
        self
    }

    /// Log to stdout or stderr (default stderr).
    pub fn stream(mut self, stream: Stream) -> Self {
        self.stream = Some(stream);
        self
    }

    /// Use these handlers; those without a formatter of their own get the
    /// configured one.
    pub fn handlers(mut self, handlers: Vec<Arc<Handler>>) -> Self {
        self.handlers = Some(handlers);
        self
    }

    /// Remove and close the root's handlers first.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Only UTF-8 is supported (lumber writes UTF-8); anything else is an
    /// error from [`BasicConfig::init`].
    pub fn encoding(mut self, encoding: &str) -> Self {
        self.encoding = Some(encoding.to_owned());
        self
    }

    /// Show `asctime` in UTC.
    pub fn utc(mut self, utc: bool) -> Self {
        self.utc = utc;
        self
    }

    /// Applies it. Every problem is reported at once; on error nothing is
    /// changed.
    pub fn init(self) -> Result<InitGuard, ConfigError> {
        crate::record::mark_start();
        let mut problems = ConfigError::default();
        if self.handlers.is_some() && (self.stream.is_some() || self.filename.is_some()) {
            problems.push(
                "handlers",
                "'stream' or 'filename' should not be specified together with 'handlers'",
            );
        }
        if self.stream.is_some() && self.filename.is_some() {
            problems.push(
                "stream",
                "'stream' and 'filename' should not be specified together",
            );
        }
        if let Some(enc) = &self.encoding {
            let e = enc.to_ascii_lowercase().replace(['-', '_'], "");
            if e != "utf8" {
                problems.push("encoding", format!("only UTF-8 is supported, got {enc:?}"));
            }
        }
        let default_format = match self.style {
            Style::Percent => "%(levelname)s:%(name)s:%(message)s",
            Style::Brace => "{levelname}:{name}:{message}",
            Style::Dollar => "${levelname}:${name}:${message}",
        };
        let formatter = match Formatter::with_style(
            self.format.as_deref().unwrap_or(default_format),
            self.style,
        ) {
            Ok(f) => {
                let f = f.utc(self.utc);
                Some(match &self.datefmt {
                    Some(d) => f.datefmt(d),
                    None => f,
                })
            }
            Err(e) => {
                problems.push("format", e.to_string());
                None
            }
        };
        problems.clone().into_result()?;

        let root = root();
        if self.force {
            for h in root.clear_handlers() {
                h.close();
            }
        }
        if !root.handlers().is_empty() {
            return Ok(InitGuard::new());
        }
        let handlers = match self.handlers {
            Some(h) => h,
            None => {
                let handler = match &self.filename {
                    Some(path) => FileHandler::options(path)
                        .truncate(self.truncate)
                        .open()
                        .map(Handler::new)
                        .map_err(|e| {
                            ConfigError::new(
                                "filename",
                                format!("cannot open {}: {e}", path.display()),
                            )
                        })?,
                    None => match self.stream.unwrap_or_default() {
                        Stream::Stderr => Handler::new(StreamHandler::stderr()),
                        Stream::Stdout => Handler::new(StreamHandler::stdout()),
                    },
                };
                vec![Arc::new(handler)]
            }
        };
        if let Some(formatter) = formatter {
            let formatter: Arc<dyn crate::format::Format> = Arc::new(formatter);
            for h in &handlers {
                if !h.has_own_formatter() {
                    h.set_formatter(Arc::clone(&formatter));
                }
            }
        }
        for h in handlers {
            root.add_handler(h);
        }
        if let Some(level) = self.level {
            root.set_level(level);
        }
        Ok(InitGuard::new())
    }
}
