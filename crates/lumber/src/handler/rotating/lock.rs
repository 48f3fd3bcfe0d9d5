//! The lock file beside the log (`app.log.lock`) that processes sharing a
//! log take around check-size → maybe-rotate → append, and the small
//! shared state a timed handler keeps in it (when the next rollover is
//! due), so that every process agrees on it.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::logfile::set_mode;

/// An exclusive advisory lock (`flock`) on a file of its own. Each
/// `ProcessLock` opens the file itself, so two of them exclude each other
/// even within one process.
#[derive(Debug)]
pub(crate) struct ProcessLock {
    file: File,
}

impl ProcessLock {
    /// The lock file for the log at `log`: `<log>.lock`.
    pub(crate) fn path_for(log: &Path) -> PathBuf {
        let mut p = log.as_os_str().to_owned();
        p.push(".lock");
        PathBuf::from(p)
    }

    pub(crate) fn open(path: &Path, mode: u32) -> io::Result<ProcessLock> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        set_mode(&mut options, mode);
        Ok(ProcessLock {
            file: options.open(path)?,
        })
    }

    /// Blocks until this process holds the lock; it is released when the
    /// guard is dropped.
    pub(crate) fn lock(&self) -> io::Result<LockGuard<'_>> {
        self.file.lock()?;
        Ok(LockGuard(self))
    }

    /// The shared state written by [`ProcessLock::write_state`] (empty if
    /// none). Call with the lock held.
    pub(crate) fn read_state(&self) -> io::Result<String> {
        let mut buf = [0u8; 256];
        let n = read_at(&self.file, &mut buf)?;
        Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
    }

    /// Replaces the shared state. Call with the lock held.
    pub(crate) fn write_state(&self, state: &str) -> io::Result<()> {
        write_at(&self.file, state.as_bytes())?;
        self.file.set_len(state.len() as u64)
    }
}

/// Holds a [`ProcessLock`].
pub(crate) struct LockGuard<'a>(&'a ProcessLock);

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        let _ = self.0.file.unlock();
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8]) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read_at(&mut buf[filled..], filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.write_all_at(bytes, 0)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8]) -> io::Result<usize> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file;
    f.seek(SeekFrom::Start(0))?;
    f.read(buf)
}

#[cfg(not(unix))]
fn write_at(file: &File, bytes: &[u8]) -> io::Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = file;
    f.seek(SeekFrom::Start(0))?;
    f.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_handles_exclude_each_other_and_share_state() {
        let dir = std::env::temp_dir().join(format!("lumber-lock-{}", std::process::id()));
        let path = ProcessLock::path_for(&dir.join("app.log"));
        assert!(path.ends_with("app.log.lock"));
        let a = ProcessLock::open(&path, 0o640).unwrap();
        let b = ProcessLock::open(&path, 0o640).unwrap();
        {
            let _g = a.lock().unwrap();
            assert!(matches!(
                b.file.try_lock(),
                Err(std::fs::TryLockError::WouldBlock)
            ));
            a.write_state("123 0 H/1").unwrap();
        }
        let _g = b.lock().unwrap();
        assert_eq!(b.read_state().unwrap(), "123 0 H/1");
        b.write_state("9").unwrap();
        assert_eq!(a.read_state().unwrap(), "9");
        drop(_g);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
