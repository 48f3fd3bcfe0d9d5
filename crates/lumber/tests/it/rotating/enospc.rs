//! A full disk and a file system that turns read-only, on a small tmpfs
//! mounted by the test (root only; skipped loudly elsewhere).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use lumber::{
    ErrorPolicy, Handler, HandlerError, Level, Message, Record, RotatingFileHandler, Sink,
    TimedRotatingFileHandler, When,
};

/// Unmounts (lazily, so a failing test never leaves a mount behind) and
/// removes the mount point.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = fs::remove_dir(&self.0);
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    #[allow(unsafe_code)]
    unsafe {
        libc::geteuid() == 0
    }
}

fn mount_tmpfs(name: &str, size: &str) -> Option<Mount> {
    if !is_root() {
        eprintln!("SKIPPED: {name}: not root, cannot mount a small tmpfs to fill");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("lumber-rot-{}-{name}", std::process::id()));
    let _ = Command::new("umount").arg("-l").arg(&dir).status();
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let out = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size},mode=0755"),
            "tmpfs",
        ])
        .arg(&dir)
        .output();
    match out {
        Ok(o) if o.status.success() => Some(Mount(dir)),
        Ok(o) => {
            eprintln!(
                "SKIPPED: {name}: mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            let _ = fs::remove_dir(&dir);
            None
        }
        Err(e) => {
            eprintln!("SKIPPED: {name}: cannot run mount: {e}");
            let _ = fs::remove_dir(&dir);
            None
        }
    }
}

fn remount(dir: &Path, mode: &str) {
    let status = Command::new("mount")
        .args(["-o", &format!("remount,{mode}")])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success(), "remount {mode}");
}

/// Keeps the handler reachable from the test while a [`Handler`] owns a
/// handle on it.
struct Shared<S>(Arc<S>);

impl<S: Sink> Sink for Shared<S> {
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        self.0.emit(record, line)
    }
    fn flush(&self) -> io::Result<()> {
        self.0.flush()
    }
    fn close(&self) -> io::Result<()> {
        self.0.close()
    }
    fn kind(&self) -> &'static str {
        self.0.kind()
    }
}

type Reports = Arc<Mutex<Vec<(io::ErrorKind, String)>>>;

fn capture() -> (ErrorPolicy, Reports) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let policy = ErrorPolicy::hook(move |e: &HandlerError<'_>| {
        s.lock().unwrap().push((e.error.kind(), e.to_string()))
    });
    (policy, seen)
}

fn log(handler: &Handler, text: &str) {
    handler.handle(&Record::new("app", Level::INFO, Message::Str(text)));
}

/// Every line whole; returns them.
fn lines(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if !name.starts_with("app.log") {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{name}: partial line at the end"
        );
        for l in text.lines() {
            assert!(
                l.starts_with("record ") && l.len() == "record 0000 ".len() + 48
                    || l.starts_with("after "),
                "{name}: damaged line {l:?}"
            );
            out.push(l.to_owned());
        }
    }
    out
}

#[test]
fn a_full_disk_is_reported_once_and_logging_resumes() {
    let Some(mount) = mount_tmpfs("enospc", "128k") else {
        return;
    };
    let dir = &mount.0;
    // Leave about 32 KiB free.
    fs::write(dir.join("ballast"), vec![0u8; 96 * 1024]).unwrap();
    let (policy, reports) = capture();
    let rotating = Arc::new(
        RotatingFileHandler::options(dir.join("app.log"))
            .max_bytes(1 << 20)
            .backup_count(2)
            .open()
            .unwrap(),
    );
    let handler = Handler::new(Shared(rotating.clone()))
        .with_name("disk")
        .with_error_policy(policy);
    for i in 0..2000 {
        log(&handler, &format!("record {i:04} {}", "x".repeat(48)));
    }
    {
        let reports = reports.lock().unwrap();
        assert_eq!(reports.len(), 1, "reported once: {reports:?}");
        assert_eq!(reports[0].0, io::ErrorKind::StorageFull, "{reports:?}");
        assert!(
            reports[0]
                .1
                .contains("RotatingFileHandler 'disk' failed to emit"),
            "{reports:?}"
        );
    }
    let written = lines(dir).len();
    assert!(written > 100 && written < 2000, "{written}");
    assert_eq!(rotating.records_lost(), 2000 - written as u64);

    // Space comes back: logging resumes, without another report.
    fs::remove_file(dir.join("ballast")).unwrap();
    for i in 0..20 {
        log(&handler, &format!("after {i}"));
    }
    let after: Vec<_> = lines(dir)
        .into_iter()
        .filter(|l| l.starts_with("after "))
        .collect();
    assert_eq!(after.len(), 20);
    assert_eq!(reports.lock().unwrap().len(), 1);

    // The file system turns read-only: the file cannot be reopened. A new
    // failure after a recovery is news, reported once again.
    handler.close();
    remount(dir, "ro");
    for i in 0..10 {
        log(&handler, &format!("after ro {i}"));
    }
    {
        let reports = reports.lock().unwrap();
        assert_eq!(reports.len(), 2, "{reports:?}");
        assert_eq!(
            reports[1].0,
            io::ErrorKind::ReadOnlyFilesystem,
            "{reports:?}"
        );
    }
    remount(dir, "rw");
    log(&handler, "after rw");
    assert!(
        fs::read_to_string(dir.join("app.log"))
            .unwrap()
            .ends_with("after rw\n")
    );
    assert_eq!(reports.lock().unwrap().len(), 2);
    drop(handler);
    drop(mount);
}

/// Rollovers on a full disk: the rename needs no space, the new file
/// cannot grow; nothing partial is left and logging resumes.
#[test]
fn rollovers_on_a_full_disk_leave_no_partial_lines() {
    let Some(mount) = mount_tmpfs("enospc-timed", "64k") else {
        return;
    };
    let dir = &mount.0;
    let (policy, reports) = capture();
    let clock = lumber::ManualClock::at_unix(1_700_000_000);
    let timed = Arc::new(
        TimedRotatingFileHandler::options(dir.join("app.log"))
            .when(When::Second)
            .utc(true)
            .max_bytes(10_000)
            .clock(clock.clone())
            .open()
            .unwrap(),
    );
    let handler = Handler::new(Shared(timed.clone())).with_error_policy(policy);
    for i in 0..3000 {
        if i % 100 == 0 {
            clock.advance(std::time::Duration::from_secs(1));
        }
        log(&handler, &format!("record {i:04} {}", "y".repeat(48)));
    }
    assert!(!reports.lock().unwrap().is_empty());
    let kept = lines(dir).len();
    assert!(kept > 0 && (kept as u64) + timed.records_lost() == 3000);
    // Free space by deleting the backups: logging resumes.
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "app.log" {
            fs::remove_file(path).unwrap();
        }
    }
    log(&handler, "after cleanup");
    assert!(lines(dir).iter().any(|l| l == "after cleanup"));
    drop(handler);
    drop(mount);
}
