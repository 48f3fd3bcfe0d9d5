//! Helpers for the factories' tests.

use crate::config::{Config, FileFormat};

/// A configuration with one handler, `name`, whose options are `handler`
/// (JSON), attached to `logger` alone, and a formatter `plain`
/// (`%(message)s`).
#[cfg_attr(
    not(any(feature = "rotating", feature = "syslog", feature = "journald")),
    allow(dead_code)
)]
pub(super) fn one_handler(name: &str, logger: &str, handler: &str) -> Config {
    let text = format!(
        r#"{{
            "version": 1,
            "disable_existing_loggers": false,
            "formatters": {{"plain": {{"format": "%(message)s"}}}},
            "handlers": {{"{name}": {handler}}},
            "loggers": {{"{logger}": {{"level": "DEBUG", "handlers": ["{name}"], "propagate": false}}}}
        }}"#
    );
    Config::from_str(&text, FileFormat::Json, None).unwrap()
}

/// Every problem of checking `config`, as `key: message`, in the order of
/// the text.
pub(super) fn problems(config: &Config) -> Vec<String> {
    match config.check() {
        Ok(()) => Vec::new(),
        Err(e) => e.problems().map(|(k, m)| format!("{k}: {m}")).collect(),
    }
}
