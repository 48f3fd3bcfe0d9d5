//! Tests of the rotating handlers' factories: files written, rolled over, compressed, and every problem reported.

use std::path::{Path, PathBuf};

use crate::config::Config;

/// A fresh directory for one test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lumber-fact-rot-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `path` as a JSON string.
fn js(path: &Path) -> String {
    format!("{:?}", path.display().to_string())
}

/// A configuration with one handler, `h`, whose options are
/// `handler` (JSON), attached to `logger` alone.
fn config(logger: &str, handler: &str) -> Config {
    super::super::testing::one_handler("h", logger, handler)
}

/// Applies, without the guard's shutdown (other tests run meanwhile).
fn apply(c: &Config) {
    c.apply().unwrap();
}

/// Every problem of checking `handler`, as `key: message`, in the
/// order of the text.
fn problems(handler: &str) -> Vec<String> {
    super::super::testing::problems(&config("fact.rot.unused", handler))
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn rotates_by_size_with_python_names() {
    let d = dir("size");
    let log = d.join("app.log");
    apply(&config(
        "fact.rot.size",
        &format!(
            r#"{{"class": "logging.handlers.RotatingFileHandler", "formatter": "plain",
                    "filename": {}, "maxBytes": 20, "backupCount": 2, "encoding": "utf-8", "mode": "a"}}"#,
            js(&log)
        ),
    ));
    let logger = crate::get_logger("fact.rot.size");
    for i in 0..10 {
        logger.info(format_args!("record {i}"));
    }
    // 9 bytes a line, at most 20 a file: two records a file.
    assert_eq!(read(&log), "record 8\nrecord 9\n");
    assert_eq!(read(d.join("app.log.1")), "record 6\nrecord 7\n");
    assert_eq!(read(d.join("app.log.2")), "record 4\nrecord 5\n");
    assert!(!d.join("app.log.3").exists());
}

#[test]
fn positional_args_follow_python_order() {
    let d = dir("args");
    let log = d.join("app.log");
    // RotatingFileHandler(filename, mode, maxBytes, backupCount)
    apply(&config(
        "fact.rot.args",
        &format!(
            r#"{{"class": "RotatingFileHandler", "formatter": "plain", "args": [{}, "a", 10, 1]}}"#,
            js(&log)
        ),
    ));
    let logger = crate::get_logger("fact.rot.args");
    for line in ["one", "two", "six"] {
        logger.info(line);
    }
    assert_eq!(read(&log), "six\n");
    assert_eq!(read(d.join("app.log.1")), "one\ntwo\n");
    assert!(!d.join("app.log.2").exists());
}

#[cfg(feature = "gzip")]
#[test]
fn compresses_and_sets_permissions() {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    let d = dir("gzip");
    let log = d.join("logs/app.log");
    apply(&config(
        "fact.rot.gzip",
        &format!(
            r#"{{"class": "RotatingFileHandler", "formatter": "plain", "filename": {},
                    "max_bytes": "10B", "backup_count": 3, "compress": "gzip", "permissions": "0600",
                    "compress_queue": 4}}"#,
            js(&log)
        ),
    ));
    let logger = crate::get_logger("fact.rot.gzip");
    logger.info("first line");
    logger.info("second");
    crate::flush(); // waits for the compression
    let gz = d.join("logs/app.log.1.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "first line\n");
    assert!(!d.join("logs/app.log.1").exists());
    assert_eq!(
        std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn max_age_deletes_old_backups_and_multiprocess_locks() {
    use std::time::{Duration, SystemTime};
    let d = dir("age");
    let old = d.join("app.log.1");
    std::fs::write(&old, "ancient\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(40 * 86_400))
        .unwrap();
    apply(&config(
        "fact.rot.age",
        &format!(
            r#"{{"class": "RotatingFileHandler", "filename": {}, "max_bytes": "1MB",
                    "backup_count": 5, "max_age": "30d", "multiprocess": true}}"#,
            js(&d.join("app.log"))
        ),
    ));
    assert!(!old.exists());
    assert!(d.join("app.log.lock").exists());
}

#[test]
fn timed_rolls_over_by_size_too_and_can_be_dated() {
    let d = dir("timed");
    let log = d.join("app.log");
    apply(&config(
        "fact.rot.timed",
        &format!(
            r#"{{"class": "logging.handlers.TimedRotatingFileHandler", "formatter": "plain",
                    "filename": {}, "when": "MIDNIGHT", "utc": true, "atTime": "02:30",
                    "backupCount": 7, "max_bytes": 8, "delay": true}}"#,
            js(&log)
        ),
    ));
    let logger = crate::get_logger("fact.rot.timed");
    for line in ["one", "two", "six"] {
        logger.info(line);
    }
    assert_eq!(read(&log), "six\n");
    let mut backups: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "app.log")
        .collect();
    backups.sort();
    assert_eq!(backups.len(), 2, "{backups:?}");
    assert!(backups[0].starts_with("app.log.20"), "{backups:?}");

    let d = dir("dated");
    apply(&config(
        "fact.rot.dated",
        &format!(
            r#"{{"class": "TimedRotatingFileHandler", "formatter": "plain", "filename": {},
                    "when": "d", "interval": 2, "dated": true, "time_zone": "+09:00"}}"#,
            js(&d.join("app.log"))
        ),
    ));
    crate::get_logger("fact.rot.dated").info("today");
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("app.log.20"), "{names:?}");
    assert_eq!(read(d.join(&names[0])), "today\n");
}

#[test]
fn watched_reopens_a_moved_file() {
    let d = dir("watched");
    let log = d.join("app.log");
    apply(&config(
        "fact.rot.watched",
        &format!(
            r#"{{"class": "logging.handlers.WatchedFileHandler", "formatter": "plain",
                    "filename": {}, "mode": "a", "encoding": "UTF-8", "terminator": "\r\n",
                    "permissions": 384}}"#,
            js(&log)
        ),
    ));
    let logger = crate::get_logger("fact.rot.watched");
    logger.info("before");
    std::fs::rename(&log, d.join("app.log.old")).unwrap();
    logger.info("after");
    assert_eq!(read(d.join("app.log.old")), "before\r\n");
    assert_eq!(read(&log), "after\r\n");
}

#[test]
fn check_reports_every_bad_option_and_opens_nothing() {
    let d = dir("check").join("never");
    let p = problems(&format!(
        r#"{{"class": "RotatingFileHandler", "filename": {}, "maxBytes": "ten", "backupCount": -1,
                "mode": "r", "encoding": "latin-1", "permissions": 644, "compress": "lz4",
                "max_age": "soon", "namer": "ext://app.namer", "colour": "red"}}"#,
        js(&d.join("app.log"))
    ));
    assert_eq!(
        p,
        [
            "handlers.h.max_bytes: expected a size like 10MB, got 'ten'",
            "handlers.h.backup_count: expected a number >= 0, got -1",
            "handlers.h.mode: expected 'a' (append) or 'w' (truncate), got 'r'",
            "handlers.h.encoding: only UTF-8 is written, got 'latin-1'",
            "handlers.h.permissions: expected a file mode in octal like '0640' or '0o640', got 644",
            "handlers.h.compress: expected one of none, gzip, zstd, got 'lz4'",
            "handlers.h.max_age: expected a duration like 30s, 5m or 1h, got 'soon'",
            "handlers.h.namer: a Python function cannot be configured; set the namer in code, or use compress / dated",
            "handlers.h.colour: unknown option",
        ]
    );
    assert!(!d.exists());

    // A valid configuration is only checked, too.
    assert!(
        problems(&format!(
            r#"{{"class": "RotatingFileHandler", "filename": {}}}"#,
            js(&d.join("a.log"))
        ))
        .is_empty()
    );
    assert!(!d.exists());
}

#[test]
fn check_reports_timed_and_watched_problems() {
    let p = problems(
        r#"{"class": "TimedRotatingFileHandler", "filename": "x.log", "when": "hourly", "interval": 0,
                "atTime": "25:00", "time_zone": "Mars/Olympus", "buffer": "4KB", "multiprocess": true}"#,
    );
    assert_eq!(
        p,
        [
            "handlers.h.when: expected one of S, M, H, D, midnight, W0-W6 (W0 is Monday), got 'hourly'",
            "handlers.h.interval: expected at least 1",
            "handlers.h.at_time: expected a time of day like '02:30' or '02:30:00', got '25:00'",
            "handlers.h.time_zone: expected UTC, local, a zone name like Europe/Paris or an offset like +09:00, got 'Mars/Olympus'",
            "handlers.h.buffer: cannot be used with multiprocess: in multi-process mode each record is written at once, under the lock",
        ]
    );
    let p = problems(
        r#"{"class": "TimedRotatingFileHandler", "filename": "x.log", "when": "h", "atTime": [2, 30], "utc": true, "time_zone": "UTC"}"#,
    );
    assert_eq!(
        p,
        [
            "handlers.h.at_time: only used when rolling over at midnight or on a weekday (when: midnight or W0-W6), not when: H",
            "handlers.h.time_zone: cannot be used with utc: true",
        ]
    );
    let p = problems(
        r#"{"class": "WatchedFileHandler", "filename": "x.log", "mode": "w", "check_interval": "1s"}"#,
    );
    assert_eq!(
        p,
        ["handlers.h.mode: 'w' (truncate) is not supported: lumber's WatchedFileHandler appends"]
    );
    let p = problems(r#"{"class": "RotatingFileHandler", "mode": "w"}"#);
    assert_eq!(
        p,
        [
            "handlers.h.filename: required option missing",
            "handlers.h.mode: 'w' (truncate) is not supported: lumber's RotatingFileHandler appends (set max_bytes to rotate)",
        ]
    );
    // Python's TimedRotatingFileHandler always appends: it has no mode.
    let p = problems(r#"{"class": "TimedRotatingFileHandler", "filename": "x.log", "mode": "a"}"#);
    assert_eq!(p, ["handlers.h.mode: unknown option"]);
    // Python forces append mode when maxBytes is set: so does lumber.
    assert!(problems(r#"{"class": "RotatingFileHandler", "filename": "x.log", "mode": "w", "maxBytes": "1MiB"}"#).is_empty());
}

#[test]
fn cannot_open_is_reported_with_the_path() {
    let d = dir("blocked");
    std::fs::write(d.join("file"), "").unwrap();
    let path = d.join("file/app.log");
    let e = config(
        "fact.rot.blocked",
        &format!(
            r#"{{"class": "RotatingFileHandler", "filename": {}}}"#,
            js(&path)
        ),
    )
    .apply()
    .unwrap_err();
    let (key, message) = e.problems().next().unwrap();
    assert_eq!(key, "handlers.h.filename");
    assert!(
        message.starts_with(&format!("cannot open {}: ", path.display())),
        "{message}"
    );
}

#[cfg(not(feature = "zstd"))]
#[test]
fn compression_needs_its_feature() {
    let p =
        problems(r#"{"class": "RotatingFileHandler", "filename": "x.log", "compress": "zstd"}"#);
    assert_eq!(
        p,
        ["handlers.h.compress: zstd compression is not built in (lumber's 'zstd' feature)"]
    );
}

#[test]
fn times_of_day_and_zones() {
    use super::{parse_time_of_day, parse_zone};
    assert_eq!(parse_time_of_day("02:30"), Some((2, 30, 0)));
    assert_eq!(parse_time_of_day("23:59:59"), Some((23, 59, 59)));
    for bad in ["24:00", "2", "02:60", "02:30:00:00", "a:b", "02:-1"] {
        assert_eq!(parse_time_of_day(bad), None, "{bad}");
    }
    assert!(parse_zone("UTC").is_some());
    assert!(parse_zone("-05:30").is_some());
    assert!(parse_zone("+9").is_some());
    assert!(parse_zone("+09:75").is_none());
    assert!(parse_zone("Nowhere/Special").is_none());
}
