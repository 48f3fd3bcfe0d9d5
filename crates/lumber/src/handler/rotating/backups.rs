//! The rolled-over files: what they are called (Python's `namer`), how
//! they move (`rotator`, and the shift of `app.log.1` → `app.log.2`), and
//! which of them are deleted (by count, Python's `getFilesToDelete`, and
//! by age). Only files that match this handler's naming are ever touched.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::schedule::Schedule;

/// Python's `namer`: the default name of a rolled-over file → its name.
pub(crate) type Namer = Arc<dyn Fn(&Path) -> PathBuf + Send + Sync>;
/// Python's `rotator`: moves the file being rolled over (source) to its
/// backup name (destination).
pub(crate) type Rotator = Arc<dyn Fn(&Path, &Path) -> io::Result<()> + Send + Sync>;

/// Extensions of compressed backups, recognised whatever codecs are
/// compiled in (a backup compressed by an earlier run still counts).
pub(crate) const COMPRESSED: [&str; 2] = [".gz", ".zst"];

/// `path` with `ext` appended (`app.log.1` + `.gz`).
pub(crate) fn with_ext(path: &Path, ext: &str) -> PathBuf {
    let mut s: OsString = path.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// The names a backup may have: as written, and compressed.
fn variants(path: &Path) -> [PathBuf; 3] {
    [
        path.to_path_buf(),
        with_ext(path, COMPRESSED[0]),
        with_ext(path, COMPRESSED[1]),
    ]
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Whether `path` or a compressed form of it exists.
pub(crate) fn any_variant_exists(path: &Path) -> bool {
    variants(path).iter().any(|p| exists(p))
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// How this handler's files are named.
pub(crate) struct Naming {
    base: PathBuf,
    namer: Option<Namer>,
}

impl Naming {
    pub(crate) fn new(base: PathBuf, namer: Option<Namer>) -> Naming {
        Naming { base, namer }
    }

    pub(crate) fn base(&self) -> &Path {
        &self.base
    }

    /// Python's `rotation_filename`.
    pub(crate) fn name(&self, default: PathBuf) -> PathBuf {
        match &self.namer {
            Some(namer) => namer(&default),
            None => default,
        }
    }

    /// `app.log.<suffix>`, through the namer.
    pub(crate) fn suffixed(&self, suffix: &str) -> PathBuf {
        self.name(with_ext(&self.base, &format!(".{suffix}")))
    }

    /// Backup number `k` of a size-rotated log: `app.log.<k>`.
    pub(crate) fn slot(&self, k: u32) -> PathBuf {
        self.suffixed(&k.to_string())
    }

    /// The first of `app.log.<suffix>`, `app.log.<suffix>.1`, ... of which
    /// no form exists: a rollover never overwrites a file.
    pub(crate) fn first_free(&self, suffix: &str, from: u32) -> (u32, PathBuf) {
        let mut n = from;
        loop {
            let name = self.counted(suffix, n);
            if !any_variant_exists(&name) || n == u32::MAX {
                return (n, name);
            }
            n += 1;
        }
    }

    /// `app.log.<suffix>` for 0, `app.log.<suffix>.<n>` after.
    pub(crate) fn counted(&self, suffix: &str, n: u32) -> PathBuf {
        if n == 0 {
            self.suffixed(suffix)
        } else {
            self.suffixed(&format!("{suffix}.{n}"))
        }
    }

    /// Python's `rotate`: the rotator if there is one, else a rename if
    /// the source exists.
    pub(crate) fn rotate(
        &self,
        rotator: Option<&Rotator>,
        source: &Path,
        dest: &Path,
    ) -> io::Result<()> {
        match rotator {
            Some(rotator) => rotator(source, dest),
            None => match fs::rename(source, dest) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
        }
    }

    /// Python's `RotatingFileHandler.doRollover` shift, for every form of
    /// each backup: `.N-1` → `.N`, ..., `.1` → `.2`, leaving `.1` free.
    pub(crate) fn shift(&self, backup_count: u32) -> io::Result<()> {
        // Python looks at every slot; when no namer hides the names, a
        // directory listing says which exist.
        let slots: Vec<u32> = match self.present_slots() {
            Some(present) => present
                .into_iter()
                .filter(|&i| i < backup_count)
                .rev()
                .collect(),
            None => (1..backup_count).rev().collect(),
        };
        for i in slots {
            let source = self.slot(i);
            if !any_variant_exists(&source) {
                continue;
            }
            let dest = self.slot(i + 1);
            for d in variants(&dest) {
                remove_if_exists(&d)?;
            }
            for (s, d) in variants(&source).iter().zip(variants(&dest).iter()) {
                if exists(s) {
                    fs::rename(s, d)?;
                }
            }
        }
        for d in variants(&self.slot(1)) {
            remove_if_exists(&d)?;
        }
        Ok(())
    }

    /// The backup numbers present in the directory, when no namer hides
    /// them (so that the shift skips the empty ones); `None` if unknown.
    fn present_slots(&self) -> Option<Vec<u32>> {
        if self.namer.is_some() {
            return None;
        }
        let (dir, base) = self.dir_and_base()?;
        let mut slots = Vec::new();
        for entry in fs::read_dir(dir).ok()?.flatten() {
            let name = entry.file_name();
            if let Some(k) = name.to_str().and_then(|n| parse_slot(base, n)) {
                slots.push(k);
            }
        }
        slots.sort_unstable();
        slots.dedup();
        Some(slots)
    }

    fn dir_and_base(&self) -> Option<(&Path, &str)> {
        let base = self.base.file_name()?.to_str()?;
        let dir = match self.base.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some((dir, base))
    }

    /// Every form of backups `.N+1`, `.N+2`, ... (a smaller `backup_count`
    /// than last run): without a namer, all of them; with one, while they
    /// follow each other.
    pub(crate) fn numbered_beyond(&self, backup_count: u32) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Some(slots) = self.present_slots() {
            for k in slots.into_iter().filter(|&k| k > backup_count) {
                out.extend(variants(&self.slot(k)).into_iter().filter(|p| exists(p)));
            }
            return out;
        }
        let mut k = backup_count.saturating_add(1);
        while k < u32::MAX && any_variant_exists(&self.slot(k)) {
            out.extend(variants(&self.slot(k)).into_iter().filter(|p| exists(p)));
            k += 1;
        }
        out
    }

    /// The backup numbers from `from` to `to` that may exist, in order: the
    /// ones present in the directory, or all of them behind a namer.
    pub(crate) fn slots_between(&self, from: u32, to: u32) -> Vec<u32> {
        match self.present_slots() {
            Some(present) => present
                .into_iter()
                .filter(|k| (from..=to).contains(k))
                .collect(),
            None => (from..=to).collect(),
        }
    }

    /// Every form of backups `.1` to `.N` that exists.
    pub(crate) fn numbered_backups(&self, backup_count: u32) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for k in self.slots_between(1, backup_count) {
            out.extend(variants(&self.slot(k)).into_iter().filter(|p| exists(p)));
        }
        out
    }

    /// Python's `TimedRotatingFileHandler.getFilesToDelete` candidates:
    /// files in the log's directory whose name, after the log's stem and a
    /// dot, has a dot-separated part that is a suffix of `schedule`. Sorted
    /// oldest first (by suffix, then by the `.N` counter). `exclude` (the
    /// file being written, in dated mode) is never listed.
    pub(crate) fn timed_backups(&self, schedule: &Schedule, exclude: &Path) -> Vec<PathBuf> {
        let Some((dir, base)) = self.dir_and_base() else {
            return Vec::new();
        };
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let (stem, ext) = split_ext(base);
        let prefix = format!("{stem}.");
        let mut found: Vec<(SortKey, PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.ends_with(".tmp") || name.starts_with('.') && !base.starts_with('.') {
                continue;
            }
            if self.namer.is_none() {
                if !name.starts_with(base) {
                    continue;
                }
            } else {
                let chars: Vec<char> = name.chars().collect();
                let plen = prefix.chars().count();
                if !name.starts_with(base)
                    && name.ends_with(ext)
                    && chars.len() > plen + 1
                    && !chars[plen + 1].is_numeric()
                {
                    continue;
                }
            }
            let Some(suffix) = name.strip_prefix(prefix.as_str()) else {
                continue;
            };
            let Some(part) = suffix.split('.').find(|p| schedule.matches_suffix(p)) else {
                continue;
            };
            let path = dir.join(name);
            if path == exclude {
                continue;
            }
            found.push((sort_key(name, part), path));
        }
        found.sort();
        found.into_iter().map(|(_, p)| p).collect()
    }
}

/// Sorts backups of the same suffix by their `.N` counter, after the
/// plain one; otherwise as Python does (by name).
type SortKey = (String, u32, String);

fn sort_key(name: &str, part: &str) -> SortKey {
    let mut rest = name;
    for ext in COMPRESSED {
        if let Some(r) = rest.strip_suffix(ext) {
            rest = r;
            break;
        }
    }
    if let Some(pos) = rest.find(part) {
        let after = &rest[pos + part.len()..];
        let counter = after
            .strip_prefix('.')
            .and_then(|c| c.split('.').next())
            .and_then(|c| c.parse::<u32>().ok());
        if let Some(counter) = counter {
            return (
                rest[..pos + part.len()].to_owned(),
                counter,
                name.to_owned(),
            );
        }
        return (rest[..pos + part.len()].to_owned(), 0, name.to_owned());
    }
    (name.to_owned(), 0, name.to_owned())
}

/// `os.path.splitext`: `("app", ".log")`; a leading dot is not an
/// extension.
fn split_ext(name: &str) -> (&str, &str) {
    let trimmed = name.trim_start_matches('.');
    let lead = name.len() - trimmed.len();
    match trimmed.rfind('.') {
        Some(i) => name.split_at(lead + i),
        None => (name, ""),
    }
}

/// `app.log.<k>` (optionally compressed) → `k`.
fn parse_slot(base: &str, name: &str) -> Option<u32> {
    let rest = name.strip_prefix(base)?.strip_prefix('.')?;
    let mut digits = rest;
    for ext in COMPRESSED {
        if let Some(d) = rest.strip_suffix(ext) {
            digits = d;
            break;
        }
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
        return None;
    }
    digits.parse().ok()
}

/// Python's count rule: with `keep` > 0 and at least `keep` backups, all
/// but the newest `keep` (the list is sorted oldest first).
pub(crate) fn beyond_count(mut files: Vec<PathBuf>, keep: u32) -> Vec<PathBuf> {
    let keep = keep as usize;
    if keep == 0 || files.len() < keep {
        return Vec::new();
    }
    files.truncate(files.len() - keep);
    files
}

/// The files last modified more than `max_age` before `now`.
pub(crate) fn older_than(files: Vec<PathBuf>, max_age: Duration, now: SystemTime) -> Vec<PathBuf> {
    let Some(limit) = now.checked_sub(max_age) else {
        return Vec::new();
    };
    files
        .into_iter()
        .filter(|p| {
            fs::symlink_metadata(p)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < limit)
        })
        .collect()
}

/// Deletes `files`; the first failure is returned after trying them all.
pub(crate) fn delete_all(files: &[PathBuf]) -> io::Result<()> {
    let mut first = None;
    for f in files {
        if let Err(e) = remove_if_exists(f) {
            first.get_or_insert_with(|| {
                io::Error::new(e.kind(), format!("deleting old log {}: {e}", f.display()))
            });
        }
    }
    first.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handler::rotating::schedule::When;
    use jiff::tz::TimeZone;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lumber-backups-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn touch(p: &Path, text: &str) {
        fs::write(p, text).unwrap();
    }

    #[test]
    fn shift_moves_every_form_and_frees_slot_one() {
        let dir = scratch("shift");
        let n = Naming::new(dir.join("app.log"), None);
        touch(&dir.join("app.log.1"), "1");
        touch(&dir.join("app.log.2.gz"), "2");
        touch(&dir.join("app.log.3"), "3");
        touch(&dir.join("app.log.lock"), "");
        touch(&dir.join("other.log.1"), "x");
        n.shift(3).unwrap();
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["app.log.2", "app.log.3.gz", "app.log.lock", "other.log.1"]
        );
        assert_eq!(fs::read_to_string(dir.join("app.log.2")).unwrap(), "1");
    }

    #[test]
    fn beyond_and_parse() {
        let dir = scratch("beyond");
        let n = Naming::new(dir.join("app.log"), None);
        for k in [1, 2, 5, 7] {
            touch(&dir.join(format!("app.log.{k}")), "");
        }
        touch(&dir.join("app.log.7.zst"), "");
        touch(&dir.join("app.log.07"), "");
        let mut beyond = n.numbered_beyond(2);
        beyond.sort();
        assert_eq!(
            beyond,
            [
                dir.join("app.log.5"),
                dir.join("app.log.7"),
                dir.join("app.log.7.zst")
            ]
        );
        assert_eq!(parse_slot("app.log", "app.log.12.gz"), Some(12));
        assert_eq!(parse_slot("app.log", "app.log.lock"), None);
        assert_eq!(split_ext("app.log"), ("app", ".log"));
        assert_eq!(split_ext(".hidden"), (".hidden", ""));
        assert_eq!(split_ext("app"), ("app", ""));
    }

    #[test]
    fn timed_backups_follow_python_matching_and_counter_order() {
        let dir = scratch("timed");
        let n = Naming::new(dir.join("app.log"), None);
        let s = Schedule::new(When::Midnight, 1, TimeZone::UTC, None).unwrap();
        for name in [
            "app.log",
            "app.log.lock",
            "app.log.2024-01-02",
            "app.log.2024-01-01.1.gz",
            "app.log.2024-01-01.gz",
            "app.log.2024-01-03.zst",
            "app.log.2024-01-01_10",
            "app.log.notadate",
            "other.log.2024-01-01",
            ".app.log.1.tmp",
        ] {
            touch(&dir.join(name), "");
        }
        let got: Vec<String> = n
            .timed_backups(&s, Path::new(""))
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            got,
            [
                "app.log.2024-01-01.gz",
                "app.log.2024-01-01.1.gz",
                "app.log.2024-01-02",
                "app.log.2024-01-03.zst"
            ]
        );
        assert_eq!(
            beyond_count(got.iter().map(PathBuf::from).collect(), 3).len(),
            1
        );
        assert!(beyond_count(vec![PathBuf::from("a")], 3).is_empty());
        assert!(beyond_count(vec![PathBuf::from("a")], 0).is_empty());
    }

    #[test]
    fn first_free_never_overwrites() {
        let dir = scratch("free");
        let n = Naming::new(dir.join("app.log"), None);
        touch(&dir.join("app.log.2024-01-01.gz"), "");
        touch(&dir.join("app.log.2024-01-01.1"), "");
        assert_eq!(
            n.first_free("2024-01-01", 0),
            (2, dir.join("app.log.2024-01-01.2"))
        );
        assert_eq!(
            n.first_free("2024-01-02", 0),
            (0, dir.join("app.log.2024-01-02"))
        );
    }
}
