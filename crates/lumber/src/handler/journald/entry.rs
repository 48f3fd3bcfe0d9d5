//! One journal entry in journald's native format: field names made valid,
//! values written in the text or the binary form, priorities from levels.
//!
//! The format (systemd's `JOURNAL_NATIVE_PROTOCOL`): one field after the
//! other, each either `NAME=value\n` or, for a value that contains a
//! newline, `NAME\n` + the value's length as a little-endian u64 + the
//! value + `\n`.

use std::fmt::{self, Write as _};
use std::io;

use crate::format::write_error_chain;
use crate::level::Level;
use crate::record::{Record, Site};
use crate::value::Value;

/// journald's longest field name.
pub(super) const NAME_MAX: usize = 64;

/// journald drops a whole entry that has more fields than this
/// (`ENTRY_FIELD_COUNT_MAX`), so record fields past it are left out.
pub(super) const FIELDS_MAX: usize = 1024;

/// The fields the handler writes itself. A record field or a constant
/// field whose name comes out as one of these is renamed `F_<NAME>`, so
/// it can neither replace nor add a second value to them.
pub(super) const RESERVED: [&str; 12] = [
    "MESSAGE",
    "PRIORITY",
    "SYSLOG_IDENTIFIER",
    "CODE_FILE",
    "CODE_LINE",
    "CODE_FUNC",
    "LOGGER",
    "THREAD_NAME",
    "TID",
    "EXCEPTION_TEXT",
    "ERRNO",
    "STACK_INFO",
];

/// A valid journal field name, kept on the stack.
#[derive(Clone, Copy)]
pub(super) struct FieldName {
    // Two bytes of room for a prefix added after the name is cut.
    buf: [u8; NAME_MAX + 2],
    len: usize,
}

impl FieldName {
    /// `prefix` + `key`, made valid: ASCII letters upper-cased, digits and
    /// `_` kept, every other character (each one, not each byte) turned
    /// into `_`; `F` in front of a name that would start with `_` or a
    /// digit, or be empty; cut to 64 bytes; `F_` in front of a reserved
    /// name.
    pub(super) fn new(prefix: &str, key: &str) -> FieldName {
        let mut name = FieldName {
            buf: [0; NAME_MAX + 2],
            len: 0,
        };
        for c in prefix.chars().chain(key.chars()).take(NAME_MAX) {
            name.buf[name.len] = match c {
                'a'..='z' => c.to_ascii_uppercase() as u8,
                'A'..='Z' | '0'..='9' | '_' => c as u8,
                _ => b'_',
            };
            name.len += 1;
        }
        if name.len == 0 || name.buf[0] == b'_' || name.buf[0].is_ascii_digit() {
            name.prepend(b"F");
        }
        if RESERVED.contains(&name.as_str()) {
            name.prepend(b"F_");
        }
        name
    }

    fn prepend(&mut self, head: &[u8]) {
        let n = head.len();
        self.buf.copy_within(..NAME_MAX, n);
        self.buf[..n].copy_from_slice(head);
        self.len = (self.len + n).min(NAME_MAX);
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    pub(super) fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(self.as_bytes()).unwrap_or("F")
    }
}

/// The syslog severity journald stores as `PRIORITY` for a level: the
/// crate's one mapping, shared with the syslog handler (each standard
/// level to its namesake, a level between two standard ones to the lower
/// one's severity, except 21–29 → `notice`; above CRITICAL stays `crit`).
pub(super) fn default_priority(level: Level) -> u8 {
    crate::handler::syslog_severity(level)
}

/// What goes into every entry besides the record: how the handler names
/// and fills its fields.
pub(super) struct Layout {
    pub(super) identifier: Option<Box<str>>,
    /// Put in front of every record field's key before it is made valid.
    pub(super) prefix: Box<str>,
    /// Fields added to every entry, already named and rendered.
    pub(super) constant: Vec<(FieldName, Box<[u8]>)>,
    pub(super) priority: fn(Level) -> u8,
}

impl Layout {
    /// Appends the entry for `record`, whose formatted text is `line`, to
    /// `out`.
    pub(super) fn encode(&self, record: &Record<'_>, line: &str, out: &mut Vec<u8>) {
        let mut e = Entry { out, count: 0 };
        let priority = (self.priority)(record.level()).min(7);
        e.bytes(b"PRIORITY", &[b'0' + priority]);
        if let Some(id) = &self.identifier {
            e.bytes(b"SYSLOG_IDENTIFIER", id.as_bytes());
        }
        e.bytes(b"MESSAGE", line.as_bytes());
        let site = record.site();
        if !site.file.is_empty() && site.file != Site::UNKNOWN.file {
            e.bytes(b"CODE_FILE", site.file.as_bytes());
        }
        if site.line != 0 {
            e.display(b"CODE_LINE", site.line);
        }
        if let Some(function) = site.function_name() {
            e.bytes(b"CODE_FUNC", function.as_bytes());
        }
        e.bytes(b"LOGGER", record.logger().as_bytes());
        record.with_thread_name(|name| e.bytes(b"THREAD_NAME", name.as_bytes()));
        e.display(b"TID", record.thread_id());
        if let Some(error) = record.error() {
            let mut text = String::new();
            write_error_chain(&mut text, error);
            e.bytes(b"EXCEPTION_TEXT", text.as_bytes());
            if let Some(errno) = errno_of(error) {
                e.display(b"ERRNO", errno);
            }
        } else if let Some(text) = record.exc_text().filter(|t| !t.is_empty()) {
            e.bytes(b"EXCEPTION_TEXT", text.as_bytes());
        }
        if let Some(stack) = record.stack_info().filter(|s| !s.is_empty()) {
            e.bytes(b"STACK_INFO", stack.as_bytes());
        }
        for (name, value) in &self.constant {
            e.bytes(name.as_bytes(), value);
        }
        self.record_fields(record, &mut e);
    }

    /// Call-site fields, then bound fields, then the context from the
    /// innermost scope out; a key seen before is skipped (the value
    /// [`Record::field`] would return is the one kept).
    fn record_fields<'a>(&self, record: &Record<'a>, e: &mut Entry<'_>) {
        let mut seen: Vec<&'a str> = Vec::new();
        let mut visit = |key: &'a str, value: Value<'_>| {
            if e.count >= FIELDS_MAX || seen.contains(&key) {
                return;
            }
            seen.push(key);
            e.value(FieldName::new(&self.prefix, key).as_bytes(), value);
        };
        for (key, value) in record.fields() {
            visit(key, *value);
        }
        for (key, value) in record.bound() {
            visit(key, value.as_value());
        }
        let mut frame = record.context();
        while let Some(f) = frame {
            for (key, value) in f.fields() {
                visit(key, value.as_value());
            }
            frame = f.parent();
        }
    }
}

/// The first OS error code in an error's chain: journald's `ERRNO`.
fn errno_of(error: &(dyn std::error::Error + 'static)) -> Option<i32> {
    let mut next = Some(error);
    for _ in 0..64 {
        let e = next?;
        if let Some(code) = e
            .downcast_ref::<io::Error>()
            .and_then(io::Error::raw_os_error)
        {
            return Some(code);
        }
        next = e.source();
    }
    None
}

/// Renders a value the way it is stored: strings and bytes as they are,
/// anything else as it displays.
pub(super) fn render_value(value: Value<'_>) -> Box<[u8]> {
    let mut out = Vec::new();
    match value {
        Value::Str(s) => out.extend_from_slice(s.as_bytes()),
        Value::Bytes(b) => out.extend_from_slice(b),
        other => {
            let _ = write!(VecWriter(&mut out), "{other}");
        }
    }
    out.into_boxed_slice()
}

/// An entry being written.
struct Entry<'b> {
    out: &'b mut Vec<u8>,
    count: usize,
}

impl Entry<'_> {
    /// `NAME=value\n`, or the binary form if the value has a newline.
    fn bytes(&mut self, name: &[u8], value: &[u8]) {
        self.count += 1;
        if value.contains(&b'\n') {
            write_binary(self.out, name, value);
        } else {
            self.out.reserve(name.len() + value.len() + 2);
            self.out.extend_from_slice(name);
            self.out.push(b'=');
            self.out.extend_from_slice(value);
            self.out.push(b'\n');
        }
    }

    /// A displayed value, rendered straight into the entry.
    fn display(&mut self, name: &[u8], value: impl fmt::Display) {
        self.count += 1;
        let start = self.out.len();
        self.out.extend_from_slice(name);
        self.out.push(b'=');
        let value_start = self.out.len();
        let _ = write!(VecWriter(self.out), "{value}");
        if self.out[value_start..].contains(&b'\n') {
            let text = self.out.split_off(value_start);
            self.out.truncate(start);
            write_binary(self.out, name, &text);
        } else {
            self.out.push(b'\n');
        }
    }

    fn value(&mut self, name: &[u8], value: Value<'_>) {
        match value {
            Value::Str(s) => self.bytes(name, s.as_bytes()),
            Value::Bytes(b) => self.bytes(name, b),
            other => self.display(name, other),
        }
    }
}

/// `NAME\n` + length (u64, little-endian) + value + `\n`: any bytes at all.
fn write_binary(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.reserve(name.len() + value.len() + 10);
    out.extend_from_slice(name);
    out.push(b'\n');
    out.extend_from_slice(&(value.len() as u64).to_le_bytes());
    out.extend_from_slice(value);
    out.push(b'\n');
}

struct VecWriter<'a>(&'a mut Vec<u8>);

impl fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::record::{Function, Message};
    use crate::value::OwnedValue;

    /// Reads a native-protocol payload back, as journald does.
    pub(crate) fn parse(mut p: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut fields = Vec::new();
        while !p.is_empty() {
            let eol = p.iter().position(|&b| b == b'\n').unwrap();
            let line = &p[..eol];
            if let Some(eq) = line.iter().position(|&b| b == b'=') {
                let name = String::from_utf8(line[..eq].to_vec()).unwrap();
                fields.push((name, line[eq + 1..].to_vec()));
                p = &p[eol + 1..];
            } else {
                let name = String::from_utf8(line.to_vec()).unwrap();
                let len = u64::from_le_bytes(p[eol + 1..eol + 9].try_into().unwrap()) as usize;
                let value = p[eol + 9..eol + 9 + len].to_vec();
                assert_eq!(p[eol + 9 + len], b'\n');
                fields.push((name, value));
                p = &p[eol + 10 + len..];
            }
        }
        for (name, _) in &fields {
            let n = name.as_bytes();
            assert!(!n.is_empty() && n.len() <= 64, "{name}");
            assert!(n[0] != b'_' && !n[0].is_ascii_digit(), "{name}");
            assert!(
                n.iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_'),
                "{name}"
            );
        }
        fields
    }

    fn get<'f>(fields: &'f [(String, Vec<u8>)], name: &str) -> Vec<&'f [u8]> {
        fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| &v[..])
            .collect()
    }

    fn layout() -> Layout {
        Layout {
            identifier: Some("ident".into()),
            prefix: "".into(),
            constant: Vec::new(),
            priority: default_priority,
        }
    }

    fn encode(layout: &Layout, record: &Record<'_>, line: &str) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        layout.encode(record, line, &mut out);
        parse(&out)
    }

    #[test]
    fn names_are_made_valid() {
        let n = |p: &str, k: &str| FieldName::new(p, k).as_str().to_owned();
        assert_eq!(n("", "user_id"), "USER_ID");
        assert_eq!(n("", "a.b-c d"), "A_B_C_D");
        assert_eq!(n("", "_x"), "F_X");
        assert_eq!(n("", "__"), "F__");
        assert_eq!(n("", "9lives"), "F9LIVES");
        assert_eq!(n("", ""), "F");
        assert_eq!(n("", "日本"), "F__");
        assert_eq!(n("", "MESSAGE"), "F_MESSAGE");
        assert_eq!(n("", "priority"), "F_PRIORITY");
        assert_eq!(n("", "message_id"), "MESSAGE_ID");
        assert_eq!(n("app.", "message"), "APP_MESSAGE");
        assert_eq!(n("1", "x"), "F1X");
        let long = "a".repeat(200);
        assert_eq!(n("", &long), "A".repeat(64));
        assert_eq!(n("", &format!("_{long}")), format!("F_{}", "A".repeat(62)));
        assert_eq!(n("", &format!("é{long}")).len(), 64);
    }

    #[test]
    fn priorities_follow_the_levels() {
        let p = |v| default_priority(Level::new(v));
        assert_eq!(
            [p(0), p(5), p(10), p(11), p(20), p(25), p(30)],
            [7, 7, 7, 7, 6, 5, 4]
        );
        assert_eq!(
            [p(31), p(40), p(45), p(50), p(51), p(u32::MAX)],
            [4, 3, 3, 2, 2, 2]
        );
    }

    #[test]
    fn every_part_of_the_record_is_a_field() {
        static SITE: Site = Site {
            module_path: "app::db",
            file: "src/db.rs",
            line: 42,
            template: "",
            function: Function::Name("connect"),
        };
        let fields = [
            ("user.id", Value::from(7)),
            ("note", Value::from("two\nlines")),
        ];
        let bound = vec![
            ("svc".into(), OwnedValue::from("api")),
            ("user.id".into(), OwnedValue::from(8)),
        ];
        let error = io::Error::from_raw_os_error(13);
        let record = Record::new("app.db", Level::ERROR, Message::Str("m"))
            .with_static_site(&SITE)
            .with_fields(&fields)
            .with_bound(&bound)
            .with_error(&error)
            .with_thread(99, "worker")
            .with_stack_info("Stack:\n  here");
        let got = encode(&layout(), &record, "line one\nline two");
        let one = |name| {
            let v = get(&got, name);
            assert_eq!(v.len(), 1, "{name}: {got:?}");
            String::from_utf8(v[0].to_vec()).unwrap()
        };
        assert_eq!(one("PRIORITY"), "3");
        assert_eq!(one("SYSLOG_IDENTIFIER"), "ident");
        assert_eq!(one("MESSAGE"), "line one\nline two");
        assert_eq!(one("CODE_FILE"), "src/db.rs");
        assert_eq!(one("CODE_LINE"), "42");
        assert_eq!(one("CODE_FUNC"), "connect");
        assert_eq!(one("LOGGER"), "app.db");
        assert_eq!(one("THREAD_NAME"), "worker");
        assert_eq!(one("TID"), "99");
        assert!(one("EXCEPTION_TEXT").starts_with("Error: Permission denied"));
        assert_eq!(one("ERRNO"), "13");
        assert_eq!(one("STACK_INFO"), "Stack:\n  here");
        assert_eq!(one("USER_ID"), "7"); // the call site's, not the bound one
        assert_eq!(one("NOTE"), "two\nlines");
        assert_eq!(one("SVC"), "api");
    }

    #[test]
    fn an_unknown_site_sends_no_code_fields_and_no_identifier_is_fine() {
        let record = Record::new("x", Level::INFO, Message::Str("m"));
        let mut l = layout();
        l.identifier = None;
        let got = encode(&l, &record, "m");
        let names: Vec<_> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["PRIORITY", "MESSAGE", "LOGGER", "THREAD_NAME", "TID"]
        );
    }

    #[test]
    fn values_are_binary_safe_and_fields_are_capped() {
        let bytes = [0u8, 1, b'\n', 0xff, b'='];
        let fields = [
            ("raw", Value::Bytes(&bytes)),
            ("nul", Value::Str("a\0b")),
            ("dbg", Value::Debug(&"x\ny")),
            ("none", Value::Null),
            ("f", Value::F64(1.5)),
        ];
        let record = Record::new("x", Level::INFO, Message::Str("")).with_fields(&fields);
        let got = encode(&layout(), &record, "");
        assert_eq!(get(&got, "RAW"), [&bytes[..]]);
        assert_eq!(get(&got, "NUL"), [b"a\0b"]);
        assert_eq!(get(&got, "DBG"), [b"\"x\\ny\""]);
        assert_eq!(get(&got, "NONE"), [b"None"]);
        assert_eq!(get(&got, "F"), [b"1.5"]);
        assert_eq!(get(&got, "MESSAGE"), [b""]);

        let many: Vec<(String, Value<'_>)> = (0..2000)
            .map(|i| (format!("k{i}"), Value::from(i)))
            .collect();
        let many: Vec<(&str, Value<'_>)> = many.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let record = Record::new("x", Level::INFO, Message::Str("")).with_fields(&many);
        assert_eq!(encode(&layout(), &record, "").len(), FIELDS_MAX);
    }

    #[test]
    fn reserved_and_constant_fields() {
        let mut l = layout();
        l.constant.push((
            FieldName::new("", "SYSLOG_FACILITY"),
            render_value(Value::from(16)),
        ));
        l.constant.push((
            FieldName::new("", "message"),
            render_value(Value::from("c")),
        ));
        let fields = [
            ("message", Value::from("user")),
            ("priority", Value::from(0)),
        ];
        let record = Record::new("x", Level::WARNING, Message::Str("")).with_fields(&fields);
        let got = encode(&l, &record, "real");
        assert_eq!(get(&got, "MESSAGE"), [b"real"]);
        assert_eq!(get(&got, "PRIORITY"), [b"4"]);
        assert_eq!(get(&got, "F_MESSAGE"), [&b"c"[..], b"user"]);
        assert_eq!(get(&got, "F_PRIORITY"), [b"0"]);
        assert_eq!(get(&got, "SYSLOG_FACILITY"), [b"16"]);
    }

    #[test]
    fn errno_is_found_down_the_chain() {
        #[derive(Debug)]
        struct Wrap(io::Error);
        impl fmt::Display for Wrap {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("wrapped")
            }
        }
        impl std::error::Error for Wrap {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        assert_eq!(errno_of(&Wrap(io::Error::from_raw_os_error(2))), Some(2));
        assert_eq!(errno_of(&io::Error::other("no code")), None);
    }
}
