//! The panic hook, installed through `basic_config().panic_hook(true)`: a
//! panic is logged as CRITICAL on the logger of the module that panicked,
//! with its message, location, thread and backtrace; the handlers are
//! flushed; the hook that was there before still runs. In a child process
//! (the test binary run again), as the hook is process-wide.

use std::process::Command;

mod worker {
    pub fn charge(order: u32) {
        if order > 0 {
            panic!("order {order} has no customer");
        }
    }
}

/// The child: runs only when the parent sets `LUMBER_PANIC_CHILD`.
#[test]
fn panic_child() {
    let _all = crate::stopping_all();
    let Ok(path) = std::env::var("LUMBER_PANIC_CHILD") else {
        return;
    };
    let _guard = lumber::basic_config()
        .filename(&path)
        .format("%(levelname)s|%(name)s|%(threadName)s|%(funcName)s|%(message)s")
        .panic_hook(true)
        .init()
        .unwrap();
    lumber::warning!("before the panic");
    let worker = std::thread::Builder::new()
        .name("billing".into())
        .spawn(|| worker::charge(7))
        .unwrap();
    assert!(worker.join().is_err());
    // The process goes on: nothing else happens to it.
    lumber::warning!("after the panic");
}

#[test]
fn a_panic_is_logged_on_its_module_logger_and_the_previous_hook_runs() {
    let dir = std::env::temp_dir().join(format!("lumber-panics-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("child.log");
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "panics::panic_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LUMBER_PANIC_CHILD", &path)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "WARNING|it.panics|panics::panic_child|panic_child|before the panic"
    );
    let critical = lines[1];
    assert!(
        critical
            .starts_with("CRITICAL|it.panics.worker|billing|charge|thread 'billing' panicked at "),
        "{critical}"
    );
    assert!(critical.contains("panics.rs:12:"), "{critical}");
    assert!(
        critical.ends_with(": order 7 has no customer"),
        "{critical}"
    );
    assert!(text.contains("Stack (most recent call last):"), "{text}");
    assert_eq!(
        lines.last(),
        Some(&"WARNING|it.panics|panics::panic_child|panic_child|after the panic")
    );
    // The previous hook (Rust's default) printed the panic too.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("thread 'billing'")
            && stderr.contains("panicked at")
            && stderr.contains("order 7 has no customer"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
