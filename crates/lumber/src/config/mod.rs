//! Setting logging up: `basic_config` now; configuration files later.

mod basic;
mod error;

pub use basic::{BasicConfig, Stream, basic_config};
pub use error::ConfigError;
