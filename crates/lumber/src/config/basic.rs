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
///
/// ```
/// use lumber::{basic_config, root, Sink, Stream};
/// assert_eq!(Stream::default(), Stream::Stderr);
/// let _guard = basic_config().init().unwrap();
/// assert_eq!(root().handlers()[0].sink().target(), "<stderr>");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stream {
    /// Standard error (Python's default).
    #[default]
    Stderr,
    /// Standard output.
    Stdout,
}

/// Options of [`basic_config`], Python's `basicConfig(**kwargs)`.
///
/// ```
/// let config: lumber::BasicConfig = lumber::basic_config().level(lumber::Level::INFO);
/// let _guard = config.init().unwrap(); // nothing happens before init()
/// assert_eq!(lumber::root().level(), lumber::Level::INFO);
/// ```
#[derive(Debug, Default)]
#[must_use = "call .init() to apply the configuration"]
pub struct BasicConfig {
    level: Option<Level>,
    format: Option<String>,
    datefmt: Option<String>,
    style: Style,
    filename: Option<PathBuf>,
    filemode: Option<String>,
    stream: Option<Stream>,
    handlers: Option<Vec<Arc<Handler>>>,
    force: bool,
    encoding: Option<String>,
    utc: bool,
    skip_log_bridge: bool,
    panic_hook: bool,
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
    ///
    /// ```
    /// let _guard = lumber::basic_config().level(lumber::Level::DEBUG).init().unwrap();
    /// assert_eq!(lumber::root().level(), lumber::Level::DEBUG);
    /// assert!(lumber::get_logger("doc.basic_level").is_enabled_for(lumber::Level::DEBUG));
    /// ```
    pub fn level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }

    /// The format (default: Python's for the style,
    /// `%(levelname)s:%(name)s:%(message)s`).
    ///
    /// ```
    /// # use lumber::{basic_config, root, Format, Level, Message, Record, Timestamp};
    /// let _guard = basic_config().format("%(name)s - %(message)s").init().unwrap();
    /// let mut out = String::new();
    /// root().handlers()[0].formatter().format(&Record::new("app", Level::INFO, Message::Str("hi")), &mut out);
    /// assert_eq!(out, "app - hi");
    /// ```
    pub fn format(mut self, format: &str) -> Self {
        self.format = Some(format.to_owned());
        self
    }

    /// `asctime`'s strftime format.
    ///
    /// ```
    /// # use lumber::{basic_config, root, Format, Level, Message, Record, Timestamp};
    /// let _guard = basic_config().format("%(asctime)s").datefmt("%d/%m/%Y").utc(true).init().unwrap();
    /// let r = Record::new("x", Level::INFO, Message::Str("")).with_time(Timestamp::new(0, 0));
    /// let mut out = String::new();
    /// root().handlers()[0].formatter().format(&r, &mut out);
    /// assert_eq!(out, "01/01/1970");
    /// ```
    pub fn datefmt(mut self, datefmt: &str) -> Self {
        self.datefmt = Some(datefmt.to_owned());
        self
    }

    /// The format's style.
    ///
    /// ```
    /// # use lumber::{basic_config, root, Format, Level, Message, Record, Timestamp};
    /// let _guard = basic_config().style(lumber::Style::Brace).format("{levelname}|{message}").init().unwrap();
    /// let mut out = String::new();
    /// root().handlers()[0].formatter().format(&Record::new("app", Level::INFO, Message::Str("hi")), &mut out);
    /// assert_eq!(out, "INFO|hi");
    /// ```
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// Log to this file instead of a stream.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-basic-file-{}", std::process::id()));
    /// let path = dir.join("app.log");
    /// let guard = lumber::basic_config().filename(&path).filemode("w").init().unwrap();
    /// lumber::get_logger("doc.basic_file").warning("to the file");
    /// drop(guard); // flushes and closes
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), "WARNING:doc.basic_file:to the file\n");
    /// ```
    pub fn filename(mut self, path: impl Into<PathBuf>) -> Self {
        self.filename = Some(path.into());
        self
    }

    /// Python's `filemode`: `"a"` appends (default), `"w"` truncates (a
    /// trailing `+` or `b` is accepted and ignored; anything else is an
    /// error from [`BasicConfig::init`]).
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-filemode-{}.log", std::process::id()));
    /// std::fs::write(&path, "old run\n").unwrap();
    /// let guard = lumber::basic_config().filename(&path).filemode("w").init().unwrap();
    /// lumber::root().warning("new run");
    /// drop(guard);
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), "WARNING:root:new run\n");
    /// ```
    pub fn filemode(mut self, mode: &str) -> Self {
        self.filemode = Some(mode.to_owned());
        self
    }

    /// Log to stdout or stderr (default stderr).
    ///
    /// ```
    /// use lumber::{basic_config, root, Sink, Stream};
    /// let _guard = basic_config().stream(Stream::Stdout).init().unwrap();
    /// assert_eq!(root().handlers()[0].sink().target(), "<stdout>");
    /// ```
    pub fn stream(mut self, stream: Stream) -> Self {
        self.stream = Some(stream);
        self
    }

    /// Use these handlers; those without a formatter of their own get the
    /// configured one.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    /// # let sink = { let l = lines.clone(); lumber::from_fn(move |_, line| l.lock().unwrap().push(line.to_owned())) };
    /// let handler = Arc::new(lumber::Handler::new(sink)); // no formatter of its own
    /// let _guard = lumber::basic_config().handlers(vec![handler]).init().unwrap();
    /// lumber::root().error("boom");
    /// assert_eq!(*lines.lock().unwrap(), ["ERROR:root:boom"]); // got the configured format
    /// ```
    pub fn handlers(mut self, handlers: Vec<Arc<Handler>>) -> Self {
        self.handlers = Some(handlers);
        self
    }

    /// Remove and close the root's handlers first.
    ///
    /// ```
    /// use lumber::{basic_config, root, Level};
    /// let _first = basic_config().init().unwrap();
    /// let _ignored = basic_config().level(Level::DEBUG).init().unwrap(); // root has a handler already
    /// assert_eq!(root().level(), Level::WARNING);
    /// let _forced = basic_config().level(Level::DEBUG).force(true).init().unwrap();
    /// assert_eq!((root().level(), root().handlers().len()), (Level::DEBUG, 1));
    /// ```
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Only UTF-8 is supported (lumber writes UTF-8); anything else is an
    /// error from [`BasicConfig::init`].
    ///
    /// ```
    /// assert!(lumber::basic_config().encoding("latin-1").init().is_err());
    /// let _guard = lumber::basic_config().encoding("UTF-8").init().unwrap();
    /// ```
    pub fn encoding(mut self, encoding: &str) -> Self {
        self.encoding = Some(encoding.to_owned());
        self
    }

    /// Show `asctime` in UTC.
    ///
    /// ```
    /// # use lumber::{basic_config, root, Format, Level, Message, Record, Timestamp};
    /// let _guard = basic_config().format("%(asctime)s").utc(true).init().unwrap();
    /// let r = Record::new("x", Level::INFO, Message::Str("")).with_time(Timestamp::new(0, 0));
    /// let mut out = String::new();
    /// root().handlers()[0].formatter().format(&r, &mut out);
    /// assert_eq!(out, "1970-01-01 00:00:00,000");
    /// ```
    pub fn utc(mut self, utc: bool) -> Self {
        self.utc = utc;
        self
    }

    /// Whether to make lumber the backend of the `log` facade (default
    /// true, with the `log` feature): every crate that logs through `log`
    /// then lands in lumber's hierarchy. If another `log` backend was set
    /// first, it stays and this is skipped silently.
    ///
    /// ```
    /// let _guard = lumber::basic_config().log_bridge(false).init().unwrap();
    /// ```
    pub fn log_bridge(mut self, install: bool) -> Self {
        self.skip_log_bridge = !install;
        self
    }

    /// Also install lumber's panic hook (default false): see
    /// [`install_panic_hook`](crate::install_panic_hook).
    ///
    /// ```
    /// let _guard = lumber::basic_config().panic_hook(true).init().unwrap();
    /// ```
    pub fn panic_hook(mut self, install: bool) -> Self {
        self.panic_hook = install;
        self
    }

    /// Applies it. Every problem is reported at once; on error nothing is
    /// changed.
    ///
    /// ```
    /// use lumber::{basic_config, root, Level};
    /// let err = basic_config().level(Level::DEBUG).format("%(message)").init();
    /// assert_eq!(err.unwrap_err().problems().next().unwrap().0, "format");
    /// assert_eq!((root().level(), root().handlers().len()), (Level::WARNING, 0)); // unchanged
    /// let _guard = basic_config().level(Level::DEBUG).init().unwrap();
    /// assert_eq!((root().level(), root().handlers().len()), (Level::DEBUG, 1));
    /// ```
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
        let truncate = match self
            .filemode
            .as_deref()
            .map(|m| m.trim_end_matches(['+', 'b']))
        {
            None | Some("a") => false,
            Some("w") => true,
            Some(_) => {
                let mode = self.filemode.as_deref().unwrap_or_default();
                problems.push(
                    "filemode",
                    format!("expected \"a\" (append) or \"w\" (truncate), got {mode:?}"),
                );
                false
            }
        };
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
        #[cfg(feature = "log")]
        if !self.skip_log_bridge {
            let _ = crate::bridge::log::init();
        }
        if self.panic_hook {
            crate::install_panic_hook();
        }

        // Python: with handlers on the root and no `force`, nothing happens.
        let root = root();
        if !self.force && !root.handlers().is_empty() {
            return Ok(InitGuard::new());
        }
        // Open everything before touching the root, so a failure changes
        // nothing.
        let handlers = match self.handlers {
            Some(h) => h,
            None => {
                let handler = match &self.filename {
                    Some(path) => FileHandler::options(path)
                        .truncate(truncate)
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
        if self.force {
            for h in root.clear_handlers() {
                h.close();
            }
        }
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
