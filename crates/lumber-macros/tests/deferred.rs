//! The deferred-formatting codec end to end: lumber's runtime module
//! (`crates/lumber/src/deferred/`, included by path, so that these tests
//! need nothing else of lumber) with this crate's `encode_message!`.
#![allow(clippy::unwrap_used, missing_docs)]

#[allow(dead_code)]
#[path = "../../lumber/src/deferred/mod.rs"]
mod deferred;

/// What lumber's `__private` re-exports for the generated code.
#[doc(hidden)]
pub mod __private {
    pub use crate::deferred::{
        Arg, DecodeFn, Encode, Part, Parts, Reader, SizedWriter, Slot, SlotEncode, SlotFormat,
        SlotPart, SlotPartFallback, SlotWrite, SlotWriteFallback, Writer, push_short,
    };
    pub use lumber_macros::{encode_message, sync_message};
}

/// lumber's `Message`, as far as `sync_message!` makes it.
pub enum Message<'a> {
    Args(std::fmt::Arguments<'a>),
    Parts(deferred::Parts<'a>),
}

impl Message<'_> {
    /// The text, as lumber's `Message::write_to` makes it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        match self {
            Message::Args(args) => std::fmt::Write::write_fmt(&mut out, *args).unwrap(),
            Message::Parts(parts) => parts.write_to(&mut out),
        }
        out
    }
}

#[path = "../../lumber/src/deferred/tests.rs"]
mod tests;
