//! Digit sources shared by both mini-languages: a stack buffer, float layout
//! (`PyOS_double_to_string`) and integer digits.

use std::fmt::{self, Write as _};

use super::{PyFmtError, err};

const BUF_CAP: usize = 400;

/// An ASCII scratch buffer on the stack that spills to the heap only for huge outputs
/// (e.g. `%.500f`), so the formatting paths allocate nothing but `out`'s growth.
pub(super) struct Buf {
    arr: [u8; BUF_CAP],
    len: usize,
    heap: Vec<u8>,
    failed: bool,
}

impl Buf {
    pub(super) fn new() -> Self {
        Buf {
            arr: [0; BUF_CAP],
            len: 0,
            heap: Vec::new(),
            failed: false,
        }
    }

    fn clear(&mut self) {
        self.len = 0;
        self.heap.clear();
    }

    fn bytes(&self) -> &[u8] {
        if self.heap.is_empty() {
            self.arr.get(..self.len).unwrap_or(&[])
        } else {
            &self.heap
        }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        if self.heap.is_empty() {
            self.arr.get_mut(..self.len).unwrap_or(&mut [])
        } else {
            &mut self.heap
        }
    }

    fn push_bytes(&mut self, b: &[u8]) {
        if self.heap.is_empty() {
            if let Some(dst) = self.arr.get_mut(self.len..self.len + b.len()) {
                dst.copy_from_slice(b);
                self.len += b.len();
                return;
            }
            if self.heap.try_reserve(self.len + b.len()).is_err() {
                self.failed = true;
                return;
            }
            self.heap
                .extend_from_slice(self.arr.get(..self.len).unwrap_or(&[]));
        }
        if self.heap.try_reserve(b.len()).is_err() {
            self.failed = true;
            return;
        }
        self.heap.extend_from_slice(b);
    }

    /// Python's MemoryError if a huge precision could not be allocated.
    pub(super) fn check(&self) -> Result<&str, PyFmtError> {
        if self.failed {
            return Err(err("MemoryError"));
        }
        Ok(self.as_str())
    }

    pub(super) fn push(&mut self, b: u8) {
        self.push_bytes(&[b]);
    }

    fn push_zeros(&mut self, n: i64) {
        const ZEROS: &[u8; 32] = b"00000000000000000000000000000000";
        let mut n = usize::try_from(n).unwrap_or(0);
        while n > 0 {
            let k = n.min(ZEROS.len());
            self.push_bytes(ZEROS.get(..k).unwrap_or(&[]));
            n -= k;
        }
    }

    fn pop_if(&mut self, b: u8) {
        if self.bytes().last() == Some(&b) {
            if self.heap.is_empty() {
                self.len -= 1;
            } else {
                self.heap.pop();
            }
        }
    }

    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes()).unwrap_or("")
    }
}

impl fmt::Write for Buf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_bytes(s.as_bytes());
        Ok(())
    }
}

/// The conversion families of `PyOS_double_to_string`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// `f`: `prec` digits after the point.
    Fixed,
    /// `e`: one digit, point, `prec` digits, exponent.
    Exp,
    /// `g`: `prec` significant digits, exponent iff exp < -4 or exp >= prec.
    General,
    /// `r`: shortest round-trip digits, exponent iff exp < -4 or exp >= 16.
    Repr,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct FloatFmt {
    pub(super) style: Style,
    pub(super) prec: usize,
    /// `#`: keep trailing zeros (`g`) and a trailing point.
    pub(super) alt: bool,
    /// `Py_DTSF_ADD_DOT_0`: repr()/`{}`/`{:.3}` keep at least one digit after the point.
    pub(super) add_dot_0: bool,
    pub(super) upper: bool,
}

impl FloatFmt {
    pub(super) const REPR: FloatFmt = FloatFmt {
        style: Style::Repr,
        prec: 0,
        alt: false,
        add_dot_0: true,
        upper: false,
    };
}

const MAX_PLACES: usize = 1100;
const MAX_DIGITS: usize = 800;

/// Appends Python's text for `|v|` (no sign) in format `f` to `buf`; `raw` is scratch.
pub(super) fn float_body(buf: &mut Buf, raw: &mut Buf, v: f64, mut f: FloatFmt) {
    let v = v.abs();
    if f.style == Style::Exp && f.prec >= i32::MAX as usize {
        f.prec = 0; // CPython's `precision + 1` digits overflow to a single digit at INT_MAX.
    }
    if !v.is_finite() {
        let text = match (v.is_nan(), f.upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        buf.push_bytes(text.as_bytes());
        return;
    }
    raw.clear();
    let p = f.prec.max(1);
    // An f64 has at most 1074 decimal places and 767 significant digits, so digits past
    // these caps are zeros (Rust's formatter also caps precision at u16::MAX); the layout
    // step pads them back.
    let _ = match f.style {
        Style::Fixed => {
            let _ = write!(buf, "{:.*}", f.prec.min(MAX_PLACES), v);
            buf.push_zeros(f.prec.saturating_sub(MAX_PLACES) as i64);
            if f.alt && f.prec == 0 {
                buf.push(b'.');
            }
            return;
        }
        Style::Exp => write!(raw, "{:.*e}", f.prec.min(MAX_DIGITS), v),
        Style::General => write!(raw, "{:.*e}", p.min(MAX_DIGITS) - 1, v),
        Style::Repr => write!(raw, "{v:e}"),
    };
    // Rust gives "d.ddde-7": turn the mantissa into a contiguous digit run by moving the
    // first digit onto the point.
    let bytes = raw.bytes_mut();
    let epos = bytes.iter().position(|&b| b == b'e').unwrap_or(bytes.len());
    let (mant, exp_text) = bytes.split_at_mut(epos);
    let exp: i64 = std::str::from_utf8(exp_text.get(1..).unwrap_or(&[]))
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if let [first, second, ..] = mant {
        *second = *first;
    }
    let digits: &[u8] = if mant.len() > 1 {
        mant.get(1..).unwrap_or(&[])
    } else {
        mant
    };
    let decpt = exp + 1;
    let p = p as i64;
    let (digits, use_exp, vend) = match f.style {
        Style::Exp => (digits, true, f.prec as i64 + 1),
        Style::General => {
            // dtoa strips trailing zeros; `#` pads them back.
            let keep = digits.iter().rposition(|&d| d != b'0').map_or(1, |i| i + 1);
            let digits = digits.get(..keep).unwrap_or(digits);
            let limit = if f.add_dot_0 { p - 1 } else { p };
            let vend = if f.alt { p } else { digits.len() as i64 };
            (digits, decpt <= -4 || decpt > limit, vend)
        }
        _ => (digits, decpt <= -4 || decpt > 16, digits.len() as i64),
    };
    layout_digits(buf, digits, decpt, use_exp, vend, f);
}

/// The layout step of CPython's `format_float_short`: prints the slice
/// `[vstart, vend)` of the digit string padded with zeros on both sides, with the point
/// after `decpt` digits, then drops a trailing point (unless `#`) and adds the exponent.
fn layout_digits(buf: &mut Buf, digits: &[u8], decpt: i64, use_exp: bool, vend: i64, f: FloatFmt) {
    let n = digits.len() as i64;
    let (decpt, exp) = if use_exp { (1, decpt - 1) } else { (decpt, 0) };
    let vend = if !use_exp && f.add_dot_0 {
        vend.max(decpt + 1)
    } else {
        vend.max(decpt)
    };
    if decpt <= 0 {
        buf.push_bytes(b"0.");
        buf.push_zeros(-decpt);
    }
    match digits.split_at_checked(usize::try_from(decpt).unwrap_or(0)) {
        Some((int_part, frac)) if decpt > 0 => {
            buf.push_bytes(int_part);
            buf.push(b'.');
            buf.push_bytes(frac);
        }
        _ => buf.push_bytes(digits),
    }
    if n < decpt {
        buf.push_zeros(decpt - n);
        buf.push(b'.');
        buf.push_zeros(vend - decpt);
    } else {
        buf.push_zeros(vend - n);
    }
    if !f.alt {
        buf.pop_if(b'.');
    }
    if use_exp {
        let e = if f.upper { 'E' } else { 'e' };
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(buf, "{e}{sign}{:02}", exp.unsigned_abs());
    }
}

/// The digits of `m` in `base` (prefixed by `-` if `neg`), written right-aligned in `buf`.
pub(super) fn int_str(buf: &mut [u8; 130], mut m: u128, neg: bool, base: u32, upper: bool) -> &str {
    let mut i = buf.len();
    loop {
        let d = char::from_digit((m % u128::from(base)) as u32, base).unwrap_or('0');
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = if upper { d.to_ascii_uppercase() } else { d } as u8;
        }
        m /= u128::from(base);
        if m == 0 || i <= 1 {
            break;
        }
    }
    if neg {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'-';
        }
    }
    std::str::from_utf8(buf.get(i..).unwrap_or(&[])).unwrap_or("")
}
