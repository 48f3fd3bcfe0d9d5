//! The caller's clock: a raw tick count read in a few nanoseconds, turned
//! into wall-clock time on the listener thread (the fast path) or by a
//! process-wide calibration (records made on the calling thread).

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering, fence};
use std::time::{Duration, Instant};

use crate::record::Timestamp;

/// The clock records are stamped with, on the calling thread: on the fast
/// path (the tick is turned into wall time on the listener) and on the
/// synchronous path alike.
///
/// ```
/// lumber::set_time_source(lumber::TimeSource::Coarse);
/// assert_eq!(lumber::time_source(), lumber::TimeSource::Coarse);
/// # lumber::set_time_source(lumber::TimeSource::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    /// The CPU's time-stamp counter (x86-64), calibrated against the wall
    /// clock (re-anchored every second): nanosecond resolution at the
    /// lowest cost. The default where available.
    Tsc,
    /// The kernel's coarse wall clock: cheapest, but only as fine as the
    /// kernel tick (1–4 ms); records within a tick share a timestamp.
    Coarse,
    /// The precise wall clock (`clock_gettime(CLOCK_REALTIME)`).
    System,
}

impl Default for TimeSource {
    fn default() -> TimeSource {
        if cfg!(target_arch = "x86_64") {
            TimeSource::Tsc
        } else {
            TimeSource::System
        }
    }
}

static SOURCE: AtomicU8 = AtomicU8::new(u8::MAX);

/// Chooses the records' clock for the whole process (see
/// [`TimeSource`]). Records already queued keep the source they were made
/// with.
pub fn set_time_source(source: TimeSource) {
    SOURCE.store(source as u8, Ordering::Relaxed);
}

/// The records' clock (see [`TimeSource`]).
#[inline]
pub fn time_source() -> TimeSource {
    match SOURCE.load(Ordering::Relaxed) {
        0 => TimeSource::Tsc,
        1 => TimeSource::Coarse,
        2 => TimeSource::System,
        _ => TimeSource::default(),
    }
}

/// A raw reading: TSC ticks, or nanoseconds since the epoch for the other
/// sources (tagged so the listener knows which).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tick {
    Tsc(u64),
    Wall(u64),
}

#[inline(always)]
pub(crate) fn now() -> Tick {
    match time_source() {
        TimeSource::Tsc => tsc(),
        TimeSource::Coarse => Tick::Wall(coarse_ns()),
        TimeSource::System => Tick::Wall(system_ns()),
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn tsc() -> Tick {
    // SAFETY: RDTSC exists on every x86-64 CPU and has no preconditions.
    #[allow(unsafe_code)]
    let t = unsafe { core::arch::x86_64::_rdtsc() };
    Tick::Tsc(t)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn tsc() -> Tick {
    Tick::Wall(system_ns())
}

fn system_ns() -> u64 {
    ns_of(Timestamp::now())
}

/// Nanoseconds since the epoch (0 before it).
fn ns_of(t: Timestamp) -> u64 {
    (t.seconds().max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::from(t.nanos()))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[inline(always)]
fn coarse_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_REALTIME_COARSE
    // always exists on Linux, and on failure `ts` stays zero.
    #[allow(unsafe_code)]
    unsafe {
        libc::clock_gettime(libc::CLOCK_REALTIME_COARSE, &mut ts);
    }
    (ts.tv_sec.max(0) as u64).saturating_mul(1_000_000_000) + ts.tv_nsec.max(0) as u64
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn coarse_ns() -> u64 {
    system_ns()
}

/// The time a record is stamped with on the calling thread (the
/// synchronous path, and [`Record::new`](crate::Record::new)), read from
/// the process's [`TimeSource`].
///
/// With [`TimeSource::Tsc`] this is the time-stamp counter turned into wall
/// time by a process-wide calibration: one `rdtsc`, a few loads and a
/// multiply, against `clock_gettime`'s ordered counter read and its own
/// conversion. The calibration re-anchors on the wall clock at least once a
/// second, so the reading never strays from the system clock by more than
/// the counter's drift over a second (microseconds), and an adjustment of
/// the system clock shows within a second. Until the rate is known (the
/// first 10 ms after the first record), and whenever the counter looks
/// wrong (it went backwards, or another thread is re-anchoring), the wall
/// clock is read instead.
#[inline]
pub fn wall_now() -> Timestamp {
    match time_source() {
        TimeSource::Tsc => match tsc() {
            Tick::Tsc(t) => WALL.read(t),
            Tick::Wall(ns) => timestamp_from_ns(ns),
        },
        TimeSource::Coarse => timestamp_from_ns(coarse_ns()),
        TimeSource::System => Timestamp::now(),
    }
}

#[inline(always)]
fn timestamp_from_ns(ns: u64) -> Timestamp {
    Timestamp::new((ns / 1_000_000_000) as i64, (ns % 1_000_000_000) as u32)
}

/// How long the first calibration measures before it is trusted.
const FIRST_BASELINE_NS: u64 = 10_000_000;
/// The widest sample (counter reads around the wall clock's) an anchor is
/// taken from: about 20 µs at 2.5 GHz; a wall clock read takes well under
/// a microsecond.
const MAX_SAMPLE_TICKS: u64 = 50_000;
/// How often the calibration re-anchors on the wall clock.
const REANCHOR_NS: u64 = 1_000_000_000;

/// The process-wide tick-to-wall-time conversion of [`wall_now`]: a
/// sequence lock over the anchor, written by whichever thread finds the
/// anchor more than [`REANCHOR_NS`] old (at most one at a time; the others
/// read the wall clock meanwhile).
struct WallClock {
    /// Even when the fields are stable; odd while a thread rewrites them.
    seq: AtomicU64,
    anchor_tick: AtomicU64,
    anchor_ns: AtomicU64,
    /// Nanoseconds per tick, 32.32 fixed point.
    rate: AtomicU64,
    /// Ticks after the anchor within which it is used; 0 until calibrated.
    span: AtomicU64,
    /// The start of the rate's baseline (tick, ns), 0 before the first
    /// record; only the writer (holding an odd `seq`) touches it.
    first_tick: AtomicU64,
    first_ns: AtomicU64,
    /// A rate measured more than 1% off `rate`, waiting for a second
    /// measurement to agree with it (0: none); writer only.
    candidate: AtomicU64,
}

static WALL: WallClock = WallClock::new();

impl WallClock {
    const fn new() -> WallClock {
        WallClock {
            seq: AtomicU64::new(0),
            anchor_tick: AtomicU64::new(0),
            anchor_ns: AtomicU64::new(0),
            rate: AtomicU64::new(0),
            span: AtomicU64::new(0),
            first_tick: AtomicU64::new(0),
            first_ns: AtomicU64::new(0),
            candidate: AtomicU64::new(0),
        }
    }

    #[inline(always)]
    fn read(&self, tick: u64) -> Timestamp {
        match self.convert(tick) {
            Some(time) => time,
            None => self.reanchor(),
        }
    }

    /// The wall time of `tick`, if the anchor is calibrated, stable and
    /// less than a second before it.
    #[inline(always)]
    fn convert(&self, tick: u64) -> Option<Timestamp> {
        let seq = self.seq.load(Ordering::Acquire);
        let anchor_tick = self.anchor_tick.load(Ordering::Relaxed);
        let anchor_ns = self.anchor_ns.load(Ordering::Relaxed);
        let rate = self.rate.load(Ordering::Relaxed);
        let span = self.span.load(Ordering::Relaxed);
        fence(Ordering::Acquire);
        let delta = tick.wrapping_sub(anchor_tick);
        // A tick before the anchor wraps to a huge delta: outside the span.
        if delta < span && seq & 1 == 0 && self.seq.load(Ordering::Relaxed) == seq {
            let ns = anchor_ns + ((u128::from(delta) * u128::from(rate)) >> SHIFT) as u64;
            return Some(timestamp_from_ns(ns));
        }
        None
    }

    /// Reads the wall clock and, unless another thread is at it, moves the
    /// anchor there.
    #[cold]
    #[inline(never)]
    fn reanchor(&self) -> Timestamp {
        // A fresh sample, bracketed by two counter reads: one the thread
        // was preempted or interrupted in (the reads far apart) would put
        // its delay into the anchor and the rate, and is not used.
        let (Tick::Tsc(before), now, Tick::Tsc(after)) = (tsc(), Timestamp::now(), tsc()) else {
            return Timestamp::now();
        };
        if after.wrapping_sub(before) <= MAX_SAMPLE_TICKS {
            self.anchor_at(before + (after - before) / 2, ns_of(now));
        }
        now
    }

    /// Moves the anchor to (`tick`, `ns`) and refines the rate, unless
    /// another thread is doing the same.
    fn anchor_at(&self, tick: u64, ns: u64) {
        let seq = self.seq.load(Ordering::Relaxed);
        if seq & 1 == 1
            || self
                .seq
                .compare_exchange(seq, seq + 1, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        fence(Ordering::Release);
        let first_tick = self.first_tick.load(Ordering::Relaxed);
        let first_ns = self.first_ns.load(Ordering::Relaxed);
        let old_rate = self.rate.load(Ordering::Relaxed);
        let fresh = first_ns == 0 || tick <= first_tick || ns < first_ns;
        let elapsed = ns.wrapping_sub(first_ns);
        let mut rate = old_rate;
        let mut restart = fresh;
        if !fresh && (old_rate != 0 || elapsed >= FIRST_BASELINE_NS) {
            let measured = (u128::from(elapsed) << SHIFT) / u128::from(tick - first_tick);
            let measured = u64::try_from(measured).unwrap_or(u64::MAX);
            // More than 1% off the last rate: the wall clock was stepped,
            // or the counter's rate changed, or the last rate was wrong.
            // Keep converting with the old rate from the new anchor and
            // measure afresh from here; a second measurement that agrees
            // with this one (within 1%) replaces the old rate.
            let candidate = self.candidate.load(Ordering::Relaxed);
            let near = |a: u64, b: u64| a.abs_diff(b) <= b / 100;
            if old_rate == 0 || near(measured, old_rate) {
                rate = measured;
                self.candidate.store(0, Ordering::Relaxed);
            } else if candidate != 0 && near(measured, candidate) {
                rate = measured;
                self.candidate.store(0, Ordering::Relaxed);
                restart = true;
            } else {
                self.candidate.store(measured, Ordering::Relaxed);
                restart = true;
            }
        }
        if restart {
            self.first_tick.store(tick, Ordering::Relaxed);
            self.first_ns.store(ns, Ordering::Relaxed);
        }
        let span = match rate {
            0 => 0,
            r => u64::try_from((u128::from(REANCHOR_NS) << SHIFT) / u128::from(r))
                .unwrap_or(u64::MAX),
        };
        self.anchor_tick.store(tick, Ordering::Relaxed);
        self.anchor_ns.store(ns, Ordering::Relaxed);
        self.rate.store(rate, Ordering::Relaxed);
        self.span.store(span, Ordering::Relaxed);
        self.seq.store(seq + 2, Ordering::Release);
    }
}

/// Turns ticks into wall time. Lives on the listener thread; the rate is
/// measured over an ever longer baseline, so it gets more exact with time.
pub(crate) struct Calibration {
    first: (u64, u64),
    anchor: (u64, u64),
    /// Nanoseconds per tick, in 32.32 fixed point (integer arithmetic per
    /// record: no float conversions of 128-bit values).
    ns_per_tick: u64,
    refreshed: Instant,
}

/// The fixed-point scale of [`Calibration::ns_per_tick`].
const SHIFT: u32 = 32;

fn sample() -> (u64, u64) {
    let Tick::Tsc(t) = tsc() else {
        return (0, system_ns());
    };
    (t, system_ns())
}

impl Calibration {
    /// Measures the tick rate over at least a millisecond (spinning on the
    /// listener thread, once).
    pub(crate) fn new() -> Calibration {
        let first = sample();
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(2) {
            std::hint::spin_loop();
        }
        let mut c = Calibration {
            first,
            anchor: first,
            ns_per_tick: 1 << SHIFT,
            refreshed: Instant::now(),
        };
        c.refresh();
        c
    }

    fn refresh(&mut self) {
        let now = sample();
        let ticks = now.0.wrapping_sub(self.first.0);
        let ns = now.1.saturating_sub(self.first.1);
        if ticks > 0 && ns > 0 {
            let rate = (u128::from(ns) << SHIFT) / u128::from(ticks);
            self.ns_per_tick = u64::try_from(rate).unwrap_or(u64::MAX);
        }
        self.anchor = now;
        self.refreshed = Instant::now();
    }

    /// Refreshes the rate at most once a second.
    pub(crate) fn maybe_refresh(&mut self) {
        if self.refreshed.elapsed() >= Duration::from_secs(1) {
            self.refresh();
        }
    }

    /// Nanoseconds since the epoch of a reading.
    pub(crate) fn wall_ns(&self, tick: Tick) -> u64 {
        match tick {
            Tick::Wall(ns) => ns,
            Tick::Tsc(t) => {
                let delta = i128::from(t) - i128::from(self.anchor.0);
                let ns =
                    i128::from(self.anchor.1) + ((delta * i128::from(self.ns_per_tick)) >> SHIFT);
                ns.clamp(0, i128::from(u64::MAX)) as u64
            }
        }
    }

    /// The timestamp of a reading.
    pub(crate) fn timestamp(&self, tick: Tick) -> Timestamp {
        timestamp_from_ns(self.wall_ns(tick))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibrated_ticks_land_near_the_wall_clock() {
        let c = Calibration::new();
        let tick = tsc();
        let wall = system_ns();
        let converted = c.wall_ns(tick);
        // Within 50 ms: the conversion is not off by a scale factor.
        assert!(
            converted.abs_diff(wall) < 50_000_000,
            "{converted} vs {wall}"
        );
        assert!(c.wall_ns(Tick::Wall(5)) == 5);
    }

    const T0: u64 = 1_700_000_000_000_000_000;

    #[test]
    fn the_wall_clock_converts_only_once_calibrated_and_near_its_anchor() {
        let clock = WallClock::new();
        assert_eq!(clock.convert(5), None);
        clock.anchor_at(1_000, T0);
        assert_eq!(clock.convert(1_001), None, "no rate yet");
        clock.anchor_at(2_000_000, T0 + 2_000_000);
        assert_eq!(clock.convert(2_000_001), None, "baseline under 10 ms");
        // 30 M ticks over 12 ms: 0.4 ns per tick.
        clock.anchor_at(30_001_000, T0 + 12_000_000);
        let t = clock.convert(31_001_000).expect("calibrated");
        let ns = ns_of(t);
        assert!(
            ns.abs_diff(T0 + 12_400_000) <= 1,
            "{ns} vs {}",
            T0 + 12_400_000
        );
        // Before the anchor, and a second or more after it: not converted.
        assert_eq!(clock.convert(30_000_999), None);
        assert_eq!(clock.convert(30_001_000 + 2_500_000_000), None);
        assert!(clock.convert(30_001_000 + 2_400_000_000).is_some());
    }

    #[test]
    fn a_stepped_wall_clock_moves_the_anchor_and_keeps_the_rate() {
        let clock = WallClock::new();
        clock.anchor_at(1_000, T0);
        clock.anchor_at(25_001_000, T0 + 10_000_000);
        // The wall clock jumps an hour ahead a second later.
        let hour = 3_600_000_000_000;
        clock.anchor_at(2_525_001_000, T0 + 1_010_000_000 + hour);
        let t = clock.convert(2_525_001_000 + 1_000).expect("calibrated");
        let ns = ns_of(t);
        assert!(ns.abs_diff(T0 + 1_010_000_400 + hour) <= 1, "{ns}");
        // The next anchor measures from the jump, not across it.
        clock.anchor_at(5_025_001_000, T0 + 2_010_000_000 + hour);
        let t = clock.convert(5_025_001_000 + 1_000).expect("calibrated");
        let ns = ns_of(t);
        assert!(ns.abs_diff(T0 + 2_010_000_400 + hour) <= 1, "{ns}");
    }

    #[test]
    fn a_wrong_first_rate_is_replaced_once_two_measurements_agree() {
        let clock = WallClock::new();
        // The first baseline was skewed: 10 ms of wall time over 2.5 M
        // ticks (4 ns a tick) where the counter really runs at 0.4 ns.
        clock.anchor_at(1_000, T0);
        clock.anchor_at(2_501_000, T0 + 10_000_000);
        // True rate from here: 1 s is 2.5 G ticks.
        let mut tick = 2_501_000u64;
        let mut ns = T0 + 10_000_000;
        // The first measurement still spans the skewed baseline; the next
        // two, each from a fresh one, agree.
        for _ in 0..3 {
            tick += 250_000_000;
            ns += 100_000_000;
            clock.anchor_at(tick, ns);
        }
        // The true rate is in use.
        let t = clock.convert(tick + 1_000_000).expect("calibrated");
        assert!(ns_of(t).abs_diff(ns + 400_000) <= 1, "{}", ns_of(t));
    }

    #[test]
    fn a_clock_being_rewritten_is_not_read_or_written() {
        let clock = WallClock::new();
        clock.anchor_at(1_000, T0);
        clock.anchor_at(25_001_000, T0 + 10_000_000);
        assert!(clock.convert(25_001_001).is_some());
        let seq = clock.seq.fetch_add(1, Ordering::Relaxed) + 1;
        assert_eq!(clock.convert(25_001_001), None);
        clock.anchor_at(50_001_000, T0 + 99_000_000);
        assert_eq!(clock.anchor_ns.load(Ordering::Relaxed), T0 + 10_000_000);
        clock.seq.store(seq + 1, Ordering::Relaxed);
        assert!(clock.convert(25_001_001).is_some());
    }

    #[test]
    fn records_are_stamped_near_the_system_clock() {
        // Long enough for the first calibration (10 ms) to be trusted.
        let start = Timestamp::now();
        while Timestamp::now().as_f64() - start.as_f64() < 0.02 {
            let _ = wall_now();
        }
        if cfg!(target_arch = "x86_64") {
            assert_ne!(WALL.rate.load(Ordering::Relaxed), 0, "calibrated");
        }
        for _ in 0..1000 {
            let before = system_ns();
            let t = wall_now();
            let after = system_ns();
            let ns = ns_of(t);
            // Within 5 ms of the interval it was read in.
            assert!(
                ns + 5_000_000 >= before && ns <= after + 5_000_000,
                "{before} <= {ns} <= {after}"
            );
        }
    }

    #[test]
    fn coarse_and_system_clocks_read_wall_time() {
        let a = coarse_ns();
        let b = system_ns();
        assert!(a.abs_diff(b) < 100_000_000);
    }
}
