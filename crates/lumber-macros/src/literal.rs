//! The value of a string literal token, as the compiler reads it: plain
//! strings with every escape (`\n`, `\x7F`, `\u{1F600}`, line
//! continuations), and raw strings (`r"..."`, `r#"..."#`).

use proc_macro::{Delimiter, Literal, TokenTree};

/// The string literal `tt` stands for, looking through the invisible groups
/// that `macro_rules!` fragments (`$fmt:literal`, `$fmt:expr`) arrive in.
pub(crate) fn find_literal(tt: &TokenTree) -> Option<Literal> {
    match tt {
        TokenTree::Literal(lit) => Some(lit.clone()),
        TokenTree::Group(group) if group.delimiter() == Delimiter::None => {
            let mut inner = group.stream().into_iter();
            match (inner.next(), inner.next()) {
                (Some(only), None) => find_literal(&only),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The value of a `"..."` or `r#"..."#` literal, or why it is not one.
pub(crate) fn string_value(lit: &Literal) -> Result<String, String> {
    let text = lit.to_string();
    let not_a_string = || "format argument must be a string literal".to_owned();
    if let Some(body) = text.strip_prefix('"') {
        let end = body.rfind('"').ok_or_else(not_a_string)?;
        check_suffix(&body[end + 1..])?;
        unescape(&body[..end])
    } else if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"').ok_or_else(not_a_string)?;
        let close = format!("\"{}", "#".repeat(hashes));
        let end = body.rfind(&close).ok_or_else(not_a_string)?;
        check_suffix(&body[end + close.len()..])?;
        Ok(body[..end].to_owned())
    } else {
        Err(not_a_string())
    }
}

fn check_suffix(suffix: &str) -> Result<(), String> {
    if suffix.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "suffixes on string literals are invalid: `{suffix}`"
        ))
    }
}

/// Resolves the escapes of a plain string literal's body.
fn unescape(body: &str) -> Result<String, String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let bad = |what: &str| format!("invalid escape in string literal: {what}");
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('0') => out.push('\0'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('x') => {
                let hi = chars.next().and_then(|d| d.to_digit(16));
                let lo = chars.next().and_then(|d| d.to_digit(16));
                match (hi, lo) {
                    (Some(hi), Some(lo)) if hi < 8 => {
                        out.push(char::from(
                            u8::try_from(hi * 16 + lo).map_err(|_| bad("\\x"))?,
                        ));
                    }
                    _ => return Err(bad("\\x")),
                }
            }
            Some('u') => {
                if chars.next() != Some('{') {
                    return Err(bad("\\u"));
                }
                let mut value = 0u32;
                let mut digits = 0;
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('_') => {}
                        Some(d) => {
                            let d = d.to_digit(16).ok_or_else(|| bad("\\u"))?;
                            digits += 1;
                            if digits > 6 {
                                return Err(bad("\\u"));
                            }
                            value = value * 16 + d;
                        }
                        None => return Err(bad("\\u")),
                    }
                }
                if digits == 0 {
                    return Err(bad("\\u"));
                }
                out.push(char::from_u32(value).ok_or_else(|| bad("\\u"))?);
            }
            Some('\n') => {
                while chars
                    .next_if(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                    .is_some()
                {}
            }
            Some('\r') if chars.next() == Some('\n') => {
                while chars
                    .next_if(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                    .is_some()
                {}
            }
            _ => return Err(bad("unknown character escape")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn escapes() {
        assert_eq!(
            unescape(r#"a\n\t\\\"\'\0\x41\u{1F600}\u{e9}"#).unwrap(),
            "a\n\t\\\"'\0A\u{1F600}é"
        );
        assert_eq!(unescape("a\\\n   \t b").unwrap(), "ab");
        assert!(unescape(r"\x80").is_err());
        assert!(unescape(r"\q").is_err());
        assert!(unescape(r"\u{110000}").is_err());
    }
}
