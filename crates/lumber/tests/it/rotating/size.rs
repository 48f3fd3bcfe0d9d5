//! RotatingFileHandler: files, modes, hooks, retention, compression.

use std::fs;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

#[cfg(any(feature = "gzip", feature = "zstd"))]
use lumber::Compression;
#[cfg(feature = "gzip")]
use lumber::{ErrorPolicy, Handler, HandlerError, Level, Message, Record};
use lumber::{ManualClock, RotatingFileHandler, Sink};

use super::common::{files, names, rec, scratch, set_mtime};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn files_are_0640_by_default_in_created_directories() {
    let dir = scratch("mode");
    let path = dir.join("deep/er/app.log");
    let h = RotatingFileHandler::new(&path, 10, 2).unwrap();
    for i in 0..3 {
        h.emit(&rec(), &format!("record {i}")).unwrap();
    }
    assert_eq!(mode(&path), 0o640);
    assert_eq!(mode(&dir.join("deep/er/app.log.1")), 0o640);
    let custom = RotatingFileHandler::options(dir.join("c/app.log"))
        .permissions(0o600)
        .open()
        .unwrap();
    drop(custom);
    assert_eq!(mode(&dir.join("c/app.log")), 0o600);
}

#[test]
fn a_record_never_straddles_files_and_empty_files_never_roll() {
    let dir = scratch("straddle");
    let path = dir.join("app.log");
    let h = RotatingFileHandler::new(&path, 20, 3).unwrap();
    h.emit(&rec(), &"x".repeat(50)).unwrap(); // bigger than max_bytes, empty file
    assert_eq!(names(&dir), ["app.log"]);
    h.emit(&rec(), "small").unwrap(); // rolls the big one out
    assert_eq!(
        files(&dir),
        [
            ("app.log".into(), "small\n".into()),
            ("app.log.1".into(), format!("{}\n", "x".repeat(50)))
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_file_that_is_not_regular_never_rolls_over() {
    let dir = scratch("devnull");
    let path = dir.join("app.log");
    std::os::unix::fs::symlink("/dev/null", &path).unwrap();
    let h = RotatingFileHandler::new(&path, 5, 2).unwrap();
    for _ in 0..5 {
        h.emit(&rec(), "into the void").unwrap();
    }
    assert_eq!(names(&dir), ["app.log"]);
    assert!(
        fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn retention_at_startup_by_count_and_age_touches_only_our_files() {
    let dir = scratch("retention");
    let path = dir.join("app.log");
    let now = SystemTime::now();
    for k in 1..=8 {
        fs::write(dir.join(format!("app.log.{k}")), format!("{k}\n")).unwrap();
        set_mtime(
            &dir.join(format!("app.log.{k}")),
            now - Duration::from_secs(k * 86_400),
        );
    }
    fs::rename(dir.join("app.log.2"), dir.join("app.log.2.gz")).unwrap();
    for other in [
        "app.log.bak",
        "app.log.01",
        "app.log.lock",
        "other.log.7",
        "app.log.3x",
    ] {
        fs::write(dir.join(other), "keep").unwrap();
        set_mtime(&dir.join(other), now - Duration::from_secs(100 * 86_400));
    }
    let h = RotatingFileHandler::options(&path)
        .max_bytes(100)
        .backup_count(5)
        .max_age(Duration::from_secs(3 * 86_400 + 3600))
        .clock(ManualClock::new(now))
        .open()
        .unwrap();
    let mut left = names(&dir);
    left.sort();
    assert_eq!(
        left,
        [
            "app.log",
            "app.log.01",
            "app.log.1",
            "app.log.2.gz",
            "app.log.3",
            "app.log.3x",
            "app.log.bak",
            "app.log.lock",
            "other.log.7"
        ]
    );
    drop(h);
}

#[test]
fn namer_and_rotator_hooks_as_in_python() {
    let dir = scratch("hooks");
    let path = dir.join("app.log");
    let calls = Arc::new(Mutex::new(Vec::new()));
    let c = calls.clone();
    let h = RotatingFileHandler::options(&path)
        .max_bytes(8)
        .backup_count(2)
        .namer(|p| {
            let mut s = p.as_os_str().to_owned();
            s.push(".bak");
            s.into()
        })
        .rotator(move |source, dest| {
            c.lock()
                .unwrap()
                .push(dest.file_name().unwrap().to_string_lossy().into_owned());
            let text = fs::read_to_string(source)?;
            fs::write(dest, text.to_uppercase())?;
            fs::remove_file(source)
        })
        .open()
        .unwrap();
    for line in ["one", "two", "six", "ten"] {
        h.emit(&rec(), line).unwrap();
    }
    assert_eq!(h.backup_path(1), dir.join("app.log.1.bak"));
    assert_eq!(
        *calls.lock().unwrap(),
        ["app.log.1.bak", "app.log.1.bak", "app.log.1.bak"]
    );
    assert_eq!(
        files(&dir),
        [
            ("app.log".into(), "ten\n".into()),
            ("app.log.1.bak".into(), "SIX\n".into()),
            ("app.log.2.bak".into(), "TWO\n".into()),
        ]
    );
}

#[test]
fn buffered_records_go_to_the_file_they_were_written_for() {
    let dir = scratch("buffered");
    let path = dir.join("app.log");
    let h = RotatingFileHandler::options(&path)
        .max_bytes(12)
        .backup_count(3)
        .buffer(1024)
        .open()
        .unwrap();
    for line in ["a1", "a2", "a3", "b1", "b2", "b3"] {
        h.emit(&rec(), line).unwrap();
    }
    assert_eq!(
        fs::read_to_string(dir.join("app.log.1")).unwrap(),
        "a1\na2\na3\n"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "", "still buffered");
    h.flush().unwrap();
    assert_eq!(
        files(&dir),
        [
            ("app.log".into(), "b1\nb2\nb3\n".into()),
            ("app.log.1".into(), "a1\na2\na3\n".into()),
        ]
    );
}

#[cfg(feature = "gzip")]
fn gunzip(path: &std::path::Path) -> String {
    let mut out = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(fs::File::open(path).unwrap()),
        &mut out,
    )
    .unwrap();
    out
}

#[cfg(feature = "gzip")]
#[test]
fn gzip_backups_shift_and_count() {
    let dir = scratch("gzip");
    let path = dir.join("app.log");
    let h = RotatingFileHandler::options(&path)
        .max_bytes(10)
        .backup_count(3)
        .compress(Compression::Gzip)
        .open()
        .unwrap();
    for i in 0..6 {
        h.emit(&rec(), &format!("record{i}")).unwrap();
    }
    h.flush().unwrap(); // waits for the compression thread
    assert_eq!(
        names(&dir),
        ["app.log", "app.log.1.gz", "app.log.2.gz", "app.log.3.gz"]
    );
    assert_eq!(gunzip(&dir.join("app.log.1.gz")), "record4\n");
    assert_eq!(gunzip(&dir.join("app.log.3.gz")), "record2\n");
    #[cfg(unix)]
    assert_eq!(mode(&dir.join("app.log.1.gz")), 0o640);
}

#[cfg(feature = "zstd")]
#[test]
fn zstd_backups() {
    let dir = scratch("zstd");
    let path = dir.join("app.log");
    let h = RotatingFileHandler::options(&path)
        .max_bytes(10)
        .backup_count(2)
        .compress(Compression::Zstd)
        .open()
        .unwrap();
    for i in 0..4 {
        h.emit(&rec(), &format!("record{i}")).unwrap();
    }
    h.close().unwrap();
    assert_eq!(names(&dir), ["app.log", "app.log.1.zst", "app.log.2.zst"]);
    let text = zstd::decode_all(fs::File::open(dir.join("app.log.2.zst")).unwrap()).unwrap();
    assert_eq!(String::from_utf8(text).unwrap(), "record1\n");
}

/// Compression runs beside logging: with a queue of one and rollovers
/// faster than gzip, files are left uncompressed instead of waiting, and
/// that is reported once.
#[cfg(feature = "gzip")]
#[test]
fn a_full_compression_queue_never_stalls_logging_and_is_reported_once() {
    let dir = scratch("queue");
    let path = dir.join("app.log");
    let reports = Arc::new(Mutex::new(Vec::new()));
    let r = reports.clone();
    let handler = Handler::new(
        RotatingFileHandler::options(&path)
            .max_bytes(4_000_000)
            .backup_count(20)
            .compress(Compression::Gzip)
            .compress_queue(1)
            .open()
            .unwrap(),
    )
    .with_error_policy(ErrorPolicy::hook(move |e: &HandlerError<'_>| {
        r.lock().unwrap().push(e.to_string())
    }));
    // 4 MB of poorly compressible text per file: gzip takes far longer
    // than writing it.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let line: String = (0..4000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (b'!' + (x % 90) as u8) as char
        })
        .collect();
    let rec = Record::new("t", Level::INFO, Message::Str(&line));
    for _ in 0..6 * 1000 + 10 {
        handler.handle(&rec);
    }
    handler.flush();
    let reports = reports.lock().unwrap();
    let queue_reports: Vec<_> = reports
        .iter()
        .filter(|r| r.contains("left uncompressed"))
        .collect();
    assert_eq!(queue_reports.len(), 1, "{reports:?}");
    assert_eq!(reports.len(), 1, "{reports:?}");
    let left = names(&dir);
    assert!(left.iter().any(|n| n.ends_with(".gz")), "{left:?}");
    assert!(
        left.iter()
            .any(|n| n.starts_with("app.log.") && !n.ends_with(".gz")),
        "{left:?}"
    );
    assert!(!left.iter().any(|n| n.ends_with(".tmp")), "{left:?}");
    assert_eq!(left.len(), 7, "{left:?}");
}
