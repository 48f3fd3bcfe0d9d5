//! One open log file: an append-only descriptor, its identity (device and
//! inode, to notice that the path now names another file) and its size,
//! kept in memory so that the size check costs nothing.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Creates missing directories and opens `path` for appending, creating it
/// with `mode` (before the umask).
pub(crate) fn open_append(path: &Path, mode: u32) -> io::Result<LogFile> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    set_mode(&mut options, mode);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    Ok(LogFile {
        id: FileId::of(&meta),
        size: meta.len(),
        regular: meta.is_file(),
        file,
    })
}

/// Sets the mode a new file is created with (Unix only).
pub(crate) fn set_mode(options: &mut OpenOptions, mode: u32) {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, mode);
    #[cfg(not(unix))]
    let _ = (options, mode);
}

/// What identifies a file whatever its name: device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    pub(crate) fn of(meta: &Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            FileId { dev: 0, ino: 0 }
        }
    }

    /// The identity of what `path` names now, if anything.
    pub(crate) fn of_path(path: &Path) -> Option<(FileId, Metadata)> {
        fs::metadata(path).ok().map(|m| (FileId::of(&m), m))
    }
}

/// An open log file.
#[derive(Debug)]
pub(crate) struct LogFile {
    file: File,
    id: FileId,
    size: u64,
    regular: bool,
}

impl LogFile {
    pub(crate) fn id(&self) -> FileId {
        self.id
    }

    /// The size as far as this process knows (exact unless another
    /// process appends without the lock).
    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    /// Sets the size learnt from a `stat` taken under the process lock.
    pub(crate) fn set_size(&mut self, size: u64) {
        self.size = size;
    }

    /// False for `/dev/null`, a FIFO, a terminal...: never rotated
    /// (Python's bpo-45401).
    pub(crate) fn is_regular(&self) -> bool {
        self.regular
    }

    /// Appends `bytes` in one `write` (the kernel writes a regular file
    /// whole unless the disk is full). If only part of it went out, the
    /// file is cut back to where it was, so that no half record stays.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        let before = self.size;
        match self.file.write_all(bytes) {
            Ok(()) => {
                self.size = before.saturating_add(bytes.len() as u64);
                Ok(())
            }
            Err(e) => {
                if self.regular
                    && let Ok(meta) = self.file.metadata()
                {
                    let len = meta.len();
                    let partial = len > before && len < before.saturating_add(bytes.len() as u64);
                    if partial {
                        let _ = self.file.set_len(before);
                    }
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_creates_dirs_and_tracks_size() {
        let dir = std::env::temp_dir().join(format!("lumber-logfile-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("a/b/x.log");
        let mut f = open_append(&path, 0o600).unwrap();
        assert_eq!(f.size(), 0);
        f.append(b"hello\n").unwrap();
        assert_eq!(f.size(), 6);
        let again = open_append(&path, 0o600).unwrap();
        assert_eq!(again.size(), 6);
        assert_eq!(again.id(), f.id());
        assert!(again.is_regular());
        assert_eq!(FileId::of_path(&path).map(|p| p.0), Some(f.id()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
