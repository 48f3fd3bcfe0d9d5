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
//!
//! The asynchronous benchmarks (`benches/async_*.rs`: caller latency in
//! bursts, backend throughput, the disabled call) share [`harness`]; they
//! check their line counts with [`harness::check`], which reports instead
//! of panicking so that a crate that lost records is flagged in the table.

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

/// The three measured calls of [`harness::Peer`] for a crate that logs
/// through the `log` facade (target [`harness::LOGGER`]); expands inside
/// an `impl Peer` block so the calls inline into each bench binary.
#[macro_export]
macro_rules! log_facade_calls {
    () => {
        #[inline]
        fn ints(&self, a: i32, b: i32, d: f64) {
            log::info!(target: $crate::harness::LOGGER, "Logging int: {}, int: {}, double: {}", a, b, d);
        }

        #[inline]
        fn str(&self, s: &str) {
            log::info!(target: $crate::harness::LOGGER, "Logging str: {}", s);
        }

        #[inline]
        fn disabled(&self, n: u64) {
            log::debug!(target: $crate::harness::LOGGER, "Logging int: {}", ::std::hint::black_box(n));
        }
    };
}

pub mod harness {
    //! The harness of the asynchronous benchmarks (`benches/async_*.rs`,
    //! one `harness = false` binary per crate, run by
    //! `scripts/bench-async.sh`).
    //!
    //! It reproduces the caller-latency method of quill's benchmark suite:
    //! the logging thread is pinned to core 0 and every other thread of the
    //! process (the crate's backend threads) to core 1; bursts of [`BURST`]
    //! calls are timed with the TSC, calibrated against [`Instant`] over
    //! 100 ms, with a spin-wait of [`WAIT_US`] µs ([`WAIT_US_ENV`] changes
    //! it), plus up to 10% at random, between bursts so that the backend
    //! drains; [`BURSTS`] bursts per message shape, each reported as the
    //! burst's time / [`BURST`].
    //!
    //! A binary runs in one of two modes (its first argument):
    //!
    //! - `latency` (the default): warm-up, the empty burst (the harness's
    //!   own cost), the two message shapes, the disabled call;
    //! - `throughput`: [`THROUGHPUT_RECORDS`] records from one thread, timed
    //!   until all of them are written to the file.
    //!
    //! It then checks that the file holds one line per call, prints one
    //! line of JSON on stdout and exits with status 1 if the check failed
    //! or the backend did not catch up.

    use std::fs::File;
    use std::hint::black_box;
    use std::io::{self, BufWriter, Write};
    use std::path::{Path, PathBuf};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, Instant};

    use super::{CHECKS_ENV, count_lines, first_line, scratch_dir};

    /// The logger (or target) every asynchronous benchmark logs to.
    pub const LOGGER: &str = "bench";

    /// The argument of the string shape, `"Logging str: {}"`: 40 characters.
    pub const STR_ARG: &str = "Lorem ipsum dolor sit amet, consectetur.";
    const _: () = assert!(STR_ARG.len() == 40);

    /// Calls per timed burst.
    pub const BURST: usize = 20;
    /// Timed bursts per message shape.
    pub const BURSTS: usize = 100_000;
    /// Timed empty bursts (the harness's own cost).
    pub const EMPTY_BURSTS: usize = 20_000;
    /// Untimed bursts per message shape before the timed ones.
    pub const WARMUP_BURSTS: usize = 5_000;
    /// Default spin-wait between bursts, in µs (see [`WAIT_US_ENV`]): long
    /// enough for the slowest backend here to write a burst before the next
    /// one (quill waits 200–300 µs between bursts of 60).
    pub const WAIT_US: u64 = 100;
    /// Environment variable overriding [`WAIT_US`].
    pub const WAIT_US_ENV: &str = "LUMBER_BENCH_WAIT_US";
    /// Environment variable that, when set, keeps the log files (to look
    /// at them after a run).
    pub const KEEP_ENV: &str = "LUMBER_BENCH_KEEP";
    /// Records of the throughput mode.
    pub const THROUGHPUT_RECORDS: u64 = 1_000_000;
    /// Calls per round of the disabled-call measurement (5 rounds).
    pub const DISABLED_CALLS: u64 = 10_000_000;
    /// Capacity, in records, of every peer's bounded queue where the crate
    /// lets it be set.
    pub const QUEUE: usize = 131_072;
    /// lumber's per-thread ring in the throughput mode (entries).
    pub const THROUGHPUT_RING: usize = 131_072;
    /// How long a benchmark waits for a backend to catch up before it
    /// reports a timeout.
    pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(120);

    /// What a run measures (the binary's first argument).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Mode {
        /// Caller latency in bursts, and the disabled call.
        Latency,
        /// Backend throughput.
        Throughput,
    }

    /// What a crate's benchmark gets to set itself up.
    #[derive(Debug)]
    pub struct Setup {
        /// The mode of this run.
        pub mode: Mode,
        /// `--variant NAME`, for a crate reported in more than one
        /// configuration (lumber's coarse clock).
        pub variant: Option<String>,
        /// A fresh directory for the log file.
        pub dir: PathBuf,
        /// The file the crate must write its lines to (in `dir`).
        pub path: PathBuf,
    }

    /// One crate under test. The calls are made from the pinned thread.
    pub trait Peer {
        /// `"Logging int: {}, int: {}, double: {}"` at INFO.
        fn ints(&self, a: i32, b: i32, d: f64);
        /// `"Logging str: {}"` at INFO.
        fn str(&self, s: &str);
        /// A DEBUG call on a logger at INFO; the argument goes through
        /// `black_box` inside the macro.
        fn disabled(&self, n: u64);
        /// Returns once the backend has handled the first `logged` records
        /// (between two measurements); false on a timeout.
        fn drain(&self, logged: u64) -> bool;
        /// Returns once all `logged` records are written to [`Setup::path`]
        /// (`write(2)` done; no fsync); the logger may be stopped. False on
        /// a timeout.
        fn finish(self, logged: u64) -> bool;
    }

    /// Runs one crate's benchmark: `make` builds its logger, writing to
    /// [`Setup::path`].
    pub fn run<P: Peer>(name: &str, make: impl FnOnce(&Setup) -> P) {
        let mut mode = Mode::Latency;
        let mut variant = None;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "latency" => mode = Mode::Latency,
                "throughput" => mode = Mode::Throughput,
                "--variant" => variant = args.next(),
                // `cargo bench` passes `--bench`.
                _ => {}
            }
        }
        let mode_name = match mode {
            Mode::Latency => "latency",
            Mode::Throughput => "throughput",
        };
        let label = match &variant {
            Some(v) => format!("{name}-{v}"),
            None => name.to_owned(),
        };
        let dir = scratch_dir(&format!("async-{label}-{mode_name}"));
        let path = dir.join(format!("{name}.log"));
        let setup = Setup {
            mode,
            variant: variant.clone(),
            dir: dir.clone(),
            path: path.clone(),
        };

        // Pinned before the logger starts: its threads inherit core 0 and
        // are moved to core 1 below.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let main_pinned = pin_current(0);
        let tsc = Tsc::calibrate();
        let peer = make(&setup);
        // Let the crate's threads start (and name themselves) before they
        // are pinned.
        std::thread::sleep(Duration::from_millis(100));
        let mut json = Json::new();
        json.str("bench", name);
        json.opt_str("variant", variant.as_deref());
        json.str("mode", mode_name);
        json.num("tsc_ghz", 1.0 / tsc.ns_per_tick);
        json.num("rdtsc_ns", tsc.rdtsc_ns());

        let others = if cores > 1 { pin_others(1) } else { Vec::new() };
        let (logged, drained) = match mode {
            Mode::Latency => {
                let (logged, drained, others) = latency(&peer, &tsc, &mut json, cores);
                json.raw("pinned", &pinning(main_pinned, &others));
                let finished = peer.finish(logged);
                (logged, drained && finished)
            }
            Mode::Throughput => {
                json.raw("pinned", &pinning(main_pinned, &others));
                let start = Instant::now();
                for i in 0..THROUGHPUT_RECORDS {
                    peer.ints(i as i32, (i * 2) as i32, i as f64 / 2.0);
                }
                let produced = start.elapsed();
                let finished = peer.finish(THROUGHPUT_RECORDS);
                let total = start.elapsed();
                json.num("records", THROUGHPUT_RECORDS as f64);
                json.num("producer_s", produced.as_secs_f64());
                json.num("total_s", total.as_secs_f64());
                json.num(
                    "mrps",
                    THROUGHPUT_RECORDS as f64 / total.as_secs_f64() / 1e6,
                );
                (THROUGHPUT_RECORDS, finished)
            }
        };
        if !drained {
            json.str("timeout", "the backend did not catch up in time");
        }
        let check = check(&format!("async_{mode_name}/{label}"), &path, logged);
        json.raw(
            "lines",
            &format!(
                "{{\"expected\":{},\"found\":{},\"status\":\"{}\"}}",
                check.expected,
                check
                    .found
                    .map_or_else(|| "null".to_owned(), |n| n.to_string()),
                check.status
            ),
        );
        json.str("first_line", &check.first_line);
        if std::env::var_os(KEEP_ENV).is_none() {
            let _ = std::fs::remove_dir_all(&dir);
            // `<temp>/lumber-bench-<pid>`, if nothing else is in it.
            if let Some(parent) = dir.parent() {
                let _ = std::fs::remove_dir(parent);
            }
        }
        println!("{}", json.finish());
        if check.status != "ok" || !drained {
            std::process::exit(1);
        }
    }

    fn pinning(main: bool, others: &[(String, bool)]) -> String {
        let mut out = format!("{{\"main\":{},\"others\":[", if main { 0 } else { -1 });
        for (i, (name, ok)) in others.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{{\"thread\":{},\"core\":{}}}",
                quote(name),
                if *ok { 1 } else { -1 }
            ));
        }
        out.push_str("]}");
        out
    }

    /// The latency mode; returns the number of records logged, whether
    /// every drain completed, and the threads pinned to core 1 (pinned again
    /// after the warm-up, for crates that start threads lazily).
    fn latency<P: Peer>(
        peer: &P,
        tsc: &Tsc,
        json: &mut Json,
        cores: usize,
    ) -> (u64, bool, Vec<(String, bool)>) {
        let wait_us = std::env::var(WAIT_US_ENV)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(WAIT_US);
        let mut wait = Wait::new(tsc, wait_us);
        json.num("wait_us", wait_us as f64);
        json.num("bursts", BURSTS as f64);
        json.num("burst", BURST as f64);
        let text = String::from(black_box(STR_ARG));
        let s = text.as_str();

        let mut logged = 0u64;
        let mut drained = true;
        // Warm-up: both shapes, then let the backend catch up.
        bursts(&mut wait, WARMUP_BURSTS, |a, b, d| peer.ints(a, b, d));
        bursts(&mut wait, WARMUP_BURSTS, |_, _, _| peer.str(s));
        logged += 2 * (WARMUP_BURSTS * BURST) as u64;
        drained &= peer.drain(logged);
        let others = if cores > 1 { pin_others(1) } else { Vec::new() };

        // The harness alone: an empty burst.
        let empty = bursts(&mut wait, EMPTY_BURSTS, |a, b, d| {
            black_box((a, b, d));
        });
        json.raw("empty", &percentiles(tsc, empty, None));

        let ints = bursts(&mut wait, BURSTS, |a, b, d| peer.ints(a, b, d));
        logged += (BURSTS * BURST) as u64;
        let start = Instant::now();
        drained &= peer.drain(logged);
        json.raw("ints", &percentiles(tsc, ints, Some(start.elapsed())));

        let strs = bursts(&mut wait, BURSTS, |_, _, _| peer.str(s));
        logged += (BURSTS * BURST) as u64;
        let start = Instant::now();
        drained &= peer.drain(logged);
        json.raw("str", &percentiles(tsc, strs, Some(start.elapsed())));

        // The disabled call: the median of 5 rounds.
        let mut rounds: Vec<f64> = (0..5)
            .map(|_| {
                let start = rdtsc();
                for n in 0..DISABLED_CALLS {
                    peer.disabled(n);
                }
                (rdtsc() - start) as f64 * tsc.ns_per_tick / DISABLED_CALLS as f64
            })
            .collect();
        rounds.sort_by(f64::total_cmp);
        json.num("disabled_ns", rounds[2]);

        (logged, drained, others)
    }

    /// Times `count` bursts of [`BURST`] calls of `f(burst, call, double)`,
    /// with the spin-wait between them; returns the ticks of each burst.
    fn bursts(wait: &mut Wait, count: usize, mut f: impl FnMut(i32, i32, f64)) -> Vec<u64> {
        let mut ticks = Vec::with_capacity(count);
        for burst in 0..count {
            let d = burst as f64 + 0.1 * burst as f64;
            let start = rdtsc();
            for call in 0..BURST {
                f(burst as i32, call as i32, d);
            }
            let end = rdtsc();
            ticks.push(end.wrapping_sub(start));
            wait.spin();
        }
        ticks
    }

    /// `{"p50":..,"p90":..,"p99":..,"p999":..,"max":..,"mean":..}` in ns
    /// per call (a burst's time / [`BURST`]), plus `drain_ms`.
    fn percentiles(tsc: &Tsc, mut ticks: Vec<u64>, drain: Option<Duration>) -> String {
        ticks.sort_unstable();
        let n = ticks.len().max(1);
        let per_call = |t: u64| t as f64 * tsc.ns_per_tick / BURST as f64;
        let at = |q: f64| per_call(ticks[((n as f64 * q) as usize).min(n - 1)]);
        let mean = ticks.iter().map(|&t| per_call(t)).sum::<f64>() / n as f64;
        let mut out = format!(
            "{{\"p50\":{:.2},\"p90\":{:.2},\"p99\":{:.2},\"p999\":{:.2},\"max\":{:.2},\"mean\":{:.2}",
            at(0.5),
            at(0.9),
            at(0.99),
            at(0.999),
            per_call(ticks.last().copied().unwrap_or(0)),
            mean
        );
        if let Some(d) = drain {
            out.push_str(&format!(",\"drain_ms\":{:.3}", d.as_secs_f64() * 1e3));
        }
        out.push('}');
        out
    }

    /// The time-stamp counter, calibrated to nanoseconds.
    pub struct Tsc {
        /// Nanoseconds per tick.
        pub ns_per_tick: f64,
    }

    impl Tsc {
        /// Measures the tick rate against [`Instant`] over 100 ms.
        pub fn calibrate() -> Tsc {
            let (t0, i0) = (rdtsc(), Instant::now());
            while i0.elapsed() < Duration::from_millis(100) {
                std::hint::spin_loop();
            }
            let (t1, i1) = (rdtsc(), Instant::now());
            let ticks = t1.wrapping_sub(t0).max(1);
            Tsc {
                ns_per_tick: (i1 - i0).as_nanos() as f64 / ticks as f64,
            }
        }

        /// What one TSC read costs: the median gap between two
        /// back-to-back reads, in ns.
        pub fn rdtsc_ns(&self) -> f64 {
            let mut gaps: Vec<u64> = (0..10_001)
                .map(|_| {
                    let a = rdtsc();
                    rdtsc().wrapping_sub(a)
                })
                .collect();
            gaps.sort_unstable();
            gaps[gaps.len() / 2] as f64 * self.ns_per_tick
        }
    }

    /// The TSC (`_rdtsc`); nanoseconds since an arbitrary point elsewhere.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    #[allow(unsafe_code)]
    pub fn rdtsc() -> u64 {
        // SAFETY: RDTSC exists on every x86-64 CPU and has no preconditions.
        unsafe { core::arch::x86_64::_rdtsc() }
    }

    /// The TSC (`_rdtsc`); nanoseconds since an arbitrary point elsewhere.
    #[cfg(not(target_arch = "x86_64"))]
    #[inline(always)]
    pub fn rdtsc() -> u64 {
        use std::sync::OnceLock;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_nanos() as u64
    }

    /// The spin-wait between bursts: `us` µs plus up to 10% at random (as
    /// quill waits a random time between a minimum and a maximum).
    struct Wait {
        min: u64,
        spread: u64,
        state: u64,
    }

    impl Wait {
        fn new(tsc: &Tsc, us: u64) -> Wait {
            let min = (us as f64 * 1e3 / tsc.ns_per_tick) as u64;
            Wait {
                min,
                spread: (min / 10).max(1),
                state: 0x9E37_79B9_7F4A_7C15,
            }
        }

        fn spin(&mut self) {
            // xorshift64
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            let deadline = rdtsc() + self.min + self.state % self.spread;
            while rdtsc() < deadline {
                std::hint::spin_loop();
            }
        }
    }

    /// Pins the calling thread to `core`; false if the OS refused.
    pub fn pin_current(core: usize) -> bool {
        set_affinity(0, core)
    }

    /// Pins every other thread of the process to `core`; returns each
    /// thread's name and whether it worked.
    pub fn pin_others(core: usize) -> Vec<(String, bool)> {
        let me = current_tid();
        let mut pinned = Vec::new();
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return pinned;
        };
        for task in tasks.flatten() {
            let Some(tid) = task
                .file_name()
                .to_str()
                .and_then(|t| t.parse::<i32>().ok())
            else {
                continue;
            };
            if tid == me {
                continue;
            }
            let name = std::fs::read_to_string(task.path().join("comm"))
                .map(|n| n.trim().to_owned())
                .unwrap_or_default();
            pinned.push((name, set_affinity(tid, core)));
        }
        pinned
    }

    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    fn set_affinity(tid: i32, core: usize) -> bool {
        if core >= libc::CPU_SETSIZE as usize {
            return false;
        }
        // SAFETY: `cpu_set_t` is plain data for which all zeroes is the
        // empty set; `core` is below CPU_SETSIZE, so CPU_SET writes inside
        // `set`; sched_setaffinity reads `size_of::<cpu_set_t>()` bytes of
        // it, and a thread id that is gone makes it fail, nothing worse.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(core, &mut set);
            libc::sched_setaffinity(tid, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn set_affinity(_tid: i32, _core: usize) -> bool {
        false
    }

    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    fn current_tid() -> i32 {
        // SAFETY: gettid has no preconditions.
        unsafe { libc::gettid() }
    }

    #[cfg(not(target_os = "linux"))]
    fn current_tid() -> i32 {
        -1
    }

    /// How far a backend got, as seen by a [`CountingFile`] it writes to.
    #[derive(Debug, Default)]
    pub struct Progress {
        written: AtomicU64,
        flushed: AtomicU64,
    }

    impl Progress {
        /// Lines handed to the file's buffer so far.
        pub fn written(&self) -> u64 {
            self.written.load(Ordering::Acquire)
        }

        /// Lines written to the file (the buffer flushed after them).
        pub fn flushed(&self) -> u64 {
            self.flushed.load(Ordering::Acquire)
        }

        /// Waits until `lines` lines were handed to the buffer.
        pub fn wait_written(&self, lines: u64) -> bool {
            wait_until(|| self.written() >= lines)
        }

        /// Waits until `lines` lines were written to the file.
        pub fn wait_flushed(&self, lines: u64) -> bool {
            wait_until(|| self.flushed() >= lines)
        }
    }

    /// Polls `done` (every 50 µs) for up to [`DRAIN_TIMEOUT`].
    pub fn wait_until(mut done: impl FnMut() -> bool) -> bool {
        let start = Instant::now();
        while !done() {
            if start.elapsed() > DRAIN_TIMEOUT {
                return false;
            }
            std::thread::sleep(Duration::from_micros(50));
        }
        true
    }

    /// Polls the file until it holds `lines` lines, calling `poke` (a
    /// flush request) before each look (every 10 ms), for crates whose
    /// progress cannot be seen otherwise.
    pub fn wait_file_lines(path: &Path, lines: u64, mut poke: impl FnMut()) -> bool {
        let start = Instant::now();
        loop {
            poke();
            if count_lines(path).is_ok_and(|n| n >= lines) {
                return true;
            }
            if start.elapsed() > DRAIN_TIMEOUT {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A file behind a [`BufWriter`] that counts the lines written through
    /// it (each `\n`), for backends whose progress cannot be seen
    /// otherwise. Counting is a scan of each write on the backend thread.
    #[derive(Debug)]
    pub struct CountingFile {
        inner: BufWriter<File>,
        lines: u64,
        progress: Arc<Progress>,
    }

    impl CountingFile {
        /// Creates (truncates) `path` with a `capacity`-byte buffer.
        pub fn create(path: &Path, capacity: usize) -> io::Result<(CountingFile, Arc<Progress>)> {
            let progress = Arc::new(Progress::default());
            let file = CountingFile {
                inner: BufWriter::with_capacity(capacity, File::create(path)?),
                lines: 0,
                progress: Arc::clone(&progress),
            };
            Ok((file, progress))
        }
    }

    impl Write for CountingFile {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.inner.write_all(buf)?;
            self.lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
            self.progress.written.store(self.lines, Ordering::Release);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()?;
            self.progress.flushed.store(self.lines, Ordering::Release);
            Ok(())
        }
    }

    impl Drop for CountingFile {
        fn drop(&mut self) {
            let _ = self.flush();
        }
    }

    /// The outcome of a line-count check.
    #[derive(Debug)]
    pub struct Check {
        /// Calls made.
        pub expected: u64,
        /// Lines found (None if the file could not be read).
        pub found: Option<u64>,
        /// `ok`, `DROPPED`, `EXTRA` or `UNREADABLE`.
        pub status: &'static str,
        /// The file's first line.
        pub first_line: String,
    }

    /// Like [`super::verify`], without the panic: counts the lines of
    /// `path` against `expected`, reports to stderr and to [`CHECKS_ENV`],
    /// deletes the file (unless [`KEEP_ENV`] is set) and returns the
    /// outcome.
    pub fn check(id: &str, path: &Path, expected: u64) -> Check {
        let found = count_lines(path).ok();
        let first_line = first_line(path).unwrap_or_default();
        let status = match found {
            Some(n) if n == expected => "ok",
            Some(n) if n < expected => "DROPPED",
            Some(_) => "EXTRA",
            None => "UNREADABLE",
        };
        let found_text = found.map_or_else(|| "unreadable".to_owned(), |n| n.to_string());
        eprintln!(
            "check {id}: {expected} calls, {found_text} lines in {}: {status}; first line: {first_line}",
            path.display()
        );
        if let Some(checks) = std::env::var_os(CHECKS_ENV) {
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&checks)
                .and_then(|mut f| {
                    writeln!(f, "{id}\t{expected}\t{found_text}\t{status}\t{first_line}")
                });
            if let Err(e) = appended {
                eprintln!("cannot append to {}: {e}", Path::new(&checks).display());
            }
        }
        if std::env::var_os(KEEP_ENV).is_none() {
            let _ = std::fs::remove_file(path);
        }
        Check {
            expected,
            found,
            status,
            first_line,
        }
    }

    /// A JSON string literal.
    fn quote(s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// One JSON object, built field by field.
    struct Json(String);

    impl Json {
        fn new() -> Json {
            Json(String::from("{"))
        }

        fn key(&mut self, key: &str) {
            if self.0.len() > 1 {
                self.0.push(',');
            }
            self.0.push_str(&quote(key));
            self.0.push(':');
        }

        fn str(&mut self, key: &str, value: &str) {
            self.key(key);
            self.0.push_str(&quote(value));
        }

        fn opt_str(&mut self, key: &str, value: Option<&str>) {
            match value {
                Some(v) => self.str(key, v),
                None => self.raw(key, "null"),
            }
        }

        fn num(&mut self, key: &str, value: f64) {
            self.key(key);
            if value.is_finite() {
                self.0.push_str(&format!("{value:.4}"));
            } else {
                self.0.push_str("null");
            }
        }

        fn raw(&mut self, key: &str, value: &str) {
            self.key(key);
            self.0.push_str(value);
        }

        fn finish(mut self) -> String {
            self.0.push('}');
            self.0
        }
    }
}
