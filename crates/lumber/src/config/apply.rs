//! Applying a built configuration to the logger hierarchy, the way
//! Python's `dictConfig` does, and remembering what built each object (for
//! `lumber config tree`).

use std::any::Any;
use std::collections::HashSet;
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
    /// What a handler needs kept running (a queue handler's listener).
    pub kept: Vec<(Weak<Handler>, Box<dyn Any + Send>)>,
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
    /// What each handler needs kept running, for as long as it is in use.
    kept: Vec<(Weak<Handler>, Box<dyn Any + Send>)>,
}

static APPLIED: Mutex<Applied> = Mutex::new(Applied {
    handlers: Vec::new(),
    formatters: Vec::new(),
    filters: Vec::new(),
    kept: Vec::new(),
});

/// Serializes applying configurations (a watcher's thread and the
/// program may both apply one).
pub(crate) fn lock() -> std::sync::MutexGuard<'static, ()> {
    static APPLYING: Mutex<()> = Mutex::new(());
    APPLYING.lock().unwrap_or_else(PoisonError::into_inner)
}

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

    // Python's dictConfig: the existing loggers; those configured now are
    // taken out, and their existing descendants are reset rather than
    // disabled. (`loggers()` lists the root first.)
    let existing: Vec<Logger> = loggers().into_iter().skip(1).collect();
    let configured: HashSet<&str> = plan.loggers.iter().map(|lp| lp.name.as_str()).collect();
    let is_child = |name: &str| {
        let mut at = name;
        while let Some(i) = at.rfind('.') {
            at = &at[..i];
            if configured.contains(at) {
                return true;
            }
        }
        false
    };
    let children: HashSet<&str> = existing
        .iter()
        .map(Logger::name)
        .filter(|n| !configured.contains(n) && is_child(n))
        .collect();
    for lp in &plan.loggers {
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
        if configured.contains(l.name()) {
            continue;
        }
        if children.contains(l.name()) {
            l.set_level(Level::NOTSET);
            removed.extend(l.clear_handlers());
            l.set_propagate(true);
        } else {
            l.set_disabled(plan.disable_existing);
        }
    }

    // What is still in use: handlers attached to a logger, and those this
    // configuration built (a memory handler's target, say).
    let mut in_use: HashSet<*const Handler> = HashSet::new();
    for l in loggers() {
        in_use.extend(l.handlers().iter().map(Arc::as_ptr));
    }
    in_use.extend(plan.handlers.iter().map(|(_, h, _)| Arc::as_ptr(h)));

    // Remember what was built (for the logger tree and incremental
    // updates); stop what runs for handlers no longer in use.
    let stopped = {
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
        let (keep, stop): (Vec<_>, Vec<_>) = std::mem::take(&mut a.kept)
            .into_iter()
            .partition(|(h, _)| in_use.contains(&h.as_ptr()));
        a.kept = keep;
        a.kept.extend(plan.kept);
        stop
    };
    // Dropping a listener drains its queue into its handlers first.
    drop(stopped);
    for h in removed {
        if !in_use.contains(&Arc::as_ptr(&h)) {
            h.close();
        }
    }
}
