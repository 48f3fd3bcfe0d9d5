//! A configuration in Python's `dictConfig` schema: checked as a whole
//! (every problem at once), then built — formatters, filters, handlers,
//! loggers, in Python's order — and applied all or nothing.

use std::path::Path;
use std::sync::Arc;

use super::apply::{self, Plan};
use super::node::Node;
use super::{ConfigError, FileFormat};

/// A logging configuration read from a file, a string or a tree, in
/// Python's `dictConfig` schema: `version`, `formatters`, `filters`,
/// `handlers`, `loggers`, `root`, `incremental`,
/// `disable_existing_loggers`. An INI file in Python's `fileConfig`
/// format is read into the same schema.
///
/// Departures from Python, each deliberate: `version` may be left out (it
/// must be 1 when given); unknown keys are errors rather than ignored;
/// loggers accept `disabled` (and ignore `effective_level`, which `lumber
/// config tree --json` writes for people to read).
///
/// ```
/// use lumber::config::{Config, FileFormat};
/// let err = Config::from_str("
/// handlers:
///   file:
///     class: logging.handlers.RotatingFileHandler
///     filename: app.log
///     maxBytes: ten
/// root:
///   levle: INFO
///   handlers: [fiel]
/// ", FileFormat::Yaml, Some("lumber.yaml".as_ref())).unwrap().check().unwrap_err();
/// let text = err.to_string();
/// assert!(text.contains("lumber.yaml:6:15: handlers.file.max_bytes: expected a size like 10MB, got 'ten'"), "{text}");
/// assert!(text.contains("lumber.yaml:8:3: root.levle: unknown key; did you mean 'level'?"), "{text}");
/// assert!(text.contains("lumber.yaml:9:14: root.handlers: no handler named 'fiel'; did you mean 'file'?"), "{text}");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub(super) node: Node,
    pub(super) file: Option<Arc<Path>>,
    /// `(key path, variable)` of every environment override applied, so
    /// that a problem in an overridden value names the variable.
    pub(super) env: Vec<(String, String)>,
}

impl Config {
    /// Reads a file; the format comes from its extension (`.toml`,
    /// `.yaml`/`.yml`, `.json`, `.ini`/`.conf`/`.cfg`).
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("lumber-doc-from-path-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("lumber.json");
    /// std::fs::write(&path, r#"{"version": 1, "root": {"level": "INFO"}}"#).unwrap();
    /// let config = lumber::config::Config::from_path(&path).unwrap();
    /// assert_eq!(config.file(), Some(path.as_path()));
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let Some(format) = FileFormat::from_path(path) else {
            return Err(ConfigError::new(
                "",
                "unknown configuration format: expected a .toml, .yaml, .yml, .json, .ini, .conf or .cfg file",
            )
            .in_file(path));
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::new("", format!("cannot read: {e}")).in_file(path))?;
        Config::from_str(&text, format, Some(path))
    }

    /// Reads `text` in `format`; `file` names it in error messages.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let c = Config::from_str("[root]\nlevel = 'DEBUG'", FileFormat::Toml, None).unwrap();
    /// assert!(c.check().is_ok());
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(
        text: &str,
        format: FileFormat,
        file: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let file: Option<Arc<Path>> = file.map(Arc::from);
        match format.parse(text) {
            Ok(node) => Ok(Config {
                node,
                file,
                env: Vec::new(),
            }),
            Err(e) => Err(match &file {
                Some(f) => e.in_file(f),
                None => e,
            }),
        }
    }

    /// A configuration from a tree (built in code, or from another
    /// source).
    ///
    /// ```
    /// use lumber::config::{Config, Node};
    /// let mut root = Node::map();
    /// root.set("level", "WARNING".into());
    /// let mut n = Node::map();
    /// n.set("root", root);
    /// assert!(Config::from_node(n).check().is_ok());
    /// ```
    pub fn from_node(node: Node) -> Config {
        Config {
            node,
            file: None,
            env: Vec::new(),
        }
    }

    /// The tree.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let c = Config::from_str(r#"{"version": 1}"#, FileFormat::Json, None).unwrap();
    /// assert_eq!(c.node().get("version").unwrap().as_i64(), Some(1));
    /// ```
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The tree, to change before applying.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let mut c = Config::from_str("{}", FileFormat::Json, None).unwrap();
    /// c.node_mut().set("disable_existing_loggers", false.into());
    /// ```
    pub fn node_mut(&mut self) -> &mut Node {
        &mut self.node
    }

    /// The file it was read from.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// assert!(Config::from_str("{}", FileFormat::Json, None).unwrap().file().is_none());
    /// ```
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Checks everything without opening a file or a socket: every
    /// problem is reported at once.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let c = Config::from_str(r#"{"version": 2, "root": {"level": "LOUD"}}"#, FileFormat::Json, None).unwrap();
    /// assert_eq!(c.check().unwrap_err().len(), 2);
    /// ```
    pub fn check(&self) -> Result<(), ConfigError> {
        self.plan(true).map(|_| ())
    }

    /// Builds everything and applies it, replacing the handlers of every
    /// configured logger, as Python's `dictConfig` does; it may be called
    /// again with a new configuration at any time (one apply runs at a
    /// time). The whole configuration is checked first, and nothing is
    /// opened or changed unless it is valid; a handler that then cannot be
    /// opened (a directory that cannot be created, say) fails the apply
    /// with nothing changed either. Installs the `log` bridge (feature
    /// `log`) if nothing else took the `log` facade.
    ///
    /// Unlike [`crate::init`], this returns no guard: keep one from
    /// [`crate::InitGuard::new`] (or call [`crate::shutdown`]) to flush and
    /// close everything at the end of the program.
    ///
    /// ```
    /// use lumber::config::{Config, FileFormat};
    /// let _guard = lumber::InitGuard::new();
    /// let c = Config::from_str(r#"{"version": 1, "loggers": {"doc.apply": {"level": "ERROR"}}}"#, FileFormat::Json, None).unwrap();
    /// c.apply().unwrap();
    /// assert_eq!(lumber::get_logger("doc.apply").level(), lumber::Level::ERROR);
    /// ```
    pub fn apply(&self) -> Result<(), ConfigError> {
        let _one_at_a_time = apply::lock();
        self.apply_locked()
    }

    /// [`Config::apply`], with the apply lock held by the caller.
    pub(crate) fn apply_locked(&self) -> Result<(), ConfigError> {
        crate::record::mark_start();
        self.plan(true)?;
        let plan = self.plan(false)?;
        #[cfg(feature = "log")]
        let _ = crate::bridge::log::init();
        apply::apply(plan);
        Ok(())
    }

    fn located(&self, mut e: ConfigError) -> ConfigError {
        e.attribute_to_env(&self.env);
        match &self.file {
            Some(f) => e.in_file(f),
            None => e,
        }
    }

    pub(crate) fn plan(&self, check_only: bool) -> Result<Plan, ConfigError> {
        let mut p = ConfigError::default();
        let plan = super::plan::build_plan(&self.node, check_only, &mut p);
        p.sort();
        p.into_result().map_err(|e| self.located(e))?;
        Ok(plan)
    }
}
