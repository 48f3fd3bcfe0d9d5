//! Python's `NullHandler`: takes records and does nothing.

use std::io;

use super::Sink;
use crate::record::Record;

/// Does nothing. A library adds it to its top logger so that, with no
/// configuration, its records do not reach the last-resort handler.
///
/// ```
/// lumber::get_logger("mylib").add_handler(lumber::NullHandler);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct NullHandler;

impl Sink for NullHandler {
    fn emit(&self, _record: &Record<'_>, _line: &str) -> io::Result<()> {
        Ok(())
    }
}
