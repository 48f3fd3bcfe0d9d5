//! Logging panics: the panic as a CRITICAL record with its message,
//! location, thread and backtrace, then everything flushed.

use std::backtrace::Backtrace;
use std::panic::PanicHookInfo;
use std::sync::Once;

use crate::level::Level;
use crate::logger::get_logger;
use crate::record::{Function, Message, Record, Site};

/// Installs a panic hook that logs each panic as CRITICAL — on the logger
/// of the module that panicked, with the message, location, thread and a
/// backtrace as `stack_info` — flushes every handler (and drains the
/// queues), then runs the hook that was there before (which prints the
/// usual panic message). Installing it twice is harmless.
///
/// ```
/// lumber::install_panic_hook();
/// ```
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| log_panic(info)));
            previous(info);
        }));
    });
}

fn log_panic(info: &PanicHookInfo<'_>) {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
        .unwrap_or("Box<dyn Any>");
    let thread = std::thread::current();
    let thread_name = thread.name().unwrap_or("<unnamed>");
    let (file, line) = info
        .location()
        .map_or(("<unknown>", 0), |l| (l.file(), l.line()));
    let backtrace = Backtrace::force_capture().to_string();
    let function = panicking_function(&backtrace, file, line);
    let logger_name = function
        .as_deref()
        .and_then(|f| f.rsplit_once("::").map(|(module, _)| module))
        .unwrap_or("panic");
    let logger = get_logger(logger_name);
    if !logger.is_enabled_for(Level::CRITICAL) {
        crate::shutdown::flush_for_panic();
        return;
    }
    let site = Site {
        module_path: logger_name,
        file,
        line,
        template: "panic",
        function: match function.as_deref().and_then(|f| f.rsplit("::").next()) {
            Some(name) => Function::Name(name),
            None => Function::Unknown,
        },
    };
    let stack = format!("Stack (most recent call last):\n{backtrace}");
    let message = format!("thread '{thread_name}' panicked at {file}:{line}: {payload}");
    let record = Record::new(logger.name(), Level::CRITICAL, Message::Str(&message))
        .with_site(&site)
        .with_stack_info(&stack);
    logger.handle(&record);
    crate::shutdown::flush_for_panic();
}

/// The function whose frame is at the panic's location: the first frame
/// of the backtrace whose `at` line names `file` and `line`.
///
/// The location's path is relative to where the compiler ran (the
/// workspace: `crates/app/src/db.rs`), the backtrace's to the crate or
/// absolute (`./src/db.rs`, `/home/me/app/crates/app/src/db.rs`): they
/// match when one ends with the other at a path separator.
fn panicking_function(backtrace: &str, file: &str, line: u32) -> Option<String> {
    let mut symbol: Option<&str> = None;
    for text in backtrace.lines().map(str::trim) {
        if let Some(place) = text.strip_prefix("at ") {
            let mut parts = place.rsplitn(3, ':');
            let (_column, at_line, path) = (parts.next(), parts.next(), parts.next());
            let same_line = at_line.and_then(|l| l.parse::<u32>().ok()) == Some(line);
            if let (Some(sym), Some(path), true) = (symbol, path, same_line)
                && same_file(path, file)
            {
                return Some(strip_hash(sym).to_owned());
            }
        } else if let Some((_, sym)) = text.split_once(": ") {
            symbol = Some(sym);
        }
    }
    None
}

fn same_file(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_start_matches("./"), b.trim_start_matches("./"));
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    !short.is_empty()
        && long.ends_with(short)
        && (long.len() == short.len() || long.as_bytes()[long.len() - short.len() - 1] == b'/')
}

/// `my_app::db::connect::h0123456789abcdef` → `my_app::db::connect`; also
/// drops `{{closure}}` segments.
fn strip_hash(symbol: &str) -> &str {
    let mut s = symbol;
    if let Some((head, last)) = s.rsplit_once("::")
        && last.len() == 17
        && last.starts_with('h')
        && last[1..].chars().all(|c| c.is_ascii_hexdigit())
    {
        s = head;
    }
    while let Some(head) = s.strip_suffix("::{{closure}}") {
        s = head;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panicking_function_is_found_by_its_location() {
        let bt = "   0: std::panicking::begin_panic\n             at /rustc/x/library/std/src/panicking.rs:1:1\n   \
                  1: my_app::db::pool::connect::{{closure}}\n             at ./src/db/pool.rs:10:5\n   \
                  2: my_app::main\n             at ./src/main.rs:3:1\n";
        assert_eq!(
            panicking_function(bt, "src/db/pool.rs", 10).as_deref(),
            Some("my_app::db::pool::connect")
        );
        // The location is relative to the workspace, the backtrace to the crate.
        assert_eq!(
            panicking_function(bt, "crates/my_app/src/db/pool.rs", 10).as_deref(),
            Some("my_app::db::pool::connect")
        );
        assert_eq!(panicking_function(bt, "src/db/pool.rs", 11), None);
        assert_eq!(panicking_function(bt, "b/pool.rs", 10), None); // not at a separator
        assert_eq!(panicking_function(bt, "src/none.rs", 10), None);
        assert_eq!(strip_hash("a::b::h0123456789abcdef"), "a::b");
    }
}
