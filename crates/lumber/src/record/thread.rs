//! The process and thread a record comes from, looked up once and cached.

use std::cell::OnceCell;
use std::sync::{Arc, OnceLock};

use super::Timestamp;

/// The process's id and name, looked up once.
pub(crate) struct ProcessInfo {
    pub(crate) id: u32,
    pub(crate) name: String,
    pub(crate) start: Timestamp,
}

#[inline]
pub(crate) fn process() -> &'static ProcessInfo {
    static INFO: OnceLock<ProcessInfo> = OnceLock::new();
    INFO.get_or_init(|| ProcessInfo {
        id: std::process::id(),
        name: std::env::args_os()
            .next()
            .map(|arg0| {
                let path = std::path::PathBuf::from(arg0);
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "MainProcess".to_owned()),
        start: Timestamp::now(),
    })
}

/// Marks the time `relativeCreated` counts from (Python's `_startTime`, the
/// moment `logging` was imported). Called by every setup function; the
/// first call wins.
pub(crate) fn mark_start() {
    process();
}

struct ThreadInfo {
    id: u64,
    name: OnceCell<Arc<str>>,
}

thread_local! {
    static THREAD: ThreadInfo = ThreadInfo { id: current_thread_id(), name: OnceCell::new() };
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn current_thread_id() -> u64 {
    // The kernel's thread id: what `top -H`, `ps -L` and gdb show.
    // SAFETY: gettid has no preconditions and cannot fail.
    #[allow(unsafe_code)]
    let tid = unsafe { libc::gettid() };
    tid as u64
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn current_thread_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The calling thread's id, cheap (cached per thread).
#[inline]
pub(crate) fn thread_id() -> u64 {
    THREAD.try_with(|t| t.id).unwrap_or(0)
}

/// The calling thread's name: its Rust name (`main` for the main thread),
/// or `Thread-<id>` for an unnamed thread. Cached per thread.
pub(crate) fn thread_name() -> Arc<str> {
    THREAD
        .try_with(|t| {
            t.name
                .get_or_init(|| match std::thread::current().name() {
                    Some(name) => Arc::from(name),
                    None => Arc::from(format!("Thread-{}", t.id)),
                })
                .clone()
        })
        .unwrap_or_else(|_| Arc::from("<exiting>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_names_are_cached_and_sensible() {
        let name = std::thread::Builder::new()
            .name("worker-1".into())
            .spawn(|| thread_name().to_string())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(name, "worker-1");
        let unnamed = std::thread::spawn(|| thread_name().to_string())
            .join()
            .unwrap();
        assert!(unnamed.starts_with("Thread-"), "{unnamed}");
    }
}
