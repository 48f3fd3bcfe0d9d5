//! [`Arg`]: one decoded argument, formatted exactly as the original value.

use std::fmt;

/// One decoded argument of a deferred record.
///
/// Every formatting trait forwards the [`fmt::Formatter`] to the inner
/// value's own impl, so each flag, width and precision of the placeholder
/// applies exactly as it would have to the original value. [`Arg::Pre`] is
/// the exception: it holds text already formatted on the calling thread with
/// the placeholder's spec, and its impls write it as is.
///
/// A trait the inner type does not implement (`{:x}` on a `str`, say) can
/// only be reached through corrupt input, as the call site's code would not
/// have compiled: it writes nothing.
#[derive(Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// An `i8`.
    I8(i8),
    /// An `i16`.
    I16(i16),
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `i128`.
    I128(i128),
    /// An `isize`.
    Isize(isize),
    /// A `u8`.
    U8(u8),
    /// A `u16`.
    U16(u16),
    /// A `u32`.
    U32(u32),
    /// A `u64`.
    U64(u64),
    /// A `u128`.
    U128(u128),
    /// A `usize`.
    Usize(usize),
    /// An `f32`.
    F32(f32),
    /// An `f64`.
    F64(f64),
    /// A `bool`.
    Bool(bool),
    /// A `char`.
    Char(char),
    /// A string (`str`, `String`, `Cow<str>`, ...), formatted as a `str`.
    Str(&'a str),
    /// Text formatted on the calling thread; written as is, whatever the
    /// placeholder's spec.
    Pre(&'a str),
}

impl Default for Arg<'_> {
    /// What a [`Reader`](super::Reader) returns for corrupt input: an empty
    /// text, which formats as nothing under any spec.
    fn default() -> Self {
        Arg::Pre("")
    }
}

impl Arg<'_> {
    /// Appends what `{}` shows for this argument, without going through
    /// `fmt::Formatter` where a faster way gives the same text (integers,
    /// strings, booleans, chars). The decoders of call sites whose
    /// placeholders are all plain `{}` use it.
    #[inline]
    pub fn write_display(&self, out: &mut String) {
        let mut buf = itoa::Buffer::new();
        let text = match *self {
            Arg::I8(v) => buf.format(v),
            Arg::I16(v) => buf.format(v),
            Arg::I32(v) => buf.format(v),
            Arg::I64(v) => buf.format(v),
            Arg::I128(v) => buf.format(v),
            Arg::Isize(v) => buf.format(v),
            Arg::U8(v) => buf.format(v),
            Arg::U16(v) => buf.format(v),
            Arg::U32(v) => buf.format(v),
            Arg::U64(v) => buf.format(v),
            Arg::U128(v) => buf.format(v),
            Arg::Usize(v) => buf.format(v),
            Arg::Bool(v) => {
                if v {
                    "true"
                } else {
                    "false"
                }
            }
            Arg::Char(c) => {
                out.push(c);
                return;
            }
            Arg::Str(s) | Arg::Pre(s) => s,
            Arg::F32(v) => {
                write_float(out, v);
                return;
            }
            Arg::F64(v) => {
                write_float(out, v);
                return;
            }
        };
        super::push_short(out, text);
    }
}

/// Appends what `{}` shows for a float.
///
/// First the values people usually log, a decimal with a few digits after
/// the point (`20003.5`, `0.125`, `12.75`): if `v` is exactly the float
/// nearest to `s / 10^k` for an integer `s` below 2^51 and the smallest
/// such `k` up to 6, that decimal is the shortest one that reads back as
/// `v`, and the only one with `k` digits (the float's rounding interval is
/// narrower than `10^-k` there), so it is what std writes.
///
/// Otherwise `ryu` finds the same shortest digits as std, faster, but
/// spells some values differently: `1.0` where std writes `1`, and an
/// exponent (`1e16`, `1e-7`) where std writes every digit. The first is
/// trimmed; the second, like NaN and the infinities, goes to std. The two
/// also break exact ties differently (a value exactly halfway between two
/// shortest spellings: `312985.125f32`), so such values go to std too.
#[inline]
pub(crate) fn write_float<F: Float>(out: &mut String, v: F) {
    if !v.write_short_decimal(out) {
        write_float_long(out, v);
    }
}

/// [`write_float`] for what is not a short decimal.
#[inline(never)]
fn write_float_long<F: Float>(out: &mut String, v: F) {
    let mut buf = ryu::Buffer::new();
    let text = buf.format(v);
    let plain = !text.bytes().any(|b| b == b'e' || b == b'N' || b == b'i');
    // Fractional digits written, against those of the exact value: one
    // short means the last one dropped was its final 5, a tie.
    let written = text.find('.').map_or(0, |dot| text.len() - dot - 1);
    if plain && v.fraction_digits() != written + 1 {
        out.push_str(text.strip_suffix(".0").unwrap_or(text));
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{v}");
    }
}

/// Powers of ten for [`write_float`]'s short decimals.
const POW10: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];

/// Where short decimals stop: 2^51.
const SHORT_LIMIT: f64 = (1u64 << 51) as f64;

/// Writes `v` as a short decimal (see [`write_float`]) if it is one.
#[inline]
fn write_short_decimal(out: &mut String, v: f64) -> bool {
    let a = v.abs();
    // Zero (and -0), NaN, the infinities and large values go the long way
    // (a comparison with NaN is false).
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    if !(a < SHORT_LIMIT) || a == 0.0 {
        return false;
    }
    for (k, &p) in POW10.iter().enumerate() {
        let scaled = a * p;
        if scaled >= SHORT_LIMIT {
            return false;
        }
        // Rounded to the nearest integer, and checked exactly: `s` and
        // `p` are exact, so the division is the correctly rounded value
        // of the decimal `s / 10^k`, the float it reads back as.
        // `scaled` is below 2^51: the signed conversion is one instruction.
        let s = (scaled + 0.5) as i64;
        if s as f64 / p != a {
            continue;
        }
        write_decimal(out, s as u64, k, v < 0.0);
        return true;
    }
    false
}

/// The two digits of each number below 100.
pub(crate) const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Appends `s / 10^k` in decimal, with exactly `k` digits after the point
/// (none and no point for 0), at least one before it, and a minus sign if
/// `negative`. `s` is below 2^51 and `k` at most 6: at most 19 bytes.
#[inline]
fn write_decimal(out: &mut String, mut s: u64, k: usize, negative: bool) {
    // Written from the end, two digits at a time; one copy into `out` at
    // the end (`push_short`: no call to `memcpy`).
    let mut buf = [0u8; 24];
    let mut at = buf.len();
    for _ in 0..k / 2 {
        pair(&mut buf, &mut at, &mut s);
    }
    if k % 2 == 1 {
        at -= 1;
        buf[at] = b'0' + (s % 10) as u8;
        s /= 10;
    }
    if k > 0 {
        at -= 1;
        buf[at] = b'.';
    }
    while s >= 100 {
        pair(&mut buf, &mut at, &mut s);
    }
    if s >= 10 {
        pair(&mut buf, &mut at, &mut s);
    } else {
        at -= 1;
        buf[at] = b'0' + s as u8;
    }
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    let text = buf.get(at..).unwrap_or_default();
    // SAFETY: every byte of `buf[at..]` was written above as an ASCII
    // digit, `.` or `-`, and ASCII is valid UTF-8.
    #[allow(unsafe_code)]
    let text = unsafe { std::str::from_utf8_unchecked(text) };
    super::push_short(out, text);
}

/// Writes the last two digits of `s` before `at` (moved back over them)
/// and drops them from `s`.
#[inline(always)]
fn pair(buf: &mut [u8; 24], at: &mut usize, s: &mut u64) {
    let r = (*s % 100) as usize * 2;
    *s /= 100;
    *at -= 2;
    buf[*at..*at + 2].copy_from_slice(&DIGIT_PAIRS[r..r + 2]);
}

/// What [`write_float`] needs of `f32` and `f64`.
pub(crate) trait Float: ryu::Float + fmt::Display + Copy {
    /// The number of decimal digits after the point in the exact value
    /// (a float is `m / 2^k`, whose expansion has exactly `k` of them).
    fn fraction_digits(self) -> usize;

    /// [`write_float`]'s first try: writes a short decimal, if this is one.
    fn write_short_decimal(self, _out: &mut String) -> bool {
        false
    }
}

/// [`Float`] for a binary float type: its bits, the mantissa's width and
/// the exponent of the smallest subnormal.
macro_rules! float {
    ($ty:ty, $mantissa_bits:expr, $exp_mask:expr, $min_exp:expr $(, $short:ident)?) => {
        impl Float for $ty {
            $(
                #[inline]
                fn write_short_decimal(self, out: &mut String) -> bool {
                    $short(out, self)
                }
            )?

            #[inline]
            fn fraction_digits(self) -> usize {
                let bits = self.to_bits();
                let exp = ((bits >> $mantissa_bits) & $exp_mask) as i32;
                let mantissa = bits & ((1 << $mantissa_bits) - 1);
                let (m, e) = if exp == 0 {
                    (mantissa, $min_exp)
                } else {
                    (mantissa | (1 << $mantissa_bits), exp + $min_exp - 1)
                };
                if m == 0 {
                    return 0;
                }
                (-(e + m.trailing_zeros() as i32)).max(0) as usize
            }
        }
    };
}

float!(f64, 52, 0x7FF, -1074, write_short_decimal);
float!(f32, 23, 0xFF, -149);

/// `Arg`'s impl of a formatting trait: the listed variants forward to the
/// inner value, `Pre` writes its text, the rest write nothing.
macro_rules! forward {
    ($trait:ident: $($variant:ident),*) => {
        impl fmt::$trait for Arg<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Arg::$variant(v) => fmt::$trait::fmt(v, f),)*
                    Arg::Pre(text) => f.write_str(text),
                    #[allow(unreachable_patterns)]
                    _ => Ok(()),
                }
            }
        }
    };
}

/// `forward!` for the traits every integer type implements.
macro_rules! forward_ints {
    ($trait:ident $(, $extra:ident)*) => {
        forward!($trait: I8, I16, I32, I64, I128, Isize, U8, U16, U32, U64, U128, Usize $(, $extra)*);
    };
}

forward_ints!(Display, F32, F64, Bool, Char, Str);
forward_ints!(Debug, F32, F64, Bool, Char, Str);
forward_ints!(LowerHex);
forward_ints!(UpperHex);
forward_ints!(Octal);
forward_ints!(Binary);
forward_ints!(LowerExp, F32, F64);
forward_ints!(UpperExp, F32, F64);
forward!(Pointer:);
