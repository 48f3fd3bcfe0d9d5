//! Scoped context: fields that every record logged inside a scope carries
//! (log4j's ThreadContext, Python's `LoggerAdapter` applied to a scope).

use std::cell::RefCell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context as TaskContext, Poll};

use crate::value::{OwnedFields, Value};

/// One frame of scoped context; frames chain to the enclosing scope.
///
/// ```
/// let _outer = lumber::push_context(lumber::fields!(tenant = "acme"));
/// let _inner = lumber::push_context(lumber::fields!(request = 7));
/// let ctx = lumber::current_context().unwrap();
/// assert_eq!(ctx.get("request").unwrap().to_string(), "7");
/// assert_eq!(ctx.get("tenant").unwrap().to_string(), "acme");
/// ```
#[derive(Debug)]
pub struct ContextFrame {
    fields: OwnedFields,
    parent: Option<Arc<ContextFrame>>,
}

impl ContextFrame {
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    /// A frame with `fields` inside `parent`.
    pub(crate) fn new(fields: OwnedFields, parent: Option<Arc<ContextFrame>>) -> ContextFrame {
        ContextFrame { fields, parent }
    }

    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    /// The enclosing frame, shared.
    pub(crate) fn parent_arc(&self) -> Option<&Arc<ContextFrame>> {
        self.parent.as_ref()
    }

    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    /// One frame holding this chain's fields (innermost value of each key)
    /// inside `outer`.
    pub(crate) fn flattened_into(&self, outer: Arc<ContextFrame>) -> ContextFrame {
        let mut fields = OwnedFields::new();
        let mut frame = Some(self);
        while let Some(f) = frame {
            for (k, v) in &f.fields {
                if !fields.iter().any(|(seen, _)| seen == k) {
                    fields.push((k.clone(), v.clone()));
                }
            }
            frame = f.parent.as_deref();
        }
        ContextFrame {
            fields,
            parent: Some(outer),
        }
    }

    /// A field by key, from this frame or the nearest enclosing one.
    ///
    /// ```
    /// let _outer = lumber::push_context(lumber::fields!(user = 7));
    /// let _inner = lumber::push_context(lumber::fields!(step = 2));
    /// let ctx = lumber::current_context().unwrap();
    /// assert_eq!(ctx.get("user").unwrap().to_string(), "7"); // from the enclosing frame
    /// assert!(ctx.get("missing").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<Value<'_>> {
        let mut frame = Some(self);
        while let Some(f) = frame {
            if let Some((_, v)) = f.fields.iter().find(|(k, _)| &**k == key) {
                return Some(v.as_value());
            }
            frame = f.parent.as_deref();
        }
        None
    }

    /// This frame's own fields.
    ///
    /// ```
    /// let _outer = lumber::push_context(lumber::fields!(a = 1));
    /// let _inner = lumber::push_context(lumber::fields!(b = 2));
    /// let ctx = lumber::current_context().unwrap();
    /// assert_eq!(ctx.fields().len(), 1); // only `b`: `a` belongs to the parent
    /// assert_eq!(&*ctx.fields()[0].0, "b");
    /// ```
    pub fn fields(&self) -> &OwnedFields {
        &self.fields
    }

    /// The enclosing frame.
    ///
    /// ```
    /// let _outer = lumber::push_context(lumber::fields!(a = 1));
    /// let _inner = lumber::push_context(lumber::fields!(b = 2));
    /// let ctx = lumber::current_context().unwrap();
    /// assert_eq!(&*ctx.parent().unwrap().fields()[0].0, "a");
    /// assert!(ctx.parent().unwrap().parent().is_none());
    /// ```
    pub fn parent(&self) -> Option<&ContextFrame> {
        self.parent.as_deref()
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<ContextFrame>>> = const { RefCell::new(None) };
}

/// Whether any thread ever made a context current. Until one does, every
/// thread's `CURRENT` is `None`, and [`current_context`] answers without
/// the thread-local lookup and the `RefCell` borrow (a third of the cost
/// of building a record, by callgrind, in programs without contexts).
/// Set (never cleared) by a thread before it stores a frame in its own
/// `CURRENT`, so that thread reads it back as set; other threads only
/// read their own `CURRENT`, which that store did not touch.
static EVER_SET: AtomicBool = AtomicBool::new(false);

/// Records that the calling thread is about to make a context current.
#[inline]
fn mark_set() {
    if !EVER_SET.load(Ordering::Relaxed) {
        EVER_SET.store(true, Ordering::Relaxed);
    }
}

/// Restores the previous context when dropped. Not `Send`: a scope belongs
/// to the thread that opened it.
///
/// ```
/// let guard = lumber::push_context(lumber::fields!(job = "sync"));
/// assert!(lumber::current_context().is_some());
/// drop(guard);
/// assert!(lumber::current_context().is_none());
/// ```
#[must_use = "the context is popped when the guard is dropped"]
#[derive(Debug)]
pub struct ContextGuard {
    previous: Option<Arc<ContextFrame>>,
    /// The frame this guard made current (kept alive, so that no other
    /// frame can take its address), or `None` if the scope could not be
    /// opened (the thread is exiting).
    pushed: Option<Arc<ContextFrame>>,
    _not_send: PhantomData<*const ()>,
}

impl Drop for ContextGuard {
    /// Puts the enclosing context back, if this guard's frame is still the
    /// current one. A guard dropped out of order (held across an `.await`
    /// and dropped after the task moved on, or after its future was
    /// dropped outside a poll) leaves the thread's context alone rather
    /// than installing a stale frame.
    fn drop(&mut self) {
        let Some(pushed) = self.pushed.take() else {
            return;
        };
        let previous = self.previous.take();
        let _ = CURRENT.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut()
                && c.as_ref().is_some_and(|f| Arc::ptr_eq(f, &pushed))
            {
                *c = previous;
            }
        });
    }
}

/// Puts a saved context back unconditionally (what `InContext` does after
/// each poll).
struct Restore {
    previous: Option<Arc<ContextFrame>>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let _ = CURRENT.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                *c = previous;
            }
        });
    }
}

/// Opens a context scope on this thread: until the guard is dropped, every
/// record logged on this thread carries `fields` (inner scopes shadow outer
/// keys).
///
/// ```
/// use lumber::{fields, push_context, current_context};
/// {
///     let _g = push_context(fields!(job = "nightly"));
///     assert!(current_context().is_some());
/// }
/// assert!(current_context().is_none());
/// ```
pub fn push_context(fields: OwnedFields) -> ContextGuard {
    mark_set();
    let pushed = CURRENT
        .try_with(|c| {
            let mut c = c.try_borrow_mut().ok()?;
            let parent = c.clone();
            let frame = Arc::new(ContextFrame {
                fields,
                parent: parent.clone(),
            });
            *c = Some(Arc::clone(&frame));
            Some((parent, frame))
        })
        .ok()
        .flatten();
    match pushed {
        Some((previous, frame)) => ContextGuard {
            previous,
            pushed: Some(frame),
            _not_send: PhantomData,
        },
        None => ContextGuard {
            previous: None,
            pushed: None,
            _not_send: PhantomData,
        },
    }
}

/// Runs `f` inside a context scope.
///
/// ```
/// let n = lumber::with_context(lumber::fields!(step = 1), || {
///     lumber::current_context().unwrap().get("step").unwrap().to_string()
/// });
/// assert_eq!(n, "1");
/// ```
pub fn with_context<R>(fields: OwnedFields, f: impl FnOnce() -> R) -> R {
    let _guard = push_context(fields);
    f()
}

/// The current context, shared (cheap to clone), to hand to another thread
/// or task.
///
/// ```
/// assert!(lumber::current_context().is_none());
/// ```
#[inline]
pub fn current_context() -> Option<Arc<ContextFrame>> {
    if !EVER_SET.load(Ordering::Relaxed) {
        return None;
    }
    current_context_slow()
}

/// [`current_context`] once a scope has been opened somewhere.
#[inline(never)]
fn current_context_slow() -> Option<Arc<ContextFrame>> {
    CURRENT
        .try_with(|c| c.try_borrow().ok().and_then(|c| c.clone()))
        .ok()
        .flatten()
}

/// Calls `f` with the current context without cloning it.
///
/// ```
/// lumber::with_current_context(|c| assert!(c.is_none()));
/// ```
pub fn with_current_context<R>(f: impl FnOnce(Option<&ContextFrame>) -> R) -> R {
    // Clone the Arc (one atomic increment, only when a scope is open) so
    // that `f` may itself open scopes or log.
    let current = current_context();
    f(current.as_deref())
}

/// Scoped context for futures: the context follows the future across
/// `.await` points and threads (task-local), where a [`push_context`]
/// guard held across an `.await` would stay on the thread it was opened on.
///
/// While the wrapped future is being polled, its frame is the thread's
/// current context, so everything logged from the future (and from the
/// code it calls synchronously) carries it; between polls, the thread's
/// own context is back. Works with any executor.
///
/// ```
/// use lumber::{ContextExt, current_context, fields};
///
/// async fn handle() -> String {
///     // ... awaits, maybe on another worker thread ...
///     current_context().unwrap().get("request").unwrap().to_string()
/// }
///
/// let task = handle().in_context(fields!(request = 42));
/// // Run `task` on any executor; this one just polls it once.
/// let waker = std::task::Waker::noop();
/// let mut task = std::pin::pin!(task);
/// let out = task.as_mut().poll(&mut std::task::Context::from_waker(&waker));
/// assert_eq!(out, std::task::Poll::Ready("42".to_owned()));
/// # use std::future::Future;
/// ```
pub trait ContextExt: Future + Sized {
    /// Runs the future inside a new context scope with `fields`, nested in
    /// the context current where `in_context` is called.
    ///
    /// ```
    /// use lumber::{ContextExt, fields};
    /// let task = async { lumber::info!("inside") }.in_context(fields!(job = "sync"));
    /// # let _ = task;
    /// ```
    fn in_context(self, fields: OwnedFields) -> InContext<Self> {
        InContext {
            frame: Some(Arc::new(ContextFrame {
                fields,
                parent: current_context(),
            })),
            inner: self,
        }
    }

    /// Runs the future inside the context current where this is called:
    /// hand it to `spawn` so the spawned task keeps the caller's context.
    ///
    /// ```
    /// use lumber::{ContextExt, fields, push_context};
    /// let _g = push_context(fields!(tenant = "acme"));
    /// let task = async { lumber::current_context().is_some() }.in_current_context();
    /// # let _ = task;
    /// ```
    fn in_current_context(self) -> InContext<Self> {
        InContext {
            frame: current_context(),
            inner: self,
        }
    }
}

impl<F: Future> ContextExt for F {}

pin_project_lite::pin_project! {
    /// A future running inside a context scope; see [`ContextExt`].
    ///
    /// ```
    /// use lumber::{ContextExt, InContext, fields};
    /// let task: InContext<_> = async {}.in_context(fields!(a = 1));
    /// # let _ = task;
    /// ```
    #[derive(Debug)]
    #[must_use = "futures do nothing unless polled"]
    pub struct InContext<F> {
        frame: Option<Arc<ContextFrame>>,
        #[pin]
        inner: F,
    }
}

impl<F: Future> Future for InContext<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<F::Output> {
        let this = self.project();
        // Swap our frame in for the duration of the poll; the guard puts the
        // thread's own context back even if the inner future panics.
        if this.frame.is_some() {
            mark_set();
        }
        let previous = CURRENT
            .try_with(|c| {
                c.try_borrow_mut()
                    .ok()
                    .map(|mut c| std::mem::replace(&mut *c, this.frame.clone()))
            })
            .ok()
            .flatten();
        // Only if the swap happened (it cannot while a thread is exiting).
        let _restore = previous.map(|previous| Restore { previous });
        this.inner.poll(cx)
    }
}

/// Builds an owned field list: `fields!(key = value, ...)`, with `%value`
/// for `Display` and `?value` for `Debug`, as in the logging macros.
///
/// ```
/// let f = lumber::fields!(user = 42, name = "ann", took = ?std::time::Duration::from_millis(3));
/// assert_eq!(f.len(), 3);
/// assert_eq!(f[2].1.to_string(), "3ms");
/// ```
#[macro_export]
macro_rules! fields {
    ($($tokens:tt)*) => {
        $crate::__private::owned_fields(&$crate::__lumber_fields!([] $($tokens)*))
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __lumber_fields {
    ([$($acc:tt)*]) => { [$($acc)*] };
    ([$($acc:tt)*] $k:ident = % $v:expr $(, $($rest:tt)*)?) => {
        $crate::__lumber_fields!([$($acc)* (::core::stringify!($k), $crate::Value::Display(&$v)),] $($($rest)*)?)
    };
    ([$($acc:tt)*] $k:ident = ? $v:expr $(, $($rest:tt)*)?) => {
        $crate::__lumber_fields!([$($acc)* (::core::stringify!($k), $crate::Value::Debug(&$v)),] $($($rest)*)?)
    };
    ([$($acc:tt)*] $k:ident = $v:expr $(, $($rest:tt)*)?) => {
        $crate::__lumber_fields!([$($acc)* (::core::stringify!($k), $crate::ToValue::to_value(&$v)),] $($($rest)*)?)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_nest_and_unwind() {
        assert!(current_context().is_none());
        let outer = push_context(fields!(a = 1, b = 2));
        {
            let _inner = push_context(fields!(b = 3));
            let ctx = current_context().unwrap();
            assert_eq!(ctx.get("a").unwrap().to_string(), "1");
            assert_eq!(ctx.get("b").unwrap().to_string(), "3");
        }
        assert_eq!(
            current_context().unwrap().get("b").unwrap().to_string(),
            "2"
        );
        drop(outer);
        assert!(current_context().is_none());
    }

    #[test]
    fn context_is_per_thread() {
        let _g = push_context(fields!(here = true));
        let there = std::thread::spawn(|| current_context().is_none())
            .join()
            .unwrap();
        assert!(there);
    }
}
