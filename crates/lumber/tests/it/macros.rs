//! The macros: gating, fields, errors, call-site metadata, context.

use std::cell::Cell;
use std::fmt;

use lumber::{
    Level, critical, debug, error, exception, fields, get_logger, info, trace, warn, warning,
};

use crate::isolated;

struct Loud<'a>(&'a Cell<u32>);
impl fmt::Display for Loud<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.set(self.0.get() + 1);
        f.write_str("loud")
    }
}

#[test]
fn nothing_is_evaluated_when_the_level_is_off() {
    let (log, lines) = isolated("m.gate", "%(message)s");
    log.set_level(Level::WARNING);
    let evaluated = Cell::new(0);
    let formatted = Cell::new(0);
    let touch = || {
        evaluated.set(evaluated.get() + 1);
        1
    };
    debug!(logger: log, n = touch(), "{} {}", touch(), Loud(&formatted));
    info!(logger: log, shown = %Loud(&formatted); "{}", touch());
    assert_eq!((evaluated.get(), formatted.get()), (0, 0));
    warning!(logger: log, "{} {}", touch(), Loud(&formatted));
    assert_eq!((evaluated.get(), formatted.get()), (1, 1));
    assert_eq!(lines.lines(), ["1 loud"]);
}

#[test]
fn every_level_macro_logs_at_its_level() {
    let (log, lines) = isolated("m.levels", "%(levelname)s:%(levelno)d");
    trace!(logger: log, "t");
    debug!(logger: log, "d");
    info!(logger: log, "i");
    warning!(logger: log, "w");
    warn!(logger: log, "w");
    error!(logger: log, "e");
    critical!(logger: log, "c");
    lumber::log!(logger: log, Level::new(25), "custom");
    assert_eq!(
        lines.lines(),
        [
            "TRACE:5",
            "DEBUG:10",
            "INFO:20",
            "WARNING:30",
            "WARNING:30",
            "ERROR:40",
            "CRITICAL:50",
            "Level 25:25"
        ]
    );
}

#[test]
fn custom_level_names_show_in_records() {
    let (log, lines) = isolated("m.custom", "%(levelname)s %(message)s");
    lumber::add_level_name(Level::new(35), "ALERTISH");
    let level: Level = "alertish".parse().unwrap();
    lumber::log!(logger: log, level, "custom");
    assert_eq!(lines.lines(), ["ALERTISH custom"]);
}

#[test]
fn fields_in_both_syntaxes_with_display_and_debug() {
    let (log, lines) = isolated("m.fields", "%(user)s|%(ms)d|%(path)s|%(dur)s|%(message)s");
    let path = std::path::PathBuf::from("/tmp/x");
    let dur = std::time::Duration::from_millis(1500);
    info!(logger: log, user = "ann", ms = 42, path = ?path, dur = ?dur; "log style {}", 1);
    info!(logger: log, user = String::from("bob"), ms = 7u8, path = %"shown", dur = ?dur, "tracing style");
    assert_eq!(
        lines.lines(),
        [
            "ann|42|\"/tmp/x\"|1.5s|log style 1",
            "bob|7|shown|1.5s|tracing style"
        ]
    );
}

#[derive(Debug)]
struct Wrapped(&'static str, std::io::Error);
impl fmt::Display for Wrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
impl std::error::Error for Wrapped {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.1)
    }
}

#[test]
fn errors_render_their_whole_chain_after_the_message() {
    let (log, lines) = isolated("m.err", "%(levelname)s %(message)s");
    let e = Wrapped(
        "cannot load config",
        std::io::Error::other("permission denied"),
    );
    exception!(logger: log, e, "startup failed");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(std::io::Error::other("boxed"));
    error!(logger: log, error: boxed, "also boxed errors");
    assert_eq!(
        lines.lines(),
        [
            "ERROR startup failed\nError: cannot load config\nCaused by: permission denied",
            "ERROR also boxed errors\nError: boxed"
        ]
    );
}

#[test]
fn call_site_metadata_is_captured() {
    let (log, lines) = isolated(
        "m.site",
        "%(filename)s|%(module)s|%(funcName)s|%(module_path)s|%(msg)s|%(lineno)d",
    );
    let line = line!() + 1;
    info!(logger: log, "template {}", 5);
    assert_eq!(
        lines.lines(),
        [format!(
            "macros.rs|macros|call_site_metadata_is_captured|{}|template {{}}|{line}",
            module_path!()
        )]
    );
}

#[test]
fn stack_info_is_rendered_on_request() {
    let (log, lines) = isolated("m.stack", "%(message)s");
    info!(logger: log, stack_info: true, "with stack");
    let line = &lines.lines()[0];
    assert!(
        line.starts_with("with stack\nStack (most recent call last):\n"),
        "{line}"
    );
}

#[test]
fn the_default_logger_is_named_after_the_module() {
    let name = module_path!().replace("::", ".");
    let (_log, lines) = isolated(&name, "%(name)s");
    info!("from the module logger");
    assert_eq!(lines.lines(), [name]);
}

#[test]
fn bound_loggers_and_context_add_fields() {
    let (log, lines) = isolated("m.bound", "%(request)s %(user)s %(tenant)s %(message)s");
    let bound = log.bind("request", "r-1").bind("user", 7);
    {
        let _ctx = lumber::push_context(fields!(tenant = "acme", user = 99));
        info!(logger: bound, "inside");
        // Call-site fields shadow bound ones, which shadow the context.
        info!(logger: bound, user = 1; "shadowed");
    }
    info!(logger: bound, "outside");
    assert_eq!(
        lines.lines(),
        ["r-1 7 acme inside", "r-1 1 acme shadowed", "r-1 7  outside"]
    );
}

#[test]
fn logger_methods_log_with_the_callers_location() {
    let (log, lines) = isolated(
        "m.methods",
        "%(levelname)s %(filename)s:%(lineno)d %(message)s",
    );
    let line = line!() + 1;
    log.warning(format_args!("{} left", 3));
    log.exception(&std::io::Error::other("gone"), "lost");
    assert_eq!(
        lines.lines(),
        [
            format!("WARNING macros.rs:{line} 3 left"),
            format!("ERROR macros.rs:{} lost\nError: gone", line + 1)
        ]
    );
}

#[test]
fn threads_show_their_names() {
    let (log, lines) = isolated("m.thread", "%(threadName)s");
    std::thread::Builder::new()
        .name("worker-7".into())
        .spawn(move || info!(logger: log, "x"))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(lines.lines(), ["worker-7"]);
    let _ = get_logger("m.thread");
}

/// Field values may `.await` and use `?`: they are evaluated inline, not
/// in a closure.
#[test]
fn fields_may_await_and_use_the_question_mark() {
    let (log, lines) = isolated("m.await", "%(message)s n=%(n)s");
    async fn load() -> Result<u32, std::num::ParseIntError> {
        "41".parse::<u32>()
    }
    async fn work(log: lumber::Logger) -> Result<(), std::num::ParseIntError> {
        let loaded = load().await?;
        lumber::info!(logger: log, n = load().await? + 1; "loaded {}", loaded);
        Ok(())
    }
    let waker = std::task::Waker::noop();
    let mut task = std::pin::pin!(work(log));
    let polled = task
        .as_mut()
        .poll(&mut std::task::Context::from_waker(waker));
    assert!(matches!(polled, std::task::Poll::Ready(Ok(()))));
    assert_eq!(lines.lines(), ["loaded 41 n=42"]);
    use std::future::Future as _;
}
