//! Applying a built configuration to the logger hierarchy, the way
//! Python's `dictConfig` does, and remembering what built each object (for
//! `lumber config tree`).

use std::any::Any;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use super::node::{Node, Pos};
use crate::filter::Filter;
use crate::format::Format;
use crate::handler::Handler;
use crate::level::Level;
use crate::logger::{Logger, get_logger, loggers, root};

/// One logger's part of a configuration.
#[derive(Debug, Default, Clone)]
pub(crate) struct LoggerPlan {
    /// Dotted name; empty for the root.
    pub name: String,
    pub level: Option<Level>,
    pub propagate: Option<bool>,
    pub disabled: Option<bool>,
    pub handlers: Option<Vec<String>>,
    pub filters: Option<Vec<String>>,
}

/// The options of every object a configuration names (built or not).
#[derive(Default)]
pub(crate) struct Specs {
    pub formatters: Vec<(String, Node)>,
    pub filters: Vec<(String, Node)>,
    pub handlers: Vec<(String, Node)>,
}

/// Everything a configuration builds, ready to apply.
#[derive(Default)]
pub(crate) struct Plan {
    pub incremental: bool,
    pub disable_existing: bool,
    pub specs: Specs,
    pub formatters: Vec<(String, Arc<dyn Format>, Node)>,
    pub filters: Vec<(String, Arc<dyn Filter>, Node)>,
    pub handlers: Vec<(String, Arc<Handler>, Node)>,
    pub kept: Vec<Box<dyn Any + Send>>,
    /// The formatter each handler actually holds (a `Format::for_sink`
    /// copy, possibly), by formatter name.
    pub installed: Vec<(String, Arc<dyn Format>)>,
    pub root: Option<LoggerPlan>,
    pub loggers: Vec<LoggerPlan>,
    /// Incremental mode: `(handler, level, position, key path)`.
    pub handler_levels: Vec<(String, Level, Option<Pos>, String)>,
}

/// What the applied configuration built, by name, with the options that
/// built it; weak, so that nothing here keeps a removed object alive.
#[derive(Default)]
pub(crate) struct Applied {
    pub handlers: Vec<(String, Weak<Handler>, Node)>,
    pub formatters: Vec<(String, Weak<dyn Format>, Node)>,
    pub filters: Vec<(String, Weak<dyn Filter>, Node)>,
    kept: Vec<Box<dyn Any + Send>>,
}

static APPLIED: Mutex<Applied> = Mutex::new(Applied {
    handlers: Vec::new(),
    formatters: Vec::new(),
    filters: Vec::new(),
    kept: Vec::new(),
});

/// Runs `f` with the record of what the configuration built.
pub(crate) fn with_applied<R>(f: impl FnOnce(&Applied) -> R) -> R {
    f(&APPLIED.lock().unwrap_or_else(PoisonError::into_inner))
}

/// The live handlers configurations named, the latest first.
pub(crate) fn named_handlers() -> Vec<(String, Arc<Handler>)> {
    with_applied(|a| {
        a.handlers
            .iter()
            .rev()
            .filter_map(|(n, w, _)| w.upgrade().map(|h| (n.clone(), h)))
            .collect()
    })
}

fn same<T: ?Sized>(a: &Arc<T>, b: &Arc<T>) -> bool {
    std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b))
}

pub(crate) fn apply(plan: Plan) {
    if plan.incremental {
        let named = named_handlers();
        for (name, level, _, _) in &plan.handler_levels {
            if let Some((_, h)) = named.iter().find(|(n, _)| n == name) {
                h.set_level(*level);
            }
        }
        for lp in plan.root.iter().chain(&plan.loggers) {
            let logger = if lp.name.is_empty() {
                root()
            } else {
                get_logger(&lp.name)
            };
            if let Some(l) = lp.level {
                logger.set_level(l);
            }
            if !lp.name.is_empty() {
                logger.set_disabled(lp.disabled.unwrap_or(false));
                if let Some(p) = lp.propagate {
                    logger.set_propagate(p);
                }
            }
        }
        return;
    }

    let mut removed: Vec<Arc<Handler>> = Vec::new();
    let configure = |logger: &Logger, lp: &LoggerPlan, removed: &mut Vec<Arc<Handler>>| {
        if let Some(l) = lp.level {
            logger.set_level(l);
        }
        removed.extend(logger.clear_handlers());
        for name in lp.handlers.iter().flatten() {
            if let Some((_, h, _)) = plan.handlers.iter().find(|(n, _, _)| n == name) {
                logger.add_handler(Arc::clone(h));
            }
        }
        for f in logger.filters() {
            logger.remove_filter(&f);
        }
        for name in lp.filters.iter().flatten() {
            if let Some((_, f, _)) = plan.filters.iter().find(|(n, _, _)| n == name) {
                logger.add_shared_filter(Arc::clone(f));
            }
        }
    };

    // Python's dictConfig: the existing loggers, sorted; those configured
    // now are taken out, and their existing descendants are reset rather
    // than disabled.
    // `loggers()` lists the root first.
    let existing: Vec<Logger> = loggers().into_iter().skip(1).collect();
    let mut configured: Vec<&str> = Vec::new();
    let mut children: Vec<&str> = Vec::new();
    for lp in &plan.loggers {
        let prefix = format!("{}.", lp.name);
        for l in &existing {
            if l.name().starts_with(&prefix) {
                children.push(l.name());
            }
        }
        configured.push(&lp.name);
        let logger = get_logger(&lp.name);
        configure(&logger, lp, &mut removed);
        logger.set_disabled(lp.disabled.unwrap_or(false));
        if let Some(p) = lp.propagate {
            logger.set_propagate(p);
        }
    }
    if let Some(lp) = &plan.root {
        configure(&root(), lp, &mut removed);
    }
    for l in &existing {
        if configured.contains(&l.name()) {
            continue;
        }
        if children.contains(&l.name()) {
            l.set_level(Level::NOTSET);
            removed.extend(l.clear_handlers());
            l.set_propagate(true);
        } else {
            l.set_disabled(plan.disable_existing);
        }
    }

    // Remember what was built (for the logger tree and incremental
    // updates), and stop what the previous configuration kept running.
    let old_kept = {
        let mut a = APPLIED.lock().unwrap_or_else(PoisonError::into_inner);
        // Objects of earlier configurations may still be attached to
        // loggers this one does not name: keep what is alive.
        a.handlers.retain(|(_, w, _)| w.strong_count() > 0);
        a.formatters.retain(|(_, w, _)| w.strong_count() > 0);
        a.filters.retain(|(_, w, _)| w.strong_count() > 0);
        for (n, h, s) in &plan.handlers {
            a.handlers.push((n.clone(), Arc::downgrade(h), s.clone()));
        }
        for (name, f, s) in &plan.formatters {
            a.formatters
                .push((name.clone(), Arc::downgrade(f), s.clone()));
            for (_, installed) in plan.installed.iter().filter(|(n, _)| n == name) {
                a.formatters
                    .push((name.clone(), Arc::downgrade(installed), s.clone()));
            }
        }
        for (n, f, s) in &plan.filters {
            a.filters.push((n.clone(), Arc::downgrade(f), s.clone()));
        }
        std::mem::replace(&mut a.kept, plan.kept)
    };
    drop(old_kept);
    for h in removed {
        let reused = plan.handlers.iter().any(|(_, n, _)| same(n, &h));
        // Still attached elsewhere (a logger this configuration does not
        // name): leave it open.
        let attached = loggers()
            .iter()
            .any(|l| l.handlers().iter().any(|x| same(x, &h)));
        if !reused && !attached {
            h.close();
        }
    }
}
