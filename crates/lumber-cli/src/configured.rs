//! `--config`: records go through a configuration file's loggers,
//! handlers and formatters instead of `basicConfig`'s one handler.
//!
//! The configured handlers report their failures to the default policy (a
//! line on stderr, and logging goes on). The command needs them instead:
//! a closed standard output ends it quietly, any other failure ends it
//! with status 1. So every handler attached to a logger gets the
//! command's error hook. (Handlers behind a queue listener keep the
//! default policy.)

use std::path::Path;
use std::sync::Arc;

use lumber::{ErrorPolicy, InitGuard};

use crate::config_cmd::load;
use crate::output::{CliError, WriteState};

/// Reads the configuration at `path` (`-`: standard input), applies the
/// environment overrides and the configuration, and routes the handlers'
/// failures to `state`.
pub fn apply(path: &Path, state: &Arc<WriteState>) -> Result<InitGuard, CliError> {
    let config = load(path, None)?.with_env()?;
    config.apply()?;
    let hook_state = Arc::clone(state);
    let policy = ErrorPolicy::hook(move |e| {
        let text = e.to_string();
        let text = text.strip_prefix("lumber: ").unwrap_or(&text).to_owned();
        hook_state.note(e.error, || text);
    });
    for logger in lumber::loggers() {
        for handler in logger.handlers() {
            handler.set_error_policy(policy.clone());
        }
    }
    Ok(InitGuard::new())
}
