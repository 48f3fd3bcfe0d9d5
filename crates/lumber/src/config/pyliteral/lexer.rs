//! Python's tokens and the lexer that splits a literal's text into them.

use super::{LiteralError, syntax};

/// A token: names, numbers, one string literal (unescaped; `bytes`,
/// `fstring` by prefix), punctuation, a line break outside brackets.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Name(String),
    Int(i128),
    Float(f64),
    Str(String, bool, bool),
    Op(&'static str),
    Newline,
    End,
}

/// A token with its start and end byte offsets.
#[derive(Debug, Clone)]
pub(super) struct Token(pub(super) Tok, pub(super) usize, pub(super) usize);

/// Python's operators and delimiters, longest first.
const OPS: [&str; 46] = [
    "...", "**=", "//=", ">>=", "<<=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", "=",
];

/// Splits `text` into Python tokens.
pub(super) fn lex(text: &str) -> Result<Vec<Token>, LiteralError> {
    let mut lx = Lexer { text, at: 0 };
    let (mut out, mut depth) = (Vec::new(), 0usize);
    while let Some(c) = lx.peek(0) {
        let start = lx.at;
        let tok = match c {
            ' ' | '\t' | '\x0c' | '\r' => {
                lx.bump();
                continue;
            }
            '\\' if lx.peek(1) == Some('\n') => {
                lx.at += 2;
                continue;
            }
            '#' => {
                while lx.peek(0).is_some_and(|c| c != '\n') {
                    lx.bump();
                }
                continue;
            }
            '\n' => {
                lx.bump();
                if depth > 0 {
                    continue;
                }
                Tok::Newline
            }
            '\'' | '"' => lx.string("")?,
            '0'..='9' => lx.number()?,
            '.' if lx.peek(1).is_some_and(|c| c.is_ascii_digit()) => lx.number()?,
            c if c.is_alphabetic() || c == '_' => {
                while lx.peek(0).is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    lx.bump();
                }
                let word = text.get(start..lx.at).unwrap_or_default();
                let prefix = word.to_ascii_lowercase();
                let prefixes = ["r", "u", "b", "br", "rb", "f", "fr", "rf"];
                if prefixes.contains(&prefix.as_str()) && matches!(lx.peek(0), Some('\'' | '"')) {
                    lx.string(&prefix)?
                } else {
                    Tok::Name(word.to_owned())
                }
            }
            _ => {
                let rest = text.get(start..).unwrap_or_default();
                let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                    return Err(syntax(start, format!("invalid character {c:?}")));
                };
                lx.at += op.len();
                match *op {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                Tok::Op(op)
            }
        };
        out.push(Token(tok, start, lx.at));
    }
    out.push(Token(Tok::End, text.len(), text.len()));
    Ok(out)
}

/// The lexer's place in the text.
struct Lexer<'a> {
    text: &'a str,
    at: usize,
}

/// Scanning.
impl Lexer<'_> {
    /// The `n`th character ahead.
    fn peek(&self, n: usize) -> Option<char> {
        self.text.get(self.at..)?.chars().nth(n)
    }

    /// Takes one character.
    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.at += c.len_utf8();
        Some(c)
    }

    /// Digits in `radix` with single underscores between them.
    fn digits(&mut self, radix: u32) -> Result<String, LiteralError> {
        let (start, mut s) = (self.at, String::new());
        while let Some(c) = self.peek(0) {
            let under =
                c == '_' && !s.is_empty() && self.peek(1).is_some_and(|d| d.is_digit(radix));
            if c.is_digit(radix) {
                s.push(c);
            } else if !under {
                break;
            }
            self.bump();
        }
        if s.is_empty() || self.peek(0) == Some('_') {
            return Err(syntax(start, "invalid number literal"));
        }
        Ok(s)
    }

    /// An integer (decimal, `0x`, `0o`, `0b`) or a float.
    fn number(&mut self) -> Result<Tok, LiteralError> {
        let start = self.at;
        let int = |s: &str, radix| {
            let i = i128::from_str_radix(s, radix);
            i.map(Tok::Int)
                .map_err(|_| syntax(start, "integer too large"))
        };
        let radix = match (self.peek(0), self.peek(1).map(|c| c.to_ascii_lowercase())) {
            (Some('0'), Some('x')) => 16,
            (Some('0'), Some('o')) => 8,
            (Some('0'), Some('b')) => 2,
            _ => 10,
        };
        let tok = if radix != 10 {
            self.at += 2;
            if self.peek(0) == Some('_') {
                self.bump();
            }
            int(&self.digits(radix)?, radix)?
        } else {
            let mut s = if self.peek(0) == Some('.') {
                String::new()
            } else {
                self.digits(10)?
            };
            let mut float = self.peek(0) == Some('.');
            if float {
                self.bump();
                s.push('.');
                if self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    s.push_str(&self.digits(10)?);
                }
            }
            let sign = matches!(self.peek(1), Some('+' | '-'));
            let exp = self
                .peek(1 + usize::from(sign))
                .is_some_and(|c| c.is_ascii_digit());
            if matches!(self.peek(0), Some('e' | 'E')) && exp {
                float = true;
                s.push('e');
                self.bump();
                if sign {
                    s.extend(self.bump());
                }
                s.push_str(&self.digits(10)?);
            }
            if matches!(self.peek(0), Some('j' | 'J')) {
                return Err(syntax(start, "complex numbers are not supported"));
            }
            if float {
                Tok::Float(
                    s.parse()
                        .map_err(|_| syntax(start, "invalid number literal"))?,
                )
            } else if s.starts_with('0') && s.bytes().any(|b| b != b'0') {
                let msg =
                    "leading zeros in decimal integer literals are not permitted (0o... is octal)";
                return Err(syntax(start, msg));
            } else {
                int(&s, 10)?
            }
        };
        if self
            .peek(0)
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            return Err(syntax(start, "invalid number literal"));
        }
        Ok(tok)
    }

    /// A string literal after its prefix (lowercased).
    fn string(&mut self, prefix: &str) -> Result<Tok, LiteralError> {
        let start = self.at - prefix.len();
        let (raw, bytes) = (prefix.contains('r'), prefix.contains('b'));
        let q = self.bump().unwrap_or('"');
        let triple = self.peek(0) == Some(q) && self.peek(1) == Some(q);
        self.at += if triple { 2 } else { 0 };
        let unterminated = || syntax(start, "unterminated string literal");
        let mut out: Vec<u8> = Vec::new();
        let push = |out: &mut Vec<u8>, c: char| out.extend(c.encode_utf8(&mut [0; 4]).as_bytes());
        loop {
            let at = self.at;
            let c = self.bump().ok_or_else(unterminated)?;
            if c == q && (!triple || (self.peek(0) == Some(q) && self.peek(1) == Some(q))) {
                self.at += if triple { 2 } else { 0 };
                break;
            }
            if c == '\n' && !triple {
                return Err(unterminated());
            }
            if bytes && !c.is_ascii() {
                return Err(syntax(
                    at,
                    "bytes can only contain ASCII literal characters",
                ));
            }
            if c != '\\' {
                push(&mut out, c);
                continue;
            }
            let e = self.bump().ok_or_else(unterminated)?;
            let simple = match e {
                '\n' if !raw => continue,
                '\\' | '\'' | '"' => e,
                'a' => '\x07',
                'b' => '\x08',
                'f' => '\x0c',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\x0b',
                _ => '\0',
            };
            let width = match e {
                'x' => 2,
                'u' if !bytes => 4,
                'U' if !bytes => 8,
                _ => 0,
            };
            let value = if raw || (simple == '\0' && width == 0 && !e.is_digit(8)) {
                if e == 'N' && !bytes && !raw {
                    return Err(syntax(
                        at,
                        "\\N{...} escapes are not supported: write the character",
                    ));
                }
                push(&mut out, '\\');
                push(&mut out, e);
                continue;
            } else if simple != '\0' {
                u32::from(simple)
            } else if width == 0 {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    let Some(d) = self.peek(0).and_then(|d| d.to_digit(8)) else {
                        break;
                    };
                    v = v * 8 + d;
                    self.bump();
                }
                if bytes { v & 0xff } else { v }
            } else {
                let rest = self.text.get(self.at..).unwrap_or_default();
                let hex: String = rest
                    .chars()
                    .take(width)
                    .take_while(char::is_ascii_hexdigit)
                    .collect();
                if hex.len() != width {
                    return Err(syntax(
                        at,
                        format!("truncated \\{e} escape: expected {width} hex digits"),
                    ));
                }
                self.at += width;
                u32::from_str_radix(&hex, 16).unwrap_or(0)
            };
            if bytes {
                out.push(u8::try_from(value).unwrap_or(0));
            } else {
                let msg = format!(
                    "\\{e} escape is not a Unicode scalar value (surrogates are not supported)"
                );
                push(
                    &mut out,
                    char::from_u32(value).ok_or_else(|| syntax(at, msg))?,
                );
            }
        }
        let s = String::from_utf8(out)
            .map_err(|_| syntax(start, "bytes that are not UTF-8 text are not supported"))?;
        Ok(Tok::Str(s, bytes, prefix.contains('f')))
    }
}
