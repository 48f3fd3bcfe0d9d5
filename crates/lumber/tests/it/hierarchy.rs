//! The logger tree: names, parents, levels, propagation, handlers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use lumber::{Handler, Level, LevelFilter, NameFilter, get_logger, info, root};

use crate::{Capture, isolated};

#[test]
fn the_same_name_gives_the_same_logger_and_rust_paths_are_dotted() {
    assert_eq!(get_logger("h.same"), get_logger("h.same"));
    assert_eq!(get_logger("h::same"), get_logger("h.same"));
    assert_eq!(get_logger("root"), root());
    assert_eq!(root().parent(), None);
}

#[test]
fn loggers_created_before_their_parents_are_fixed_up() {
    let leaf = get_logger("fix.a.b.c");
    assert_eq!(leaf.parent(), Some(root()));
    let top = get_logger("fix");
    assert_eq!(leaf.parent(), Some(top));
    let mid = get_logger("fix.a.b");
    assert_eq!(leaf.parent(), Some(mid));
    assert_eq!(mid.parent(), Some(top));
    // A sibling that merely shares a prefix is not a child.
    let other = get_logger("fix.a.bb");
    assert_eq!(other.parent(), Some(top));
    let a = get_logger("fix.a");
    assert_eq!(mid.parent(), Some(a));
    assert_eq!(other.parent(), Some(a));
    assert_eq!(leaf.parent(), Some(mid), "deeper links are kept");
}

#[test]
fn effective_level_is_inherited_and_follows_changes() {
    let parent = get_logger("eff");
    let child = get_logger("eff.child.grandchild");
    parent.set_level(Level::ERROR);
    assert_eq!(child.level(), Level::NOTSET);
    assert_eq!(child.effective_level(), Level::ERROR);
    assert!(!child.is_enabled_for(Level::WARNING));
    parent.set_level(Level::DEBUG);
    assert!(child.is_enabled_for(Level::DEBUG));
    child.set_level(Level::CRITICAL);
    assert!(!child.is_enabled_for(Level::ERROR));
    child.set_level(Level::NOTSET);
    assert!(child.is_enabled_for(Level::DEBUG));
}

#[test]
fn propagation_walks_up_until_propagate_is_false() {
    let (_top, top_lines) = isolated("prop", "%(name)s %(message)s");
    let mid = get_logger("prop.mid");
    let mid_lines = Capture::default();
    mid.add_handler(mid_lines.handler("%(message)s"));
    let leaf = get_logger("prop.mid.leaf");
    info!(logger: leaf, "one");
    assert_eq!(mid_lines.lines(), ["one"]);
    assert_eq!(top_lines.lines(), ["prop.mid.leaf one"]);
    mid.set_propagate(false);
    info!(logger: leaf, "two");
    assert_eq!(mid_lines.lines(), ["one", "two"]);
    assert_eq!(top_lines.lines(), ["prop.mid.leaf one"]);
    assert!(leaf.has_handlers());
}

#[test]
fn handler_levels_and_filters_apply_per_handler() {
    let (log, all) = isolated("hl", "%(levelname)s");
    let errors = Capture::default();
    log.add_handler(errors.handler("%(levelname)s").with_level(Level::ERROR));
    let info_only = Capture::default();
    log.add_handler(
        info_only
            .handler("%(levelname)s")
            .with_filter(LevelFilter::new(Level::INFO, Level::INFO)),
    );
    for level in [Level::DEBUG, Level::INFO, Level::ERROR] {
        lumber::log!(logger: log, level, "x");
    }
    assert_eq!(all.lines(), ["DEBUG", "INFO", "ERROR"]);
    assert_eq!(errors.lines(), ["ERROR"]);
    assert_eq!(info_only.lines(), ["INFO"]);
}

#[test]
fn logger_filters_see_only_their_own_records() {
    let (top, lines) = isolated("lf", "%(name)s");
    top.add_filter(NameFilter::new("lf.keep"));
    info!(logger: top, "dropped by the filter on lf");
    info!(logger: get_logger("lf.other"), "propagated: lf's filter does not apply");
    assert_eq!(lines.lines(), ["lf.other"]);
}

#[test]
fn a_disabled_logger_drops_its_records_but_passes_its_childrens() {
    let (top, lines) = isolated("dis", "%(name)s");
    top.set_disabled(true);
    assert!(!top.is_enabled_for(Level::CRITICAL));
    info!(logger: top, "gone");
    info!(logger: get_logger("dis.child"), "kept");
    assert_eq!(lines.lines(), ["dis.child"]);
    top.set_disabled(false);
    info!(logger: top, "back");
    assert_eq!(lines.lines(), ["dis.child", "dis"]);
}

#[test]
fn global_disable_folds_into_every_gate() {
    // Levels 1..=3 are used by no other test, so this cannot disturb them.
    let (log, lines) = isolated("gdis", "%(levelno)s");
    log.set_level(Level::new(1));
    lumber::disable(Level::new(3));
    assert_eq!(lumber::disabled_level(), Level::new(3));
    lumber::log!(logger: log, Level::new(3), "off");
    lumber::log!(logger: log, Level::new(4), "on");
    lumber::disable(Level::NOTSET);
    lumber::log!(logger: log, Level::new(2), "on again");
    assert_eq!(lines.lines(), ["4", "2"]);
}

#[test]
fn handlers_can_be_shared_and_removed() {
    let capture = Capture::default();
    let shared = Arc::new(capture.handler("%(name)s"));
    let a = get_logger("share.a");
    let b = get_logger("share.b");
    for l in [a, b] {
        l.set_propagate(false);
        l.set_level(Level::INFO);
        l.add_handler(Arc::clone(&shared));
    }
    a.add_handler(Arc::clone(&shared)); // adding twice is a no-op, as in Python
    info!(logger: a, "x");
    info!(logger: b, "x");
    b.remove_handler(&shared);
    info!(logger: b, "x");
    assert_eq!(capture.lines(), ["share.a", "share.b"]);
}

#[test]
fn records_with_no_handler_anywhere_go_to_the_last_resort() {
    let _root = crate::root_lock();
    let saved = root().clear_handlers();
    let last = Capture::default();
    lumber::set_last_resort(Some(Arc::new(
        Handler::new(last.clone()).with_level(Level::WARNING),
    )));
    let orphan = get_logger("lastresort.orphan");
    orphan.set_level(Level::DEBUG);
    lumber::info!(logger: orphan, "below WARNING: not shown");
    lumber::warning!(logger: orphan, "shown with the message only");
    // A logger with a handler that filters the record out still counts as
    // handled: the last resort is for records that found no handler.
    let handled = get_logger("lastresort.handled");
    handled.add_handler(Handler::new(lumber::NullHandler));
    lumber::error!(logger: handled, "not shown");
    lumber::set_last_resort(None);
    lumber::error!(logger: orphan, "dropped");
    let lines: Vec<String> = last.lines();
    for h in saved {
        root().add_handler(h);
    }
    assert_eq!(lines, ["shown with the message only"]);
}

#[test]
fn level_changes_from_other_threads_reach_every_cached_gate() {
    const THREADS: usize = 4;
    let parent = get_logger("race");
    let child = get_logger("race.a.b");
    child.set_propagate(false);
    let after_final = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&after_final);
    child.add_handler(lumber::from_fn(move |_, line| {
        if line == "must not pass" {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    }));
    parent.set_level(Level::DEBUG);
    let stop = Arc::new(AtomicBool::new(false));
    let barrier = Arc::new(Barrier::new(THREADS + 1));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (stop, barrier) = (Arc::clone(&stop), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let mut logged = 0u64;
                while !stop.load(Ordering::SeqCst) {
                    if child.is_enabled_for(Level::INFO) {
                        logged += 1;
                    }
                    info!(logger: child, "tick");
                }
                barrier.wait();
                // After the final change, nothing at INFO gets through.
                for _ in 0..10_000 {
                    assert!(!child.is_enabled_for(Level::INFO));
                    info!(logger: child, "must not pass");
                }
                logged
            })
        })
        .collect();
    for i in 0..2_000 {
        parent.set_level(if i % 2 == 0 {
            Level::ERROR
        } else {
            Level::DEBUG
        });
    }
    parent.set_level(Level::ERROR);
    stop.store(true, Ordering::SeqCst);
    barrier.wait();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(after_final.load(Ordering::SeqCst), 0);
}

#[test]
fn a_disabled_logger_stops_even_the_highest_level() {
    let (log, lines) = isolated("maxlevel", "%(levelno)d");
    log.set_disabled(true);
    lumber::log!(logger: log, Level::new(u32::MAX), "x");
    log.set_disabled(false);
    lumber::log!(logger: log, Level::MAX, "y");
    assert_eq!(lines.lines(), [Level::MAX.value().to_string()]);
}

#[test]
fn sink_kinds_are_short_type_names_even_for_generic_sinks() {
    struct Wrap<T>(T);
    impl<T: Send + Sync + 'static> lumber::Sink for Wrap<T> {
        fn emit(&self, _: &lumber::Record<'_>, _: &str) -> std::io::Result<()> {
            Ok(())
        }
    }
    use lumber::Sink;
    assert_eq!(Wrap(std::sync::Mutex::new(0u8)).kind(), "Wrap");
    assert_eq!(lumber::StreamHandler::stderr().kind(), "StreamHandler");
}

/// Each thread keeps the states of the loggers it logs to: a handler added
/// or removed on another thread must be seen by the next record.
#[test]
fn handler_changes_on_another_thread_are_seen_at_once() {
    let (log, first) = crate::isolated("cache.cross", "1 %(message)s");
    let (to_worker, work) = std::sync::mpsc::channel::<&'static str>();
    let (to_main, done) = std::sync::mpsc::channel::<()>();
    let worker = std::thread::spawn(move || {
        for message in work {
            log.info(message);
            to_main.send(()).unwrap();
        }
    });
    to_worker.send("a").unwrap();
    done.recv().unwrap();
    let second = crate::Capture::default();
    let handler = log.add_handler(second.handler("2 %(message)s"));
    to_worker.send("b").unwrap();
    done.recv().unwrap();
    log.remove_handler(&handler);
    log.set_propagate(false);
    to_worker.send("c").unwrap();
    done.recv().unwrap();
    drop(to_worker);
    worker.join().unwrap();
    assert_eq!(first.lines(), ["1 a", "1 b", "1 c"]);
    assert_eq!(second.lines(), ["2 b"]);
}
