//! The procedural macros of lumber. Internal: use them through lumber's
//! logging macros.

mod expand;
mod input;
mod literal;
mod parse;

use proc_macro::TokenStream;

/// `encode_message!(WRITER, CRATE, "format", args...)`: the deferred
/// formatting of one call site.
///
/// `WRITER` is an identifier of a `&mut Writer<'_>` in scope; `CRATE` the
/// path of the lumber crate (`$crate`); what follows is what the user wrote
/// after `format!(`. The expansion:
///
/// 1. evaluates every argument expression exactly once, in the order
///    written (as `format_args!` does; implicit captures `{name}` resolve
///    where the literal was written);
/// 2. encodes into `WRITER` one slot per placeholder, preceded by a
///    `usize` for each width or precision taken from an argument: a value
///    whose type implements `Encode` is encoded by value, any other is
///    formatted on the spot, with its placeholder's spec, into a
///    pre-formatted text;
/// 3. evaluates to the call site's `DecodeFn`, which reads the slots back
///    and formats them with the format string rewritten to take slot `n`
///    as argument `n` (`"{name:>w$}"` becomes `"{1:>0$}"`), producing what
///    `format!` would have produced.
///
/// A format string or argument list `format_args!` rejects is handed to
/// `format_args!` for its diagnostics, with an error of lumber's.
#[proc_macro]
pub fn encode_message(input: TokenStream) -> TokenStream {
    match input::split(input) {
        Ok(input) => expand::expand(input),
        Err(message) => format!("::core::compile_error!({message:?});")
            .parse()
            .unwrap_or_default(),
    }
}

/// `sync_message!((NAME) ({ BODY }), CRATE, "format", args...)`: the
/// message of one synchronous call site, bound to `NAME` (a `Message`) for
/// `BODY`, which is expanded inline (it may `.await` or use `?`).
///
/// When every placeholder is a plain `{}` (or `{0}`, `{name}`), the message
/// is a `Message::Parts`: the text pieces and a reference to each argument
/// (integers, strings, booleans and chars written without
/// `fmt::Formatter`; anything else through its `Display`), formatted only
/// if a handler needs it, like `format_args!`. Any other format string
/// gives `Message::Args(format_args!(...))`, as written.
#[proc_macro]
pub fn sync_message(input: TokenStream) -> TokenStream {
    match input::split(input) {
        Ok(input) => expand::expand_sync(input),
        Err(message) => format!("::core::compile_error!({message:?});")
            .parse()
            .unwrap_or_default(),
    }
}
