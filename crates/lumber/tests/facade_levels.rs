//! The facades' global filters follow lumber's hierarchy: `log::max_level`
//! and tracing's level hint are the most verbose level any lumber logger
//! lets through, recomputed on every change. In a process of its own, as
//! the filters are process-wide.
#![allow(clippy::unwrap_used, missing_docs)]

use lumber::{Level, disable, get_logger, root};
use tracing::level_filters::LevelFilter as TracingLevel;

#[test]
fn the_facades_global_filters_follow_the_hierarchy() {
    lumber::bridge::log::init().unwrap();
    lumber::bridge::tracing::init().unwrap();
    let current = || (log::max_level(), TracingLevel::current());

    // Only the root, at WARNING (Python's default).
    assert_eq!(root().level(), Level::WARNING);
    assert_eq!(current(), (log::LevelFilter::Warn, TracingLevel::WARN));

    let app = get_logger("app.db");
    app.set_level(Level::DEBUG);
    assert_eq!(current(), (log::LevelFilter::Debug, TracingLevel::DEBUG));

    // A logger made later under a verbose parent does not lower anything.
    let _child = get_logger("app.db.pool");
    assert_eq!(current(), (log::LevelFilter::Debug, TracingLevel::DEBUG));

    get_logger("app").set_level(Level::TRACE);
    assert_eq!(current(), (log::LevelFilter::Trace, TracingLevel::TRACE));

    // Back up: the facades stop calling lumber for what no logger takes.
    get_logger("app").set_level(Level::NOTSET);
    app.set_level(Level::NOTSET);
    assert_eq!(current(), (log::LevelFilter::Warn, TracingLevel::WARN));

    // A custom level between two of the facades' lets the higher through.
    root().set_level(Level::new(25));
    assert_eq!(current(), (log::LevelFilter::Warn, TracingLevel::WARN));

    // `disable()` counts too.
    disable(Level::CRITICAL);
    assert_eq!(current(), (log::LevelFilter::Off, TracingLevel::OFF));
    disable(Level::NOTSET);
    root().set_level(Level::ERROR);
    assert_eq!(current(), (log::LevelFilter::Error, TracingLevel::ERROR));
    // `disabled` is per logger (as in Python): the root's children still
    // take ERROR records.
    root().set_disabled(true);
    assert_eq!(current(), (log::LevelFilter::Error, TracingLevel::ERROR));
    root().set_disabled(false);

    // What the filters let through reaches lumber.
    let capture = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = capture.clone();
    root().add_handler(lumber::from_fn(move |_level, line: &str| {
        sink.lock().unwrap().push(line.to_owned());
    }));
    log::error!(target: "x", "from log");
    tracing::error!(target: "y", "from tracing");
    log::warn!(target: "x", "below ERROR");
    assert_eq!(*capture.lock().unwrap(), ["from log", "from tracing"]);
}
