//! The registry of loggers (Python's `Manager`): one node per dotted name,
//! parents found and fixed up as loggers appear, and the cached level gate
//! of every node kept right whenever anything changes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use crate::filter::Filter;
use crate::handler::Handler;
use crate::level::Level;
use crate::queue::FastPath;

use super::rcu::RcuCell;

/// A logger's links and lists. Replaced whole on every change, so the
/// dispatch path reads a consistent snapshot without locking.
#[derive(Clone)]
pub(crate) struct NodeState {
    pub(crate) parent: Option<&'static Node>,
    pub(crate) propagate: bool,
    pub(crate) handlers: Vec<Arc<Handler>>,
    pub(crate) filters: Vec<Arc<dyn Filter>>,
}

/// One logger. Nodes are created once and live for the whole process, as
/// in Python (loggers are few and shared by name).
pub(crate) struct Node {
    pub(crate) name: Box<str>,
    /// The level gate: a record at level `n` is enabled iff
    /// `n >= threshold`. Folds in the effective level, `disable()` and
    /// `disabled`, and is recomputed for every node whenever any of those
    /// change anywhere.
    pub(crate) threshold: AtomicU32,
    pub(crate) level: AtomicU32,
    pub(crate) disabled: AtomicBool,
    /// The fast path every record of this logger can take (null: none):
    /// set when the only handler on the propagation path is a queue
    /// handler whose listener runs one. Recomputed on every change of
    /// handlers, propagation or listeners. Only ever null or a
    /// `&'static FastPath` (they are leaked, never freed), so that the
    /// macros reach it with one load.
    pub(crate) fast: AtomicPtr<FastPath>,
    pub(crate) state: RcuCell<NodeState>,
}

impl Node {
    fn leak(name: &str, level: Level, parent: Option<&'static Node>) -> &'static Node {
        Box::leak(Box::new(Node {
            name: name.into(),
            threshold: AtomicU32::new(0),
            level: AtomicU32::new(level.value()),
            disabled: AtomicBool::new(false),
            fast: AtomicPtr::new(std::ptr::null_mut()),
            state: RcuCell::new(NodeState {
                parent,
                propagate: true,
                handlers: Vec::new(),
                filters: Vec::new(),
            }),
        }))
    }

    pub(crate) fn parent(&self) -> Option<&'static Node> {
        self.state.load().parent
    }

    /// Python's `getEffectiveLevel`: the first level set, walking up.
    pub(crate) fn effective_level(&self) -> Level {
        let mut node = Some(self);
        while let Some(n) = node {
            let level = n.level.load(Ordering::Relaxed);
            if level != 0 {
                return Level::new(level);
            }
            node = n.parent();
        }
        Level::NOTSET
    }

    /// Applies `change` to a copy of the state and publishes it.
    pub(crate) fn update(&self, change: impl Fn(&mut NodeState)) {
        self.state.update(|state| {
            let mut state = NodeState::clone(state);
            change(&mut state);
            state
        });
    }
}

pub(crate) struct Manager {
    pub(crate) root: &'static Node,
    loggers: Mutex<HashMap<Box<str>, &'static Node>>,
    /// Python's `manager.disable`: levels at or below are off everywhere.
    disable: AtomicU32,
    /// The lowest gate of any logger: what the facades' own global
    /// filters are set from.
    min_threshold: AtomicU32,
}

pub(crate) static MANAGER: LazyLock<Manager> = LazyLock::new(|| {
    let root = Node::leak("root", Level::WARNING, None);
    let manager = Manager {
        root,
        loggers: Mutex::new(HashMap::new()),
        disable: AtomicU32::new(0),
        min_threshold: AtomicU32::new(u32::MAX),
    };
    manager.refresh(&manager.lock());
    manager
});

impl Manager {
    pub(crate) fn lock(&self) -> MutexGuard<'_, HashMap<Box<str>, &'static Node>> {
        self.loggers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The node for a normalized, non-root name, created if new.
    pub(crate) fn node(&self, name: &str) -> &'static Node {
        let mut loggers = self.lock();
        if let Some(node) = loggers.get(name) {
            return node;
        }
        let parent = ancestors(name)
            .find_map(|prefix| loggers.get(prefix).copied())
            .unwrap_or(self.root);
        let node = Node::leak(name, Level::NOTSET, Some(parent));
        // Python's _fixupChildren: loggers below us whose parent is above
        // us now hang from us.
        let below = format!("{name}.");
        for child in loggers.values().filter(|n| n.name.starts_with(&below)) {
            let reparent = child
                .parent()
                .is_none_or(|p| std::ptr::eq(p, self.root) || p.name.len() < name.len());
            if reparent {
                child.update(|s| s.parent = Some(node));
            }
        }
        let threshold = self.threshold_of(node);
        node.threshold.store(threshold, Ordering::Relaxed);
        node.fast.store(fast_path_of(node), Ordering::Release);
        loggers.insert(name.into(), node);
        let lowered = threshold < self.min_threshold.load(Ordering::Relaxed);
        if lowered {
            self.min_threshold.store(threshold, Ordering::Relaxed);
        }
        drop(loggers);
        if lowered {
            levels_changed();
        }
        node
    }

    pub(crate) fn set_disable(&self, level: Level) {
        let loggers = self.lock();
        self.disable.store(level.value(), Ordering::Relaxed);
        let changed = self.refresh(&loggers);
        drop(loggers);
        if changed {
            levels_changed();
        }
    }

    pub(crate) fn disable_level(&self) -> Level {
        Level::new(self.disable.load(Ordering::Relaxed))
    }

    /// Runs `change` under the registry lock, then recomputes every gate.
    pub(crate) fn change_levels(&self, change: impl FnOnce()) {
        let loggers = self.lock();
        change();
        let changed = self.refresh(&loggers);
        drop(loggers);
        if changed {
            levels_changed();
        }
    }

    /// The lowest gate of any logger (`u32::MAX` if every one is off).
    #[cfg_attr(not(any(feature = "log", feature = "tracing")), allow(dead_code))]
    pub(crate) fn min_threshold(&self) -> u32 {
        self.min_threshold.load(Ordering::Relaxed)
    }

    /// Recomputes every logger's fast path (see [`Node::fast`]).
    pub(crate) fn refresh_fast(&self) {
        let loggers = self.lock();
        for node in std::iter::once(&self.root).chain(loggers.values()) {
            node.fast.store(fast_path_of(node), Ordering::Release);
        }
    }

    fn threshold_of(&self, node: &Node) -> u32 {
        if node.disabled.load(Ordering::Relaxed) {
            return u32::MAX;
        }
        let off_through = self.disable.load(Ordering::Relaxed);
        node.effective_level()
            .value()
            .max(off_through.saturating_add(1))
    }

    /// Recomputes every gate; true if the lowest one changed.
    fn refresh(&self, loggers: &HashMap<Box<str>, &'static Node>) -> bool {
        let mut min = u32::MAX;
        for node in std::iter::once(&self.root).chain(loggers.values()) {
            let threshold = self.threshold_of(node);
            node.threshold.store(threshold, Ordering::Relaxed);
            min = min.min(threshold);
        }
        self.min_threshold.swap(min, Ordering::Relaxed) != min
    }

    /// Every logger but the root, in no particular order.
    pub(crate) fn all(&self) -> Vec<&'static Node> {
        self.lock().values().copied().collect()
    }
}

/// Tells the facade bridges that the lowest gate changed (called with the
/// registry unlocked: the bridges may look loggers up).
fn levels_changed() {
    #[cfg(feature = "log")]
    crate::bridge::log::sync_max_level();
    #[cfg(feature = "tracing")]
    crate::bridge::tracing::levels_changed();
}

/// The fast path of a logger: its propagation path must hold exactly one
/// handler, and that handler must feed a running fast path.
fn fast_path_of(node: &Node) -> *mut FastPath {
    let mut only = None;
    let mut count = 0usize;
    let mut next = Some(node);
    while let Some(n) = next {
        let state = n.state.load();
        count += state.handlers.len();
        if count > 1 {
            return std::ptr::null_mut();
        }
        if let Some(h) = state.handlers.first() {
            only = Some(h.sink().fast_path());
        }
        next = if state.propagate { state.parent } else { None };
    }
    match only.and_then(crate::queue::fast_path) {
        Some(path) => std::ptr::from_ref(path).cast_mut(),
        None => std::ptr::null_mut(),
    }
}

/// `a.b.c` → `a.b`, `a`.
fn ancestors(name: &str) -> impl Iterator<Item = &str> {
    name.rmatch_indices('.').map(move |(i, _)| &name[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_walk_up() {
        assert_eq!(ancestors("a.b.c").collect::<Vec<_>>(), ["a.b", "a"]);
        assert_eq!(ancestors("a").count(), 0);
    }
}
