//! Shared pieces of the lumber benchmarks (the benchmarks themselves live
//! in `benches/`, one bench target per crate because each logging crate
//! installs a process-wide logger).
//!
//! Every file benchmark writes the same line shape,
//! `%(asctime)s %(levelname)s %(name)s %(message)s`, e.g.
//! `2026-01-02 03:04:05,678 INFO bench.file request 17 done`, to a fresh
//! file under the system temp dir, counts the calls it made, and afterwards
//! checks with [`verify`] that the file holds exactly that many lines: a
//! logger that silently dropped records fails its benchmark instead of
//! looking fast.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// lumber's pattern; every peer is configured to print the same fields in
/// the same order.
pub const PATTERN: &str = "%(asctime)s %(levelname)s %(name)s %(message)s";

/// The `strftime` form of lumber's default `asctime`
/// (`2026-01-02 03:04:05,678`), for peers that format time with chrono.
pub const CHRONO_ASCTIME: &str = "%Y-%m-%d %H:%M:%S,%3f";

/// The logger (or `log`/`tracing` target) every benchmark logs to.
pub const LOGGER: &str = "bench.file";

/// The buffer of the buffered benchmarks: 64 KiB, written when full.
pub const BUFFER: usize = 64 * 1024;

/// Environment variable naming a file to which [`verify`] appends one
/// tab-separated line per check (`scripts/bench.sh` sets it).
pub const CHECKS_ENV: &str = "LUMBER_BENCH_CHECKS";

/// A fresh, empty directory for one benchmark's files:
/// `<temp>/lumber-bench-<pid>/<name>`.
///
/// # Panics
///
/// If the directory cannot be made (a benchmark cannot run without it).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("lumber-bench-{}", std::process::id()))
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Counts the `\n` bytes in a file (read in 64 KiB blocks: the files of a
/// benchmark run reach gigabytes).
pub fn count_lines(path: &Path) -> io::Result<u64> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut lines = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
}

/// The first line of a file, without its newline (empty if none).
pub fn first_line(path: &Path) -> io::Result<String> {
    let mut line = String::new();
    BufReader::new(File::open(path)?).read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Checks, after a file benchmark, that `path` holds exactly `expected`
/// lines (one per call the benchmark made; flush the logger first), then
/// deletes the file.
///
/// The result and the file's first line go to stderr and, when
/// [`CHECKS_ENV`] names a file, are appended to it as
/// `id<TAB>expected<TAB>found<TAB>ok|DROPPED|EXTRA<TAB>first line`.
///
/// # Panics
///
/// When the counts differ or the file cannot be read, so that a logger
/// that lost records fails loudly (`scripts/bench.sh` flags the row).
pub fn verify(id: &str, path: &Path, expected: u64) {
    let found = count_lines(path);
    let sample = first_line(path).unwrap_or_default();
    let status = match &found {
        Ok(n) if *n == expected => "ok",
        Ok(n) if *n < expected => "DROPPED",
        Ok(_) => "EXTRA",
        Err(_) => "UNREADABLE",
    };
    let found_text = match &found {
        Ok(n) => n.to_string(),
        Err(e) => format!("error: {e}"),
    };
    eprintln!(
        "check {id}: {expected} calls, {found_text} lines in {}: {status}; first line: {sample}",
        path.display()
    );
    if let Some(checks) = std::env::var_os(CHECKS_ENV) {
        let appended = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&checks)
            .and_then(|mut f| writeln!(f, "{id}\t{expected}\t{found_text}\t{status}\t{sample}"));
        if let Err(e) = appended {
            eprintln!("cannot append to {}: {e}", Path::new(&checks).display());
        }
    }
    let _ = fs::remove_file(path);
    assert_eq!(
        status,
        "ok",
        "{id}: the benchmark made {expected} logging calls but {} holds {found_text} lines",
        path.display()
    );
}
