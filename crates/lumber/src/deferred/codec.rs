//! The byte codec: [`Writer`] on the calling thread, [`Reader`] on the
//! background thread, [`Encode`] for what travels by value, and the
//! autoref-specialisation helpers ([`Slot`], [`SlotEncode`], [`SlotFormat`])
//! through which the generated code picks, per argument type, between
//! encoding by value and formatting on the spot.

use std::borrow::Cow;
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use super::Arg;

/// The decoder of one call site, made by `encode_message!`: reads the
/// call site's arguments from the [`Reader`] and appends the formatted
/// message to the `String`.
pub type DecodeFn = fn(&mut Reader<'_>, &mut String);

/// The tag byte that precedes each encoded value.
mod tag {
    pub const I8: u8 = 1;
    pub const I16: u8 = 2;
    pub const I32: u8 = 3;
    pub const I64: u8 = 4;
    pub const I128: u8 = 5;
    pub const ISIZE: u8 = 6;
    pub const U8: u8 = 7;
    pub const U16: u8 = 8;
    pub const U32: u8 = 9;
    pub const U64: u8 = 10;
    pub const U128: u8 = 11;
    pub const USIZE: u8 = 12;
    pub const F32: u8 = 13;
    pub const F64: u8 = 14;
    pub const BOOL: u8 = 15;
    pub const CHAR: u8 = 16;
    pub const STR: u8 = 17;
    pub const PRE: u8 = 18;
}

/// Appends encoded arguments to a byte buffer.
///
/// On the fast path the buffer is the free space of the calling thread's
/// ring, so a record is encoded where the listener will read it; if it
/// does not fit, the writer *spills*: what it wrote so far moves to a
/// growable `Vec` and the rest follows it there. [`Writer::new`] writes to
/// a `Vec` from the start.
///
/// Encoding never allocates except to grow that `Vec`: strings are copied
/// in, and values formatted on the spot are formatted straight into the
/// buffer.
pub struct Writer<'a> {
    region: &'a mut [u8],
    len: usize,
    spill: &'a mut Vec<u8>,
    spilled: bool,
}

impl<'a> Writer<'a> {
    /// A writer that appends to `buf` (whatever it holds already is kept).
    pub fn new(buf: &'a mut Vec<u8>) -> Self {
        Writer {
            region: &mut [],
            len: 0,
            spill: buf,
            spilled: true,
        }
    }

    /// A writer into `region`, spilling into `spill` (cleared first) if
    /// `region` is too small.
    #[inline]
    pub(crate) fn in_region(region: &'a mut [u8], spill: &'a mut Vec<u8>) -> Self {
        Writer {
            region,
            len: 0,
            spill,
            spilled: false,
        }
    }

    /// Bytes written: `Ok(n)` if they are the first `n` bytes of the
    /// region, `Err(bytes)` if they spilled.
    #[inline]
    pub(crate) fn written(&self) -> Result<usize, &[u8]> {
        if self.spilled {
            Err(self.spill.as_slice())
        } else {
            Ok(self.len)
        }
    }

    /// Where the next byte goes, counted from the start of the record (or of
    /// the `Vec` given to [`Writer::new`]).
    #[inline]
    pub(crate) fn position(&self) -> usize {
        if self.spilled {
            self.spill.len()
        } else {
            self.len
        }
    }

    /// Appends raw bytes.
    #[inline(always)]
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        // Spilled, the region is empty, so one check covers both cases.
        let end = self.len + bytes.len();
        match self.region.get_mut(self.len..end) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.len = end;
            }
            None => self.spill_bytes(bytes),
        }
    }

    /// Appends to the spill `Vec`, moving what was written there first.
    #[cold]
    #[inline(never)]
    fn spill_bytes(&mut self, bytes: &[u8]) {
        if !self.spilled {
            self.spill.clear();
            self.spill
                .extend_from_slice(self.region.get(..self.len).unwrap_or_default());
            self.spilled = true;
            self.region = &mut [];
            self.len = 0;
        }
        self.spill.extend_from_slice(bytes);
    }

    /// Overwrites bytes written before, from `at` (a [`position`]).
    ///
    /// [`position`]: Writer::position
    pub(crate) fn patch(&mut self, at: usize, bytes: &[u8]) {
        let end = at + bytes.len();
        let dst = if self.spilled {
            self.spill.get_mut(at..end)
        } else {
            self.region.get_mut(at..end.min(self.len))
        };
        if let Some(dst) = dst.filter(|d| d.len() == bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    /// Forgets the bytes from `at` on.
    fn truncate(&mut self, at: usize) {
        if self.spilled {
            self.spill.truncate(at);
        } else {
            self.len = self.len.min(at);
        }
    }

    /// The byte at `at`, if written.
    fn byte(&self, at: usize) -> Option<u8> {
        if self.spilled {
            self.spill.get(at).copied()
        } else {
            self.region.get(..self.len)?.get(at).copied()
        }
    }

    /// Encodes a width or precision taken from an argument (`{:w$}`,
    /// `{:.*}`, `{:1$}`); read back by [`Reader::count`].
    #[inline]
    pub fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    /// Formats `args` on the calling thread, straight into the buffer, as a
    /// pre-formatted text ([`Arg::Pre`]). The fallback for values that are
    /// not [`Encode`]: `args` is the placeholder with its own spec.
    ///
    /// If a `Display`/`Debug` impl returns an error, the text written so far
    /// is kept (where `format!` would panic). A text longer than
    /// `u32::MAX` bytes is cut at a character boundary.
    pub fn pre(&mut self, args: fmt::Arguments<'_>) {
        self.bytes(&[tag::PRE, 0, 0, 0, 0]);
        let start = self.position();
        let len_at = start - 4;
        let _ = fmt::write(&mut Utf8Sink(self), args);
        let mut len = self.position() - start;
        if len > u32::MAX as usize {
            len = u32::MAX as usize;
            // Back up to the start of a character (never past `start`).
            while len > 0 && self.byte(start + len).is_some_and(|b| b & 0xC0 == 0x80) {
                len -= 1;
            }
            self.truncate(start + len);
        }
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        self.patch(len_at, &len.to_le_bytes());
    }

    /// A tag and a fixed-width payload.
    #[inline(always)]
    fn fixed<const N: usize>(&mut self, tag: u8, payload: [u8; N]) {
        self.bytes(&[tag]);
        self.bytes(&payload);
    }

    /// A string: tag, varint byte length, UTF-8 bytes.
    #[inline]
    fn str(&mut self, s: &str) {
        let n = s.len();
        if n < 0x80 {
            // The tag, the one-byte length and the text with one bounds
            // check, and the text copied without a call to `memcpy`.
            let end = self.len + 2 + n;
            if let Some(dst) = self.region.get_mut(self.len..end) {
                short_str(dst, s);
                self.len = end;
                return;
            }
            self.bytes(&[tag::STR, n as u8]);
        } else {
            self.bytes(&[tag::STR]);
            self.varint(n as u64);
        }
        self.bytes(s.as_bytes());
    }

    /// LEB128: 7 bits a byte, least significant first.
    #[inline]
    fn varint(&mut self, v: u64) {
        let (out, n) = varint(v);
        self.bytes(out.get(..n).unwrap_or_default());
    }
}

impl Writer<'_> {
    /// Runs `f` with a [`SizedWriter`] over the rest of the region, if at
    /// least `need` bytes are left there, and returns true; otherwise
    /// writes nothing and returns false (the caller then encodes through
    /// the checked methods, which spill).
    ///
    /// The generated encoders call this with `need` the sum of their
    /// arguments' [`Encode::encoded_len`]: one check for the whole record
    /// instead of one per write, which the compiler can then drop from
    /// the writes themselves (a constant for fixed-width arguments).
    #[inline(always)]
    pub fn sized(&mut self, need: usize, f: impl FnOnce(&mut SizedWriter<'_>)) -> bool {
        let start = self.len;
        let Some(rest) = self.region.get_mut(start..) else {
            return false;
        };
        if rest.len() < need {
            return false;
        }
        let mut sized = SizedWriter {
            region: rest,
            len: 0,
        };
        f(&mut sized);
        self.len = start + sized.len;
        #[cfg(test)]
        SIZED.with(|n| n.set(n.get() + 1));
        true
    }
}

#[cfg(test)]
thread_local! {
    /// How many records this thread encoded through [`Writer::sized`], so
    /// that the tests can see the generated encoders take it.
    pub(crate) static SIZED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Appends encoded values to a region that was checked to have room for
/// them ([`Writer::sized`]). Every write is still bounds-checked, so a
/// value longer than its [`Encode::encoded_len`] cannot write outside the
/// region (its bytes are left out, and the decoder finds the record
/// truncated); the checks are what the compiler removes when it can see
/// the room suffices.
pub struct SizedWriter<'a> {
    region: &'a mut [u8],
    len: usize,
}

impl SizedWriter<'_> {
    /// Appends `bytes`.
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len());
        match self.region.get_mut(self.len..end) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.len = end;
            }
            None => overrun(),
        }
    }

    /// A tag and a fixed-width payload.
    #[inline(always)]
    fn fixed<const N: usize>(&mut self, tag: u8, payload: [u8; N]) {
        self.put(&[tag]);
        self.put(&payload);
    }

    /// A string, as [`Writer`] encodes it.
    #[inline(always)]
    fn str(&mut self, s: &str) {
        let n = s.len();
        if n >= 0x80 {
            self.put(&[tag::STR]);
            let (varint, len) = varint(n as u64);
            self.put(varint.get(..len).unwrap_or_default());
            self.put(s.as_bytes());
            return;
        }
        let end = self.len.saturating_add(2 + n);
        match self.region.get_mut(self.len..end) {
            Some(dst) => {
                short_str(dst, s);
                self.len = end;
            }
            None => overrun(),
        }
    }
}

/// A string of under 128 bytes into `dst` of exactly `2 + s.len()` bytes
/// (anything else is left alone): the tag, the one-byte length and the
/// text, copied without a call to `memcpy` up to 64 bytes.
#[inline(always)]
fn short_str(dst: &mut [u8], s: &str) {
    let n = s.len();
    let Some([tag, len, text @ ..]) = Some(dst).filter(|d| d.len() == 2 + n && n < 0x80) else {
        return;
    };
    *tag = tag::STR;
    *len = n as u8;
    if n <= 64 {
        // SAFETY: `text` is exactly `n` bytes (checked above), borrowed
        // mutably, so apart from `s`.
        #[allow(unsafe_code)]
        unsafe {
            super::parts::copy_short(s.as_bytes(), text.as_mut_ptr());
        }
    } else {
        text.copy_from_slice(s.as_bytes());
    }
}

/// A value wrote more than its [`Encode::encoded_len`] said: a bug in an
/// `Encode` impl (the tests check every impl), never a panic on the
/// logging path. Its bytes were left out, which the decoder reports as a
/// truncated record.
#[cold]
#[inline(never)]
fn overrun() {}

/// The bytes a string of `n` bytes encodes to: exactly `2 + n` for the
/// short strings of almost every message, else an upper bound (the tag,
/// up to 10 bytes of varint, the text).
#[inline(always)]
fn str_len(n: usize) -> usize {
    if n < 0x80 {
        2 + n
    } else {
        n.saturating_add(11)
    }
}

/// LEB128 of `v`: its bytes and how many there are.
#[inline]
fn varint(mut v: u64) -> ([u8; 10], usize) {
    let mut out = [0u8; 10];
    let mut n = 0;
    while v >= 0x80 && n < 9 {
        out[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    out[n] = v as u8;
    (out, n + 1)
}

/// `fmt::Write` into a [`Writer`]'s buffer.
pub(crate) struct Utf8Sink<'w, 'a>(pub(crate) &'w mut Writer<'a>);

impl fmt::Write for Utf8Sink<'_, '_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.bytes(s.as_bytes());
        Ok(())
    }

    fn write_char(&mut self, c: char) -> fmt::Result {
        self.0.bytes(c.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }
}

/// Reads back, in order, what a [`Writer`] wrote.
///
/// Never panics: on truncated or corrupt input, [`arg`](Reader::arg)
/// returns `Arg::default()` (an empty [`Arg::Pre`], which formats as
/// nothing) and [`count`](Reader::count) returns 0; the reader then stops
/// (every later read returns the same defaults) and
/// [`is_corrupt`](Reader::is_corrupt) is true.
pub struct Reader<'a> {
    /// The bytes not read yet (none once corrupt).
    rest: &'a [u8],
    /// The length of the whole input.
    len: usize,
    corrupt: bool,
}

impl<'a> Reader<'a> {
    /// A reader over one record's encoded arguments.
    #[inline]
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader {
            rest: bytes,
            len: bytes.len(),
            corrupt: false,
        }
    }

    /// The next value.
    pub fn arg(&mut self) -> Arg<'a> {
        match self.try_arg() {
            Some(arg) => arg,
            None => {
                self.fail();
                Arg::default()
            }
        }
    }

    /// Reads the next value and appends what `{}` shows for it: the same
    /// as `self.arg().write_display(out)`, in one step (the decoders of
    /// call sites whose placeholders are all plain `{}` use it). Corrupt
    /// input writes nothing, as [`Arg::default`] would.
    pub fn write_display(&mut self, out: &mut String) {
        if self.try_display(out).is_none() {
            self.fail();
        }
    }

    /// The next width or precision. One above `u16::MAX`, which std's
    /// formatting would reject with a panic, counts as corrupt.
    pub fn count(&mut self) -> usize {
        let count = self.varint().and_then(|v| usize::try_from(v).ok());
        match count.filter(|&n| n <= usize::from(u16::MAX)) {
            Some(n) => n,
            None => {
                self.fail();
                0
            }
        }
    }

    /// Whether the input was found truncated or corrupt.
    pub fn is_corrupt(&self) -> bool {
        self.corrupt
    }

    /// How many bytes were read (all of them, after a corrupt input).
    pub fn position(&self) -> usize {
        self.len - self.rest.len()
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }

    #[cold]
    fn fail(&mut self) {
        self.corrupt = true;
        // Nothing is left to read: every later read fails.
        self.rest = &[];
    }

    #[inline(always)]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (bytes, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        Some(bytes)
    }

    #[inline(always)]
    fn fixed<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (bytes, rest) = self.rest.split_first_chunk::<N>()?;
        self.rest = rest;
        Some(*bytes)
    }

    #[inline(always)]
    fn varint(&mut self) -> Option<u64> {
        // One byte (values below 128: most lengths) without the loop.
        match self.rest.split_first() {
            Some((&byte, rest)) if byte & 0x80 == 0 => {
                self.rest = rest;
                Some(u64::from(byte))
            }
            _ => self.varint_long(),
        }
    }

    fn varint_long(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let [byte] = self.fixed::<1>()?;
            let bits = u64::from(byte & 0x7F);
            if shift == 63 && bits > 1 {
                return None;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// `len` bytes of UTF-8.
    #[inline(always)]
    fn text(&mut self, len: usize) -> Option<&'a str> {
        utf8(self.take(len)?)
    }

    /// A string's text: its varint length and bytes.
    #[inline(always)]
    fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.varint()?).ok()?;
        self.text(len)
    }

    /// A pre-formatted text: its `u32` length and bytes.
    #[inline(always)]
    fn pre(&mut self) -> Option<&'a str> {
        let len = usize::try_from(u32::from_le_bytes(self.fixed()?)).ok()?;
        self.text(len)
    }

    #[inline(always)]
    fn try_arg(&mut self) -> Option<Arg<'a>> {
        let [tag] = self.fixed::<1>()?;
        self.arg_tagged(tag)
    }

    /// The value after `tag`.
    fn arg_tagged(&mut self, tag: u8) -> Option<Arg<'a>> {
        Some(match tag {
            tag::I8 => Arg::I8(i8::from_le_bytes(self.fixed()?)),
            tag::I16 => Arg::I16(i16::from_le_bytes(self.fixed()?)),
            tag::I32 => Arg::I32(i32::from_le_bytes(self.fixed()?)),
            tag::I64 => Arg::I64(i64::from_le_bytes(self.fixed()?)),
            tag::I128 => Arg::I128(i128::from_le_bytes(self.fixed()?)),
            tag::ISIZE => Arg::Isize(isize::from_le_bytes(self.fixed()?)),
            tag::U8 => Arg::U8(u8::from_le_bytes(self.fixed()?)),
            tag::U16 => Arg::U16(u16::from_le_bytes(self.fixed()?)),
            tag::U32 => Arg::U32(u32::from_le_bytes(self.fixed()?)),
            tag::U64 => Arg::U64(u64::from_le_bytes(self.fixed()?)),
            tag::U128 => Arg::U128(u128::from_le_bytes(self.fixed()?)),
            tag::USIZE => Arg::Usize(usize::from_le_bytes(self.fixed()?)),
            tag::F32 => Arg::F32(f32::from_bits(u32::from_le_bytes(self.fixed()?))),
            tag::F64 => Arg::F64(f64::from_bits(u64::from_le_bytes(self.fixed()?))),
            tag::BOOL => match self.fixed()? {
                [0] => Arg::Bool(false),
                [1] => Arg::Bool(true),
                _ => return None,
            },
            tag::CHAR => Arg::Char(char::from_u32(u32::from_le_bytes(self.fixed()?))?),
            tag::STR => Arg::Str(self.str()?),
            tag::PRE => Arg::Pre(self.pre()?),
            _ => return None,
        })
    }

    /// [`Reader::write_display`]'s work: the common types (strings and
    /// the integers and floats that fit 64 bits) read and written without
    /// an [`Arg`] in between, the rest through one.
    #[inline(always)]
    fn try_display(&mut self, out: &mut String) -> Option<()> {
        let [tag] = self.fixed::<1>()?;
        let mut buf = itoa::Buffer::new();
        let text = match tag {
            tag::STR => self.str()?,
            tag::PRE => self.pre()?,
            tag::I32 => buf.format(i32::from_le_bytes(self.fixed()?)),
            tag::I64 => buf.format(i64::from_le_bytes(self.fixed()?)),
            tag::U32 => buf.format(u32::from_le_bytes(self.fixed()?)),
            tag::U64 => buf.format(u64::from_le_bytes(self.fixed()?)),
            tag::USIZE => buf.format(usize::from_le_bytes(self.fixed()?)),
            tag::F64 => {
                super::arg::write_float(out, f64::from_bits(u64::from_le_bytes(self.fixed()?)));
                return Some(());
            }
            _ => {
                self.arg_tagged(tag)?.write_display(out);
                return Some(());
            }
        };
        super::push_short(out, text);
        Some(())
    }
}

/// `bytes` as a `str`, if they are UTF-8. ASCII, most of what is logged,
/// is checked a word at a time, without core's general validator (a
/// quarter of the cost on a 40-byte string).
#[inline(always)]
fn utf8(bytes: &[u8]) -> Option<&str> {
    if is_ascii(bytes) {
        // SAFETY: every byte is below 0x80 (checked just above), and a
        // sequence of ASCII bytes is valid UTF-8.
        #[allow(unsafe_code)]
        return Some(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes).ok()
}

/// Whether every byte is below 0x80.
#[inline(always)]
fn is_ascii(bytes: &[u8]) -> bool {
    let (words, tail) = bytes.as_chunks::<8>();
    let mut high = 0u64;
    for word in words {
        high |= u64::from_ne_bytes(*word);
    }
    for &b in tail {
        high |= u64::from(b);
    }
    high & 0x8080_8080_8080_8080 == 0
}

/// A value that travels by value: encoded on the calling thread, decoded
/// into an [`Arg`] that formats exactly as the value would have.
///
/// Implemented for every integer type, `f32`, `f64`, `bool`, `char`, `str`,
/// `String`, `Cow<str>`, `Box<str>`, `Arc<str>`, `Rc<str>`, and `&T` and
/// `&mut T` of those. Types without it are formatted on the calling thread
/// (see [`SlotFormat`]). Sealed: an impl must decode to an [`Arg`] that
/// formats exactly as the value does, under every spec.
pub trait Encode: sealed::Sealed {
    /// Appends this value, tagged, to `w`.
    fn encode(&self, w: &mut Writer<'_>);

    /// The most bytes [`encode`](Encode::encode) writes for this value
    /// (exact for all but long strings).
    fn encoded_len(&self) -> usize;

    /// Appends this value, tagged, to a region with room for
    /// [`encoded_len`](Encode::encoded_len) bytes; the same bytes as
    /// [`encode`](Encode::encode).
    fn encode_sized(&self, w: &mut SizedWriter<'_>);

    /// This value as a decoded argument would be, borrowed (the
    /// synchronous path's message keeps arguments this way).
    fn arg(&self) -> Arg<'_>;
}

mod sealed {
    /// Keeps [`Encode`](super::Encode) to the impls of this module.
    pub trait Sealed {}

    impl<T: Sealed + ?Sized> Sealed for &T {}
    impl<T: Sealed + ?Sized> Sealed for &mut T {}
}

/// `Encode` for fixed-width values, as `to_le_bytes` of the value or of
/// its bits.
macro_rules! encode_fixed {
    ($($ty:ty => $tag:ident / $variant:ident, |$v:ident| $bytes:expr;)*) => {$(
        impl sealed::Sealed for $ty {}

        impl Encode for $ty {
            #[inline(always)]
            fn encode(&self, w: &mut Writer<'_>) {
                let $v = *self;
                w.fixed(tag::$tag, $bytes);
            }

            #[inline(always)]
            fn encoded_len(&self) -> usize {
                let $v = *self;
                1 + $bytes.len()
            }

            #[inline(always)]
            fn encode_sized(&self, w: &mut SizedWriter<'_>) {
                let $v = *self;
                w.fixed(tag::$tag, $bytes);
            }

            #[inline]
            fn arg(&self) -> Arg<'_> {
                Arg::$variant(*self)
            }
        }
    )*};
}

encode_fixed! {
    i8 => I8 / I8, |v| v.to_le_bytes();
    i16 => I16 / I16, |v| v.to_le_bytes();
    i32 => I32 / I32, |v| v.to_le_bytes();
    i64 => I64 / I64, |v| v.to_le_bytes();
    i128 => I128 / I128, |v| v.to_le_bytes();
    isize => ISIZE / Isize, |v| v.to_le_bytes();
    u8 => U8 / U8, |v| v.to_le_bytes();
    u16 => U16 / U16, |v| v.to_le_bytes();
    u32 => U32 / U32, |v| v.to_le_bytes();
    u64 => U64 / U64, |v| v.to_le_bytes();
    u128 => U128 / U128, |v| v.to_le_bytes();
    usize => USIZE / Usize, |v| v.to_le_bytes();
    f32 => F32 / F32, |v| v.to_bits().to_le_bytes();
    f64 => F64 / F64, |v| v.to_bits().to_le_bytes();
    bool => BOOL / Bool, |v| [u8::from(v)];
    char => CHAR / Char, |v| u32::from(v).to_le_bytes();
}

/// `Encode` for `str` and its owners, whose formatting is the `str`'s.
macro_rules! encode_as_str {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}

        impl Encode for $ty {
            #[inline]
            fn encode(&self, w: &mut Writer<'_>) {
                w.str(self);
            }

            #[inline(always)]
            fn encoded_len(&self) -> usize {
                str_len(self.len())
            }

            #[inline(always)]
            fn encode_sized(&self, w: &mut SizedWriter<'_>) {
                w.str(self);
            }

            #[inline]
            fn arg(&self) -> Arg<'_> {
                Arg::Str(self)
            }
        }
    )*};
}

encode_as_str!(str, String, Cow<'_, str>, Box<str>, Arc<str>, Rc<str>);

/// `Encode` for references, as the value they point at.
macro_rules! encode_through {
    ($($ref:ty),*) => {$(
        impl<T: Encode + ?Sized> Encode for $ref {
            #[inline]
            fn encode(&self, w: &mut Writer<'_>) {
                (**self).encode(w);
            }

            #[inline(always)]
            fn encoded_len(&self) -> usize {
                (**self).encoded_len()
            }

            #[inline(always)]
            fn encode_sized(&self, w: &mut SizedWriter<'_>) {
                (**self).encode_sized(w);
            }

            #[inline]
            fn arg(&self) -> Arg<'_> {
                (**self).arg()
            }
        }
    )*};
}

encode_through!(&T, &mut T);

/// One argument of a call site, for autoref specialisation: the generated
/// code calls `(&Slot(&value)).encode_slot(w, fallback)`, which resolves to
/// [`SlotEncode`] when the value's type is [`Encode`] and to
/// [`SlotFormat`] otherwise (including for a type parameter not bounded by
/// `Encode`).
pub struct Slot<'v, T: ?Sized>(pub &'v T);

/// The by-value path: the value is encoded, the fallback is dropped unused.
pub trait SlotEncode {
    /// Encodes the value into `w`.
    fn encode_slot<F: FnOnce(&mut Writer<'_>)>(&self, w: &mut Writer<'_>, fallback: F);

    /// The value's [`Encode::encoded_len`].
    fn slot_len(&self) -> usize;

    /// Encodes the value into a region with room for it.
    fn encode_slot_sized(&self, w: &mut SizedWriter<'_>);
}

impl<T: Encode + ?Sized> SlotEncode for Slot<'_, T> {
    #[inline]
    fn encode_slot<F: FnOnce(&mut Writer<'_>)>(&self, w: &mut Writer<'_>, _fallback: F) {
        self.0.encode(w);
    }

    #[inline(always)]
    fn slot_len(&self) -> usize {
        self.0.encoded_len()
    }

    #[inline(always)]
    fn encode_slot_sized(&self, w: &mut SizedWriter<'_>) {
        self.0.encode_sized(w);
    }
}

/// The fallback path: `fallback` formats the value on the calling thread,
/// with its placeholder's spec, through [`Writer::pre`].
pub trait SlotFormat {
    /// Calls `fallback(w)`.
    fn encode_slot<F: FnOnce(&mut Writer<'_>)>(&self, w: &mut Writer<'_>, fallback: F);

    /// `usize::MAX`: no region has room for a value formatted on the spot
    /// (its length is not known before), so [`Writer::sized`] refuses a
    /// record with one and its encoder takes the checked path.
    fn slot_len(&self) -> usize;

    /// Never called (see [`slot_len`](SlotFormat::slot_len)); writes
    /// nothing.
    fn encode_slot_sized(&self, w: &mut SizedWriter<'_>);
}

impl<T: ?Sized> SlotFormat for &Slot<'_, T> {
    #[inline]
    fn encode_slot<F: FnOnce(&mut Writer<'_>)>(&self, w: &mut Writer<'_>, fallback: F) {
        fallback(w);
    }

    #[inline(always)]
    fn slot_len(&self) -> usize {
        usize::MAX
    }

    #[inline(always)]
    fn encode_slot_sized(&self, _w: &mut SizedWriter<'_>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each value's `encode_sized` writes what `encode` writes, no more
    /// than its `encoded_len`.
    #[test]
    fn encode_sized_is_encode_within_encoded_len() {
        fn check<T: Encode + ?Sized>(value: &T) {
            let mut expected = Vec::new();
            value.encode(&mut Writer::new(&mut expected));
            assert!(expected.len() <= value.encoded_len());
            let mut region = vec![0u8; value.encoded_len()];
            let mut spill = Vec::new();
            let mut w = Writer::in_region(&mut region, &mut spill);
            assert!(w.sized(value.encoded_len(), |s| value.encode_sized(s)));
            let n = w.written().ok();
            assert_eq!(n.map(|n| region[..n].to_vec()), Some(expected));
        }
        check(&-5i8);
        check(&300i16);
        check(&i32::MIN);
        check(&i64::MAX);
        check(&i128::MIN);
        check(&-1isize);
        check(&u8::MAX);
        check(&u16::MAX);
        check(&7u32);
        check(&u64::MAX);
        check(&u128::MAX);
        check(&usize::MAX);
        check(&1.5f32);
        check(&f64::NAN);
        check(&true);
        check(&'é');
        for n in [0, 1, 63, 64, 65, 127, 128, 300, 20_000] {
            let text = "a".repeat(n);
            check(text.as_str());
            check(&text);
            check(&&text);
        }
    }

    /// A region without room for `need` is refused and left as it was.
    #[test]
    fn sized_refuses_a_region_too_small() {
        let mut region = [0u8; 8];
        let mut spill = Vec::new();
        let mut w = Writer::in_region(&mut region, &mut spill);
        w.bytes(&[1, 2, 3]);
        let before = SIZED.with(|n| n.get());
        assert!(!w.sized(6, |_| panic!("not called")));
        assert_eq!(SIZED.with(|n| n.get()), before);
        assert!(w.sized(5, |s| 7u32.encode_sized(s)));
        assert_eq!(SIZED.with(|n| n.get()), before + 1);
        assert_eq!(w.written(), Ok(8));
        assert!(!w.sized(1, |_| panic!("not called")));
        assert!(w.sized(0, |_| {}));
        assert_eq!(region, [1, 2, 3, tag::U32, 7, 0, 0, 0]);
    }

    /// Strings of every length around the short copies' boundaries, into a
    /// region that fits them exactly and into one a byte too small (which
    /// spills), read back whole.
    #[test]
    fn strings_of_every_length_round_trip_through_a_region() {
        let text: String = "0123456789abcdefghijklmnopqrstuvwxyzé"
            .chars()
            .cycle()
            .take(140)
            .collect();
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let s = &text[..end];
            let header = if end < 0x80 { 2 } else { 3 };
            for room in [header + end, header + end - 1] {
                let mut region = vec![0xAAu8; room + 8];
                let mut spill = Vec::new();
                let mut w = Writer::in_region(&mut region[..room], &mut spill);
                s.encode(&mut w);
                let bytes = match w.written() {
                    Ok(n) => {
                        assert_eq!(n, header + end, "length {end}");
                        region[..n].to_vec()
                    }
                    Err(spilled) => spilled.to_vec(),
                };
                // Nothing written past the region.
                assert!(region[room..].iter().all(|&b| b == 0xAA), "length {end}");
                let mut r = Reader::new(&bytes);
                assert!(matches!(r.arg(), Arg::Str(t) if t == s), "length {end}");
                assert!(!r.is_corrupt() && r.remaining().is_empty(), "length {end}");
            }
        }
    }
}
