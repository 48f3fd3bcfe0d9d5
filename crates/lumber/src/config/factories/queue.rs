//! Configuration factories for the queue handlers: Python 3.12's
//! `QueueHandler`, whose `handlers` run on a listener thread the
//! configuration starts and keeps, and `MemoryHandler`.

use super::{Builtin, checked, shown};
use crate::config::{Args, Node, Value};
use crate::handler::Handler;
use crate::queue::{MemoryHandler, Overflow, Queue, QueueHandler, QueueListener};

/// The largest per-thread ring a configuration may ask for (entries).
const MAX_RING_CAPACITY: usize = 1 << 20;

/// Records a configured queue holds when neither `capacity` nor the
/// queue's `maxsize` says (Python's `queue.Queue()` is unbounded; lumber's
/// queues never are).
const DEFAULT_CAPACITY: usize = 10_000;

/// The queue handler classes.
pub(crate) fn handlers() -> Vec<Builtin<Handler>> {
    vec![
        Builtin {
            name: "QueueHandler",
            aliases: &["logging.handlers.QueueHandler"],
            params: &["queue"],
            build: queue_handler,
        },
        Builtin {
            name: "MemoryHandler",
            aliases: &["logging.handlers.MemoryHandler"],
            params: &["capacity", "flushLevel", "target", "flushOnClose"],
            build: memory,
        },
    ]
}

/// Python's `queue` key: the class of the queue (`queue.Queue`, or a
/// mapping `{"()": "queue.Queue", "maxsize": N}`). lumber always uses its
/// own bounded queue; returns the `maxsize`, if one was given.
fn python_queue(a: &mut Args<'_>, bad: &mut bool) -> Option<usize> {
    let n = a.node("queue")?;
    let mut problems = Vec::new();
    let mut maxsize = None;
    let class = match &n.value {
        Value::Str(s) => Some(s.as_str()),
        Value::Map(entries) => {
            for (k, v) in entries {
                match k.name.as_str() {
                    "()" | "class" => {}
                    "maxsize" => match v.as_i64() {
                        Some(m) if m > 0 => maxsize = usize::try_from(m).ok(),
                        _ => problems.push(format!(
                            "maxsize: lumber's queue is bounded: expected a number above 0 (or none, for capacity's default {DEFAULT_CAPACITY}), got {}",
                            shown(v)
                        )),
                    },
                    other => problems.push(format!("unknown key '{other}': only maxsize is read")),
                }
            }
            n.get("()")
                .or_else(|| n.get("class"))
                .and_then(Node::as_str)
        }
        _ => None,
    };
    let name = class.map(|c| c.trim().trim_start_matches("ext://"));
    match name {
        Some("queue.Queue" | "queue.SimpleQueue") => {}
        Some(c) if c.starts_with("multiprocessing.") => problems.push(format!(
            "'{c}': lumber's queue works within one process; a multiprocessing queue is not supported"
        )),
        _ => problems.push(format!(
            "expected queue.Queue (lumber uses its own bounded queue: see capacity and overflow), got {}",
            shown(n)
        )),
    }
    for msg in problems {
        a.error("queue", msg);
        *bad = true;
    }
    maxsize
}

/// Python's `listener` key: only lumber's own listener exists.
fn python_listener(a: &mut Args<'_>, bad: &mut bool) {
    let Some(n) = a.node("listener") else { return };
    let name = n.as_str().map(|s| s.trim().trim_start_matches("ext://"));
    let known = matches!(
        name,
        Some("logging.handlers.QueueListener" | "handlers.QueueListener" | "QueueListener")
    );
    if !known {
        a.error(
            "listener",
            format!(
                "only logging.handlers.QueueListener (lumber's own) is available, got {}",
                shown(n)
            ),
        );
        *bad = true;
    }
}

/// `QueueHandler`: a bounded queue, and a listener thread (kept with the
/// configuration) that hands its records to `handlers`.
fn queue_handler(a: &mut Args<'_>) -> Option<Handler> {
    let mut bad = false;
    let handlers = a
        .required("handlers")
        .and_then(|_| checked(a, &mut bad, "handlers", Args::handler_list));
    let maxsize = python_queue(a, &mut bad);
    python_listener(a, &mut bad);
    let capacity = checked(a, &mut bad, "capacity", Args::count);
    let overflow = checked(a, &mut bad, "overflow", |a, n| {
        a.choice(n, &["block", "drop_newest", "drop_oldest"])
    });
    let respect = checked(a, &mut bad, "respect_handler_level", Args::bool).unwrap_or(false);
    let fast_path = checked(a, &mut bad, "fast_path", Args::bool).unwrap_or(true);
    let ring_capacity = checked(a, &mut bad, "ring_capacity", Args::count);
    if handlers.as_ref().is_some_and(Vec::is_empty) {
        a.error(
            "handlers",
            "expected at least one handler name: a queue without handlers drops every record",
        );
        bad = true;
    }
    if capacity == Some(0) {
        a.error("capacity", "expected at least 1");
        bad = true;
    }
    if capacity.is_some() && maxsize.is_some() {
        a.error(
            "capacity",
            "given twice: as capacity and as the queue's maxsize",
        );
        bad = true;
    }
    if ring_capacity == Some(0) {
        a.error("ring_capacity", "expected at least 1");
        bad = true;
    }
    // Each thread's ring is allocated whole, on its first record: a bound
    // keeps a typo from taking the process's memory.
    if let Some(r) = ring_capacity
        && r > MAX_RING_CAPACITY
    {
        a.error(
            "ring_capacity",
            format!("expected at most {MAX_RING_CAPACITY} entries per thread, got {r}"),
        );
        bad = true;
    }
    let handlers = handlers?;
    if bad || a.check_only() {
        return None;
    }
    let overflow = match overflow {
        Some("drop_newest") => Overflow::DropNewest,
        Some("drop_oldest") => Overflow::DropOldest,
        _ => Overflow::Block,
    };
    let queue = Queue::new(capacity.or(maxsize).unwrap_or(DEFAULT_CAPACITY), overflow);
    let mut listener = QueueListener::new(queue.clone(), handlers)
        .respect_handler_level(respect)
        .fast_path(fast_path);
    if let Some(entries) = ring_capacity {
        listener = listener.ring_capacity(entries);
    }
    match listener.start() {
        Ok(running) => a.keep(Box::new(running)),
        Err(e) => {
            a.error("handlers", format!("cannot start the listener thread: {e}"));
            return None;
        }
    }
    Some(Handler::new(QueueHandler::new(queue)))
}

/// `MemoryHandler`: buffers records for `target`.
fn memory(a: &mut Args<'_>) -> Option<Handler> {
    let mut bad = false;
    let capacity = a
        .required("capacity")
        .and_then(|_| checked(a, &mut bad, "capacity", Args::count));
    let flush_level = checked(a, &mut bad, "flush_level", Args::level);
    let target = checked(a, &mut bad, "target", Args::handler);
    let flush_on_close = checked(a, &mut bad, "flush_on_close", Args::bool);
    let capacity = capacity?;
    if bad || a.check_only() {
        return None;
    }
    let mut h = MemoryHandler::new(capacity, target);
    if let Some(level) = flush_level {
        h = h.flush_level(level);
    }
    if let Some(flush) = flush_on_close {
        h = h.flush_on_close(flush);
    }
    Some(Handler::new(h))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use crate::config::{Config, FileFormat};
    use crate::handler::Handler;

    /// A fresh directory for one test.
    fn dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("lumber-fact-queue-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// `path` as a JSON string.
    fn js(path: &Path) -> String {
        format!("{:?}", path.display().to_string())
    }

    /// A configuration with `handlers` (JSON), the ones named in `used`
    /// attached to `logger` alone.
    fn config(logger: &str, handlers: &str, used: &str) -> Config {
        let text = format!(
            r#"{{
                "version": 1,
                "disable_existing_loggers": false,
                "formatters": {{"plain": {{"format": "%(levelname)s %(message)s"}}}},
                "handlers": {handlers},
                "loggers": {{"{logger}": {{"level": "DEBUG", "handlers": {used}, "propagate": false}}}}
            }}"#
        );
        Config::from_str(&text, FileFormat::Json, None).unwrap()
    }

    /// Every problem of checking `handlers`, as `key: message`, in the
    /// order of the text.
    fn problems(handlers: &str) -> Vec<String> {
        super::super::testing::problems(&config("fact.queue.unused", handlers, "[]"))
    }

    /// What a configuration keeps alive (the listeners).
    type Kept = Vec<(std::sync::Weak<Handler>, Box<dyn std::any::Any + Send>)>;

    /// Builds `config` as `apply` would, but keeps what it keeps (the
    /// listener) here: an `apply` by a test running meanwhile replaces
    /// the applied configuration's kept objects, which would stop it.
    fn build(config: &Config) -> (Vec<(String, Arc<Handler>)>, Kept) {
        let plan = config.plan(false).unwrap();
        let handlers = plan.handlers.into_iter().map(|(n, h, _)| (n, h)).collect();
        (handlers, plan.kept)
    }

    fn named(handlers: &[(String, Arc<Handler>)], name: &str) -> Arc<Handler> {
        Arc::clone(&handlers.iter().find(|(n, _)| n == name).unwrap().1)
    }

    #[test]
    fn queue_handler_delivers_to_its_handlers_on_a_listener() {
        let d = dir("deliver");
        let c = config(
            "fact.queue.deliver",
            &format!(
                r#"{{
                    "file": {{"class": "FileHandler", "filename": {}, "formatter": "plain", "level": "WARNING"}},
                    "all": {{"class": "FileHandler", "filename": {}, "formatter": "plain"}},
                    "q": {{"class": "logging.handlers.QueueHandler", "handlers": ["file", "all"],
                          "respect_handler_level": true, "capacity": 100, "overflow": "drop_oldest",
                          "queue": "ext://queue.Queue", "listener": "logging.handlers.QueueListener"}}
                }}"#,
                js(&d.join("warnings.log")),
                js(&d.join("all.log"))
            ),
            r#"["q"]"#,
        );
        let (handlers, kept) = build(&c);
        assert_eq!(kept.len(), 1);
        let q = named(&handlers, "q");
        assert_eq!(q.sink().target(), "<queue of 100>");
        let log = crate::get_logger("fact.queue.deliver");
        log.set_propagate(false);
        log.set_level(crate::Level::DEBUG);
        log.add_handler(q);
        log.info("routine");
        log.warning("careful");
        crate::flush();
        let read = |n: &str| std::fs::read_to_string(d.join(n)).unwrap();
        assert_eq!(read("warnings.log"), "WARNING careful\n");
        assert_eq!(read("all.log"), "INFO routine\nWARNING careful\n");
        drop(kept);
    }

    #[test]
    fn queue_maxsize_is_the_capacity() {
        let c = config(
            "fact.queue.maxsize",
            r#"{"null": {"class": "NullHandler"},
                "q": {"class": "QueueHandler", "handlers": "null", "fast_path": false, "ring_capacity": 64,
                      "queue": {"()": "queue.Queue", "maxsize": 5}}}"#,
            "[]",
        );
        let (handlers, kept) = build(&c);
        assert_eq!(named(&handlers, "q").sink().target(), "<queue of 5>");
        drop(kept);
    }

    #[test]
    fn queue_handler_problems() {
        assert_eq!(
            problems(r#"{"q": {"class": "QueueHandler"}}"#),
            ["handlers.q.handlers: required option missing"]
        );
        assert_eq!(
            problems(
                r#"{"f": {"class": "NullHandler"},
                    "q": {"class": "QueueHandler", "handlers": ["f", "nope"], "capacity": 0, "overflow": "drop",
                          "respect_handler_level": "maybe", "queue": "ext://multiprocessing.Queue",
                          "listener": "myapp.Listener"}}"#
            ),
            [
                "handlers.q.handlers: no handler named 'nope'",
                "handlers.q.capacity: expected at least 1",
                "handlers.q.overflow: expected one of block, drop_newest, drop_oldest, got 'drop'",
                "handlers.q.respect_handler_level: expected true or false, got 'maybe'",
                "handlers.q.queue: 'multiprocessing.Queue': lumber's queue works within one process; a multiprocessing queue is not supported",
                "handlers.q.listener: only logging.handlers.QueueListener (lumber's own) is available, got 'myapp.Listener'",
            ]
        );
        assert_eq!(
            problems(
                r#"{"f": {"class": "NullHandler"},
                    "q": {"class": "QueueHandler", "handlers": [], "capacity": 10, "queue": {"()": "queue.Queue", "maxsize": 5}}}"#
            ),
            [
                "handlers.q.handlers: expected at least one handler name: a queue without handlers drops every record",
                "handlers.q.capacity: given twice: as capacity and as the queue's maxsize",
            ]
        );
        assert_eq!(
            problems(
                r#"{"f": {"class": "NullHandler"},
                    "q": {"class": "QueueHandler", "handlers": "f", "queue": {"class": "queue.Queue", "maxsize": 0, "size": 1}}}"#
            ),
            [
                "handlers.q.queue: maxsize: lumber's queue is bounded: expected a number above 0 (or none, for capacity's default 10000), got 0",
                "handlers.q.queue: unknown key 'size': only maxsize is read",
            ]
        );
        assert_eq!(
            problems(
                r#"{"f": {"class": "NullHandler"}, "q": {"class": "QueueHandler", "handlers": "f", "queue": "collections.deque"}}"#
            ),
            [
                "handlers.q.queue: expected queue.Queue (lumber uses its own bounded queue: see capacity and overflow), got 'collections.deque'"
            ]
        );
    }

    #[test]
    fn memory_handler_flushes_to_its_target_at_flush_level() {
        let d = dir("memory");
        let path = d.join("app.log");
        let c = config(
            "fact.queue.memory",
            &format!(
                r#"{{
                    "file": {{"class": "FileHandler", "filename": {}, "formatter": "plain"}},
                    "mem": {{"class": "logging.handlers.MemoryHandler", "capacity": 10,
                            "flushLevel": "WARNING", "target": "file", "flushOnClose": false}}
                }}"#,
                js(&path)
            ),
            r#"["mem"]"#,
        );
        c.apply().unwrap();
        let log = crate::get_logger("fact.queue.memory");
        log.debug("step 1");
        log.info("step 2");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
        log.warning("failed");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "DEBUG step 1\nINFO step 2\nWARNING failed\n"
        );
        let mem = log.handlers().into_iter().next().unwrap();
        assert_eq!(
            mem.sink().target(),
            format!("buffer of 10 -> {}", path.display())
        );
    }

    #[test]
    fn memory_handler_flushes_when_full_and_positional_args() {
        let d = dir("memory-full");
        let path = d.join("app.log");
        // MemoryHandler(capacity, flushLevel); the target by name.
        let c = config(
            "fact.queue.memory_full",
            &format!(
                r#"{{
                    "file": {{"class": "FileHandler", "filename": {}, "formatter": "plain"}},
                    "mem": {{"class": "MemoryHandler", "args": [2, 50], "target": "file"}}
                }}"#,
                js(&path)
            ),
            r#"["mem"]"#,
        );
        c.apply().unwrap();
        let log = crate::get_logger("fact.queue.memory_full");
        log.error("one");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
        log.error("two");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "ERROR one\nERROR two\n"
        );
    }

    #[test]
    fn memory_handler_problems() {
        assert_eq!(
            problems(
                r#"{"m": {"class": "MemoryHandler", "flushLevel": "LOUD", "target": "fiel", "flush_on_close": 2}}"#
            ),
            [
                "handlers.m.capacity: required option missing",
                "handlers.m.flush_level: expected a level name like INFO or a number, got 'LOUD'",
                "handlers.m.target: no handler named 'fiel'",
                "handlers.m.flush_on_close: expected true or false, got 2",
            ]
        );
        // Checking opens nothing and starts nothing.
        assert!(problems(r#"{"n": {"class": "NullHandler"}, "m": {"class": "MemoryHandler", "capacity": 5, "target": "n"}}"#).is_empty());
    }
}
