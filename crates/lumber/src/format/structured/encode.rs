//! Text encodings of the structured formatters: JSON strings and numbers,
//! logfmt values and keys, and the key sanitizers of the presets.
//!
//! Everything writes straight into the output; strings are scanned with a
//! byte table and copied in runs, so text without special characters costs
//! one pass and one copy.

use std::fmt;

use crate::deferred::arg::DIGIT_PAIRS;
use crate::format::pyfmt;

/// Bytes that end a run of bytes a JSON string copies as they are: the C0
/// controls, `"`, `\`, `0xC2` (the lead byte of the C1 controls, U+0080 to
/// U+009F) and `0xE2` (the lead byte of U+2028 and U+2029).
static JSON_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0xC2] = true;
    table[0xE2] = true;
    table
};

/// The same inside a quoted logfmt value, plus DEL.
static LOGFMT_STOP: [bool; 256] = {
    let mut table = JSON_STOP;
    table[0x7F] = true;
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// ASCII bytes a bare logfmt value cannot have as they are (space and
/// below, `=`, `"`, DEL), and every non-ASCII byte (checked again as
/// characters).
static BARE_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b <= 0x20 || b == b'=' as usize || b == b'"' as usize || b >= 0x7F;
        b += 1;
    }
    table
};

/// Whether any byte of `bytes` is marked in `table`: a branch-free pass
/// (about three instructions a byte, which matters for the many short
/// keys and values of a record).
#[inline]
fn any_marked(bytes: &[u8], table: &[bool; 256]) -> bool {
    bytes
        .iter()
        .fold(false, |any, &b| any | table[usize::from(b)])
}

/// Appends `\u00XX` for a control character.
fn push_u00(out: &mut String, b: u8) {
    let hex = [
        b'\\',
        b'u',
        b'0',
        b'0',
        HEX[usize::from(b >> 4)],
        HEX[usize::from(b & 0xF)],
    ];
    if let Ok(text) = std::str::from_utf8(&hex) {
        out.push_str(text);
    }
}

/// Appends `s` escaped for the inside of a JSON string: `"` and `\`, every
/// control character (`\n \r \t \b \f`, else `\u00XX`, C1 controls such as
/// U+0085, a line end to Python's `splitlines`, included), and
/// U+2028/U+2029 (line terminators to JavaScript) as `\u2028`/`\u2029`.
#[inline]
pub(crate) fn json_str(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// The escaper of JSON strings and quoted logfmt values (which also
/// escapes DEL, and writes `\b` and `\f` as `\u0008` and `\u000c`).
#[inline]
fn escape(out: &mut String, s: &str, logfmt: bool) {
    let stop = if logfmt { &LOGFMT_STOP } else { &JSON_STOP };
    if any_marked(s.as_bytes(), stop) {
        escape_marked(out, s, stop, logfmt);
    } else {
        out.push_str(s);
    }
}

/// [`escape`] of text that has something to escape.
#[cold]
#[inline(never)]
fn escape_marked(out: &mut String, s: &str, stop: &[bool; 256], logfmt: bool) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    loop {
        while bytes.get(i).is_some_and(|&b| !stop[usize::from(b)]) {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        // `i` is at an ASCII byte or a lead byte: a char boundary.
        match b {
            0xC2 => {
                // C1 controls are C2 80 to C2 9F.
                if let Some(&next @ 0x80..=0x9F) = bytes.get(i + 1) {
                    out.push_str(&s[start..i]);
                    push_u00(out, next);
                    i += 2;
                    start = i;
                } else {
                    i += 1;
                }
            }
            0xE2 => {
                // U+2028 is E2 80 A8 and U+2029 is E2 80 A9.
                if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9))
                {
                    out.push_str(&s[start..i]);
                    out.push_str(if bytes.get(i + 2) == Some(&0xA8) {
                        "\\u2028"
                    } else {
                        "\\u2029"
                    });
                    i += 3;
                    start = i;
                } else {
                    i += 1;
                }
            }
            _ => {
                out.push_str(&s[start..i]);
                match b {
                    b'"' => out.push_str("\\\""),
                    b'\\' => out.push_str("\\\\"),
                    b'\n' => out.push_str("\\n"),
                    b'\r' => out.push_str("\\r"),
                    b'\t' => out.push_str("\\t"),
                    0x08 if !logfmt => out.push_str("\\b"),
                    0x0C if !logfmt => out.push_str("\\f"),
                    other => push_u00(out, other),
                }
                i += 1;
                start = i;
            }
        }
    }
    out.push_str(&s[start..]);
}

/// Appends `s` as a quoted JSON string.
#[inline]
pub(crate) fn json_quoted(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    json_str(out, s);
    out.push('"');
}

/// Appends bytes that may not be UTF-8 as the inside of a JSON string,
/// each invalid sequence replaced by U+FFFD.
pub(crate) fn json_bytes(out: &mut String, bytes: &[u8]) {
    for chunk in bytes.utf8_chunks() {
        json_str(out, chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push('\u{FFFD}');
        }
    }
}

/// A `fmt::Write` that escapes what it is given for the inside of a JSON
/// string: `Display` and `Debug` values are escaped as they are rendered,
/// without a buffer.
pub(crate) struct JsonEscaper<'a>(pub(crate) &'a mut String);

impl fmt::Write for JsonEscaper<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        json_str(self.0, s);
        Ok(())
    }
}

/// Appends an unsigned integer.
#[inline]
pub(crate) fn push_u64(out: &mut String, mut n: u64) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    out.reserve(buf.len() - i);
    for &digit in &buf[i..] {
        out.push(char::from(digit));
    }
}

/// Appends a signed integer.
pub(crate) fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// Appends a 128-bit integer (Python's `int`).
pub(crate) fn push_i128(out: &mut String, n: i128) {
    match (u64::try_from(n), i64::try_from(n)) {
        (Ok(u), _) => push_u64(out, u),
        (_, Ok(i)) => push_i64(out, i),
        _ => {
            let _ = fmt::Write::write_fmt(out, format_args!("{n}"));
        }
    }
}

/// Appends `n` with at least `width` digits, zero-padded.
pub(crate) fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut digits = 1;
    let mut m = n;
    while m >= 10 {
        m /= 10;
        digits += 1;
    }
    for _ in digits..width {
        out.push('0');
    }
    push_u64(out, n);
}

/// Appends a float as a JSON value: Python's `repr()` digits when finite
/// (`1.5`, `1e+20`, `-0.0`), else the strings `"NaN"`, `"Infinity"` and
/// `"-Infinity"` (JSON has no such numbers).
pub(crate) fn json_f64(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("\"NaN\"");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 {
            "\"Infinity\""
        } else {
            "\"-Infinity\""
        });
    } else {
        pyfmt::repr_float(out, v);
    }
}

/// Appends a float as a logfmt value: Python's `repr()` digits when finite,
/// else `NaN`, `+Inf`, `-Inf` (Go's spelling).
pub(crate) fn logfmt_f64(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
    } else {
        pyfmt::repr_float(out, v);
    }
}

/// ASCII bytes that make a logfmt value need quotes: controls, space, `=`,
/// `"` and DEL.
static LOGFMT_QUOTE: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b <= 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'=' as usize] = true;
    table[b'"' as usize] = true;
    table[0x7F] = true;
    table
};

/// Whether a non-ASCII character makes a logfmt value (or key) ambiguous:
/// controls, white space and separators, which a reader would split on or
/// could not see.
fn logfmt_special(c: char) -> bool {
    c.is_control() || c.is_whitespace()
}

/// Whether a logfmt value must be quoted: empty, or containing a space,
/// `=`, `"`, a control character or other white space.
pub(crate) fn logfmt_needs_quotes(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let bytes = s.as_bytes();
    if !any_marked(bytes, &BARE_STOP) {
        return false;
    }
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if LOGFMT_QUOTE[usize::from(b)] {
                return true;
            }
            i += 1;
        } else {
            // `i` is at a lead byte: the slice starts on a char boundary.
            match s[i..].chars().next() {
                Some(c) if logfmt_special(c) => return true,
                Some(c) => i += c.len_utf8(),
                None => return false,
            }
        }
    }
    false
}

/// Appends `s` escaped for the inside of a quoted logfmt value: `\"`,
/// `\\`, `\n`, `\r`, `\t`, other control characters as `\u00XX`, and
/// U+2028/U+2029 as `\u2028`/`\u2029` (the escapes of go-logfmt's
/// decoder, which are JSON's).
pub(crate) fn logfmt_escape(out: &mut String, s: &str) {
    escape(out, s, true);
}

/// Appends `s` as a logfmt value, quoted only when it must be.
#[inline]
pub(crate) fn logfmt_str(out: &mut String, s: &str) {
    if logfmt_needs_quotes(s) {
        out.reserve(s.len() + 2);
        out.push('"');
        logfmt_escape(out, s);
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Appends bytes that may not be UTF-8 as a logfmt value (invalid
/// sequences as U+FFFD), quoted only when they must be.
pub(crate) fn logfmt_bytes(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(s) => logfmt_str(out, s),
        Err(_) => logfmt_str(out, &String::from_utf8_lossy(bytes)),
    }
}

/// Appends `key` as a logfmt key: every character that a value would have
/// to quote (space, `=`, `"`, controls, other white space) becomes `_`,
/// and an empty key is `_`.
#[inline]
pub(crate) fn logfmt_key(out: &mut String, key: &str) {
    if key.is_empty() {
        out.push('_');
        return;
    }
    if !logfmt_needs_quotes(key) {
        out.push_str(key);
        return;
    }
    for c in key.chars() {
        let bad = if c.is_ascii() {
            LOGFMT_QUOTE[c as usize]
        } else {
            logfmt_special(c)
        };
        out.push(if bad { '_' } else { c });
    }
}

/// Appends `key` with the characters a GELF additional field name may not
/// have (anything but ASCII letters, digits, `_`, `.` and `-`) as `_`.
pub(crate) fn gelf_key(out: &mut String, key: &str) {
    for c in key.chars() {
        let ok = c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
        out.push(if ok { c } else { '_' });
    }
}

/// Appends `key` escaped for JSON with `.`, `*` and `\` as `_`: the
/// ecs-logging rule for keys under `labels`.
pub(crate) fn dedot_key(out: &mut String, key: &str) {
    if !key.contains(['.', '*', '\\']) {
        json_str(out, key);
        return;
    }
    for c in key.chars() {
        match c {
            '.' | '*' | '\\' => out.push('_'),
            c => {
                let mut buf = [0u8; 4];
                json_str(out, c.encode_utf8(&mut buf));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        let mut out = String::new();
        json_str(&mut out, s);
        out
    }

    #[test]
    fn json_escapes_controls_quotes_and_line_separators() {
        assert_eq!(json("plain"), "plain");
        assert_eq!(json("a\"b\\c"), "a\\\"b\\\\c");
        assert_eq!(
            json("\n\r\t\u{8}\u{c}\u{0}\u{1f}"),
            "\\n\\r\\t\\b\\f\\u0000\\u001f"
        );
        assert_eq!(json("x\u{2028}y\u{2029}z"), "x\\u2028y\\u2029z");
        // Other characters with the same lead byte are copied.
        assert_eq!(
            json("\u{2026}\u{20ac}é\u{7f}\u{a0}©"),
            "\u{2026}\u{20ac}é\u{7f}\u{a0}©"
        );
        assert_eq!(json("a\u{80}\u{85}\u{9f}b"), "a\\u0080\\u0085\\u009fb");
        let mut out = String::new();
        json_bytes(&mut out, b"caf\xe9 \"\xff");
        assert_eq!(out, "caf\u{FFFD} \\\"\u{FFFD}");
    }

    #[test]
    fn integers_and_floats() {
        let mut out = String::new();
        push_u64(&mut out, 0);
        out.push(' ');
        push_u64(&mut out, u64::MAX);
        out.push(' ');
        push_i64(&mut out, i64::MIN);
        out.push(' ');
        push_i128(&mut out, i128::MIN);
        out.push(' ');
        push_padded(&mut out, 7, 3);
        out.push(' ');
        push_padded(&mut out, 1234, 3);
        assert_eq!(
            out,
            "0 18446744073709551615 -9223372036854775808 -170141183460469231731687303715884105728 007 1234"
        );
        let mut out = String::new();
        for v in [1.0, 1e20, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0] {
            json_f64(&mut out, v);
            out.push(' ');
        }
        assert_eq!(out, "1.0 1e+20 \"NaN\" \"Infinity\" \"-Infinity\" -0.0 ");
    }

    #[test]
    fn logfmt_quotes_only_when_needed() {
        let value = |s: &str| {
            let mut out = String::new();
            logfmt_str(&mut out, s);
            out
        };
        assert_eq!(value("ok"), "ok");
        assert_eq!(value("a\\b"), "a\\b");
        assert_eq!(value(""), "\"\"");
        assert_eq!(value("a b"), "\"a b\"");
        assert_eq!(value("a=b"), "\"a=b\"");
        assert_eq!(value("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
        assert_eq!(value("\u{1}\u{7f}\u{85}"), "\"\\u0001\\u007f\\u0085\"");
        assert_eq!(value("nb\u{a0}sp"), "\"nb\u{a0}sp\"");
        assert_eq!(value("ls\u{2028}"), "\"ls\\u2028\"");
        assert_eq!(value("café"), "café");
        let key = |s: &str| {
            let mut out = String::new();
            logfmt_key(&mut out, s);
            out
        };
        assert_eq!(key("user.id"), "user.id");
        assert_eq!(key(""), "_");
        assert_eq!(key("a b=c\"d\ne"), "a_b_c_d_e");
    }

    /// The escapes, one char at a time.
    fn reference_escape(s: &str, logfmt: bool) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' if !logfmt => out.push_str("\\b"),
                '\u{c}' if !logfmt => out.push_str("\\f"),
                '\u{7f}' if !logfmt => out.push(c),
                '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out
    }

    fn reference_needs_quotes(s: &str) -> bool {
        s.is_empty()
            || s.chars()
                .any(|c| c <= ' ' || c == '=' || c == '"' || c.is_control() || c.is_whitespace())
    }

    proptest::proptest! {
        #[test]
        fn escapes_match_the_reference(
            s in "[\\x00-\\x1f\\x7f-\\u{a0}\"\\\\=a b\u{2026}\u{2028}\u{2029}\u{20ac}é]{0,40}",
            any in proptest::prelude::any::<String>(),
        ) {
            for s in [&s, &any] {
                let mut out = String::new();
                json_str(&mut out, s);
                proptest::prop_assert_eq!(&out, &reference_escape(s, false));
                let mut out = String::new();
                logfmt_escape(&mut out, s);
                proptest::prop_assert_eq!(&out, &reference_escape(s, true));
                proptest::prop_assert_eq!(logfmt_needs_quotes(s), reference_needs_quotes(s));
            }
        }
    }

    #[test]
    fn long_runs_take_the_fast_path_and_still_stop() {
        for at in 0..24 {
            for special in [
                "\"", "\\", "\n", "\u{1}", "\u{7f}", "\u{85}", "\u{2028}", "é", "=",
            ] {
                let s = format!("{}{special}{}", "a".repeat(at), "b".repeat(20 - at.min(20)));
                let mut out = String::new();
                json_str(&mut out, &s);
                assert_eq!(out, reference_escape(&s, false), "{s:?}");
                let mut out = String::new();
                logfmt_escape(&mut out, &s);
                assert_eq!(out, reference_escape(&s, true), "{s:?}");
                assert_eq!(logfmt_needs_quotes(&s), reference_needs_quotes(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn preset_keys() {
        let mut out = String::new();
        gelf_key(&mut out, "a b.c-d_é");
        assert_eq!(out, "a_b.c-d__");
        let mut out = String::new();
        dedot_key(&mut out, "a.b*c\\d\"");
        assert_eq!(out, "a_b_c_d\\\"");
    }
}
