//! The machinery [`crate::RotatingFileHandler`] and
//! [`crate::TimedRotatingFileHandler`] share: open, decide, roll over,
//! append; the lock file in multi-process mode; compression and
//! retention; failures reported once and recovered from.
//!
//! Lock order: the state mutex, then the lock file, then the rotation
//! mutex. The compression thread takes only the last two, in that order.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use super::backups::{Namer, Naming, Rotator};
use super::clock::{Clock, from_unix, unix_seconds};
use super::compress::{Compression, Compressor};
use super::lock::{LockGuard, ProcessLock};
use super::logfile::{LogFile, open_append};
use super::schedule::Schedule;
use crate::level::Level;

mod rollover;
mod shared;

/// Options every rotating handler has.
#[derive(Clone)]
pub(crate) struct Common {
    pub(crate) path: PathBuf,
    pub(crate) permissions: u32,
    pub(crate) delay: bool,
    pub(crate) buffer: usize,
    pub(crate) flush_level: Level,
    pub(crate) terminator: String,
    pub(crate) multiprocess: bool,
    pub(crate) compression: Compression,
    pub(crate) compress_queue: usize,
    pub(crate) max_age: Option<Duration>,
    pub(crate) namer: Option<Namer>,
    pub(crate) rotator: Option<Rotator>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Common {
    pub(crate) fn new(path: PathBuf) -> Common {
        Common {
            path,
            permissions: 0o640,
            delay: false,
            buffer: 0,
            flush_level: Level::ERROR,
            terminator: "\n".to_owned(),
            multiprocess: false,
            compression: Compression::None,
            compress_queue: 16,
            max_age: None,
            namer: None,
            rotator: None,
            clock: Arc::new(super::clock::SystemClock),
        }
    }
}

/// What triggers a rollover and how backups are named.
pub(crate) enum Policy {
    /// `app.log.1` ... `app.log.N`, shifted (Python's RotatingFileHandler).
    Size { max_bytes: u64, backup_count: u32 },
    /// `app.log.<suffix>` (Python's TimedRotatingFileHandler), also on
    /// size if `max_bytes` > 0; in dated mode the file written to is the
    /// one with the date in its name.
    Timed {
        schedule: Schedule,
        max_bytes: u64,
        backup_count: u32,
        dated: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    Size,
    Time,
}

struct State {
    file: Option<LogFile>,
    /// The file records go to: the base path, or in dated mode the file
    /// of the current interval.
    active: PathBuf,
    pending: Vec<u8>,
    pending_records: u64,
    rollover_at: i64,
    counter: u32,
    /// A failure was reported and nothing has succeeded since: further
    /// failures are counted, not reported.
    failing: bool,
    lost: u64,
    /// A failure from opening (startup retention) to report with the
    /// first record.
    deferred: Option<io::Error>,
}

pub(crate) struct Engine {
    common: Common,
    naming: Arc<Naming>,
    policy: Policy,
    state: Mutex<State>,
    rotation: Arc<Mutex<()>>,
    lock: Option<ProcessLock>,
    compressor: Option<Compressor>,
}

/// The result of writing one record.
struct Outcome {
    /// The record went to the file (or the buffer).
    accepted: bool,
    error: Option<io::Error>,
}

fn context(e: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

impl Engine {
    pub(crate) fn open(common: Common, policy: Policy) -> io::Result<Engine> {
        if common.multiprocess && common.buffer > 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a buffer cannot be used in multi-process mode: each record must reach the file under the lock",
            ));
        }
        let naming = Arc::new(Naming::new(common.path.clone(), common.namer.clone()));
        let lock = if common.multiprocess {
            let path = ProcessLock::path_for(&common.path);
            Some(
                ProcessLock::open(&path, common.permissions)
                    .map_err(|e| context(e, "opening lock file", &path))?,
            )
        } else {
            None
        };
        let rotation = Arc::new(Mutex::new(()));
        let compressor = (common.compression != Compression::None).then(|| {
            Compressor::new(
                common.compression,
                common.compress_queue,
                Arc::clone(&naming),
                common.permissions,
                Arc::clone(&rotation),
                common
                    .multiprocess
                    .then(|| ProcessLock::path_for(&common.path)),
            )
        });
        let engine = Engine {
            state: Mutex::new(State {
                file: None,
                active: common.path.clone(),
                pending: Vec::with_capacity(common.buffer.clamp(256, 1 << 20)),
                pending_records: 0,
                rollover_at: 0,
                counter: 0,
                failing: false,
                lost: 0,
                deferred: None,
            }),
            common,
            naming,
            policy,
            rotation,
            lock,
            compressor,
        };
        {
            let mut st = engine.state();
            let _lock = engine.process_lock()?;
            engine.load_or_init_schedule(&mut st)?;
            st.deferred = engine.retention(&st, true).err();
            if !engine.common.delay {
                let path = st.active.clone();
                st.file = Some(
                    open_append(&path, engine.common.permissions)
                        .map_err(|e| context(e, "opening", &path))?,
                );
            }
        }
        Ok(engine)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn process_lock(&self) -> io::Result<Option<LockGuard<'_>>> {
        match &self.lock {
            Some(lock) => lock.lock().map(Some).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("locking {}.lock: {e}", self.common.path.display()),
                )
            }),
            None => Ok(None),
        }
    }

    fn now(&self) -> i64 {
        unix_seconds(self.common.clock.now())
    }

    pub(crate) fn path(&self) -> &Path {
        &self.common.path
    }

    pub(crate) fn common(&self) -> &Common {
        &self.common
    }

    /// The file records go to now.
    pub(crate) fn active(&self) -> PathBuf {
        self.state().active.clone()
    }

    /// When the next timed rollover is due (`None` for size rotation).
    pub(crate) fn next_rollover(&self) -> Option<SystemTime> {
        match self.policy {
            Policy::Timed { .. } => Some(from_unix(self.state().rollover_at)),
            Policy::Size { .. } => None,
        }
    }

    pub(crate) fn records_lost(&self) -> u64 {
        self.state().lost
    }

    // ---- writing

    fn ensure_open(&self, st: &mut State) -> io::Result<()> {
        if st.file.is_none() {
            let path = st.active.clone();
            st.file = Some(
                open_append(&path, self.common.permissions)
                    .map_err(|e| context(e, "opening", &path))?,
            );
        }
        Ok(())
    }

    fn write_pending(&self, st: &mut State) -> io::Result<()> {
        if st.pending.is_empty() {
            return Ok(());
        }
        let result = self.ensure_open(st).and_then(|()| match st.file.as_mut() {
            Some(file) => file.append(&st.pending),
            None => Err(io::Error::other("file not open")),
        });
        let records = std::mem::take(&mut st.pending_records);
        st.pending.clear();
        if st.pending.capacity() > (1 << 20) {
            st.pending.shrink_to(self.common.buffer.clamp(256, 1 << 20));
        }
        if result.is_err() {
            st.lost = st.lost.saturating_add(records);
        }
        result.map_err(|e| context(e, "writing", &st.active))
    }

    pub(crate) fn emit(&self, level: Level, line: &str) -> io::Result<()> {
        let mut st = self.state();
        let outcome = self.emit_locked(&mut st, level, line);
        self.settle(&mut st, outcome)
    }

    fn emit_locked(&self, st: &mut State, level: Level, line: &str) -> Outcome {
        let _lock = match self.process_lock() {
            Ok(guard) => guard,
            Err(e) => {
                st.lost = st.lost.saturating_add(1);
                return Outcome {
                    accepted: false,
                    error: Some(e),
                };
            }
        };
        let mut error = None;
        if self.lock.is_some()
            && let Err(e) = self.sync_shared(st)
        {
            st.lost = st.lost.saturating_add(1);
            return Outcome {
                accepted: false,
                error: Some(e),
            };
        }
        let len = (line.len() + self.common.terminator.len()) as u64;
        match self.due(st, len) {
            Ok(Some(trigger)) => error = self.rollover(st, trigger).err(),
            Ok(None) => {}
            Err(e) => error = Some(e),
        }
        st.pending.extend_from_slice(line.as_bytes());
        st.pending
            .extend_from_slice(self.common.terminator.as_bytes());
        st.pending_records += 1;
        let write_now = self.lock.is_some()
            || st.pending.len() >= self.common.buffer
            || level >= self.common.flush_level;
        if write_now && let Err(e) = self.write_pending(st) {
            return Outcome {
                accepted: false,
                error: Some(e),
            };
        }
        Outcome {
            accepted: true,
            error,
        }
    }

    /// Reports a failure once; afterwards counts them until something
    /// works again. A failed write closes the file so that the next record
    /// reopens it.
    fn settle(&self, st: &mut State, outcome: Outcome) -> io::Result<()> {
        match outcome.error {
            None => {
                st.failing = false;
                if let Some(e) = st.deferred.take() {
                    return Err(e);
                }
                match self.compressor.as_ref().and_then(Compressor::take_error) {
                    Some(e) => Err(e),
                    None => Ok(()),
                }
            }
            Some(e) => {
                if !outcome.accepted {
                    st.file = None;
                }
                if std::mem::replace(&mut st.failing, true) {
                    Ok(())
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Python's `shouldRollover`, for the record about to be written.
    fn due(&self, st: &mut State, len: u64) -> io::Result<Option<Trigger>> {
        let (max_bytes, by_size_ok) = match &self.policy {
            Policy::Size {
                max_bytes,
                backup_count,
            } => (*max_bytes, *backup_count > 0),
            Policy::Timed { max_bytes, .. } => (*max_bytes, true),
        };
        let timed = matches!(self.policy, Policy::Timed { .. });
        if !timed && (max_bytes == 0 || !by_size_ok) {
            return Ok(None);
        }
        self.ensure_open(st)?;
        let (size, regular) = match &st.file {
            Some(f) => (f.size(), f.is_regular()),
            None => return Ok(None),
        };
        if timed {
            let now = self.now();
            if now >= st.rollover_at {
                if !regular {
                    // Never roll over /dev/null & co; do not ask again
                    // until the next rollover time (Python's gh-89564).
                    if let Policy::Timed { schedule, .. } = &self.policy {
                        st.rollover_at = schedule.next_rollover(now);
                    }
                    return Ok(None);
                }
                return Ok(Some(Trigger::Time));
            }
        }
        // Never roll over an empty file (gh-116263), nor a file that is
        // not a regular file (bpo-45401).
        let size = size.saturating_add(st.pending.len() as u64);
        if max_bytes > 0
            && by_size_ok
            && regular
            && size > 0
            && size.saturating_add(len) >= max_bytes
        {
            return Ok(Some(Trigger::Size));
        }
        Ok(None)
    }

    // ---- flush and close

    pub(crate) fn flush(&self) -> io::Result<()> {
        let result = {
            let mut st = self.state();
            let r = self.write_pending(&mut st);
            let outcome = Outcome {
                accepted: r.is_ok(),
                error: r.err(),
            };
            self.settle_flush(&mut st, outcome)
        };
        if let Some(c) = &self.compressor {
            c.wait();
        }
        result?;
        match self.compressor.as_ref().and_then(Compressor::take_error) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn settle_flush(&self, st: &mut State, outcome: Outcome) -> io::Result<()> {
        match outcome.error {
            None => Ok(()),
            Some(e) => {
                st.file = None;
                if std::mem::replace(&mut st.failing, true) {
                    Ok(())
                } else {
                    Err(e)
                }
            }
        }
    }

    pub(crate) fn close(&self) -> io::Result<()> {
        let result = self.flush();
        self.state().file = None;
        result
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let mut st = self.state();
        let _ = self.write_pending(&mut st);
    }
}
