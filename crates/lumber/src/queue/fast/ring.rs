//! One logging thread's ring of variable-length records: a single-producer,
//! single-consumer byte ring that the caller encodes a record straight into
//! and the listener reads in place (quill's design).
//!
//! Positions are byte counts that only grow; a position's offset in the
//! buffer is `position & (capacity - 1)`. Every record starts on an 8-byte
//! boundary and never straddles the end of the buffer: when the room left
//! before the end is too small, the producer writes a *wrap marker* there
//! and starts again at offset 0.
//!
//! Who touches what: the producer writes the bytes in
//! `[write, read + capacity)` and publishes them by storing `write`
//! (release); the consumer reads the bytes in `[read, write)` and gives
//! them back by storing `read` (release). The two ranges never overlap, so
//! each side works on its own bytes without locks. Under
//! [`Overflow::DropOldest`](crate::Overflow::DropOldest) the producer may
//! also give back the oldest records, but only while holding
//! [`Ring::consumer`], which the consumer holds for as long as it reads.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Records start on this boundary.
pub(crate) const ALIGN: usize = 8;
/// The first 8 bytes of every record: its length and its flags.
pub(crate) const PREFIX: usize = 8;
/// The flag of a wrap marker (no record: skip to the next lap).
pub(crate) const WRAP: u32 = 1 << 31;
/// How far past the write position (in bytes) the producer prefetches:
/// more than a burst of short records takes, so the lines a burst writes
/// are already in this core's cache when it starts.
const AHEAD: usize = 1024;
/// The largest ring (1 GiB), whatever a listener asks for.
const MAX_BYTES: usize = 1 << 30;

/// Keeps its contents on cache lines of their own (128 bytes: adjacent-line
/// prefetching pairs lines on x86).
#[repr(align(128))]
pub(crate) struct CacheAligned<T>(pub(crate) T);

impl<T> std::ops::Deref for CacheAligned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The shared half of a ring.
pub(crate) struct Ring {
    /// The buffer (`capacity` bytes, 8-aligned), owned by the ring.
    buf: *mut u8,
    words: usize,
    mask: usize,
    /// Bytes published by the producer.
    write: CacheAligned<AtomicUsize>,
    /// Bytes given back by the consumer.
    read: CacheAligned<AtomicUsize>,
    /// Held by the consumer while it reads, and by a producer that drops
    /// the oldest records.
    pub(crate) consumer: Mutex<()>,
    /// Records dropped by the overflow policy, not reported yet.
    pub(crate) dropped: AtomicU64,
    /// The producer is gone (its thread ended).
    pub(crate) abandoned: AtomicBool,
    pub(crate) thread_id: u64,
    pub(crate) thread_name: Arc<str>,
    /// Releases what a record owns when it is never read.
    forget: fn(&[u8]),
}

// SAFETY: the buffer is only reached through the producer and consumer
// rules in the module docs (disjoint ranges, handed over by release/acquire
// stores of `write` and `read`); everything else is `Sync` already.
#[allow(unsafe_code)]
unsafe impl Send for Ring {}
// SAFETY: as above.
#[allow(unsafe_code)]
unsafe impl Sync for Ring {}

impl Ring {
    /// A ring of at least `bytes` bytes (rounded up to a power of two, at
    /// least 4 KiB, at most 1 GiB), and its producer. `forget` is called
    /// with each record (not the wrap markers) still in the ring when the
    /// ring is dropped.
    pub(crate) fn new(
        bytes: usize,
        thread_id: u64,
        thread_name: Arc<str>,
        forget: fn(&[u8]),
    ) -> (Producer, Arc<Ring>) {
        let capacity = bytes.clamp(4096, MAX_BYTES).next_power_of_two();
        let words = capacity / ALIGN;
        let buf = Box::into_raw(vec![0u64; words].into_boxed_slice()).cast::<u8>();
        let ring = Arc::new(Ring {
            buf,
            words,
            mask: capacity - 1,
            write: CacheAligned(AtomicUsize::new(0)),
            read: CacheAligned(AtomicUsize::new(0)),
            consumer: Mutex::new(()),
            dropped: AtomicU64::new(0),
            abandoned: AtomicBool::new(false),
            thread_id,
            thread_name,
            forget,
        });
        let producer = Producer {
            ring: Arc::clone(&ring),
            buf,
            mask: capacity - 1,
            write: 0,
            read: 0,
            wake_at: capacity / 4,
        };
        (producer, ring)
    }

    /// Bytes in the buffer.
    pub(crate) fn capacity(&self) -> usize {
        self.mask + 1
    }

    /// True if records are waiting.
    pub(crate) fn has_pending(&self) -> bool {
        self.read.load(Ordering::Acquire) != self.write.load(Ordering::Acquire)
    }

    /// The consumer's view: what it may read now.
    pub(crate) fn readable(&self) -> (usize, usize) {
        (
            self.read.load(Ordering::Acquire),
            self.write.load(Ordering::Acquire),
        )
    }

    /// The record at `pos` (a position in `[read, write)` from
    /// [`readable`](Ring::readable), at a record boundary): its length and
    /// flags, and its bytes (all `len` of them, prefix included). `None` if
    /// the prefix is malformed, which a correct producer never writes.
    ///
    /// Only the consumer may call this, with the bytes up to `pos + len`
    /// not given back yet.
    pub(crate) fn record(&self, pos: usize) -> Option<(u32, &[u8])> {
        let at = pos & self.mask;
        let prefix = self.bytes(at, PREFIX)?;
        let len = u32::from_le_bytes(prefix[..4].try_into().ok()?) as usize;
        let flags = u32::from_le_bytes(prefix[4..8].try_into().ok()?);
        if len < PREFIX || !len.is_multiple_of(ALIGN) {
            return None;
        }
        Some((flags, self.bytes(at, len)?))
    }

    /// Takes the lock that orders the consumer with a producer dropping
    /// the oldest records.
    pub(crate) fn lock_consumer(&self) -> std::sync::MutexGuard<'_, ()> {
        self.consumer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Gives the bytes before `pos` back to the producer.
    pub(crate) fn release(&self, pos: usize) {
        self.read.store(pos, Ordering::Release);
    }

    /// `len` bytes at offset `at`, if they lie inside the buffer.
    fn bytes(&self, at: usize, len: usize) -> Option<&[u8]> {
        if at.checked_add(len)? > self.capacity() {
            return None;
        }
        // SAFETY: `[at, at + len)` lies inside the buffer (checked above).
        // The caller is the consumer and the range is published and not yet
        // given back, so the producer does not write it while the slice
        // lives (module docs).
        #[allow(unsafe_code)]
        Some(unsafe { std::slice::from_raw_parts(self.buf.add(at), len) })
    }

    /// Walks the records in `[from, to)`, calling `forget` on each.
    fn forget_range(&self, mut from: usize, to: usize) {
        while from < to {
            let Some((flags, bytes)) = self.record(from) else {
                return;
            };
            if flags & WRAP == 0 {
                (self.forget)(bytes);
            }
            from += bytes.len();
        }
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        let (read, write) = self.readable();
        self.forget_range(read, write);
        let words = std::ptr::slice_from_raw_parts_mut(self.buf.cast::<u64>(), self.words);
        // SAFETY: `buf` came from `Box::into_raw` of a `[u64]` of `words`
        // elements in `new`, and nothing uses it after the ring is dropped.
        #[allow(unsafe_code)]
        drop(unsafe { Box::from_raw(words) });
    }
}

/// The producing half, owned by the logging thread.
pub(crate) struct Producer {
    ring: Arc<Ring>,
    /// The ring's `buf` and `mask`, kept here so that a record touches
    /// only this thread's memory, the bytes it writes and `write`.
    buf: *mut u8,
    mask: usize,
    /// Where the next record goes (published or not).
    write: usize,
    /// The consumer's `read`, as last loaded.
    read: usize,
    /// When `write` passes this, [`commit`](Producer::commit) looks at how
    /// full the ring is.
    wake_at: usize,
}

impl Producer {
    pub(crate) fn ring(&self) -> &Arc<Ring> {
        &self.ring
    }

    /// Room for a record of at least `min` bytes (a multiple of 8, at most
    /// a quarter of the capacity) at the write position: returns how many
    /// contiguous bytes are free there (at least `min`), or `None` if the
    /// ring is too full. Writes a wrap marker first if the room before the
    /// end of the buffer is smaller than `min`.
    #[inline]
    pub(crate) fn reserve(&mut self, min: usize) -> Option<usize> {
        match self.room_now(min) {
            Some(room) => Some(room),
            None => self.reserve_slow(min),
        }
    }

    /// [`reserve`](Producer::reserve) when it needs nothing but this
    /// side's copies of the positions (no wrap marker, no fresh look at the
    /// consumer's): `None` means call `reserve`.
    #[inline(always)]
    pub(crate) fn room_now(&self, min: usize) -> Option<usize> {
        let capacity = self.mask + 1;
        let at = self.write & self.mask;
        let to_end = capacity - at;
        let free = capacity - (self.write - self.read);
        (free >= min && to_end >= min).then(|| free.min(to_end))
    }

    #[cold]
    fn reserve_slow(&mut self, min: usize) -> Option<usize> {
        self.read = self.ring.read.load(Ordering::Acquire);
        let capacity = self.ring.capacity();
        let at = self.write & self.ring.mask;
        let to_end = capacity - at;
        let free = capacity - (self.write - self.read);
        if to_end < min {
            // Skip to the next lap, if the skipped bytes and `min` after
            // them are free.
            if free < to_end + min {
                return None;
            }
            let mut marker = [0u8; PREFIX];
            marker[..4].copy_from_slice(&(to_end as u32).to_le_bytes());
            marker[4..].copy_from_slice(&WRAP.to_le_bytes());
            self.slot(to_end)[..PREFIX].copy_from_slice(&marker);
            // Not a record: nothing to wake the consumer for.
            let _ = self.commit(to_end);
            return Some(capacity - (self.write - self.read)).filter(|&f| f >= min);
        }
        (free >= min).then_some(free.min(to_end))
    }

    /// The `len` bytes at the write position, for a record being written;
    /// `len` must not exceed what [`reserve`](Producer::reserve) or
    /// [`room_now`](Producer::room_now) returned.
    #[inline]
    pub(crate) fn slot(&mut self, len: usize) -> &mut [u8] {
        let at = self.write & self.mask;
        let len = len.min(self.mask + 1 - at);
        // SAFETY: `[at, at + len)` lies inside the buffer (`len` is cut at
        // its end above). `reserve` checked that these bytes are free: the
        // consumer gave them back and does not read past `write`, which is
        // not published yet, so only this producer touches them while the
        // slice lives; `&mut self` keeps it unique on this side.
        #[allow(unsafe_code)]
        unsafe {
            std::slice::from_raw_parts_mut(self.buf.add(at), len)
        }
    }

    /// Publishes the `len` bytes (a multiple of 8) written at the write
    /// position. Returns true when the ring is found more than half full,
    /// looked at each time a quarter of it has been written: the caller
    /// then wakes the consumer, so that a burst is drained before it fills
    /// the ring. A ring the consumer keeps up with never asks (waking costs
    /// a system call, which would show in the caller's latency).
    #[inline]
    #[must_use]
    pub(crate) fn commit(&mut self, len: usize) -> bool {
        self.write += len;
        self.ring.write.store(self.write, Ordering::Release);
        self.prefetch_ahead();
        if self.write < self.wake_at {
            return false;
        }
        self.half_full()
    }

    /// Asks for the two cache lines from [`AHEAD`] bytes past the write
    /// position to be made writable in this core's cache (`prefetchw`):
    /// as each record moves the position by at most two lines (up to 128
    /// bytes: the records of short messages), every line is asked for
    /// before a record is written to it. The ring's lines were last read
    /// by the listener on another core, or left the cache a lap ago;
    /// without this, each record's first store waits for its line, and a
    /// burst of records stalls on them in turn. (CPUs without the
    /// instruction, Intel's before Broadwell, run it as a no-op.)
    #[inline(always)]
    fn prefetch_ahead(&self) {
        // Miri runs no assembly.
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        for line in [AHEAD, AHEAD + 64] {
            let at = self.buf.wrapping_add((self.write + line) & self.mask);
            // SAFETY: a prefetch reads and writes no memory and never
            // faults; it only moves a line between caches.
            #[allow(unsafe_code)]
            unsafe {
                std::arch::asm!(
                    "prefetchw [{}]",
                    in(reg) at,
                    options(nostack, preserves_flags, readonly)
                );
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn half_full(&mut self) -> bool {
        let capacity = self.mask + 1;
        self.wake_at = self.write + capacity / 4;
        self.read = self.ring.read.load(Ordering::Acquire);
        self.write - self.read > capacity / 2
    }

    /// Drops the oldest record to make room ([`Overflow::DropOldest`]);
    /// false if there is none. `forget` releases what the record owns.
    /// Waits for the consumer's lock, which it holds only while it copies
    /// a record out.
    ///
    /// [`Overflow::DropOldest`]: crate::Overflow::DropOldest
    pub(crate) fn drop_oldest(&mut self) -> bool {
        let _reading = self.ring.lock_consumer();
        let (mut read, write) = self.ring.readable();
        while read < write {
            let Some((flags, bytes)) = self.ring.record(read) else {
                return false;
            };
            read += bytes.len();
            if flags & WRAP == 0 {
                (self.ring.forget)(bytes);
                self.ring.release(read);
                self.read = read;
                return true;
            }
            self.ring.release(read);
            self.read = read;
        }
        false
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        self.ring.abandoned.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    static FORGOTTEN: AtomicUsize = AtomicUsize::new(0);

    fn forget(_: &[u8]) {
        FORGOTTEN.fetch_add(1, Ordering::Relaxed);
    }

    fn put(p: &mut Producer, value: u64, len: usize) -> bool {
        let Some(room) = p.reserve(len) else {
            return false;
        };
        assert!(room >= len);
        let slot = p.slot(len);
        slot[..4].copy_from_slice(&(len as u32).to_le_bytes());
        slot[4..8].copy_from_slice(&0u32.to_le_bytes());
        slot[8..16].copy_from_slice(&value.to_le_bytes());
        let _ = p.commit(len);
        true
    }

    fn take_all(ring: &Ring) -> Vec<u64> {
        let (mut read, write) = ring.readable();
        let mut out = Vec::new();
        while read < write {
            let (flags, bytes) = ring.record(read).expect("a well-formed record");
            if flags & WRAP == 0 {
                out.push(u64::from_le_bytes(bytes[8..16].try_into().unwrap()));
            }
            read += bytes.len();
        }
        ring.release(read);
        out
    }

    #[test]
    fn records_come_out_in_order_across_many_laps() {
        let (mut p, ring) = Ring::new(4096, 1, "t".into(), forget);
        let mut next = 0u64;
        let mut seen = Vec::new();
        for round in 0..if cfg!(miri) { 20 } else { 200 } {
            // Odd sizes so that the wrap point moves every lap.
            let len = 16 + 8 * (round % 7);
            while put(&mut p, next, len) {
                next += 1;
            }
            seen.extend(take_all(&ring));
        }
        assert!(next > 100);
        assert_eq!(seen, (0..next).collect::<Vec<_>>());
    }

    #[test]
    fn a_full_ring_refuses_until_read_and_drop_oldest_makes_room() {
        let (mut p, ring) = Ring::new(4096, 1, "t".into(), forget);
        let mut n = 0;
        while put(&mut p, n, 64) {
            n += 1;
        }
        assert_eq!(n, 4096 / 64);
        assert!(p.drop_oldest());
        assert!(put(&mut p, n, 64));
        let out = take_all(&ring);
        assert_eq!(out.first(), Some(&1));
        assert_eq!(out.last(), Some(&n));
        assert!(!ring.has_pending());
        assert!(!p.drop_oldest());
    }

    #[test]
    fn commit_asks_for_the_consumer_only_when_the_ring_is_half_full() {
        let (mut p, ring) = Ring::new(4096, 1, "t".into(), forget);
        let commit = |p: &mut Producer| {
            let slot = p.slot(64);
            slot[..4].copy_from_slice(&64u32.to_le_bytes());
            slot[4..8].copy_from_slice(&0u32.to_le_bytes());
            p.commit(64)
        };
        // Read as fast as written: never asked, however many laps.
        for _ in 0..1000 {
            assert!(p.reserve(64).is_some());
            assert!(!commit(&mut p));
            take_all(&ring);
        }
        // Not read: asked once more than half is waiting.
        let mut asked = Vec::new();
        for i in 0..48 {
            assert!(p.reserve(64).is_some());
            if commit(&mut p) {
                asked.push(i);
            }
        }
        assert!(!asked.is_empty() && asked[0] >= 32, "{asked:?}");
    }

    #[test]
    fn unread_records_are_forgotten_with_the_ring() {
        let before = FORGOTTEN.load(Ordering::Relaxed);
        let (mut p, ring) = Ring::new(4096, 1, "t".into(), forget);
        for i in 0..10 {
            assert!(put(&mut p, i, 24));
        }
        drop(p);
        assert!(ring.abandoned.load(Ordering::Acquire));
        drop(ring);
        // Other tests may forget records concurrently: at least ours.
        assert!(FORGOTTEN.load(Ordering::Relaxed) - before >= 10);
    }

    #[test]
    fn one_producer_and_one_consumer_on_two_threads() {
        let (mut p, ring) = Ring::new(4096, 1, "t".into(), forget);
        let n: u64 = if cfg!(miri) { 2_000 } else { 200_000 };
        let reader = {
            let ring = Arc::clone(&ring);
            std::thread::spawn(move || {
                let mut expect = 0u64;
                while expect < n {
                    for v in take_all(&ring) {
                        assert_eq!(v, expect);
                        expect += 1;
                    }
                    std::thread::yield_now();
                }
            })
        };
        for i in 0..n {
            while !put(&mut p, i, 16 + 8 * (i as usize % 5)) {
                std::thread::yield_now();
            }
        }
        reader.join().unwrap();
    }
}
