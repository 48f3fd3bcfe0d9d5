//! Placeholder: LogfmtFormatter is being written.

use crate::format::Format;
use crate::record::Record;

/// Placeholder.
///
/// ```
/// let _ = lumber::LogfmtFormatter::default();
/// ```
#[derive(Debug, Default, Clone)]
pub struct LogfmtFormatter {}

impl Format for LogfmtFormatter {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        let _ = (record, out);
    }
}
