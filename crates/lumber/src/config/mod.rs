//! Setting logging up: [`basic_config`] in code, or a configuration file
//! in Python's `dictConfig` schema (TOML, YAML, JSON) or `fileConfig` INI
//! format, with environment overrides, found by [`init`] and reloaded by
//! [`watch`].
//!
//! ```
//! use lumber::config::{Config, FileFormat};
//! let config = Config::from_str(r#"
//! version = 1
//! disable_existing_loggers = false
//!
//! [formatters.plain]
//! format = "%(levelname)s %(name)s: %(message)s"
//!
//! [handlers.console]
//! class = "StreamHandler"
//! stream = "ext://sys.stdout"
//! formatter = "plain"
//!
//! [loggers."app.db"]
//! level = "DEBUG"
//!
//! [root]
//! level = "INFO"
//! handlers = ["console"]
//! "#, FileFormat::Toml, None).unwrap();
//! config.apply().unwrap();
//! assert_eq!(lumber::get_logger("app.db").level(), lumber::Level::DEBUG);
//! assert_eq!(lumber::root().handlers()[0].name().as_deref(), Some("console"));
//! ```

mod apply;
mod args;
mod basic;
mod build;
mod directives;
mod env;
mod error;
mod factories;
mod ini;
mod load;
mod node;
mod plan;
mod pyliteral;
mod registry;
mod reload;
mod serde;
mod tree;

pub use args::Args;
pub use basic::{BasicConfig, Stream, basic_config};
pub use build::Config;
pub use directives::Directives;
pub use env::ENV_PREFIX;
pub use error::{ConfigError, Problem};
pub use load::FileFormat;
pub use node::{Key, Node, Pos, Value};
pub use registry::{register_filter, register_formatter, register_handler};
pub use reload::{Watcher, init, watch};
pub(crate) use tree::level_node;
pub use tree::{render_tree, tree};

/// The configuration guide (`docs/config.md`), compiled so that its Rust
/// examples are tested.
#[cfg(doctest)]
#[doc = include_str!("../../../../docs/config.md")]
pub struct ConfigGuide;
