//! Python's `doRollover`, for both handlers: move the file (shift the
//! numbered backups, or pick a free time-stamped name, or in dated mode
//! move on to the next file), queue the old one for compression, apply
//! retention.

use std::io;
use std::path::Path;
use std::sync::PoisonError;

use super::super::backups;
use super::super::compress::{Job, Locate};
use super::{Engine, Policy, State, Trigger, context};

impl Engine {
    /// Rolls over now (Python's `doRollover`), whatever the size or time.
    pub(crate) fn force_rollover(&self) -> io::Result<()> {
        let mut st = self.state();
        let _lock = self.process_lock()?;
        if self.lock.is_some() {
            self.sync_shared(&mut st)?;
        }
        self.rollover(&mut st, Trigger::Time)
    }

    pub(super) fn rollover(&self, st: &mut State, trigger: Trigger) -> io::Result<()> {
        self.write_pending(st)?;
        st.file = None;
        let mut errors = Vec::new();
        {
            let _rotation = self.rotation.lock().unwrap_or_else(PoisonError::into_inner);
            let base = self.naming.base();
            let rotator = self.common.rotator.as_ref();
            match &self.policy {
                Policy::Size { backup_count, .. } => {
                    if *backup_count > 0 {
                        self.naming
                            .shift(*backup_count)
                            .map_err(|e| context(e, "shifting the backups of", base))?;
                        let dest = self.naming.slot(1);
                        self.naming
                            .rotate(rotator, base, &dest)
                            .map_err(|e| context(e, "rotating", base))?;
                        errors.extend(
                            self.compress(
                                &dest,
                                Locate::Slot {
                                    from: 1,
                                    to: *backup_count,
                                },
                            )
                            .err(),
                        );
                    }
                }
                Policy::Timed {
                    schedule,
                    dated: false,
                    ..
                } => {
                    let suffix = schedule.suffix_for(st.rollover_at);
                    let (_, dest) = self.naming.first_free(&suffix, 0);
                    self.naming
                        .rotate(rotator, base, &dest)
                        .map_err(|e| context(e, "rotating", base))?;
                    errors.extend(self.compress(&dest, Locate::Fixed(dest.clone())).err());
                    if trigger == Trigger::Time {
                        st.rollover_at = schedule.next_rollover(self.now());
                    }
                }
                Policy::Timed {
                    schedule,
                    dated: true,
                    ..
                } => {
                    let old = st.active.clone();
                    errors.extend(self.compress(&old, Locate::Fixed(old.clone())).err());
                    let (suffix, from) = if trigger == Trigger::Time {
                        st.rollover_at = schedule.next_rollover(self.now());
                        (schedule.suffix_for(st.rollover_at), 0)
                    } else {
                        (
                            schedule.suffix_for(st.rollover_at),
                            st.counter.saturating_add(1),
                        )
                    };
                    let (counter, active) = self.dated_file(&suffix, from);
                    st.counter = counter;
                    st.active = active;
                }
            }
            errors.extend(self.store_shared(st).err());
            errors.extend(self.retention(st, false).err());
        }
        if !self.common.delay {
            errors.extend(self.ensure_open(st).err());
        }
        errors.into_iter().next().map_or(Ok(()), Err)
    }

    fn compress(&self, path: &Path, locate: Locate) -> io::Result<()> {
        let Some(compressor) = &self.compressor else {
            return Ok(());
        };
        match Job::new(path, locate).map_err(|e| context(e, "opening for compression", path))? {
            Some(job) => compressor.submit(job),
            None => Ok(()),
        }
    }

    /// Deletes backups beyond the count and older than the age limit;
    /// at startup also numbered backups beyond the count (left by a run
    /// that kept more).
    pub(super) fn retention(&self, st: &State, startup: bool) -> io::Result<()> {
        let now = self.common.clock.now();
        let mut doomed = Vec::new();
        match &self.policy {
            Policy::Size { backup_count, .. } => {
                if startup {
                    doomed.extend(self.naming.numbered_beyond(*backup_count));
                }
                if let Some(age) = self.common.max_age {
                    doomed.extend(backups::older_than(
                        self.naming.numbered_backups(*backup_count),
                        age,
                        now,
                    ));
                }
            }
            Policy::Timed {
                schedule,
                backup_count,
                ..
            } => {
                let files = self.naming.timed_backups(schedule, &st.active);
                let mut keep = Vec::with_capacity(files.len());
                let by_count = backups::beyond_count(files.clone(), *backup_count);
                for f in files {
                    if !by_count.contains(&f) {
                        keep.push(f);
                    }
                }
                doomed.extend(by_count);
                if let Some(age) = self.common.max_age {
                    doomed.extend(backups::older_than(keep, age, now));
                }
            }
        }
        backups::delete_all(&doomed)
    }
}
