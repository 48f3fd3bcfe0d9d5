//! Compression of rolled-over files on a background thread, so that
//! logging never waits for it.
//!
//! A job carries an open descriptor on the rolled-over file, so a rename
//! while it runs (the next rollover shifting `app.log.1` to `app.log.2`)
//! does not matter. The compressed bytes go to a temporary file; then,
//! holding the rotation lock (the handler's, and the lock file's in
//! multi-process mode), the job finds where the file is now by its inode,
//! renames the temporary file to that name plus `.gz` or `.zst`, and
//! deletes the original. A file deleted meanwhile (retention) is simply
//! not compressed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::backups::{Naming, with_ext};
use super::lock::ProcessLock;
use super::logfile::{FileId, set_mode};

/// How rolled-over files are compressed. Compression runs on a background
/// thread and never delays logging; `flush` and `close` wait for it.
///
/// ```
/// use lumber::Compression;
/// assert_eq!(Compression::default(), Compression::None);
/// assert_eq!(Compression::None.extension(), "");
/// # #[cfg(feature = "gzip")]
/// assert_eq!(Compression::Gzip.extension(), ".gz");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Compression {
    /// Leave rolled-over files as they are.
    #[default]
    None,
    /// gzip (`.gz`, level 6), readable by `zcat` and `zless`.
    #[cfg(feature = "gzip")]
    Gzip,
    /// Zstandard (`.zst`, level 3): faster and smaller than gzip.
    ///
    /// ```
    /// # #[cfg(feature = "zstd")]
    /// assert_eq!(lumber::Compression::Zstd.extension(), ".zst");
    /// ```
    #[cfg(feature = "zstd")]
    Zstd,
}

impl Compression {
    /// The extension compressed files get (empty for `None`).
    ///
    /// ```
    /// assert_eq!(lumber::Compression::None.extension(), "");
    /// ```
    pub fn extension(self) -> &'static str {
        match self {
            Compression::None => "",
            #[cfg(feature = "gzip")]
            Compression::Gzip => ".gz",
            #[cfg(feature = "zstd")]
            Compression::Zstd => ".zst",
        }
    }

    fn encode(self, source: &mut dyn Read, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Compression::None => io::copy(source, out).map(drop),
            #[cfg(feature = "gzip")]
            Compression::Gzip => {
                let mut enc = flate2::write::GzEncoder::new(out, flate2::Compression::new(6));
                io::copy(source, &mut enc)?;
                enc.finish().map(drop)
            }
            #[cfg(feature = "zstd")]
            Compression::Zstd => {
                let mut enc = zstd::stream::write::Encoder::new(out, 3)?;
                io::copy(source, &mut enc)?;
                enc.finish().map(drop)
            }
        }
    }
}

/// Where the file to compress is now.
pub(crate) enum Locate {
    /// At this path (time-named backups never move).
    Fixed(PathBuf),
    /// At one of the numbered backups `from..=to` (they shift).
    Slot { from: u32, to: u32 },
}

pub(crate) struct Job {
    source: File,
    id: FileId,
    hint: PathBuf,
    locate: Locate,
}

impl Job {
    /// A job for the file now at `path`; `None` if it does not exist.
    pub(crate) fn new(path: &Path, locate: Locate) -> io::Result<Option<Job>> {
        let source = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let id = FileId::of(&source.metadata()?);
        Ok(Some(Job {
            source,
            id,
            hint: path.to_path_buf(),
            locate,
        }))
    }
}

/// What the handler and the compression thread share.
#[derive(Default)]
struct Shared {
    pending: Mutex<usize>,
    idle: Condvar,
    error: Mutex<Option<io::Error>>,
    has_error: AtomicBool,
}

impl Shared {
    fn done(&self) {
        let mut p = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        *p = p.saturating_sub(1);
        if *p == 0 {
            self.idle.notify_all();
        }
    }

    fn fail(&self, e: io::Error) {
        let mut slot = self.error.lock().unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(e);
        self.has_error.store(true, Ordering::Release);
    }
}

/// What the thread needs to place its output.
struct Context {
    codec: Compression,
    naming: Arc<Naming>,
    permissions: u32,
    rotation: Arc<Mutex<()>>,
    lock_path: Option<PathBuf>,
    lock: Option<ProcessLock>,
    shared: Arc<Shared>,
}

/// One compression thread per handler, started on the first rollover,
/// with a bounded queue.
pub(crate) struct Compressor {
    codec: Compression,
    capacity: usize,
    shared: Arc<Shared>,
    sender: Mutex<Option<SyncSender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    context: Mutex<Option<Context>>,
    overflow_reported: AtomicBool,
}

impl Compressor {
    pub(crate) fn new(
        codec: Compression,
        capacity: usize,
        naming: Arc<Naming>,
        permissions: u32,
        rotation: Arc<Mutex<()>>,
        lock_path: Option<PathBuf>,
    ) -> Compressor {
        let shared = Arc::new(Shared::default());
        Compressor {
            codec,
            capacity: capacity.max(1),
            context: Mutex::new(Some(Context {
                codec,
                naming,
                permissions,
                rotation,
                lock_path,
                lock: None,
                shared: Arc::clone(&shared),
            })),
            shared,
            sender: Mutex::new(None),
            thread: Mutex::new(None),
            overflow_reported: AtomicBool::new(false),
        }
    }

    /// Queues a job; never blocks. A full queue leaves the file
    /// uncompressed, which is reported once, and again only after the
    /// queue has drained.
    pub(crate) fn submit(&self, job: Job) -> io::Result<()> {
        if self.codec == Compression::None {
            return Ok(());
        }
        let mut sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        if sender.is_none() {
            *sender = Some(self.spawn()?);
        }
        let Some(tx) = sender.as_ref() else {
            return Ok(());
        };
        {
            let mut pending = self
                .shared
                .pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if *pending == 0 {
                // The queue drained since the last overflow: a new one is
                // news again.
                self.overflow_reported.store(false, Ordering::Relaxed);
            }
            *pending += 1;
        }
        let hint = job.hint.clone();
        match tx.try_send(job) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.shared.done();
                let full = matches!(e, TrySendError::Full(_));
                if !full {
                    *sender = None;
                }
                if full && self.overflow_reported.swap(true, Ordering::Relaxed) {
                    return Ok(());
                }
                Err(io::Error::other(format!(
                    "{} left uncompressed: {}",
                    hint.display(),
                    if full {
                        format!("{} files already wait for compression", self.capacity)
                    } else {
                        "the compression thread stopped".to_owned()
                    }
                )))
            }
        }
    }

    fn spawn(&self) -> io::Result<SyncSender<Job>> {
        let context = self
            .context
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| io::Error::other("the compression thread stopped"))?;
        let (tx, rx) = sync_channel(self.capacity);
        let handle = std::thread::Builder::new()
            .name("lumber-compress".into())
            .spawn(move || run(rx, context))
            .map_err(|e| {
                io::Error::new(e.kind(), format!("starting the compression thread: {e}"))
            })?;
        *self.thread.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
        Ok(tx)
    }

    /// Waits until every queued job is done.
    pub(crate) fn wait(&self) {
        let mut p = self
            .shared
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *p > 0 {
            p = self
                .shared
                .idle
                .wait(p)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The first failure of a background job since the last call.
    pub(crate) fn take_error(&self) -> Option<io::Error> {
        if !self.shared.has_error.swap(false, Ordering::Acquire) {
            return None;
        }
        self.shared
            .error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

impl Drop for Compressor {
    fn drop(&mut self) {
        // Closing the queue ends the thread after the queued jobs.
        drop(
            self.sender
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        if let Some(handle) = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = handle.join();
        }
    }
}

fn run(rx: Receiver<Job>, mut context: Context) {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    for job in rx {
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let hint = job.hint.clone();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            compress(&mut context, job, seq)
        }));
        let error = match result {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some(io::Error::other("panicked")),
        };
        if let Some(e) = error {
            context.shared.fail(io::Error::new(
                e.kind(),
                format!("compressing {}: {e}", hint.display()),
            ));
        }
        context.shared.done();
    }
}

fn compress(context: &mut Context, job: Job, seq: u64) -> io::Result<()> {
    let base = context.naming.base();
    let dir = match base.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stem = base
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{stem}.{}.{seq}.compress.tmp", std::process::id()));
    let result = encode_and_place(context, job, &tmp);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn encode_and_place(context: &mut Context, job: Job, tmp: &Path) -> io::Result<()> {
    let modified = job.source.metadata().and_then(|m| m.modified()).ok();
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    set_mode(&mut options, context.permissions);
    let out = options.open(tmp)?;
    let mut writer = BufWriter::with_capacity(64 * 1024, &out);
    let mut reader = BufReader::with_capacity(64 * 1024, &job.source);
    context.codec.encode(&mut reader, &mut writer)?;
    writer.flush()?;
    drop(writer);
    if let Some(t) = modified {
        // Age-based retention should see when the log was written, not
        // when it was compressed.
        let _ = out.set_modified(t);
    }
    out.sync_all()?;
    drop(out);

    if context.lock.is_none()
        && let Some(path) = &context.lock_path
    {
        context.lock = Some(ProcessLock::open(path, context.permissions)?);
    }
    let _process = match &context.lock {
        Some(lock) => Some(lock.lock()?),
        None => None,
    };
    let _rotation = context
        .rotation
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let is_it = |p: &Path| FileId::of_path(p).is_some_and(|(id, _)| id == job.id);
    let found = match &job.locate {
        Locate::Fixed(p) => is_it(p).then(|| p.clone()),
        Locate::Slot { from, to } => context
            .naming
            .slots_between(*from, *to)
            .into_iter()
            .map(|k| context.naming.slot(k))
            .find(|p| is_it(p)),
    };
    match found {
        Some(path) => {
            fs::rename(tmp, with_ext(&path, context.codec.extension()))?;
            fs::remove_file(&path)
        }
        None => fs::remove_file(tmp),
    }
}
