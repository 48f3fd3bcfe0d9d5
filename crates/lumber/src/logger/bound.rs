//! Bound loggers: Python's `LoggerAdapter`, a logger plus fields that every
//! record it logs carries.

use std::fmt;
use std::sync::Arc;

use super::Logger;
use crate::value::{OwnedFields, OwnedValue};

/// A logger bound to key-value fields. Cheap to clone; binding more makes
/// a new bound logger and leaves this one as it was.
///
/// ```
/// use lumber::{get_logger, info};
/// let log = get_logger("doc.bound").bind("request_id", "8f3a").bind("user", 7);
/// info!(logger: log, "checkout started"); // carries request_id and user
/// ```
#[derive(Clone)]
pub struct BoundLogger {
    logger: Logger,
    fields: Arc<OwnedFields>,
}

impl BoundLogger {
    /// A bound logger with no fields yet.
    ///
    /// ```
    /// let log = lumber::BoundLogger::new(lumber::get_logger("doc.bound_new"));
    /// assert!(log.fields().is_empty());
    /// assert_eq!(log.bind("user", 7).fields().len(), 1);
    /// ```
    pub fn new(logger: Logger) -> BoundLogger {
        BoundLogger {
            logger,
            fields: Arc::new(Vec::new()),
        }
    }

    /// Adds (or replaces) a field.
    ///
    /// ```
    /// let base = lumber::get_logger("doc.bound_bind").bind("user", 1);
    /// let other = base.bind("user", 2).bind("ip", "10.0.0.1");
    /// assert_eq!(base.fields().len(), 1); // unchanged
    /// assert_eq!(other.fields()[0].1, lumber::OwnedValue::I64(2)); // replaced in place
    /// assert_eq!(other.fields().len(), 2);
    /// ```
    pub fn bind(&self, key: &str, value: impl Into<OwnedValue>) -> BoundLogger {
        let mut fields = OwnedFields::clone(&self.fields);
        let value = value.into();
        match fields.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = value,
            None => fields.push((key.into(), value)),
        }
        BoundLogger {
            logger: self.logger,
            fields: Arc::new(fields),
        }
    }

    /// The bound fields.
    ///
    /// ```
    /// let log = lumber::get_logger("doc.bound_fields").bind("svc", "api");
    /// assert_eq!(&*log.fields()[0].0, "svc");
    /// assert_eq!(log.fields()[0].1.to_string(), "api");
    /// ```
    pub fn fields(&self) -> &OwnedFields {
        &self.fields
    }

    /// The underlying logger.
    ///
    /// ```
    /// let log = lumber::get_logger("doc.bound_logger").bind("k", 1);
    /// assert_eq!(log.logger(), lumber::get_logger("doc.bound_logger"));
    /// ```
    pub fn logger(&self) -> Logger {
        self.logger
    }
}

impl fmt::Debug for BoundLogger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundLogger")
            .field("logger", &self.logger.name())
            .field("fields", &self.fields)
            .finish()
    }
}

/// What the macros' `logger:` argument accepts: a [`Logger`] or a
/// [`BoundLogger`] (or a reference to either).
///
/// ```
/// use lumber::{AsLogger, get_logger};
/// fn name_of(l: &impl AsLogger) -> &'static str { l.as_logger().name() }
/// let log = get_logger("doc.as_logger");
/// assert_eq!(name_of(&log), "doc.as_logger");
/// assert_eq!(name_of(&log.bind("k", 1)), "doc.as_logger");
/// assert_eq!(log.bind("k", 1).bound_fields().len(), 1);
/// ```
pub trait AsLogger {
    /// The logger records go to.
    fn as_logger(&self) -> &Logger;

    /// Fields added to every record.
    fn bound_fields(&self) -> &[(Box<str>, OwnedValue)] {
        &[]
    }

    /// The same fields, shared (queued records keep them without a copy).
    #[doc(hidden)]
    fn bound_arc(&self) -> Option<&Arc<OwnedFields>> {
        None
    }
}

impl AsLogger for Logger {
    fn as_logger(&self) -> &Logger {
        self
    }
}

impl AsLogger for BoundLogger {
    fn as_logger(&self) -> &Logger {
        &self.logger
    }

    fn bound_fields(&self) -> &[(Box<str>, OwnedValue)] {
        &self.fields
    }

    fn bound_arc(&self) -> Option<&Arc<OwnedFields>> {
        Some(&self.fields)
    }
}

impl<T: AsLogger + ?Sized> AsLogger for &T {
    fn as_logger(&self) -> &Logger {
        (**self).as_logger()
    }

    fn bound_fields(&self) -> &[(Box<str>, OwnedValue)] {
        (**self).bound_fields()
    }

    fn bound_arc(&self) -> Option<&Arc<OwnedFields>> {
        (**self).bound_arc()
    }
}
