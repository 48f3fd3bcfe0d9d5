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
        Arg, DecodeFn, Encode, Reader, Slot, SlotEncode, SlotFormat, Writer,
    };
    pub use lumber_macros::encode_message;
}

#[path = "../../lumber/src/deferred/tests.rs"]
mod tests;
