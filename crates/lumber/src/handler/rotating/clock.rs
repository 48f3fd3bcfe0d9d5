//! The clock the rotating handlers read: the system clock, or a clock a
//! test sets by hand, so that rollovers are tested without sleeping.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the rotating handlers get the time from: when a timed rollover is
/// due, how old a backup is. The default is [`SystemClock`]; tests use a
/// [`ManualClock`] (or any `Fn() -> SystemTime`).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use lumber::{Clock, ManualClock, SystemClock};
///
/// let fixed = || SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// assert_eq!(fixed.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// assert!(SystemClock.now() > SystemTime::UNIX_EPOCH);
/// let manual = ManualClock::new(SystemTime::UNIX_EPOCH);
/// assert_eq!(manual.now(), SystemTime::UNIX_EPOCH);
/// ```
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

impl<F> Clock for F
where
    F: Fn() -> SystemTime + Send + Sync + 'static,
{
    fn now(&self) -> SystemTime {
        self()
    }
}

/// The real time: [`SystemTime::now`].
///
/// ```
/// use lumber::{Clock, SystemClock};
/// let a = SystemClock.now();
/// assert!(SystemClock.now() >= a);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to. Clones share the same time, so a
/// test keeps one and gives a clone to the handler.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use lumber::{Clock, ManualClock};
///
/// let clock = ManualClock::at_unix(1_700_000_000);
/// let handler_side = clock.clone();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(handler_side.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_090));
/// clock.set(SystemTime::UNIX_EPOCH);
/// assert_eq!(handler_side.now(), SystemTime::UNIX_EPOCH);
/// ```
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock showing `time`.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use lumber::{Clock, ManualClock};
    /// assert_eq!(ManualClock::new(SystemTime::UNIX_EPOCH).now(), SystemTime::UNIX_EPOCH);
    /// ```
    pub fn new(time: SystemTime) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(time)))
    }

    /// A clock showing `seconds` after the Unix epoch (negative: before).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use lumber::{Clock, ManualClock};
    /// assert_eq!(ManualClock::at_unix(60).now(), SystemTime::UNIX_EPOCH + Duration::from_secs(60));
    /// ```
    pub fn at_unix(seconds: i64) -> ManualClock {
        ManualClock::new(from_unix(seconds))
    }

    /// Sets the time (it may go backwards).
    ///
    /// ```
    /// use lumber::{Clock, ManualClock};
    /// let c = ManualClock::at_unix(100);
    /// c.set(std::time::SystemTime::UNIX_EPOCH);
    /// assert_eq!(c.now(), std::time::SystemTime::UNIX_EPOCH);
    /// ```
    pub fn set(&self, time: SystemTime) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = time;
    }

    /// Moves the time forward by `by`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lumber::{Clock, ManualClock};
    /// let c = ManualClock::at_unix(0);
    /// c.advance(Duration::from_millis(1500));
    /// assert_eq!(c.now(), std::time::SystemTime::UNIX_EPOCH + Duration::from_millis(1500));
    /// ```
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *t = t.checked_add(by).unwrap_or(*t);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ManualClock").field(&self.now()).finish()
    }
}

/// Whole seconds since the epoch, rounded down (Python's `int(time.time())`
/// for times after 1970).
pub(crate) fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let d = e.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            if d.subsec_nanos() > 0 {
                whole.saturating_neg().saturating_sub(1)
            } else {
                whole.saturating_neg()
            }
        }
    }
}

/// The time `seconds` after the epoch.
pub(crate) fn from_unix(seconds: i64) -> SystemTime {
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(magnitude).unwrap_or(UNIX_EPOCH)
    } else {
        UNIX_EPOCH.checked_sub(magnitude).unwrap_or(UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_down() {
        assert_eq!(unix_seconds(from_unix(5) + Duration::from_millis(999)), 5);
        assert_eq!(unix_seconds(from_unix(-5)), -5);
        assert_eq!(unix_seconds(from_unix(-5) + Duration::from_millis(1)), -5);
        assert_eq!(unix_seconds(from_unix(-5) - Duration::from_millis(1)), -6);
    }
}
