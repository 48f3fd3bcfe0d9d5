//! Setting logging up: `basic_config` now; configuration files later.

mod basic;
mod directives;
mod error;

pub use basic::{BasicConfig, Stream, basic_config};
pub use directives::Directives;
pub use error::ConfigError;
