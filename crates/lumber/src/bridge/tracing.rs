//! A [`tracing_subscriber::Layer`] that turns `tracing` events into lumber
//! records (feature `tracing`).
//!
//! - An event lands on the logger named after its target, at the matching
//!   level (`TRACE` → TRACE, `DEBUG` → DEBUG, `INFO` → INFO, `WARN` →
//!   WARNING, `ERROR` → ERROR), with its file, line and module path; the
//!   logger's level and filters decide, as for any record.
//! - The event's `message` field is the message; its other fields are
//!   record fields, keeping their types (integers, floats, booleans,
//!   strings, bytes; anything else is shown with `Debug`).
//! - The fields of the spans the event is in are the record's context
//!   (innermost span first, so an inner span's key shadows an outer one),
//!   and the record gets a field `spans` with their names from the root
//!   down, `outer:inner`, as tracing-subscriber's fmt layer shows them.
//!   Context opened with [`push_context`](crate::push_context) or
//!   [`ContextExt::in_context`](crate::ContextExt::in_context) is there
//!   too, outside the spans.
//!
//! The layer filters nothing for the other layers it is stacked with: it
//! says yes to every callsite and checks lumber's gate when an event
//! arrives. Per-layer filters (`LumberLayer::new().with_filter(...)`) work
//! as with any layer. Its `max_level_hint` is the most verbose level any
//! lumber logger lets through, and tracing's callsite cache is rebuilt
//! whenever a lumber level changes, so events no logger would take are
//! stopped by tracing's own level check.
//!
//! ```
//! use tracing_subscriber::prelude::*;
//! use lumber::{get_logger, Level};
//!
//! let subscriber = tracing_subscriber::registry().with(lumber::bridge::tracing::LumberLayer::new());
//! tracing::subscriber::with_default(subscriber, || {
//!     get_logger("my_app").set_level(Level::DEBUG);
//!     let span = tracing::info_span!(target: "my_app", "request", id = 7);
//!     let _entered = span.enter();
//!     tracing::debug!(target: "my_app::db", rows = 3, "query done");
//! });
//! ```
//!
//! Span fields recorded after the span was created (`span.record(...)`)
//! are seen by events in that span; spans created before the change keep
//! the parent's old values.

use std::cell::RefCell;
use std::fmt::{self, Write};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tracing_core::field::{Field, Visit};
use tracing_core::span::{Attributes, Id, Record as SpanValues};
use tracing_core::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use super::{SiteRef, dispatch, static_site, target_logger};
use crate::context::ContextFrame;
use crate::level::Level;
use crate::value::{OwnedFields, OwnedValue, Value};

/// The layer. Stack it on a `tracing_subscriber::registry()` (alone, or
/// with other layers).
///
/// ```
/// use tracing_subscriber::prelude::*;
/// let subscriber = tracing_subscriber::registry().with(lumber::bridge::tracing::LumberLayer::new());
/// # let _ = subscriber;
/// ```
#[derive(Debug, Default, Clone)]
pub struct LumberLayer {
    _private: (),
}

/// Set once a layer exists: level changes then rebuild tracing's caches.
static IN_USE: AtomicBool = AtomicBool::new(false);

impl LumberLayer {
    /// A new layer.
    ///
    /// ```
    /// let layer = lumber::bridge::tracing::LumberLayer::new();
    /// # let _ = layer;
    /// ```
    pub fn new() -> LumberLayer {
        IN_USE.store(true, Ordering::Release);
        LumberLayer { _private: () }
    }
}

/// Makes a registry with a [`LumberLayer`] the global default subscriber.
/// Fails if a global subscriber was set already.
///
/// ```
/// lumber::bridge::tracing::init().ok();
/// tracing::warn!(target: "doc.tracing_init", "to lumber's root handlers");
/// ```
pub fn init() -> Result<(), tracing_core::dispatcher::SetGlobalDefaultError> {
    use tracing_subscriber::layer::SubscriberExt;
    let subscriber = tracing_subscriber::registry().with(LumberLayer::new());
    tracing_core::dispatcher::set_global_default(tracing_core::Dispatch::new(subscriber))
}

/// A `tracing` level as a lumber level.
///
/// ```
/// use lumber::{bridge::tracing::from_tracing, Level};
/// assert_eq!(from_tracing(tracing::Level::WARN), Level::WARNING);
/// ```
pub fn from_tracing(level: tracing_core::Level) -> Level {
    match level {
        tracing_core::Level::ERROR => Level::ERROR,
        tracing_core::Level::WARN => Level::WARNING,
        tracing_core::Level::INFO => Level::INFO,
        tracing_core::Level::DEBUG => Level::DEBUG,
        _ => Level::TRACE,
    }
}

/// Called by the manager when the lowest gate changed.
pub(crate) fn levels_changed() {
    if IN_USE.load(Ordering::Acquire) {
        // `tracing` stores the hint it reads during the rebuild; two
        // rebuilds on two threads could store them out of order and leave
        // an older, higher gate in place (an enabled event then filtered
        // out by `tracing`'s own level check). One rebuild at a time, and
        // again if the gate moved meanwhile, so the last one stored has
        // read the latest gate.
        static REBUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _lock = REBUILD
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        loop {
            let before = crate::logger::min_threshold();
            tracing_core::callsite::rebuild_interest_cache();
            if crate::logger::min_threshold() == before {
                break;
            }
        }
    }
}

/// The most verbose `tracing` level a lumber gate of `threshold` lets
/// through.
fn level_hint(threshold: u32) -> tracing_core::LevelFilter {
    use tracing_core::LevelFilter as F;
    [F::TRACE, F::DEBUG, F::INFO, F::WARN, F::ERROR]
        .into_iter()
        .find(|f| {
            f.into_level()
                .is_some_and(|l| from_tracing(l).value() >= threshold)
        })
        .unwrap_or(F::OFF)
}

/// What a span keeps: its fields as a context frame chained to its
/// parent's, and the names from the root span down.
struct SpanData {
    frame: Arc<ContextFrame>,
    path: Box<str>,
}

/// Collects span fields as owned values.
struct OwnedVisitor<'a>(&'a mut OwnedFields);

impl OwnedVisitor<'_> {
    fn put(&mut self, field: &Field, value: OwnedValue) {
        let name = field.name();
        match self.0.iter_mut().find(|(k, _)| &**k == name) {
            Some((_, v)) => *v = value,
            None => self.0.push((name.into(), value)),
        }
    }
}

impl Visit for OwnedVisitor<'_> {
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, OwnedValue::I64(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, OwnedValue::U64(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, OwnedValue::F64(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, OwnedValue::Bool(value));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, OwnedValue::Str(value.to_owned()));
    }
    fn record_bytes(&mut self, field: &Field, value: &[u8]) {
        self.put(field, OwnedValue::Bytes(value.to_vec()));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.put(field, OwnedValue::Str(value.to_string()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, OwnedValue::Str(format!("{value:?}")));
    }
}

/// An event's values, kept in reusable per-thread buffers.
#[derive(Default)]
struct Scratch {
    text: String,
    bytes: Vec<u8>,
    slots: Vec<(&'static str, Slot)>,
    message: Option<Range<usize>>,
}

enum Slot {
    I64(i64),
    U64(u64),
    F64(f64),
    Bool(bool),
    Text(Range<usize>),
    Bytes(Range<usize>),
}

impl Scratch {
    fn clear(&mut self) {
        self.text.clear();
        self.bytes.clear();
        self.slots.clear();
        self.message = None;
    }

    fn text(&mut self, write: impl FnOnce(&mut String)) -> Range<usize> {
        let start = self.text.len();
        write(&mut self.text);
        start..self.text.len()
    }

    fn value(&self, slot: &Slot) -> Value<'_> {
        match slot {
            Slot::I64(n) => Value::I64(*n),
            Slot::U64(n) => Value::U64(*n),
            Slot::F64(n) => Value::F64(*n),
            Slot::Bool(b) => Value::Bool(*b),
            Slot::Text(r) => Value::Str(self.text.get(r.clone()).unwrap_or_default()),
            Slot::Bytes(r) => Value::Bytes(self.bytes.get(r.clone()).unwrap_or_default()),
        }
    }

    /// Large one-off events do not keep their memory.
    fn trim(&mut self) {
        if self.text.capacity() > 64 * 1024 {
            self.text = String::new();
        }
        if self.bytes.capacity() > 64 * 1024 {
            self.bytes = Vec::new();
        }
    }
}

impl Visit for Scratch {
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.slots.push((field.name(), Slot::I64(value)));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.slots.push((field.name(), Slot::U64(value)));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.slots.push((field.name(), Slot::F64(value)));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.slots.push((field.name(), Slot::Bool(value)));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        let range = self.text(|t| t.push_str(value));
        if field.name() == "message" {
            self.message = Some(range);
        } else {
            self.slots.push((field.name(), Slot::Text(range)));
        }
    }
    fn record_bytes(&mut self, field: &Field, value: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(value);
        let range = start..self.bytes.len();
        self.slots.push((field.name(), Slot::Bytes(range)));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let range = self.text(|t| {
            let _ = write!(t, "{value}");
        });
        self.slots.push((field.name(), Slot::Text(range)));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let range = self.text(|t| {
            let _ = write!(t, "{value:?}");
        });
        if field.name() == "message" {
            self.message = Some(range);
        } else {
            self.slots.push((field.name(), Slot::Text(range)));
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl<S> Layer<S> for LumberLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn max_level_hint(&self) -> Option<tracing_core::LevelFilter> {
        Some(level_hint(crate::logger::min_threshold()))
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut fields = OwnedFields::new();
        attrs.record(&mut OwnedVisitor(&mut fields));
        let parent = span.parent();
        let parent_data = parent.as_ref().and_then(|p| {
            p.extensions()
                .get::<SpanData>()
                .map(|d| (Arc::clone(&d.frame), d.path.clone()))
        });
        let (parent_frame, path) = match parent_data {
            Some((frame, path)) => (Some(frame), format!("{path}:{}", span.name())),
            None => (None, span.name().to_owned()),
        };
        span.extensions_mut().insert(SpanData {
            frame: Arc::new(ContextFrame::new(fields, parent_frame)),
            path: path.into(),
        });
    }

    fn on_record(&self, id: &Id, values: &SpanValues<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        if let Some(data) = extensions.get_mut::<SpanData>() {
            let mut fields = data.frame.fields().clone();
            values.record(&mut OwnedVisitor(&mut fields));
            let parent = data.frame.parent_arc().cloned();
            data.frame = Arc::new(ContextFrame::new(fields, parent));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let meta: &'static Metadata<'static> = event.metadata();
        let logger = target_logger(meta.target());
        let level = from_tracing(*meta.level());
        if !logger.is_enabled_for(level) {
            return;
        }
        let site = static_site(
            meta.file().unwrap_or(crate::record::Site::UNKNOWN.file),
            meta.line().unwrap_or(0),
            meta.module_path().unwrap_or(""),
        );
        let span = ctx.event_span(event);
        let span_data = span.as_ref().and_then(|s| {
            s.extensions()
                .get::<SpanData>()
                .map(|d| (Arc::clone(&d.frame), d.path.clone()))
        });
        let context = match (span_data.as_ref(), crate::context::current_context()) {
            (None, outer) => outer,
            (Some((frame, _)), None) => Some(Arc::clone(frame)),
            (Some((frame, _)), Some(outer)) => Some(Arc::new(frame.flattened_into(outer))),
        };
        let path = span_data.as_ref().map(|(_, p)| &**p);
        let emit = |scratch: &Scratch| {
            let mut fields: Vec<(&str, Value<'_>)> =
                Vec::with_capacity(scratch.slots.len() + usize::from(path.is_some()));
            fields.extend(scratch.slots.iter().map(|(k, s)| (*k, scratch.value(s))));
            if let Some(path) = path {
                fields.push(("spans", Value::Str(path)));
            }
            let message = scratch
                .message
                .as_ref()
                .and_then(|r| scratch.text.get(r.clone()))
                .unwrap_or_default();
            dispatch(
                logger,
                level,
                SiteRef::Static(site),
                format_args!("{message}"),
                &fields,
                context.as_ref(),
            );
        };
        let done = SCRATCH.try_with(|cell| {
            let Ok(mut scratch) = cell.try_borrow_mut() else {
                return false;
            };
            scratch.clear();
            event.record(&mut *scratch);
            emit(&scratch);
            scratch.trim();
            true
        });
        if done != Ok(true) {
            // Re-entered (an event logged while formatting another) or the
            // thread is exiting: a fresh buffer.
            let mut scratch = Scratch::default();
            event.record(&mut scratch);
            emit(&scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_hint_follows_the_most_verbose_gate() {
        use tracing_core::LevelFilter as F;
        assert_eq!(level_hint(0), F::TRACE);
        assert_eq!(level_hint(10), F::DEBUG);
        assert_eq!(level_hint(11), F::INFO);
        assert_eq!(level_hint(30), F::WARN);
        assert_eq!(level_hint(40), F::ERROR);
        assert_eq!(level_hint(41), F::OFF);
    }
}
