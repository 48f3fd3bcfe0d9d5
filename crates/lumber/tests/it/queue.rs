//! QueueHandler, QueueListener and MemoryHandler with Python's semantics.

use std::sync::{Arc, Mutex};

use lumber::{
    Formatter, Handler, Level, MemoryHandler, Overflow, Queue, QueueHandler, QueueListener, error,
    info, warning,
};

use crate::Capture;

fn queued_logger(name: &str, queue: &Queue) -> lumber::Logger {
    let log = lumber::get_logger(name);
    log.set_propagate(false);
    log.set_level(Level::DEBUG);
    log.add_handler(
        Handler::new(QueueHandler::new(queue.clone()))
            .with_formatter(Formatter::new("%(levelname)s %(message)s").unwrap()),
    );
    log
}

#[test]
fn the_queue_handler_formats_on_the_caller_and_the_listener_writes() {
    let _listeners = crate::listeners();
    let queue = Queue::new(100, Overflow::Block);
    let capture = Capture::default();
    let listener = QueueListener::new(
        queue.clone(),
        vec![capture.handler("%(name)s|%(message)s").into()],
    )
    .start()
    .unwrap();
    let log = queued_logger("q.basic", &queue);
    let e = std::io::Error::other("boom");
    error!(logger: log, error: e, "failed {}", 1);
    listener.stop();
    // Python's prepare(): the message is the QueueHandler's formatted text,
    // error included, and the listener's formatter wraps it.
    assert_eq!(capture.lines(), ["q.basic|ERROR failed 1\nError: boom"]);
}

#[test]
fn respect_handler_level_is_off_by_default_as_in_python() {
    let _listeners = crate::listeners();
    let queue = Queue::new(100, Overflow::Block);
    let all = Capture::default();
    let errors_only = Capture::default();
    let handlers: Vec<Arc<Handler>> = vec![
        all.handler("%(levelname)s").into(),
        errors_only
            .handler("%(levelname)s")
            .with_level(Level::ERROR)
            .into(),
    ];
    let listener = QueueListener::new(queue.clone(), handlers).start().unwrap();
    let log = queued_logger("q.levels", &queue);
    info!(logger: log, "a");
    error!(logger: log, "b");
    listener.stop();
    assert_eq!(
        errors_only.lines(),
        ["INFO", "ERROR"],
        "Python ignores handler levels unless asked"
    );

    let queue = Queue::new(100, Overflow::Block);
    let errors_only = Capture::default();
    let listener = QueueListener::new(
        queue.clone(),
        vec![
            errors_only
                .handler("%(levelname)s")
                .with_level(Level::ERROR)
                .into(),
        ],
    )
    .respect_handler_level(true)
    .start()
    .unwrap();
    let log = queued_logger("q.levels2", &queue);
    info!(logger: log, "a");
    error!(logger: log, "b");
    listener.stop();
    assert_eq!(errors_only.lines(), ["ERROR"]);
    assert_eq!(all.lines().len(), 2);
}

#[test]
fn dropped_records_are_counted_and_reported_once_there_is_room() {
    let _listeners = crate::listeners();
    let queue = Queue::new(3, Overflow::DropNewest);
    let log = queued_logger("q.drop", &queue);
    for i in 0..10 {
        info!(logger: log, "r{}", i);
    }
    assert_eq!(queue.dropped(), 7);
    let capture = Capture::default();
    let listener = QueueListener::new(
        queue.clone(),
        vec![capture.handler("%(name)s %(levelname)s %(message)s").into()],
    )
    .start()
    .unwrap();
    listener.stop();
    let lines = capture.lines();
    // The report comes as soon as the listener has made room (where exactly
    // depends on when `stop` queued its marker); the records keep their order.
    let reports: Vec<_> = lines.iter().filter(|l| l.starts_with("lumber ")).collect();
    assert_eq!(reports, ["lumber WARNING lumber: 7 records dropped"]);
    let kept: Vec<_> = lines.iter().filter(|l| l.starts_with("q.drop")).collect();
    assert_eq!(
        kept,
        [
            "q.drop INFO INFO r0",
            "q.drop INFO INFO r1",
            "q.drop INFO INFO r2"
        ]
    );
    assert_eq!(queue.dropped(), 0);
}

#[test]
fn each_thread_keeps_its_order_and_block_loses_nothing() {
    let _listeners = crate::listeners();
    const THREADS: usize = 4;
    const EACH: usize = 5_000;
    let queue = Queue::new(64, Overflow::Block);
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let collect = Handler::new(lumber::from_fn(move |_, line| {
        sink.lock().unwrap().push(line.to_owned())
    }));
    let listener = QueueListener::new(queue.clone(), vec![collect.into()])
        .start()
        .unwrap();
    let log = queued_logger("q.order", &queue);
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..EACH {
                    warning!(logger: log, "{} {}", t, i);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    listener.stop();
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), THREADS * EACH);
    let mut next = [0usize; THREADS];
    for line in lines.iter() {
        let mut parts = line.trim_start_matches("WARNING ").split(' ');
        let t: usize = parts.next().unwrap().parse().unwrap();
        let i: usize = parts.next().unwrap().parse().unwrap();
        assert_eq!(i, next[t], "thread {t} out of order");
        next[t] += 1;
    }
    assert_eq!(queue.dropped(), 0);
}

#[test]
fn a_listener_handler_that_logs_into_its_own_full_queue_does_not_deadlock() {
    let _listeners = crate::listeners();
    let queue = Queue::new(1, Overflow::Block);
    let log = queued_logger("q.reentrant", &queue);
    let echo = Handler::new(lumber::from_fn(move |_, line| {
        if !line.contains("echo") {
            // Logged from the listener thread into the same (full) queue.
            for _ in 0..3 {
                info!(logger: log, "echo");
            }
        }
    }));
    let listener = QueueListener::new(queue.clone(), vec![echo.into()])
        .start()
        .unwrap();
    info!(logger: log, "first");
    listener.stop(); // returns: the listener dropped what did not fit
}

#[test]
fn memory_handler_flushes_on_level_capacity_and_close() {
    let capture = Capture::default();
    let target = Arc::new(capture.handler("%(message)s"));
    let log = lumber::get_logger("q.memory");
    log.set_propagate(false);
    log.set_level(Level::DEBUG);
    let memory = Arc::new(Handler::new(
        MemoryHandler::new(3, Some(target)).flush_level(Level::ERROR),
    ));
    log.add_handler(memory.clone());
    lumber::debug!(logger: log, "a");
    lumber::debug!(logger: log, "b");
    assert!(capture.lines().is_empty());
    lumber::debug!(logger: log, "c"); // capacity reached
    assert_eq!(capture.lines(), ["a", "b", "c"]);
    lumber::debug!(logger: log, "d");
    error!(logger: log, "e"); // flush level
    assert_eq!(capture.lines(), ["a", "b", "c", "d", "e"]);
    lumber::debug!(logger: log, "f");
    memory.close();
    assert_eq!(capture.lines(), ["a", "b", "c", "d", "e", "f"]);
}

#[test]
fn memory_handler_without_a_target_stays_bounded() {
    let memory = MemoryHandler::new(2, None);
    let handler = Handler::new(memory);
    for m in ["a", "b", "c"] {
        handler.handle(&lumber::Record::new(
            "x",
            Level::INFO,
            lumber::Message::Str(m),
        ));
    }
    let memory = handler.sink();
    assert!(memory.target().starts_with("buffer of 2"));
}
