//! Real third-party crates through the bridges: an HTTP client that logs
//! through `log` (ureq) makes a request to an HTTP server that logs through
//! `tracing` (hyper), both on loopback. Their records land under their
//! module-path loggers, at the levels set in lumber. A process of its own:
//! the facades' backends are process-wide.
#![allow(clippy::unwrap_used, missing_docs)]

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Response, Server};
use lumber::{Formatter, Handler, Level, Sink, get_logger};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

impl Sink for Capture {
    fn emit(&self, _: &lumber::Record<'_>, line: &str) -> std::io::Result<()> {
        self.0.lock().unwrap().push(line.to_owned());
        Ok(())
    }
}

#[test]
fn ureq_through_log_and_hyper_through_tracing() {
    lumber::bridge::log::init().unwrap();
    lumber::bridge::tracing::init().unwrap();
    let capture = Capture::default();
    let handler = Arc::new(Handler::new(capture.clone()).with_formatter(
        Formatter::new("%(name)s|%(levelname)s|%(module_path)s|%(message)s").unwrap(),
    ));
    for name in ["ureq", "hyper"] {
        let logger = get_logger(name);
        logger.set_propagate(false);
        logger.set_level(Level::DEBUG);
        logger.add_handler(Arc::clone(&handler));
    }

    // hyper 0.14 serving one route on loopback, on a runtime of its own.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let make = make_service_fn(|_| async {
                Ok::<_, Infallible>(service_fn(|_req| async {
                    Ok::<_, Infallible>(Response::new(Body::from("hello from hyper")))
                }))
            });
            Server::from_tcp(listener)
                .unwrap()
                .serve(make)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
    });

    let get = |path: &str| {
        ureq::get(&format!("http://{addr}{path}"))
            .call()
            .unwrap()
            .into_string()
            .unwrap()
    };
    assert_eq!(get("/greeting"), "hello from hyper");
    let lines = std::mem::take(&mut *capture.0.lock().unwrap());
    let from =
        |prefix: &str| -> Vec<&String> { lines.iter().filter(|l| l.starts_with(prefix)).collect() };
    // ureq logs through `log`: its records are on `ureq.*` loggers, with
    // the module path of the code that logged them.
    let ureq = from("ureq.");
    assert!(
        ureq.iter()
            .any(|l| l.contains("|DEBUG|ureq::") && l.contains("/greeting")),
        "no ureq record about the request in {lines:#?}"
    );
    // hyper logs through `tracing`: its events are on `hyper.*` loggers.
    let hyper = from("hyper.");
    assert!(
        hyper.iter().any(|l| l.contains("|DEBUG|hyper::")),
        "no hyper record in {lines:#?}"
    );
    // Both at the level set in lumber: nothing below DEBUG got through,
    // though both crates log at TRACE too.
    assert!(lines.iter().all(|l| !l.contains("|TRACE|")), "{lines:#?}");
    assert_eq!(lines.len(), ureq.len() + hyper.len(), "{lines:#?}");

    // Lowering the level lets hyper's TRACE events through at once: the
    // level is lumber's, and tracing's callsite cache follows it.
    get_logger("hyper").set_level(Level::TRACE);
    assert_eq!(get("/again"), "hello from hyper");
    stop.send(()).unwrap();
    server.join().unwrap();
    let lines = capture.0.lock().unwrap().clone();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("hyper.") && l.contains("|TRACE|hyper::")),
        "no hyper TRACE record in {lines:#?}"
    );
    assert!(
        lines
            .iter()
            .all(|l| !l.starts_with("ureq.") || !l.contains("|TRACE|"))
    );
}
