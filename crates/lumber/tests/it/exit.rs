//! Nothing is lost when the program ends: a child process logs 1,000,000
//! records through a queue and ends in each way a program ends; every
//! record must be in the file, in order, none partial.

use std::path::Path;
use std::process::Command;

use lumber::{
    FileHandler, Formatter, Handler, Level, Overflow, Queue, QueueHandler, QueueListener, info,
};

const RECORDS: usize = 1_000_000;

/// The child: runs only when the parent sets `LUMBER_EXIT_CHILD`.
#[test]
fn exit_child() {
    let (Ok(mode), Ok(path)) = (
        std::env::var("LUMBER_EXIT_CHILD"),
        std::env::var("LUMBER_EXIT_FILE"),
    ) else {
        return;
    };
    lumber::install_panic_hook();
    let file = FileHandler::options(&path).buffer(1 << 16).open().unwrap();
    let file =
        Handler::new(file).with_formatter(Formatter::new("%(levelname)s %(message)s").unwrap());
    let queue = Queue::new(10_000, Overflow::Block);
    let fast = std::env::var("LUMBER_EXIT_FAST").as_deref() != Ok("0");
    let listener = QueueListener::new(queue.clone(), vec![file.into()])
        .fast_path(fast)
        .start()
        .unwrap();
    let root = lumber::root();
    root.set_level(Level::INFO);
    root.add_handler(QueueHandler::new(queue));
    let log = lumber::get_logger("child");
    assert_eq!(log.fast_path().is_some(), fast);
    let guard = lumber::InitGuard::new();
    for i in 0..RECORDS {
        info!(logger: log, "record {}", i);
    }
    match mode.as_str() {
        "guard" => {
            drop(guard);
            hard_exit();
        }
        "shutdown" => {
            lumber::shutdown();
            hard_exit();
        }
        "return" => {
            // The test returns, the harness returns from main, the process
            // exits: the atexit hook drains the queue.
            std::mem::forget(guard);
            std::mem::forget(listener);
        }
        "exit" => {
            std::mem::forget(guard);
            std::mem::forget(listener);
            std::process::exit(0);
        }
        "panic" => {
            std::mem::forget(guard);
            std::mem::forget(listener);
            let _ = std::panic::catch_unwind(|| panic!("deliberate"));
            // The panic hook must have drained and flushed already.
            hard_exit();
        }
        other => panic!("unknown mode {other}"),
    }
}

/// Ends the process without running exit hooks or destructors.
fn hard_exit() -> ! {
    // SAFETY: _exit ends the process at once; nothing runs after it.
    #[allow(unsafe_code)]
    unsafe {
        libc::_exit(0)
    }
}

fn run_child(mode: &str) -> String {
    run_child_with(mode, true)
}

fn run_child_with(mode: &str, fast: bool) -> String {
    let dir =
        std::env::temp_dir().join(format!("lumber-exit-{}-{mode}-{fast}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("child.log");
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "exit::exit_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LUMBER_EXIT_CHILD", mode)
        .env("LUMBER_EXIT_FILE", &path)
        .env("LUMBER_EXIT_FAST", if fast { "1" } else { "0" })
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    assert!(status.status.success(), "child {mode}: {status:?}");
    read(&path)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn check_all_records(mode: &str, text: &str) -> usize {
    assert!(text.ends_with('\n'), "{mode}: the last line is partial");
    let mut expected = 0usize;
    let mut others = 0usize;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("INFO record ") {
            assert_eq!(
                n.parse::<usize>().ok(),
                Some(expected),
                "{mode}: out of order or partial at {line:?}"
            );
            expected += 1;
        } else {
            others += 1;
        }
    }
    assert_eq!(expected, RECORDS, "{mode}: records lost");
    others
}

#[test]
fn dropping_the_guard_drains_everything() {
    let text = run_child("guard");
    assert_eq!(check_all_records("guard", &text), 0);
}

#[test]
fn shutdown_drains_everything() {
    let text = run_child("shutdown");
    assert_eq!(check_all_records("shutdown", &text), 0);
}

#[test]
fn returning_from_main_drains_everything() {
    let text = run_child("return");
    assert_eq!(check_all_records("return", &text), 0);
}

#[test]
fn process_exit_drains_everything() {
    let text = run_child("exit");
    assert_eq!(check_all_records("exit", &text), 0);
}

#[test]
fn a_panic_is_logged_and_everything_is_flushed() {
    let text = run_child("panic");
    check_all_records("panic", &text);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("CRITICAL")).count(),
        1
    );
    let panic_line = text.lines().find(|l| l.starts_with("CRITICAL")).unwrap();
    assert!(
        panic_line.contains("panicked at") && panic_line.contains("deliberate"),
        "{panic_line}"
    );
    assert!(
        text.contains("Stack (most recent call last):"),
        "the backtrace is logged"
    );
}

#[test]
fn the_slow_path_drains_on_guard_drop_and_process_exit_too() {
    for mode in ["guard", "exit"] {
        let text = run_child_with(mode, false);
        assert_eq!(check_all_records(mode, &text), 0);
    }
}
