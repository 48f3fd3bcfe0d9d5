//! The format-string grammar of `format_args!`, as `rustc_parse_format`
//! reads it: text with `{{`/`}}` escapes, and placeholders
//! `{[arg][:[[fill]align][sign][#][0][width][.precision][type]]}`.

/// An argument reference in a placeholder or a count.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ArgRef {
    /// `{}` (resolved to the next position), `{0}`, `{:1$}`, `{:.*}`.
    Index(usize),
    /// `{name}`, `{:name$}`: a named argument or an implicit capture.
    Name(String),
}

/// A width or precision.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Count {
    /// None given.
    Implied,
    /// A literal number (`{:8}`).
    Literal(u16),
    /// Taken from an argument (`{:w$}`, `{:1$}`, `{:.*}`).
    Arg(ArgRef),
}

/// One `{...}` of the format string.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Placeholder {
    pub(crate) arg: ArgRef,
    pub(crate) fill: Option<char>,
    pub(crate) align: Option<char>,
    pub(crate) sign: Option<char>,
    pub(crate) alternate: bool,
    pub(crate) zero: bool,
    pub(crate) width: Count,
    pub(crate) precision: Count,
    /// The trait, as written: "", "?", "x?", "X?", "x", "X", "o", "b",
    /// "e", "E" or "p".
    pub(crate) ty: String,
}

/// A part of the format string.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Piece {
    /// Literal text, unescaped (`{{` is `{`).
    Text(String),
    /// A placeholder.
    Arg(Placeholder),
}

/// Parses a format string; the error is the first problem found.
pub(crate) fn parse(input: &str) -> Result<Vec<Piece>, String> {
    let mut parser = Parser {
        chars: input.chars().collect(),
        pos: 0,
        next_arg: 0,
    };
    parser.pieces()
}

/// Like `rustc_lexer::is_id_start`, approximately (`XID_Start` or `_`).
fn is_id_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

/// Like `rustc_lexer::is_id_continue`, approximately.
fn is_id_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// The position the next `{}` (or `.*`) takes.
    next_arg: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_ahead(&self) -> Option<char> {
        self.chars.get(self.pos + 1).copied()
    }

    fn consume(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn pieces(&mut self) -> Result<Vec<Piece>, String> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '{' if self.consume('{') => text.push('{'),
                '}' if self.consume('}') => text.push('}'),
                '{' => {
                    let placeholder = self.placeholder()?;
                    self.ws();
                    if !self.consume('}') {
                        return Err(match self.peek() {
                            Some(c) => format!(
                                "invalid format string: expected `}}`, found `{}`",
                                c.escape_debug()
                            ),
                            None => "invalid format string: expected `}` but string was terminated"
                                .to_owned(),
                        });
                    }
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Arg(placeholder));
                }
                '}' => return Err("invalid format string: unmatched `}` found".to_owned()),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(pieces)
    }

    /// After the `{`: the argument and the spec.
    fn placeholder(&mut self) -> Result<Placeholder, String> {
        let arg = self.position()?;
        self.ws();
        let mut p = Placeholder {
            arg: ArgRef::Index(0),
            fill: None,
            align: None,
            sign: None,
            alternate: false,
            zero: false,
            width: Count::Implied,
            precision: Count::Implied,
            ty: String::new(),
        };
        if self.consume(':') {
            self.spec(&mut p)?;
        }
        // The implicit position is taken after the spec, so that the `.*`
        // of `{:.*}` comes first.
        p.arg = match arg {
            Some(arg) => arg,
            None => {
                self.next_arg += 1;
                ArgRef::Index(self.next_arg - 1)
            }
        };
        Ok(p)
    }

    fn position(&mut self) -> Result<Option<ArgRef>, String> {
        if let Some(i) = self.integer()? {
            return Ok(Some(ArgRef::Index(usize::from(i))));
        }
        if !self.peek().is_some_and(is_id_start) {
            return Ok(None);
        }
        let word = self.word()?;
        if word == "r" && self.peek() == Some('#') && self.peek_ahead().is_some_and(is_id_start) {
            return Err("invalid format string: raw identifiers are not supported".to_owned());
        }
        Ok(Some(ArgRef::Name(word)))
    }

    fn spec(&mut self, p: &mut Placeholder) -> Result<(), String> {
        if let (Some(c), Some('<' | '^' | '>')) = (self.peek(), self.peek_ahead()) {
            p.fill = Some(c);
            self.pos += 1;
        }
        if let Some(c @ ('<' | '^' | '>')) = self.peek() {
            p.align = Some(c);
            self.pos += 1;
        }
        if let Some(c @ ('+' | '-')) = self.peek() {
            p.sign = Some(c);
            self.pos += 1;
        }
        p.alternate = self.consume('#');
        let mut have_width = false;
        if self.consume('0') {
            // `{:0$}` is a width taken from argument 0, not the `0` flag.
            if self.consume('$') {
                p.width = Count::Arg(ArgRef::Index(0));
                have_width = true;
            } else {
                p.zero = true;
            }
        }
        if !have_width {
            p.width = self.count()?;
        }
        if self.consume('.') {
            if self.consume('*') {
                p.precision = Count::Arg(ArgRef::Index(self.next_arg));
                self.next_arg += 1;
            } else {
                p.precision = self.count()?;
            }
        }
        p.ty = if self.consume('x') {
            if self.consume('?') { "x?" } else { "x" }.to_owned()
        } else if self.consume('X') {
            if self.consume('?') { "X?" } else { "X" }.to_owned()
        } else if self.consume('?') {
            if let Some(c @ ('#' | 'x' | 'X')) = self.peek() {
                return Err(format!("invalid format string: expected `}}`, found `{c}`"));
            }
            "?".to_owned()
        } else {
            self.word()?
        };
        match p.ty.as_str() {
            "" | "?" | "x?" | "X?" | "x" | "X" | "o" | "b" | "e" | "E" | "p" => Ok(()),
            other => Err(format!("unknown format trait `{other}`")),
        }
    }

    fn count(&mut self) -> Result<Count, String> {
        if let Some(i) = self.integer()? {
            return Ok(if self.consume('$') {
                Count::Arg(ArgRef::Index(usize::from(i)))
            } else {
                Count::Literal(i)
            });
        }
        let start = self.pos;
        let word = self.word()?;
        if word.is_empty() {
            Ok(Count::Implied)
        } else if self.consume('$') {
            Ok(Count::Arg(ArgRef::Name(word)))
        } else {
            self.pos = start;
            Ok(Count::Implied)
        }
    }

    /// An identifier or keyword, or "" if none starts here.
    fn word(&mut self) -> Result<String, String> {
        let start = self.pos;
        if !self.peek().is_some_and(is_id_start) {
            return Ok(String::new());
        }
        self.pos += 1;
        while self.peek().is_some_and(is_id_continue) {
            self.pos += 1;
        }
        let word: String = self.chars[start..self.pos].iter().collect();
        if word == "_" {
            return Err("invalid format string: invalid argument name `_`".to_owned());
        }
        Ok(word)
    }

    /// A decimal number, which must fit a `u16`.
    fn integer(&mut self) -> Result<Option<u16>, String> {
        let start = self.pos;
        let mut value: u32 = 0;
        let mut overflow = false;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            self.pos += 1;
            value = value * 10 + d;
            if value > u32::from(u16::MAX) {
                overflow = true;
                value = 0;
            }
        }
        if self.pos == start {
            return Ok(None);
        }
        match u16::try_from(value) {
            Ok(v) if !overflow => Ok(Some(v)),
            _ => Err("invalid format string: integer does not fit into the type `u16`".to_owned()),
        }
    }
}

/// Writes a placeholder's spec (what follows the `:`, without the count
/// references), with `width` and `precision` rendered by the caller.
pub(crate) fn render_spec(p: &Placeholder, width: &str, precision: &str) -> String {
    let mut s = String::new();
    if let Some(fill) = p.fill {
        s.push(fill);
    }
    if let Some(align) = p.align {
        s.push(align);
    }
    if let Some(sign) = p.sign {
        s.push(sign);
    }
    if p.alternate {
        s.push('#');
    }
    if p.zero {
        s.push('0');
    }
    s.push_str(width);
    if !precision.is_empty() {
        s.push('.');
        s.push_str(precision);
    }
    s.push_str(&p.ty);
    s
}

#[cfg(test)]
mod tests {
    use super::{ArgRef, Count, Piece, parse};

    fn one(s: &str) -> super::Placeholder {
        match parse(s).unwrap().as_slice() {
            [Piece::Arg(p)] => p.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn specs() {
        let p = one("{:*^+#010.3e}");
        assert_eq!(
            (p.fill, p.align, p.sign, p.alternate, p.zero),
            (Some('*'), Some('^'), Some('+'), true, true)
        );
        assert_eq!(
            (p.width, p.precision, p.ty.as_str()),
            (Count::Literal(10), Count::Literal(3), "e")
        );
        let p = one("{:.*}");
        assert_eq!(
            (p.arg, p.precision),
            (ArgRef::Index(1), Count::Arg(ArgRef::Index(0)))
        );
        let p = one("{:0$}");
        assert_eq!((p.zero, p.width), (false, Count::Arg(ArgRef::Index(0))));
        let p = one("{x:>w$.p$x?}");
        assert_eq!(p.arg, ArgRef::Name("x".into()));
        assert_eq!(p.width, Count::Arg(ArgRef::Name("w".into())));
        assert_eq!(
            (p.precision, p.ty.as_str()),
            (Count::Arg(ArgRef::Name("p".into())), "x?")
        );
        assert_eq!(one("{0 }").arg, ArgRef::Index(0));
        assert_eq!(one("{ }").arg, ArgRef::Index(0));
        assert_eq!(one("{:}>}").fill, Some('}'));
        assert_eq!(parse("a{{b}}c").unwrap(), vec![Piece::Text("a{b}c".into())]);
    }

    #[test]
    fn errors() {
        for bad in [
            "{", "}", "{:q}", "{_}", "{r#x}", "{:?x}", "{70000}", "{:70000}", "{0x}", "{:=}",
            "{ 0}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
