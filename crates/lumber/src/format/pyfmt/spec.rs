//! Python's format-spec mini-language (`{name:spec}`, `format(v, spec)`).

use std::fmt::Write as _;

use super::digits::{Buf, FloatFmt, Style, float_body, int_str};
use super::repr::{py_str, repr_float};
use super::unicode::decimal_value;
use super::{PyFmtError, PyValue, err, push_fill, truncate_chars};

/// Python's format-spec mini-language
/// (`[[fill]align][sign][z][#][0][width][grouping][.precision][type]`) as used by
/// `str.format` / `{name:spec}`. Defaults that depend on the value's type (alignment, the
/// `0` flag's `=` alignment, the default type) are resolved when writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    /// Fill character, only when given together with an alignment.
    pub fill: Option<char>,
    /// `<`, `>`, `^` or `=`.
    pub align: Option<char>,
    /// `+`, `-` or ` `.
    pub sign: Option<char>,
    /// `z`: a float that rounds to zero prints without `-`.
    pub no_neg_zero: bool,
    /// `#`: `0b`/`0o`/`0x` prefixes, keep a float's point and trailing zeros.
    pub alternate: bool,
    /// `0` before the width: fill with `0` (and align `=` for numbers) unless a fill is given.
    pub zero: bool,
    /// Minimum field width in code points.
    pub width: Option<usize>,
    /// `,` or `_` thousands separator.
    pub grouping: Option<char>,
    /// Float digits, or the maximum code points of a str.
    pub precision: Option<usize>,
    /// The presentation type, if any.
    pub ty: Option<char>,
}

/// A number broken up for `calc_number_widths`/`fill_number`:
/// `[sign][prefix][grouped digits][.][rest]`.
struct Num<'a> {
    neg: bool,
    prefix: &'a str,
    digits: &'a str,
    decimal: bool,
    rest: &'a str,
    /// Group size and separator.
    group: Option<(i64, char)>,
}

fn unknown_code(ty: char, tname: &str) -> PyFmtError {
    let code = u32::from(ty);
    err(if code > 32 && code < 128 {
        format!("Unknown format code '{ty}' for object of type '{tname}'")
    } else {
        format!("Unknown format code '\\x{code:x}' for object of type '{tname}'")
    })
}

fn cannot_group(sep: char, ty: char) -> PyFmtError {
    let code = u32::from(ty);
    err(if code > 32 && code < 128 {
        format!("Cannot specify '{sep}' with '{ty}'.")
    } else {
        format!("Cannot specify '{sep}' with '\\x{code:x}'.")
    })
}
/// CPython's `get_integer`: a run of decimal digits, `None` if there is none.
fn spec_integer(
    rest: &mut std::iter::Peekable<std::str::Chars<'_>>,
) -> Result<Option<usize>, PyFmtError> {
    let mut acc: Option<usize> = None;
    while let Some(d) = rest.peek().copied().and_then(decimal_value) {
        let a = acc.unwrap_or(0);
        if a > (isize::MAX as usize - d) / 10 {
            return Err(err("Too many decimal digits in format string"));
        }
        acc = Some(a * 10 + d);
        rest.next();
    }
    Ok(acc)
}

impl FormatSpec {
    /// Parses a format spec, with the checks Python makes before looking at the value's
    /// type. An unparsable tail is `Invalid format specifier '<spec>'` (Python adds
    /// ` for object of type '<type>'`, which is not known here).
    pub fn parse(spec: &str) -> Result<FormatSpec, PyFmtError> {
        let mut f = FormatSpec::EMPTY;
        let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
        let mut it = spec.chars().peekable();
        let mut two = spec.chars();
        match (two.next(), two.next()) {
            (Some(fill), Some(a)) if is_align(a) => {
                f.fill = Some(fill);
                f.align = Some(a);
                it.next();
                it.next();
            }
            (Some(a), _) if is_align(a) => {
                f.align = Some(a);
                it.next();
            }
            _ => {}
        }
        if let Some(s) = it.next_if(|&c| matches!(c, '+' | '-' | ' ')) {
            f.sign = Some(s);
        }
        f.no_neg_zero = it.next_if_eq(&'z').is_some();
        f.alternate = it.next_if_eq(&'#').is_some();
        f.zero = f.fill.is_none() && it.next_if_eq(&'0').is_some();
        f.width = spec_integer(&mut it)?;
        if it.next_if_eq(&',').is_some() {
            f.grouping = Some(',');
        }
        if it.next_if_eq(&'_').is_some() {
            if f.grouping.is_some() {
                return Err(err("Cannot specify both ',' and '_'."));
            }
            f.grouping = Some('_');
        }
        if f.grouping == Some('_') && it.peek() == Some(&',') {
            return Err(err("Cannot specify both ',' and '_'."));
        }
        if it.next_if_eq(&'.').is_some() {
            let p = spec_integer(&mut it)?;
            f.precision = Some(p.ok_or_else(|| err("Format specifier missing precision"))?);
        }
        f.ty = it.next();
        if it.next().is_some() {
            return Err(err(format!("Invalid format specifier '{spec}'")));
        }
        if let (Some(g), Some(t)) = (f.grouping, f.ty) {
            match t {
                'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' => {}
                'b' | 'o' | 'x' | 'X' if g == '_' => {}
                _ => return Err(cannot_group(g, t)),
            }
        }
        Ok(f)
    }

    /// The empty spec: `format(v, '')` is `str(v)`.
    const EMPTY: FormatSpec = FormatSpec {
        fill: None,
        align: None,
        sign: None,
        no_neg_zero: false,
        alternate: false,
        zero: false,
        width: None,
        grouping: None,
        precision: None,
        ty: None,
    };

    fn is_empty(&self) -> bool {
        *self == Self::EMPTY
    }

    /// Fill and alignment after the type-dependent defaults (`'0'` means `=` for numbers).
    fn fill_align(&self, default_align: char) -> (char, char) {
        let fill = self.fill.unwrap_or(if self.zero { '0' } else { ' ' });
        let align = self.align.unwrap_or(if self.zero && default_align == '>' {
            '='
        } else {
            default_align
        });
        (fill, align)
    }

    /// Formats a str: default alignment left, type `s` or none, precision truncates.
    pub fn write_str(&self, out: &mut String, s: &str) -> Result<(), PyFmtError> {
        if self.is_empty() {
            out.push_str(s);
            return Ok(());
        }
        if let (Some(g), None) = (self.grouping, self.ty) {
            return Err(cannot_group(g, 's'));
        }
        match self.ty {
            None | Some('s') => {}
            Some(t) => return Err(unknown_code(t, "str")),
        }
        let what = "not allowed in string format specifier";
        match self.sign {
            Some(' ') => return Err(err(format!("Space {what}"))),
            Some(_) => return Err(err(format!("Sign {what}"))),
            None => {}
        }
        if self.no_neg_zero {
            return Err(err(format!("Negative zero coercion (z) {what}")));
        }
        if self.alternate {
            return Err(err(format!("Alternate form (#) {what}")));
        }
        let (fill, align) = self.fill_align('<');
        if align == '=' {
            return Err(err(format!("'=' alignment {what}")));
        }
        let (text, len) = truncate_chars(s, self.precision.unwrap_or(usize::MAX));
        let pad = self.width.unwrap_or(0).saturating_sub(len);
        let lpad = match align {
            '>' => pad,
            '^' => pad / 2,
            _ => 0,
        };
        push_fill(out, fill, lpad)?;
        out.push_str(text);
        push_fill(out, fill, pad - lpad)
    }

    /// Formats an int: default alignment right; types `b c d o x X n`, and `e E f F g G %`
    /// through float(); grouping `,` and `_` (every 4 digits for `b o x X`).
    pub fn write_int(&self, out: &mut String, v: i128) -> Result<(), PyFmtError> {
        self.fmt_int(out, v, "int")
    }

    /// Formats a float: types `e E f F g G n %` and none (repr() without a precision, else
    /// like `g` but always with a digit after the point, switching to an exponent at
    /// `precision` digits before the point instead of `precision + 1`).
    pub fn write_float(&self, out: &mut String, v: f64) -> Result<(), PyFmtError> {
        self.fmt_float(out, v, "float")
    }

    /// Formats any value; bool is an int except that the empty spec gives `True`/`False`;
    /// None/list/tuple/dict take only the empty spec (`object.__format__`).
    pub fn write_value(&self, out: &mut String, v: &PyValue) -> Result<(), PyFmtError> {
        match v {
            PyValue::Str(s) => self.write_str(out, s),
            PyValue::Int(i) => self.fmt_int(out, *i, "int"),
            PyValue::Float(f) => self.fmt_float(out, *f, "float"),
            PyValue::Bool(b) if !self.is_empty() => self.fmt_int(out, i128::from(*b), "bool"),
            other if self.is_empty() => {
                py_str(out, other);
                Ok(())
            }
            other => Err(err(format!(
                "unsupported format string passed to {}.__format__",
                other.type_name()
            ))),
        }
    }

    fn fmt_int(&self, out: &mut String, v: i128, tname: &str) -> Result<(), PyFmtError> {
        if self.is_empty() {
            let _ = write!(out, "{v}");
            return Ok(());
        }
        let ty = self.ty.unwrap_or('d');
        let (base, prefix) = match ty {
            'b' => (2, "0b"),
            'o' => (8, "0o"),
            'x' => (16, "0x"),
            'X' => (16, "0X"),
            'd' | 'n' | 'c' => (10, ""),
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return self.fmt_float(out, v as f64, tname),
            t => return Err(unknown_code(t, tname)),
        };
        if self.precision.is_some() {
            return Err(err("Precision not allowed in integer format specifier"));
        }
        if self.no_neg_zero {
            return Err(err(
                "Negative zero coercion (z) not allowed in integer format specifier",
            ));
        }
        let mut char_buf = [0u8; 4];
        let mut digit_buf = [0u8; 130];
        let num = if ty == 'c' {
            if self.sign.is_some() {
                return Err(err("Sign not allowed with integer format specifier 'c'"));
            }
            if self.alternate {
                return Err(err(
                    "Alternate form (#) not allowed with integer format specifier 'c'",
                ));
            }
            let x =
                i64::try_from(v).map_err(|_| err("Python int too large to convert to C long"))?;
            if !(0..=0x10ffff).contains(&x) {
                return Err(err("%c arg not in range(0x110000)"));
            }
            let c = char::from_u32(x as u32).unwrap_or('\u{fffd}');
            Num {
                neg: false,
                prefix: "",
                digits: "",
                decimal: false,
                rest: c.encode_utf8(&mut char_buf),
                group: None,
            }
        } else {
            let group = match (ty, self.grouping) {
                ('n', _) | (_, None) => None,
                (_, Some(g)) => Some((if base == 10 || g == ',' { 3 } else { 4 }, g)),
            };
            Num {
                neg: v < 0,
                prefix: if self.alternate { prefix } else { "" },
                digits: int_str(&mut digit_buf, v.unsigned_abs(), false, base, ty == 'X'),
                decimal: false,
                rest: "",
                group,
            }
        };
        self.write_num(out, &num)
    }

    fn fmt_float(&self, out: &mut String, v: f64, tname: &str) -> Result<(), PyFmtError> {
        if self.is_empty() {
            repr_float(out, v);
            return Ok(());
        }
        let (style, upper) = match self.ty {
            None if self.precision.is_none() => (Style::Repr, false),
            None | Some('g' | 'n') => (Style::General, false),
            Some('G') => (Style::General, true),
            Some('e') => (Style::Exp, false),
            Some('E') => (Style::Exp, true),
            Some('f' | '%') => (Style::Fixed, false),
            Some('F') => (Style::Fixed, true),
            Some(t) => return Err(unknown_code(t, tname)),
        };
        if self.precision.is_some_and(|p| p > i32::MAX as usize) {
            return Err(err("precision too big"));
        }
        let pct = self.ty == Some('%');
        let v = if pct { v * 100.0 } else { v };
        let f = FloatFmt {
            style,
            prec: self
                .precision
                .unwrap_or(if self.ty.is_none() { 0 } else { 6 }),
            alt: self.alternate,
            add_dot_0: self.ty.is_none(),
            upper,
        };
        let mut buf = Buf::new();
        let mut raw = Buf::new();
        float_body(&mut buf, &mut raw, v, f);
        if pct {
            buf.push(b'%');
        }
        let body = buf.check()?;
        let mut neg = v.is_sign_negative() && !v.is_nan();
        if neg && self.no_neg_zero && v.is_finite() {
            neg = !body
                .bytes()
                .take_while(|&b| b != b'e' && b != b'E')
                .all(|b| b == b'0' || b == b'.' || b == b'%');
        }
        let split = body.bytes().take_while(u8::is_ascii_digit).count();
        let (digits, after) = body.split_at_checked(split).unwrap_or((body, ""));
        let (decimal, rest) = match after.strip_prefix('.') {
            Some(rest) => (true, rest),
            None => (false, after),
        };
        let group = match (self.ty, self.grouping) {
            (Some('n'), _) | (_, None) => None,
            (_, Some(g)) => Some((3, g)),
        };
        self.write_num(
            out,
            &Num {
                neg,
                prefix: "",
                digits,
                decimal,
                rest,
                group,
            },
        )
    }

    /// CPython's `calc_number_widths` + `fill_number`.
    fn write_num(&self, out: &mut String, n: &Num<'_>) -> Result<(), PyFmtError> {
        let (fill, align) = self.fill_align('>');
        let sign = match self.sign {
            Some('+') => Some(if n.neg { '-' } else { '+' }),
            Some(' ') => Some(if n.neg { '-' } else { ' ' }),
            _ => n.neg.then_some('-'),
        };
        let width = self
            .width
            .map_or(-1, |w| i64::try_from(w).unwrap_or(i64::MAX));
        let non_digits = i64::from(sign.is_some())
            + n.prefix.len() as i64
            + i64::from(n.decimal)
            + n.rest.chars().count() as i64;
        let min_width = if fill == '0' && align == '=' {
            width - non_digits
        } else {
            0
        };
        let (digit_chars, grouped) = grouped_len(n.digits.len() as i64, min_width, n.group);
        let padding = (width - non_digits - grouped).max(0);
        let (lpad, spad, rpad) = match align {
            '<' => (0, 0, padding),
            '^' => (padding / 2, 0, padding - padding / 2),
            '=' => (0, padding, 0),
            _ => (padding, 0, 0),
        };
        push_fill(out, fill, lpad as usize)?;
        if let Some(c) = sign {
            out.push(c);
        }
        out.push_str(n.prefix);
        push_fill(out, fill, spad as usize)?;
        let zeros = (digit_chars - n.digits.len() as i64).max(0) as usize;
        match n.group {
            Some((g, sep)) if digit_chars > 0 => {
                out.try_reserve(grouped as usize)
                    .map_err(|_| err("MemoryError"))?;
                let all = std::iter::repeat_n(b'0', zeros).chain(n.digits.bytes());
                for (i, d) in (0i64..).zip(all) {
                    if i > 0 && (digit_chars - i) % g == 0 {
                        out.push(sep);
                    }
                    out.push(char::from(d));
                }
            }
            _ => {
                push_fill(out, '0', zeros)?;
                out.push_str(n.digits);
            }
        }
        if n.decimal {
            out.push('.');
        }
        out.push_str(n.rest);
        push_fill(out, fill, rpad as usize)
    }
}

/// `_PyUnicode_InsertThousandsGrouping` in closed form: with `n` digits, zero-padded to
/// fill `min_width` (separators included), returns (digits incl. padding zeros, total chars).
/// A group never starts with a separator, so the result may exceed `min_width` by one.
pub(super) fn grouped_len(n: i64, min_width: i64, group: Option<(i64, char)>) -> (i64, i64) {
    if n == 0 {
        return (0, 0);
    }
    let min_width = min_width.max(0);
    match group {
        None => {
            let t = n.max(min_width);
            (t, t)
        }
        Some((g, _)) => {
            let total = |t: i64| t + (t - 1) / g;
            let mut t = n.max(min_width / (g + 1) * g - 1);
            while total(t) < min_width {
                t += 1;
            }
            (t, total(t))
        }
    }
}
