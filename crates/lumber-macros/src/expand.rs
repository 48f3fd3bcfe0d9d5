//! Code generation: the encoder (run where the macro is) and the decoder
//! (a nested `fn`, run on the background thread) of one call site.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::input::Input;
use crate::literal::string_value;
use crate::parse::{ArgRef, Count, Piece, Placeholder, parse, render_spec};

/// What one encoded slot holds.
enum Slot {
    /// A width or precision: the binding it comes from.
    Count(usize),
    /// A placeholder's value.
    Value {
        binding: usize,
        /// The placeholder alone, its counts as arguments 1 and 2: what the
        /// calling thread formats when the value is not `Encode`.
        local: String,
        /// The slots of its counts, in the order `local` takes them.
        counts: Vec<usize>,
        /// `{:p}`: always formatted on the calling thread (an address is
        /// not the value).
        pointer: bool,
    },
}

/// The arguments of the call, resolved: explicit ones (positional, then
/// named), then implicit captures. Binding `i` is `__lumber_a{i}`.
struct Args {
    /// Per binding: its expression and the span its errors point at.
    exprs: Vec<(TokenStream, Span)>,
    /// Per binding: its name (named arguments and captures).
    names: Vec<Option<String>>,
    explicit: usize,
    used: Vec<bool>,
    /// The literal's span: implicit captures resolve there.
    literal_span: Span,
}

impl Args {
    fn lookup(&mut self, arg: &ArgRef) -> Result<usize, String> {
        match arg {
            ArgRef::Index(i) => {
                if *i < self.explicit {
                    self.used[*i] = true;
                    Ok(*i)
                } else {
                    Err(format!(
                        "invalid reference to positional argument {i} ({})",
                        match self.explicit {
                            0 => "no arguments were given".to_owned(),
                            1 => "there is 1 argument".to_owned(),
                            n => format!("there are {n} arguments"),
                        }
                    ))
                }
            }
            ArgRef::Name(name) => {
                if let Some(i) = self.names.iter().position(|n| n.as_deref() == Some(name)) {
                    if i < self.explicit {
                        self.used[i] = true;
                    }
                    return Ok(i);
                }
                // An implicit capture: the identifier, resolved where the
                // literal was written. (Lexed rather than `Ident::new`,
                // which panics on what is not an identifier.)
                let mut tokens = name.parse::<TokenStream>().ok().into_iter().flatten();
                let mut ident = match (tokens.next(), tokens.next()) {
                    (Some(TokenTree::Ident(ident)), None) if ident.to_string() == *name => ident,
                    _ => {
                        return Err(format!(
                            "invalid format string: invalid argument name `{name}`"
                        ));
                    }
                };
                ident.set_span(self.literal_span);
                self.exprs
                    .push((TokenTree::Ident(ident).into(), self.literal_span));
                self.names.push(Some(name.clone()));
                Ok(self.exprs.len() - 1)
            }
        }
    }
}

/// The expansion of `encode_message!`.
pub(crate) fn expand(input: Input) -> TokenStream {
    match generate(&input) {
        Ok(tokens) => tokens,
        Err(message) => invalid(&input, &message),
    }
}

/// For input `format_args!` would reject: `format_args!` itself, on the
/// input as written, for its diagnostics, and our own reason.
fn invalid(input: &Input, message: &str) -> TokenStream {
    let span = input
        .literal_tree
        .as_ref()
        .map_or_else(Span::call_site, TokenTree::span);
    let mut check: Vec<TokenTree> = input.literal_tree.iter().cloned().collect();
    check.extend(input.rest.clone());
    let error = respan(
        tpl(
            "::core::compile_error!($e);",
            &[("e", lit(&format!("lumber: {message}")))],
        ),
        span,
    );
    tpl(
        "{ ::core::format_args!($check); $error }",
        &[("check", check.into_iter().collect()), ("error", error)],
    )
}

fn generate(input: &Input) -> Result<TokenStream, String> {
    let resolved = resolve(input)?;
    let plain = plain_parts(&resolved.pieces, &resolved.slots);
    Ok(code(
        input,
        &resolved.args,
        &resolved.slots,
        &resolved.canonical,
        plain.as_deref(),
    ))
}

/// A call site's format string and arguments, checked and resolved.
struct Resolved {
    pieces: Vec<Piece>,
    args: Args,
    slots: Vec<Slot>,
    canonical: String,
}

fn resolve(input: &Input) -> Result<Resolved, String> {
    let literal = input
        .literal
        .as_ref()
        .ok_or("format argument must be a string literal")?;
    let pieces = parse(&string_value(literal)?)?;
    let call_args = input
        .args
        .as_ref()
        .ok_or("expected `,` and an expression after the format string")?;

    let mut args = Args {
        exprs: Vec::new(),
        names: Vec::new(),
        explicit: call_args.len(),
        used: vec![false; call_args.len()],
        literal_span: literal.span(),
    };
    for arg in call_args {
        if let Some(name) = &arg.name {
            if args.names.iter().any(|n| n.as_ref() == Some(name)) {
                return Err(format!("duplicate argument named `{name}`"));
            }
        } else if args.names.iter().any(Option::is_some) {
            return Err("positional arguments cannot follow named arguments".to_owned());
        }
        // Parenthesised unless one plain token: rustc does not always
        // keep the precedence of an invisible group (a `$e:expr` of
        // `a / b` would make `&a / b`).
        let mut expr: TokenStream = arg.expr.iter().cloned().collect();
        let plain = match arg.expr.as_slice() {
            [TokenTree::Group(g)] => g.delimiter() != Delimiter::None,
            [_] => true,
            _ => false,
        };
        if !plain {
            expr = TokenTree::Group(Group::new(Delimiter::Parenthesis, expr)).into();
        }
        args.exprs.push((expr, arg.span));
        args.names.push(arg.name.clone());
    }

    // The slots, in encoding order, and the decoder's format string, which
    // takes slot `n` as argument `n`.
    let mut slots = Vec::new();
    let mut canonical = String::new();
    for piece in &pieces {
        match piece {
            Piece::Text(text) => canonical.push_str(&text.replace('{', "{{").replace('}', "}}")),
            Piece::Arg(p) => placeholder(p, &mut args, &mut slots, &mut canonical)?,
        }
    }
    if let Some(i) = args.used.iter().position(|used| !used) {
        return Err(match args.names[i].as_deref() {
            Some(name) => format!("named argument `{name}` never used"),
            None => "argument never used".to_owned(),
        });
    }
    Ok(Resolved {
        pieces,
        args,
        slots,
        canonical,
    })
}

/// The expansion of `sync_message!(CALLBACK, CRATE, "format", args...)`:
/// `CALLBACK(message)`, where the message is a `Message::Parts` (text and
/// arguments by reference, written without `fmt::Formatter`) when every
/// placeholder is a plain `{}`, and `Message::Args(format_args!(...))`
/// otherwise, or when the input is not valid (for `format_args!`'s own
/// diagnostics).
pub(crate) fn expand_sync(input: Input) -> TokenStream {
    // `(NAME) ({ BODY })`: the message is bound to NAME for BODY, inline
    // (not a closure, so that BODY may `.await`, `?` or `return`).
    let mut head = input.writer.clone().into_iter();
    let (Some(TokenTree::Group(name)), Some(TokenTree::Group(body)), None) =
        (head.next(), head.next(), head.next())
    else {
        return tpl(
            "::core::compile_error!(\"lumber-macros: expected `(NAME) ({ BODY })`\");",
            &[],
        );
    };
    // `prelude` holds what the message borrows, alive to the end of BODY.
    let bind = |prelude: TokenStream, message: TokenStream| {
        tpl(
            "{ $prelude let $name = $message; $body }",
            &[
                ("prelude", prelude),
                ("name", name.stream()),
                ("message", message),
                ("body", TokenTree::Group(body.clone()).into()),
            ],
        )
    };
    let krate = input.krate.clone();
    let resolved = resolve(&input).ok();
    let plain = resolved
        .as_ref()
        .and_then(|r| plain_parts(&r.pieces, &r.slots));
    let (Some(resolved), Some(plain)) = (resolved, plain) else {
        let mut format: Vec<TokenTree> = input.literal_tree.iter().cloned().collect();
        format.extend(input.rest.clone());
        let span = input
            .literal_tree
            .as_ref()
            .map_or_else(Span::call_site, TokenTree::span);
        let mut args = Group::new(Delimiter::Parenthesis, format.into_iter().collect());
        args.set_span(span);
        return bind(
            TokenStream::new(),
            tpl(
                "$krate::Message::Args(::core::format_args! $args)",
                &[("krate", krate), ("args", TokenTree::Group(args).into())],
            ),
        );
    };
    let mut parts = TokenStream::new();
    // The call site's own writer of the same text (see `Parts::with_writer`).
    let mut writes = TokenStream::new();
    let mut slots = resolved.slots.iter();
    for part in &plain {
        match part {
            Plain::Text(text) if text.is_empty() => {}
            Plain::Text(text) => {
                parts.extend(tpl(
                    "$krate::__private::Part::Text($t),",
                    &[("krate", krate.clone()), ("t", lit(text))],
                ));
                writes.extend(tpl(
                    "$krate::__private::push_short(__lumber_out, $t);",
                    &[("krate", krate.clone()), ("t", lit(text))],
                ));
            }
            Plain::Slot => {
                let Some(Slot::Value { binding, .. }) = slots.next() else {
                    continue;
                };
                let span = resolved
                    .args
                    .exprs
                    .get(*binding)
                    .map_or_else(Span::mixed_site, |(_, span)| *span);
                // The fallback (a value that is not `Encode`) is shown with
                // its `Display`; its error, if it has none, points at it.
                let value = binding_ident(*binding, Span::mixed_site().located_at(span));
                let fallback = tpl(
                    "|| $krate::__private::Part::Display($b)",
                    &[("krate", krate.clone()), ("b", value.clone())],
                );
                writes.extend(tpl(
                    "if !(&$krate::__private::Slot($b)).write_plain(__lumber_out) { return; }",
                    &[("krate", krate.clone()), ("b", value.clone())],
                ));
                parts.extend(tpl(
                    "(&$krate::__private::Slot($b)).part($fallback),",
                    &[
                        ("krate", krate.clone()),
                        ("b", value),
                        ("fallback", fallback),
                    ],
                ));
            }
        }
    }
    if resolved.args.exprs.is_empty() {
        // Text alone: the parts are the text (`Parts::as_str`).
        let prelude = tpl("let __lumber_parts = [$parts];", &[("parts", parts)]);
        let message = tpl(
            "$krate::Message::Parts($krate::__private::Parts::new(&__lumber_parts))",
            &[("krate", krate.clone())],
        );
        return bind(prelude, message);
    }
    let prelude = tpl(
        "use $krate::__private::{\
             SlotPart as _, SlotPartFallback as _, SlotWrite as _, SlotWriteFallback as _,\
         }; \
         let __lumber_parts = [$parts]; \
         let __lumber_write = |__lumber_out: &mut ::std::string::String| { $writes };",
        &[
            ("krate", krate.clone()),
            ("parts", parts),
            ("writes", writes),
        ],
    );
    let message = tpl(
        "$krate::Message::Parts($krate::__private::Parts::with_writer(\
             &__lumber_parts, &__lumber_write))",
        &[("krate", krate.clone())],
    );
    let body = bind(prelude, message);
    if resolved.args.exprs.is_empty() {
        return body;
    }
    let mut scrutinee = TokenStream::new();
    let mut pattern = TokenStream::new();
    for (i, (expr, _)) in resolved.args.exprs.iter().enumerate() {
        scrutinee.extend(tpl("&$e,", &[("e", expr.clone())]));
        pattern.extend(tpl("$b,", &[("b", binding_ident(i, Span::mixed_site()))]));
    }
    tpl(
        "match ($scrutinee) { ($pattern) => $body }",
        &[
            ("scrutinee", scrutinee),
            ("pattern", pattern),
            ("body", body),
        ],
    )
}

/// A part of a message whose placeholders are all plain `{}` (or `{0}`,
/// `{name}`): the decoder writes it without `fmt::Formatter`.
enum Plain {
    Text(String),
    Slot,
}

/// The message as text and slots in order, if no placeholder has a spec,
/// a count, or a trait other than `Display`.
fn plain_parts(pieces: &[Piece], slots: &[Slot]) -> Option<Vec<Plain>> {
    let all_plain = slots.iter().all(|slot| {
        matches!(slot, Slot::Value { local, counts, pointer: false, .. }
            if local == "{0}" && counts.is_empty())
    });
    if !all_plain {
        return None;
    }
    Some(
        pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => Plain::Text(text.clone()),
                Piece::Arg(_) => Plain::Slot,
            })
            .collect(),
    )
}

/// Resolves one placeholder: pushes its slots, and writes its canonical
/// form (`{value_slot:spec}` with counts as `slot$`).
fn placeholder(
    p: &Placeholder,
    args: &mut Args,
    slots: &mut Vec<Slot>,
    canonical: &mut String,
) -> Result<(), String> {
    // The order `format_args!` resolves them in (it fixes the order of
    // implicit captures).
    let binding = args.lookup(&p.arg)?;
    let precision = match &p.precision {
        Count::Arg(arg) => Some(args.lookup(arg)?),
        _ => None,
    };
    let width = match &p.width {
        Count::Arg(arg) => Some(args.lookup(arg)?),
        _ => None,
    };

    let mut counts = Vec::new();
    let mut render =
        |count: &Count, from: Option<usize>, local_index: &mut usize| -> (String, String) {
            match (count, from) {
                (Count::Literal(n), _) => (n.to_string(), n.to_string()),
                (Count::Arg(_), Some(b)) => {
                    slots.push(Slot::Count(b));
                    counts.push(slots.len() - 1);
                    *local_index += 1;
                    (format!("{}$", slots.len() - 1), format!("{local_index}$"))
                }
                _ => (String::new(), String::new()),
            }
        };
    let mut local_index = 0;
    let (width_canonical, width_local) = render(&p.width, width, &mut local_index);
    let (precision_canonical, precision_local) = render(&p.precision, precision, &mut local_index);

    let spec = render_spec(p, &width_canonical, &precision_canonical);
    canonical.push('{');
    canonical.push_str(&slots.len().to_string());
    if !spec.is_empty() {
        canonical.push(':');
        canonical.push_str(&spec);
    }
    canonical.push('}');

    let local_spec = render_spec(p, &width_local, &precision_local);
    let local = if local_spec.is_empty() {
        "{0}".to_owned()
    } else {
        format!("{{0:{local_spec}}}")
    };
    slots.push(Slot::Value {
        binding,
        local,
        counts,
        pointer: p.ty == "p",
    });
    Ok(())
}

fn code(
    input: &Input,
    args: &Args,
    slots: &[Slot],
    canonical: &str,
    plain: Option<&[Plain]>,
) -> TokenStream {
    let krate = &input.krate;
    let w = &input.writer;
    let mut encode = TokenStream::new();
    let mut uses_slot_traits = false;
    for (n, slot) in slots.iter().enumerate() {
        let step = match slot {
            // Typed once, so that a count that is not a `usize` makes one
            // error, at the argument.
            Slot::Count(b) => tpl(
                "let $c: usize = $v; $w.count($c);",
                &[
                    ("c", count_ident(n)),
                    ("v", deref(args, *b)),
                    ("w", w.clone()),
                ],
            ),
            Slot::Value {
                binding,
                local,
                counts,
                pointer,
            } => {
                let mut values = deref(args, *binding);
                for count in counts {
                    values.extend(tpl(",", &[]));
                    values.extend(count_ident(*count));
                }
                let format = tpl(
                    "::core::format_args!($lit, $values)",
                    &[("lit", lit(local)), ("values", values)],
                );
                if *pointer {
                    tpl("$w.pre($format);", &[("w", w.clone()), ("format", format)])
                } else {
                    uses_slot_traits = true;
                    tpl(
                        "(&$krate::__private::Slot($b)).encode_slot($w, \
                         |__lumber_w: &mut $krate::__private::Writer<'_>| __lumber_w.pre($format));",
                        &[
                            ("krate", krate.clone()),
                            ("b", binding_ident(*binding, Span::mixed_site())),
                            ("w", w.clone()),
                            ("format", format),
                        ],
                    )
                }
            }
        };
        encode.extend(step);
    }
    if slots.is_empty() {
        // The writer is used even when there is nothing to write.
        encode = tpl("let _ = &$w;", &[("w", w.clone())]);
    }
    // When every slot is an argument that may travel by value: one check
    // that the region has room for all of them (their summed
    // `encoded_len`), then writes the compiler can see fit. A slot
    // formatted on the spot has no length before it is written
    // (`usize::MAX`), so with one the sum never fits and the checked
    // encoding above runs instead.
    let sized: Vec<usize> = slots
        .iter()
        .filter_map(|slot| match slot {
            Slot::Value {
                binding,
                counts,
                pointer: false,
                ..
            } if counts.is_empty() => Some(*binding),
            _ => None,
        })
        .collect();
    if !slots.is_empty() && sized.len() == slots.len() {
        let mut need = tpl("0usize", &[]);
        let mut writes = TokenStream::new();
        for binding in sized {
            let slot = tpl(
                "(&$krate::__private::Slot($b))",
                &[
                    ("krate", krate.clone()),
                    ("b", binding_ident(binding, Span::mixed_site())),
                ],
            );
            need.extend(tpl(
                ".saturating_add($slot.slot_len())",
                &[("slot", slot.clone())],
            ));
            writes.extend(tpl(
                "$slot.encode_slot_sized(__lumber_sized);",
                &[("slot", slot)],
            ));
        }
        encode = tpl(
            "if !$w.sized($need, |__lumber_sized| { $writes }) { $encode }",
            &[
                ("w", w.clone()),
                ("need", need),
                ("writes", writes),
                ("encode", encode),
            ],
        );
    }
    if uses_slot_traits {
        let imports = tpl(
            "use $krate::__private::{SlotEncode as _, SlotFormat as _};",
            &[("krate", krate.clone())],
        );
        encode = imports.into_iter().chain(encode).collect();
    }

    let decoder = match plain {
        Some(parts) => plain_decoder(krate, parts),
        None => formatting_decoder(krate, slots, canonical),
    };
    let body = tpl(
        "{ $encode $decoder __lumber_decode as $krate::__private::DecodeFn }",
        &[
            ("encode", encode),
            ("decoder", decoder),
            ("krate", krate.clone()),
        ],
    );
    if args.exprs.is_empty() {
        return body;
    }

    // `match (&a, &b) { (__lumber_a0, __lumber_a1) => ... }`: every argument
    // evaluated once, in order, its temporaries alive to the end (as
    // `format_args!` does).
    let mut scrutinee = TokenStream::new();
    let mut pattern = TokenStream::new();
    for (i, (expr, _)) in args.exprs.iter().enumerate() {
        scrutinee.extend(tpl("&$e,", &[("e", expr.clone())]));
        pattern.extend(tpl("$b,", &[("b", binding_ident(i, Span::mixed_site()))]));
    }
    tpl(
        "match ($scrutinee) { ($pattern) => $body }",
        &[
            ("scrutinee", scrutinee),
            ("pattern", pattern),
            ("body", body),
        ],
    )
}

/// The decoder of a message with formatting: each slot into a local, in
/// order, then one `format_args!`.
fn formatting_decoder(krate: &TokenStream, slots: &[Slot], canonical: &str) -> TokenStream {
    let mut reads = TokenStream::new();
    let mut slot_args = TokenStream::new();
    for (n, slot) in slots.iter().enumerate() {
        let method = match slot {
            Slot::Count(_) => "count",
            Slot::Value { .. } => "arg",
        };
        reads.extend(tpl(
            &format!("let $s = __lumber_r.{method}();"),
            &[("s", slot_ident(n))],
        ));
        slot_args.extend(tpl(", $s", &[("s", slot_ident(n))]));
    }
    let reader = if slots.is_empty() { "_" } else { "__lumber_r" };
    tpl(
        &format!(
            "fn __lumber_decode({reader}: &mut $krate::__private::Reader<'_>, __lumber_out: &mut ::std::string::String) {{ \
               $reads \
               let _ = ::core::fmt::Write::write_fmt(__lumber_out, ::core::format_args!($canonical $slot_args)); \
             }}"
        ),
        &[
            ("krate", krate.clone()),
            ("reads", reads),
            ("canonical", lit(canonical)),
            ("slot_args", slot_args),
        ],
    )
}

/// The decoder of a message whose placeholders are all plain: its text
/// pushed as it is and each slot read and written by
/// `Reader::write_display` (as `Arg::write_display` would write it), with
/// no `fmt::Formatter` in between (what `{}` would show, faster).
fn plain_decoder(krate: &TokenStream, parts: &[Plain]) -> TokenStream {
    let mut body = TokenStream::new();
    let mut reads = false;
    for part in parts {
        match part {
            Plain::Text(text) if text.is_empty() => {}
            Plain::Text(text) => body.extend(tpl(
                "$krate::__private::push_short(__lumber_out, $t);",
                &[("krate", krate.clone()), ("t", lit(text))],
            )),
            Plain::Slot => {
                reads = true;
                body.extend(tpl("__lumber_r.write_display(__lumber_out);", &[]));
            }
        }
    }
    let reader = if reads { "__lumber_r" } else { "_" };
    tpl(
        &format!(
            "fn __lumber_decode({reader}: &mut $krate::__private::Reader<'_>, __lumber_out: &mut ::std::string::String) {{ \
               $body \
             }}"
        ),
        &[("krate", krate.clone()), ("body", body)],
    )
}

/// `*__lumber_a{i}`, pointing at argument `i` for diagnostics.
fn deref(args: &Args, i: usize) -> TokenStream {
    let span = args
        .exprs
        .get(i)
        .map_or_else(Span::mixed_site, |(_, span)| {
            Span::mixed_site().located_at(*span)
        });
    let mut star = Punct::new('*', Spacing::Alone);
    star.set_span(span);
    let mut tokens: TokenStream = TokenTree::Punct(star).into();
    tokens.extend(binding_ident(i, span));
    tokens
}

fn binding_ident(i: usize, span: Span) -> TokenStream {
    TokenTree::Ident(Ident::new(&format!("__lumber_a{i}"), span)).into()
}

fn count_ident(n: usize) -> TokenStream {
    TokenTree::Ident(Ident::new(&format!("__lumber_c{n}"), Span::mixed_site())).into()
}

fn slot_ident(n: usize) -> TokenStream {
    TokenTree::Ident(Ident::new(&format!("__lumber_s{n}"), Span::mixed_site())).into()
}

fn lit(s: &str) -> TokenStream {
    let mut literal = Literal::string(s);
    literal.set_span(Span::mixed_site());
    TokenTree::Literal(literal).into()
}

/// `tokens`, all pointing at `span` (the hygiene of `Span::mixed_site()`).
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    let span = Span::mixed_site().located_at(span);
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                tt = TokenTree::Group(Group::new(g.delimiter(), respan(g.stream(), span)));
            }
            tt.set_span(span);
            tt
        })
        .collect()
}

/// Parses `src` (code of this crate's, always valid), with the hygiene of
/// `Span::mixed_site()`, and replaces each `$name` by its hole.
fn tpl(src: &str, holes: &[(&str, TokenStream)]) -> TokenStream {
    match src.parse::<TokenStream>() {
        Ok(tokens) => fill(tokens, holes),
        Err(_) => {
            let message = format!("lumber-macros: invalid template `{src}`");
            fill(
                "::core::compile_error!($m);".parse().unwrap_or_default(),
                &[("m", lit(&message))],
            )
        }
    }
}

fn fill(tokens: TokenStream, holes: &[(&str, TokenStream)]) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                let hole = match iter.peek() {
                    Some(TokenTree::Ident(name)) => {
                        let name = name.to_string();
                        holes.iter().find(|(n, _)| *n == name)
                    }
                    _ => None,
                };
                if let Some((_, tokens)) = hole {
                    iter.next();
                    out.extend(tokens.clone());
                } else {
                    out.extend([TokenTree::Punct(p)]);
                }
            }
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), fill(g.stream(), holes));
                group.set_span(Span::mixed_site());
                out.extend([TokenTree::Group(group)]);
            }
            mut other => {
                other.set_span(Span::mixed_site());
                out.extend([other]);
            }
        }
    }
    out
}
