//! How a [`ConsoleFormatter`] writes a record: straight into the
//! handler's buffer, escaping and indenting as it goes.

use std::fmt::Write;

use super::{ConsoleFormatter, ConsoleStyle};
use crate::format::pattern::{Scan, contains, is_control, push_escaped};
use crate::format::pyfmt;
use crate::level::Level;
use crate::record::Record;
use crate::value::Value;

const RESET: &str = "\x1b[0m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const ERROR_LABEL: &str = "\x1b[1;31m";
const CAUSE_LABEL: &str = "\x1b[31m";

/// What starts every line after a record's first: the continuation of a
/// multi-line message, the error chain, the stack. A record's first line
/// never starts with a space, so a message cannot pass for a new record.
const INDENT: &str = "    ";

impl ConsoleFormatter {
    /// [`crate::Format::format`]: the first line, then the error chain
    /// and the stack on lines of their own.
    pub(super) fn render(&self, record: &Record<'_>, out: &mut String) {
        if self.show_time {
            self.write_time(record, out);
            out.push(' ');
        }
        self.write_level(record, out);
        out.push(' ');
        if self.thread {
            self.open(out, DIM);
            out.push('[');
            record.with_thread_name(|name| push_one_line(out, name));
            out.push(']');
            self.close(out, DIM);
            out.push(' ');
        }
        self.open(out, BOLD);
        push_one_line(out, record.logger());
        self.close(out, BOLD);
        out.push(':');
        let site = record.site();
        if self.location && site.line != 0 {
            out.push(' ');
            self.open(out, DIM);
            push_one_line(out, site.file);
            let _ = write!(out, ":{}", site.line);
            self.close(out, DIM);
            out.push(':');
        }
        out.push(' ');
        let start = out.len();
        record.message().write_to(out);
        if out.len() == start {
            out.pop(); // no message: no space after the colon
        } else {
            self.fix_text(out, start);
        }
        if self.fields {
            self.write_fields(record, out);
        }
        self.write_error(record, out);
    }

    pub(super) fn level_entry(&self, level: Level) -> Option<&(u32, ConsoleStyle, Box<str>)> {
        let n = self
            .levels
            .partition_point(|(start, _, _)| *start <= level.value());
        n.checked_sub(1).and_then(|i| self.levels.get(i))
    }

    #[inline]
    fn open(&self, out: &mut String, sgr: &str) {
        if self.color && !sgr.is_empty() {
            out.push_str(sgr);
        }
    }

    #[inline]
    fn close(&self, out: &mut String, sgr: &str) {
        if self.color && !sgr.is_empty() {
            out.push_str(RESET);
        }
    }

    fn write_level(&self, record: &Record<'_>, out: &mut String) {
        let level = record.level();
        let sgr = self.level_entry(level).map_or("", |(_, _, sgr)| &**sgr);
        self.open(out, sgr);
        let start = out.len();
        match level.builtin_name() {
            Some(name) => out.push_str(name),
            None => out.push_str(&level.name()),
        }
        let width = out.get(start..).map_or(0, |s| s.chars().count());
        self.close(out, sgr);
        for _ in width..self.level_width {
            out.push(' ');
        }
    }

    fn write_time(&self, record: &Record<'_>, out: &mut String) {
        self.open(out, DIM);
        self.clock.format_time(record, out);
        if self.millis {
            let ms = (record.msecs() as u32).min(999);
            out.push('.');
            for digit in [ms / 100, ms / 10 % 10, ms % 10] {
                out.push(char::from(b'0' + digit as u8));
            }
        }
        self.close(out, DIM);
    }

    fn write_fields(&self, record: &Record<'_>, out: &mut String) {
        let mut index = 0usize;
        record.for_each_field(|key, value| {
            let this = index;
            index += 1;
            if this > 0 && first_index(record, key) < this {
                return; // shadowed by an earlier field with the same key
            }
            // Two spaces between the message and the first field, so that
            // the fields stand apart even without colors.
            out.push_str(if this == 0 { "  " } else { " " });
            self.open(out, DIM);
            push_one_line(out, key);
            out.push('=');
            self.close(out, DIM);
            write_value(out, value);
        });
    }

    fn write_error(&self, record: &Record<'_>, out: &mut String) {
        if let Some(error) = record.error() {
            let mut label = ("Error:", ERROR_LABEL);
            let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
            let mut depth = 0;
            while let Some(e) = current {
                if depth > 64 {
                    self.line_start(out);
                    self.open(out, CAUSE_LABEL);
                    out.push_str("Caused by:");
                    self.close(out, CAUSE_LABEL);
                    out.push_str(" ... (chain too deep)");
                    break;
                }
                self.line_start(out);
                self.open(out, label.1);
                out.push_str(label.0);
                self.close(out, label.1);
                out.push(' ');
                let start = out.len();
                let _ = write!(out, "{e}");
                self.fix_text(out, start);
                label = ("Caused by:", CAUSE_LABEL);
                current = e.source();
                depth += 1;
            }
        } else if let Some(text) = record.exc_text().filter(|t| !t.is_empty()) {
            self.line_start(out);
            let start = out.len();
            out.push_str(text.trim_end_matches('\n'));
            self.fix_text(out, start);
        }
        if let Some(stack) = record.stack_info().filter(|s| !s.is_empty()) {
            self.line_start(out);
            self.open(out, DIM);
            let start = out.len();
            out.push_str(stack.trim_end_matches('\n'));
            self.fix_text(out, start);
            self.close(out, DIM);
        }
    }

    /// A new, indented line of the current record.
    fn line_start(&self, out: &mut String) {
        out.push('\n');
        out.push_str(INDENT);
    }

    /// Indents the line breaks of `out[start..]` and, with escaping on,
    /// escapes its control characters (but tabs).
    fn fix_text(&self, out: &mut String, start: usize) {
        let escape = self.escape;
        let scan = Scan {
            newline: true,
            tab: false,
            controls: escape,
            separators: false,
        };
        if !out.get(start..).is_some_and(|tail| contains(tail, scan)) {
            return;
        }
        let tail = out.split_off(start);
        for c in tail.chars() {
            if c == '\n' {
                out.push('\n');
                out.push_str(INDENT);
            } else if escape && c != '\t' && is_control(c) {
                push_escaped(out, c);
            } else {
                out.push(c);
            }
        }
    }
}

/// The position at which `key` first appears among the record's fields.
fn first_index(record: &Record<'_>, key: &str) -> usize {
    let mut index = 0usize;
    let mut first = usize::MAX;
    record.for_each_field(|k, _| {
        if first == usize::MAX && k == key {
            first = index;
        }
        index += 1;
    });
    first
}

/// Writes text that must stay on its line: every control character
/// escaped, line feeds and tabs included.
fn push_one_line(out: &mut String, text: &str) {
    if contains(text, Scan::CONTROLS) {
        for c in text.chars() {
            if is_control(c) {
                push_escaped(out, c);
            } else {
                out.push(c);
            }
        }
    } else {
        out.push_str(text);
    }
}

/// Escapes every control character of `out[start..]`, in place.
fn one_line_from(out: &mut String, start: usize) {
    if !out
        .get(start..)
        .is_some_and(|tail| contains(tail, Scan::CONTROLS))
    {
        return;
    }
    let tail = out.split_off(start);
    push_one_line(out, &tail);
}

/// Whether a string value needs quotes to read as one value.
fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '=' || is_control(c))
}

fn write_str_value(out: &mut String, s: &str) {
    if !needs_quotes(s) {
        out.push_str(s);
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_control(c) || c == '\u{2028}' || c == '\u{2029}' => push_escaped(out, c),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_value(out: &mut String, value: Value<'_>) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Value::I64(n) => {
            let _ = write!(out, "{n}");
        }
        Value::U64(n) => {
            let _ = write!(out, "{n}");
        }
        Value::F64(n) => pyfmt::repr_float(out, n),
        Value::Str(s) => write_str_value(out, s),
        Value::Bytes(b) => write_str_value(out, &String::from_utf8_lossy(b)),
        Value::Display(d) => {
            let start = out.len();
            let _ = write!(out, "{d}");
            one_line_from(out, start);
        }
        Value::Debug(d) => {
            let start = out.len();
            let _ = write!(out, "{d:?}");
            one_line_from(out, start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_rules() {
        let mut out = String::new();
        for (s, want) in [
            ("plain", "plain"),
            ("", "\"\""),
            ("x y", "\"x y\""),
            ("a=b", "\"a=b\""),
            ("say \"hi\"", r#""say \"hi\"""#),
            ("C:\\dir", "C:\\dir"),
            ("C:\\my dir", r#""C:\\my dir""#),
            ("line\nbreak", r#""line\nbreak""#),
            ("\x1b[31m", r#""\x1b[31m""#),
        ] {
            out.clear();
            write_str_value(&mut out, s);
            assert_eq!(out, want, "{s:?}");
        }
    }
}
