//! The bounded queue between the threads that log and a listener thread.

use std::collections::VecDeque;
use std::fmt;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::record::OwnedRecord;

/// What a full queue does with one more record.
///
/// ```
/// use lumber::{Overflow, Queue};
/// let q = Queue::new(1000, Overflow::DropOldest);
/// assert_eq!(q.capacity(), 1000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overflow {
    /// Wait for room (the default): nothing is lost. The listener's own
    /// thread never waits (it drops instead), and nobody waits once the
    /// listener is gone.
    #[default]
    Block,
    /// Drop the record being logged.
    DropNewest,
    /// Drop the oldest queued record to make room.
    DropOldest,
}

// Records are nearly every item; boxing them would cost an allocation each.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Item {
    Record(OwnedRecord),
    /// Flush the handlers, then answer.
    Flush(SyncSender<()>),
    /// Stop the listener after everything before it.
    Stop,
}

struct State {
    items: VecDeque<Item>,
    dropped: u64,
    /// A listener thread is taking items.
    consumer: bool,
    /// Set by `wake`: the listener has other work (the fast path's rings).
    woken: bool,
}

struct Shared {
    state: Mutex<State>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
    overflow: Overflow,
    /// This queue's fast path, made the first time a listener starts.
    fast: std::sync::OnceLock<Option<&'static super::fast::FastPath>>,
}

/// A bounded queue of records (Python's `queue.Queue` between a
/// [`crate::QueueHandler`] and a [`crate::QueueListener`]). Cheap to clone:
/// clones are the same queue. Memory is bounded by `capacity` records;
/// records lost to overflow are counted and reported by the listener as a
/// WARNING record `lumber: N records dropped` once there is room again.
///
/// ```
/// use lumber::{Overflow, Queue};
/// let q = Queue::new(8, Overflow::DropNewest);
/// assert_eq!((q.len(), q.dropped()), (0, 0));
/// ```
#[derive(Clone)]
pub struct Queue {
    shared: Arc<Shared>,
}

thread_local! {
    /// Set on listener threads: they must never wait on a queue.
    static ON_LISTENER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

pub(crate) fn mark_listener_thread() {
    ON_LISTENER.with(|c| c.set(true));
}

pub(crate) fn on_listener_thread() -> bool {
    ON_LISTENER.try_with(|c| c.get()).unwrap_or(true)
}

impl Queue {
    /// A queue of at most `capacity` records (at least 1).
    pub fn new(capacity: usize, overflow: Overflow) -> Queue {
        Queue {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    items: VecDeque::new(),
                    dropped: 0,
                    consumer: false,
                    woken: false,
                }),
                not_empty: Condvar::new(),
                not_full: Condvar::new(),
                capacity: capacity.max(1),
                overflow,
                fast: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The most records it holds.
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }

    /// The overflow policy.
    ///
    /// ```
    /// assert_eq!(lumber::Queue::new(4, lumber::Overflow::Block).overflow(), lumber::Overflow::Block);
    /// ```
    pub fn overflow(&self) -> Overflow {
        self.shared.overflow
    }

    /// Records waiting now.
    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// True if no record is waiting.
    ///
    /// ```
    /// assert!(lumber::Queue::new(4, lumber::Overflow::Block).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records dropped and not yet reported.
    pub fn dropped(&self) -> u64 {
        self.lock().dropped
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a record, applying the overflow policy when full.
    pub fn put(&self, record: OwnedRecord) {
        let mut state = self.lock();
        while state.items.len() >= self.shared.capacity {
            let wait =
                self.shared.overflow == Overflow::Block && state.consumer && !on_listener_thread();
            if wait {
                // Wake up now and then to notice a listener that went away.
                state = match self
                    .shared
                    .not_full
                    .wait_timeout(state, Duration::from_millis(100))
                {
                    Ok((s, _)) => s,
                    Err(poisoned) => poisoned.into_inner().0,
                };
                continue;
            }
            if self.shared.overflow == Overflow::DropOldest
                && let Some(pos) = state
                    .items
                    .iter()
                    .position(|i| matches!(i, Item::Record(_)))
            {
                state.items.remove(pos);
                state.dropped += 1;
                break;
            }
            state.dropped += 1;
            return;
        }
        state.items.push_back(Item::Record(record));
        drop(state);
        self.shared.not_empty.notify_one();
    }

    /// Adds a control item; these are never dropped and never wait.
    pub(crate) fn put_control(&self, item: Item) {
        self.lock().items.push_back(item);
        self.shared.not_empty.notify_one();
    }

    /// Takes the next item, waiting for one, with the count of dropped
    /// records to report if there is room now.
    #[cfg(test)]
    pub(crate) fn take(&self) -> (Item, u64) {
        let mut state = self.lock();
        loop {
            if let Some(taken) = self.pop(&mut state) {
                drop(state);
                self.shared.not_full.notify_one();
                return taken;
            }
            state = self
                .shared
                .not_empty
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The next item, with the count of dropped records to report if
    /// there is room again.
    fn pop(&self, state: &mut State) -> Option<(Item, u64)> {
        let item = state.items.pop_front()?;
        let report = if state.dropped > 0 && state.items.len() < self.shared.capacity {
            std::mem::take(&mut state.dropped)
        } else {
            0
        };
        Some((item, report))
    }

    /// Like `take`, but returns `None` when `timeout` passes or
    /// [`Queue::wake`] is called first.
    pub(crate) fn take_timeout(&self, timeout: Duration) -> Option<(Item, u64)> {
        let mut state = self.lock();
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(taken) = self.pop(&mut state) {
                drop(state);
                self.shared.not_full.notify_one();
                return Some(taken);
            }
            if std::mem::take(&mut state.woken) {
                return None;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            state = match self.shared.not_empty.wait_timeout(state, left) {
                Ok((s, _)) => s,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// The fast path of this queue (made on first use; `None` if the
    /// process has too many).
    pub(crate) fn fast_path(&self, ring_capacity: usize) -> Option<&'static super::fast::FastPath> {
        *self
            .shared
            .fast
            .get_or_init(|| super::fast::FastPath::register(self, ring_capacity))
    }

    /// The fast path's id if it is running, else 0.
    pub(crate) fn running_fast_path(&self) -> u32 {
        match self.shared.fast.get() {
            Some(Some(path)) if path.is_running() => path.id(),
            _ => 0,
        }
    }

    /// Wakes a listener waiting in `take_timeout`.
    pub(crate) fn wake(&self) {
        self.lock().woken = true;
        self.shared.not_empty.notify_one();
    }

    pub(crate) fn same(&self, other: &Queue) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Records whether a listener is taking items (producers only block
    /// while one is).
    pub(crate) fn set_consumer(&self, running: bool) {
        self.lock().consumer = running;
        self.shared.not_full.notify_all();
    }
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("capacity", &self.shared.capacity)
            .field("overflow", &self.shared.overflow)
            .field("len", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Level;
    use crate::record::{Message, Record};

    fn rec(msg: &str) -> OwnedRecord {
        OwnedRecord::from(&Record::new("q", Level::INFO, Message::Str(msg)))
    }

    fn messages(q: &Queue) -> Vec<String> {
        let mut out = Vec::new();
        while !q.is_empty() {
            if let (Item::Record(r), _) = q.take() {
                out.push(r.message().to_owned());
            }
        }
        out
    }

    #[test]
    fn drop_newest_keeps_the_first_records() {
        let q = Queue::new(2, Overflow::DropNewest);
        for m in ["a", "b", "c", "d"] {
            q.put(rec(m));
        }
        assert_eq!(q.dropped(), 2);
        assert_eq!(messages(&q), ["a", "b"]);
    }

    #[test]
    fn drop_oldest_keeps_the_last_records() {
        let q = Queue::new(2, Overflow::DropOldest);
        for m in ["a", "b", "c", "d"] {
            q.put(rec(m));
        }
        assert_eq!(q.dropped(), 2);
        assert_eq!(messages(&q), ["c", "d"]);
    }

    #[test]
    fn block_without_a_listener_drops_instead_of_hanging() {
        let q = Queue::new(1, Overflow::Block);
        q.put(rec("a"));
        q.put(rec("b"));
        assert_eq!(q.dropped(), 1);
    }

    #[test]
    fn the_drop_count_is_reported_once_there_is_room() {
        let q = Queue::new(1, Overflow::DropNewest);
        q.put(rec("a"));
        q.put(rec("b"));
        let (_, report) = q.take();
        assert_eq!(report, 1);
        assert_eq!(q.dropped(), 0);
    }

    #[test]
    fn block_waits_for_the_consumer() {
        let q = Queue::new(1, Overflow::Block);
        q.set_consumer(true);
        q.put(rec("a"));
        let producer = {
            let q = q.clone();
            std::thread::spawn(move || q.put(rec("b")))
        };
        // The producer cannot finish until this take makes room.
        let (first, _) = q.take();
        producer.join().unwrap();
        let (second, _) = q.take();
        let text = |i: Item| match i {
            Item::Record(r) => r.message().to_owned(),
            _ => String::new(),
        };
        assert_eq!(
            (text(first), text(second)),
            ("a".to_owned(), "b".to_owned())
        );
        assert_eq!(q.dropped(), 0);
    }
}
