//! The timed schedule — when the next rollover is due, which file is
//! written to in dated mode — kept in memory, or in multi-process mode in
//! the lock file so that every process agrees on it; and catching up with
//! what other processes did.

use std::io;
use std::path::PathBuf;

use super::super::backups;
use super::super::clock::unix_seconds;
use super::super::logfile::{FileId, open_append};
use super::{Engine, Policy, State, context};

impl Engine {
    /// Sets the rollover time, counter and active file: from the lock
    /// file in multi-process mode if another process set them for the
    /// same schedule, else as Python does (from the log's last
    /// modification, or now).
    pub(super) fn load_or_init_schedule(&self, st: &mut State) -> io::Result<()> {
        let Policy::Timed {
            schedule, dated, ..
        } = &self.policy
        else {
            return Ok(());
        };
        if self.lock.is_some() && self.load_shared(st)? {
            return Ok(());
        }
        let now = self.now();
        if *dated {
            st.rollover_at = schedule.next_rollover(now);
            let suffix = schedule.suffix_for(st.rollover_at);
            // Append to the newest file of this interval, unless it was
            // compressed already.
            let mut last = 0;
            while last < u32::MAX
                && backups::any_variant_exists(&self.naming.counted(&suffix, last + 1))
            {
                last += 1;
            }
            let (counter, active) = self.dated_file(&suffix, last);
            st.counter = counter;
            st.active = active;
        } else {
            let reference = std::fs::metadata(&self.common.path)
                .and_then(|m| m.modified())
                .map(unix_seconds)
                .unwrap_or(now);
            st.rollover_at = schedule.next_rollover(reference);
            st.counter = 0;
            st.active = self.common.path.clone();
        }
        self.store_shared(st)
    }

    /// The file of interval `suffix` numbered `from` or the first after
    /// it whose compressed form does not exist.
    pub(super) fn dated_file(&self, suffix: &str, from: u32) -> (u32, PathBuf) {
        let mut n = from;
        loop {
            let name = self.naming.counted(suffix, n);
            let compressed = backups::any_variant_exists(&name) && !name.exists();
            if !compressed || n == u32::MAX {
                return (n, name);
            }
            n += 1;
        }
    }

    fn schedule_id(&self) -> String {
        match &self.policy {
            Policy::Timed {
                schedule, dated, ..
            } => format!(
                "{}{}",
                schedule.describe(),
                if *dated { "/dated" } else { "" }
            ),
            Policy::Size { .. } => String::new(),
        }
    }

    /// Reads the shared schedule; false if there is none for this schedule.
    fn load_shared(&self, st: &mut State) -> io::Result<bool> {
        let (
            Some(lock),
            Policy::Timed {
                schedule, dated, ..
            },
        ) = (&self.lock, &self.policy)
        else {
            return Ok(false);
        };
        let text = lock.read_state()?;
        let mut parts = text.split_whitespace();
        let (Some(at), Some(counter), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Ok(false);
        };
        let (Ok(at), Ok(counter)) = (at.parse::<i64>(), counter.parse::<u32>()) else {
            return Ok(false);
        };
        if id != self.schedule_id() {
            return Ok(false);
        }
        if at != st.rollover_at || counter != st.counter {
            st.rollover_at = at;
            st.counter = counter;
            st.active = if *dated {
                self.naming.counted(&schedule.suffix_for(at), counter)
            } else {
                self.common.path.clone()
            };
        }
        Ok(true)
    }

    pub(super) fn store_shared(&self, st: &State) -> io::Result<()> {
        match (&self.lock, &self.policy) {
            (Some(lock), Policy::Timed { .. }) => lock.write_state(&format!(
                "{} {} {}\n",
                st.rollover_at,
                st.counter,
                self.schedule_id()
            )),
            _ => Ok(()),
        }
    }

    /// In multi-process mode, with the lock held: catch up with what the
    /// other processes did (rolled over, switched files) and learn the
    /// file's real size.
    pub(super) fn sync_shared(&self, st: &mut State) -> io::Result<()> {
        if matches!(self.policy, Policy::Timed { .. }) && !self.load_shared(st)? {
            self.load_or_init_schedule(st)?;
        }
        let current = FileId::of_path(&st.active);
        match (&mut st.file, current) {
            (Some(file), Some((id, meta))) if file.id() == id => file.set_size(meta.len()),
            _ => {
                st.file = None;
                let path = st.active.clone();
                st.file = Some(
                    open_append(&path, self.common.permissions)
                        .map_err(|e| context(e, "opening", &path))?,
                );
            }
        }
        Ok(())
    }
}
