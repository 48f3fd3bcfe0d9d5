//! Finding the configuration ([`init`]) and reloading it when its file
//! changes ([`watch`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
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
/// The `tracing` bridge becomes the global default subscriber (if none is
/// set yet). A program that builds its own subscriber from several layers
/// calls `Config::discover()?.apply()?` instead and adds
/// `lumber::bridge::tracing::LumberLayer` to it.
///
/// ```no_run
/// fn main() -> Result<(), lumber::ConfigError> {
///     let _guard = lumber::init()?;
///     lumber::info!("started");
///     Ok(())
/// }
/// ```
pub fn init() -> Result<InitGuard, ConfigError> {
    Config::discover()?.apply()?;
    // `apply` made lumber the `log` facade's backend; `tracing` events
    // come in too, unless the program set its own subscriber.
    #[cfg(feature = "tracing")]
    let _ = crate::bridge::tracing::init();
    crate::install_panic_hook();
    Ok(InitGuard::new())
}

/// What the watcher last read and what came of it.
struct Seen {
    /// The file's content (`None`: it could not be read).
    content: Option<Vec<u8>>,
    /// Why applying it failed, if it did.
    error: Option<String>,
}

struct State {
    path: PathBuf,
    seen: Mutex<Option<Seen>>,
    errors: Mutex<Option<ConfigError>>,
    outcomes: Mutex<u64>,
    outcome: Condvar,
    stop: AtomicBool,
}

/// Watches a configuration file and applies it again when its content
/// changes ([`watch`]). A new configuration with problems is reported (on
/// stderr and as a WARNING on the `lumber.config` logger) and the running
/// one stays; a file that failed to apply is tried again on every check
/// (a log directory may appear, a socket come up), and its failure is
/// reported again only if it changes. Dropping the watcher stops it.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("lumber-doc-watcher-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("lumber.yaml");
/// std::fs::write(&path, "disable_existing_loggers: false\n").unwrap();
/// let watcher: lumber::config::Watcher = lumber::config::watch(&path, std::time::Duration::from_secs(2)).unwrap();
/// drop(watcher); // stops the thread
/// ```
pub struct Watcher {
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

/// The shortest interval between two checks of the file.
const MIN_EVERY: Duration = Duration::from_millis(50);

/// Applies `path` now and watches it: every `every` (at least 50 ms) a
/// background thread compares the file's content with what was applied
/// last, and [`Watcher::poll`] does the same at once. Environment
/// overrides apply on every load.
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
/// assert!(watcher.poll().is_none()); // nothing new since
/// ```
pub fn watch(path: impl AsRef<Path>, every: Duration) -> Result<Watcher, ConfigError> {
    let path = path.as_ref().to_path_buf();
    let state = Arc::new(State {
        path,
        seen: Mutex::new(None),
        errors: Mutex::new(None),
        outcomes: Mutex::new(0),
        outcome: Condvar::new(),
        stop: AtomicBool::new(false),
    });
    if let Some(Err(e)) = reload(&state, false) {
        return Err(e);
    }
    let every = every.max(MIN_EVERY);
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

/// Reads the file and applies it, unless it is what was applied last.
/// `None` if there is nothing new: the same content applied, or the same
/// failure again.
fn reload(state: &State, report: bool) -> Option<Result<(), ConfigError>> {
    let (result, repeated) = {
        // Read, compare and apply as one step: an older read can never be
        // applied over a newer one.
        let _one_at_a_time = super::apply::lock();
        let content = std::fs::read(&state.path).ok();
        let mut seen = state.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = &*seen
            && s.content == content
            && s.error.is_none()
        {
            return None;
        }
        let result = load(&state.path, content.as_deref())
            .and_then(Config::with_env)
            .and_then(|c| c.apply_locked());
        let error = result.as_ref().err().map(ToString::to_string);
        let repeated = seen
            .as_ref()
            .is_some_and(|s| s.content == content && s.error.is_some() && s.error == error);
        *seen = Some(Seen { content, error });
        (result, repeated)
    };
    *state.errors.lock().unwrap_or_else(PoisonError::into_inner) = result.as_ref().err().cloned();
    *state
        .outcomes
        .lock()
        .unwrap_or_else(PoisonError::into_inner) += 1;
    state.outcome.notify_all();
    if repeated {
        return None;
    }
    // Reported with no lock held: a handler may well ask the watcher.
    if report && let Err(e) = &result {
        eprintln!("lumber: not reloading {}: {e}", state.path.display());
        crate::logger::get_logger("lumber.config")
            .warning(format_args!("not reloading {}: {e}", state.path.display()));
    }
    Some(result)
}

/// The configuration in `content`, read from `path`.
fn load(path: &Path, content: Option<&[u8]>) -> Result<Config, ConfigError> {
    let (Some(bytes), Some(format)) = (content, FileFormat::from_path(path)) else {
        // Not there (or not a configuration file): say why.
        return Config::from_path(path);
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ConfigError::new("", "not UTF-8 text").in_file(path))?;
    Config::from_str(text, format, Some(path))
}

impl Watcher {
    /// Checks the file now: `None` if there is nothing new (the content
    /// applied last, or the same failure again), else the outcome of
    /// applying it (on error the running configuration stays). The
    /// background thread does the same on its own.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-poll-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("lumber.json");
    /// std::fs::write(&path, r#"{"disable_existing_loggers": false, "loggers": {"doc.poll": {"level": "INFO"}}}"#).unwrap();
    /// let watcher = lumber::config::watch(&path, std::time::Duration::from_secs(3600)).unwrap();
    /// assert!(watcher.poll().is_none()); // unchanged since watch() applied it
    /// std::fs::write(&path, r#"{"disable_existing_loggers": false, "loggers": {"doc.poll": {"level": "ERROR"}}}"#).unwrap();
    /// assert!(watcher.poll().unwrap().is_ok());
    /// assert_eq!(lumber::get_logger("doc.poll").level(), lumber::Level::ERROR);
    /// ```
    pub fn poll(&self) -> Option<Result<(), ConfigError>> {
        reload(&self.state, true)
    }

    /// The problems of the last configuration that could not be applied,
    /// if the file still has them.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-last_error-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("lumber.json");
    /// std::fs::write(&path, r#"{"disable_existing_loggers": false, "loggers": {"doc.last_error": {"level": "INFO"}}}"#).unwrap();
    /// let watcher = lumber::config::watch(&path, std::time::Duration::from_secs(3600)).unwrap();
    /// std::fs::write(&path, r#"{"root": {"level": "LOUD"}}"#).unwrap();
    /// let _ = watcher.poll();
    /// assert!(watcher.last_error().unwrap().to_string().contains("root.level"));
    /// ```
    pub fn last_error(&self) -> Option<ConfigError> {
        self.state
            .errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many times a changed (or failing) file was applied or tried, by
    /// [`Watcher::poll`] or the background thread, since [`watch`].
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-outcomes-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("lumber.json");
    /// std::fs::write(&path, r#"{"disable_existing_loggers": false, "loggers": {"doc.outcomes": {"level": "INFO"}}}"#).unwrap();
    /// let watcher = lumber::config::watch(&path, std::time::Duration::from_secs(3600)).unwrap();
    /// assert_eq!(watcher.outcomes(), 1); // the first apply
    /// ```
    pub fn outcomes(&self) -> u64 {
        *self
            .state
            .outcomes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until [`Watcher::outcomes`] reaches `n` or `timeout` passes;
    /// true if it did. For programs (and tests) that change the file and
    /// want to know the background thread picked it up.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-wait_for_outcomes-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("lumber.json");
    /// std::fs::write(&path, r#"{"disable_existing_loggers": false, "loggers": {"doc.wait_for_outcomes": {"level": "INFO"}}}"#).unwrap();
    /// let watcher = lumber::config::watch(&path, std::time::Duration::from_secs(3600)).unwrap();
    /// assert!(watcher.wait_for_outcomes(1, std::time::Duration::ZERO)); // already there
    /// ```
    pub fn wait_for_outcomes(&self, n: u64, timeout: Duration) -> bool {
        let count = self
            .state
            .outcomes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (count, _) = self
            .state
            .outcome
            .wait_timeout_while(count, timeout, |c| *c < n)
            .unwrap_or_else(PoisonError::into_inner);
        *count >= n
    }

    /// The file watched.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-path-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("lumber.json");
    /// std::fs::write(&path, r#"{"disable_existing_loggers": false, "loggers": {"doc.path": {"level": "INFO"}}}"#).unwrap();
    /// let watcher = lumber::config::watch(&path, std::time::Duration::from_secs(3600)).unwrap();
    /// assert_eq!(watcher.path(), path);
    /// ```
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
