//! The facade bridges: records from `log` and events from `tracing` land
//! on the logger named after their target, with their fields, spans and
//! context; scoped context follows futures across `.await`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};

use lumber::bridge::tracing::LumberLayer;
use lumber::{ContextExt, Level, Overflow, Queue, QueueHandler, QueueListener, fields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::{Layer, registry};

use crate::{Capture, isolated};

fn log_bridge() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| lumber::bridge::log::init().expect("no other log backend in this binary"));
}

#[test]
fn log_records_land_on_the_logger_named_after_their_target() {
    log_bridge();
    let (parent, lines) = isolated(
        "bridge_log",
        "%(name)s|%(levelname)s|%(module_path)s|%(filename)s|%(message)s|%(user)05d|%(ok)s|%(who)s",
    );
    parent.set_level(Level::DEBUG);
    let line = line!() + 1;
    log::debug!(target: "bridge_log::pool", user = 42, ok = true, who = "ann"; "opened {} connections", 3);
    log::trace!(target: "bridge_log::pool", "below the logger's level");
    log::info!(target: "elsewhere_entirely", "not under bridge_log");
    assert_eq!(
        lines.lines(),
        [format!(
            "bridge_log.pool|DEBUG|{}|bridge.rs|opened 3 connections|00042|true|ann",
            module_path!()
        )]
    );
    // The line number travels too.
    let (_, numbered) = isolated("bridge_log_line", "%(lineno)d");
    let here = line!() + 1;
    log::warn!(target: "bridge_log_line", "x");
    assert_eq!(numbered.lines(), [here.to_string()]);
    let _ = line;
}

#[test]
fn log_enabled_asks_the_hierarchy() {
    log_bridge();
    let log = lumber::get_logger("bridge_enabled");
    log.set_level(Level::ERROR);
    assert!(log::log_enabled!(target: "bridge_enabled::x", log::Level::Error));
    assert!(!log::log_enabled!(target: "bridge_enabled::x", log::Level::Warn));
    log.set_level(Level::TRACE);
    assert!(log::log_enabled!(target: "bridge_enabled::x", log::Level::Trace));
}

#[test]
fn log_records_take_the_fast_path_when_the_logger_has_one() {
    let _listeners = crate::listeners();
    log_bridge();
    let queue = Queue::new(1024, Overflow::Block);
    let capture = Capture::default();
    let listener = QueueListener::new(
        queue.clone(),
        vec![
            capture
                .handler("%(name)s %(levelname)s %(lineno)d %(message)s n=%(n)s [%(threadName)s]")
                .into(),
        ],
    )
    .fast_path(true)
    .start()
    .unwrap();
    let log = lumber::get_logger("bridge_fast");
    log.set_propagate(false);
    log.set_level(Level::INFO);
    log.add_handler(QueueHandler::new(queue));
    assert!(log.fast_path().is_some());
    let line = line!() + 2;
    for i in 0..3 {
        log::info!(target: "bridge_fast", n = i; "record {}", i);
    }
    listener.stop();
    let thread = std::thread::current().name().unwrap_or("").to_owned();
    let expected: Vec<String> = (0..3)
        .map(|i| format!("bridge_fast INFO {line} record {i} n={i} [{thread}]"))
        .collect();
    assert_eq!(capture.lines(), expected);
}

/// A layer that counts the events it sees, to show lumber's layer filters
/// nothing for the others.
#[derive(Clone, Default)]
struct Count(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for Count {
    fn on_event(&self, _: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn tracing_events_become_records_with_fields_spans_and_context() {
    let (log, lines) = isolated(
        "bridge_tr",
        "%(name)s|%(levelname)s|%(module_path)s|%(message)s|rows=%(rows)d ok=%(ok)s|%(spans)s|req=%(req)s user=%(user)s tenant=%(tenant)s",
    );
    log.set_level(Level::DEBUG);
    let count = Count::default();
    let subscriber = registry().with(LumberLayer::new()).with(count.clone());
    tracing::subscriber::with_default(subscriber, || {
        let _outer = lumber::push_context(fields!(tenant = "acme"));
        let request = tracing::info_span!("request", req = 7, user = "ann");
        let _r = request.enter();
        let query = tracing::info_span!("query", user = "bob");
        let _q = query.enter();
        tracing::debug!(target: "bridge_tr::db", rows = 3, ok = true, "query took {} ms", 12);
        tracing::trace!(target: "bridge_tr::db", "below DEBUG: lumber drops it");
    });
    assert_eq!(
        lines.lines(),
        [format!(
            "bridge_tr.db|DEBUG|{}|query took 12 ms|rows=3 ok=true|request:query|req=7 user=bob tenant=acme",
            module_path!()
        )]
    );
    // The other layer saw both events: lumber's level did not filter it.
    assert_eq!(count.0.load(Ordering::Relaxed), 2);
}

#[test]
fn span_fields_recorded_later_are_seen() {
    let (_log, lines) = isolated("bridge_rec", "%(message)s %(status)s");
    let subscriber = registry().with(LumberLayer::new());
    tracing::subscriber::with_default(subscriber, || {
        let span = tracing::info_span!("handler", status = tracing::field::Empty);
        let _e = span.enter();
        span.record("status", 204);
        tracing::info!(target: "bridge_rec", "done");
    });
    assert_eq!(lines.lines(), ["done 204"]);
}

#[test]
fn a_per_layer_filter_on_lumbers_layer_applies_to_it_alone() {
    let (_log, lines) = isolated("bridge_plf", "%(levelname)s %(message)s");
    let count = Count::default();
    let subscriber = registry()
        .with(LumberLayer::new().with_filter(tracing_subscriber::filter::LevelFilter::WARN))
        .with(count.clone());
    tracing::subscriber::with_default(subscriber, || {
        tracing::info!(target: "bridge_plf", "filtered out by the layer's filter");
        tracing::warn!(target: "bridge_plf", "passes");
    });
    assert_eq!(lines.lines(), ["WARNING passes"]);
    assert_eq!(count.0.load(Ordering::Relaxed), 2);
}

#[test]
fn tracing_values_keep_their_types() {
    let (_log, lines) = isolated(
        "bridge_types",
        "%(i)+d %(u)d %(f).1f %(b)s %(s)s %(d)s %(e)s|%(message)s",
    );
    let subscriber = registry().with(LumberLayer::new());
    let err = std::io::Error::other("boom");
    tracing::subscriber::with_default(subscriber, || {
        tracing::error!(
            target: "bridge_types",
            i = -3i64,
            u = 7u64,
            f = 2.25f64,
            b = false,
            s = "text",
            d = ?vec![1, 2],
            e = &err as &(dyn std::error::Error + 'static),
            "all {}",
            "kinds"
        );
    });
    assert_eq!(lines.lines(), ["-3 7 2.2 false text [1, 2] boom|all kinds"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scoped_context_follows_tasks_across_await_and_threads() {
    let (_log, lines) = isolated("bridge_async", "%(message)s req=%(req)s tenant=%(tenant)s");
    let log = lumber::get_logger("bridge_async");
    let _outer = lumber::push_context(fields!(tenant = "acme"));
    let mut tasks = Vec::new();
    for req in 0..8 {
        let task = async move {
            for step in 0..3 {
                lumber::info!(logger: log, "task {} step {}", req, step);
                // Yield so the task may resume on another worker thread.
                tokio::task::yield_now().await;
            }
            // Nothing leaks onto the worker thread outside the task.
            tokio::task::spawn_blocking(lumber::current_context)
                .await
                .unwrap()
        }
        .in_context(fields!(req = req));
        tasks.push(tokio::spawn(task));
    }
    for task in tasks {
        assert!(task.await.unwrap().is_none());
    }
    let mut got = lines.lines();
    got.sort();
    let mut want: Vec<String> = (0..8)
        .flat_map(|req| {
            (0..3).map(move |step| format!("task {req} step {step} req={req} tenant=acme"))
        })
        .collect();
    want.sort();
    assert_eq!(got, want);
    // `in_current_context` carries the caller's scope into a spawned task.
    let seen = tokio::spawn(
        async { lumber::current_context().and_then(|c| c.get("tenant").map(|v| v.to_string())) }
            .in_current_context(),
    )
    .await
    .unwrap();
    assert_eq!(seen.as_deref(), Some("acme"));
}

#[test]
fn a_sink_that_logs_through_log_does_not_recurse() {
    log_bridge();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    let log = lumber::get_logger("bridge_reenter");
    log.set_propagate(false);
    log.set_level(Level::DEBUG);
    // A sink built on a crate that logs through `log` itself.
    log.add_handler(lumber::from_fn(move |_, line: &str| {
        log::warn!(target: "bridge_reenter", "inner record for {line}");
        sink.lock().unwrap().push(line.to_owned());
    }));
    log::warn!(target: "bridge_reenter", "outer");
    assert_eq!(*seen.lock().unwrap(), ["outer"]);
}

#[test]
fn tracing_events_keep_their_span_fields_on_the_fast_path() {
    let _listeners = crate::listeners();
    let queue = Queue::new(1024, Overflow::Block);
    let capture = Capture::default();
    let listener = QueueListener::new(
        queue.clone(),
        vec![
            capture
                .handler("%(message)s id=%(id)s spans=%(spans)s")
                .into(),
        ],
    )
    .fast_path(true)
    .start()
    .unwrap();
    let log = lumber::get_logger("bridge_fast_spans");
    log.set_propagate(false);
    log.set_level(Level::INFO);
    log.add_handler(QueueHandler::new(queue));
    assert!(log.fast_path().is_some());
    let subscriber = registry().with(LumberLayer::new());
    tracing::subscriber::with_default(subscriber, || {
        let _span = tracing::info_span!("req", id = 7).entered();
        tracing::info!(target: "bridge_fast_spans", "inside");
    });
    listener.stop();
    assert_eq!(capture.lines(), ["inside id=7 spans=req"]);
}

/// A guard held across an `.await` and dropped outside a poll (its task
/// dropped while pending) must not leave its scope's frames on the thread.
#[test]
fn a_context_task_dropped_while_pending_leaves_the_thread_clean() {
    use std::task::{Context, Poll, Waker};
    let task = async {
        let _inner = lumber::push_context(fields!(a = 1));
        std::future::pending::<()>().await;
    }
    .in_context(fields!(t = 1));
    let mut task = Box::pin(task);
    assert_eq!(
        std::future::Future::poll(task.as_mut(), &mut Context::from_waker(Waker::noop())),
        Poll::Pending
    );
    assert!(lumber::current_context().is_none());
    drop(task);
    assert!(lumber::current_context().is_none());
}
