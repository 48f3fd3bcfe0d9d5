//! One record on its way through a ring: its layout in the ring's bytes,
//! written on the calling thread, and how the listener turns it back into
//! a [`Record`].
//!
//! A record is a [`Header`] (48 bytes), an [`Ext`] (only if the record has
//! bound fields, a context, an error or stack text, or arguments too large
//! for the ring), then the encoded arguments and fields, padded to 8 bytes.

use std::sync::Arc;

use super::clock::Tick;
use super::ring::{ALIGN, PREFIX};
use crate::context::ContextFrame;
use crate::deferred::{DecodeFn, Reader, Utf8Sink, Writer};
use crate::level::Level;
use crate::logger::Logger;
use crate::record::{Message, Record, Site, Timestamp};
use crate::value::{OwnedFields, Value};

/// `Header::flags`: an [`Ext`] follows the header.
const HAS_EXT: u32 = 1;
/// `Header::flags`: the tick is a TSC reading (else wall-clock ns).
const TSC: u32 = 2;

/// The fixed part of a record. Its first 8 bytes are the ring's record
/// prefix (length, flags).
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Header {
    /// The record's length in the ring, a multiple of 8.
    pub(crate) len: u32,
    pub(crate) flags: u32,
    pub(crate) tick: u64,
    pub(crate) site: &'static Site<'static>,
    pub(crate) decode: DecodeFn,
    pub(crate) logger: Logger,
    pub(crate) level: Level,
    /// Where the fields start in the payload (after the arguments).
    pub(crate) fields_at: u32,
}

pub(crate) const HEADER: usize = size_of::<Header>();
pub(crate) const EXT: usize = size_of::<Ext>();
const _: () =
    assert!(HEADER.is_multiple_of(ALIGN) && EXT.is_multiple_of(ALIGN) && HEADER >= PREFIX);

/// What a record owns, moved into the ring with it and out again by the
/// listener (or by whoever drops the record unread).
#[derive(Default)]
#[repr(C)]
pub(crate) struct Ext {
    pub(crate) bound: Option<Arc<OwnedFields>>,
    pub(crate) context: Option<Arc<ContextFrame>>,
    pub(crate) extra: Option<Box<Extra>>,
    /// The payload, when it did not fit in the ring.
    pub(crate) heap: Option<Box<[u8]>>,
}

/// Text rendered on the calling thread for the rare parts of a record
/// that cannot travel by value: the error chain and the stack.
pub(crate) struct Extra {
    pub(crate) exc_text: Option<String>,
    pub(crate) stack_info: Option<String>,
}

impl Header {
    pub(crate) fn new(
        tick: Tick,
        site: &'static Site<'static>,
        decode: DecodeFn,
        logger: Logger,
        level: Level,
    ) -> Header {
        let (tick, flags) = match tick {
            Tick::Tsc(t) => (t, TSC),
            Tick::Wall(ns) => (ns, 0),
        };
        Header {
            len: 0,
            flags,
            tick,
            site,
            decode,
            logger,
            level,
            fields_at: 0,
        }
    }

    pub(crate) fn tick(&self) -> Tick {
        tick_from(self.tick, self.flags)
    }

    /// Writes the header to the start of `slot`, flagged as followed by an
    /// ext if `has_ext` (one [`put_ext`] or [`put_heap`] wrote there);
    /// returns false (writing nothing) if `slot` is too short. `len` and
    /// `fields_at` must be set.
    #[inline(always)]
    pub(crate) fn write(mut self, has_ext: bool, slot: &mut [u8]) -> bool {
        if slot.len() < HEADER {
            return false;
        }
        if has_ext {
            self.flags |= HAS_EXT;
        }
        // SAFETY: `slot` has room for the header, checked above; unaligned
        // writes need no alignment.
        #[allow(unsafe_code)]
        unsafe {
            std::ptr::write_unaligned(slot.as_mut_ptr().cast::<Header>(), self);
        }
        true
    }

    /// Reads a record written by [`Header::write`]: the header, the ext
    /// if it has one (ownership moves to the caller) and the payload.
    ///
    /// # Safety
    ///
    /// `bytes` must be exactly one record written by `write` (a ring
    /// record without the wrap flag), and no other `take` of the same bytes
    /// may happen: the ext's owned pointers are moved out.
    #[allow(unsafe_code)]
    #[inline(always)]
    pub(crate) unsafe fn take(bytes: &[u8]) -> Option<(Header, Option<Ext>, &[u8])> {
        if bytes.len() < HEADER {
            return None;
        }
        // SAFETY: the caller guarantees `bytes` holds a header written by
        // `write` (checked long enough above).
        let header = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<Header>()) };
        if header.flags & HAS_EXT == 0 {
            return Some((header, None, bytes.get(HEADER..).unwrap_or_default()));
        }
        if bytes.len() < HEADER + EXT {
            return None;
        }
        // SAFETY: `write` put an ext after this header (flag set) and the
        // caller guarantees nobody took it before.
        let ext = unsafe { std::ptr::read_unaligned(bytes.as_ptr().add(HEADER).cast::<Ext>()) };
        Some((
            header,
            Some(ext),
            bytes.get(HEADER + EXT..).unwrap_or_default(),
        ))
    }
}

/// Moves `ext` into `slot`, after the header's place; returns false
/// (dropping `ext`) if `slot` is too short. Ownership passes to whoever
/// reads it back with [`Header::take`] (the listener, or [`forget`]),
/// exactly once; the header written then must say it has an ext.
#[inline(always)]
fn put_ext(slot: &mut [u8], ext: Ext) -> bool {
    let Some(place) = slot.get_mut(HEADER..HEADER + EXT) else {
        return false;
    };
    // SAFETY: `place` is `EXT` bytes of `slot`; unaligned writes need no
    // alignment. What the bytes held before is not dropped: the caller
    // only puts an ext where none is.
    #[allow(unsafe_code)]
    unsafe {
        std::ptr::write_unaligned(place.as_mut_ptr().cast::<Ext>(), ext);
    }
    true
}

/// Gives a record the payload that did not fit in the ring: into the ext
/// that [`put_ext`] put in `slot` if `has_ext`, else into a new one. Returns
/// false (dropping `heap`) if `slot` is too short.
#[cold]
fn put_heap(slot: &mut [u8], has_ext: bool, heap: Box<[u8]>) -> bool {
    if !has_ext {
        return put_ext(
            slot,
            Ext {
                heap: Some(heap),
                ..Ext::default()
            },
        );
    }
    let at = HEADER + std::mem::offset_of!(Ext, heap);
    let Some(place) = slot.get_mut(at..at + size_of::<Option<Box<[u8]>>>()) else {
        return false;
    };
    // SAFETY: `place` is the `heap` field of the ext `put_ext` wrote, which
    // is `None` (the caller's record had not spilled then), so overwriting
    // it without a drop loses nothing; unaligned writes need no alignment.
    #[allow(unsafe_code)]
    unsafe {
        std::ptr::write_unaligned(place.as_mut_ptr().cast::<Option<Box<[u8]>>>(), Some(heap));
    }
    true
}

/// A record being written into its slot. Once an ext is put there it owns
/// it, and drops it again unless the header is written: a `Display` impl
/// that panics while the arguments are encoded, or a slot found too short,
/// must not leak what the ext holds.
pub(crate) struct Pending<'a> {
    slot: &'a mut [u8],
    /// An ext is in the slot, not handed over yet.
    has_ext: bool,
}

impl<'a> Pending<'a> {
    #[inline(always)]
    pub(crate) fn new(slot: &'a mut [u8]) -> Pending<'a> {
        Pending {
            slot,
            has_ext: false,
        }
    }

    /// The slot's bytes from `at` on (where the arguments go).
    #[inline(always)]
    pub(crate) fn from(&mut self, at: usize) -> Option<&mut [u8]> {
        self.slot.get_mut(at..)
    }

    /// Whether an ext is in the slot.
    #[inline(always)]
    pub(crate) fn has_ext(&self) -> bool {
        self.has_ext
    }

    /// [`put_ext`] into the slot; false (dropping `ext`) if it is too short.
    #[inline(always)]
    pub(crate) fn put_ext(&mut self, ext: Ext) -> bool {
        debug_assert!(!self.has_ext);
        self.has_ext = put_ext(self.slot, ext);
        self.has_ext
    }

    /// [`put_heap`] into the slot; false (dropping `heap`) if it is too
    /// short.
    #[inline(always)]
    pub(crate) fn put_heap(&mut self, heap: Box<[u8]>) -> bool {
        let done = put_heap(self.slot, self.has_ext, heap);
        self.has_ext |= done;
        done
    }

    /// Writes the header ([`Header::write`]): from then on the ext belongs
    /// to the record, and whoever reads it takes it. False (the ext then
    /// dropped with `self`) if the slot is too short.
    #[inline(always)]
    pub(crate) fn finish(mut self, header: Header) -> bool {
        let written = header.write(self.has_ext, self.slot);
        if written {
            self.has_ext = false;
        }
        written
    }
}

impl Drop for Pending<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        if !self.has_ext {
            return;
        }
        if let Some(place) = self.slot.get(HEADER..HEADER + EXT) {
            // SAFETY: `has_ext` says `put_ext` wrote an ext here and it was
            // not handed over (`finish` clears the flag when it is); the
            // record is not published, so nobody else reads it; and it is
            // read once, as `self` goes.
            #[allow(unsafe_code)]
            drop(unsafe { std::ptr::read_unaligned(place.as_ptr().cast::<Ext>()) });
        }
    }
}

/// The tick of a record written by [`Header::write`], without taking it.
pub(crate) fn peek_tick(bytes: &[u8]) -> Option<Tick> {
    let prefix = bytes.get(PREFIX..PREFIX + 8)?;
    let tick = u64::from_le_bytes(prefix.try_into().ok()?);
    let flags = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?);
    Some(tick_from(tick, flags))
}

/// A header's raw tick, read with its flags.
fn tick_from(raw: u64, flags: u32) -> Tick {
    if flags & TSC != 0 {
        Tick::Tsc(raw)
    } else {
        Tick::Wall(raw)
    }
}

/// Releases what a record never read owns (the ring's `forget`).
pub(crate) fn forget(bytes: &[u8]) {
    // SAFETY: the ring calls this once per unread record, which nobody
    // reads after it.
    #[allow(unsafe_code)]
    drop(unsafe { Header::take(bytes) });
}

/// A record's length in the ring for `payload` bytes after the header (and
/// the ext).
#[inline(always)]
pub(crate) fn record_len(with_ext: bool, payload: usize) -> usize {
    let n = if with_ext { HEADER + EXT } else { HEADER } + payload;
    n.next_multiple_of(ALIGN)
}

// Field encoding: count (u8), then per field: key length (u8), key bytes,
// tag (u8), value.
const NULL: u8 = 0;
const BOOL: u8 = 1;
const I64: u8 = 2;
const U64: u8 = 3;
const F64: u8 = 4;
const STR: u8 = 5;
const BYTES: u8 = 6;

/// Appends the fields to `out`. Keys longer than 255 bytes are cut;
/// `Display`/`Debug` values are rendered here, on the calling thread.
pub(crate) fn encode_fields(out: &mut Writer<'_>, fields: &[(&str, Value<'_>)]) {
    let n = fields.len().min(255);
    out.bytes(&[n as u8]);
    for (key, value) in &fields[..n] {
        let key = &key.as_bytes()[..key.len().min(255)];
        out.bytes(&[key.len() as u8]);
        out.bytes(key);
        match value {
            Value::Null => out.bytes(&[NULL]),
            Value::Bool(b) => out.bytes(&[BOOL, u8::from(*b)]),
            Value::I64(n) => {
                out.bytes(&[I64]);
                out.bytes(&n.to_le_bytes());
            }
            Value::U64(n) => {
                out.bytes(&[U64]);
                out.bytes(&n.to_le_bytes());
            }
            Value::F64(n) => {
                out.bytes(&[F64]);
                out.bytes(&n.to_le_bytes());
            }
            Value::Str(s) => push_bytes(out, STR, s.as_bytes()),
            Value::Bytes(b) => push_bytes(out, BYTES, b),
            other => {
                out.bytes(&[STR, 0, 0, 0, 0]);
                let start = out.position();
                let _ = std::fmt::write(&mut Utf8Sink(out), format_args!("{other}"));
                let len = u32::try_from(out.position() - start).unwrap_or(u32::MAX);
                out.patch(start - 4, &len.to_le_bytes());
            }
        }
    }
}

fn push_bytes(out: &mut Writer<'_>, tag: u8, b: &[u8]) {
    let b = &b[..b.len().min(u32::MAX as usize)];
    out.bytes(&[tag]);
    out.bytes(&(b.len() as u32).to_le_bytes());
    out.bytes(b);
}

/// Reads fields back; stops quietly at the first malformed byte.
fn decode_fields<'a>(mut bytes: &'a [u8], out: &mut Vec<(&'a str, Value<'a>)>) {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, tail) = bytes.split_at_checked(n)?;
        *bytes = tail;
        Some(head)
    }
    fn num(bytes: &mut &[u8]) -> Option<[u8; 8]> {
        take(bytes, 8).and_then(|b| b.try_into().ok())
    }
    let Some(&count) = bytes.first() else { return };
    bytes = &bytes[1..];
    for _ in 0..count {
        let one = (|| {
            let klen = usize::from(*take(&mut bytes, 1)?.first()?);
            let key = std::str::from_utf8(take(&mut bytes, klen)?).ok()?;
            let tag = *take(&mut bytes, 1)?.first()?;
            let value = match tag {
                NULL => Value::Null,
                BOOL => Value::Bool(*take(&mut bytes, 1)?.first()? != 0),
                I64 => Value::I64(i64::from_le_bytes(num(&mut bytes)?)),
                U64 => Value::U64(u64::from_le_bytes(num(&mut bytes)?)),
                F64 => Value::F64(f64::from_le_bytes(num(&mut bytes)?)),
                STR => {
                    let len = u32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?) as usize;
                    Value::Str(std::str::from_utf8(take(&mut bytes, len)?).ok()?)
                }
                BYTES => {
                    let len = u32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?) as usize;
                    Value::Bytes(take(&mut bytes, len)?)
                }
                _ => return None,
            };
            Some((key, value))
        })();
        match one {
            Some(field) => out.push(field),
            None => return,
        }
    }
}

/// Rebuilds the record and hands it to its logger (on the listener
/// thread), exactly as the synchronous path would have. `payload` is the
/// ring's bytes after the header and ext (the ext's `heap` replaces them).
#[inline]
pub(crate) fn dispatch(
    header: &Header,
    ext: Option<&Ext>,
    payload: &[u8],
    time: Timestamp,
    thread: (u64, &str),
    message: &mut String,
) {
    message.clear();
    let bytes = match ext.and_then(|e| e.heap.as_deref()) {
        Some(heap) => heap,
        None => payload,
    };
    let (args, field_bytes) = bytes.split_at((header.fields_at as usize).min(bytes.len()));
    (header.decode)(&mut Reader::new(args), message);
    let mut fields = Vec::new();
    if field_bytes.first().is_some_and(|&n| n > 0) {
        decode_fields(field_bytes, &mut fields);
    }
    // Built at once (the builder methods would move the record at each
    // step); the time and thread are the call's, not this thread's.
    let (bound, context, extra) = match ext {
        Some(ext) => (
            ext.bound.as_ref().map_or(&[][..], |b| b.as_slice()),
            ext.context.as_ref(),
            ext.extra.as_deref(),
        ),
        None => (&[][..], None, None),
    };
    let mut record = Record::from_call(
        header.logger.name(),
        header.level,
        Message::Str(message),
        header.site,
        &fields,
        bound,
        context,
        None,
        extra.and_then(|e| e.stack_info.as_deref()),
        (time, thread.0, Some(thread.1)),
    );
    if let Some(text) = extra.and_then(|e| e.exc_text.as_deref()) {
        record = record.with_exc_text(text);
    }
    header.logger.handle(&record);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_and_garbage_is_ignored() {
        let d = std::time::Duration::from_millis(5);
        let fields = [
            ("a", Value::I64(-3)),
            ("b", Value::U64(7)),
            ("c", Value::F64(1.5)),
            ("bytes", Value::Bytes(b"\xff\x00ok")),
            ("d", Value::Bool(true)),
            ("e", Value::Null),
            ("f", Value::Str("text")),
            ("g", Value::Debug(&d)),
        ];
        let mut bytes = Vec::new();
        encode_fields(&mut Writer::new(&mut bytes), &fields);
        let mut out = Vec::new();
        decode_fields(&bytes, &mut out);
        let shown: Vec<String> = out.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            shown,
            [
                "a=-3",
                "b=7",
                "c=1.5",
                "bytes=\u{fffd}\0ok",
                "d=true",
                "e=None",
                "f=text",
                "g=5ms"
            ]
        );
        for cut in 0..bytes.len() {
            let mut partial = Vec::new();
            decode_fields(&bytes[..cut], &mut partial);
            assert!(partial.len() <= fields.len());
        }
    }

    fn decode_nothing(_: &mut Reader<'_>, _: &mut String) {}

    static SITE: Site<'static> = Site {
        module_path: "m",
        file: "f.rs",
        line: 1,
        template: "t",
        function: crate::record::Function::Unknown,
    };

    #[test]
    fn a_header_and_its_ext_go_in_and_come_out_once() {
        let logger = crate::get_logger("entry.test");
        let context = Arc::new(ContextFrame::new(OwnedFields::default(), None));
        let mut bytes = vec![0u8; 256];
        for offset in [0, 3] {
            let mut header = Header::new(Tick::Tsc(77), &SITE, decode_nothing, logger, Level::INFO);
            header.len = record_len(true, 5) as u32;
            header.fields_at = 5;
            let ext = Ext {
                context: Some(Arc::clone(&context)),
                heap: Some(vec![1, 2, 3].into()),
                ..Ext::default()
            };
            assert!(put_ext(&mut bytes[offset..], ext));
            assert!(header.write(true, &mut bytes[offset..]));
            assert_eq!(Arc::strong_count(&context), 2);
            assert_eq!(peek_tick(&bytes[offset..]), Some(Tick::Tsc(77)));
            // SAFETY: written just above, taken once.
            #[allow(unsafe_code)]
            let (h, e, payload) = unsafe { Header::take(&bytes[offset..]) }.unwrap();
            let e = e.unwrap();
            assert_eq!((h.len, h.fields_at, h.level), (header.len, 5, Level::INFO));
            assert_eq!(e.heap.as_deref(), Some(&[1u8, 2, 3][..]));
            assert_eq!(payload.len(), 256 - offset - HEADER - EXT);
            drop(e);
            assert_eq!(Arc::strong_count(&context), 1);
        }
        // Without an ext: none comes out, the payload follows the header.
        let mut header = Header::new(Tick::Wall(9), &SITE, decode_nothing, logger, Level::INFO);
        header.len = record_len(false, 5) as u32;
        assert!(header.write(false, &mut bytes));
        // SAFETY: written just above, taken once.
        #[allow(unsafe_code)]
        let (h, e, payload) = unsafe { Header::take(&bytes) }.unwrap();
        assert_eq!(h.tick(), Tick::Wall(9));
        assert!(e.is_none());
        assert_eq!(payload.len(), 256 - HEADER);
        // Too short a slot: nothing written, the ext is dropped.
        let ext = Ext {
            context: Some(Arc::clone(&context)),
            ..Ext::default()
        };
        assert!(!put_ext(&mut bytes[..HEADER + EXT - 1], ext));
        assert_eq!(Arc::strong_count(&context), 1);
        // A record never read is released by `forget`.
        let mut header = Header::new(Tick::Wall(1), &SITE, decode_nothing, logger, Level::INFO);
        header.len = record_len(true, 0) as u32;
        let ext = Ext {
            context: Some(Arc::clone(&context)),
            ..Ext::default()
        };
        assert!(put_ext(&mut bytes, ext));
        assert!(header.write(true, &mut bytes));
        forget(&bytes);
        assert_eq!(Arc::strong_count(&context), 1);
        // A record not finished (a `Display` impl that panicked while the
        // arguments were encoded) drops its ext; a finished one hands it
        // to whoever reads the record.
        let ext = || Ext {
            context: Some(Arc::clone(&context)),
            ..Ext::default()
        };
        {
            let mut pending = Pending::new(&mut bytes);
            assert!(pending.put_ext(ext()));
            assert!(pending.has_ext());
            assert_eq!(Arc::strong_count(&context), 2);
        }
        assert_eq!(Arc::strong_count(&context), 1);
        let mut header = Header::new(Tick::Wall(1), &SITE, decode_nothing, logger, Level::INFO);
        header.len = record_len(true, 0) as u32;
        let mut pending = Pending::new(&mut bytes);
        assert!(pending.put_ext(ext()));
        assert!(pending.finish(header));
        assert_eq!(Arc::strong_count(&context), 2);
        forget(&bytes);
        assert_eq!(Arc::strong_count(&context), 1);
        // A payload that spilled: into the ext already there (which keeps
        // its context), or into a new one.
        for with_context in [true, false] {
            let mut header = Header::new(Tick::Wall(1), &SITE, decode_nothing, logger, Level::INFO);
            header.len = record_len(true, 0) as u32;
            if with_context {
                let ext = Ext {
                    context: Some(Arc::clone(&context)),
                    ..Ext::default()
                };
                assert!(put_ext(&mut bytes, ext));
            }
            assert!(put_heap(&mut bytes, with_context, vec![7, 8].into()));
            assert!(header.write(true, &mut bytes));
            // SAFETY: written just above, taken once.
            #[allow(unsafe_code)]
            let (_, e, _) = unsafe { Header::take(&bytes) }.unwrap();
            let e = e.unwrap();
            assert_eq!(e.heap.as_deref(), Some(&[7u8, 8][..]));
            assert_eq!(e.context.is_some(), with_context);
            drop(e);
            assert_eq!(Arc::strong_count(&context), 1);
        }
    }
}
