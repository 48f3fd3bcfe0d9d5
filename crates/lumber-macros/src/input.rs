//! The macro's input: `WRITER, CRATE, "literal" [, args...] [,]`, split
//! into its parts without parsing the argument expressions.

use proc_macro::{Literal, Spacing, Span, TokenStream, TokenTree};

use crate::literal::find_literal;

/// One argument after the format literal, as written.
pub(crate) struct MacroArg {
    /// `Some` for `name = expr`.
    pub(crate) name: Option<String>,
    /// The expression.
    pub(crate) expr: Vec<TokenTree>,
    /// Where errors about it point: the first token of the expression.
    pub(crate) span: Span,
}

/// The parts of the input.
pub(crate) struct Input {
    /// The `&mut Writer<'_>` identifier.
    pub(crate) writer: TokenStream,
    /// The path of the lumber crate (`$crate`).
    pub(crate) krate: TokenStream,
    /// The format literal's token, as written (`None` if it is not a
    /// literal), and the tree that carried it.
    pub(crate) literal: Option<Literal>,
    pub(crate) literal_tree: Option<TokenTree>,
    /// Everything after the literal, as written (for `format_args!`'s own
    /// diagnostics when the input is not valid).
    pub(crate) rest: TokenStream,
    /// The arguments; `None` if they could not be split (an empty one, or
    /// no comma after the literal).
    pub(crate) args: Option<Vec<MacroArg>>,
}

/// Splits the input; the error is for a malformed `WRITER, CRATE,` head,
/// which only lumber's own macros write.
pub(crate) fn split(input: TokenStream) -> Result<Input, String> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let mut commas = tokens
        .iter()
        .enumerate()
        .filter(|(_, tt)| is_punct(tt, ','))
        .map(|(i, _)| i);
    let head = "expected `WRITER, CRATE, \"format\", args...`".to_owned();
    let (first, second) = match (commas.next(), commas.next()) {
        (Some(a), Some(b)) if a > 0 && b > a + 1 => (a, b),
        _ => return Err(head),
    };
    let writer = tokens[..first].iter().cloned().collect();
    let krate = tokens[first + 1..second].iter().cloned().collect();
    let literal_tree = tokens.get(second + 1).cloned();
    let literal = literal_tree.as_ref().and_then(find_literal);
    let after: &[TokenTree] = tokens.get(second + 2..).unwrap_or_default();
    let rest = after.iter().cloned().collect();
    let args = match after.split_first() {
        None => Some(Vec::new()),
        Some((comma, args)) if is_punct(comma, ',') => split_args(args),
        Some(_) => None,
    };
    Ok(Input {
        writer,
        krate,
        literal,
        literal_tree,
        rest,
        args,
    })
}

fn is_punct(tt: &TokenTree, c: char) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == c)
}

/// Splits `a, b, name = c,` at its top-level commas, as `format_args!`'s
/// expression parser would. Commas inside groups are never top level;
/// neither are those of a turbofish (`f::<A, B>()`), of a qualified path
/// (`<T as Tr<A, B>>::f()`) or of a closure's parameters (`|a, b| a + b`).
/// Anything else (a comma in a type after `as`, say) must be
/// parenthesised.
fn split_args(tokens: &[TokenTree]) -> Option<Vec<MacroArg>> {
    let mut segments: Vec<Vec<TokenTree>> = vec![Vec::new()];
    let mut angle = 0usize;
    let mut in_params = false;
    for tt in tokens {
        let segment = segments.last_mut()?;
        if let TokenTree::Punct(p) = tt {
            match p.as_char() {
                ',' if angle == 0 && !in_params => {
                    segments.push(Vec::new());
                    continue;
                }
                '<' if angle > 0 || after_path_sep(segment) || at_expr_start(segment) => angle += 1,
                '>' if angle > 0 && !after_minus(segment) => angle -= 1,
                '|' if in_params => in_params = false,
                '|' if angle == 0 && at_expr_start(segment) => in_params = true,
                _ => {}
            }
        }
        segment.push(tt.clone());
    }
    // A trailing comma leaves one empty segment; any other is an error.
    if segments.last().is_some_and(Vec::is_empty) {
        segments.pop();
    }
    segments.into_iter().map(to_arg).collect()
}

fn to_arg(segment: Vec<TokenTree>) -> Option<MacroArg> {
    let named = match segment.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq), rest @ ..]
            if eq.as_char() == '='
                && !(eq.spacing() == Spacing::Joint
                    && rest
                        .first()
                        .is_some_and(|next| is_punct(next, '=') || is_punct(next, '>'))) =>
        {
            let name = name.to_string();
            Some(name.strip_prefix("r#").map(str::to_owned).unwrap_or(name))
        }
        _ => None,
    };
    let expr = match named {
        Some(_) => segment.get(2..)?.to_vec(),
        None => segment,
    };
    let span = expr.first()?.span();
    Some(MacroArg {
        name: named,
        expr,
        span,
    })
}

/// `::` ends the segment (a turbofish `<` follows).
fn after_path_sep(segment: &[TokenTree]) -> bool {
    matches!(segment, [.., TokenTree::Punct(a), TokenTree::Punct(b)]
        if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
}

/// A joint `-` ends the segment (`->`).
fn after_minus(segment: &[TokenTree]) -> bool {
    matches!(segment, [.., TokenTree::Punct(p)] if p.as_char() == '-' && p.spacing() == Spacing::Joint)
}

/// Nothing of the expression yet: the segment is empty, is `name =`, or
/// ends with `move`.
fn at_expr_start(segment: &[TokenTree]) -> bool {
    match segment {
        [] => true,
        [TokenTree::Ident(_), TokenTree::Punct(eq)] => eq.as_char() == '=',
        [init @ .., TokenTree::Ident(kw)] if kw.to_string() == "move" => at_expr_start(init),
        _ => false,
    }
}
