//! printf-style (`%`) conversions: one `%` spec, parsed and applied to a value.

use std::fmt::Write as _;

use super::digits::{Buf, FloatFmt, Style, float_body, int_str};
use super::repr::{write_repr, write_str_repr};
use super::{PyFmtError, PyValue, err, push_fill, truncate_chars};

/// One printf-style conversion, the part after `%` or after `%(name)`: flags `#0- +`,
/// width, `.precision`, optional length modifier `h`/`l`/`L` (ignored, as Python does), and
/// the conversion char among `s r a d i u o x X e E f F g G c %`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentSpec {
    /// `-`: pad on the right.
    pub left: bool,
    /// `0`: pad numbers with zeros after the sign (ignored for `s r a c`).
    pub zero: bool,
    /// `+`: always print a sign on numbers.
    pub plus: bool,
    /// ` `: a space where a non-negative number's sign would be.
    pub space: bool,
    /// `#`: `0x`/`0X`/`0o` prefix, and keep the point / trailing zeros of floats.
    pub alt: bool,
    /// Minimum field width in code points.
    pub width: Option<usize>,
    /// Digits for floats, minimum digits for ints, maximum code points for `s r a`.
    pub precision: Option<usize>,
    /// The conversion character.
    pub conv: char,
}

pub(super) const PERCENT_CONVS: &str = "sradiuoxXeEfFgGc%";

/// `ValueError` for an unknown conversion; `index` is the code-point index in the message.
pub(super) fn unsupported(c: char, index: Option<usize>) -> PyFmtError {
    let code = u32::from(c);
    let shown = if (31..=126).contains(&code) { c } else { '?' };
    let mut msg = format!("unsupported format character '{shown}' (0x{code:x})");
    if let Some(i) = index {
        let _ = write!(msg, " at index {i}");
    }
    err(msg)
}

/// CPython's `unicode_format_arg_parse` after the mapping key: flags, width (`*` asks `star`
/// for an int), precision, length modifier, conversion char (not validated here).
pub(super) fn parse_percent(
    s: &str,
    star: &mut dyn FnMut() -> Result<i128, PyFmtError>,
) -> Result<(PercentSpec, usize), PyFmtError> {
    let mut spec = PercentSpec {
        left: false,
        zero: false,
        plus: false,
        space: false,
        alt: false,
        width: None,
        precision: None,
        conv: '\0',
    };
    let mut chars = s.chars();
    let mut ch = chars.next();
    loop {
        match ch {
            Some('-') => spec.left = true,
            Some('+') => spec.plus = true,
            Some(' ') => spec.space = true,
            Some('#') => spec.alt = true,
            Some('0') => spec.zero = true,
            _ => break,
        }
        ch = chars.next();
    }
    if ch == Some('*') {
        let w = isize::try_from(star()?)
            .map_err(|_| err("Python int too large to convert to C ssize_t"))?;
        spec.left |= w < 0;
        spec.width = Some(w.unsigned_abs());
        ch = chars.next();
    } else if let Some(d) = ch.and_then(|c| c.to_digit(10)) {
        let mut w = d as usize;
        loop {
            ch = chars.next();
            let Some(d) = ch.and_then(|c| c.to_digit(10)) else {
                break;
            };
            if w > (isize::MAX as usize - d as usize) / 10 {
                return Err(err("width too big"));
            }
            w = w * 10 + d as usize;
        }
        spec.width = Some(w);
    }
    if ch == Some('.') {
        let mut p = 0usize;
        ch = chars.next();
        if ch == Some('*') {
            let v = i32::try_from(star()?)
                .map_err(|_| err("Python int too large to convert to C int"))?;
            p = v.max(0) as usize;
            ch = chars.next();
        } else if let Some(d) = ch.and_then(|c| c.to_digit(10)) {
            p = d as usize;
            loop {
                ch = chars.next();
                let Some(d) = ch.and_then(|c| c.to_digit(10)) else {
                    break;
                };
                if p > (i32::MAX as usize - d as usize) / 10 {
                    return Err(err("precision too big"));
                }
                p = p * 10 + d as usize;
            }
        }
        spec.precision = Some(p);
    }
    if matches!(ch, Some('h' | 'l' | 'L')) {
        ch = chars.next();
    }
    spec.conv = ch.ok_or_else(|| err("incomplete format"))?;
    Ok((spec, s.len() - chars.as_str().len()))
}

impl PercentSpec {
    /// Parses at the start of `s` (the text right after `%` or `%(name)`), returns the spec
    /// and the number of bytes consumed. `*` width/precision is an error here. A bare `%`
    /// (the `%%` escape) parses as conv `'%'`, which writes a literal `%`; `%5%` is an error
    /// as in Python, but rejecting `%(name)%` is the caller's job.
    pub fn parse(s: &str) -> Result<(PercentSpec, usize), PyFmtError> {
        let mut no_star = || Err(err("'*' width or precision needs an argument tuple"));
        let (spec, used) = parse_percent(s, &mut no_star)?;
        if !PERCENT_CONVS.contains(spec.conv) || (spec.conv == '%' && used != 1) {
            return Err(unsupported(spec.conv, None));
        }
        Ok((spec, used))
    }

    /// Writes a str: `%s` pads/truncates it, `%r`/`%a` its repr()/ascii(), `%c` a
    /// 1-character str; numeric conversions are Python's TypeError.
    pub fn write_str(&self, out: &mut String, s: &str) -> Result<(), PyFmtError> {
        match self.conv {
            's' => self.pad_text(out, s),
            'r' | 'a' => {
                let start = out.len();
                write_str_repr(out, s, self.conv == 'a');
                self.pad_in_place(out, start)
            }
            'c' => {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => self.pad_text(out, c.encode_utf8(&mut [0; 4])),
                    _ => Err(err("%c requires int or char")),
                }
            }
            _ => self.type_error(out, "str"),
        }
    }

    /// Writes an int with any conversion; `%s`/`%r`/`%a` give str(int), `%c` gives chr().
    pub fn write_int(&self, out: &mut String, v: i128) -> Result<(), PyFmtError> {
        let mut b = [0u8; 130];
        let (base, prefix) = match self.conv {
            's' | 'r' | 'a' => {
                return self.pad_text(out, int_str(&mut b, v.unsigned_abs(), v < 0, 10, false));
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => return self.write_float(out, v as f64),
            'c' => {
                if !(0..=0x10ffff).contains(&v) {
                    return Err(err("%c arg not in range(0x110000)"));
                }
                let c = char::from_u32(v as u32).unwrap_or('\u{fffd}');
                return self.pad_text(out, c.encode_utf8(&mut [0; 4]));
            }
            'o' => (8, "0o"),
            'x' => (16, "0x"),
            'X' => (16, "0X"),
            'd' | 'i' | 'u' => (10, ""),
            _ => return self.type_error(out, "int"),
        };
        if self.precision.is_some_and(|p| p > i32::MAX as usize - 3) {
            return Err(err("precision too large"));
        }
        let digits = int_str(&mut b, v.unsigned_abs(), false, base, self.conv == 'X');
        let prefix = if self.alt { prefix } else { "" };
        self.pad_number(out, v < 0, prefix, digits)
    }

    /// Writes a float: `%e %f %g` (and upper-case) format it; `%d`/`%i`/`%u` truncate like
    /// int(); `%s`/`%r`/`%a` give repr(); `%x`/`%o`/`%c` are Python's TypeError.
    pub fn write_float(&self, out: &mut String, v: f64) -> Result<(), PyFmtError> {
        let mut buf = Buf::new();
        let mut raw = Buf::new();
        let style = match self.conv {
            's' | 'r' | 'a' => {
                if v.is_sign_negative() && !v.is_nan() {
                    buf.push(b'-');
                }
                float_body(&mut buf, &mut raw, v, FloatFmt::REPR);
                return self.pad_text(out, buf.as_str());
            }
            'd' | 'i' | 'u' => {
                if v.is_nan() {
                    return Err(err("cannot convert float NaN to integer"));
                }
                if v.is_infinite() {
                    return Err(err("cannot convert float infinity to integer"));
                }
                let t = v.trunc();
                if t.abs() < 1e38 {
                    return self.write_int(out, t as i128);
                }
                let _ = write!(buf, "{:.0}", t.abs());
                return self.pad_number(out, t < 0.0, "", buf.as_str());
            }
            'e' | 'E' => Style::Exp,
            'f' | 'F' => Style::Fixed,
            'g' | 'G' => Style::General,
            'c' => return Err(err("%c requires int or char")),
            _ => return self.type_error(out, "float"),
        };
        let f = FloatFmt {
            style,
            prec: self.precision.unwrap_or(6),
            alt: self.alt,
            add_dot_0: false,
            upper: self.conv.is_ascii_uppercase(),
        };
        float_body(&mut buf, &mut raw, v, f);
        self.pad_number(out, v.is_sign_negative() && !v.is_nan(), "", buf.check()?)
    }

    /// Writes any value: bool acts as an int for numeric conversions but its str() is
    /// `True`/`False`; None/list/tuple/dict take only `%s`/`%r`/`%a`.
    pub fn write_value(&self, out: &mut String, v: &PyValue) -> Result<(), PyFmtError> {
        match v {
            PyValue::Str(s) => self.write_str(out, s),
            PyValue::Int(i) => self.write_int(out, *i),
            PyValue::Float(f) => self.write_float(out, *f),
            PyValue::Bool(b) if matches!(self.conv, 's' | 'r' | 'a') => {
                self.pad_text(out, if *b { "True" } else { "False" })
            }
            PyValue::Bool(b) => self.write_int(out, i128::from(*b)),
            other => match self.conv {
                's' | 'r' | 'a' => {
                    let start = out.len();
                    write_repr(out, other, self.conv == 'a');
                    self.pad_in_place(out, start)
                }
                'c' => Err(err("%c requires int or char")),
                _ => self.type_error(out, other.type_name()),
            },
        }
    }

    /// The TypeError of a numeric conversion on a value of type `tname`; `%%` writes `%`.
    fn type_error(&self, out: &mut String, tname: &str) -> Result<(), PyFmtError> {
        let c = self.conv;
        let msg = match c {
            'd' | 'i' | 'u' => format!("%{c} format: a real number is required, not {tname}"),
            'o' | 'x' | 'X' => format!("%{c} format: an integer is required, not {tname}"),
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => format!("must be real number, not {tname}"),
            'c' => "%c requires int or char".to_owned(),
            '%' => {
                out.push('%');
                return Ok(());
            }
            _ => return Err(unsupported(c, None)),
        };
        Err(err(msg))
    }

    /// Pads (and for `s r a` truncates to the precision) a text conversion.
    fn pad_text(&self, out: &mut String, text: &str) -> Result<(), PyFmtError> {
        let (text, len) = match self.precision {
            Some(p) if matches!(self.conv, 's' | 'r' | 'a') => truncate_chars(text, p),
            _ if self.width.is_none() => (text, 0),
            _ => (text, text.chars().count()),
        };
        let pad = self.width.unwrap_or(0).saturating_sub(len);
        if !self.left {
            push_fill(out, ' ', pad)?;
        }
        out.push_str(text);
        if self.left {
            push_fill(out, ' ', pad)?;
        }
        Ok(())
    }

    /// Like `pad_text` for text already written to `out[start..]`.
    fn pad_in_place(&self, out: &mut String, start: usize) -> Result<(), PyFmtError> {
        if self.width.is_none() && self.precision.is_none() {
            return Ok(());
        }
        let (kept, len) = truncate_chars(
            out.get(start..).unwrap_or(""),
            self.precision.unwrap_or(usize::MAX),
        );
        out.truncate(start + kept.len());
        let pad = self.width.unwrap_or(0).saturating_sub(len);
        if pad > 0 && self.left {
            push_fill(out, ' ', pad)?;
        } else if pad > 0 {
            let tail = out.split_off(start);
            push_fill(out, ' ', pad)?;
            out.push_str(&tail);
        }
        Ok(())
    }

    /// CPython's `unicode_format_arg_output` for a number `[-][prefix]body`: the precision
    /// zeros are already in `body` for floats and added here for ints.
    fn pad_number(
        &self,
        out: &mut String,
        neg: bool,
        prefix: &str,
        body: &str,
    ) -> Result<(), PyFmtError> {
        let zeros = match self.conv {
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                self.precision.unwrap_or(0).saturating_sub(body.len())
            }
            _ => 0,
        };
        let sign = if neg {
            Some('-')
        } else if self.plus {
            Some('+')
        } else if self.space {
            Some(' ')
        } else {
            None
        };
        let fill = if self.zero { '0' } else { ' ' };
        let mut len = prefix.len() + zeros + body.len();
        let mut width = self.width.unwrap_or(0).max(len);
        if let Some(c) = sign {
            if fill != ' ' {
                out.push(c);
            }
            if width > len {
                width -= 1;
            }
        }
        if !prefix.is_empty() {
            if fill != ' ' {
                out.push_str(prefix);
            }
            width = width.saturating_sub(2);
            len = len.saturating_sub(2);
        }
        if width > len && !self.left {
            push_fill(out, fill, width - len)?;
            width = len;
        }
        if fill == ' ' {
            if let Some(c) = sign {
                out.push(c);
            }
            out.push_str(prefix);
        }
        push_fill(out, '0', zeros)?;
        out.push_str(body);
        push_fill(out, ' ', width.saturating_sub(len))
    }
}
