//! Finding the configuration ([`init`]) and reloading it when its file
//! changes ([`watch`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Config, ConfigError, FileFormat};
use crate::shutdown::InitGuard;

/// The file names [`Config::discover`] looks for, in order.
const CANDIDATES: &[&str] = &[
    "lumber.toml",
    "lumber.yaml",
    "lumber.yml",
    "lumber.json",
    "lumber.ini",
];

/// The configuration used when there is no file: colored console output
/// on stderr, INFO and above.
const DEFAULT: &str = r#"{
  "version": 1,
  "disable_existing_loggers": false,
  "formatters": {"console": {"class": "ConsoleFormatter"}},
  "handlers": {"console": {"class": "StreamHandler", "formatter": "console"}},
  "root": {"level": "INFO", "handlers": ["console"]}
}"#;

impl Config {
    /// The configuration a program should run with: the file named by
    /// `LUMBER_CONFIG`, else the first of `lumber.toml`, `lumber.yaml`,
    /// `lumber.yml`, `lumber.json`, `lumber.ini` in the working directory,
    /// else [`Config::console`]; then the environment overrides
    /// ([`Config::with_env`]).
    ///
    /// ```
    /// # if std::env::var_os("LUMBER_CONFIG").is_none() && !std::path::Path::new("lumber.toml").exists() {
    /// let config = lumber::config::Config::discover().unwrap();
    /// assert!(config.check().is_ok());
    /// # }
    /// ```
    pub fn discover() -> Result<Config, ConfigError> {
        Config::discover_in(
            Path::new("."),
            std::env::var_os("LUMBER_CONFIG").map(PathBuf::from),
        )?
        .with_env()
    }

    fn discover_in(dir: &Path, named: Option<PathBuf>) -> Result<Config, ConfigError> {
        if let Some(path) = named.filter(|p| !p.as_os_str().is_empty()) {
            return Config::from_path(path);
        }
        for name in CANDIDATES {
            let path = dir.join(name);
            if path.is_file() {
                return Config::from_path(path.strip_prefix("./").unwrap_or(&path));
            }
        }
        Ok(Config::console())
    }

    /// The default configuration: a [`crate::ConsoleFormatter`] on stderr
    /// (colored on a terminal), root level INFO, existing loggers left
    /// enabled.
    ///
    /// ```
    /// let tree = lumber::config::Config::console().tree().unwrap();
    /// assert_eq!(tree.get("root").unwrap().get("level").unwrap().as_str(), Some("INFO"));
    /// ```
    pub fn console() -> Config {
        match FileFormat::Json.parse(DEFAULT) {
            Ok(node) => Config::from_node(node),
            Err(_) => Config::from_node(super::Node::map()),
        }
    }
}

/// Sets logging up from the environment: [`Config::discover`], applied,
/// with the `log` and `tracing` bridges (features `log`, `tracing`) and
/// the panic hook installed (a panic is logged as CRITICAL with its
/// backtrace, and everything is flushed). Keep the guard until the end of
/// `main`.
///
/// ```no_run
/// fn main() -> Result<(), lumber::ConfigError> {
///     let _guard = lumber::init()?;
///     lumber::info!("started");
///     Ok(())
/// }
/// ```
pub fn init() -> Result<InitGuard, ConfigError> {
    let guard = Config::discover()?.apply()?;
    // `apply` made lumber the `log` facade's backend; `tracing` events
    // come in too, unless the program set its own subscriber.
    #[cfg(feature = "tracing")]
    let _ = crate::bridge::tracing::init();
    crate::install_panic_hook();
    Ok(guard)
}

struct State {
    path: PathBuf,
    last: Mutex<Option<Vec<u8>>>,
    errors: Mutex<Option<ConfigError>>,
    stop: AtomicBool,
}

/// Watches a configuration file and applies it again when its content
/// changes ([`watch`]). A new configuration with problems is reported (on
/// stderr and as a WARNING on the `lumber.config` logger) and the running
/// one stays. Dropping the watcher stops it.
pub struct Watcher {
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

/// Applies `path` now and watches it: every `every` (a background thread
/// compares the file's content with what was applied last), or when
/// [`Watcher::poll`] is called. Environment overrides apply on every
/// load.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("lumber-doc-watch-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// use lumber::{get_logger, Level};
/// let path = dir.join("lumber.toml");
/// std::fs::write(&path, "disable_existing_loggers = false\n[loggers.'doc.watch']\nlevel = 'INFO'\n").unwrap();
/// let watcher = lumber::config::watch(&path, std::time::Duration::from_secs(3600)).unwrap();
/// assert_eq!(get_logger("doc.watch").level(), Level::INFO);
///
/// std::fs::write(&path, "disable_existing_loggers = false\n[loggers.'doc.watch']\nlevel = 'DEBUG'\n").unwrap();
/// assert!(watcher.poll().unwrap().is_ok());
/// assert_eq!(get_logger("doc.watch").level(), Level::DEBUG);
///
/// std::fs::write(&path, "[loggers.'doc.watch']\nlevel = 'LOUD'\n").unwrap();
/// assert!(watcher.poll().unwrap().is_err()); // reported; the old one stays
/// assert_eq!(get_logger("doc.watch").level(), Level::DEBUG);
/// assert!(watcher.poll().is_none()); // nothing changed since
/// ```
pub fn watch(path: impl AsRef<Path>, every: Duration) -> Result<Watcher, ConfigError> {
    let path = path.as_ref().to_path_buf();
    let state = Arc::new(State {
        path,
        last: Mutex::new(None),
        errors: Mutex::new(None),
        stop: AtomicBool::new(false),
    });
    if let Some(Err(e)) = reload(&state, false) {
        return Err(e);
    }
    let s = Arc::clone(&state);
    let thread = std::thread::Builder::new()
        .name("lumber-config-watch".into())
        .spawn(move || {
            while !s.stop.load(Ordering::Acquire) {
                std::thread::park_timeout(every);
                if s.stop.load(Ordering::Acquire) {
                    break;
                }
                let _ = reload(&s, true);
            }
        })
        .ok();
    Ok(Watcher { state, thread })
}

/// Reads the file; if its content differs from the last one seen, applies
/// it. `None` if nothing changed.
fn reload(state: &State, report: bool) -> Option<Result<(), ConfigError>> {
    let content = std::fs::read(&state.path).ok();
    {
        let mut last = state.last.lock().unwrap_or_else(PoisonError::into_inner);
        if last.is_some() && *last == content {
            return None;
        }
        last.clone_from(&content);
    }
    let result = Config::from_path(&state.path)
        .and_then(Config::with_env)
        .and_then(|c| c.apply().map(std::mem::forget));
    let mut errors = state.errors.lock().unwrap_or_else(PoisonError::into_inner);
    match &result {
        Ok(()) => *errors = None,
        Err(e) => {
            if report {
                eprintln!("lumber: not reloading {}: {e}", state.path.display());
                crate::logger::get_logger("lumber.config")
                    .warning(format_args!("not reloading {}: {e}", state.path.display()));
            }
            *errors = Some(e.clone());
        }
    }
    Some(result)
}

impl Watcher {
    /// Checks the file now: `None` if its content is unchanged, else the
    /// outcome of applying it (on error the running configuration stays).
    /// The background thread does the same on its own.
    pub fn poll(&self) -> Option<Result<(), ConfigError>> {
        reload(&self.state, true)
    }

    /// The problems of the last configuration that could not be applied,
    /// if the file still has them.
    pub fn last_error(&self) -> Option<ConfigError> {
        self.state
            .errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The file watched.
    pub fn path(&self) -> &Path {
        &self.state.path
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_order() {
        let dir = std::env::temp_dir().join(format!("lumber-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // Nothing: the console default.
        let c = Config::discover_in(&dir, None).unwrap();
        assert!(c.file().is_none());
        std::fs::write(dir.join("lumber.json"), "{}").unwrap();
        std::fs::write(dir.join("lumber.yaml"), "{}").unwrap();
        let c = Config::discover_in(&dir, None).unwrap();
        assert_eq!(c.file().unwrap().file_name().unwrap(), "lumber.yaml");
        // LUMBER_CONFIG wins, and a missing one is an error naming it.
        let e = Config::discover_in(&dir, Some(dir.join("nope.toml"))).unwrap_err();
        assert!(e.to_string().contains("nope.toml"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
