//! The synchronous path's message: the text pieces of a format string whose
//! placeholders are all plain `{}`, and a reference to each argument, kept
//! as they are until a handler needs the text (as `fmt::Arguments` is), then
//! written without `fmt::Formatter` for what can be (integers, strings,
//! booleans, chars).

use std::fmt;

use super::{Arg, Encode, Slot};

/// One piece of a [`Parts`] message. Made by `sync_message!`.
#[derive(Clone, Copy)]
pub enum Part<'a> {
    /// Text of the format string.
    Text(&'static str),
    /// An argument whose type is [`Encode`], borrowed.
    Arg(Arg<'a>),
    /// Any other argument, shown with its `Display`.
    Display(&'a (dyn fmt::Display + 'a)),
}

/// A message made of [`Part`]s.
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    parts: &'a [Part<'a>],
    /// The call site's own writer of the same text, if it has one.
    write: Option<&'a (dyn Fn(&mut String) + 'a)>,
}

impl<'a> Parts<'a> {
    /// The message made of `parts`, in order.
    #[inline]
    pub fn new(parts: &'a [Part<'a>]) -> Parts<'a> {
        Parts { parts, write: None }
    }

    /// The message made of `parts`, which `write` appends to a `String`
    /// exactly as [`Parts::write_to`] would. `sync_message!` makes one per
    /// call site: its literal pieces have lengths known at compile time and
    /// its arguments known types, so it writes them without the parts'
    /// tags and loop (about half of the message's instructions on the
    /// synchronous path).
    #[inline]
    pub fn with_writer(parts: &'a [Part<'a>], write: &'a (dyn Fn(&mut String) + 'a)) -> Parts<'a> {
        Parts {
            parts,
            write: Some(write),
        }
    }

    /// The text, when the message has no arguments.
    pub fn as_str(&self) -> Option<&'static str> {
        match self.parts {
            [] => Some(""),
            [Part::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// Appends the message to `out`: exactly what `format!` makes of the
    /// format string and arguments.
    #[inline]
    pub fn write_to(&self, out: &mut String) {
        if let Some(write) = self.write {
            write(out);
            return;
        }
        for part in self.parts {
            match part {
                Part::Text(text) => push_short(out, text),
                Part::Arg(arg) => arg.write_display(out),
                Part::Display(value) => {
                    // Stop where `format_args!` would: at a `Display`
                    // that fails (keeping what was written).
                    if fmt::Write::write_fmt(out, format_args!("{value}")).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// `out.push_str(s)`, without a call to `memcpy` when `s` is at most 32
/// bytes (the text pieces and numbers of most messages): the bytes are
/// moved by two fixed-size, overlapping copies, which compile to a few
/// loads and stores.
///
/// Measured on `file_buffered` (callgrind): the message's three pieces
/// cost three `memcpy` calls of about 20 instructions each through the
/// PLT, and the calls' setup; this is a quarter of that.
#[inline(always)]
pub fn push_short(out: &mut String, s: &str) {
    let n = s.len();
    if n > 32 {
        out.push_str(s);
        return;
    }
    out.reserve(n);
    // SAFETY: `reserve(n)` makes room for `n` more bytes after `len`, so
    // `copy_short` writes inside the allocation, into memory `s` (borrowed
    // shared while `out` is borrowed mutably) does not overlap. It writes
    // exactly the bytes of `s`, a whole `str`, after the valid UTF-8
    // already in `out`, so `out` stays UTF-8 once its length covers them.
    #[allow(unsafe_code)]
    unsafe {
        let v = out.as_mut_vec();
        let len = v.len();
        copy_short(s.as_bytes(), v.as_mut_ptr().add(len));
        v.set_len(len + n);
    }
}

/// Copies `src` (at most 64 bytes) to `dst` by two fixed-size copies that
/// overlap, which compile to a few loads and stores, without a call to
/// `memcpy` (whose call and dispatch cost more than the copy for the short
/// texts of most messages).
///
/// # Safety
///
/// `src.len() <= 64`, and `dst` is valid for writes of `src.len()` bytes
/// that do not overlap `src`.
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) unsafe fn copy_short(src: &[u8], dst: *mut u8) {
    let n = src.len();
    let src = src.as_ptr();
    // SAFETY: every read below is within `src[0..n]` and every write within
    // `dst[0..n]` (each pair of copies covers `[0, k)` and `[n - k, n)` with
    // `k <= n`), which the caller guarantees are valid and disjoint.
    unsafe {
        let pair = |k: usize| {
            std::ptr::copy_nonoverlapping(src, dst, k);
            std::ptr::copy_nonoverlapping(src.add(n - k), dst.add(n - k), k);
        };
        match n {
            32..=64 => pair(32),
            16..=31 => pair(16),
            8..=15 => pair(8),
            4..=7 => pair(4),
            1..=3 => {
                *dst = *src;
                *dst.add(n / 2) = *src.add(n / 2);
                *dst.add(n - 1) = *src.add(n - 1);
            }
            _ => {}
        }
    }
}

impl fmt::Display for Parts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in self.parts {
            match part {
                Part::Text(text) => f.write_str(text)?,
                Part::Arg(arg) => fmt::Display::fmt(arg, f)?,
                Part::Display(value) => fmt::Display::fmt(value, f)?,
            }
        }
        Ok(())
    }
}

/// The by-reference path of `sync_message!`: an [`Encode`] argument
/// becomes a [`Part::Arg`]; the fallback is dropped unused.
pub trait SlotPart<'v> {
    /// The argument as a part.
    fn part<F: FnOnce() -> Part<'v>>(&self, fallback: F) -> Part<'v>;
}

impl<'v, T: Encode + ?Sized> SlotPart<'v> for Slot<'v, T> {
    #[inline]
    fn part<F: FnOnce() -> Part<'v>>(&self, _fallback: F) -> Part<'v> {
        Part::Arg(self.0.arg())
    }
}

/// The fallback of `sync_message!`: any other argument is shown with its
/// `Display` (`fallback` makes the [`Part::Display`]).
pub trait SlotPartFallback<'v> {
    /// Calls `fallback()`.
    fn part<F: FnOnce() -> Part<'v>>(&self, fallback: F) -> Part<'v>;
}

impl<'v, T: ?Sized> SlotPartFallback<'v> for &Slot<'v, T> {
    #[inline]
    fn part<F: FnOnce() -> Part<'v>>(&self, fallback: F) -> Part<'v> {
        fallback()
    }
}

/// The call site's writer of `sync_message!`: an [`Encode`] argument is
/// written as [`Arg::write_display`] writes it (its type known here, so
/// the match on the kind of argument folds away).
pub trait SlotWrite {
    /// Appends the value's `{}`; true (it cannot fail).
    fn write_plain(&self, out: &mut String) -> bool;
}

impl<T: Encode + ?Sized> SlotWrite for Slot<'_, T> {
    #[inline(always)]
    fn write_plain(&self, out: &mut String) -> bool {
        self.0.arg().write_display(out);
        true
    }
}

/// The fallback of the call site's writer: any other argument is written
/// with its `Display`; false if that fails (the writer stops there, as
/// `format_args!` would).
pub trait SlotWriteFallback {
    /// Appends the value's `Display`; false if it returned an error.
    fn write_plain(&self, out: &mut String) -> bool;
}

impl<T: fmt::Display + ?Sized> SlotWriteFallback for &Slot<'_, T> {
    #[inline]
    fn write_plain(&self, out: &mut String) -> bool {
        fmt::Write::write_fmt(out, format_args!("{}", self.0)).is_ok()
    }
}

#[cfg(test)]
mod push_short_tests {
    use super::push_short;

    #[test]
    fn push_short_appends_every_length() {
        let text = "héllo, wörld: 0123456789 abcdefghijklmnopqrstuvwxyz, and then some more text past sixty-four bytes";
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let piece = &text[..end];
            let mut out = String::from("> ");
            push_short(&mut out, piece);
            push_short(&mut out, piece);
            assert_eq!(out, format!("> {piece}{piece}"));
            // Appending into a full buffer grows it first.
            let mut tight = String::with_capacity(1);
            tight.push('x');
            push_short(&mut tight, piece);
            assert_eq!(tight, format!("x{piece}"));
        }
    }
}
