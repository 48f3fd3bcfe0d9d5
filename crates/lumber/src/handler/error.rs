//! What a handler does when its sink fails: Python's `handleError`, minus
//! the traceback flood.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A failure of a handler, as given to an [`ErrorPolicy`].
///
/// ```
/// let e = std::io::Error::other("disk full");
/// let err = lumber::HandlerError { handler: Some("file"), kind: "FileHandler", action: "emit", logger: Some("app"), error: &e };
/// assert_eq!(err.to_string(), "lumber: FileHandler 'file' failed to emit a record from logger 'app': disk full");
/// ```
#[derive(Debug)]
pub struct HandlerError<'a> {
    /// The handler's name, if it has one.
    pub handler: Option<&'a str>,
    /// The handler's kind (`FileHandler`, ...).
    pub kind: &'static str,
    /// What failed: `emit`, `flush` or `close`.
    pub action: &'static str,
    /// The logger of the record that could not be written, for `emit`.
    pub logger: Option<&'a str>,
    /// The error.
    pub error: &'a io::Error,
}

impl fmt::Display for HandlerError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lumber: {}", self.kind)?;
        if let Some(name) = self.handler {
            write!(f, " '{name}'")?;
        }
        write!(f, " failed to {}", self.action)?;
        if let Some(logger) = self.logger {
            write!(f, " a record from logger '{logger}'")?;
        }
        write!(f, ": {}", self.error)
    }
}

type Hook = Arc<dyn Fn(&HandlerError<'_>) + Send + Sync>;

/// What a handler does with its own failures. They never reach the code
/// that logged.
///
/// ```
/// use lumber::{ErrorPolicy, Handler, NullHandler};
/// let quiet = Handler::new(NullHandler).with_error_policy(ErrorPolicy::Ignore);
/// let custom = Handler::new(NullHandler)
///     .with_error_policy(ErrorPolicy::hook(|e| eprintln!("logging trouble: {e}")));
/// # let _ = (quiet, custom);
/// ```
#[derive(Clone, Default)]
pub enum ErrorPolicy {
    /// One line on stderr; then at most one line a minute while failures
    /// go on, saying how many were not shown. The default.
    #[default]
    Stderr,
    /// Say nothing.
    Ignore,
    /// Call a function (it must not log through the same handler).
    Hook(Hook),
}

impl ErrorPolicy {
    /// A policy that calls `f` for each failure.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use lumber::{ErrorPolicy, Handler, Level, Message, Record};
    /// # struct Broken;
    /// # impl lumber::Sink for Broken {
    /// #     fn emit(&self, _: &Record<'_>, _: &str) -> std::io::Result<()> { Err(std::io::Error::other("disk full")) }
    /// # }
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let s = seen.clone();
    /// let h = Handler::new(Broken).with_error_policy(ErrorPolicy::hook(move |e| s.lock().unwrap().push(e.action)));
    /// h.handle(&Record::new("app", Level::ERROR, Message::Str("x")));
    /// assert_eq!(*seen.lock().unwrap(), ["emit"]);
    /// ```
    pub fn hook(f: impl Fn(&HandlerError<'_>) + Send + Sync + 'static) -> ErrorPolicy {
        ErrorPolicy::Hook(Arc::new(f))
    }
}

impl fmt::Debug for ErrorPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorPolicy::Stderr => "Stderr",
            ErrorPolicy::Ignore => "Ignore",
            ErrorPolicy::Hook(_) => "Hook",
        })
    }
}

/// How long the stderr policy stays quiet after reporting.
const QUIET: Duration = Duration::from_secs(60);

#[derive(Default)]
struct RateState {
    last_shown: Option<Instant>,
    suppressed: u64,
}

pub(super) struct Reporter {
    policy: Mutex<ErrorPolicy>,
    state: Mutex<RateState>,
}

impl Reporter {
    pub(super) fn new(policy: ErrorPolicy) -> Reporter {
        Reporter {
            policy: Mutex::new(policy),
            state: Mutex::new(RateState::default()),
        }
    }

    pub(super) fn set_policy(&self, policy: ErrorPolicy) {
        *self
            .policy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = policy;
    }

    pub(super) fn report(&self, error: &HandlerError<'_>) {
        // Cloned so that a hook runs without the lock held (errors are
        // rare; this is not the logging path).
        let policy = self
            .policy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        match &policy {
            ErrorPolicy::Ignore => {}
            ErrorPolicy::Hook(hook) => hook(error),
            ErrorPolicy::Stderr => {
                let _ = self.report_rate_limited(error, Instant::now(), &mut io::stderr().lock());
            }
        }
    }

    /// Writes `error` to `out` unless one was shown less than [`QUIET`]
    /// before `now`; counts it otherwise. Returns whether it wrote.
    fn report_rate_limited(
        &self,
        error: &HandlerError<'_>,
        now: Instant,
        out: &mut dyn Write,
    ) -> io::Result<bool> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state
            .last_shown
            .is_some_and(|t| now.duration_since(t) < QUIET)
        {
            state.suppressed += 1;
            return Ok(false);
        }
        let suppressed = std::mem::take(&mut state.suppressed);
        state.last_shown = Some(now);
        drop(state);
        let mut line = error.to_string();
        if suppressed > 0 {
            line.push_str(&format!(" ({suppressed} similar failures not shown)"));
        } else {
            line.push_str(" (further failures of this handler are shown at most once a minute)");
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_policy_reports_once_then_summarises() {
        let r = Reporter::new(ErrorPolicy::Stderr);
        let err = io::Error::from_raw_os_error(28);
        let e = HandlerError {
            handler: Some("file"),
            kind: "FileHandler",
            action: "emit",
            logger: Some("app"),
            error: &err,
        };
        let t0 = Instant::now();
        let mut out = Vec::new();
        assert!(r.report_rate_limited(&e, t0, &mut out).unwrap());
        for i in 1..=5 {
            assert!(
                !r.report_rate_limited(&e, t0 + Duration::from_secs(i), &mut out)
                    .unwrap()
            );
        }
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(
            text.starts_with(
                "lumber: FileHandler 'file' failed to emit a record from logger 'app': "
            ),
            "{text}"
        );
        assert!(
            r.report_rate_limited(&e, t0 + QUIET + Duration::from_secs(1), &mut out)
                .unwrap()
        );
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .ends_with("(5 similar failures not shown)"),
            "{text}"
        );
    }
}
