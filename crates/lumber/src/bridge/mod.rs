//! Bridges from the logging facades: records logged through the [`log`]
//! crate (feature `log`, on by default) and events emitted through
//! `tracing` (feature `tracing`) land in lumber's hierarchy, on the logger
//! named after their target (`hyper::client::pool` → `hyper.client.pool`).
//!
//! Both bridges take the same route as lumber's own macros: the logger's
//! level gate first, then, if the logger's only handler is a queue handler
//! whose listener runs the fast path, the message is formatted on the
//! calling thread straight into that thread's ring (the facades hand over
//! `fmt::Arguments` and field visitors, not values that could travel by
//! value); otherwise the record is handled synchronously.

// The shared machinery below serves the bridges only.
#![cfg_attr(not(any(feature = "log", feature = "tracing")), allow(dead_code))]

#[cfg(feature = "log")]
pub mod log;
#[cfg(feature = "tracing")]
pub mod tracing;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use crate::deferred::{DecodeFn, Reader, Writer};
use crate::level::Level;
use crate::logger::{Logger, get_logger};
use crate::record::{Function, Message, Record, Site};
use crate::value::Value;

/// Slots in the per-thread caches below (direct-mapped).
const CACHE_SLOTS: usize = 64;

struct TargetSlot {
    target: Box<str>,
    logger: Logger,
}

thread_local! {
    static TARGETS: RefCell<Vec<Option<TargetSlot>>> = const { RefCell::new(Vec::new()) };
    static SITES: RefCell<Vec<Option<(SiteKey, &'static Site<'static>)>>> =
        const { RefCell::new(Vec::new()) };
}

fn slot_of(ptr: usize, extra: usize) -> usize {
    // Fibonacci hashing of the pointer (targets and sites are mostly
    // string literals, so their addresses are stable and distinct).
    (ptr ^ extra.rotate_left(17)).wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize)
        >> (usize::BITS - 6)
}

/// The logger named after a facade target, from a per-thread cache keyed by
/// the target string (verified byte for byte, so targets that are not
/// literals are fine too).
pub(crate) fn target_logger(target: &str) -> Logger {
    let index = slot_of(target.as_ptr() as usize, target.len());
    let cached = TARGETS.try_with(|cache| {
        let cache = cache.try_borrow().ok()?;
        let slot = cache.get(index)?.as_ref()?;
        (*slot.target == *target).then_some(slot.logger)
    });
    if let Ok(Some(logger)) = cached {
        return logger;
    }
    let logger = get_logger(target);
    let _ = TARGETS.try_with(|cache| {
        if let Ok(mut cache) = cache.try_borrow_mut() {
            if cache.len() < CACHE_SLOTS {
                cache.resize_with(CACHE_SLOTS, || None);
            }
            if let Some(slot) = cache.get_mut(index) {
                *slot = Some(TargetSlot {
                    target: target.into(),
                    logger,
                });
            }
        }
    });
    logger
}

/// Identity of a facade call site whose metadata is all `'static`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct SiteKey {
    file: (usize, usize),
    module: (usize, usize),
    line: u32,
}

/// Static call-site metadata: `file`, `module_path`, `line` as the
/// facade gives them. The fast path keeps a `&'static Site` per record, so
/// the sites of facade call sites are made once each and kept (one per
/// distinct call site, as the macros' own statics are).
pub(crate) fn static_site(
    file: &'static str,
    line: u32,
    module_path: &'static str,
) -> &'static Site<'static> {
    let key = SiteKey {
        file: (file.as_ptr() as usize, file.len()),
        module: (module_path.as_ptr() as usize, module_path.len()),
        line,
    };
    let index = slot_of(key.file.0 ^ key.module.0, line as usize);
    let cached = SITES.try_with(|cache| {
        let cache = cache.try_borrow().ok()?;
        let (k, site) = cache.get(index)?.as_ref()?;
        (*k == key).then_some(*site)
    });
    if let Ok(Some(site)) = cached {
        return site;
    }
    static ALL: LazyLock<Mutex<HashMap<SiteKey, &'static Site<'static>>>> =
        LazyLock::new(Mutex::default);
    let site = *ALL
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key)
        .or_insert_with(|| {
            Box::leak(Box::new(Site {
                module_path,
                file,
                line,
                template: "",
                function: Function::Unknown,
            }))
        });
    let _ = SITES.try_with(|cache| {
        if let Ok(mut cache) = cache.try_borrow_mut() {
            if cache.len() < CACHE_SLOTS {
                cache.resize_with(CACHE_SLOTS, || None);
            }
            if let Some(slot) = cache.get_mut(index) {
                *slot = Some((key, site));
            }
        }
    });
    site
}

/// The decoder of a message formatted on the calling thread.
fn decode_preformatted(reader: &mut Reader<'_>, out: &mut String) {
    use std::fmt::Write;
    let _ = write!(out, "{}", reader.arg());
}

/// Hands a facade record to `logger`: through its fast path if it has one
/// and the site is static, else synchronously. The level gate has been
/// checked by the caller.
pub(crate) fn dispatch(
    logger: Logger,
    level: Level,
    site: SiteRef<'_>,
    message: std::fmt::Arguments<'_>,
    fields: &[(&str, Value<'_>)],
    context: Option<&std::sync::Arc<crate::context::ContextFrame>>,
) {
    if let SiteRef::Static(site) = site
        && let Some(path) = logger.fast_path()
    {
        let encode = |w: &mut Writer<'_>| -> DecodeFn {
            w.pre(message);
            decode_preformatted
        };
        let context = context.cloned();
        if crate::queue::defer_in(
            path, &logger, level, site, encode, fields, None, false, context,
        ) {
            return;
        }
    }
    let site = match site {
        SiteRef::Static(s) => s,
        SiteRef::Dynamic(s) => s,
    };
    let owned_context;
    let context = match context {
        Some(c) => Some(c),
        None => {
            owned_context = crate::context::current_context();
            owned_context.as_ref()
        }
    };
    let record = Record::new(logger.name(), level, Message::Args(message))
        .with_site(site)
        .with_fields(fields)
        .with_context(context);
    logger.handle(&record);
}

/// A facade call site: static metadata (can take the fast path) or
/// metadata that lives only as long as the record.
#[derive(Clone, Copy)]
pub(crate) enum SiteRef<'a> {
    Static(&'static Site<'static>),
    Dynamic(&'a Site<'a>),
}
