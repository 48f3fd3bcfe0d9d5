//! Configuration factories for the core handlers (stream, file, null), the
//! formatters and the filters.

use std::sync::Arc;

use super::{Builtin, check_encoding};
use crate::config::Args;
use crate::filter::{Filter, LevelFilter, NameFilter};
use crate::format::{
    ColorChoice, ConsoleFormatter, Format, Formatter, JsonFormatter, LogfmtFormatter, Style,
    TimeFormat, TimePrecision,
};
use crate::handler::{FileHandler, Handler, NullHandler, StreamHandler};
use crate::level::Level;

pub(crate) fn handlers() -> Vec<Builtin<Handler>> {
    vec![
        Builtin {
            name: "StreamHandler",
            aliases: &["logging.StreamHandler"],
            params: &["stream"],
            build: stream,
        },
        Builtin {
            name: "FileHandler",
            aliases: &["logging.FileHandler"],
            params: &["filename", "mode", "encoding", "delay", "errors"],
            build: file,
        },
        Builtin {
            name: "NullHandler",
            aliases: &["logging.NullHandler"],
            params: &[],
            build: |a| (!a.check_only()).then(|| Handler::new(NullHandler)),
        },
    ]
}

/// `ext://sys.stderr`, `sys.stderr` and `stderr` all name stderr.
pub(crate) fn stream_name(s: &str) -> Option<bool> {
    match s.trim_start_matches("ext://").trim_start_matches("sys.") {
        "stderr" => Some(false),
        "stdout" => Some(true),
        _ => None,
    }
}

fn stream(a: &mut Args<'_>) -> Option<Handler> {
    let stdout = match a.str("stream") {
        None => false,
        Some(s) => match stream_name(&s) {
            Some(stdout) => stdout,
            None => {
                a.error(
                    "stream",
                    format!("expected ext://sys.stdout or ext://sys.stderr, got '{s}'"),
                );
                return None;
            }
        },
    };
    let terminator = a.str("terminator");
    if a.check_only() {
        return None;
    }
    let mut h = if stdout {
        StreamHandler::stdout()
    } else {
        StreamHandler::stderr()
    };
    if let Some(t) = terminator {
        h = h.with_terminator(&t);
    }
    Some(Handler::new(h))
}

/// Python's file `mode`: `a` appends, `w` truncates (`b`/`+` ignored).
pub(crate) fn truncate_mode(a: &mut Args<'_>) -> bool {
    match a.str("mode") {
        None => false,
        Some(m) => match m.trim_end_matches(['+', 'b', 't']) {
            "a" => false,
            "w" => true,
            _ => {
                a.error(
                    "mode",
                    format!("expected 'a' (append) or 'w' (truncate), got '{m}'"),
                );
                false
            }
        },
    }
}

fn file(a: &mut Args<'_>) -> Option<Handler> {
    let path = a.required("filename").and_then(|_| a.path_buf("filename"));
    let truncate = truncate_mode(a);
    check_encoding(a);
    let delay = a.bool("delay").unwrap_or(false);
    let buffer = a.size("buffer");
    let flush_level = a.level("flush_level");
    let terminator = a.str("terminator");
    let path = path?;
    if a.check_only() {
        return None;
    }
    let mut options = FileHandler::options(&path).truncate(truncate).delay(delay);
    if let Some(b) = buffer {
        options = options.buffer(usize::try_from(b).unwrap_or(usize::MAX));
    }
    if let Some(l) = flush_level {
        options = options.flush_level(l);
    }
    if let Some(t) = terminator {
        options = options.terminator(&t);
    }
    match options.open() {
        Ok(h) => Some(Handler::new(h)),
        Err(e) => {
            a.error("filename", format!("cannot open {}: {e}", path.display()));
            None
        }
    }
}

pub(crate) fn formatters() -> Vec<Builtin<Arc<dyn Format>>> {
    vec![
        Builtin {
            name: "Formatter",
            aliases: &["logging.Formatter"],
            params: &["format", "datefmt", "style", "validate"],
            build: pattern,
        },
        Builtin {
            name: "JsonFormatter",
            aliases: &[
                "pythonjsonlogger.jsonlogger.JsonFormatter",
                "pythonjsonlogger.json.JsonFormatter",
            ],
            params: &[],
            build: json,
        },
        Builtin {
            name: "LogfmtFormatter",
            aliases: &["logfmter.Logfmter"],
            params: &[],
            build: logfmt,
        },
        Builtin {
            name: "ConsoleFormatter",
            aliases: &["colorlog.ColoredFormatter"],
            params: &[],
            build: console,
        },
    ]
}

fn pattern(a: &mut Args<'_>) -> Option<Arc<dyn Format>> {
    let style = match a.str("style").as_deref() {
        None | Some("%") => Style::Percent,
        Some("{") => Style::Brace,
        Some("$") => Style::Dollar,
        Some(other) => {
            a.error("style", format!("expected one of %, {{, $, got '{other}'"));
            Style::Percent
        }
    };
    // Python's dictConfig says `format`; Formatter's own parameter is `fmt`.
    // An empty format or datefmt means the default, as in Python
    // (`fmt or default_format`); fileConfig writes `datefmt=` often.
    let format = a
        .str("format")
        .or_else(|| a.str("fmt"))
        .filter(|f| !f.is_empty());
    let datefmt = a.str("datefmt").filter(|d| !d.is_empty());
    // Python checks the pattern only with validate=True; lumber must parse
    // it either way, so `validate` is accepted and has no effect.
    let _ = a.bool("validate");
    let utc = a.bool("utc").unwrap_or(false);
    let escape = a.bool("escape").unwrap_or(false);
    let default = match style {
        Style::Percent => "%(message)s",
        Style::Brace => "{message}",
        Style::Dollar => "${message}",
    };
    match Formatter::with_style(format.as_deref().unwrap_or(default), style) {
        Ok(f) => {
            let f = f.utc(utc).escape(escape);
            let f = match datefmt {
                Some(d) => f.datefmt(&d),
                None => f,
            };
            Some(Arc::new(f))
        }
        Err(e) => {
            a.error(if a.has("fmt") { "fmt" } else { "format" }, e.to_string());
            None
        }
    }
}

fn time_format(a: &mut Args<'_>) -> Option<TimeFormat> {
    let choice = a.choice(
        "time_format",
        &[
            "rfc3339",
            "rfc3339_seconds",
            "rfc3339_micros",
            "rfc3339_nanos",
            "epoch",
            "epoch_millis",
            "epoch_nanos",
        ],
    )?;
    Some(match choice {
        "rfc3339_seconds" => TimeFormat::Rfc3339(TimePrecision::Seconds),
        "rfc3339_micros" => TimeFormat::Rfc3339(TimePrecision::Micros),
        "rfc3339_nanos" => TimeFormat::Rfc3339(TimePrecision::Nanos),
        "epoch" => TimeFormat::EpochSeconds(TimePrecision::Millis),
        "epoch_millis" => TimeFormat::EpochMillis,
        "epoch_nanos" => TimeFormat::EpochNanos,
        _ => TimeFormat::Rfc3339(TimePrecision::Millis),
    })
}

/// The options the JSON and logfmt formatters share (their builders have
/// the same methods but no common trait).
macro_rules! structured_options {
    ($a:expr, $f:ident) => {{
        for key in $a.str_list("keys").unwrap_or_default() {
            $f = $f.add_key(&key);
        }
        for key in $a.str_list("remove_keys").unwrap_or_default() {
            $f = $f.remove_key(&key);
        }
        if let Some(map) = $a.node("rename") {
            for (k, v) in map.entries().unwrap_or_default() {
                match v.as_str() {
                    Some(to) => $f = $f.rename(&k.name, to),
                    None => $a.error("rename", format!("'{}': expected a string", k.name)),
                }
            }
        }
        if let Some(map) = $a.node("static_fields") {
            for (k, v) in map.entries().unwrap_or_default() {
                $f = $f.static_field(&k.name, crate::config::plan::owned_value(v));
            }
        }
        if let Some(t) = time_format($a) {
            $f = $f.time_format(t);
        }
        if let Some(utc) = $a.bool("utc") {
            $f = $f.utc(utc);
        }
        if let Some(l) = $a.bool("lowercase_level") {
            $f = $f.lowercase_level(l);
        }
    }};
}

fn json(a: &mut Args<'_>) -> Option<Arc<dyn Format>> {
    let mut f = match a.choice("preset", &["default", "ecs", "gelf"]) {
        Some("ecs") => JsonFormatter::ecs(),
        Some("gelf") => JsonFormatter::gelf(),
        _ => JsonFormatter::new(),
    };
    structured_options!(a, f);
    match a.choice("fields", &["flatten", "nested", "omit"]) {
        Some("flatten") => f = f.flatten_fields(),
        Some("omit") => f = f.omit_fields(),
        _ => {}
    }
    if let Some(key) = a.str("fields_under") {
        f = f.fields_under(&key);
    }
    if let Some(key) = a.str("context_under") {
        f = f.context_under(&key);
    }
    if a.bool("merge_context") == Some(true) {
        f = f.merge_context();
    }
    Some(Arc::new(f))
}

fn logfmt(a: &mut Args<'_>) -> Option<Arc<dyn Format>> {
    let mut f = LogfmtFormatter::new();
    structured_options!(a, f);
    if a.choice("fields", &["inline", "omit"]) == Some("omit") {
        f = f.omit_fields();
    }
    Some(Arc::new(f))
}

fn console(a: &mut Args<'_>) -> Option<Arc<dyn Format>> {
    let mut f = ConsoleFormatter::new();
    match a.choice("color", &["auto", "always", "never"]) {
        Some("always") => f = f.color(ColorChoice::Always),
        Some("never") => f = f.color(ColorChoice::Never),
        _ => {}
    }
    if let Some(b) = a.bool("escape") {
        f = f.escape(b);
    }
    if let Some(b) = a.bool("time") {
        f = f.time(b);
    }
    if let Some(s) = a.str("datefmt") {
        f = f.time_format(&s);
    }
    if let Some(b) = a.bool("millis") {
        f = f.millis(b);
    }
    if let Some(b) = a.bool("utc") {
        f = f.utc(b);
    }
    if let Some(b) = a.bool("thread") {
        f = f.thread(b);
    }
    if let Some(b) = a.bool("location") {
        f = f.location(b);
    }
    if let Some(b) = a.bool("fields") {
        f = f.fields(b);
    }
    if let Some(w) = a.count("level_width") {
        f = f.level_width(w);
    }
    Some(Arc::new(f))
}

pub(crate) fn filters() -> Vec<Builtin<Arc<dyn Filter>>> {
    vec![
        Builtin {
            name: "Filter",
            aliases: &["logging.Filter"],
            params: &["name"],
            build: |a| {
                Some(Arc::new(NameFilter::new(
                    &a.str("name").unwrap_or_default(),
                )))
            },
        },
        Builtin {
            name: "LevelFilter",
            aliases: &[],
            params: &["min", "max"],
            build: |a| {
                let min = a.level("min").unwrap_or(Level::NOTSET);
                let max = a.level("max").unwrap_or(Level::new(u32::MAX));
                if min > max {
                    a.error("min", format!("min ({min}) is above max ({max})"));
                }
                Some(Arc::new(LevelFilter::new(min, max)))
            },
        },
    ]
}
