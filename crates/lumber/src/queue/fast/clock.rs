//! The caller's clock: a raw tick count read in a few nanoseconds, turned
//! into wall-clock time on the listener thread.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use crate::record::Timestamp;

/// What the fast path reads on the calling thread to timestamp a record.
///
/// ```
/// lumber::set_time_source(lumber::TimeSource::Coarse);
/// assert_eq!(lumber::time_source(), lumber::TimeSource::Coarse);
/// # lumber::set_time_source(lumber::TimeSource::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    /// The CPU's time-stamp counter (x86-64), calibrated against the wall
    /// clock on the listener thread: nanosecond resolution at the lowest
    /// cost. The default where available.
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

/// Chooses the fast path's clock for the whole process (see
/// [`TimeSource`]). Records already queued keep the source they were made
/// with.
pub fn set_time_source(source: TimeSource) {
    SOURCE.store(source as u8, Ordering::Relaxed);
}

/// The fast path's clock.
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
    let t = Timestamp::now();
    (t.seconds().max(0) as u64).saturating_mul(1_000_000_000) + u64::from(t.nanos())
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
        let ns = self.wall_ns(tick);
        Timestamp::new((ns / 1_000_000_000) as i64, (ns % 1_000_000_000) as u32)
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

    #[test]
    fn coarse_and_system_clocks_read_wall_time() {
        let a = coarse_ns();
        let b = system_ns();
        assert!(a.abs_diff(b) < 100_000_000);
    }
}
