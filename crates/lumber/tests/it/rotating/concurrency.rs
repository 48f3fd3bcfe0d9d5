//! Several threads and several processes logging through rotation every
//! few KB: every record exactly once across all files, no partial line,
//! the right number of backups.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

#[cfg(feature = "gzip")]
use lumber::Compression;
use lumber::{ManualClock, RotatingFileHandler, Sink, TimedRotatingFileHandler, When};

use super::common::{rec, scratch};

const MAX_BYTES: u64 = 4096;
const THREADS: usize = 2;
const PROCESSES: usize = 4;
const RECORDS: usize = 1500;

/// One record: who wrote it, its number, and padding of varying length.
fn line(writer: &str, i: usize) -> String {
    format!("{writer} r{i} {}", "x".repeat((i * 7) % 60))
}

fn open(scenario: &str, path: &Path, multiprocess: bool) -> Arc<dyn Sink> {
    match scenario {
        "size" => Arc::new(
            RotatingFileHandler::options(path)
                .max_bytes(MAX_BYTES)
                .backup_count(100_000)
                .multiprocess(multiprocess)
                .open()
                .unwrap(),
        ),
        "small" => Arc::new(
            RotatingFileHandler::options(path)
                .max_bytes(MAX_BYTES)
                .backup_count(5)
                .multiprocess(multiprocess)
                .open()
                .unwrap(),
        ),
        #[cfg(feature = "gzip")]
        "gzip" => Arc::new(
            RotatingFileHandler::options(path)
                .max_bytes(MAX_BYTES)
                .backup_count(100_000)
                .compress(Compression::Gzip)
                .multiprocess(multiprocess)
                .open()
                .unwrap(),
        ),
        "timed" => {
            // Each process has its own clock (skewed on purpose); the
            // lock file keeps them agreeing on when to roll over.
            let clock = ManualClock::at_unix(1_700_000_000);
            let c = clock.clone();
            let ticks = std::sync::atomic::AtomicUsize::new(0);
            Arc::new(
                TimedRotatingFileHandler::options(path)
                    .when(When::Second)
                    .interval(3)
                    .utc(true)
                    .max_bytes(MAX_BYTES)
                    .multiprocess(multiprocess)
                    .clock(move || {
                        if ticks.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 40 == 39 {
                            c.advance(Duration::from_secs(1));
                        }
                        lumber::Clock::now(&c)
                    })
                    .open()
                    .unwrap(),
            )
        }
        other => panic!("unknown scenario {other}"),
    }
}

/// Logs `RECORDS` records from each of `THREADS` threads.
fn write_all(sink: &Arc<dyn Sink>, who: &str) {
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let sink = sink.clone();
            s.spawn(move || {
                let writer = format!("{who}t{t}");
                for i in 0..RECORDS {
                    if let Err(e) = sink.emit(&rec(), &line(&writer, i)) {
                        // Rollovers faster than gzip: a file left
                        // uncompressed is reported (the record is written).
                        assert!(e.to_string().contains("left uncompressed"), "{e}");
                    }
                }
            });
        }
    });
    sink.flush().unwrap();
}

/// The child: runs only when the parent sets `LUMBER_ROT_CHILD`.
#[test]
fn child() {
    let (Ok(scenario), Ok(path), Ok(id)) = (
        std::env::var("LUMBER_ROT_CHILD"),
        std::env::var("LUMBER_ROT_PATH"),
        std::env::var("LUMBER_ROT_ID"),
    ) else {
        return;
    };
    let sink = open(&scenario, Path::new(&path), true);
    write_all(&sink, &format!("p{id}"));
}

fn run_processes(scenario: &str) -> PathBuf {
    let dir = scratch(&format!("mp-{scenario}"));
    let path = dir.join("app.log");
    let children: Vec<_> = (0..PROCESSES)
        .map(|id| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "rotating::concurrency::child",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("LUMBER_ROT_CHILD", scenario)
                .env("LUMBER_ROT_PATH", &path)
                .env("LUMBER_ROT_ID", id.to_string())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a child failed");
    }
    dir
}

/// The log files oldest first (numbered backups from the highest), with
/// compressed ones decompressed.
fn read_logs(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        assert!(!name.ends_with(".tmp"), "leftover {name}");
        if name.ends_with(".lock") {
            continue;
        }
        let bytes = fs::read(entry.path()).unwrap();
        let text = if name.ends_with(".gz") {
            #[cfg(feature = "gzip")]
            {
                let mut s = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::GzDecoder::new(&bytes[..]),
                    &mut s,
                )
                .unwrap();
                s
            }
            #[cfg(not(feature = "gzip"))]
            panic!("gzip file without the gzip feature")
        } else {
            String::from_utf8(bytes).unwrap()
        };
        out.push((name, text));
    }
    let rank = |name: &str| -> i64 {
        let stem = name.trim_end_matches(".gz");
        match stem.strip_prefix("app.log.") {
            Some(k) => k.parse::<i64>().map(|k| -k).unwrap_or(0),
            None => i64::MAX,
        }
    };
    out.sort_by_key(|(n, _)| (rank(n), n.clone()));
    out
}

/// Every record exactly once, whole, and each writer's records in order;
/// returns the number of records per writer.
fn check_records(
    files: &[(String, String)],
    writers: &[String],
    complete: bool,
) -> HashMap<String, Vec<usize>> {
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    for (name, text) in files {
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{name}: partial last line"
        );
        for l in text.lines() {
            let mut parts = l.splitn(3, ' ');
            let (Some(writer), Some(i)) = (parts.next(), parts.next()) else {
                panic!("{name}: bad line {l:?}");
            };
            let i: usize = i
                .strip_prefix('r')
                .and_then(|i| i.parse().ok())
                .unwrap_or_else(|| panic!("{name}: bad line {l:?}"));
            assert_eq!(l, line(writer, i), "{name}: damaged line");
            seen.entry(writer.to_owned()).or_default().push(i);
        }
    }
    for w in writers {
        let got = seen.get(w).cloned().unwrap_or_default();
        if complete {
            assert_eq!(
                got,
                (0..RECORDS).collect::<Vec<_>>(),
                "{w}: lost, duplicated or reordered"
            );
        } else {
            // Old files were deleted: what is left is the end of each
            // writer's sequence, once each, in order.
            let first = got.first().copied().unwrap_or(RECORDS);
            assert_eq!(
                got,
                (first..RECORDS).collect::<Vec<_>>(),
                "{w}: lost, duplicated or reordered"
            );
        }
    }
    seen
}

/// Numbered backups 1..=n, none over the limit unless a single record,
/// and each rolled over only when the next record would have reached it.
fn check_numbered(files: &[(String, String)], backups: usize) {
    assert_eq!(
        files.len(),
        backups + 1,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (k, (name, text)) in files.iter().enumerate() {
        if name.trim_end_matches(".gz") != "app.log" {
            assert_eq!(
                name.trim_end_matches(".gz"),
                format!("app.log.{}", backups - k)
            );
            assert!((text.len() as u64) < MAX_BYTES, "{name} too big");
            let next = files[k + 1].1.lines().next().unwrap();
            assert!(
                text.len() as u64 + next.len() as u64 + 1 >= MAX_BYTES,
                "{name} rolled over early"
            );
        }
    }
}

fn writers(processes: usize, prefix: &str) -> Vec<String> {
    (0..processes)
        .flat_map(|p| {
            (0..THREADS).map(move |t| {
                if prefix.is_empty() {
                    format!("p{p}t{t}")
                } else {
                    format!("{prefix}t{t}")
                }
            })
        })
        .collect()
}

#[test]
fn threads_through_size_rotation() {
    let dir = scratch("threads");
    let sink = open("size", &dir.join("app.log"), false);
    write_all(&sink, "solo");
    let files = read_logs(&dir);
    check_records(&files, &writers(1, "solo"), true);
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    assert!(
        files.len() as u64 >= total as u64 / MAX_BYTES,
        "rotated every few KB"
    );
    check_numbered(&files, files.len() - 1);
}

/// Two handlers in one process on one file in multi-process mode behave
/// as two processes would (the lock is per open file).
#[test]
fn two_multiprocess_handlers_in_one_process() {
    let dir = scratch("two-handlers");
    let a = open("size", &dir.join("app.log"), true);
    let b = open("size", &dir.join("app.log"), true);
    std::thread::scope(|s| {
        s.spawn(|| write_all(&a, "a"));
        s.spawn(|| write_all(&b, "b"));
    });
    let files = read_logs(&dir);
    let mut all = writers(1, "a");
    all.extend(writers(1, "b"));
    check_records(&files, &all, true);
    check_numbered(&files, files.len() - 1);
}

#[test]
fn processes_through_size_rotation() {
    let dir = run_processes("size");
    let files = read_logs(&dir);
    check_records(&files, &writers(PROCESSES, ""), true);
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    assert!(files.len() > 50 && files.len() as u64 >= total as u64 / MAX_BYTES);
    check_numbered(&files, files.len() - 1);
}

#[test]
fn processes_with_five_backups_keep_five() {
    let dir = run_processes("small");
    let files = read_logs(&dir);
    check_numbered(&files, 5);
    check_records(&files, &writers(PROCESSES, ""), false);
}

#[cfg(feature = "gzip")]
#[test]
fn processes_with_background_gzip() {
    let dir = run_processes("gzip");
    let files = read_logs(&dir);
    assert!(files.iter().any(|f| f.0.ends_with(".gz")));
    check_records(&files, &writers(PROCESSES, ""), true);
    check_numbered(&files, files.len() - 1);
}

#[test]
fn processes_through_timed_and_size_rotation() {
    let dir = run_processes("timed");
    let files = read_logs(&dir);
    assert!(files.len() > 20, "{}", files.len());
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    for (name, text) in &files {
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{name}: partial last line"
        );
        for l in text.lines() {
            let mut parts = l.splitn(3, ' ');
            let writer = parts.next().unwrap();
            let i: usize = parts.next().unwrap()[1..].parse().unwrap();
            assert_eq!(l, line(writer, i), "{name}: damaged line");
            seen.entry(writer.to_owned()).or_default().push(i);
        }
    }
    for w in writers(PROCESSES, "") {
        let mut got = seen.remove(&w).unwrap_or_default();
        got.sort_unstable();
        assert_eq!(
            got,
            (0..RECORDS).collect::<Vec<_>>(),
            "{w}: lost or duplicated"
        );
    }
}
