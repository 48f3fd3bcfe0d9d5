//! Round trips through `encode_message!`: each message decoded on the
//! background side must be exactly what `format!` makes of it.
//!
//! Written against `crate::__private` (the paths lumber's macros use);
//! compiled by `crates/lumber-macros/tests/deferred.rs`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use crate::__private::{Arg, DecodeFn, Reader, Writer};

/// Encodes with `encode_message!`, decodes with the `DecodeFn` it returns,
/// asserts the text equals `format!`'s; evaluates to the encoded size.
macro_rules! roundtrip {
    ($($t:tt)*) => {{
        let expected = format!($($t)*);
        let mut buf = Vec::new();
        let decode: DecodeFn = {
            let w = &mut Writer::new(&mut buf);
            crate::__private::encode_message!(w, crate, $($t)*)
        };
        assert_eq!(decode_all(decode, &buf), expected, "format!({})", stringify!($($t)*));
        buf.len()
    }};
}

/// The synchronous path: `sync_message!` must give `format!`'s text, as
/// `Message::Parts` when every placeholder is plain, else as
/// `Message::Args`; evaluates to whether it was `Parts`.
macro_rules! sync_roundtrip {
    ($($t:tt)*) => {{
        let expected = format!($($t)*);
        let (text, parts, shown) = crate::__private::sync_message!(
            (m)
            ({
                let m: crate::Message<'_> = m;
                let shown = match &m {
                    crate::Message::Parts(p) => p.to_string(),
                    crate::Message::Args(a) => a.to_string(),
                };
                (m.text(), matches!(m, crate::Message::Parts(_)), shown)
            }),
            crate,
            $($t)*
        );
        assert_eq!(text, expected, "format!({})", stringify!($($t)*));
        assert_eq!(shown, expected, "Display of format!({})", stringify!($($t)*));
        parts
    }};
}

/// Encodes only, for tests that look at the bytes.
macro_rules! encode {
    ($buf:expr, $($t:tt)*) => {{
        let w = &mut Writer::new($buf);
        crate::__private::encode_message!(w, crate, $($t)*)
    }};
}

/// Decodes a whole record, checking it was read to the end, cleanly.
fn decode_all(decode: DecodeFn, bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut reader = Reader::new(bytes);
    decode(&mut reader, &mut out);
    assert!(!reader.is_corrupt());
    assert!(
        reader.remaining().is_empty(),
        "{} bytes left",
        reader.remaining().len()
    );
    out
}

/// Every slot of a record, as the reader sees them.
fn args_of(bytes: &[u8], n: usize) -> Vec<Arg<'_>> {
    let mut reader = Reader::new(bytes);
    (0..n).map(|_| reader.arg()).collect()
}

macro_rules! all_int_specs {
    ($($v:expr),* $(,)?) => {$(
        roundtrip!("{0} {0:x} {0:#X} {0:o} {0:#b} {0:+} {0:08} {0:<8} {0:^8} {0:>8} {0:*^9}", $v);
        roundtrip!("{} {:x} {:#X} {:o} {:#b} {:+} {:08} {:<8} {:^8} {:>8} {:*^9}", $v, $v, $v, $v, $v, $v, $v, $v, $v, $v, $v);
        roundtrip!("{0:?} {0:#?} {0:x?} {0:#X?} {0:e} {0:E} {0:+#012x} {0:-^+40} {0:#066b} {0:.3e}", $v);
    )*};
}

#[test]
fn integers_min_max_every_spec() {
    all_int_specs!(
        i8::MIN,
        i8::MAX,
        i16::MIN,
        i16::MAX,
        i32::MIN,
        i32::MAX,
        i64::MIN,
        i64::MAX
    );
    all_int_specs!(i128::MIN, i128::MAX, isize::MIN, isize::MAX);
    all_int_specs!(
        u8::MIN,
        u8::MAX,
        u16::MIN,
        u16::MAX,
        u32::MIN,
        u32::MAX,
        u64::MIN,
        u64::MAX
    );
    all_int_specs!(u128::MIN, u128::MAX, usize::MIN, usize::MAX);
    all_int_specs!(0i32, -1i64, 42u8, 1_000_000i32, -7i8);
}

#[test]
fn integers_keep_their_type() {
    let mut buf = Vec::new();
    encode!(
        &mut buf,
        "{}{}{}{}{}{}{}{}{}{}{}{}",
        1i8,
        2i16,
        3i32,
        4i64,
        5i128,
        6isize,
        7u8,
        8u16,
        9u32,
        10u64,
        11u128,
        12usize
    );
    let args = args_of(&buf, 12);
    assert_eq!(
        args,
        [
            Arg::I8(1),
            Arg::I16(2),
            Arg::I32(3),
            Arg::I64(4),
            Arg::I128(5),
            Arg::Isize(6),
            Arg::U8(7),
            Arg::U16(8),
            Arg::U32(9),
            Arg::U64(10),
            Arg::U128(11),
            Arg::Usize(12)
        ]
    );
}

macro_rules! all_float_specs {
    ($($v:expr),* $(,)?) => {$(
        roundtrip!("{0} {0:.3} {0:e} {0:E} {0:10.2E} {0:?} {0:#?} {0:+} {0:08.2} {0:>12} {0:<12?} {0:^+14.1} {0:.0} {0:.20} {0:e}", $v);
        roundtrip!("{:.3e} {:015.5?} {:+.1E} {:.*} {:>w$}", $v, $v, $v, 4, $v, $v, w = 16);
    )*};
}

#[test]
fn floats() {
    all_float_specs!(
        0.0f64,
        -0.0f64,
        1.0f64,
        -1.5f64,
        1.0f64 / 3.0,
        1e21f64,
        1e-7f64,
        123456789.125f64
    );
    all_float_specs!(
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::EPSILON
    );
    all_float_specs!(
        f64::from_bits(1),
        f64::from_bits(0x000F_FFFF_FFFF_FFFF),
        5e-324f64
    );
    all_float_specs!(
        0.0f32,
        -0.0f32,
        0.1f32,
        -2.5f32,
        1.0f32 / 3.0,
        16777217.0f32,
        1e-45f32
    );
    all_float_specs!(
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::MAX,
        f32::MIN,
        f32::MIN_POSITIVE
    );
    all_float_specs!(f32::from_bits(1), f32::from_bits(0x007F_FFFF));

    let mut buf = Vec::new();
    encode!(&mut buf, "{}{}", -0.0f64, f32::from_bits(0x7FC0_0001));
    match args_of(&buf, 2)[..] {
        [Arg::F64(a), Arg::F32(b)] => {
            assert_eq!(a.to_bits(), (-0.0f64).to_bits());
            assert_eq!(b.to_bits(), 0x7FC0_0001, "NaN payload kept");
        }
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn bools_and_chars() {
    for b in [true, false] {
        roundtrip!("{0} {0:?} {0:>6} {0:<6?}| {0:^7} {0:.2} {0:#?}", b);
    }
    for c in [
        'a', 'é', '\n', '\'', '"', '\\', '\0', '\u{7f}', '😀', '\u{301}', '\u{200b}', 'ß', '中',
    ] {
        roundtrip!("{0} {0:?} {0:>4} {0:-^5} {0:<3?}| {0:#?} {0:.0}|", c);
    }
}

#[test]
fn strings_of_every_owner() {
    let text = "tab\there \"q\" \\ \u{7f} é 😀 \u{301}\r\n";
    let string = String::from(text);
    let cow_b: Cow<'_, str> = Cow::Borrowed(text);
    let cow_o: Cow<'_, str> = Cow::Owned(string.clone());
    let boxed: Box<str> = text.into();
    let arc: Arc<str> = text.into();
    let rc: Rc<str> = text.into();
    let mut mutable = string.clone();
    let m = &mut mutable;
    let rr = &&text;
    roundtrip!(
        "{0} {0:?} {0:.3} {0:>10} {0:<40.2}| {0:^50} {0:-^60?} {0:#?}",
        text
    );
    roundtrip!("{0} {0:?} {0:.3} {0:>10}", string);
    roundtrip!("{0} {0:?} {0:.3} {0:>10}|{1:?}|{1:.4}", cow_b, cow_o);
    roundtrip!(
        "{0} {0:?} {0:.3} {0:>10}|{1:?}|{2:>30.5}|{3:?}",
        boxed,
        arc,
        rc,
        rr
    );
    roundtrip!("{0} {0:?} {0:.7}", m);
    roundtrip!("{:?}{:>3}{:.0}|", "", "", "x");

    let mut buf = Vec::new();
    encode!(
        &mut buf,
        "{}{}{}{}{}{}",
        text,
        string,
        cow_o,
        boxed,
        arc,
        rc
    );
    assert!(args_of(&buf, 6).iter().all(|a| *a == Arg::Str(text)));
}

#[test]
fn implicit_captures() {
    let name = "bob";
    let n = 5;
    let w = 9;
    let prec = 2;
    let x = 1.23456;
    roundtrip!("user {name} has {n:>5} items");
    roundtrip!("{name:?} {n} {name} {x:w$.prec$} {x:>w$} {n:0w$}");
    roundtrip!("{x:.prec$} and {} {}", 7, name);
    let größe = 3;
    roundtrip!("{größe:>4} {größe:?}");
}

#[test]
fn named_and_positional() {
    roundtrip!("{a} {b:?} {a}", a = 1, b = "x");
    roundtrip!("{0} {0:?} {1} {0:>5} {1:?} {}", "s", 2.5);
    roundtrip!("{} {x} {} {0}", 1, 2, x = 'c');
    roundtrip!("{1} {} {0} {}", "a", "b");
    roundtrip!("{a:>w$} {b:.p$?}", a = 1, b = 0.5, w = 6, p = 3);
    let b = 4;
    roundtrip!("{a}{b}", a = b * 2);
}

#[test]
fn count_arguments() {
    let s = "abcdefgh";
    let v = 3.25159;
    let prec = 3usize;
    let w = 12usize;
    roundtrip!("[{:w$}]", s, w = 10);
    roundtrip!("[{:.*}]", 2, v);
    roundtrip!("[{:.*}] [{:.*}]", 1, v, 3, s);
    roundtrip!("[{:1$}] [{:>1$}]", s, 15);
    roundtrip!("[{:.prec$}] [{:>w$.prec$}]", v, s);
    roundtrip!("[{:>1$.2$}] [{0:^2$.1$}]", v, 10usize, 4usize);
    roundtrip!("[{:0$}]", 7usize);
    roundtrip!("[{:01$}] [{2:+0w$.prec$e}]", 5, 9, -v);
    roundtrip!("[{0:>0$}]", 4usize);
    roundtrip!("[{:w$.*}]", 2, v, w = 9);
    roundtrip!(
        "[{:>w$?}] [{:<w$?}] [{:^w$.3$}]",
        Point(1, 2),
        Point(3, 4),
        Custom("xyz"),
        2usize
    );
    roundtrip!("[{:>1$}] [{3:.2$}]", Custom("p"), 6, 1, Custom("q"));

    // A count costs one varint byte when small.
    let mut buf = Vec::new();
    encode!(&mut buf, "{:1$}", 1u8, 5usize);
    assert_eq!(
        buf.len(),
        1 + 2,
        "a one-byte count, then the tagged u8: the usize argument is no value slot"
    );
}

/// Display only, honouring width and precision through `pad`.
struct Custom(&'static str);

impl fmt::Display for Custom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.0)
    }
}

/// Debug only.
#[derive(Debug)]
#[allow(dead_code)]
struct Point(i32, i32);

#[derive(Debug)]
#[allow(dead_code)]
struct Nested {
    name: String,
    points: Vec<Point>,
    map: HashMap<u8, Option<&'static str>>,
}

#[test]
fn fallback_types() {
    roundtrip!(
        "{} [{:>10}] [{:<10}] [{:^10.2}] [{:*>8}]",
        Custom("c"),
        Custom("right"),
        Custom("left"),
        Custom("center"),
        Custom("x")
    );
    roundtrip!(
        "{:?} {:#?} {:>20?} {:x?}",
        Point(1, -2),
        Point(3, 4),
        Point(5, 6),
        Point(255, 16)
    );
    let nested = Nested {
        name: "n\"x".into(),
        points: vec![Point(1, 2)],
        map: HashMap::from([(1, Some("one"))]),
    };
    roundtrip!("{:?}\n{:#?}", nested, nested);
    roundtrip!(
        "{:?} {:#x?} {:?}",
        vec![1, 2],
        vec![255u8, 16],
        (1, "a", 'b')
    );
    roundtrip!(
        "{:?} {:?} {}",
        Some("x"),
        None::<i32>,
        std::net::Ipv4Addr::LOCALHOST
    );
    roundtrip!(
        "{} {:?}",
        std::path::Path::new("/a b").display(),
        std::time::Duration::from_millis(1500)
    );
    let x = 7;
    let r = &x;
    roundtrip!("{:p} {r:p} {:>20p}", r, r);

    let mut buf = Vec::new();
    encode!(
        &mut buf,
        "[{:>6}] {:?} {:x}",
        Custom("c"),
        Point(1, 2),
        255u8
    );
    assert_eq!(
        args_of(&buf, 3),
        [Arg::Pre("     c"), Arg::Pre("Point(1, 2)"), Arg::U8(255)]
    );
}

#[test]
fn generic_values_fall_back() {
    fn show<T: fmt::Display + fmt::Debug>(t: T) -> (String, Vec<u8>) {
        let mut buf = Vec::new();
        let decode = encode!(&mut buf, "{:>5}|{:?}", t, t);
        (decode_all(decode, &buf), buf)
    }
    let (text, buf) = show(42u8);
    assert_eq!(text, format!("{:>5}|{:?}", 42u8, 42u8));
    assert_eq!(args_of(&buf, 2), [Arg::Pre("   42"), Arg::Pre("42")]);
    assert_eq!(show("s").0, format!("{:>5}|{:?}", "s", "s"));
}

#[test]
fn self_capture() {
    struct Me(u8);
    impl fmt::Display for Me {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "me{}", self.0)
        }
    }
    impl Me {
        fn log(&self) -> usize {
            roundtrip!("{self} [{self:>6}]")
        }
    }
    Me(3).log();
}

#[test]
fn braces_text_and_literals() {
    roundtrip!("{{}} {{{}}} }}{{ {{0}}", 1);
    roundtrip!("");
    roundtrip!("no args at all");
    roundtrip!("no args, trailing comma",);
    roundtrip!("{}", 1,);
    roundtrip!("{a}", a = 1,);
    roundtrip!(r"raw {} \n \t {{", 5);
    roundtrip!(r#"raw "quoted" {x} {0:?}"#, "q", x = 1);
    roundtrip!(r##"two "# hashes {}"##, 'h');
    roundtrip!(
        "héllo {} 😀 {:>5} ünïcödé {:é^9} {:😀<4}",
        "wörld",
        'ß',
        1,
        2
    );
    roundtrip!("escapes \u{1F600} \x41 \t \\ \" \0 {}", "\u{e9}");
    roundtrip!(
        "line one \
         continued {}",
        1
    );
    roundtrip!("{ } {:} {0 } {:x }", 1, 2, 3);
    roundtrip!("{:}>3}", 4);
    roundtrip!("{:.}", 1.5);
    roundtrip!("{:-} {:-^5}", 1, 2);
}

#[test]
fn zero_and_many_args() {
    assert_eq!(roundtrip!("constant"), 0);
    let name = "n";
    let size = roundtrip!(
        "{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {name} {:?} {:>4}",
        1i8,
        2u16,
        3i32,
        4u64,
        5i128,
        6usize,
        7.5f32,
        8.25f64,
        true,
        'c',
        "str",
        String::from("string"),
        Custom("custom"),
        -10isize,
        u128::MAX,
        i64::MIN,
        f64::NAN,
        '\u{1F600}',
        false,
        0u8,
        20,
        21,
        22.0,
        "23",
        Point(24, 25),
        Custom("26"),
    );
    assert!(size > 100);
}

#[test]
fn expressions_as_arguments() {
    let v = [1u8, 2, 3];
    let map: HashMap<u8, u8> = HashMap::new();
    roundtrip!(
        "{} {} {}",
        v.len(),
        v.iter().map(|x| x * 2).sum::<u8>(),
        String::from("temporary")
    );
    roundtrip!(
        "{} {}",
        HashMap::<u8, Vec<u8>>::new().len(),
        <HashMap<u8, u8> as Default>::default().len()
    );
    roundtrip!(
        "{} {} {}",
        map.is_empty(),
        1 < 2,
        if v.len() > 2 { "full" } else { "short" }
    );
    roundtrip!(
        "{} {:?}",
        std::mem::size_of::<(u8, u32)>(),
        Vec::<(u8, u8)>::with_capacity(2)
    );
    roundtrip!(
        "{a} {b}",
        a = 1 + 2,
        b = {
            let t = 3;
            t * 2
        }
    );
    roundtrip!("{}", -5);
    roundtrip!("{}", &&&7);
    roundtrip!("{:?}", ["a", "b"].map(|s| s.len()));
}

#[test]
fn arguments_evaluated_once_in_order() {
    let calls = Mutex::new(Vec::new());
    let next = |tag: &'static str, v: i32| {
        calls.lock().unwrap().push(tag);
        v
    };
    let counted = Counted::default();
    let width = 6usize;
    let mut buf = Vec::new();
    let decode = encode!(
        &mut buf,
        "{1} {0} {1:?} {named} {c} {c:>width$} {3:.2$}",
        next("a", 1),
        next("b", 2),
        next("prec", 3) as usize,
        1.5,
        named = next("named", 4),
        c = &counted,
    );
    assert_eq!(*calls.lock().unwrap(), ["a", "b", "prec", "named"]);
    assert_eq!(
        counted.0.lock().unwrap().len(),
        2,
        "each placeholder of a fallback formats once"
    );
    assert_eq!(decode_all(decode, &buf), "2 1 2 4 counted counted 1.500");
    assert_eq!(
        counted.0.lock().unwrap().len(),
        2,
        "decoding does not format the value again"
    );
}

/// Records the thread that formats it.
#[derive(Default)]
struct Counted(Mutex<Vec<ThreadId>>);

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.lock().unwrap().push(thread::current().id());
        f.pad("counted")
    }
}

#[test]
fn fallback_formats_on_the_calling_thread() {
    let counted = Counted::default();
    let mut buf = Vec::new();
    let decode = encode!(&mut buf, "[{:>9}] {}", counted, 1);
    let here = thread::current().id();
    let (text, there) = thread::spawn(move || (decode_all(decode, &buf), thread::current().id()))
        .join()
        .unwrap();
    assert_eq!(text, "[  counted] 1");
    assert_ne!(here, there);
    assert_eq!(*counted.0.lock().unwrap(), [here]);
}

#[test]
fn typical_record_sizes() {
    let (a, b, c) = (42i32, -7i32, 3.25f64);
    assert_eq!(
        roundtrip!("Logging int: {}, int: {}, double: {}", a, b, c),
        19
    );
    let s = "0123456789012345678901234567890123456789";
    assert_eq!(s.len(), 40);
    assert_eq!(roundtrip!("Logging str: {}", s), 42);
}

/// Encodes into a region of every size from none to more than enough, as
/// the fast path does into its ring: the bytes (in the region, or spilled)
/// must be those `Writer::new` makes, whether the record took the sized
/// encoder (room for all of it), the checked one, or spilled part way.
macro_rules! same_bytes_in_any_region {
    ($($t:tt)*) => {{
        let mut expected = Vec::new();
        let _ = encode!(&mut expected, $($t)*);
        let sized_before = crate::deferred::SIZED.with(|n| n.get());
        for room in 0..expected.len() + 24 {
            let mut region = vec![0xAAu8; room + 8];
            let mut spill = Vec::new();
            let w = &mut Writer::in_region(&mut region[..room], &mut spill);
            let _ = crate::__private::encode_message!(w, crate, $($t)*);
            let bytes = match w.written() {
                Ok(n) => region[..n].to_vec(),
                Err(spilled) => spilled.to_vec(),
            };
            assert_eq!(bytes, expected, "room {room}: {}", stringify!($($t)*));
            assert!(region[room..].iter().all(|&b| b == 0xAA), "room {room}");
        }
        // How many of those regions the sized encoder took: every one with
        // room for the whole record, or none (a value formatted on the
        // spot, a count).
        crate::deferred::SIZED.with(|n| n.get()) - sized_before
    }};
}

#[test]
fn sized_and_checked_encoders_write_the_same_bytes() {
    // Rooms from 0 to 23 bytes more than the record: the sized encoder
    // runs for the last 24 (the record's own length and up), when the
    // string's bound is exact.
    let (a, b, c) = (42i32, -7i32, 3.25f64);
    let sized = same_bytes_in_any_region!("Logging int: {}, int: {}, double: {}", a, b, c);
    assert_eq!(sized, 24);
    let s = "0123456789012345678901234567890123456789";
    assert_eq!(same_bytes_in_any_region!("Logging str: {}", s), 24);
    // A long string's bound counts 11 bytes for its tag and length, which
    // take 3 here: the sized encoder needs 8 bytes more than it writes.
    let long = "é".repeat(100);
    assert_eq!(same_bytes_in_any_region!("{} and {}", long, 'x'), 24 - 8);
    let owned = String::from("owned");
    let cow: Cow<'_, str> = Cow::Borrowed("cow");
    let sized = same_bytes_in_any_region!(
        "{} {} {} {} {} {} {} {}",
        1u8,
        -2i16,
        3u64,
        -4i128,
        5usize,
        true,
        owned,
        cow
    );
    assert_eq!(sized, 24);
    assert_eq!(same_bytes_in_any_region!("{:>8} {:08.3} {:?}", a, c, s), 24);
    // Formatted on the spot, or a count: no sized encoding, the same bytes.
    let v = vec![1, 2, 3];
    assert_eq!(same_bytes_in_any_region!("{:?} {}", v, a), 0);
    assert_eq!(same_bytes_in_any_region!("{:w$}", a, w = 6), 0);
}

#[test]
fn truncated_and_corrupt_input_never_panics() {
    let counted = Counted::default();
    let mut buf = Vec::new();
    let decode = encode!(
        &mut buf,
        "{} {} {:?} {} {:>w$.p$} {} {} {}",
        1u128,
        "a string",
        'x',
        counted,
        2.5f64,
        true,
        -3i16,
        usize::MAX,
        w = 300usize,
        p = 2usize
    );
    let full = decode_all(decode, &buf);
    for len in 0..buf.len() {
        let mut out = String::new();
        let mut reader = Reader::new(&buf[..len]);
        decode(&mut reader, &mut out);
        assert!(reader.is_corrupt(), "prefix of {len} bytes");
        assert!(out.len() <= full.len() + 300);
    }
    // Every single-byte corruption, and noise.
    for at in 0..buf.len() {
        for byte in [0u8, 1, 0x7F, 0x80, 0xFF, 17, 18] {
            let mut bad = buf.clone();
            bad[at] = byte;
            let mut out = String::new();
            decode(&mut Reader::new(&bad), &mut out);
        }
    }
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..2000 {
        let len = (seed % 64) as usize;
        let noise: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed % 20) as u8
            })
            .collect();
        let mut out = String::new();
        decode(&mut Reader::new(&noise), &mut out);
    }
}

#[test]
fn reader_defaults_after_corruption() {
    let mut reader = Reader::new(&[3, 1, 2]);
    assert_eq!(reader.arg(), Arg::Pre(""));
    assert!(reader.is_corrupt());
    assert_eq!(reader.count(), 0);
    assert_eq!(reader.arg(), Arg::default());
    assert_eq!(
        format!(
            "[{:>5}|{:x}|{:?}|{:e}]",
            Arg::default(),
            Arg::default(),
            Arg::default(),
            Arg::default()
        ),
        "[|||]"
    );

    // Invalid UTF-8, invalid char, invalid bool, unknown tag, huge length.
    for bytes in [
        &[17u8, 2, 0xC3, 0x28][..],
        &[16, 0, 0xD8, 0, 0],
        &[15, 2],
        &[99],
        &[17, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        &[18, 5, 0, 0, 0, b'a'],
    ] {
        let mut reader = Reader::new(bytes);
        assert_eq!(reader.arg(), Arg::default(), "{bytes:?}");
        assert!(reader.is_corrupt());
    }
    // A varint longer than 64 bits.
    let mut reader = Reader::new(&[0xFF; 11]);
    assert_eq!(reader.count(), 0);
    assert!(reader.is_corrupt());
}

/// `Reader::write_display` (what plain decoders call) reads and writes
/// exactly what `Reader::arg` then `Arg::write_display` would: for every
/// type, for non-ASCII text, and for every prefix and corruption of the
/// bytes (same text, same position, same corruption).
#[test]
fn reader_write_display_is_arg_then_write_display() {
    #[derive(Debug)]
    struct NotEncode;
    impl fmt::Display for NotEncode {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("pré-formatted")
        }
    }
    let text = String::from("0123456789 abcdefghij 0123456789 abcdefghij ok");
    let mut buf = Vec::new();
    let _ = encode!(
        &mut buf,
        "{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}",
        -5i8,
        -300i16,
        i32::MIN,
        i64::MIN,
        i128::MIN,
        -7isize,
        200u8,
        60_000u16,
        u32::MAX,
        u64::MAX,
        u128::MAX,
        usize::MAX,
        1.5f32,
        -20003.25f64,
        true,
        'é',
        "",
        "short",
        &text,
        "ünïcödé text, longer than thirty-two bytes",
        NotEncode,
        0.1f64 + 0.2f64,
    );
    let slots = 22;
    let check = |bytes: &[u8]| {
        let mut a = Reader::new(bytes);
        let mut b = Reader::new(bytes);
        let (mut via_arg, mut direct) = (String::from(">"), String::from(">"));
        for _ in 0..slots {
            a.arg().write_display(&mut via_arg);
            b.write_display(&mut direct);
            assert_eq!(direct, via_arg, "{bytes:?}");
            assert_eq!(b.position(), a.position());
            assert_eq!(b.is_corrupt(), a.is_corrupt());
        }
        direct
    };
    let full = check(&buf);
    assert!(full.contains("ünïcödé") && full.contains("pré-formatted") && full.contains(&text));
    for len in 0..buf.len() {
        check(&buf[..len]);
    }
    for at in 0..buf.len() {
        for byte in [0u8, 1, 3, 0x7F, 0x80, 0xC3, 0xFF, 14, 17, 18] {
            let mut bad = buf.clone();
            bad[at] = byte;
            check(&bad);
        }
    }
}

#[test]
fn counts_std_would_panic_on_do_not_panic() {
    // `format!` panics on a width above `u16::MAX`; the decoder must not,
    // whether the count was encoded so or corrupted into one.
    let mut buf = Vec::new();
    let decode = encode!(&mut buf, "[{:>1$}]", 5u8, 70_000usize);
    let mut out = String::new();
    let mut reader = Reader::new(&buf);
    decode(&mut reader, &mut out);
    assert!(reader.is_corrupt());
    assert_eq!(out, "[]");

    let mut buf = Vec::new();
    let decode = encode!(&mut buf, "[{:>1$}]", 5u8, 65_535usize);
    assert_eq!(decode_all(decode, &buf).len(), 65_537);
}

/// A `Display` that writes `partial`, then fails.
struct Fails;

impl fmt::Display for Fails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("partial")?;
        Err(fmt::Error)
    }
}

#[test]
fn failing_display_keeps_partial_text() {
    let mut buf = Vec::new();
    let decode = encode!(&mut buf, "{} then {}", Fails, 1);
    assert_eq!(decode_all(decode, &buf), "partial then 1");
}

#[test]
// `sync_message!`'s `(NAME) ({ BODY })` puts BODY in parentheses, which
// the lint sees outside a `macro_rules!` (`sync_roundtrip!` hides it).
#[allow(unused_parens)]
fn sync_messages_stop_at_a_failing_display() {
    // What `format_args!` written into a `String` keeps: the text up to
    // the `Display` that failed.
    let (text, parts) = crate::__private::sync_message!(
        (m)({
            let m: crate::Message<'_> = m;
            (m.text(), matches!(m, crate::Message::Parts(_)))
        }),
        crate,
        "{} then {} and {}",
        1,
        Fails,
        2
    );
    assert!(parts);
    assert_eq!(text, "1 then partial");
}

#[test]
fn appends_to_what_the_buffer_holds() {
    let mut buf = vec![0xAA, 0xBB];
    let decode = encode!(&mut buf, "{}", 5u8);
    assert_eq!(buf[..2], [0xAA, 0xBB]);
    assert_eq!(decode_all(decode, &buf[2..]), "5");
}

/// Messages whose placeholders are all plain `{}` are decoded without
/// `fmt::Formatter` (`Arg::write_display`): the same text for every type.
#[test]
fn plain_placeholders_print_what_format_prints() {
    macro_rules! plain {
        ($($v:expr),* $(,)?) => {$(
            roundtrip!("v={} {{braces}} {}!", $v, $v);
            roundtrip!("{}", $v);
        )*};
    }
    plain!(
        i8::MIN,
        i8::MAX,
        i16::MIN,
        u16::MAX,
        i32::MIN,
        u32::MAX,
        i64::MIN,
        i64::MAX,
        u64::MAX,
        i128::MIN,
        i128::MAX,
        u128::MAX,
        isize::MIN,
        usize::MAX,
        0u8,
        0i64,
        -1i32
    );
    plain!(
        1.5f64,
        -0.0f64,
        f64::NAN,
        f64::INFINITY,
        1e300f64,
        0.1f32,
        f32::MIN_POSITIVE
    );
    plain!(
        true,
        false,
        'x',
        'é',
        '\n',
        "text",
        String::from("owned"),
        Cow::Borrowed("cow")
    );
    let name = "ann";
    let n = 7u8;
    roundtrip!("{name} has {n} and {0} {0}", n);
    roundtrip!("no placeholders at all");
    roundtrip!("{}{}{}", 1, "", 'c');
    struct D;
    impl fmt::Display for D {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("<d>")
        }
    }
    roundtrip!("custom {} then {}", D, 3);
}

/// The synchronous path's message: plain placeholders become
/// `Message::Parts` (same text as `format!`, by `write_to` and by
/// `Display`), anything else stays `format_args!`.
#[test]
fn sync_messages_print_what_format_prints() {
    struct D;
    impl fmt::Display for D {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("<d>")
        }
    }
    let name = "ann";
    let n = 42u64;
    assert!(sync_roundtrip!("request {} done", n));
    assert!(sync_roundtrip!("{name} {n} {0} {0} {{x}}", -7i8));
    assert!(sync_roundtrip!(
        "{} {} {} {} {}",
        u128::MAX,
        i64::MIN,
        'é',
        true,
        2.5f64
    ));
    assert!(sync_roundtrip!("{} and {}", D, String::from("owned")));
    assert!(sync_roundtrip!("no placeholders"));
    assert!(!sync_roundtrip!("{:>5}|{:?}|{:x}", 1, "q", 255));
    assert!(!sync_roundtrip!("{:.2}", 1.0f64));
    assert!(!sync_roundtrip!("{0:w$}", 3, w = 4));
    // Each argument is evaluated once, in order.
    let mut calls = Vec::new();
    let mut next = |i: u8| {
        calls.push(i);
        i
    };
    assert!(sync_roundtrip!("{} {}", next(1), next(2)));
    assert_eq!(calls, [1, 2, 1, 2]); // once for `format!`, once for the message
}

/// `Arg::write_display` writes floats with `ryu`, trimmed to std's
/// spelling: it must match `{}` for every value, around the points where
/// `ryu` switches to an exponent and over random bit patterns.
#[test]
fn float_display_matches_std() {
    fn check64(v: f64) {
        let mut out = String::new();
        Arg::F64(v).write_display(&mut out);
        assert_eq!(out, format!("{v}"), "{:#x}", v.to_bits());
    }
    fn check32(v: f32) {
        let mut out = String::new();
        Arg::F32(v).write_display(&mut out);
        assert_eq!(out, format!("{v}"), "{:#x}", v.to_bits());
    }
    for exp in -30..=30 {
        let p = 10f64.powi(exp);
        for v in [p, p * 1.5, p * 9.999, p.next_up(), p.next_down(), -p] {
            check64(v);
            check32(v as f32);
        }
    }
    for v in [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        20003.5,
        f64::MAX,
        f64::MIN_POSITIVE,
    ] {
        check64(v);
    }
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 5e-324] {
        check64(v);
        check32(v as f32);
    }
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..200_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        check64(f64::from_bits(x));
        check32(f32::from_bits(x as u32));
        // Values people log: counters and measurements.
        check64(i as f64 / 8.0);
        check64(-(i as f64) / 100.0);
        check64((x % 1_000_000) as f64 / 1000.0);
        check64((x % 100_000_000) as f64 / 1e6);
        check64((x % 10_000) as f64 / 1e7);
        check64(3.5 + i as f64);
        check64((x >> 11) as f64 / (1u64 << 52) as f64);
    }
}
