//! Deferred formatting: the argument codec of the async fast path.
//!
//! On the fast path a logging macro does not format its message on the
//! calling thread. `lumber_macros::encode_message!` (re-exported as
//! `__private::encode_message`) encodes every argument *by value* into a
//! byte buffer through a [`Writer`], and evaluates to the [`DecodeFn`] of
//! its call site. A background thread later hands the bytes to that
//! function through a [`Reader`]; it rebuilds each argument as an [`Arg`]
//! and formats the message with the call site's format string, producing
//! exactly what `format!` would have produced at the call site. When every
//! placeholder is a plain `{}`, the decoder skips `fmt::Formatter`: it
//! pushes the text pieces and reads and writes each argument with
//! [`Reader::write_display`] (the text [`Arg::write_display`] writes).
//!
//! When every argument of a call site travels by value, its encoder first
//! sums their [`Encode::encoded_len`] and, if the ring has that much room
//! at the write position (nearly always), writes them through a
//! [`SizedWriter`]: one check for the record instead of one per write,
//! which the compiler then drops from the writes (a constant for
//! fixed-width arguments). Otherwise, and for call sites with a value
//! formatted on the spot, a width or precision taken from an argument, or
//! a `{:p}`, it writes through the [`Writer`]'s checked methods, which
//! spill to the heap. Both write the same bytes.
//!
//! The synchronous path uses the same types: `sync_message!` keeps such a
//! message as its [`Part`]s (text pieces and arguments by reference, through
//! [`Encode::arg`] or, for other types, their `Display`) until a handler
//! needs the text.
//!
//! What is encoded by value: every integer type, `f32`, `f64`, `bool`,
//! `char`, `str`, `String`, `Cow<str>`, `Box<str>`, `Arc<str>`, `Rc<str>`,
//! and references to any of them (the [`Encode`] trait). Any other value
//! is formatted on the calling thread, with its placeholder's own spec, into
//! a pre-formatted text ([`Arg::Pre`]) that the decoder writes as is.
//!
//! # Wire format
//!
//! A record's arguments are a sequence of *slots*, one per placeholder of
//! the format string in order, preceded by one *count* per width or
//! precision taken from an argument (`{:w$}`, `{:.*}`, `{:1$}`):
//!
//! - a count is a LEB128 varint (`usize`), without tag;
//! - a value is a tag byte followed by its payload: integers, floats
//!   (bit patterns), `bool` and `char` in fixed-width little endian;
//!   strings as a varint byte length and the UTF-8 bytes; pre-formatted
//!   text as a `u32` little-endian byte length and the UTF-8 bytes.
//!
//! The bytes never leave the process: `usize`/`isize` have the native width.
//!
//! # Robustness
//!
//! Decoding never panics: on truncated or corrupt input the [`Reader`]
//! returns an empty [`Arg::Pre`] (which formats as nothing) or a count of 0,
//! stops (every later read returns the same defaults), and reports it
//! through [`Reader::is_corrupt`]. A count above `u16::MAX` counts as
//! corrupt, as std's formatting would panic on it.
//!
//! Encoding runs the fallback's `Display`/`Debug` impls on the calling
//! thread: if one panics, the buffer holds a partial record (clear it before
//! reuse); if one returns an error, the text written so far is kept where
//! `format!` would panic.
//!
//! The tests (`tests.rs`) need the proc macro; they are compiled by
//! `crates/lumber-macros/tests/deferred.rs`, which includes this module by
//! path, so they run without anything else of lumber.

pub(crate) mod arg;
mod codec;
mod parts;

pub use arg::Arg;
// For the round-trip tests, which only `lumber-macros`' test crate builds.
#[cfg(test)]
#[allow(unused_imports)]
pub(crate) use codec::SIZED;
#[allow(unused_imports)]
pub(crate) use codec::Utf8Sink;
pub use codec::{DecodeFn, Encode, Reader, SizedWriter, Slot, SlotEncode, SlotFormat, Writer};
pub use parts::{
    Part, Parts, SlotPart, SlotPartFallback, SlotWrite, SlotWriteFallback, push_short,
};
