//! One record on its way through a ring: what the caller captured, by
//! value, and how the listener turns it back into a [`Record`].

use std::sync::Arc;

use super::clock::Tick;
use crate::context::ContextFrame;
use crate::deferred::{DecodeFn, Reader};
use crate::level::Level;
use crate::logger::Logger;
use crate::record::{Message, Record, Site, Timestamp};
use crate::value::{OwnedFields, Value};

/// Encoded arguments up to this size live inside the entry; larger ones
/// take one allocation.
const INLINE: usize = 64;

pub(crate) enum Payload {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl Payload {
    #[inline(always)]
    pub(crate) fn new(bytes: &[u8]) -> Payload {
        if bytes.len() <= INLINE {
            let mut inline = [0u8; INLINE];
            inline[..bytes.len()].copy_from_slice(bytes);
            Payload::Inline {
                len: bytes.len() as u8,
                bytes: inline,
            }
        } else {
            Payload::Heap(bytes.into())
        }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Payload::Inline { len, bytes } => &bytes[..usize::from(*len).min(INLINE)],
            Payload::Heap(b) => b,
        }
    }
}

/// Text rendered on the calling thread for the rare parts of a record
/// that cannot travel by value: the error chain and the stack.
pub(crate) struct Extra {
    pub(crate) exc_text: Option<String>,
    pub(crate) stack_info: Option<String>,
}

pub(crate) struct Entry {
    pub(crate) tick: Tick,
    pub(crate) logger: Logger,
    pub(crate) level: Level,
    pub(crate) site: &'static Site<'static>,
    pub(crate) decode: DecodeFn,
    /// Message arguments, then fields (from `fields_at`).
    pub(crate) payload: Payload,
    pub(crate) fields_at: u32,
    pub(crate) bound: Option<Arc<OwnedFields>>,
    pub(crate) context: Option<Arc<ContextFrame>>,
    pub(crate) extra: Option<Box<Extra>>,
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
pub(crate) fn encode_fields(out: &mut Vec<u8>, fields: &[(&str, Value<'_>)]) {
    let n = fields.len().min(255);
    out.push(n as u8);
    for (key, value) in &fields[..n] {
        let key = &key.as_bytes()[..key.len().min(255)];
        out.push(key.len() as u8);
        out.extend_from_slice(key);
        match value {
            Value::Null => out.push(NULL),
            Value::Bool(b) => out.extend_from_slice(&[BOOL, u8::from(*b)]),
            Value::I64(n) => {
                out.push(I64);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Value::U64(n) => {
                out.push(U64);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Value::F64(n) => {
                out.push(F64);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Value::Str(s) => push_str(out, s),
            Value::Bytes(b) => {
                out.push(BYTES);
                out.extend_from_slice(&(b.len() as u32).to_le_bytes());
                out.extend_from_slice(b);
            }
            other => {
                out.push(STR);
                let len_at = out.len();
                out.extend_from_slice(&[0; 4]);
                let start = out.len();
                let _ = std::io::Write::write_fmt(out, format_args!("{other}"));
                let len = (out.len() - start) as u32;
                out[len_at..start].copy_from_slice(&len.to_le_bytes());
            }
        }
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(STR);
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
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

impl Entry {
    /// Rebuilds the record and hands it to its logger (on the listener
    /// thread), exactly as the synchronous path would have.
    pub(crate) fn dispatch(&self, time: Timestamp, thread: (u64, &str), message: &mut String) {
        message.clear();
        let bytes = self.payload.bytes();
        let split = (self.fields_at as usize).min(bytes.len());
        let mut reader = Reader::new(&bytes[..split]);
        (self.decode)(&mut reader, message);
        let mut fields = Vec::new();
        decode_fields(&bytes[split..], &mut fields);
        let mut record = Record::new(self.logger.name(), self.level, Message::Str(message))
            .with_static_site(self.site)
            .with_time(time)
            .with_fields(&fields)
            .with_context(self.context.as_ref())
            .with_thread(thread.0, thread.1);
        if let Some(bound) = &self.bound {
            record = record.with_bound(bound.as_slice());
        }
        if let Some(extra) = &self.extra {
            if let Some(text) = &extra.exc_text {
                record = record.with_exc_text(text);
            }
            if let Some(stack) = &extra.stack_info {
                record = record.with_stack_info(stack);
            }
        }
        self.logger.handle(&record);
    }
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
        encode_fields(&mut bytes, &fields);
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

    #[test]
    fn small_payloads_are_inline() {
        assert!(matches!(Payload::new(&[1; 10]), Payload::Inline { .. }));
        assert!(matches!(Payload::new(&[1; 100]), Payload::Heap(_)));
        assert_eq!(Payload::new(&[7; 3]).bytes(), [7, 7, 7]);
    }
}
