//! Class names → factories: the built-in handlers, formatters and filters
//! (under lumber's names and Python's), and the ones users register
//! (Python's `()` key).

use std::sync::{Arc, Mutex, PoisonError};

use super::Args;
use super::factories::{self, Builtin, MISSING_HANDLERS};
use super::node::did_you_mean;
use crate::filter::Filter;
use crate::format::Format;
use crate::handler::Handler;

type UserFn<T> = Arc<dyn Fn(&mut Args<'_>) -> Option<T> + Send + Sync>;

struct Registry {
    handlers: Vec<(String, UserFn<Handler>)>,
    formatters: Vec<(String, UserFn<Arc<dyn Format>>)>,
    filters: Vec<(String, UserFn<Arc<dyn Filter>>)>,
}

static USER: Mutex<Registry> = Mutex::new(Registry {
    handlers: Vec::new(),
    formatters: Vec::new(),
    filters: Vec::new(),
});

fn put<T>(list: &mut Vec<(String, UserFn<T>)>, name: &str, f: UserFn<T>) {
    list.retain(|(n, _)| n != name);
    list.push((name.to_owned(), f));
}

/// Registers a handler factory under `name`, usable as `class` or `()` in
/// any configuration. The factory reads its options from [`Args`] and
/// returns the handler (`None` after recording a problem, or when
/// [`Args::check_only`]); `level`, `formatter` and `filters` are applied
/// by the configuration, as for built-in handlers.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use lumber::config::{register_handler, Config, FileFormat};
/// use lumber::Handler;
///
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let sink = Arc::clone(&seen);
/// register_handler("myapp.Memory", move |args| {
///     let prefix = args.str("prefix").unwrap_or_default();
///     let sink = Arc::clone(&sink);
///     Some(Handler::new(lumber::from_fn(move |_level, line: &str| {
///         sink.lock().unwrap().push(format!("{prefix}{line}"));
///     })))
/// });
/// let config = Config::from_str(r#"{
///     "version": 1,
///     "handlers": {"mem": {"()": "myapp.Memory", "prefix": "> "}},
///     "loggers": {"doc.registry": {"handlers": ["mem"], "propagate": false}}
/// }"#, FileFormat::Json, None).unwrap();
/// config.apply().unwrap();
/// lumber::get_logger("doc.registry").warning("hello");
/// assert_eq!(seen.lock().unwrap().as_slice(), ["> hello"]);
/// ```
pub fn register_handler<F>(name: &str, factory: F)
where
    F: Fn(&mut Args<'_>) -> Option<Handler> + Send + Sync + 'static,
{
    let mut r = USER.lock().unwrap_or_else(PoisonError::into_inner);
    put(&mut r.handlers, name, Arc::new(factory));
}

/// Registers a formatter factory under `name` (see [`register_handler`]).
///
/// ```
/// use std::sync::Arc;
/// use lumber::{Format, Record};
/// struct Upper;
/// impl Format for Upper {
///     fn format(&self, r: &Record<'_>, out: &mut String) {
///         out.push_str(&r.message().to_string().to_uppercase());
///     }
/// }
/// lumber::config::register_formatter("myapp.Upper", |_args| Some(Arc::new(Upper)));
/// ```
pub fn register_formatter<F>(name: &str, factory: F)
where
    F: Fn(&mut Args<'_>) -> Option<Arc<dyn Format>> + Send + Sync + 'static,
{
    let mut r = USER.lock().unwrap_or_else(PoisonError::into_inner);
    put(&mut r.formatters, name, Arc::new(factory));
}

/// Registers a filter factory under `name` (see [`register_handler`]).
///
/// ```
/// use std::sync::Arc;
/// use lumber::Record;
/// lumber::config::register_filter("myapp.NoHealth", |_args| {
///     Some(Arc::new(|r: &Record<'_>| !r.message().to_string().contains("/health")))
/// });
/// ```
pub fn register_filter<F>(name: &str, factory: F)
where
    F: Fn(&mut Args<'_>) -> Option<Arc<dyn Filter>> + Send + Sync + 'static,
{
    let mut r = USER.lock().unwrap_or_else(PoisonError::into_inner);
    put(&mut r.filters, name, Arc::new(factory));
}

/// A factory found by class name.
pub(crate) struct Found<T> {
    /// The canonical class name (what the logger tree shows).
    pub name: String,
    /// Python's positional parameter order, for `fileConfig` `args`.
    pub params: &'static [&'static str],
    build: Build<T>,
}

enum Build<T> {
    Builtin(fn(&mut Args<'_>) -> Option<T>),
    User(UserFn<T>),
}

impl<T> Found<T> {
    pub(crate) fn build(&self, args: &mut Args<'_>) -> Option<T> {
        match &self.build {
            Build::Builtin(f) => f(args),
            Build::User(f) => f(args),
        }
    }
}

/// `logging.handlers.RotatingFileHandler`, `handlers.RotatingFileHandler`
/// and `RotatingFileHandler` are one class.
fn short(name: &str) -> &str {
    name.strip_prefix("logging.handlers.")
        .or_else(|| name.strip_prefix("logging."))
        .or_else(|| name.strip_prefix("handlers."))
        .unwrap_or(name)
}

fn find<T>(
    kind: &str,
    name: &str,
    builtins: Vec<Builtin<T>>,
    user: Vec<(String, UserFn<T>)>,
    missing: &[(&str, &str)],
) -> Result<Found<T>, String> {
    if let Some((n, f)) = user.iter().find(|(n, _)| n == name) {
        return Ok(Found {
            name: n.clone(),
            params: &[],
            build: Build::User(Arc::clone(f)),
        });
    }
    if let Some(b) = builtins
        .iter()
        .find(|b| b.name == name || b.name == short(name) || b.aliases.contains(&name))
    {
        return Ok(Found {
            name: b.name.to_owned(),
            params: b.params,
            build: Build::Builtin(b.build),
        });
    }
    if let Some((_, why)) = missing.iter().find(|(n, _)| *n == short(name)) {
        return Err(format!("{kind} class '{name}': {why}"));
    }
    let mut names: Vec<&str> = builtins.iter().map(|b| b.name).collect();
    names.extend(user.iter().map(|(n, _)| n.as_str()));
    let hint = did_you_mean(short(name), names.iter().copied())
        .map(|c| format!("; did you mean '{c}'?"))
        .unwrap_or_default();
    Err(format!("unknown {kind} class '{name}'{hint}"))
}

pub(crate) fn find_handler(name: &str) -> Result<Found<Handler>, String> {
    let user = USER
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .handlers
        .clone();
    find(
        "handler",
        name,
        factories::handlers(),
        user,
        MISSING_HANDLERS,
    )
}

pub(crate) fn find_formatter(name: &str) -> Result<Found<Arc<dyn Format>>, String> {
    let user = USER
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .formatters
        .clone();
    find("formatter", name, factories::formatters(), user, &[])
}

pub(crate) fn find_filter(name: &str) -> Result<Found<Arc<dyn Filter>>, String> {
    let user = USER
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .filters
        .clone();
    find("filter", name, factories::filters(), user, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_names_resolve() {
        for n in ["StreamHandler", "logging.StreamHandler"] {
            assert_eq!(find_handler(n).map(|f| f.name).unwrap(), "StreamHandler");
        }
        assert_eq!(
            find_formatter("logging.Formatter").map(|f| f.name).unwrap(),
            "Formatter"
        );
        assert_eq!(
            find_filter("logging.Filter").map(|f| f.name).unwrap(),
            "Filter"
        );
    }

    #[test]
    fn unknown_names_suggest() {
        let e = find_handler("StreamHandlr").err().unwrap();
        assert_eq!(
            e,
            "unknown handler class 'StreamHandlr'; did you mean 'StreamHandler'?"
        );
        let e = find_handler("logging.handlers.SMTPHandler").err().unwrap();
        assert!(e.contains("not available"), "{e}");
    }
}
