//! Placeholder: JsonFormatter is being written.

use crate::format::Format;
use crate::record::Record;

/// Placeholder.
///
/// ```
/// let _ = lumber::JsonFormatter::default();
/// ```
#[derive(Debug, Default, Clone)]
pub struct JsonFormatter {}

impl Format for JsonFormatter {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        let _ = (record, out);
    }
}
