//! The rotating, timed-rotating and watched file handlers.

mod common;
mod concurrency;
mod enospc;
mod oracle;
mod size;
mod timed;
mod watched;
