//! Placeholder: ConsoleFormatter is being written.

use crate::format::Format;
use crate::record::Record;

/// Placeholder.
///
/// ```
/// let _ = lumber::ConsoleFormatter::default();
/// ```
#[derive(Debug, Default, Clone)]
pub struct ConsoleFormatter {}

impl Format for ConsoleFormatter {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        let _ = (record, out);
    }
}
