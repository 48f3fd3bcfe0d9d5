//! Rotating, timed-rotating and watched file handlers: Python's
//! `logging.handlers` file handlers with their exact rules where Python
//! defines them, and what Python leaves out.
//!
//! - [`RotatingFileHandler`]: by size, `app.log.1` ... `app.log.N`.
//! - [`TimedRotatingFileHandler`]: by time (`when`, `interval`, `utc`,
//!   `at_time`), `app.log.2024-01-15`; also by size, and with the date in
//!   the current file's name ([`TimedOptions::dated`]).
//! - [`WatchedFileHandler`]: reopens a file moved or deleted by logrotate.
//!
//! Both rotating handlers offer background [`Compression`] (gzip, zstd),
//! retention by count and by age (also applied when they open), Python's
//! `namer` and `rotator` hooks, files created `0o640` in directories they
//! create, a multi-process mode in which several processes write and
//! rotate one log through a lock file without losing, duplicating or
//! splitting a record, and an injectable [`Clock`] for tests. A failure
//! (a full disk, a file that became unwritable) is reported once through
//! the handler's [`crate::ErrorPolicy`]; logging goes on and resumes
//! writing as soon as it can.

mod backups;
mod clock;
mod compress;
mod engine;
mod lock;
mod logfile;
mod options;
mod schedule;
mod size;
mod timed;
mod watched;

pub use clock::{Clock, ManualClock, SystemClock};
pub use compress::Compression;
pub use schedule::When;
pub use size::{RotatingFileHandler, RotatingOptions};
pub use timed::{TimedOptions, TimedRotatingFileHandler};
pub use watched::{WatchedFileHandler, WatchedOptions};
