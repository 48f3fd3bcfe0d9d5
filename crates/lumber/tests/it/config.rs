//! `basic_config`, guards and shutdown. These touch the root logger, so
//! each takes the root lock.

use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

use lumber::{Formatter, Handler, Level, StreamHandler, basic_config, get_logger, root, warning};

use crate::root_lock;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lumber-it-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

#[test]
fn basic_config_writes_pythons_default_format_to_a_file() {
    let _all = crate::stopping_all();
    let _root = root_lock();
    let dir = scratch("basic");
    let path = dir.join("logs/app.log");
    let guard = basic_config().filename(&path).force(true).init().unwrap();
    let log = get_logger("bc.app");
    warning!(logger: log, "disk {}% full", 91);
    lumber::info!(logger: log, "root is at WARNING: not shown");
    drop(guard); // flushes and closes
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "WARNING:bc.app:disk 91% full\n"
    );
    root().clear_handlers();
}

#[test]
fn basic_config_does_nothing_when_the_root_has_handlers_unless_forced() {
    let _all = crate::stopping_all();
    let _root = root_lock();
    let dir = scratch("force");
    let _g = basic_config()
        .filename(dir.join("a.log"))
        .force(true)
        .init()
        .unwrap();
    let _g2 = basic_config()
        .filename(dir.join("b.log"))
        .level(Level::DEBUG)
        .init()
        .unwrap();
    assert_eq!(root().handlers().len(), 1);
    assert_ne!(
        root().level(),
        Level::DEBUG,
        "level is not set when nothing is configured"
    );
    assert!(!dir.join("b.log").exists());
    let _g3 = basic_config()
        .filename(dir.join("c.log"))
        .level(Level::DEBUG)
        .force(true)
        .init()
        .unwrap();
    assert_eq!(root().handlers().len(), 1);
    assert_eq!(root().level(), Level::DEBUG);
    assert!(dir.join("c.log").exists());
    root().clear_handlers();
    root().set_level(Level::WARNING);
}

#[test]
fn basic_config_reports_every_problem_at_once() {
    let _all = crate::stopping_all();
    let _root = root_lock();
    let err = basic_config()
        .filename("/tmp/x.log")
        .stream(lumber::Stream::Stdout)
        .format("%(message)s %(name)d")
        .encoding("latin-1")
        .init()
        .unwrap_err();
    let keys: Vec<&str> = err.problems().map(|(k, _)| k).collect();
    assert_eq!(keys, ["stream", "encoding", "format"]);
    assert!(err.to_string().contains("field 'name'"), "{err}");
    assert!(root().handlers().is_empty(), "nothing applied on error");
}

#[test]
fn handlers_passed_in_keep_their_own_formatter() {
    let _all = crate::stopping_all();
    let _root = root_lock();
    let own = Arc::new(
        Handler::new(StreamHandler::writer(Vec::new()))
            .with_formatter(Formatter::new("%(message)s!").unwrap()),
    );
    let plain = Arc::new(Handler::new(StreamHandler::writer(Vec::new())));
    let _g = basic_config()
        .handlers(vec![own.clone(), plain.clone()])
        .format("%(name)s")
        .force(true)
        .init()
        .unwrap();
    assert_eq!(own.formatter().describe(), "Formatter(\"%(message)s!\")");
    assert_eq!(plain.formatter().describe(), "Formatter(\"%(name)s\")");
    root().clear_handlers();
}

#[test]
fn shutdown_flushes_buffered_files() {
    let _all = crate::stopping_all();
    let dir = scratch("shutdown");
    let path = dir.join("buffered.log");
    let log = get_logger("bc.buffered");
    log.set_propagate(false);
    log.set_level(Level::INFO);
    log.add_handler(
        lumber::FileHandler::options(&path)
            .buffer(1 << 20)
            .open()
            .unwrap(),
    );
    lumber::info!(logger: log, "held in the buffer");
    assert_eq!(fs::read_to_string(&path).unwrap(), "");
    lumber::shutdown();
    assert_eq!(fs::read_to_string(&path).unwrap(), "held in the buffer\n");
}

#[test]
fn a_failed_forced_config_leaves_the_root_as_it_was() {
    let _all = crate::stopping_all();
    let _root = root_lock();
    let dir = scratch("failforce");
    let _g = basic_config()
        .filename(dir.join("ok.log"))
        .force(true)
        .init()
        .unwrap();
    fs::write(dir.join("taken"), "a file, not a directory").unwrap();
    let err = basic_config()
        .filename(dir.join("taken/app.log"))
        .force(true)
        .init()
        .unwrap_err();
    assert_eq!(err.problems().next().unwrap().0, "filename");
    assert_eq!(root().handlers().len(), 1, "the old handler is still there");
    let err = basic_config().filemode("r").force(true).init().unwrap_err();
    assert_eq!(err.problems().next().unwrap().0, "filemode");
    root().clear_handlers();
}

#[test]
fn relative_created_counts_from_the_start() {
    let r = lumber::Record::new("x", Level::INFO, lumber::Message::Str(""));
    assert!(r.relative_created() >= 0.0);
}
