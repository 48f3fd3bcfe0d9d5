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
pub struct Parts<'a>(&'a [Part<'a>]);

impl<'a> Parts<'a> {
    /// The message made of `parts`, in order.
    #[inline]
    pub fn new(parts: &'a [Part<'a>]) -> Parts<'a> {
        Parts(parts)
    }

    /// The text, when the message has no arguments.
    pub fn as_str(&self) -> Option<&'static str> {
        match self.0 {
            [] => Some(""),
            [Part::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// Appends the message to `out`: exactly what `format!` makes of the
    /// format string and arguments.
    #[inline]
    pub fn write_to(&self, out: &mut String) {
        for part in self.0 {
            match part {
                Part::Text(text) => out.push_str(text),
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

impl fmt::Display for Parts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in self.0 {
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
