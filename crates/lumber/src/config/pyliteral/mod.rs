//! Python literals (`ast.literal_eval`'s language) as found in
//! `fileConfig` `args` and `kwargs`.
//!
//! Python evaluates these with `eval`; lumber never runs code. It reads
//! strings (every prefix and escape but `\N{...}`; adjacent ones joined),
//! integers, floats, signs, `True`/`False`/`None`, tuples, lists, dicts, the
//! empty `tuple()`/`list()`/`dict()`, `dict(name=value, ...)`, and the
//! constants real configurations name (`sys.stdout`, `logging.DEBUG`,
//! `handlers.SysLogHandler.LOG_USER`, ...). Any other item (a call, a name,
//! an operator, a lambda, an f-string) is reported with its text.

mod lexer;

use super::node::{Key, Node, Pos, Value};
use lexer::{Tok, Token, lex};

/// Why some text is not a literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LiteralError {
    /// Byte offset of the offending item or token in the text.
    pub(crate) offset: usize,
    /// What is wrong.
    pub(crate) message: String,
    /// True when the item is code (`not a literal: ...`) rather than bad
    /// syntax, so that the caller may say that lumber never runs code.
    pub(crate) code: bool,
}

/// Reads `text` as one Python literal (a bare `a, b` is a tuple). Tuples
/// and lists become [`Value::List`], dicts [`Value::Map`] (number keys
/// written as strings), bytes the UTF-8 text they hold. Each node gets
/// `pos_at(byte offset where it starts)`. Every item that is not a literal
/// is reported; a syntax error ends the reading.
pub(crate) fn parse_literal(
    text: &str,
    pos_at: impl Fn(usize) -> Option<Pos>,
) -> Result<Node, Vec<LiteralError>> {
    let toks = lex(text).map_err(|e| vec![e])?;
    let mut p = Parser {
        text,
        toks,
        i: 0,
        pos_at,
        errors: Vec::new(),
        depth: 0,
    };
    match p.top() {
        Ok(Some(node)) if p.errors.is_empty() => Ok(node),
        Ok(_) => Err(p.errors),
        Err(e) => Err(vec![e]),
    }
}

/// The bracket at `open` is never closed.
fn never_closed(text: &str, open: usize) -> LiteralError {
    let bracket = text
        .get(open..)
        .and_then(|t| t.chars().next())
        .unwrap_or('(');
    syntax(open, format!("`{bracket}` is never closed"))
}

/// A syntax error at `offset`.
fn syntax(offset: usize, message: impl Into<String>) -> LiteralError {
    let message = message.into();
    LiteralError {
        offset,
        message,
        code: false,
    }
}

/// A constant that real configurations name, as lumber reads it.
fn constant(name: &str) -> Option<Value> {
    /// The standard level names.
    const LEVELS: [(&str, i64); 8] = [
        ("CRITICAL", 50),
        ("FATAL", 50),
        ("ERROR", 40),
        ("WARNING", 30),
        ("WARN", 30),
        ("INFO", 20),
        ("DEBUG", 10),
        ("NOTSET", 0),
    ];
    /// `SysLogHandler.LOG_*` facilities, in value order.
    const FACILITIES: [&str; 24] = [
        "KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS", "UUCP", "CRON",
        "AUTHPRIV", "FTP", "NTP", "SECURITY", "CONSOLE", "SOLCRON", "LOCAL0", "LOCAL1", "LOCAL2",
        "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7",
    ];
    /// `SysLogHandler.LOG_*` priorities, in value order.
    const PRIORITIES: [&str; 8] = [
        "EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG",
    ];
    let bare = name.strip_prefix("logging.").unwrap_or(name);
    if let Some((_, level)) = LEVELS.iter().find(|(n, _)| *n == bare) {
        return Some(Value::Int(*level));
    }
    let bare = bare.strip_prefix("handlers.").unwrap_or(bare);
    let index = |list: &[&str], c: &str| {
        list.iter()
            .position(|n| *n == c)
            .and_then(|i| i64::try_from(i).ok())
    };
    match bare {
        "sys.stdout" | "sys.stderr" if bare == name => Some(Value::Str(format!("ext://{name}"))),
        "socket.SOCK_DGRAM" | "socket.SOCK_STREAM" => Some(Value::Str(format!("ext://{bare}"))),
        "SYSLOG_UDP_PORT" | "SYSLOG_TCP_PORT" => Some(Value::Int(514)),
        _ if bare.len() == name.len() => None,
        _ => {
            let c = bare.strip_prefix("SysLogHandler.LOG_")?;
            index(&FACILITIES, c)
                .or_else(|| index(&PRIORITIES, c))
                .map(Value::Int)
        }
    }
}

/// What one item turned out to be.
enum Item {
    /// A literal.
    Lit(Node),
    /// Code, not reported yet.
    Code,
    /// A literal with problems inside, reported already.
    Bad,
}

/// Reads items from the tokens of one literal.
struct Parser<'a, F> {
    text: &'a str,
    toks: Vec<Token>,
    i: usize,
    pos_at: F,
    errors: Vec<LiteralError>,
    /// How many containers deep the parser is.
    depth: usize,
}

/// How deeply containers may nest (CPython's parser stops at 200
/// parentheses); deeper input is refused rather than overflowing the
/// stack.
const MAX_DEPTH: usize = 100;

/// Parsing.
impl<F: Fn(usize) -> Option<Pos>> Parser<'_, F> {
    /// The token at hand (the end, past it).
    fn tok(&self) -> &Token {
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    /// True if the token at hand is `op`.
    fn is(&self, op: &str) -> bool {
        matches!(self.tok().0, Tok::Op(o) if o == op)
    }

    /// Takes the token at hand if it is `op`.
    fn eat(&mut self, op: &str) -> bool {
        let yes = self.is(op);
        self.i += usize::from(yes);
        yes
    }

    /// Eats the `op` that closes the bracket at `open`.
    fn close(&mut self, op: &str, open: usize) -> Result<(), LiteralError> {
        if self.eat(op) {
            Ok(())
        } else if self.tok().0 == Tok::End {
            Err(never_closed(self.text, open))
        } else {
            Err(self.unexpected())
        }
    }

    /// A syntax error at the token at hand.
    fn unexpected(&self) -> LiteralError {
        let Token(tok, start, end) = self.tok();
        match tok {
            Tok::End => syntax(*start, "unexpected end of the value"),
            Tok::Newline => syntax(
                *start,
                "unexpected line break (wrap the value in parentheses)",
            ),
            _ => syntax(
                *start,
                format!(
                    "invalid syntax at {:?}",
                    self.text.get(*start..*end).unwrap_or_default()
                ),
            ),
        }
    }

    /// A literal starting at byte `start`.
    fn lit(&self, value: Value, start: usize) -> Item {
        Item::Lit(Node::new(value, (self.pos_at)(start)))
    }

    /// True at what ends an item: `,`, a closing bracket, the end (and
    /// `:` after a dict key).
    fn at_item_end(&self, key: bool) -> bool {
        match self.tok().0 {
            Tok::Op(o) => [",", ")", "]", "}"].contains(&o) || (key && o == ":"),
            Tok::End | Tok::Newline => true,
            _ => false,
        }
    }

    /// The whole text: one item, or a tuple without parentheses.
    fn top(&mut self) -> Result<Option<Node>, LiteralError> {
        while self.tok().0 == Tok::Newline {
            self.i += 1;
        }
        if self.tok().0 == Tok::End {
            return Err(syntax(0, "expected a value"));
        }
        let start = self.tok().1;
        let first = self.item(false)?;
        let node = if self.is(",") {
            self.seq(first, start, None)?
        } else {
            first
        };
        while self.tok().0 == Tok::Newline {
            self.i += 1;
        }
        if self.tok().0 != Tok::End {
            return Err(self.unexpected());
        }
        Ok(node)
    }

    /// One item; code is reported from its start to the end of the item.
    fn item(&mut self, key: bool) -> Result<Option<Node>, LiteralError> {
        let start = self.tok().1;
        let mut item = self.value()?;
        if !self.at_item_end(key) {
            item = Item::Code;
            let mut open = Vec::new();
            while !open.is_empty() || !self.at_item_end(key) {
                match self.tok() {
                    Token(Tok::Op("(" | "[" | "{"), at, _) => open.push(*at),
                    Token(Tok::Op(")" | "]" | "}"), ..) => _ = open.pop(),
                    Token(Tok::End, ..) => {
                        return Err(never_closed(self.text, open.pop().unwrap_or(0)));
                    }
                    _ => {}
                }
                self.i += 1;
            }
        }
        match item {
            Item::Lit(node) => Ok(Some(node)),
            Item::Bad => Ok(None),
            Item::Code => {
                let end = self.toks[self.i.saturating_sub(1)].2.max(start);
                self.errors.retain(|e| e.offset < start || e.offset >= end);
                let src = self.text.get(start..end).unwrap_or_default().trim();
                let message = format!("not a literal: {src}");
                self.errors.push(LiteralError {
                    offset: start,
                    message,
                    code: true,
                });
                Ok(None)
            }
        }
    }

    /// A value; stops at the first token that cannot continue a literal.
    fn value(&mut self) -> Result<Item, LiteralError> {
        if self.depth >= MAX_DEPTH {
            let at = self.tok().1;
            return Err(syntax(at, format!("nested more than {MAX_DEPTH} deep")));
        }
        self.depth += 1;
        let item = self.value_at_depth();
        self.depth -= 1;
        item
    }

    fn value_at_depth(&mut self) -> Result<Item, LiteralError> {
        let Token(tok, start, _) = self.tok().clone();
        self.i += 1;
        Ok(match tok {
            Tok::Op("-" | "+") => {
                let mut sign = if tok == Tok::Op("-") { -1 } else { 1 };
                while self.is("-") || self.is("+") {
                    sign *= if self.eat("-") {
                        -1
                    } else {
                        i32::from(self.eat("+"))
                    };
                }
                match self.tok().0 {
                    Tok::Int(i) => self.int(i * i128::from(sign), start),
                    Tok::Float(f) => {
                        self.i += 1;
                        self.lit(Value::Float(f * f64::from(sign)), start)
                    }
                    _ if self.at_item_end(false) => return Err(self.unexpected()),
                    _ => return Ok(Item::Code),
                }
            }
            Tok::Int(i) => {
                self.i -= 1;
                self.int(i, start)
            }
            Tok::Float(f) => self.lit(Value::Float(f), start),
            Tok::Str(..) => {
                self.i -= 1;
                let (mut s, mut kind, mut code) = (String::new(), None, false);
                while let Token(Tok::Str(part, bytes, f), at, _) = self.tok() {
                    if kind.is_some_and(|k| k != *bytes) {
                        return Err(syntax(*at, "cannot mix bytes and nonbytes literals"));
                    }
                    (kind, code) = (Some(*bytes), code || *f);
                    s.push_str(part);
                    self.i += 1;
                }
                if code {
                    Item::Code
                } else {
                    self.lit(Value::Str(s), start)
                }
            }
            Tok::Name(n) if n == "None" => self.lit(Value::Null, start),
            Tok::Name(n) if n == "True" || n == "False" => {
                self.lit(Value::Bool(n == "True"), start)
            }
            Tok::Name(mut name) => {
                while self.is(".")
                    && matches!(self.toks.get(self.i + 1), Some(Token(Tok::Name(_), ..)))
                {
                    if let Some(Token(Tok::Name(attr), ..)) = self.toks.get(self.i + 1) {
                        name = format!("{name}.{attr}");
                    }
                    self.i += 2;
                }
                if self.is("(") && ["dict", "list", "tuple"].contains(&name.as_str()) {
                    self.constructor(&name, start)?
                } else {
                    constant(&name).map_or(Item::Code, |v| self.lit(v, start))
                }
            }
            Tok::Op("(") if self.eat(")") => self.lit(Value::List(Vec::new()), start),
            Tok::Op("(") => {
                let first = self.item(false)?;
                if self.is(",") {
                    let mut node = self.seq(first, start, Some(")"))?;
                    if let Some(n) = &mut node {
                        n.pos = (self.pos_at)(start);
                    }
                    node.map_or(Item::Bad, Item::Lit)
                } else {
                    self.close(")", start)?;
                    first.map_or(Item::Bad, Item::Lit)
                }
            }
            Tok::Op("[") if self.eat("]") => self.lit(Value::List(Vec::new()), start),
            Tok::Op("[") => {
                let first = self.item(false)?;
                self.seq(first, start, Some("]"))?
                    .map_or(Item::Bad, Item::Lit)
            }
            Tok::Op("{") => self.dict(start)?,
            Tok::End | Tok::Newline | Tok::Op(")" | "]" | "}" | ",") => {
                self.i -= 1;
                return Err(self.unexpected());
            }
            _ => Item::Code,
        })
    }

    /// An integer (the token at hand) once signed.
    fn int(&mut self, i: i128, start: usize) -> Item {
        self.i += 1;
        match i64::try_from(i) {
            Ok(i) => self.lit(Value::Int(i), start),
            Err(_) => {
                let msg = "integer out of range (lumber keeps integers in 64 bits)";
                self.errors.push(syntax(start, msg));
                Item::Bad
            }
        }
    }

    /// The items after the first of a tuple or list, and its `close`.
    fn seq(
        &mut self,
        first: Option<Node>,
        start: usize,
        close: Option<&str>,
    ) -> Result<Option<Node>, LiteralError> {
        let mut nodes = vec![first];
        while self.eat(",") && !close.is_some_and(|c| self.is(c)) && !self.at_item_end(false) {
            nodes.push(self.item(false)?);
        }
        if let Some(c) = close {
            self.close(c, start)?;
        }
        let nodes: Option<Vec<Node>> = nodes.into_iter().collect();
        Ok(nodes.map(|n| Node::new(Value::List(n), (self.pos_at)(start))))
    }

    /// A dict display after `{`.
    fn dict(&mut self, start: usize) -> Result<Item, LiteralError> {
        let mut entries = Some(Vec::new());
        while !self.eat("}") {
            let key_start = self.tok().1;
            if self.is("**") {
                self.item(false)?;
                entries = None;
                if !self.eat(",") {
                    self.close("}", start)?;
                    break;
                }
                continue;
            }
            let key = self.item(true)?;
            if !self.eat(":") {
                return Err(syntax(
                    key_start,
                    "sets are not supported (write a list or a tuple)",
                ));
            }
            let name = key.map(|k| match k.value {
                Value::Str(s) => Some(s),
                Value::Int(i) => Some(i.to_string()),
                Value::Float(f) => Some(format!("{f:?}")),
                Value::Bool(b) => Some((if b { "True" } else { "False" }).to_owned()),
                _ => None,
            });
            if name == Some(None) {
                self.errors
                    .push(syntax(key_start, "a dict key must be a string or a number"));
            }
            let key = name.flatten().map(|name| Key {
                name,
                pos: (self.pos_at)(key_start),
            });
            let value = self.item(false)?;
            entries = insert(entries, key, value);
            if !self.eat(",") {
                self.close("}", start)?;
                break;
            }
        }
        Ok(entries.map_or(Item::Bad, |e| self.lit(Value::Map(e), start)))
    }

    /// `tuple()`, `list()`, `dict()`, `dict(name=value, ...)` at `(`; any
    /// other call is code (nothing consumed).
    fn constructor(&mut self, name: &str, start: usize) -> Result<Item, LiteralError> {
        let back = self.i;
        self.i += 1;
        let mut entries = Some(Vec::new());
        while name == "dict" && !self.is(")") {
            let Token(Tok::Name(k), at, _) = self.tok().clone() else {
                break;
            };
            if !matches!(self.toks.get(self.i + 1), Some(Token(Tok::Op("="), ..))) {
                break;
            }
            self.i += 2;
            let value = self.item(false)?;
            entries = insert(
                entries,
                Some(Key {
                    name: k,
                    pos: (self.pos_at)(at),
                }),
                value,
            );
            if !self.eat(",") {
                break;
            }
        }
        if !self.eat(")") {
            self.i = back;
            return Ok(Item::Code);
        }
        Ok(match entries {
            Some(e) if name == "dict" => self.lit(Value::Map(e), start),
            Some(_) => self.lit(Value::List(Vec::new()), start),
            None => Item::Bad,
        })
    }
}

/// Adds an entry (a later one replaces an earlier one's value, as in
/// Python); any missing part makes the whole `None`.
fn insert(
    entries: Option<Vec<(Key, Node)>>,
    key: Option<Key>,
    value: Option<Node>,
) -> Option<Vec<(Key, Node)>> {
    let (mut entries, key, value) = (entries?, key?, value?);
    match entries.iter_mut().find(|(k, _)| k.name == key.name) {
        Some(slot) => slot.1 = value,
        None => entries.push((key, value)),
    }
    Some(entries)
}

#[cfg(test)]
mod tests;
