//! The builder methods [`crate::RotatingOptions`] and
//! [`crate::TimedOptions`] share, each documented with an example for its
//! own handler.

/// Defines the common builder methods on `$options` (which has a
/// `common: Common` field) for handler `$handler`; `$setup` is what the
/// examples call before them (e.g. `.max_bytes(1000)`).
macro_rules! common_options {
    ($options:ident, $handler:ident, $setup:literal) => {
        impl $options {
            #[doc = concat!(
"Unix mode of newly created files, backups and compressed backups
(default `0o640`; the umask still applies). Missing directories are
created.

```
# let dir = std::env::temp_dir().join(\"lumber-doc-perm-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let path = dir.join(\"logs/app.log\");
let _h = lumber::", stringify!($handler), "::options(&path)", $setup, ".permissions(0o600).open().unwrap();
# #[cfg(unix)] {
use std::os::unix::fs::PermissionsExt;
assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
# }
```")]
            pub fn permissions(mut self, mode: u32) -> Self {
                self.common.permissions = mode;
                self
            }

            #[doc = concat!(
"Open the file on the first record instead of now (Python's
`delay=True`).

```
# let dir = std::env::temp_dir().join(\"lumber-doc-delay-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let _h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".delay(true).open().unwrap();
assert!(!dir.join(\"app.log\").exists());
```")]
            pub fn delay(mut self, delay: bool) -> Self {
                self.common.delay = delay;
                self
            }

            #[doc = concat!(
"Collect up to `bytes` before writing (default 0: each record is
written at once, as Python does). Buffered records are written on
flush, on rollover, on [`crate::shutdown`] and when a record at or
above the flush level arrives. Not allowed in multi-process mode.

```
# use lumber::{Level, Message, Record, Sink};
# let dir = std::env::temp_dir().join(\"lumber-doc-buffer-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".buffer(4096).open().unwrap();
h.emit(&Record::new(\"x\", Level::INFO, Message::Str(\"\")), \"held\").unwrap();
assert_eq!(std::fs::read_to_string(dir.join(\"app.log\")).unwrap(), \"\");
h.flush().unwrap();
assert_eq!(std::fs::read_to_string(dir.join(\"app.log\")).unwrap(), \"held\\n\");
```")]
            pub fn buffer(mut self, bytes: usize) -> Self {
                self.common.buffer = bytes;
                self
            }

            #[doc = concat!(
"With a buffer: records at or above this level are written at once
(default ERROR).

```
# use lumber::{Level, Message, Record, Sink};
# let dir = std::env::temp_dir().join(\"lumber-doc-flushlevel-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, "
    .buffer(4096)
    .flush_level(Level::WARNING)
    .open()
    .unwrap();
h.emit(&Record::new(\"x\", Level::WARNING, Message::Str(\"\")), \"now\").unwrap();
assert_eq!(std::fs::read_to_string(dir.join(\"app.log\")).unwrap(), \"now\\n\");
```")]
            pub fn flush_level(mut self, level: crate::level::Level) -> Self {
                self.common.flush_level = level;
                self
            }

            #[doc = concat!(
"What follows each record (default `\\n`).

```
# use lumber::{Level, Message, Record, Sink};
# let dir = std::env::temp_dir().join(\"lumber-doc-term-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".terminator(\"\\r\\n\").open().unwrap();
h.emit(&Record::new(\"x\", Level::INFO, Message::Str(\"\")), \"line\").unwrap();
assert_eq!(std::fs::read_to_string(dir.join(\"app.log\")).unwrap(), \"line\\r\\n\");
```")]
            pub fn terminator(mut self, terminator: &str) -> Self {
                self.common.terminator = terminator.to_owned();
                self
            }

            #[doc = concat!(
"Share the log with other processes that open it the same way
(default off). Each record is then written under an exclusive lock
on `<path>.lock`: check the size and time, roll over if due, append
with one `write`. A process that finds the file rotated by another
reopens it first, so no record is lost, duplicated or split across
files. Costs a lock, a `stat` and (timed) a small read per record;
incompatible with a buffer.

```
# let dir = std::env::temp_dir().join(\"lumber-doc-mp-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let _h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".multiprocess(true).open().unwrap();
assert!(dir.join(\"app.log.lock\").exists());
let e = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".multiprocess(true).buffer(4096).open();
assert_eq!(e.unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
```")]
            pub fn multiprocess(mut self, yes: bool) -> Self {
                self.common.multiprocess = yes;
                self
            }

            #[doc = concat!(
"Compress rolled-over files (default [`crate::Compression::None`]).
Compression runs on a background thread: logging never waits for
it. `flush` and `close` do, so that what they leave is final.

```
# let dir = std::env::temp_dir().join(\"lumber-doc-compress-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
# #[cfg(feature = \"gzip\")] {
use lumber::{Compression, Sink};
let h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".compress(Compression::Gzip).open().unwrap();
# let rec = lumber::Record::new(\"x\", lumber::Level::INFO, lumber::Message::Str(\"\"));
h.emit(&rec, \"first\").unwrap();
h.rollover().unwrap();
h.flush().unwrap(); // waits for the compression
assert!(std::fs::read_dir(&dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(\".gz\")));
# }
```")]
            pub fn compress(mut self, compression: crate::handler::rotating::Compression) -> Self {
                self.common.compression = compression;
                self
            }

            #[doc = concat!(
"How many rolled-over files may wait for compression (default 16). A
file rolled over while the queue is full stays uncompressed, which
is reported once.

```
# let dir = std::env::temp_dir().join(\"lumber-doc-queue-", stringify!($handler), "\");
let _h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".compress_queue(4).open().unwrap();
```")]
            pub fn compress_queue(mut self, jobs: usize) -> Self {
                self.common.compress_queue = jobs.max(1);
                self
            }

            #[doc = concat!(
"Delete backups last modified longer ago than `age` (by the handler's
clock), when the handler opens and after each rollover. Only files
named like this handler's backups are considered.

```
# use std::time::{Duration, SystemTime};
# let dir = std::env::temp_dir().join(\"lumber-doc-age-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
# std::fs::create_dir_all(&dir).unwrap();
let old = dir.join(\"app.log.1\");
std::fs::write(&old, \"ancient\\n\").unwrap();
std::fs::File::options().write(true).open(&old).unwrap()
    .set_modified(SystemTime::now() - Duration::from_secs(40 * 86_400)).unwrap();
std::fs::write(dir.join(\"unrelated.txt\"), \"kept\").unwrap();
let _h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, "
    .max_age(Duration::from_secs(30 * 86_400))
    .open()
    .unwrap();
assert!(dir.join(\"unrelated.txt\").exists());
```")]
            pub fn max_age(mut self, age: std::time::Duration) -> Self {
                self.common.max_age = Some(age);
                self
            }

            #[doc = concat!(
"Python's `namer`: gets the default name of a rolled-over file and
returns the name to use.

```
# use lumber::Sink;
# let dir = std::env::temp_dir().join(\"lumber-doc-namer-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, "
    .namer(|default| {
        let mut name = default.as_os_str().to_owned();
        name.push(\".old\");
        name.into()
    })
    .open()
    .unwrap();
# let rec = lumber::Record::new(\"x\", lumber::Level::INFO, lumber::Message::Str(\"\"));
h.emit(&rec, \"one\").unwrap();
h.rollover().unwrap();
assert!(std::fs::read_dir(&dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(\".old\")));
```")]
            pub fn namer<F>(mut self, namer: F) -> Self
            where
                F: Fn(&std::path::Path) -> std::path::PathBuf + Send + Sync + 'static,
            {
                self.common.namer = Some(std::sync::Arc::new(namer));
                self
            }

            #[doc = concat!(
"Python's `rotator`: moves the file being rolled over (`source`) to
its backup name (`dest`) instead of a rename. It runs while logging
waits; for compression prefer [`Self::compress`], which does not.

```
# use lumber::Sink;
# let dir = std::env::temp_dir().join(\"lumber-doc-rotator-", stringify!($handler), "\");
# let _ = std::fs::remove_dir_all(&dir);
let h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, "
    .rotator(|source, dest| {
        std::fs::copy(source, dest)?;
        std::fs::remove_file(source)
    })
    .open()
    .unwrap();
# let rec = lumber::Record::new(\"x\", lumber::Level::INFO, lumber::Message::Str(\"\"));
h.emit(&rec, \"one\").unwrap();
h.rollover().unwrap();
h.emit(&rec, \"two\").unwrap();
assert_eq!(std::fs::read_to_string(dir.join(\"app.log\")).unwrap(), \"two\\n\");
```")]
            pub fn rotator<F>(mut self, rotator: F) -> Self
            where
                F: Fn(&std::path::Path, &std::path::Path) -> std::io::Result<()> + Send + Sync + 'static,
            {
                self.common.rotator = Some(std::sync::Arc::new(rotator));
                self
            }

            #[doc = concat!(
"The clock rollover times and ages are read from (default
[`crate::SystemClock`]); tests pass a [`crate::ManualClock`].

```
# let dir = std::env::temp_dir().join(\"lumber-doc-clock-", stringify!($handler), "\");
let clock = lumber::ManualClock::at_unix(1_700_000_000);
let _h = lumber::", stringify!($handler), "::options(dir.join(\"app.log\"))", $setup, ".clock(clock.clone()).open().unwrap();
```")]
            pub fn clock(mut self, clock: impl crate::handler::rotating::Clock) -> Self {
                self.common.clock = std::sync::Arc::new(clock);
                self
            }
        }
    };
}

pub(crate) use common_options;
